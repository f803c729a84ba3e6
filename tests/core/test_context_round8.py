"""Suggestion rules added in issue 22's eighth round, one class of error per test, on sentences
written for this file (the labelled sets in tests/data/taxonomy/ measure the whole; see
test_taxonomy_quality.py).

Round 8 looked first for structural rules that separate the study's own technique from a
treatment its patients had, will have or were assessed for (each measured on every split and on
the blind sets' first runs before it was kept), then fixed the class behind round7_heldout's
remaining errors (a tuning split since round 8). Every test holds a counter-example that must
stay suggested, so a rule that only removes cannot pass unnoticed.
"""

from __future__ import annotations

import pytest

from spinelib.vocabulary import Taxonomy
from spinelib.vocabulary.context import Status
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.imaging_title import imaging_title
from tests.core.test_context import got, rec, statuses, tax, why_not

__all__ = ["tax"]  # the module-scoped fixture, shared with test_context.py


# -- a study of images names treatments as why patients were imaged -------------------------

_READERS = ("Methods: Two readers rated 90 fractures in patients referred for vertebroplasty "
            "and assessed each sign. Results: Agreement was good (kappa 0.71).")


@pytest.mark.parametrize("title", [
    "Inter-reader reliability of CT signs of vertebral collapse",
    "Diffusion-weighted MRI of benign and malignant vertebral fractures",
    "Radiomics of spinal metastases on computed tomography",
    "Agreement between radiologists on the fluid sign",
])
def test_a_study_of_images_does_not_count_the_treatments_of_its_body(
        title: str, tax: Taxonomy) -> None:
    record = rec(title, _READERS)
    assert imaging_title(Doc(record), tax)
    assert "percutaneous_vertebroplasty" not in got(record, tax)
    assert "study of images" in why_not(record, tax)["percutaneous_vertebroplasty"]


@pytest.mark.parametrize("title", [
    # the title names a technique: the study is about it, imaged or not
    "MRI after vertebroplasty: cement distribution and new fractures",
    "CT-guided vertebroplasty of painful metastases",           # guidance, not the subject
    "Fractures after pelvic radiotherapy: incidence on routine MRI",  # bare radiotherapy too
    "Outcomes of cement injection in 90 patients",              # no imaging word at all
])
def test_a_title_naming_a_technique_or_no_image_keeps_the_body_counting(
        title: str, tax: Taxonomy) -> None:
    record = rec(title, "Methods: Ninety patients underwent percutaneous vertebroplasty. "
                        "Results: Pain improved.")
    assert "percutaneous_vertebroplasty" in got(record, tax)


def test_a_study_of_images_still_counts_its_objective(tax: Taxonomy) -> None:
    record = rec("Diffusion MRI of vertebral fractures",
                 "Objective: To assess whether diffusion MRI predicts pain relief after "
                 "percutaneous vertebroplasty. Methods: Forty patients were scanned.")
    assert "percutaneous_vertebroplasty" in got(record, tax)


# -- bone cement as a test object in a phantom ------------------------------------------------


def test_cement_in_a_dosimetry_phantom_is_no_augmentation(tax: Taxonomy) -> None:
    record = rec("Dose near bone cement: spine radiosurgery plans in a phantom after simulated "
                 "kyphoplasty",
                 "Methods: A lumbar phantom held 5 mL of PMMA placed as in a balloon "
                 "kyphoplasty; stereotactic radiosurgery plans of 24 Gy in 2 fractions were "
                 "measured with film. Results: Doses differed by 3%.")
    found = got(record, tax)
    assert "balloon_kyphoplasty" not in found and "vertebral_augmentation" not in found
    assert "sbrt_srs" in found  # what the phantom received is still what was studied


def test_a_kyphoplasty_series_without_a_phantom_keeps_its_tag(tax: Taxonomy) -> None:
    record = rec("Dose near bone cement: radiosurgery after balloon kyphoplasty",
                 "Methods: Thirty patients had balloon kyphoplasty and then stereotactic "
                 "radiosurgery of 24 Gy in 2 fractions. Results: No fracture progressed.")
    assert {"balloon_kyphoplasty", "sbrt_srs"} <= set(got(record, tax))


# -- a sequence ends what a negation governs -------------------------------------------------


def test_followed_by_ends_a_negations_scope(tax: Taxonomy) -> None:
    text = ("Methods: Forty patients had decompressive laminectomy without instrumentation "
            "followed by 30 Gy in 10 fractions.")
    assert Status.NEGATED in statuses(tax, text, "instrumentation")
    assert not statuses(tax, text, "30 Gy in 10 fractions")
    found = got(rec("Walking after surgery for cord compression", text), tax)
    assert "conventional_ebrt" in found and "fixation_stabilisation" not in found


def test_followed_by_does_not_end_a_backward_hypothetical(tax: Taxonomy) -> None:
    text = ("Conclusions: A randomised comparison with separation surgery followed by "
            "radiosurgery is warranted.")
    assert Status.HYPOTHETICAL in statuses(tax, text, "separation surgery")
    assert Status.HYPOTHETICAL in statuses(tax, text, "radiosurgery")
    # and an ordinary negation without a sequence reads on as before
    assert Status.NEGATED in statuses(tax, "Methods: No embolisation or instrumentation was "
                                            "used.", "instrumentation")


# -- a treatment offered and declined -------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Three patients were considered for posterior stabilisation but declined.",
    "Two patients were offered kyphoplasty but refused.",
    "One patient was referred for vertebroplasty but opted against it.",
])
def test_a_treatment_declined_after_but_is_negated(sentence: str, tax: Taxonomy) -> None:
    text = "Methods: Sixty patients received 20 Gy in 5 fractions. " + sentence
    found = got(rec("Radiotherapy alone for myeloma cord compression", text), tax)
    assert "conventional_ebrt" in found
    assert not {"open_posterior_instrumentation", "balloon_kyphoplasty",
                "percutaneous_vertebroplasty"} & set(found)


def test_declining_something_else_leaves_the_treatment_counted(tax: Taxonomy) -> None:
    text = ("Methods: Forty patients underwent balloon kyphoplasty; pain improved but "
            "declined again by 12 months.")
    assert not statuses(tax, text, "balloon kyphoplasty")


# -- a later need for a treatment is an outcome ----------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Spinal fusion for deformity was eventually needed in 6 children.",
    "Posterior fixation was later required in four patients.",
    "Kyphoplasty was subsequently needed at two adjacent levels.",
])
def test_a_treatment_needed_later_is_an_outcome(sentence: str, tax: Taxonomy) -> None:
    text = ("Methods: We reviewed 44 children who had laminectomy for epidural tumour. "
            "Results: " + sentence)
    found = got(rec("Deformity after laminectomy in children", text), tax)
    assert "decompressive_laminectomy" in found
    assert not {"fixation_stabilisation", "open_posterior_instrumentation",
                "balloon_kyphoplasty"} & set(found)


def test_a_treatment_performed_in_sequence_is_still_counted(tax: Taxonomy) -> None:
    # a case report tells its own treatment in sequence: "performed", not "needed", is kept
    text = ("A biopsy confirmed myeloma. Balloon kyphoplasty was subsequently performed at L1 "
            "and pain resolved.")
    assert "balloon_kyphoplasty" in got(rec("Myeloma of L1: a case report", text), tax)


# -- names in the words of their class -------------------------------------------------------


@pytest.mark.parametrize(("text", "tag"), [
    ("Methods: Twelve patients had a high sacrectomy with wide margins for chordoma.",
     "en_bloc_spondylectomy"),
    ("Methods: The tumour was resected with en bloc removal of the adjacent hemivertebra.",
     "en_bloc_spondylectomy"),
    ("Methods: Patients given a second palliative course of 8 Gy to the same vertebra were "
     "reviewed.", "reirradiation"),
    ("Methods: We report repeat conventional irradiation of painful spinal metastases.",
     "reirradiation"),
    ("Methods: Screws were placed under augmented-reality guidance in 40 patients.",
     "navigation"),
    ("Methods: Fractures were treated with an intravertebral reduction device filled with "
     "cement.", "vertebral_body_stenting"),
    ("Methods: Pedicle screws were placed through stab incisions over guidewires.",
     "percutaneous_pedicle_screw_fixation"),
])
def test_names_of_a_technique_in_other_words(text: str, tag: str, tax: Taxonomy) -> None:
    assert tag in got(rec("Outcomes in spinal metastases", text), tax)


def test_stab_incisions_against_a_midline_exposure_name_both_routes(tax: Taxonomy) -> None:
    found = got(rec("Stab-incision versus midline open screw placement for spinal metastases",
                    "Methods: We compared the two routes."), tax)
    assert {"percutaneous_pedicle_screw_fixation", "open_posterior_instrumentation"} <= set(
        found)


@pytest.mark.parametrize("text", [
    # the words only where the technique is an alternative, a stab incision without screws
    "Conclusions: Carbon-ion radiotherapy is an alternative to sacrectomy for sacral chordoma.",
    "Methods: The trocar for vertebroplasty was passed through a stab incision.",
])
def test_the_new_names_keep_their_guards(text: str, tax: Taxonomy) -> None:
    found = got(rec("Outcomes in spinal metastases", text), tax)
    assert "en_bloc_spondylectomy" not in found
    assert "percutaneous_pedicle_screw_fixation" not in found


# -- the earlier course is not the re-treatment ----------------------------------------------


def test_prior_irradiation_as_a_risk_factor_is_no_reirradiation(tax: Taxonomy) -> None:
    text = ("Methods: We compared wound complications after posterior decompression and "
            "pedicle screw instrumentation. Conclusions: Prior irradiation of the field doubled "
            "wound complications.")
    assert "reirradiation" not in got(rec("Wound complications after spine surgery", text), tax)


@pytest.mark.parametrize("text", [
    "Methods: Thirty patients had reirradiation of the spine after prior irradiation.",
    "Methods: Patients with prior radiotherapy to the same level received 24 Gy in 2 "
    "fractions.",
])
def test_a_reirradiation_study_keeps_its_tag(text: str, tax: Taxonomy) -> None:
    assert "reirradiation" in got(rec("Spinal metastases treated again", text), tax)
