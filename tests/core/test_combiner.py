"""The learned evidence combiner of issue 22 (benchmarks/evidence_model.py, logistic.py) and its
leave-one-round-out harness (benchmarks/taxonomy_cv.py), on sentences written for this
file. The application still decides with the hand rules: these tests pin what the harness
measures with, and that a model file is checked when it is read."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks import taxonomy_cv
from benchmarks.evidence_model import (
    EvidenceModel,
    candidate_features,
    load_model,
    model_from_json,
)
from benchmarks.logistic import fit, sigmoid
from benchmarks.taxonomy_quality import FILES
from spinelib.errors import SpineLibError
from spinelib.records import ArticleRecord, MeshHeading
from spinelib.vocabulary import Taxonomy, explain, load_taxonomy
from spinelib.vocabulary.decider import RULES
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.suggestions import read_evidence

KYPHOPLASTY_ABSTRACT = (
    "BACKGROUND: Vertebroplasty has been used for painful metastases. "
    "METHODS: Forty patients with myeloma underwent balloon kyphoplasty at one or two levels. "
    "Vertebroplasty was not performed in any patient. "
    "RESULTS: Pain fell from 8 to 3. Radiofrequency ablation may be considered in future.")


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def _features(record: ArticleRecord, tax: Taxonomy) -> dict[str, dict[str, float]]:
    doc = Doc(record)
    return candidate_features(doc, read_evidence(doc, tax), tax)


# -- features ----------------------------------------------------------------------------------


def test_features_say_where_each_mention_sits_and_what_was_said_of_it(tax: Taxonomy) -> None:
    record = ArticleRecord(title="Kyphoplasty for myeloma fractures",
                           abstract=KYPHOPLASTY_ABSTRACT)
    feats = _features(record, tax)
    kypho = feats["balloon_kyphoplasty"]
    assert kypho["role_title"] == kypho["role_methods"] == 1.0  # log2(1 + 1)
    assert kypho["rules_suggest"] == kypho["title_affirmed"] == 1.0
    assert kypho["tag=balloon_kyphoplasty"] == 1.0 and kypho["record_structured"] == 1.0
    assert "status_negated" not in kypho and "no_core_support" not in kypho
    vp = feats["percutaneous_vertebroplasty"]
    assert vp["status_negated"] == 1.0 and vp["background"] == 1.0  # two mentions, neither counts
    assert vp["sibling_counted"] == 1.0  # kyphoplasty, its sibling, is counted
    assert "rules_suggest" not in vp and "counted" not in vp
    rfa = feats["radiofrequency_ablation"]
    assert rfa["hedged"] == 1.0 and "rules_suggest" not in rfa


def test_counts_grow_by_their_logarithm_and_mesh_kinds_are_told_apart(tax: Taxonomy) -> None:
    record = ArticleRecord(
        title="Kyphoplasty: a cohort",
        abstract="Methods: We performed kyphoplasty. Kyphoplasty used PMMA. "
                 "Kyphoplasty was done under fluoroscopy.",
        mesh=[MeshHeading("D058498", "Kyphoplasty", major=True)])
    kp = _features(record, tax)["balloon_kyphoplasty"]
    assert kp["role_methods"] == pytest.approx(math.log2(4))  # three methods mentions
    assert kp["mesh_major"] == 1.0 and "mesh_minor" not in kp
    minor = ArticleRecord(title="A cohort", mesh=[MeshHeading("D058498", "Kyphoplasty")])
    kp = _features(minor, tax)["balloon_kyphoplasty"]
    assert kp["mesh_minor"] == 1.0 and kp["mesh_only"] == 1.0 and "rules_suggest" not in kp


def test_record_kind_features(tax: Taxonomy) -> None:
    letter = ArticleRecord(title="Kyphoplasty for myeloma fractures",
                           publication_types=["Letter"])
    feats = _features(letter, tax)["balloon_kyphoplasty"]
    assert feats["record_letter"] == feats["record_no_abstract"] == 1.0
    assert "record_review" not in feats and "record_structured" not in feats
    review = ArticleRecord(title="Kyphoplasty for myeloma fractures",
                           abstract="We review kyphoplasty for painful fractures in myeloma.",
                           publication_types=["Journal Article", "Review"])
    feats = _features(review, tax)["balloon_kyphoplasty"]
    assert feats["record_review"] == 1.0 and "record_no_abstract" not in feats
    assert "record_structured" not in feats  # no section labels


def test_results_only_support_is_a_feature_of_its_own(tax: Taxonomy) -> None:
    record = ArticleRecord(
        title="Outcomes of spinal metastases",
        abstract="METHODS: We reviewed 60 patients with spinal metastases. RESULTS: Eight "
                 "patients had vertebroplasty for pain.")
    vp = _features(record, tax)["percutaneous_vertebroplasty"]
    assert vp["role_results"] == 1.0
    assert vp["no_core_support"] == vp["single_counted"] == 1.0


# -- the model's decision and its explanations -------------------------------------------------


def _model(bias: float, threshold: float = 0.5, **weights: float) -> EvidenceModel:
    return EvidenceModel(bias, weights, threshold, {})


def test_a_model_decides_and_the_reason_stays_the_best_counted_mention(tax: Taxonomy) -> None:
    record = ArticleRecord(title="A cohort", abstract=KYPHOPLASTY_ABSTRACT)
    by_rules = {s.tag_id: s.reason for s in explain(record, tax, decider=RULES).suggested}
    assert set(by_rules) == {"balloon_kyphoplasty"}
    keen = _model(5.0)  # everything with a counted mention
    by_model = {s.tag_id: s.reason for s in explain(record, tax, decider=keen).suggested}
    assert by_model["balloon_kyphoplasty"] == by_rules["balloon_kyphoplasty"]
    assert by_model["balloon_kyphoplasty"].startswith("methods: 'underwent balloon kyphoplasty")
    assert "radiofrequency_ablation" in by_model  # counted weak (hedged): the model may take it
    assert "percutaneous_vertebroplasty" not in by_model  # nothing counted: never suggested


def test_a_rejected_candidate_reads_not_suggested_naming_its_best_role(tax: Taxonomy) -> None:
    record = ArticleRecord(title="A cohort", abstract=KYPHOPLASTY_ABSTRACT)
    strict = _model(-5.0)
    result = explain(record, tax, decider=strict)
    assert result.suggested == []
    why = {s.tag_id: s.reason for s in result.not_suggested}
    assert why["balloon_kyphoplasty"].startswith(
        "not suggested: too little evidence in methods: 'underwent balloon kyphoplasty")
    assert why["percutaneous_vertebroplasty"].startswith("not suggested: negated in methods")


def test_model_decision_follows_its_weights(tax: Taxonomy) -> None:
    record = ArticleRecord(title="A cohort", abstract=KYPHOPLASTY_ABSTRACT)
    only_methods = _model(-3.0, role_methods=6.0)
    found = {s.tag_id for s in explain(record, tax, decider=only_methods).suggested}
    assert found == {"balloon_kyphoplasty"}  # RFA is hedged in results: no methods mention
    assert only_methods.probability({"role_methods": 0.5}) == pytest.approx(sigmoid(0.0))


# -- logistic regression -----------------------------------------------------------------------


def test_fit_finds_the_penalised_optimum() -> None:
    rows = [{"a": 1.0}, {"a": 1.0}, {"a": 1.0}, {}, {}, {"a": 1.0, "b": 2.0}]
    ys = [True, True, False, False, False, True]
    bias, w = fit(rows, ys, penalty=lambda name: 0.5)
    # the gradient of the penalised log-likelihood is zero at the answer
    probs = [sigmoid(bias + sum(w[k] * v for k, v in r.items())) for r in rows]
    assert abs(sum(p - y for p, y in zip(probs, ys))) < 1e-9
    for name in ("a", "b"):
        grad = sum((p - y) * r.get(name, 0.0) for p, y, r in zip(probs, ys, rows))
        assert abs(grad + 0.5 * w[name]) < 1e-9
    assert w["a"] > 0 and w["b"] > 0


def test_fit_is_deterministic_and_finite_on_separable_data() -> None:
    rows = [{"x": float(i % 3), "y": 1.0 if i % 2 else 0.0} for i in range(40)]
    ys = [i % 2 == 1 for i in range(40)]  # "y" separates the labels exactly
    first = fit(rows, ys, penalty=lambda name: 1.0)
    assert fit(rows, ys, penalty=lambda name: 1.0) == first  # bit for bit
    assert all(math.isfinite(v) for v in first[1].values())
    assert first[1]["y"] > 1.0


def test_fit_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        fit([], [], penalty=lambda name: 1.0)
    with pytest.raises(ValueError):
        fit([{"a": 1.0}], [True, False], penalty=lambda name: 1.0)
    with pytest.raises(ValueError):
        fit([{"a": 1.0}, {}], [True, False], penalty=lambda name: 0.0)


# -- the model file ----------------------------------------------------------------------------


def test_a_model_file_round_trips(tax: Taxonomy, tmp_path: Path) -> None:
    model = _model(-1.25, 0.6, role_methods=2.5, **{"tag=sacroplasty": -0.5})
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    assert load_model(tax, path) == model


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "other"}, "'format'"),
    ({"version": 2}, "version 2"),
    ({"bias": "1"}, "'bias'"),
    ({"bias": float("nan")}, "'bias'"),
    ({"threshold": 1.0}, "'threshold'"),
    ({"weights": {}}, "'weights'"),
    ({"weights": {"role_methods": None}}, "weight 'role_methods'"),
    ({"weights": {"tag=no_such_tag": 1.0}}, "names a tag"),
    ({"meta": []}, "'meta'"),
])
def test_a_malformed_model_is_refused_with_a_clear_message(
        tax: Taxonomy, tmp_path: Path, change: dict[str, object], message: str) -> None:
    data = _model(0.0, role_methods=1.0).to_json()
    data.update(change)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SpineLibError, match=message) as info:
        load_model(tax, path)
    assert str(path) in str(info.value)


def test_a_missing_or_broken_model_file_is_an_error_not_a_fallback(tax: Taxonomy,
                                                                   tmp_path: Path) -> None:
    with pytest.raises(SpineLibError, match="not found"):
        load_model(tax, tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{\"format\": ", encoding="utf-8")
    with pytest.raises(SpineLibError, match="not valid JSON"):
        load_model(tax, broken)
    with pytest.raises(ValueError, match="not a JSON object"):
        model_from_json([1, 2], tax)


# -- the harness -------------------------------------------------------------------------------


def test_every_labelled_split_is_in_exactly_one_round_group() -> None:
    splits = [s for group in taxonomy_cv.GROUPS.values() for s in group]
    assert sorted(splits) == sorted(FILES)
    assert list(taxonomy_cv.GROUPS)[-1] == taxonomy_cv.NEWEST


def test_training_on_labelled_rounds_is_deterministic(tax: Taxonomy) -> None:
    items = [i for i in taxonomy_cv.load_items(tax) if i.group in ("round4", "round5")]
    assert len(items) == 51 + 72
    settings = taxonomy_cv.Settings(l2=1.0, tag_l2=10.0)
    first = taxonomy_cv.train(items, tax, settings)
    again = taxonomy_cv.train(items, tax, settings)
    assert first == again
    assert first.meta["records"] == 123 and first.weights["rules_suggest"] > 0
    # scored on records it was trained on, it at least keeps most of what is labelled
    tally = taxonomy_cv.score(items, tax, first)
    assert tally.recall is not None and tally.recall > 0.9


def test_the_word_experiments_lbfgs_finds_the_newton_optimum() -> None:
    from benchmarks.taxonomy_cv_words import lbfgs

    rows = [{"a": float(i % 3), "b": 1.0 if i % 4 == 0 else 0.0, "w:later": float(i % 2)}
            for i in range(30)]
    ys = [(i % 3 == 2) or (i % 4 == 0 and i % 2 == 1) for i in range(30)]

    def penalty(name: str) -> float:
        return 2.0 if name.startswith("w:") else 0.5

    newton = fit(rows, ys, penalty=penalty)
    quasi = lbfgs(rows, ys, penalty)
    assert quasi[0] == pytest.approx(newton[0], abs=1e-3)
    for name, weight in newton[1].items():
        assert quasi[1][name] == pytest.approx(weight, abs=1e-3)
