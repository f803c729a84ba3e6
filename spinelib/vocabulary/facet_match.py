"""Facet values for a record: histology, region, design and scores, each with a quoted reason.

Histology, region and score values come from each facet's MeSH UIs, terms, guarded
abbreviations and counted site words (:mod:`.facet_spec`); region adds vertebral levels
(:mod:`.levels`); design is decided on its own rules (:mod:`.design`).
"""

from __future__ import annotations

from collections.abc import Iterator

from spinelib.records import ArticleRecord
from spinelib.vocabulary.abbreviations import mostly_capitals
from spinelib.vocabulary.document import RANK_FIELD, RANK_MESH, Doc, Field
from spinelib.vocabulary.facet_registry import FACETS
from spinelib.vocabulary.facet_spec import FacetSpec
from spinelib.vocabulary.levels import region_extras
from spinelib.vocabulary.model import FacetValue
from spinelib.vocabulary.taxonomy import Taxonomy


def facets(record: ArticleRecord, taxonomy: Taxonomy, doc: Doc | None = None
           ) -> list[FacetValue]:
    """Histology, region, design and score values for ``record``, each with a quoted reason.

    Order: by facet (see :data:`~.facet_registry.FACETS`), then by vocabulary order of the
    values. Design gives at most one value (the brief's precedence decides between several).
    ``doc``: the record's :class:`Doc` when the caller already folded it (:mod:`.batch`).
    """
    doc = doc if doc is not None else Doc(record)
    out: list[FacetValue] = []
    for name in FACETS:
        if name == "design":
            found = taxonomy._design.decide(doc)
        else:
            found = _facet_matches(name, doc, taxonomy)
            if name == "region":
                spine = (taxonomy._has_context("spine", doc) if "spine" in taxonomy._contexts
                         else True)
                region_extras(doc, taxonomy._levels, spine, found)
        order = [v for v, _ in taxonomy.facet_values[name]]
        for value in sorted(found, key=order.index):
            out.append(FacetValue(name, value, taxonomy._facet_labels[(name, value)], found[value]))
    return out


def _facet_matches(name: str, doc: Doc, tax: Taxonomy) -> dict[str, str]:
    spec = tax._facets[name]
    found: dict[str, tuple[int, str]] = {}
    for value, reason in _mesh_matches(spec, doc):
        _keep_best(found, value, RANK_MESH, reason)
    for field in doc.fields:
        rank = RANK_FIELD[field.name]
        for value, reason in _field_matches(spec, field, doc, tax):
            _keep_best(found, value, rank, reason)
    return {v: r for v, (_, r) in found.items()}


def _keep_best(found: dict[str, tuple[int, str]], value: str, rank: int, reason: str) -> None:
    """Record ``value`` with ``reason`` unless it already has one of the same or better rank."""
    if value not in found or rank < found[value][0]:
        found[value] = (rank, reason)


def _mesh_matches(spec: FacetSpec, doc: Doc) -> Iterator[tuple[str, str]]:
    """(value, reason) for the record's MeSH headings that name a value of the facet."""
    for ui, heading in doc.mesh.items():
        entries = spec.mesh.get(ui)
        if not entries:
            continue  # most headings name no value of this facet
        quals = {q.casefold() for q in heading.qualifiers}
        for value, fallback, is_site in entries:
            # Lung Neoplasms/secondary = metastases *to* the lung, not a lung primary.
            if not (is_site and quals & spec.ignore_qualifiers):
                yield value, doc.mesh_reason(ui, fallback)


def _field_matches(spec: FacetSpec, field: Field, doc: Doc, tax: Taxonomy
                   ) -> Iterator[tuple[str, str]]:
    """(value, reason) from one field: its terms, then abbreviations, then counted words."""
    yield from _term_matches(spec, field)
    if not (field.name == "title" and mostly_capitals(field.raw)):
        yield from _abbrev_matches(spec, field, doc, tax)
    yield from _counted(spec, field, doc, tax)


def _term_matches(spec: FacetSpec, field: Field) -> Iterator[tuple[str, str]]:
    """(value, reason) for the facet's terms in the field, each term's extra values too."""
    for hit in spec.terms.scan(field.folded):
        start = field.folded.starts[hit.first]
        if not hit.term.target or (spec.skip_excluded and field.dismissed(start, hit.first)):
            continue
        quote = field.folded.quote(field.raw, hit.first, hit.last)
        for value in (hit.term.target, *hit.term.also):
            yield value, f"{field.name}: '{quote}'"


def _abbrev_matches(spec: FacetSpec, field: Field, doc: Doc, tax: Taxonomy
                    ) -> Iterator[tuple[str, str]]:
    """(value, reason) for the facet's abbreviations in the field that pass their guards."""
    for ab, start, end in spec.abbrevs.scan(field):
        if spec.skip_excluded and field.dismissed(start):
            continue
        if tax._guard_ok(ab, doc, field.raw, end):
            yield ab.target, f"{field.name}: '{field.raw[start:end]}'"


def _counted(spec: FacetSpec, field: Field, doc: Doc, tax: Taxonomy
             ) -> Iterator[tuple[str, str]]:
    """(value, reason) for bare site words counted in a breakdown: '(breast 6, lung 5)'."""
    if spec.counted_scan is None or field.name == "keyword":
        return
    if spec.counted_context and not tax._has_context(spec.counted_context, doc):
        return
    for m in spec.counted_scan.finditer(field.raw, field.lowered):
        if not (spec.skip_excluded and field.dismissed(m.start())):
            value = spec.counted_values[m.group(1).casefold()]
            yield value, f"{field.name}: '{m.group(0).strip()}'"
