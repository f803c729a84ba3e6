"""The vocabulary's public value types: technique tags, suggestions and facet values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TagDef:
    """One node of the technique vocabulary: a group (``parent`` None) or a leaf."""

    id: str
    label: str
    parent: str | None
    kind: str  # "group" | "leaf"
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    mesh_specific: tuple[str, ...] = ()
    mesh_broad: tuple[str, ...] = ()
    mesh_support: tuple[str, ...] = ()
    requires_context: str | None = None  # None: the group's; "": none (set to false)
    note: str = ""
    unless_context: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A suggested technique tag and the evidence for it, quoted for a human."""

    tag_id: str
    reason: str


@dataclass(frozen=True)
class Explanation:
    """The suggestions for a record and, for techniques it mentions that were not suggested,
    why not ("not suggested: negated in methods: 'vertebroplasty'"). Only ``suggested`` is
    stored; ``not_suggested`` is there to explain the engine to a user."""

    suggested: list[Suggestion]
    not_suggested: list[Suggestion]


@dataclass(frozen=True)
class FacetValue:
    """One facet value found in a record (facet is one of
    :data:`~spinelib.vocabulary.facet_registry.FACETS`)."""

    facet: str
    value: str
    label: str
    reason: str
