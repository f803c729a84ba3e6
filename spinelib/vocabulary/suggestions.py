"""Technique tag suggestions for a record, each with the evidence quoted for a human.

Leaves come from specific MeSH UIs, terms, guarded abbreviations and dose schedules; a broad
MeSH UI only suggests the group. Groups are suggested only when none of their leaves is (a leaf
implies its group through :meth:`~.taxonomy.Taxonomy.descendants`) and nothing in their
``explained_by`` list is. Tags whose definition is oncologic require tumour context, so cardiac
or facet-joint radiofrequency ablation is not tagged; an osteoporotic vertebroplasty trial is
still tagged with its technique.
"""

from __future__ import annotations

from collections.abc import Mapping

from spinelib.records import ArticleRecord
from spinelib.vocabulary.abbreviations import mostly_capitals
from spinelib.vocabulary.document import (
    RANK_COTAG,
    RANK_FIELD,
    RANK_MESH,
    RANK_MESH_BROAD,
    Adder,
    Doc,
)
from spinelib.vocabulary.dose import dose_cues
from spinelib.vocabulary.model import Suggestion
from spinelib.vocabulary.taxonomy import Taxonomy


def suggest(record: ArticleRecord, taxonomy: Taxonomy) -> list[Suggestion]:
    """Technique tags for ``record``: one :class:`Suggestion` per tag, in vocabulary order.

    Leaves come from specific MeSH UIs, terms, guarded abbreviations and dose schedules; groups
    only from group-level evidence and only when no leaf below them (and nothing that explains
    them) is suggested. Deterministic: the same record always gives the same list.
    """
    doc = Doc(record)
    evidence: dict[str, tuple[int, str]] = {}

    def add(tag_id: str, rank: int, reason: str) -> None:
        best = evidence.get(tag_id)
        if best is None or rank < best[0]:
            evidence[tag_id] = (rank, reason)

    _mesh_evidence(doc, taxonomy, add)
    _text_evidence(doc, taxonomy, add)
    kept = {t: e for t, e in evidence.items() if taxonomy._context_ok(t, doc)}
    _apply_implies(kept, doc, taxonomy)
    chosen = _resolve_groups(kept, taxonomy)
    return [Suggestion(t, kept[t][1]) for t in sorted(chosen, key=taxonomy._order.__getitem__)]


def _mesh_evidence(doc: Doc, tax: Taxonomy, add: Adder) -> None:
    for ui in doc.mesh:
        for tag_id, kind in tax._mesh_index.get(ui, ()):
            rank = RANK_MESH if kind == "specific" else RANK_MESH_BROAD
            add(tag_id, rank, doc.mesh_reason(ui, ui))


def _text_evidence(doc: Doc, tax: Taxonomy, add: Adder) -> None:
    labels = tax._labels
    for field in doc.fields:
        rank = RANK_FIELD[field.name]
        for hit in tax._terms.scan(field.folded):
            target = hit.term.target
            if not target or field.dismissed(field.folded.starts[hit.first], hit.first):
                continue  # a stop phrase, a negation or an exclusion criterion
            quote = field.folded.quote(field.raw, hit.first, hit.last)
            add(target, rank, f"{field.name}: '{quote}'")
            for other in hit.term.also:
                add(other, RANK_COTAG, f"{field.name}: '{quote}' (with {labels[target]})")
        if not (field.name == "title" and mostly_capitals(field.raw)):
            for ab, start, end in tax._abbrevs.scan(field):
                if not field.dismissed(start) and tax._guard_ok(ab, doc, field.raw, end):
                    add(ab.target, rank, f"{field.name}: '{field.raw[start:end]}'")
        if field.name != "keyword":
            for tag_id, start, end in dose_cues(field.raw, tax._dose_rules):
                if field.dismissed(start):
                    continue
                quote = " ".join(field.raw[start:end].split())
                add(tag_id, rank, f"{field.name}: '{quote}'")


def _apply_implies(kept: dict[str, tuple[int, str]], doc: Doc, tax: Taxonomy) -> None:
    """Tag-level co-suggestions (MISt -> percutaneous screws, hybrid -> SBRT), to a fixpoint."""
    changed = True
    while changed:
        changed = False
        for tag_id in sorted(kept, key=tax._order.__getitem__):
            for implied in tax._implies.get(tag_id, ()):
                if implied not in kept and tax._context_ok(implied, doc):
                    label = tax._by_id[tag_id].label
                    kept[implied] = (RANK_COTAG, f"{kept[tag_id][1]} (with {label})")
                    changed = True


def _resolve_groups(kept: Mapping[str, tuple[int, str]], tax: Taxonomy) -> set[str]:
    leaves = {t for t in kept if tax._by_id[t].kind == "leaf"}
    groups = {t for t in kept if tax._by_id[t].kind == "group"
              and not (tax.descendants(t) & leaves)}

    def explained(group: str) -> bool:
        refs = set().union(*(tax.descendants(r) for r in tax._explained_by.get(group, ())))
        return bool(refs & (leaves | (groups - {group})))

    return leaves | {g for g in groups if not explained(g)}
