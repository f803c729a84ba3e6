"""Unit tests for the vocabulary and the suggestion rules (spinelib.vocabulary), one rule each."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from spinelib import paths
from spinelib.errors import SpineLibError
from spinelib.records import ArticleRecord, MeshHeading
from spinelib.vocabulary import (
    FACET_INFO,
    FACETS,
    FacetValue,
    Suggestion,
    Taxonomy,
    facet_title,
    facets,
    load_taxonomy,
    suggest,
)


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def rec(title: str = "", abstract: str = "", *, mesh: Sequence[tuple[str, str] | MeshHeading] = (),
        keywords: Sequence[str] = (), pts: Sequence[str] = ()) -> ArticleRecord:
    """A record with just the fields the matchers read; a ``(ui, name)`` heading is a major
    topic (a minor heading needs a second piece of evidence: test_context.py)."""
    headings = [m if isinstance(m, MeshHeading) else MeshHeading(m[0], m[1], major=True)
                for m in mesh]
    return ArticleRecord(title=title, abstract=abstract, mesh=headings, keywords=list(keywords),
                         publication_types=list(pts))


def tags(record: ArticleRecord, tax: Taxonomy) -> set[str]:
    return {s.tag_id for s in suggest(record, tax)}


def reasons(record: ArticleRecord, tax: Taxonomy) -> dict[str, str]:
    return {s.tag_id: s.reason for s in suggest(record, tax)}


def facet_set(record: ArticleRecord, tax: Taxonomy, facet: str) -> set[str]:
    return {f.value for f in facets(record, tax) if f.facet == facet}


# -- the vocabulary itself ---------------------------------------------------------------------


def test_default_vocabulary_has_the_briefs_nine_groups_and_34_leaves(tax: Taxonomy) -> None:
    groups = [t for t in tax.tags if t.kind == "group"]
    leaves = [t for t in tax.tags if t.kind == "leaf"]
    assert len(groups) == 9 and len(leaves) == 34
    assert tax.tags[:9] == groups, "groups come first"
    assert {t.parent for t in leaves} == {g.id for g in groups}
    for tag in tax.tags:
        assert tag.id.isidentifier() and tag.id == tag.id.lower()
    assert tax.version == 1


def test_default_path_is_the_shipped_resource() -> None:
    assert paths.resource("taxonomy.json").is_file()
    assert load_taxonomy() is load_taxonomy(paths.resource("taxonomy.json"))


def test_hierarchy_get_children_descendants(tax: Taxonomy) -> None:
    kp = tax.get("balloon_kyphoplasty")
    assert kp is not None and kp.parent == "vertebral_augmentation" and kp.kind == "leaf"
    assert "D058498" in kp.mesh_specific
    assert tax.get("no_such_tag") is None
    assert [t.id for t in tax.children("vertebral_augmentation")] == [
        "percutaneous_vertebroplasty", "balloon_kyphoplasty", "vertebral_body_stenting",
        "sacroplasty"]
    assert tax.children("balloon_kyphoplasty") == []
    assert tax.descendants("vertebral_augmentation") == {
        "vertebral_augmentation", "percutaneous_vertebroplasty", "balloon_kyphoplasty",
        "vertebral_body_stenting", "sacroplasty"}
    assert tax.descendants("sbrt_srs") == {"sbrt_srs"}
    # a user's own tag is its own only descendant, so filters treat both kinds alike
    assert tax.descendants("my_reading_pile") == {"my_reading_pile"}


def test_facet_values_cover_the_four_facets(tax: Taxonomy) -> None:
    assert tuple(tax.facet_values) == FACETS
    design = [v for v, _ in tax.facet_values["design"]]
    assert design[:3] == ["meta_analysis", "systematic_review", "rct"]
    assert ("renal_cell", "Renal cell carcinoma") in tax.facet_values["histology"]
    assert {"cervical", "thoracic", "lumbar", "sacral", "multiple_regions", "junctional"} <= {
        v for v, _ in tax.facet_values["region"]}
    assert {"sins", "noms", "tokuhashi", "tomita", "bilsky_escc", "karnofsky", "ecog"} <= {
        v for v, _ in tax.facet_values["score"]}


def test_facet_registry_names_each_facet_once_with_its_heading() -> None:
    assert tuple(info.name for info in FACET_INFO) == FACETS
    assert [facet_title(name) for name in FACETS] == [
        "Histology", "Region", "Study design", "Scores"]
    # a facet outside the registry is still shown, tidied up
    assert facet_title("study_design") == "Study design"

def test_unverified_mesh_uis_are_kept_out_of_matching(tax: Taxonomy) -> None:
    data = json.loads(paths.resource("taxonomy.json").read_text(encoding="utf-8"))
    unverified = {m.get("ui_candidate") for n in data["techniques"]
                  for m in n.get("mesh_unverified", ()) if m.get("ui_candidate")}
    assert "D000078703" in unverified
    for ui in unverified:
        record = rec("A study", "Some text about patients with spinal metastases.",
                     mesh=[(ui, "Heading")])
        assert suggest(record, tax) == []
        assert all(ui not in t.mesh_specific + t.mesh_broad + t.mesh_support for t in tax.tags)


# -- MeSH: specific vs broad -------------------------------------------------------------------


def test_specific_mesh_suggests_the_leaf_with_a_mesh_reason(tax: Taxonomy) -> None:
    record = rec("Outcomes in spinal metastases", mesh=[("D058498", "Kyphoplasty")])
    assert suggest(record, tax) == [Suggestion("balloon_kyphoplasty", "MeSH Kyphoplasty (D058498)")]


def test_mesh_reason_uses_the_records_current_heading_name(tax: Taxonomy) -> None:
    record = rec("Spine surgery", mesh=[("D019060", "Minimally Invasive Surgical Procedures")])
    assert reasons(record, tax) == {
        "minimally_invasive_access": "MeSH Minimally Invasive Surgical Procedures (D019060)"}


def test_broad_mesh_alone_suggests_only_the_group(tax: Taxonomy) -> None:
    record = rec("Cement for painful fractures of the spine", mesh=[("D054854", "Vertebroplasty")])
    assert tags(record, tax) == {"vertebral_augmentation"}
    with_text = dataclasses.replace(record, abstract="We performed vertebroplasty in 40 patients.")
    assert tags(with_text, tax) == {"percutaneous_vertebroplasty"}


def test_decompression_mesh_alone_is_group_level(tax: Taxonomy) -> None:
    record = rec("Surgery for spinal cord compression",
                 mesh=[("D019299", "Decompression, Surgical")])
    assert tags(record, tax) == {"decompression_resection"}


def test_radiosurgery_mesh_is_sbrt_and_never_hybrid(tax: Taxonomy) -> None:
    record = rec("Spine metastases", mesh=[("D016634", "Radiosurgery"),
                                           ("D003131", "Combined Modality Therapy"),
                                           ("D018714", "Radiotherapy, Adjuvant")])
    assert tags(record, tax) == {"sbrt_srs"}


def test_support_mesh_never_suggests_alone(tax: Taxonomy) -> None:
    record = rec("Total hip arthroplasty", mesh=[("D001843", "Bone Cements"),
                                                 ("D019904", "Polymethyl Methacrylate"),
                                                 ("D015607", "Stents")])
    assert suggest(record, tax) == []


# -- text: word boundaries, folding, plurals ---------------------------------------------------


@pytest.mark.parametrize("text", ["en bloc spondylectomy", "en-bloc spondylectomy",
                                  "enbloc spondylectomy", "En Bloc Spondylectomies"])
def test_hyphen_space_and_plural_folding(tax: Taxonomy, text: str) -> None:
    assert tags(rec(f"{text} for spinal tumours"), tax) == {"en_bloc_spondylectomy"}


@pytest.mark.parametrize("text", ["mini-open corpectomy", "mini open corpectomy",
                                  "miniopen corpectomy"])
def test_joined_prefix_spellings_meet(tax: Taxonomy, text: str) -> None:
    assert tags(rec(f"{text} of the thoracic spine"), tax) == {"mini_open_surgery", "corpectomy"}


def test_british_spelling_and_diacritics_fold(tax: Taxonomy) -> None:
    british = rec("Pre-operative tumour embolisation of hypervascular spinal metastases")
    american = rec("Preoperative tumor embolization of hypervascular spinal metastases")
    assert tags(british, tax) == tags(american, tax) == {"transarterial_embolisation"}
    assert tags(rec("Percutaneous vertébroplasty of the spine"), tax) == {
        "percutaneous_vertebroplasty"}
    assert tags(rec("Posterior stabilisation of the lumbar spine"), tax) == {
        "open_posterior_instrumentation"}
    assert facet_set(rec("Aggressive vertebral haemangioma"), tax, "histology") == {"haemangioma"}


def test_plural_terms_match(tax: Taxonomy) -> None:
    record = rec("Posterior percutaneous pedicle screws fixation for spinal metastases")
    assert tags(record, tax) == {"percutaneous_pedicle_screw_fixation"}


def test_whole_words_only(tax: Taxonomy) -> None:
    # 'cord' must not be found inside 'recording', nor 'kyphoplasty' inside a longer word
    record = rec("Kyphoplastyometer readings", "The recording of the stenting procedure")
    assert tags(record, tax) == set()
    assert tags(rec("Vertebroplasty"), tax) == {"percutaneous_vertebroplasty"}


def test_terms_do_not_cross_sentence_punctuation(tax: Taxonomy) -> None:
    record = rec("Metastatic cord compression", "Tumours of the spinal cord. Separation of the "
                 "groups was clear.")
    assert "separation_surgery" not in tags(record, tax)


# -- abbreviations: case, guards ---------------------------------------------------------------


def test_abbreviations_are_case_sensitive_whole_tokens(tax: Taxonomy) -> None:
    assert tags(rec("MISt for spinal metastases"), tax) == {
        "minimally_invasive_stabilisation", "percutaneous_pedicle_screw_fixation"}
    assert tags(rec("Mist and MIST in the spine clinic"), tax) == set()
    assert tags(rec("cEBRT for painful spinal metastases"), tax) == {"conventional_ebrt"}
    assert tags(rec("cebrt for painful spinal metastases"), tax) == set()
    plural = rec("BKPs in myeloma patients with vertebral fractures")
    assert tags(plural, tax) == {"balloon_kyphoplasty"}


def test_all_capitals_titles_are_not_read_as_abbreviations(tax: Taxonomy) -> None:
    record = rec("THE SINS OF THE SPINE SURGEON: LESSONS FROM CAPS AND GOWNS")
    assert facet_set(record, tax, "score") == set()
    assert facet_set(rec("Using SINS in the clinic"), tax, "score") == {"sins"}


def test_srs_guard_scoliosis_research_society(tax: Taxonomy) -> None:
    scoliosis = rec("Outcomes after posterior spinal fusion",
                    "SRS-22r scores improved; the Scoliosis Research Society (SRS) criteria "
                    "were used.")
    assert "sbrt_srs" not in tags(scoliosis, tax)
    radiosurgery = rec("Local control after SRS", "Patients received 18 Gy to the vertebral body.")
    assert "sbrt_srs" in tags(radiosurgery, tax)


def test_vp_guard_shunts_versus_vertebroplasty(tax: Taxonomy) -> None:
    shunt = rec("VP shunt failure in myelomeningocele", "Revision of the VP shunt in children "
                "with spinal dysraphism.")
    assert tags(shunt, tax) == set()
    cement = rec("Pain relief after VP", "VP with PMMA cement in osteolytic vertebral metastases.")
    assert tags(cement, tax) == {"percutaneous_vertebroplasty"}


def test_pps_guard_post_polio_and_palliative_performance_scale(tax: Taxonomy) -> None:
    polio = rec("Deformity surgery in post-polio syndrome (PPS)",
                "Adults with PPS underwent posterior instrumentation with pedicle screws.")
    assert "percutaneous_pedicle_screw_fixation" not in tags(polio, tax)
    pps_scale = rec("SBRT outcomes", "Palliative Performance Scale (PPS) of 70% or more; prior "
                    "fixation with screws was allowed.")
    assert "percutaneous_pedicle_screw_fixation" not in tags(pps_scale, tax)
    screws = rec("PPS for unstable spinal metastases", "Fixation with PPS reduced blood loss.")
    assert "percutaneous_pedicle_screw_fixation" in tags(screws, tax)


def test_psa_tes_sae_crt_clashes(tax: Taxonomy) -> None:
    prostate = rec("SBRT for prostate cancer spinal metastases",
                   "PSA response after treatment; screw loosening was not assessed.")
    assert "cement_augmented_screws" not in tags(prostate, tax)
    mep = rec("Neuromonitoring in spinal deformity surgery",
              "TES motor evoked potentials (TES-MEPs) were recorded during spondylectomy.")
    assert "en_bloc_spondylectomy" not in tags(mep, tax)
    assert "en_bloc_spondylectomy" in tags(rec("TES for solitary metastasis",
                                               "Total en bloc spondylectomy (TES) was done."), tax)
    trial = rec("SBRT trial", "Serious adverse events (SAEs) were rare in spinal metastases.")
    assert "transarterial_embolisation" not in tags(trial, tax)
    chemo = rec("Oesophageal cancer", "Definitive chemoradiotherapy (CRT) with cisplatin.")
    assert "conventional_ebrt" not in tags(chemo, tax)


def test_rfa_needs_a_tumour_context(tax: Taxonomy) -> None:
    cardiac = rec("Radiofrequency ablation versus drugs for atrial fibrillation",
                  "RFA isolated the pulmonary veins.", mesh=[("D017115", "Catheter Ablation")])
    assert tags(cardiac, tax) == set()
    facet = rec("Radiofrequency ablation (RFA) of lumbar facet joints for low back pain")
    assert tags(facet, tax) == set()
    tumour = rec("RFA of painful spinal metastases", "Targeted ablation of vertebral tumours.")
    assert tags(tumour, tax) == {"radiofrequency_ablation"}


# -- groups, co-tags, osteoporotic papers ------------------------------------------------------


def test_generic_phrases_map_to_the_group(tax: Taxonomy) -> None:
    assert tags(rec("Vertebral augmentation for malignant fractures of the spine"), tax) == {
        "vertebral_augmentation"}
    assert tags(rec("Cementoplasty of spinal metastases"), tax) == {"vertebral_augmentation"}


def test_group_is_dropped_when_a_leaf_or_an_explaining_tag_is_present(tax: Taxonomy) -> None:
    both = rec("Kyphoplasty and vertebral augmentation in the spine")
    assert tags(both, tax) == {"balloon_kyphoplasty"}
    screws = rec("Cement augmentation of pedicle screws in osteoporotic spine",
                 "Cement augmentation improved pull-out strength.")
    assert tags(screws, tax) == {"cement_augmented_screws"}
    percutaneous = rec("Percutaneous pedicle screw fixation for spinal metastases",
                       mesh=[("D019060", "Minimally Invasive Surgical Procedures")])
    assert tags(percutaneous, tax) == {"percutaneous_pedicle_screw_fixation"}


def test_hybrid_therapy_co_tags_separation_surgery_and_sbrt(tax: Taxonomy) -> None:
    record = rec("Hybrid therapy for metastatic epidural spinal cord compression")
    got = reasons(record, tax)
    assert set(got) == {"hybrid_therapy", "separation_surgery", "sbrt_srs"}
    assert got["hybrid_therapy"] == "title: 'Hybrid therapy'"
    assert got["separation_surgery"].startswith("title: 'Hybrid therapy' (with ")


def test_postoperative_stereotactic_wording_is_hybrid(tax: Taxonomy) -> None:
    record = rec("Spinal metastases", "Separation surgery and adjuvant hypofractionated or "
                 "high-dose single-fraction stereotactic radiosurgery gave durable control.")
    assert tags(record, tax) == {"hybrid_therapy", "separation_surgery", "sbrt_srs"}


def test_term_level_co_tag(tax: Taxonomy) -> None:
    record = rec("Transpedicular corpectomy for thoracic spinal metastases")
    assert tags(record, tax) == {"posterolateral_transpedicular_approach", "corpectomy"}


def test_osteoporotic_vertebroplasty_is_still_a_vertebroplasty(tax: Taxonomy) -> None:
    record = rec("A randomized trial of vertebroplasty for osteoporotic vertebral fractures",
                 mesh=[("D058866", "Osteoporotic Fractures"), ("D054854", "Vertebroplasty")])
    assert tags(record, tax) == {"percutaneous_vertebroplasty"}


def test_exclusion_sentences_and_negation_are_not_evidence(tax: Taxonomy) -> None:
    record = rec("SBRT for spinal metastases",
                 "Patients with prior surgical fixation or lymphoma were excluded. SBRT was given.")
    assert tags(record, tax) == {"sbrt_srs"}
    assert facet_set(record, tax, "histology") == set()
    without = rec("Percutaneous screw fixation without decompression for spinal metastases")
    assert tags(without, tax) == {"percutaneous_pedicle_screw_fixation"}
    with_or_without = rec("Kyphoplasty with or without decompression for spinal metastases")
    assert tags(with_or_without, tax) == {"balloon_kyphoplasty", "decompression_resection"}


def test_coordination_ellipsis(tax: Taxonomy) -> None:
    record = rec("Stabilisation of spinal metastases", "Stabilization with percutaneous or open "
                 "instrumentation was offered.")
    assert {"percutaneous_pedicle_screw_fixation", "open_posterior_instrumentation"} <= tags(
        record, tax)


@pytest.mark.parametrize(("text", "expected"), [
    ("SBRT delivered as 24 Gy in 2 fractions", {"sbrt_srs"}),
    ("radiotherapy of 30 Gy in 10 fractions", {"conventional_ebrt"}),
    ("a single fraction of 8 Gy", {"conventional_ebrt"}),
    ("8 Gy single fraction radiotherapy", {"conventional_ebrt"}),
    ("a dose of 18 Gy x 1", {"sbrt_srs"}),
    ("10 x 3 Gy to the spine", {"conventional_ebrt"}),
    ("24-30 Gy in three fractions", {"sbrt_srs"}),
    ("12 Gy in 3 fractions", set()),  # 4 Gy x 3: between the two rules, so no guess
])
def test_dose_schedules_name_the_radiotherapy_type(tax: Taxonomy, text: str,
                                                   expected: set[str]) -> None:
    assert tags(rec("Spinal metastases", f"Patients received {text}."), tax) == expected


def test_reason_texts_quote_the_evidence(tax: Taxonomy) -> None:
    record = rec("Balloon kyphoplasty in myeloma", "We used PKP for vertebral fractures.",
                 keywords=["SBRT"])
    got = reasons(record, tax)
    assert got["balloon_kyphoplasty"] == "title: 'Balloon kyphoplasty'"
    assert got["sbrt_srs"] == "keyword: 'SBRT'"
    only_abstract = rec("Cord compression", "Outcomes after separation surgery were good.")
    assert reasons(only_abstract, tax) == {"separation_surgery": "abstract: 'separation surgery'"}
    abbr = rec("Spinal fractures", "PKP restored height of the vertebral body.")
    assert reasons(abbr, tax) == {"balloon_kyphoplasty": "abstract: 'PKP'"}
    mesh_first = rec("Balloon kyphoplasty", mesh=[("D058498", "Kyphoplasty")])
    assert reasons(mesh_first, tax)["balloon_kyphoplasty"] == "MeSH Kyphoplasty (D058498)"


def test_suggestions_are_deterministic_and_in_vocabulary_order(tax: Taxonomy) -> None:
    record = rec("SBRT after separation surgery and kyphoplasty for thoracic metastases",
                 "Percutaneous pedicle screws and RFA of the spinal tumour.")
    first = suggest(record, tax)
    assert first == suggest(record, tax)
    order = {t.id: i for i, t in enumerate(tax.tags)}
    assert [s.tag_id for s in first] == sorted((s.tag_id for s in first), key=order.__getitem__)
    assert all(isinstance(s, Suggestion) and s.reason for s in first)


def test_empty_record_gives_nothing(tax: Taxonomy) -> None:
    assert suggest(ArticleRecord(), tax) == []
    assert facets(ArticleRecord(), tax) == []


# -- find and close_matches --------------------------------------------------------------------


def test_find_resolves_ids_labels_synonyms_and_abbreviations(tax: Taxonomy) -> None:
    def found(text: str) -> str | None:
        tag = tax.find(text)
        return tag.id if tag else None

    assert found("balloon_kyphoplasty") == "balloon_kyphoplasty"
    assert found("Balloon Kyphoplasty") == "balloon_kyphoplasty"
    assert found("balloon-kyphoplasty") == "balloon_kyphoplasty"
    assert found("Kyphon") == "balloon_kyphoplasty"
    assert found("PKP") == "balloon_kyphoplasty"
    assert found("en-bloc spondylectomy") == "en_bloc_spondylectomy"
    assert found("tumor embolization") == "transarterial_embolisation"
    assert found("MISt") == "minimally_invasive_stabilisation"
    assert found("cEBRT") == "conventional_ebrt"
    assert found("Radiotherapy") == "radiotherapy"
    assert found("  ") is None
    assert found("appendectomy") is None


def test_find_accepts_another_case_only_when_unambiguous(tmp_path: Path) -> None:
    data = _minimal()
    data["techniques"][1]["abbreviations"] = ["AB"]
    data["techniques"].append({"id": "leaf_two", "label": "Leaf two", "parent": "group_a",
                               "synonyms": [], "abbreviations": ["Ab"], "mesh": {}})
    tax = _write_and_load(tmp_path, data)
    assert tax.find("AB").id == "leaf_a"  # type: ignore[union-attr]
    assert tax.find("Ab").id == "leaf_two"  # type: ignore[union-attr]
    assert tax.find("ab") is None  # two tags answer to 'ab' in some case


def test_close_matches_for_unknown_tag_messages(tax: Taxonomy) -> None:
    assert tax.close_matches("kyphoplsty")[0] == "balloon_kyphoplasty"
    assert "percutaneous_vertebroplasty" in tax.close_matches("vertebroplasti")
    assert "sbrt_srs" in tax.close_matches("SBTR")
    assert len(tax.close_matches("e", n=3)) <= 3
    assert tax.close_matches("") == []
    assert tax.close_matches("zzzzqqqq") == []
    assert tax.close_matches("to read") == []  # a user's tag name is no typo of "tumor removal"


# -- facets ------------------------------------------------------------------------------------


def test_histology_from_mesh_ignores_site_headings_marked_secondary(tax: Taxonomy) -> None:
    record = rec("Solitary spinal metastasis", mesh=[
        MeshHeading("D008175", "Lung Neoplasms", qualifiers=["secondary", "surgery"]),
        MeshHeading("D012516", "Osteosarcoma", qualifiers=["secondary"]),
        MeshHeading("D001943", "Breast Neoplasms", qualifiers=["pathology"])])
    got = {f.value: f.reason for f in facets(record, tax) if f.facet == "histology"}
    assert got == {"breast": "MeSH Breast Neoplasms (D001943)",
                   "osteosarcoma": "MeSH Osteosarcoma (D012516)"}


def test_histology_from_text_with_guards(tax: Taxonomy) -> None:
    assert facet_set(rec("Spinal metastases from renal cell carcinoma"), tax, "histology") == {
        "renal_cell"}
    melanoma = rec("SRS for metastatic melanoma", "Spinal metastases from malignant melanoma (MM).")
    assert facet_set(melanoma, tax, "histology") == {"melanoma"}
    myeloma = rec("Kyphoplasty", "Fractures in MM patients treated with bortezomib.")
    assert facet_set(myeloma, tax, "histology") == {"myeloma_plasmacytoma"}
    lung_mets = rec("Osteosarcoma", "Previously resected lung metastases of the osteosarcoma.")
    assert facet_set(lung_mets, tax, "histology") == {"osteosarcoma"}


def test_histology_from_counted_breakdowns(tax: Taxonomy) -> None:
    record = rec("Sacroplasty", "Sacral metastases (n=15; breast 6, lung (n=5), prostate 4) were "
                 "treated.")
    assert facet_set(record, tax, "histology") == {"breast", "lung", "prostate"}
    no_tumour = rec("Lung function", "Lung 5 and breast 6 were measured in volunteers.")
    assert facet_set(no_tumour, tax, "histology") == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("fractures at T11-L2 were treated", {"thoracic", "lumbar", "multiple_regions", "junctional"}),
    ("metastases at C3-C7 were resected", {"cervical"}),
    ("a solitary L2 vertebral metastasis", {"lumbar"}),
    ("a T12 vertebral body fracture", {"thoracic", "junctional"}),
    ("compression at the T9 level", {"thoracic"}),
    ("levels from T4 to L1", {"thoracic", "lumbar", "multiple_regions", "junctional"}),
    ("axial T2-weighted images and T1 signal", set()),
    ("a T2N0M0 tumour", set()),
    ("metastatic to the thoracic and lumbar spine", {"thoracic", "lumbar", "multiple_regions"}),
    ("spinal metastases from cervical cancer", set()),
    ("a lumbar puncture was done", set()),
    ("thoracolumbar junction metastases", {"thoracic", "lumbar", "multiple_regions", "junctional"}),
    ("sacral chordoma", {"sacral"}),
    ("cases (lumbar 19, cervical 12, thoracic 9)", {"lumbar", "cervical", "thoracic",
                                                   "multiple_regions"}),
])
def test_region_rules(tax: Taxonomy, text: str, expected: set[str]) -> None:
    assert facet_set(rec("Spinal tumour study", text), tax, "region") == expected


def test_dorsal_levels_need_spine_context(tax: Taxonomy) -> None:
    vitamin = rec("Vitamin study", "D3 and D12 levels were measured.")
    assert facet_set(vitamin, tax, "region") == set()
    assert facet_set(rec("Spine fracture", "A D12 vertebral fracture."), tax, "region") == {
        "thoracic", "junctional"}


@pytest.mark.parametrize(("pts", "mesh", "text", "expected"), [
    (["Journal Article", "Meta-Analysis", "Systematic Review", "Review"], [], "", "meta_analysis"),
    (["Clinical Trial", "Randomized Controlled Trial"], [], "", "rct"),
    (["D016449"], [], "", "rct"),
    (["Journal Article"], [("D016032", "Randomized Controlled Trials as Topic")], "", None),
    (["Review"], [], "Searches followed the PRISMA statement.", "systematic_review"),
    (["Review"], [], "We review the history of the field.", "narrative_review"),
    (["Journal Article"], [("D012189", "Retrospective Studies")], "Groups were compared.",
     "retrospective_cohort"),
    (["Journal Article"], [("D012189", "Retrospective Studies")], "Pain improved.", "case_series"),
    (["Journal Article"], [], "Twelve patients were treated with the new device.", "case_series"),
    (["Case Reports", "Journal Article"], [("D012189", "Retrospective Studies")], "",
     "case_report"),
    (["Observational Study"], [("D011446", "Prospective Studies")], "", "prospective_cohort"),
    (["Journal Article"], [], "Prospectively collected data were retrospectively reviewed and "
                              "compared.", "retrospective_cohort"),
    (["Randomized Controlled Trial"], [], "A previous systematic review found no benefit.", "rct"),
    (["Validation Study"], [], "", "validation_reliability"),
    (["Practice Guideline"], [], "", "guideline_consensus"),
    (["Comment", "Letter"], [], "", "editorial_letter"),
    (["Journal Article"], [], "", None),
])
def test_study_design_precedence(tax: Taxonomy, pts: list[str], mesh: list[tuple[str, str]],
                                 text: str, expected: str | None) -> None:
    record = rec("A study of spinal metastases", text, mesh=mesh, pts=pts)
    got = [f for f in facets(record, tax) if f.facet == "design"]
    assert [f.value for f in got] == ([expected] if expected else [])


def test_design_reason_names_the_publication_type(tax: Taxonomy) -> None:
    record = rec("Trial", pts=["Journal Article", "Randomized Controlled Trial"])
    assert [f for f in facets(record, tax) if f.facet == "design"] == [
        FacetValue("design", "rct", "Randomised controlled trial",
                   "publication type: Randomized Controlled Trial")]


def test_scores(tax: Taxonomy) -> None:
    assert facet_set(rec("SINS and the NOMS framework"), tax, "score") == {"sins", "noms"}
    tomita = rec("Spinal metastases", "The Tomita score and the revised Tokuhashi score.")
    assert facet_set(tomita, tax, "score") == {"tomita", "tokuhashi"}
    technique = rec("TES", "Total en bloc spondylectomy as described by Tomita.")
    assert facet_set(technique, tax, "score") == set()
    oesophagus = rec("Oesophageal squamous cell carcinoma (ESCC)", "ESCC stage and grade.")
    assert facet_set(oesophagus, tax, "score") == set()
    escc = rec("Epidural compression", "High-grade ESCC (grade 2 or 3) on spinal MRI.")
    assert facet_set(escc, tax, "score") == {"bilsky_escc"}
    kps = rec("SBRT", mesh=[("D017567", "Karnofsky Performance Status")])
    assert facet_set(kps, tax, "score") == {"karnofsky"}
    ais = rec("Adolescent idiopathic scoliosis (AIS)", "AIS patients had fusion.")
    assert facet_set(ais, tax, "score") == set()


def test_facets_are_ordered_by_facet_then_vocabulary(tax: Taxonomy) -> None:
    record = rec("SBRT for renal cell carcinoma and melanoma of the lumbar spine: SINS",
                 pts=["Randomized Controlled Trial"])
    got = facets(record, tax)
    assert [f.facet for f in got] == ["histology", "histology", "region", "design", "score"]
    assert [f.value for f in got][:2] == ["renal_cell", "melanoma"]
    assert got[0].label == "Renal cell carcinoma"


# -- the vocabulary file: loading, caching and clear errors ------------------------------------


def _minimal() -> dict:
    return {"version": 1, "contexts": {}, "techniques": [
        {"id": "group_a", "label": "Group A", "parent": None, "synonyms": ["group thing"],
         "abbreviations": [], "mesh": {}},
        {"id": "leaf_a", "label": "Leaf A", "parent": "group_a", "synonyms": ["leaf thing"],
         "abbreviations": [], "mesh": {"specific": [{"ui": "D000001", "heading": "Leafs"}]}},
    ], "facets": {"design": {"values": [{"id": "rct", "label": "RCT"}],
                             "publication_types": [{"ui": "D016449", "name": "Randomized "
                                                    "Controlled Trial", "value": "rct"}]}}}


def _write_and_load(tmp_path: Path, data: object, name: str = "taxonomy.json") -> Taxonomy:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_taxonomy(path)


def test_a_minimal_custom_vocabulary_works(tmp_path: Path) -> None:
    tax = _write_and_load(tmp_path, _minimal())
    assert [t.id for t in tax.tags] == ["group_a", "leaf_a"]
    assert tags(rec("A leaf thing"), tax) == {"leaf_a"}
    assert tags(rec("x", mesh=[("D000001", "Leafs")]), tax) == {"leaf_a"}


def test_missing_file_has_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(SpineLibError, match=r"taxonomy file .*nope\.json not found"):
        load_taxonomy(tmp_path / "nope.json")


def test_bad_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"version": 1,\n  "techniques": [,]}', encoding="utf-8")
    with pytest.raises(SpineLibError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert "broken.json is not valid JSON (line 2, column" in message
    assert "\n" not in message


def _mutated(change: str) -> dict:
    data = _minimal()
    techniques = data["techniques"]
    if change == "newer":
        data["version"] = 99
    elif change == "duplicate":
        techniques.append(dict(techniques[1]))
    elif change == "unknown_parent":
        techniques[1]["parent"] = "nowhere"
    elif change == "leaf_parent":
        techniques.append({"id": "leaf_b", "label": "B", "parent": "leaf_a", "synonyms": []})
    elif change == "explained_by":
        techniques[0]["explained_by"] = ["ghost"]
    elif change == "synonym_twice":
        techniques[0]["synonyms"] = ["leaf thing"]
    elif change == "bad_ui":
        techniques[1]["mesh"] = {"specific": [{"heading": "No UI"}]}
    elif change == "guard_context":
        techniques[1]["abbreviations"] = [{"abbr": "LA", "require_any": ["@nowhere"]}]
    elif change == "bad_id":
        techniques[1]["id"] = "Leaf A"
    elif change == "not_a_list":
        data["techniques"] = {"id": "x"}
    return data


@pytest.mark.parametrize(("change", "expected"), [
    ("newer", "version 99 is newer than this SpineLib understands"),
    ("duplicate", "duplicate tag id 'leaf_a'"),
    ("unknown_parent", "tag 'leaf_a' has parent 'nowhere', which is not a group"),
    ("leaf_parent", "tag 'leaf_b' has parent 'leaf_a', which is not a group"),
    ("explained_by", "tag 'group_a' explained_by unknown tag 'ghost'"),
    ("synonym_twice", "synonym 'leaf thing' is given for both 'group_a' and 'leaf_a'"),
    ("bad_ui", "has no valid UI"),
    ("guard_context", "requires unknown context '@nowhere'"),
    ("bad_id", "has no valid snake_case 'id'"),
    ("not_a_list", "'techniques' must be a list"),
])
def test_schema_errors_are_plain_one_line_messages(tmp_path: Path, change: str,
                                                   expected: str) -> None:
    with pytest.raises(SpineLibError) as info:
        _write_and_load(tmp_path, _mutated(change), f"{change}.json")
    message = str(info.value)
    assert message.startswith(f"taxonomy file {tmp_path / (change + '.json')}: ")
    assert expected in message
    assert "\n" not in message


def test_loading_is_cached_per_file_and_follows_edits(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(_minimal()), encoding="utf-8")
    first = load_taxonomy(path)
    assert load_taxonomy(path) is first
    changed = _minimal()
    changed["techniques"][1]["label"] = "Leaf A, renamed"
    path.write_text(json.dumps(changed), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    second = load_taxonomy(path)
    assert second is not first and second.get("leaf_a").label == "Leaf A, renamed"  # type: ignore[union-attr]


# -- many records --------------------------------------------------------------------------


def test_thousands_of_unique_records_are_tagged_like_the_text_they_vary(tax: Taxonomy) -> None:
    """Each of 1,500 unique texts (no cache can help) gets exactly the tags and facets of the
    text it varies by a trailing number. How fast is measured by the benchmark
    ``suggest_tags_2000`` (10 ms a record at most), not here: tests assert no timing."""
    base = rec("Balloon kyphoplasty and SBRT for thoracic spinal metastases from breast cancer",
               "BACKGROUND: Painful vertebral fractures at T11-L2.\n\nMETHODS: We retrospectively "
               "compared 24 Gy in 2 fractions with 30 Gy in 10 fractions; the SINS and ECOG were "
               "recorded. Patients with lymphoma were excluded. " * 3,
               mesh=[("D058498", "Kyphoplasty"), ("D016634", "Radiosurgery")],
               keywords=["MISt", "PKP"], pts=["Journal Article"])
    records = [dataclasses.replace(base, title=f"{base.title} {i}", abstract=f"{base.abstract} {i}")
               for i in range(1500)]
    expected_tags, expected_facets = suggest(base, tax), facets(base, tax)
    assert [s.tag_id for s in expected_tags] == [
        "balloon_kyphoplasty", "percutaneous_pedicle_screw_fixation",
        "minimally_invasive_stabilisation", "conventional_ebrt", "sbrt_srs"]
    assert {(f.facet, f.value) for f in expected_facets} >= {
        ("histology", "breast"), ("region", "thoracic"), ("region", "lumbar"),
        ("design", "retrospective_cohort"), ("score", "sins"), ("score", "ecog")}
    differing = [i for i, record in enumerate(records)
                 if suggest(record, tax) != expected_tags or facets(record, tax) != expected_facets]
    assert differing == []
