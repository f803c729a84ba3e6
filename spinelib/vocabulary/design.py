"""Study design: one value per record, from publication types, design MeSH and wording.

The brief's precedence (the order of the design values in the vocabulary file) decides between
several candidates. An explicit, *strong* publication type (RCT, meta-analysis, ...) settles
it; otherwise design MeSH headings and text cues ("retrospective", "we prospectively
enrolled") add candidates; a record with none but a patient count ("twelve patients were
treated") is a case series.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.phrases import PhraseIndex, make_term
from spinelib.vocabulary.scan import ascii_lower, mentions
from spinelib.vocabulary.schema import SchemaError

_SMALL_NUMBERS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                  "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
#: "Twelve patients were treated", "We report 11 patients": a series, when nothing else says so.
_PATIENT_COUNT = re.compile(
    rf"\b(?:\d+|(?:{_TENS})(?:[- ](?:{_SMALL_NUMBERS}))?|{_SMALL_NUMBERS}|(?:one|two|three) hundred"
    rf"(?: and [a-z-]+)?)\s+(?:consecutive\s+)?(?:patients|cases|adults|children)\b", re.I)
_PATIENT_WORDS = ("patients", "cases", "adults", "children")


class DesignRules:
    """Study design from publication types, design MeSH headings and text cues (brief 3.3)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.precedence = [str(v["id"]) for v in raw.get("values", ())]
        self.strong = frozenset(raw.get("strong", ()))
        self.by_ui: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for pt in raw.get("publication_types", ()):
            self.by_ui[str(pt["ui"])] = str(pt["value"])
            self.by_name[str(pt["name"]).casefold()] = str(pt["value"])
        self.mesh = {str(m["ui"]): (str(m["value"]), str(m.get("heading", m["ui"])))
                     for m in raw.get("mesh", ())}
        cues = raw.get("text_cues", {})
        self.cues = PhraseIndex(make_term(text, cue) for cue, texts in cues.items()
                                for text in texts)
        for name in ("values", "publication_types"):
            if not raw.get(name):
                raise SchemaError(f"facet 'design' needs {name!r}")
        unknown = {v for v in (*self.by_ui.values(), *self.strong) if v not in self.precedence}
        if unknown:
            raise SchemaError(f"facet 'design' refers to unknown values {sorted(unknown)}")

    def _cues_in(self, doc: Doc, names: Sequence[str]) -> dict[str, str]:
        """First occurrence of each text cue in the named fields, with its quoted reason."""
        out: dict[str, str] = {}
        for field in doc.fields:
            if field.name in names:
                for hit in self.cues.scan(field.folded):
                    quote = field.folded.quote(field.raw, hit.first, hit.last)
                    out.setdefault(hit.term.target, f"{field.name}: '{quote}'")
        return out

    def decide(self, doc: Doc) -> dict[str, str]:
        """{design value: reason} for the one design of ``doc``, or {} when nothing says."""
        cands: dict[str, str] = {}
        for pt in doc.record.publication_types:
            key = pt.strip()
            value = self.by_ui.get(key.upper()) or self.by_name.get(key.casefold())
            if value:
                cands.setdefault(value, f"publication type: {key}")
        title = self._cues_in(doc, ("title",))
        text = self._cues_in(doc, ("title", "abstract"))
        for cue in ("systematic_review", "meta_analysis"):
            if cue in title:
                cands.setdefault(cue, title[cue])
        if "narrative_review" in cands and "systematic_review" in text:
            cands.setdefault("systematic_review", text["systematic_review"])
        if not (set(cands) & self.strong):
            self._weak_evidence(doc, text, cands)
        if not cands:
            abstract = doc.record.abstract or ""
            patients = (_PATIENT_COUNT.search(abstract)
                        if mentions(ascii_lower(abstract), _PATIENT_WORDS) else None)
            if not patients:
                return {}
            # Brief 3.3: most spine-oncology papers without any design label are case series.
            cands["case_series"] = f"abstract: '{' '.join(patients.group(0).split())}'"
        best = min(cands, key=self.precedence.index)
        return {best: cands[best]}

    def _weak_evidence(self, doc: Doc, text: dict[str, str], cands: dict[str, str]) -> None:
        """Designs read from MeSH headings and wording when no explicit PT settles it."""
        flags: dict[str, str] = {}
        for ui, (flag, heading) in self.mesh.items():
            if ui in doc.mesh:
                flags.setdefault(flag, doc.mesh_reason(ui, heading))
        for cue, reason in text.items():
            flags.setdefault(cue, reason)
        if "rct" in flags and "rct_negations" not in flags:
            cands.setdefault("rct", flags["rct"])
        for cue in ("systematic_review", "validation_reliability", "case_control",
                    "cross_sectional", "case_series", "case_report"):
            if cue in flags:
                cands.setdefault(cue, flags[cue])
        comparative = "comparative" in flags or "cohort" in flags or any(
            p.strip().casefold() == "comparative study" for p in doc.record.publication_types)
        if "retrospective" in flags:
            cands.setdefault("retrospective_cohort" if comparative else "case_series",
                             flags["retrospective"])
        elif "prospective" in flags and "prospective_but_retrospective" not in flags:
            cands.setdefault("prospective_cohort", flags["prospective"])
