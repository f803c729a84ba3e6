"""The clinical facets SpineLib knows: the one place that names them.

A facet's *name* is what the library stores and what ``--facet NAME=VALUE`` takes; its
*title* is the short heading the GUI shows above its values. The matching rules for each facet
live in the vocabulary file (its 'facets' block must hold exactly these names) and in
:mod:`spinelib.vocabulary.facet_match`. The CLI and the GUI read this registry and never list
the facets themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetInfo:
    """One clinical facet: its stored ``name`` and its display ``title``."""

    name: str
    title: str


#: Every facet, in the order :func:`~spinelib.vocabulary.facets` reports them and the GUI
#: lists them.
FACET_INFO: tuple[FacetInfo, ...] = (
    FacetInfo("histology", "Histology"),
    FacetInfo("region", "Region"),
    FacetInfo("design", "Study design"),
    FacetInfo("score", "Scores"),
)
#: Facet names, in the order :func:`~spinelib.vocabulary.facets` reports them.
FACETS: tuple[str, ...] = tuple(info.name for info in FACET_INFO)

_TITLES = {info.name: info.title for info in FACET_INFO}


def facet_title(name: str) -> str:
    """The heading for facet ``name``; a name outside the registry is shown tidied up
    ('some_facet' -> 'Some facet')."""
    return _TITLES.get(name, name.replace("_", " ").capitalize())
