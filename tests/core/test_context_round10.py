"""Suggestion rules added in issue 22's tenth round, one class of error per test, on sentences
written for this file (the labelled sets in tests/data/taxonomy/ measure the whole; see
test_taxonomy_quality.py).

Round 10 tuned on round9_heldout (a tuning split since round 10): each rule was measured on every
split before it was kept. Every test holds a counter-example that must stay suggested, so a
rule that only removes cannot pass unnoticed.
"""

from __future__ import annotations

import pytest

from spinelib.records import MeshHeading
from spinelib.vocabulary import Taxonomy
from spinelib.vocabulary.context import Status
from tests.core.test_context import got, rec, statuses, tax, why_not

__all__ = ["tax"]  # the module-scoped fixture, shared with test_context.py

RADIOTHERAPY = MeshHeading("D011878", "Radiotherapy")
TITLE = "Vertebral height loss after spinal irradiation in childhood: a survivor cohort"


# -- a broad MeSH heading indexes the exposure the text calls a prior treatment ---------------


def test_broad_mesh_group_of_a_prior_treatment_is_not_suggested(tax: Taxonomy) -> None:
    record = rec(TITLE,
                 "Methods: Survivors who had received conventionally fractionated radiotherapy "
                 "to fields including vertebrae before age 15 years underwent spine "
                 "radiographs. Results: Height loss was present in 19%.", mesh=[RADIOTHERAPY])
    found = got(record, tax)
    assert "radiotherapy" not in found
    assert "prior treatment" in why_not(record, tax)["radiotherapy"]


def test_broad_mesh_group_stays_when_the_text_names_no_prior_treatment(tax: Taxonomy) -> None:
    record = rec(TITLE,
                 "Methods: We measured vertebral height in 80 survivors and their siblings. "
                 "Results: Height loss was present in 19%.", mesh=[RADIOTHERAPY])
    assert "radiotherapy" in got(record, tax)


def test_a_studied_technique_under_the_heading_keeps_its_tag(tax: Taxonomy) -> None:
    record = rec("Conventional radiotherapy for spinal metastases: pain at three months",
                 "Methods: Eighty patients received conventional radiotherapy of 30 Gy in 10 "
                 "fractions. Results: Pain improved in 70%.", mesh=[RADIOTHERAPY])
    assert "conventional_ebrt" in got(record, tax)


# -- "no patient in this cohort underwent X": the subject's own phrase does not end negation --


@pytest.mark.parametrize("subject", ["No patient in this cohort", "No patient in either arm",
                                     "No patient of the 61"])
def test_negated_subject_with_its_phrase_negates_what_follows(tax: Taxonomy,
                                                              subject: str) -> None:
    text = f"Results: {subject} underwent vertebroplasty or kyphoplasty during follow-up."
    assert Status.NEGATED in statuses(tax, text, "vertebroplasty")


def test_a_treatment_after_a_negated_finding_stays_unnegated(tax: Taxonomy) -> None:
    for text in ("Results: No leakage of cement occurred after vertebroplasty.",
                 "Results: No recurrence in the treated segment was seen after kyphoplasty "
                 "in 40 patients."):
        phrase = "vertebroplasty" if "vertebroplasty" in text else "kyphoplasty"
        assert Status.NEGATED not in statuses(tax, text, phrase)


def test_a_cohort_that_had_augmentation_keeps_the_tag(tax: Taxonomy) -> None:
    record = rec("Vertebroplasty for painful myeloma fractures",
                 "Methods: Forty patients in this cohort underwent vertebroplasty. Results: "
                 "Pain improved in 36.")
    assert "percutaneous_vertebroplasty" in got(record, tax)
