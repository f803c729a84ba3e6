"""Suggestions that read the sentence (issue 22): section roles, ConText, weighting, vetoes.

One rule per test, on small records written for the rule; the labelled sets measure the whole
(test_taxonomy_quality.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from spinelib.errors import SpineLibError
from spinelib.records import ArticleRecord, MeshHeading
from spinelib.vocabulary import Explanation, Taxonomy, explain, load_taxonomy, suggest
from spinelib.vocabulary.context import Status
from spinelib.vocabulary.folding import fold
from spinelib.vocabulary.sentences import Role, sentences


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def rec(title: str = "", abstract: str = "", *, mesh: Sequence[MeshHeading] = ()
        ) -> ArticleRecord:
    return ArticleRecord(title=title, abstract=abstract, mesh=list(mesh))


def got(record: ArticleRecord, tax: Taxonomy) -> dict[str, str]:
    return {s.tag_id: s.reason for s in suggest(record, tax)}


def why_not(record: ArticleRecord, tax: Taxonomy) -> dict[str, str]:
    return {s.tag_id: s.reason for s in explain(record, tax).not_suggested}


def statuses(tax: Taxonomy, text: str, phrase: str) -> set[Status]:
    """What the sentence context says of ``phrase`` inside ``text`` (an abstract)."""
    folded = fold(text)
    ctx = tax._sentence_context.read("abstract", text, folded)
    start = text.index(phrase)
    return set(ctx.place_of_char(start, start + len(phrase)).statuses)


# -- sentences and their roles -------------------------------------------------------------


def roles(text: str) -> list[tuple[str, str]]:
    return [(s.role.value, text[s.start:s.end]) for s in sentences("abstract", text)]


def test_structured_labels_give_the_role_and_are_left_out_of_the_sentence() -> None:
    text = ("BACKGROUND: Surgery helps. It is debated.\n\nMETHODS AND MATERIALS: We treated 9 "
            "patients.\n\nFINDINGS: All walked.\n\nINTERPRETATION: Surgery works.")
    assert roles(text) == [("background", "Surgery helps."), ("background", "It is debated."),
                           ("methods", "We treated 9 patients."), ("results", "All walked."),
                           ("conclusions", "Surgery works.")]


def test_run_in_headings_switch_the_role_inside_one_paragraph() -> None:
    text = "Background: Pain is common. Methods: We reviewed 40 cases. Results: Pain fell 50%."
    assert [r for r, _ in roles(text)] == ["background", "methods", "results"]


def test_unlabelled_abstracts_get_roles_from_their_wording() -> None:
    text = ("Vertebral fractures are painful in myeloma. We treated 20 patients with "
            "kyphoplasty. Pain fell from 8 to 3 in 18 patients. Kyphoplasty is effective.")
    assert [r for r, _ in roles(text)] == ["background", "methods", "results", "conclusions"]
    assert not any(s.labelled for s in sentences("abstract", text))


def test_a_review_without_a_study_sentence_is_content_not_background() -> None:
    text = ("Spinal metastases are common. Embolisation reduces blood loss. "
            "Radiosurgery controls radioresistant tumours. New drugs change the sequence.")
    assert "background" not in [r for r, _ in roles(text)]


def test_context_inside_an_objective_section_is_background() -> None:
    text = ("PURPOSE: Renal cell carcinoma resists conventional radiotherapy. We tested SABR in "
            "42 patients.\n\nRESULTS: Control was 89%.")
    assert [r for r, _ in roles(text)] == ["background", "objective", "results"]
    one = "OBJECTIVE: Postoperative SBRT after decompression: patterns of failure."
    assert [r for r, _ in roles(one)] == ["objective"]  # no aim sentence: the label's role


def test_the_aim_inside_a_background_section_is_the_objective() -> None:
    text = ("BACKGROUND AND PURPOSE: Recurrence after radiotherapy is common. We report "
            "re-irradiation with SBRT.\n\nMETHODS: We reviewed 73 cases.")
    assert [r for r, _ in roles(text)] == ["background", "objective", "methods"]
    run_in = ("Background: Fractures are painful. The aim of this study was to compare two "
              "cements. Methods: We randomised 80 patients.")
    assert [r for r, _ in roles(run_in)] == ["background", "objective", "methods"]
    plain = "BACKGROUND: Surgery helps. It is debated."
    assert [r for r, _ in roles(plain)] == ["background", "background"]


def test_a_sentence_with_a_colon_is_not_a_section_label() -> None:
    text = ("METHODS: We treated 9 patients.\n\nRESULTS: Two groups were compared: A and B. "
            "Results were good: pain fell.")
    assert roles(text)[1:] == [("results", "Two groups were compared: A and B."),
                               ("results", "Results were good: pain fell.")]
    assert roles("Materials and methods: We treated 9 patients.")[0][0] == "methods"


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "We compared kyphoplasty vs. vertebroplasty in 30 patients. Pain fell."
    assert len(sentences("abstract", text)) == 2


def test_titles_and_keywords_are_one_sentence_of_their_own_role() -> None:
    assert [s.role for s in sentences("title", "A: b. C")] == [Role.TITLE]
    assert [s.role for s in sentences("keyword", "SBRT; PKP")] == [Role.KEYWORD]


# -- ConText: triggers, scopes, pseudo-triggers -------------------------------------------


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("No patient underwent vertebroplasty before SBRT.", "vertebroplasty", {Status.NEGATED}),
    ("No patient underwent vertebroplasty before SBRT.", "SBRT", set()),  # 'before' ends it
    ("Robotic guidance was not available.", "Robotic guidance", {Status.NEGATED}),
    ("Embolisation was considered but not pursued.", "Embolisation", {Status.NEGATED}),
    ("Decompression with or without fixation was done.", "fixation", set()),  # pseudo
    ("Patients treated without decompression did well.", "decompression", {Status.NEGATED}),
    ("Twelve did not undergo surgery and received radiotherapy alone.", "radiotherapy", set()),
    ("Vertebroplasty was not superior to kyphoplasty.", "Vertebroplasty", set()),  # pseudo
    ("Surgery was not done, but kyphoplasty was.", "kyphoplasty", set()),  # 'but' ends it
    ("Forty had previously received radiotherapy to the spine.", "radiotherapy",
     {Status.HISTORICAL}),
    ("Three had recurrent chordoma after surgery and particle therapy.", "particle therapy",
     {Status.HISTORICAL}),
    ("Radiotherapy was given before referral in 40%.", "Radiotherapy", {Status.HISTORICAL}),
    ("Embolisation prior to surgery was done in 30.", "Embolisation", set()),  # pseudo
    ("Six patients later required sacroplasty.", "sacroplasty", {Status.OUTCOME}),
    ("Events were fracture, palliative radiotherapy to bone or surgery to bone, defined as "
     "skeletal-related events.", "palliative radiotherapy", {Status.OUTCOME}),
    ("Three patients needed revision fixation for hardware failure.", "fixation",
     {Status.OUTCOME}),
    ("They were compared with a historical cohort treated with conventional radiotherapy.",
     "conventional radiotherapy", set()),  # a historical comparator is a studied arm
    ("Whether adding kyphoplasty reduces fracture is unknown.", "kyphoplasty",
     {Status.HYPOTHETICAL}),
    ("Patients with prior fixation were excluded.", "fixation",
     {Status.EXCLUSION, Status.HISTORICAL}),
    ("Vertebroplasty after biopsy was done in a separate session and was not analysed.",
     "Vertebroplasty", {Status.EXCLUSION}),
    ("We treated painful fractures a median of 4 months after radiosurgery.", "radiosurgery",
     set()),  # 'after' alone is not prior treatment ("pain relief after kyphoplasty")
    ("Kyphoplasty for vertebral compression fractures after spine radiosurgery.",
     "radiosurgery", {Status.HISTORICAL}),  # a fracture treated after X: X came first
    ("Forty patients with progressive lesions after radiosurgery underwent LITT.",
     "radiosurgery", {Status.HISTORICAL}),
    ("None underwent vertebroplasty or kyphoplasty during follow-up.", "kyphoplasty",
     {Status.NEGATED}),
    ("An option where stereotactic radiotherapy is unavailable.", "stereotactic radiotherapy",
     {Status.NEGATED}),
    ("Care has moved from conventional radiotherapy towards ablative doses.",
     "conventional radiotherapy", {Status.HISTORICAL}),
    ("The reference standard was histology from CT-guided biopsy in 64 patients.",
     "CT-guided biopsy", {Status.REFERENCE}),
    ("PET-CT helps to select lesions that need tissue diagnosis.", "tissue diagnosis",
     {Status.HYPOTHETICAL}),
    ("Cooled radiofrequency for sacroiliac pain after spinal fusion.", "spinal fusion",
     {Status.HISTORICAL}),
])
def test_context_of_a_phrase(tax: Taxonomy, text: str, phrase: str,
                             expected: set[Status]) -> None:
    assert statuses(tax, text, phrase) == expected


def test_scopes_stop_after_the_window(tax: Taxonomy) -> None:
    text = "No change in any of the many listed measures was seen after vertebroplasty."
    assert statuses(tax, text, "vertebroplasty") == set()


def test_a_trigger_inside_the_phrase_does_not_modify_it(tax: Taxonomy) -> None:
    record = rec("Spinal metastases", "We reviewed 30 patients with prior radiotherapy to the "
                 "same level who were treated with SBRT.")
    assert "reirradiation" in got(record, tax)


def test_outcome_verbs_do_not_apply_in_methods(tax: Taxonomy) -> None:
    structured = ("METHODS: We report 11 patients treated with embolisation; four also "
                  "required decompressive laminectomy.\n\nRESULTS: Pain improved.")
    assert "decompressive_laminectomy" in got(rec("Vertebral haemangioma", structured), tax)
    results = ("METHODS: We report 11 patients treated with embolisation.\n\nRESULTS: Four "
               "required decompressive laminectomy.")
    assert "decompressive_laminectomy" not in got(rec("Vertebral haemangioma", results), tax)


def test_a_question_in_a_title_is_hypothetical(tax: Taxonomy) -> None:
    question = rec("Tumour excision in thoracic spine meningioma: is fixation ever required?")
    assert "fixation_stabilisation" not in got(question, tax)
    arms = rec("Kyphoplasty or vertebroplasty for spinal metastases: which is better?")
    assert {"balloon_kyphoplasty", "percutaneous_vertebroplasty"} <= set(got(arms, tax))


# -- evidence weighting and the reasons shown ----------------------------------------------


def test_reasons_name_the_sentence_role(tax: Taxonomy) -> None:
    record = rec("Pain relief in myeloma", "BACKGROUND: Fractures hurt.\n\nMETHODS: Eighty "
                 "patients underwent balloon kyphoplasty.\n\nRESULTS: Pain fell.")
    assert got(record, tax) == {"balloon_kyphoplasty": "methods: 'underwent balloon kyphoplasty'"}


def test_a_lone_background_mention_is_not_a_suggestion_but_is_explained(tax: Taxonomy) -> None:
    record = rec("MRI of vertebral fractures", "BACKGROUND: Percutaneous biopsy is invasive."
                 "\n\nMETHODS: We measured diffusion in 118 fractures.")
    assert got(record, tax) == {}
    assert why_not(record, tax) == {
        "percutaneous_biopsy": "not suggested: only in background: 'Percutaneous biopsy'"}


def test_a_negated_mention_is_explained_with_its_role(tax: Taxonomy) -> None:
    record = rec("SBRT for spinal metastases", "RESULTS: No vertebroplasty was performed.")
    explanation = explain(record, tax)
    assert isinstance(explanation, Explanation)
    assert [s.tag_id for s in explanation.suggested] == ["sbrt_srs"]
    assert why_not(record, tax)["percutaneous_vertebroplasty"] == (
        "not suggested: negated in results: 'vertebroplasty'")
    assert suggest(record, tax) == explanation.suggested


def test_a_mention_that_counts_beats_one_that_does_not(tax: Taxonomy) -> None:
    record = rec("Kyphoplasty for myeloma fractures", "Two patients did not undergo "
                 "kyphoplasty because of infection. We treated 40 patients with kyphoplasty.")
    assert got(record, tax)["balloon_kyphoplasty"] == "title: 'Kyphoplasty'"
    assert "balloon_kyphoplasty" not in why_not(record, tax)


def test_a_title_that_names_a_technique_as_an_outcome_silences_the_abstract(
        tax: Taxonomy) -> None:
    record = rec("Percutaneous versus open screws: blood loss and time to radiotherapy",
                 "METHODS: Postoperative radiotherapy was started when the wound had healed.")
    assert "radiotherapy" not in got(record, tax)
    assert why_not(record, tax)["radiotherapy"] == (
        "not suggested: an outcome event in title: 'radiotherapy'")
    prior = rec("Kyphoplasty for compression fractures after spine radiosurgery",
                "METHODS: We report 29 patients treated 4 months after radiosurgery.")
    assert set(got(prior, tax)) == {"balloon_kyphoplasty"}


def test_a_title_veto_leaves_mesh_and_plain_title_mentions_alone(tax: Taxonomy) -> None:
    both = rec("Re-irradiation with conventional fractionation after prior palliative "
               "radiotherapy of the spine", "METHODS: We reviewed 58 patients.")
    assert "conventional_ebrt" in got(both, tax)
    major = MeshHeading("D016634", "Radiosurgery", major=True)
    with_mesh = rec("Kyphoplasty for compression fractures after spine radiosurgery",
                    "METHODS: We treated 29 patients 4 months after radiosurgery.", mesh=[major])
    assert got(with_mesh, tax)["sbrt_srs"] == "MeSH Radiosurgery (D016634)"
    question = rec("Does preoperative embolisation reduce blood loss in spinal metastases?",
                   "METHODS: We compared 40 embolised and 40 non-embolised patients.")
    assert "transarterial_embolisation" in got(question, tax)


def test_a_dose_in_a_sentence_naming_iort_or_protons_is_theirs(tax: Taxonomy) -> None:
    iort = rec("Sacral chordoma resection", "METHODS: Nine patients received a single 12 Gy "
               "fraction of intraoperative electron radiotherapy to the margin.")
    assert set(got(iort, tax)) == {"brachytherapy_iort"}
    protons = rec("Spinal chordoma", "METHODS: Patients received proton therapy to 74 Gy(RBE) "
                  "in 37 fractions.")
    assert set(got(protons, tax)) == {"particle_therapy"}
    alone = rec("Spinal metastases", "METHODS: Patients received 24 Gy in 2 fractions.")
    assert set(got(alone, tax)) == {"sbrt_srs"}  # a schedule on its own still names SBRT


def test_bare_radiotherapy_counts_only_where_the_study_states_its_aim(tax: Taxonomy) -> None:
    cotreatment = rec("Validation of a quality-of-life questionnaire in spinal metastases",
                      "METHODS: 146 patients treated with surgery, radiotherapy or systemic "
                      "therapy completed it.\n\nRESULTS: Radiotherapy accounted for 9% of costs.")
    assert "radiotherapy" not in got(cotreatment, tax)
    assert "co-treatment word" in why_not(cotreatment, tax)["radiotherapy"]
    titled = rec("Radiotherapy for spinal cord compression from lymphoma")
    assert "radiotherapy" in got(titled, tax)
    aim = rec("Spinal metastases", "OBJECTIVE: To compare surgery and radiotherapy.")
    assert "radiotherapy" in got(aim, tax)
    leaf = rec("Spinal metastases", "METHODS: Patients received conventional radiotherapy.")
    assert "conventional_ebrt" in got(leaf, tax)  # a named sub-type counts everywhere
    arm = rec("Direct decompressive surgical resection for spinal cord compression",
              "METHODS: Patients were randomised to surgery plus radiotherapy or radiotherapy "
              "alone.")
    assert "radiotherapy" in got(arm, tax)  # an arm being compared is what is studied


def test_a_title_that_is_one_question_asks_about_its_subject(tax: Taxonomy) -> None:
    assert "sbrt_srs" in got(rec("Is stereotactic radiosurgery overused for spinal "
                                 "metastases?"), tax)
    sub = rec("Tumour excision in thoracic meningioma: is fixation ever required?")
    assert "fixation_stabilisation" not in got(sub, tax)


def test_dose_per_fraction_schedules_and_proton_words(tax: Taxonomy) -> None:
    ewing = rec("Spinal Ewing sarcoma", "METHODS: Definitive radiotherapy was 55.8 Gy in 1.8 Gy "
                "fractions. Photons were used in 31 and protons in 12.")
    assert {"conventional_ebrt", "particle_therapy"} <= set(got(ewing, tax))
    mri = rec("Spinal metastases on MRI", "METHODS: Proton density weighted images were read.")
    assert "particle_therapy" not in got(mri, tax)


def test_a_minor_mesh_heading_needs_a_second_piece_of_evidence(tax: Taxonomy) -> None:
    minor = MeshHeading("D058498", "Kyphoplasty", major=False)
    major = MeshHeading("D058498", "Kyphoplasty", major=True)
    assert got(rec("Outcomes in spinal metastases", mesh=[minor]), tax) == {}
    assert "balloon_kyphoplasty" in got(rec("Outcomes in spinal metastases", mesh=[major]), tax)
    assert why_not(rec("Outcomes in spinal metastases", mesh=[minor]), tax) == {
        "balloon_kyphoplasty": "not suggested: not enough evidence (MeSH Kyphoplasty (D058498))"}
    supported = rec("Outcomes in spinal metastases", "RESULTS: After kyphoplasty pain fell.",
                    mesh=[minor])
    assert got(supported, tax) == {"balloon_kyphoplasty": "MeSH Kyphoplasty (D058498)"}


# -- vocabulary: collisions and the phrasings that were missed ----------------------------


def test_radiofrequency_denervation_is_not_tumour_ablation(tax: Taxonomy) -> None:
    record = rec("Cooled radiofrequency denervation of lumbar facet joints in cancer survivors",
                 "We treated 36 patients with cooled radiofrequency ablation of the medial "
                 "branches.")
    assert got(record, tax) == {}
    assert "denervation" in why_not(record, tax)["radiofrequency_ablation"]


def test_screws_in_a_dosimetry_phantom_are_not_instrumentation(tax: Taxonomy) -> None:
    record = rec("Titanium pedicle screw-rod constructs in a spine phantom for SBRT",
                 "Screw-rod constructs and a carbon fiber rod were placed in the phantom.")
    found = got(record, tax)
    assert "open_posterior_instrumentation" not in found
    # what the phantom received is studied; since round 9 a carbon-fibre rod in it is a test
    # object like the titanium ones (all 8 phantom records of the labelled sets tag no implant)
    assert "sbrt_srs" in found and "carbon_fibre_implants" not in found


@pytest.mark.parametrize(("text", "expected"), [
    ("Screws inserted percutaneously versus open for spinal metastases",
     {"percutaneous_pedicle_screw_fixation", "open_posterior_instrumentation"}),
    ("Percutaneous versus open pedicle screw stabilisation for spinal metastases",
     {"percutaneous_pedicle_screw_fixation", "open_posterior_instrumentation"}),
    ("Intravertebral expandable titanium implant for vertebral metastases",
     {"vertebral_body_stenting"}),
    ("Diagnostic yield of CT-guided sampling of spinal lesions", {"percutaneous_biopsy"}),
    ("Separation surgery with posterior pedicle screw-rod stabilisation",
     {"separation_surgery", "open_posterior_instrumentation"}),
    ("Carbon-fibre-reinforced PEEK screws in spinal metastases", {"carbon_fibre_implants"}),
    ("Open posterior decompression and instrumented stabilisation for spinal metastases",
     {"decompressive_laminectomy", "open_posterior_instrumentation"}),
    ("Posterior decompression with or without fixation for spinal metastases",
     {"decompressive_laminectomy", "fixation_stabilisation"}),  # an arm, not the open leaf
    ("Spinal metastases stabilised with titanium pedicle screws through an open posterior "
     "approach", {"open_posterior_instrumentation"}),
    ("Anterior corpectomy with plating for cervical metastases; posterior supplementation "
     "was added in nine", {"corpectomy", "open_posterior_instrumentation"}),
    ("Pedicle screws placed from C6 to T3, followed by open posterior rod fixation for spinal "
     "metastases", {"open_posterior_instrumentation"}),
    ("Robot-guided percutaneous placement of titanium pedicle screws in spinal metastases",
     {"robotic_assistance", "percutaneous_pedicle_screw_fixation"}),
    ("Lateral corpectomy supplemented by percutaneous posterior screws for lumbar metastases",
     {"corpectomy", "percutaneous_pedicle_screw_fixation"}),
    ("Robotic pedicle screw placement in spinal tumour surgery", {"robotic_assistance"}),
    ("Separation surgery: the bridge between surgeon and radiation oncologist",
     {"separation_surgery"}),  # its own words are spinal: no group context needed
    ("Posterior-only corpectomy allows circumferential decompression of thoracic metastases",
     {"corpectomy"}),  # a corpectomy's circumferential decompression is not separation surgery
    ("Proton therapy for chordoma of the spine: control is lower in instrumented patients",
     {"particle_therapy"}),
    ("Anterior corpectomy with cage reconstruction for cervical metastases",
     {"corpectomy", "anterior_column_reconstruction"}),
])
def test_route_phrasings_and_synonyms(tax: Taxonomy, text: str, expected: set[str]) -> None:
    assert set(got(rec(text), tax)) == expected


# -- the vocabulary file's new blocks are checked ------------------------------------------


def _vocab(tmp_path: Path, change: dict[str, object]) -> Taxonomy:
    data = {"version": 1, "contexts": {"c": {"terms": ["thing"]}},
            "techniques": [{"id": "group_a", "label": "Group A", "parent": None,
                            "synonyms": ["leaf"]}],
            "facets": {"design": {"values": [{"id": "rct", "label": "RCT"}],
                                  "publication_types": [{"ui": "D016449", "value": "rct",
                                                         "name": "Randomized Controlled Trial"}]}}}
    data.update(change)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_taxonomy(path)


@pytest.mark.parametrize(("change", "expected"), [
    ({"sentence_context": []}, "'sentence_context' must be an object"),
    ({"sentence_context": {"window": 0}}, "'window' must be at least 1"),
    ({"sentence_context": {"window": "x"}}, "'window' must be a whole number"),
    ({"sentence_context": {"negated": {"forward": [""]}}}, "empty or non-text phrase"),
    ({"sentence_context": {"negated": {"forward": "no"}}}, "'forward' must be a list"),
    ({"techniques": [{"id": "group_a", "label": "A", "parent": None,
                      "unless_context": "ghost"}]}, "vetoed by unknown context 'ghost'"),
    ({"dose_rules": {"owned_by": "brachytherapy_iort"}}, "'owned_by' must be a list"),
])
def test_bad_sentence_context_blocks_are_plain_errors(tmp_path: Path, change: dict[str, object],
                                                      expected: str) -> None:
    with pytest.raises(SpineLibError, match=expected):
        _vocab(tmp_path, change)


def test_a_leaf_may_opt_out_of_its_groups_required_context(tmp_path: Path) -> None:
    group = {"id": "group_a", "label": "A", "parent": None, "requires_context": "c"}
    inherit = _vocab(tmp_path, {"techniques": [
        group, {"id": "leaf_b", "label": "B", "parent": "group_a", "synonyms": ["bee"]}]})
    assert got(rec("bee study"), inherit) == {}
    assert got(rec("bee study of a thing"), inherit) == {"leaf_b": "title: 'bee'"}
    own = _vocab(tmp_path, {"techniques": [
        group, {"id": "leaf_b", "label": "B", "parent": "group_a", "synonyms": ["bee"],
                "requires_context": False}]})
    assert got(rec("bee study"), own) == {"leaf_b": "title: 'bee'"}


def test_a_custom_vocabulary_gets_its_own_triggers_and_vetoes(tmp_path: Path) -> None:
    tax = _vocab(tmp_path, {
        "sentence_context": {"negated": {"forward": ["nope"]}},
        "techniques": [{"id": "group_a", "label": "A", "parent": None, "synonyms": ["leaf"],
                        "unless_context": "c"}]})
    assert got(rec("leaf study"), tax) == {"group_a": "title: 'leaf'"}
    assert got(rec("nope leaf study"), tax) == {}
    assert why_not(rec("leaf study of a thing"), tax) == {
        "group_a": "not suggested: the record has c context"}
