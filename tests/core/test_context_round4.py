"""Suggestion rules added in issue 22's fourth round, one rule per test on records written for
it (the labelled sets in tests/data/taxonomy/ measure the whole; see test_taxonomy_quality.py).

Each rule came from a disagreement on a tuning split (final_heldout, fresh_heldout) and is
written generally: a survey's results are what respondents use; "later received" is an
outcome; "confirmed by" introduces a reference standard; "instrumented fusion" and lateral
mass screws are posterior instrumentation; "-type"/"-like" compares rather than names; a MeSH
heading counts once per tag.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinelib.errors import SpineLibError
from spinelib.records import MeshHeading
from spinelib.vocabulary import Taxonomy, load_taxonomy
from tests.core.test_context import got, rec, tax, why_not

__all__ = ["tax"]  # the module-scoped fixture, shared with test_context.py


RESULTS = ("RESULTS: Single-fraction 8 Gy was used for 70% of painful spinal metastases and "
           "stereotactic body radiotherapy by 40% for oligometastases.")


def test_a_surveys_results_are_what_respondents_use(tax: Taxonomy) -> None:
    survey = rec("Patterns of care for spinal metastases: a survey of radiation oncologists",
                 "METHODS: We surveyed 140 radiation oncologists.\n\n" + RESULTS)
    assert got(survey, tax) == {}
    assert "in a survey a technique counts" in why_not(survey, tax)["sbrt_srs"]
    # the same results sentence in a treatment series is what the study did
    series = rec("Radiotherapy for spinal metastases: a single-centre series",
                 "METHODS: We reviewed 140 patients.\n\n" + RESULTS)
    assert {"conventional_ebrt", "sbrt_srs"} <= set(got(series, tax))
    # what a survey states as its aim is still its subject
    titled = rec("Use of stereotactic body radiotherapy for spinal metastases: a national "
                 "survey", "METHODS: We surveyed 90 centres.")
    assert set(got(titled, tax)) == {"sbrt_srs"}


def test_a_skeletal_survey_is_not_a_survey_study(tax: Taxonomy) -> None:
    record = rec("Kyphoplasty for myeloma fractures",
                 "METHODS: All patients had a skeletal survey. RESULTS: After kyphoplasty pain "
                 "fell in 40 of 44.")
    assert "balloon_kyphoplasty" in got(record, tax)


def test_later_received_is_an_outcome_event(tax: Taxonomy) -> None:
    record = rec("Opioid use after palliative radiotherapy for bone metastases",
                 "We studied 400 patients receiving palliative radiotherapy, 61% of them to the "
                 "spine. Patients who later received re-irradiation used more opioids.")
    assert set(got(record, tax)) == {"conventional_ebrt"}
    assert why_not(record, tax)["reirradiation"].startswith(
        "not suggested: an outcome event in")


def test_confirmed_by_names_a_reference_standard(tax: Taxonomy) -> None:
    imaging = rec("MRI features of vertebral metastases and haemangiomas",
                  "Methods: We reviewed 97 lesions with histological confirmation by "
                  "percutaneous biopsy or surgery. Results: Fat favoured haemangioma.")
    assert got(imaging, tax) == {}
    assert "a reference standard" in why_not(imaging, tax)["percutaneous_biopsy"]
    # a biopsy study names its subject in the title, so "confirmed by" there does not hide it
    biopsy = rec("CT-guided biopsy of lytic vertebral lesions",
                 "Results: Malignancy was confirmed by CT-guided biopsy in 85%.")
    assert "percutaneous_biopsy" in got(biopsy, tax)


@pytest.mark.parametrize(("text", "expected"), [
    ("Laminectomy with instrumented fusion for metastatic spinal cord compression",
     {"decompressive_laminectomy", "open_posterior_instrumentation"}),
    ("Costotransversectomy with instrumented fusion for thoracic disc herniation",
     {"posterolateral_transpedicular_approach", "open_posterior_instrumentation"}),
    ("Anterior instrumented fusion after corpectomy for cervical metastases",
     {"corpectomy", "anterior_column_reconstruction"}),
    ("Posterior decompression and lateral mass screw fixation for cervical spine metastases",
     {"decompressive_laminectomy", "open_posterior_instrumentation"}),
    ("Solid cement-augmented pedicle screws with vertebroplasty-type prefilling in spinal "
     "metastases", {"cement_augmented_screws"}),
    ("Intralesional curettage of giant cell tumour of the spine", {"decompression_resection"}),
])
def test_round4_phrasings(tax: Taxonomy, text: str, expected: set[str]) -> None:
    assert set(got(rec(text), tax)) == expected


def test_referred_for_is_a_hypothetical_outside_the_methods(tax: Taxonomy) -> None:
    advice = rec("Reliability of the instability score among radiologists in spinal metastases",
                 "RESULTS: Agreement was good; unstable lesions were referred for surgical "
                 "stabilisation.")
    assert "fixation_stabilisation" not in got(advice, tax)
    cohort = rec("Pain after cement injection in spinal metastases",
                 "METHODS: We reviewed 80 patients referred for vertebroplasty.")
    assert "percutaneous_vertebroplasty" in got(cohort, tax)  # the methods say who was studied


def test_a_mesh_heading_counts_once_per_tag(tax: Taxonomy) -> None:
    """"Spinal Fusion" is specific on the fixation group and broad on open instrumentation:
    a minor heading must stay one weak piece of evidence, not two."""
    minor = MeshHeading("D013123", "Spinal Fusion", major=False)
    major = MeshHeading("D013123", "Spinal Fusion", major=True)
    assert tax._mesh_index["D013123"] == [("fixation_stabilisation", "specific")]
    assert got(rec("Outcomes of spinal metastases", mesh=[minor]), tax) == {}
    assert got(rec("Outcomes of spinal metastases", mesh=[major]), tax) == {
        "fixation_stabilisation": "MeSH Spinal Fusion (D013123)"}


def test_aim_only_contexts_must_name_a_context(tmp_path: Path) -> None:
    data = {"version": 1, "contexts": {"c": {"terms": ["thing"]}},
            "aim_only_contexts": ["ghost"],
            "techniques": [{"id": "group_a", "label": "A", "parent": None,
                            "synonyms": ["leaf"]}],
            "facets": {"design": {"values": [{"id": "rct", "label": "RCT"}],
                                  "publication_types": [{"ui": "D016449", "value": "rct",
                                                         "name": "Randomized Controlled Trial"}]}}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SpineLibError, match="'aim_only_contexts' names unknown context"):
        load_taxonomy(path)
    data["aim_only_contexts"] = ["c"]
    path = tmp_path / "good.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    custom = load_taxonomy(path)
    assert got(rec("a leaf study"), custom) == {"group_a": "title: 'leaf'"}
    assert got(rec("a study of a thing", "RESULTS: the leaf was used."), custom) == {}


def test_the_study_kind_guard_gives_the_full_answer(tax: Taxonomy, tmp_path: Path) -> None:
    """The anchor words only spare records the phrase search: the answer is the same."""
    from spinelib.vocabulary.document import Doc

    texts = [("Practice patterns: a survey of surgeons", ""), ("A national survey", ""),
             ("Kyphoplasty outcomes", "Of 200 respondents, most preferred it."),
             ("Myeloma fractures", "All had a skeletal survey."), ("Plain title", "")]
    for title, abstract in texts:
        doc = Doc(rec(title, abstract))
        full = next((c for c in tax._aim_only_contexts if tax._has_context(c, Doc(
            rec(title, abstract)))), "")
        assert tax._study_kind(doc) == full, title
    data = {"version": 1, "contexts": {"c": {"terms": ["thing*"]}}, "aim_only_contexts": ["c"],
            "techniques": [{"id": "group_a", "label": "A", "parent": None,
                            "synonyms": ["leaf"]}],
            "facets": {"design": {"values": [{"id": "rct", "label": "RCT"}],
                                  "publication_types": [{"ui": "D016449", "value": "rct",
                                                         "name": "Randomized Controlled Trial"}]}}}
    path = tmp_path / "prefix.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    custom = load_taxonomy(path)
    assert custom._aim_only_anchors is None  # a one-word prefix cannot be anchored
    assert got(rec("a study of things", "RESULTS: the leaf was used."), custom) == {}
