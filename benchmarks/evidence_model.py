"""A learned evidence combiner (issue 22), measured against the hand rules and not shipped.

:class:`EvidenceModel` is a :class:`spinelib.vocabulary.decider.Decider`: a logistic regression
over a small feature vector per candidate tag (:func:`candidate_features`: counted mentions by
sentence role, MeSH major/minor/broad, each dismissal, the title's veto, route, results-only and
arm flags, where the counted mentions sit taken together, the record's kind, whether a relative
tag is counted, the rules' own decision and a per-tag prior), trained by
:mod:`benchmarks.taxonomy_cv` (pure-Python logistic regression, :mod:`benchmarks.logistic`) and
saved as a JSON file (:func:`load_model`).

It lives with the benchmarks, not in the application: cross-validated by leaving whole rounds of
labelled records out, it did not beat the hand rules on records neither was fitted to
(``tests/data/taxonomy/README.md``, "A learned evidence combiner"). Like the rules, it suggests a
tag only with a counted mention to quote, and a candidate it rejects reads "not suggested: ..."
naming that mention's role.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.logistic import sigmoid
from spinelib.errors import SpineLibError
from spinelib.vocabulary.decider import Decision
from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.evidence import Ledger, TagEvidence
from spinelib.vocabulary.taxonomy import Taxonomy

#: The model file's ``format`` and the version this code reads.
MODEL_FORMAT = "spinelib-evidence-model"
MODEL_VERSION = 1

_REVIEW_TYPES = frozenset({"Review", "Systematic Review", "Meta-Analysis"})
_LETTER_TYPES = frozenset({"Letter", "Comment", "Editorial"})
_SECTION_LABEL = re.compile(r"(?:^|[.\n]\s*)[A-Z][A-Z ]{2,}:")


def record_features(doc: Doc, ledger: Ledger) -> dict[str, float]:
    """The features every candidate of a record shares: what kind of record it is."""
    record = doc.record
    out: dict[str, float] = {}
    types = set(record.publication_types)
    if types & _REVIEW_TYPES:
        out["record_review"] = 1.0
    if types & _LETTER_TYPES:
        out["record_letter"] = 1.0
    if not record.abstract.strip():
        out["record_no_abstract"] = 1.0
    elif _SECTION_LABEL.search(record.abstract):
        out["record_structured"] = 1.0
    if ledger.every_tag:
        out["record_aim_only_kind"] = 1.0  # a survey or a study of images
    return out


def candidate_features(doc: Doc, ledger: Ledger, tax: Taxonomy) -> dict[str, dict[str, float]]:
    """Tag id -> its feature vector (name -> value; absent = 0), for every tag the ledger saw.

    Counts enter as log2(1 + n), so a tenth mention adds less than a second."""
    shared = record_features(doc, ledger)
    counted = {t for t, ev in ledger.tags.items() if ev.score > 0}
    out: dict[str, dict[str, float]] = {}
    for tag_id, ev in ledger.tags.items():
        feats = dict(shared)
        for kind, n in Counter(ev.kinds).items():
            feats[kind] = math.log2(1 + n)
        feats.update(_flags(ev))
        feats.update(_support(ev))
        feats.update(_relatives(tag_id, counted, tax))
        feats[f"tag={tag_id}"] = 1.0
        out[tag_id] = feats
    return out


def _flags(ev: TagEvidence) -> dict[str, float]:
    flags = {"rules_suggest": ev.suggested, "title_veto": bool(ev.title_veto),
             "vetoed": ev.vetoed, "title_affirmed": ev.title_affirmed,
             "explicit": ev.explicit, "beyond_results": ev.beyond_results,
             "counted": ev.score > 0, "mesh_only": ev.score > 0 and ev.score == ev.mesh_score}
    out = {name: 1.0 for name, on in flags.items() if on}
    if ev.score:
        out["score"] = math.log2(1 + ev.score)
    return out


#: Counted kinds that say what the study did or is about (not what followed or was found).
_CORE = frozenset({"role_title", "role_keyword", "role_objective", "role_methods",
                   "mesh_major"})
_COUNTED = _CORE | frozenset({"role_results", "role_conclusions", "role_abstract",
                              "mesh_minor", "mesh_broad"})
_DISMISSALS = ("status_", "aim_only", "background", "hedged")


def _support(ev: TagEvidence) -> dict[str, float]:
    """Where the counted mentions sit, taken together: the rules add weights, so they
    cannot say "counted, but only in results and conclusions"."""
    kinds = set(ev.kinds)
    counted = kinds & _COUNTED
    out: dict[str, float] = {}
    if counted:
        out["counted_roles"] = math.log2(1 + len(counted))
        if not counted & _CORE:
            out["no_core_support"] = 1.0
        if len([k for k in ev.kinds if k in _COUNTED]) == 1:
            out["single_counted"] = 1.0
    dismissed = sum(1 for k in ev.kinds if k.startswith(_DISMISSALS))
    if dismissed and counted:
        out["counted_and_dismissed"] = 1.0
    return out


def _relatives(tag_id: str, counted: set[str], tax: Taxonomy) -> dict[str, float]:
    tag = tax._by_id[tag_id]
    out: dict[str, float] = {}
    if tag.kind == "group":
        out["is_group"] = 1.0
        if (tax.descendants(tag_id) - {tag_id}) & counted:
            out["child_counted"] = 1.0
    elif tag.parent:
        if tag.parent in counted:
            out["parent_counted"] = 1.0
        if any(t.id in counted for t in tax.children(tag.parent) if t.id != tag_id):
            out["sibling_counted"] = 1.0
    return out


@dataclass(frozen=True)
class EvidenceModel:
    """A trained combiner: ``bias`` + the sum of ``weights[name] * value`` is the log-odds
    that a candidate tag is one the study investigates; at ``threshold`` or above (a
    probability) it is suggested. ``meta`` says how it was trained (kept, not used)."""

    bias: float
    weights: Mapping[str, float]
    threshold: float
    meta: Mapping[str, Any]

    def probability(self, feats: Mapping[str, float]) -> float:
        """The model's probability for one candidate's features."""
        return sigmoid(self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items()))

    def decide(self, doc: Doc, ledger: Ledger, tax: Taxonomy) -> Decision:
        return self.decide_features(ledger, candidate_features(doc, ledger, tax))

    def decide_features(self, ledger: Ledger, features: Mapping[str, Mapping[str, float]]
                        ) -> Decision:
        """:meth:`decide` with the features already found (the cross-validation reuses
        them for every model it tries)."""
        found: dict[str, str] = {}
        held: dict[str, str] = {}
        for tag_id, feats in features.items():
            ev = ledger.tags[tag_id]
            p = self.probability(feats)
            if ev.has_reason and p >= self.threshold:
                found[tag_id] = ev.reason
            elif ev.has_reason and ev.suggested:  # the rules would have: say what weighed less
                held[tag_id] = (f"not suggested: too little evidence in {ev.reason} "
                                f"(evidence model {p:.2f} < {self.threshold:.2f})")
            else:
                held[tag_id] = ev.why_not()
        return Decision(found, held)

    def to_json(self) -> dict[str, Any]:
        """The file's content (see :func:`load_model`); weights sorted, so it diffs well."""
        return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "bias": self.bias,
                "threshold": self.threshold, "meta": dict(self.meta),
                "weights": {k: self.weights[k] for k in sorted(self.weights)}}


def model_from_json(data: Any, tax: Taxonomy) -> EvidenceModel:
    """An :class:`EvidenceModel` from a parsed model file; ValueError naming the problem."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if data.get("format") != MODEL_FORMAT:
        raise ValueError(f"'format' is not {MODEL_FORMAT!r}")
    if data.get("version") != MODEL_VERSION:
        raise ValueError(f"version {data.get('version')!r} is not {MODEL_VERSION}")
    bias: Any = data.get("bias")
    threshold: Any = data.get("threshold")
    if not _finite(bias):
        raise ValueError("'bias' is not a finite number")
    if not _finite(threshold) or not 0.0 < float(threshold) < 1.0:
        raise ValueError("'threshold' is not a probability between 0 and 1")
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        raise ValueError("'meta' is not an object")
    return EvidenceModel(float(bias), _weights(data.get("weights"), tax), float(threshold), meta)


def _weights(weights: Any, tax: Taxonomy) -> dict[str, float]:
    if not isinstance(weights, dict) or not weights:
        raise ValueError("'weights' is not a non-empty object")
    for name, value in weights.items():
        if not _finite(value):
            raise ValueError(f"weight {name!r} is not a finite number")
        if name.startswith("tag=") and tax.get(name[4:]) is None:
            raise ValueError(f"weight {name!r} names a tag the vocabulary does not have")
    return {k: float(v) for k, v in weights.items()}


def _finite(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def load_model(tax: Taxonomy, path: Path) -> EvidenceModel:
    """The model in ``path``, checked against ``tax``.

    A missing, unreadable or malformed file raises :class:`~spinelib.errors.SpineLibError`
    with a one-line message naming the file: never a silent fall-back to the rules."""
    target = Path(path)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpineLibError(f"evidence model file {target} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpineLibError(f"cannot read evidence model file {target}: {exc}") from None
    try:
        return model_from_json(json.loads(text), tax)
    except json.JSONDecodeError as exc:
        raise SpineLibError(f"evidence model file {target} is not valid JSON "
                            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError as exc:
        raise SpineLibError(f"evidence model file {target}: {exc}") from None
