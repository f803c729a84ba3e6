"""Suggestion rules added in issue 22's seventh round, one class of error per test, on sentences
written for this file (the labelled sets in tests/data/taxonomy/ measure the whole; see
test_taxonomy_quality.py).

Round 7 looked first for structural rules (where a mention sits, how a section is labelled)
rather than new phrasings, then fixed the class behind each remaining round6_heldout error (a
tuning split since round 7). Every test holds a counter-example that must stay suggested, so a
rule that only removes cannot pass unnoticed.
"""

from __future__ import annotations

import pytest

from spinelib.vocabulary import Taxonomy
from spinelib.vocabulary.sentences import label_role
from tests.core.test_context import got, rec, roles, tax

__all__ = ["tax"]  # the module-scoped fixture, shared with test_context.py


# -- section labels with a qualifier -------------------------------------------------------


@pytest.mark.parametrize(("label", "role"), [
    ("Recent Findings", "results"), ("RECENT FINDINGS", "results"),
    ("Key results", "results"), ("Principal findings", "results"),
    ("MAIN RESULTS", "results"), ("Main outcome measures", "methods"),
    ("OUTCOME MEASURES", "methods"), ("Primary objective", "objective"),
    ("Purpose of Review", "objective"), ("Results", "results"),
])
def test_a_label_may_carry_a_qualifier_before_its_sections_name(label: str,
                                                                 role: str) -> None:
    found = label_role(label)
    assert found is not None and found.value == role


@pytest.mark.parametrize("label", ["Main concern", "Recent years", "Key point of view",
                                   "Results were good"])
def test_a_qualifier_before_an_ordinary_word_is_no_label(label: str) -> None:
    assert label_role(label) is None


def test_a_reviews_findings_section_is_not_its_objective(tax: Taxonomy) -> None:
    text = ("Purpose of Review: Smaller exposures may speed recovery. Recent Findings: "
            "Percutaneous fixation allows radiotherapy to start sooner. Summary: Less "
            "invasive techniques are safe.")
    assert [r for r, _ in roles(text)] == ["objective", "results", "conclusions"]
    # bare "radiotherapy" counts only where a study states its aim: not in its findings
    assert "radiotherapy" not in got(rec("Less invasive surgery for spinal metastases",
                                         text), tax)
    aim = ("Purpose of Review: We review the role of radiotherapy after surgery for spinal "
           "metastases. Recent Findings: Adjuvant treatment improves local control.")
    assert "radiotherapy" in got(rec("Spinal metastases: an update", aim), tax)
