"""The technique tree read from the vocabulary file's 'techniques' block.

Builds the :class:`~.model.TagDef` list (groups first, then leaves), the terms and
abbreviations that point at each tag, the MeSH index, and the tables that resolve what a user
typed (:class:`Lookups`). MeSH is matched by descriptor UI only: a *specific* UI suggests its
node alone, a *broad* UI on a leaf suggests only its group, *support* UIs never suggest
anything (they only satisfy abbreviation guards); ``mesh_unverified`` entries are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinelib.vocabulary.abbreviations import Abbrev, abbrev_from_json
from spinelib.vocabulary.folding import fold_phrase
from spinelib.vocabulary.model import TagDef
from spinelib.vocabulary.phrases import PhraseSet, Term, make_term
from spinelib.vocabulary.schema import SchemaError, abbr_text, mesh_uis, str_list, term_text


def build_tags(nodes: list[Any], contexts: Mapping[str, PhraseSet]) -> list[TagDef]:
    """Every technique node as a TagDef: groups first, then leaves, each in file order."""
    groups: list[TagDef] = []
    leaves: list[TagDef] = []
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        tag = _tag_from_json(node, i, contexts)
        if tag.id in seen:
            raise SchemaError(f"duplicate tag id {tag.id!r}")
        seen.add(tag.id)
        (leaves if tag.parent else groups).append(tag)
    group_ids = {g.id for g in groups}
    for leaf in leaves:
        if leaf.parent not in group_ids:
            raise SchemaError(f"tag {leaf.id!r} has parent {leaf.parent!r}, which is not a group")
    return groups + leaves


def _tag_from_json(node: Any, index: int, contexts: Mapping[str, PhraseSet]) -> TagDef:
    if not isinstance(node, Mapping):
        raise SchemaError(f"technique {index + 1} is not an object")
    tag_id = node.get("id")
    if not isinstance(tag_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", tag_id):
        raise SchemaError(f"technique {index + 1} has no valid snake_case 'id'")
    label = node.get("label")
    if not isinstance(label, str) or not label.strip():
        raise SchemaError(f"tag {tag_id!r} has no 'label'")
    parent = node.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise SchemaError(f"tag {tag_id!r}: 'parent' must be a tag id or null")
    ctx = node.get("requires_context")
    if ctx is False:
        ctx = ""  # explicitly none: a leaf whose own words are unambiguous ("separation surgery")
    elif ctx is not None and ctx not in contexts:
        raise SchemaError(f"tag {tag_id!r} requires unknown context {ctx!r}")
    veto = node.get("unless_context")
    if veto is not None and veto not in contexts:
        raise SchemaError(f"tag {tag_id!r} is vetoed by unknown context {veto!r}")
    where = f"tag {tag_id!r}"
    mesh = node.get("mesh", {})
    if not isinstance(mesh, Mapping):
        raise SchemaError(f"{where}: 'mesh' must be an object")
    synonyms = [term_text(s, where) for s in str_list(node, "synonyms", where)]
    abbrevs = [abbr_text(a, where) for a in str_list(node, "abbreviations", where)]
    return TagDef(
        id=tag_id, label=label.strip(), parent=parent, kind="leaf" if parent else "group",
        synonyms=tuple(s for s in synonyms if "~" not in s), abbreviations=tuple(abbrevs),
        mesh_specific=mesh_uis(mesh, "specific", where),
        mesh_broad=mesh_uis(mesh, "broad", where),
        mesh_support=mesh_uis(mesh, "support", where), requires_context=ctx,
        note=str(node.get("note", "")), unless_context=veto)


def technique_matchers(nodes: list[Any], stops: Iterable[str],
                       tags: Mapping[str, TagDef]) -> tuple[list[Term], list[Abbrev]]:
    """The terms (synonyms, plus ``stops`` as stop phrases) and abbreviations of every tag.

    A synonym given for two tags is an error: one phrase must mean one technique.
    """
    terms = [make_term(s, "") for s in stops]
    abbrevs: list[Abbrev] = []
    owner: dict[tuple[str, ...], str] = {}
    for node in nodes:
        tag = tags[node["id"]]
        for item in node.get("synonyms", ()):
            also = tuple(item.get("also", ())) if isinstance(item, Mapping) else ()
            for ref in also:
                if ref not in tags:
                    raise SchemaError(f"tag {tag.id!r}: synonym co-tags unknown tag {ref!r}")
            term = make_term(term_text(item, tag.id), tag.id, also)
            previous = owner.setdefault(term.tokens, tag.id)
            if previous != tag.id:
                raise SchemaError(f"synonym {term_text(item, tag.id)!r} is given for both "
                                  f"{previous!r} and {tag.id!r}")
            terms.append(term)
        mesh = set(tag.mesh_specific) | set(tag.mesh_broad) | set(tag.mesh_support)
        for item in node.get("abbreviations", ()):
            abbrevs.append(abbrev_from_json(item, tag.id, frozenset(mesh)))
    return terms, abbrevs


def technique_mesh_index(tags: Sequence[TagDef]) -> dict[str, list[tuple[str, str]]]:
    """UI -> [(tag id to suggest, 'specific' | 'broad')]; broad on a leaf points at its group.

    One heading counts once per tag: a UI that is specific on a group and broad on one of its
    leaves ("Spinal Fusion") points at the group once, as specific (counted twice, a minor
    heading alone would add up to a suggestion)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for tag in tags:
        for ui in tag.mesh_specific:
            _add_once(index.setdefault(ui, []), tag.id, "specific")
        for ui in tag.mesh_broad:
            _add_once(index.setdefault(ui, []), tag.parent or tag.id, "broad")
    return index


def _add_once(entries: list[tuple[str, str]], tag_id: str, kind: str) -> None:
    """Add (tag_id, kind) unless the tag is there already; 'specific' wins over 'broad'."""
    for i, (known, known_kind) in enumerate(entries):
        if known == tag_id:
            if kind == "specific" and known_kind != "specific":
                entries[i] = (tag_id, kind)
            return
    entries.append((tag_id, kind))


@dataclass(frozen=True)
class Lookups:
    """Tables that resolve a typed name to a tag id."""

    folded: dict[tuple[str, ...], str]  # folded id/label/synonym -> tag id
    abbr_exact: dict[str, str]
    abbr_casefold: dict[str, set[str]]
    names: dict[str, str]  # casefolded display strings for difflib -> tag id


def lookup_tables(tags: Sequence[TagDef]) -> Lookups:
    """The :class:`Lookups` of ``tags``; on a clash the first tag in vocabulary order wins."""
    folded: dict[tuple[str, ...], str] = {}
    exact: dict[str, str] = {}
    loose: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for tag in tags:
        for text in (tag.id.replace("_", " "), tag.label, *tag.synonyms):
            folded.setdefault(fold_phrase(text), tag.id)
        for abbr in tag.abbreviations:
            exact.setdefault(abbr, tag.id)
            loose.setdefault(abbr.casefold(), set()).add(tag.id)
        for text in (tag.id, tag.label, *tag.synonyms, *tag.abbreviations):
            names.setdefault(text.casefold(), tag.id)
    return Lookups(folded, exact, loose, names)
