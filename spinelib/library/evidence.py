"""The evidence room: an article's study fields for an evidence table, suggested where the
library can (OCEBM 2011 level from the study design, number of patients from the abstract)
and confirmed or typed by the reader.

A suggestion carries its reason and is never stored: only what the user sets is, so a
better suggestion rule later changes unconfirmed values and never the reader's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from spinelib.errors import SpineLibError
from spinelib.safety_results import EVIDENCE_FIELDS, RETRACTING, Evidence

if TYPE_CHECKING:
    from spinelib.library.facade import Library

#: Study design facet value -> (OCEBM 2011 level, why), for questions of treatment benefit.
OCEBM_BY_DESIGN: dict[str, tuple[str, str]] = {
    "meta_analysis": ("1", "meta-analysis (OCEBM 2011 level 1 if of randomised trials)"),
    "systematic_review": ("1", "systematic review (OCEBM 2011 level 1 if of randomised "
                               "trials)"),
    "rct": ("2", "randomised trial (OCEBM 2011 level 2)"),
    "controlled_trial_non_randomised": ("3", "non-randomised controlled study "
                                             "(OCEBM 2011 level 3)"),
    "clinical_trial": ("3", "clinical trial without stated randomisation (OCEBM 2011 "
                            "level 3)"),
    "prospective_cohort": ("3", "cohort study (OCEBM 2011 level 3)"),
    "retrospective_cohort": ("3", "cohort study (OCEBM 2011 level 3)"),
    "case_control": ("4", "case-control study (OCEBM 2011 level 4)"),
    "cross_sectional": ("4", "cross-sectional study (OCEBM 2011 level 4)"),
    "observational": ("4", "observational study (OCEBM 2011 level 4)"),
    "case_series": ("4", "case series (OCEBM 2011 level 4)"),
    "case_report": ("4", "case report (below a case series; OCEBM 2011 level 4)"),
    "guideline_consensus": ("5", "consensus / guideline (OCEBM 2011 level 5)"),
    "narrative_review": ("5", "narrative review: expert opinion (OCEBM 2011 level 5)"),
    "editorial_letter": ("5", "editorial or letter: expert opinion (OCEBM 2011 level 5)"),
}
#: Record type -> (level, why), where no study design was found: a textbook's chapter (or the
#: book) is an expert's summary, as a narrative review is.
OCEBM_BY_TYPE: dict[str, tuple[str, str]] = {
    "chapter": ("5", "textbook chapter: expert opinion (OCEBM 2011 level 5)"),
    "book": ("5", "textbook: expert opinion (OCEBM 2011 level 5)"),
}
LEVELS = ("1", "2", "3", "4", "5")
_PATIENTS = re.compile(
    r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+(?:(?:consecutive|adult|eligible|pediatric|paediatric)\s+)?"
    r"(patients|participants|subjects|cases)\b", re.I)


def suggest_n(abstract: str) -> tuple[str, str]:
    """(number of patients, reason) from the first "51 patients" in ``abstract``."""
    m = _PATIENTS.search(abstract)
    if not m:
        return "", ""
    return m.group(1).replace(",", ""), f"abstract: '{m.group(0)}'"


def _check(field: str, value: str) -> str:
    value = value.strip()
    if field == "level" and value and value not in LEVELS:
        raise SpineLibError(f"level must be one of {', '.join(LEVELS)} (OCEBM 2011); "
                            f"got {value!r}")
    if field == "n" and value and not (value.isdigit() and int(value) > 0):
        raise SpineLibError(f"n must be a whole number of patients; got {value!r}")
    return value


class EvidenceManager:
    """``lib.evidence``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def get(self, article_id: int) -> Evidence:
        """The article's study fields: what the user set, else the suggestions."""
        return self.many([article_id])[article_id]

    def many(self, article_ids: Sequence[int]) -> dict[int, Evidence]:
        with self.store.reading() as conn:
            stored = self.store.evidence.get(conn, article_ids)
        out: dict[int, Evidence] = {}
        for aid in article_ids:
            out[aid] = self._merge(aid, stored.get(aid))
        return out

    def _merge(self, article_id: int, stored: Mapping[str, Any] | None) -> Evidence:
        ev = Evidence()
        if stored:
            ev.comparator, ev.follow_up = stored["comparator"], stored["follow_up"]
            ev.outcomes, ev.notes = stored["outcomes"], stored["notes"]
            if stored["level_confirmed"]:
                ev.level, ev.level_confirmed = stored["level"], True
                ev.level_reason = "confirmed by the reader"
            if stored["n_confirmed"]:
                ev.n, ev.n_confirmed, ev.n_reason = stored["n"], True, "confirmed by the reader"
        record = self.lib.articles.record(article_id)
        if not ev.level_confirmed:
            designs = [f.value for f in self.lib.articles.facets(article_id)
                       if f.facet == "design"]
            for design in designs:
                if design in OCEBM_BY_DESIGN:
                    ev.level, ev.level_reason = OCEBM_BY_DESIGN[design]
                    break
            else:
                ev.level, ev.level_reason = OCEBM_BY_TYPE.get(record.type, ("", ""))
        if not ev.n_confirmed:
            ev.n, ev.n_reason = suggest_n(record.abstract)
        return ev

    def set(self, article_id: int, values: Mapping[str, str]) -> Evidence:
        """Set study fields (``level``, ``n``, ``comparator``, ``follow_up``, ``outcomes``,
        ``notes``); setting ``level`` or ``n`` confirms it, an empty value returns it to
        the suggestion. Bad names or values are refused before anything is stored."""
        unknown = [k for k in values if k not in EVIDENCE_FIELDS]
        if unknown:
            raise SpineLibError(f"unknown study field {unknown[0]!r}; expected one of "
                                f"{', '.join(EVIDENCE_FIELDS)}")
        clean = {k: _check(k, v) for k, v in values.items()}
        with self.store.writing() as conn:
            row: dict[str, Any] = self.store.evidence.get(conn, [article_id]).get(article_id) \
                or {"level": "", "level_confirmed": 0, "n": "", "n_confirmed": 0,
                    "comparator": "", "follow_up": "", "outcomes": "", "notes": ""}
            row = dict(row)
            for key, value in clean.items():
                row[key] = value
                if key in ("level", "n"):
                    row[f"{key}_confirmed"] = int(bool(value))
            self.store.evidence.put(conn, article_id, row)
        return self.get(article_id)

    def table_rows(self, article_ids: Sequence[int]) -> list[list[str | int | None]]:
        """One evidence-table row per article, in :data:`formats.evidence_table.HEADER`
        order."""
        records = self.lib.articles.records(article_ids, with_references=False)
        evidence = self.many(article_ids)
        labels = self.lib.taxonomy.facet_values
        rows: list[list[str | int | None]] = []
        for aid, rec in zip(article_ids, records, strict=True):
            ev = evidence[aid]
            facets: dict[str, list[str]] = {}
            for f in self.lib.articles.facets(aid):
                label = dict(labels.get(f.facet, [])).get(f.value, f.value)
                facets.setdefault(f.facet, []).append(label)
            # The vocabulary's techniques only: "Journal club" is the reader's, not a study's.
            techniques = [t.label for t in self.lib.tags.state(aid).tags
                          if self.lib.taxonomy.get(t.id) is not None]
            flag = self.lib.retractions.flag(aid)
            # As the table and citations write a name ("Bilsky MH" from given "M. H." when
            # a file gave no initials; a group's name).
            author = rec.authors[0].display() if rec.authors else ""
            rows.append([
                rec.citekey, author, rec.year, rec.journal or rec.journal_abbrev, rec.pmid,
                rec.doi, "; ".join(facets.get("design", [])), ev.level, ev.level_reason, ev.n,
                "; ".join(facets.get("histology", [])), "; ".join(facets.get("region", [])),
                "; ".join(techniques), ev.comparator, ev.follow_up, ev.outcomes, ev.notes,
                "yes" if flag is not None and flag.nature in RETRACTING else "no",
                self.lib.articles.state(aid).read_status.label])
        return rows
