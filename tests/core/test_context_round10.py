"""Suggestion rules added in issue 22's tenth round, one class of error per test, on sentences
written for this file (the labelled sets in tests/data/taxonomy/ measure the whole; see
test_taxonomy_quality.py).

Round 10 tuned on round9_heldout (a tuning split since round 10): each rule was measured on every
split before it was kept. Every test holds a counter-example that must stay suggested, so a
rule that only removes cannot pass unnoticed.
"""

from __future__ import annotations

from spinelib.records import MeshHeading
from spinelib.vocabulary import Taxonomy
from tests.core.test_context import got, rec, tax, why_not

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
