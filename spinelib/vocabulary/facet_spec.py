"""One facet's matchers, compiled from its entry in the vocabulary file's 'facets' block.

A facet value is found through MeSH UIs (a *site* heading is ignored under qualifiers such as
'secondary': Lung Neoplasms/secondary means metastases *to* the lung), terms, guarded
abbreviations and, for histology, site words counted in a breakdown ('breast 6, lung 5').
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spinelib.vocabulary.abbreviations import Abbrev, AbbrevIndex, abbrev_from_json
from spinelib.vocabulary.phrases import PhraseIndex, make_term
from spinelib.vocabulary.scan import AnchoredWords
from spinelib.vocabulary.schema import SchemaError, str_list, term_text


@dataclass(frozen=True)
class FacetSpec:
    """The compiled matchers of one facet and its values in vocabulary order."""

    name: str
    label: str
    values: tuple[tuple[str, str], ...]
    terms: PhraseIndex
    abbrevs: AbbrevIndex
    mesh: Mapping[str, tuple[tuple[str, str, bool], ...]]  # ui -> (value, heading, is_site)
    ignore_qualifiers: frozenset[str] = frozenset()  # on site headings ('secondary')
    counted: re.Pattern[str] | None = None  # 'breast 6, lung 5' / 'cervical (n=12)'
    counted_values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    counted_context: str | None = None
    skip_excluded: bool = False  # drop matches in exclusion sentences / after 'without'
    #: ``counted`` tried only where one of its words starts (:class:`~.scan.Anchored`).
    counted_scan: AnchoredWords | None = None


def build_facet(name: str, raw: Any) -> FacetSpec:
    """Facet ``name`` compiled from its JSON object ``raw``."""
    if not isinstance(raw, Mapping):
        raise SchemaError(f"facet {name!r} must be an object")
    values: list[tuple[str, str]] = []
    terms = [make_term(s, "") for s in raw.get("stop_phrases", ())]
    abbrevs: list[Abbrev] = []
    mesh: dict[str, list[tuple[str, str, bool]]] = {}
    for i, value in enumerate(str_list(raw, "values", f"facet {name!r}")):
        vid = value.get("id") if isinstance(value, Mapping) else None
        if not isinstance(vid, str) or not vid:
            raise SchemaError(f"facet {name!r}: value {i + 1} has no 'id'")
        values.append((vid, str(value.get("label") or vid)))
        where = f"facet {name!r} value {vid!r}"
        for item in str_list(value, "terms", where):
            also = tuple(item.get("also", ())) if isinstance(item, Mapping) else ()
            terms.append(make_term(term_text(item, where), vid, also))
        for item in str_list(value, "abbreviations", where):
            abbrevs.append(abbrev_from_json(item, vid, frozenset()))
        for entry in str_list(value, "mesh", where):
            ui = entry.get("ui") if isinstance(entry, Mapping) else None
            if not isinstance(ui, str):
                raise SchemaError(f"{where}: MeSH entry {entry!r} has no UI")
            mesh.setdefault(ui, []).append((vid, str(entry.get("heading", ui)),
                                            bool(entry.get("site"))))
    if len({v for v, _ in values}) != len(values):
        raise SchemaError(f"facet {name!r} has duplicate value ids")
    ignore = frozenset(q.casefold() for q in str_list(raw, "ignore_mesh_qualifiers", name))
    counted_values = {str(w).casefold(): v["id"] for v in raw.get("values", ())
                      for w in str_list(v, "count_words", f"facet {name!r}")}
    counted = None
    if counted_values:
        words = "|".join(sorted(map(re.escape, counted_values), key=len, reverse=True))
        counted = re.compile(
            rf"\b({words})\s*(?:\(\s*(?:n\s*=\s*)?\d+(?:\.\d+)?\s*%?\s*\)|(?:n\s*=\s*)?\d+"
            rf"(?:\.\d+)?\s*%?)(?![\w.])(?!\s*(?:months?|years?|weeks?|days?|mm|cm|Gy)\b)", re.I)
    return FacetSpec(name, str(raw.get("label", name)), tuple(values), PhraseIndex(terms),
                     AbbrevIndex(abbrevs), {ui: tuple(v) for ui, v in mesh.items()}, ignore,
                     counted, counted_values, raw.get("count_context"),
                     bool(raw.get("skip_excluded_sentences")),
                     AnchoredWords(counted, counted_values) if counted else None)
