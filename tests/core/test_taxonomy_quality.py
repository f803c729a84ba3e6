"""Suggestion quality on the hand-labelled PubMed records in tests/data/taxonomy/.

The floors sit a little below the figures measured when they were set (see
benchmarks/taxonomy_quality.py for the per-tag table):

* tuning set (labelled before the matcher existed, then tuned on): tags P 0.970 / R 0.985,
  facets P 1.000 / R 0.991; with the sentence-context rules of issue 22, tags P 0.985 /
  R 0.985 (the project's bar: at least 0.97 / 0.98);
* held-out set (written after tuning): first and only independent measurement tags P 0.793 /
  R 0.920, facets P 1.000 / R 1.000; with issue 22's rules tags P 0.889 / R 0.960;
* context set (issue 22, 42 records written the way the field writes: negations, prior
  treatment, endpoints, background, collisions, route arms): before the sentence-context
  rules tags P 0.646 / R 0.912, after tuning on it P 0.957 / R 0.985;
* context held-out set (issue 22, 22 records written with the context set and not looked at
  while tuning): before tags P 0.674 / R 0.744; first measurement after P 0.882 / R 0.769
  (the independent figure); after fixing the British "fibre" folding bug it exposed,
  P 0.912 / R 0.795. Its floors come from the first measurement.
* field held-out set (issue 22 round 3, 45 records written and labelled before the round-3
  changes and committed before the suggester was run on them): with the matcher as it was,
  tags P 0.852 / R 0.920; first and independent measurement after the round-3 tuning on the
  other four sets, tags P 0.863 / R 0.920, facets P 0.965 / R 0.901. The goal of issue 22
  (P >= 0.95, R >= 0.90 on records not tuned on) is NOT met on it for precision; its floors
  state that measurement, not the goal. Its errors were then studied and fixed (so it is
  tuned on now: P 0.987 / R 0.987).
* fresh held-out set (43 records written after field_heldout was measured, before the fixes
  from its errors): before round 3 P 0.851 / R 0.900; after round 3's first fixes P 0.865 /
  R 0.914; after the fixes from field_heldout's errors, still P 0.865 / R 0.914 (the
  independent figure: those fixes did not carry over). Its errors were then studied and fixed
  too (P 0.917 / R 0.943, no longer independent). Floors from the independent figure.
* final held-out set (41 records written after every round-3 fix, measured once, untouched):
  before round 3 tags P 0.827 / R 0.931; after, tags P 0.883 / R 0.944, facets P 0.881 /
  R 0.839. Recall met issue 22's goal (>= 0.90), precision did NOT (goal >= 0.95). In round 4
  it became a tuning split (after: tags P 0.972 / R 0.972); its floors stay those of its
  independent measurement.
* round-4 held-out set (51 records, tests/data/taxonomy/round4/, written and labelled before
  any round-4 change and committed before the suggester was run on them; measured once, after
  the round-4 changes were tuned on the seven splits above): tags P 0.875 / R 0.959 (TP 70,
  FP 10, FN 3), facets P 0.873 / R 0.918; with the code as it was before round 4, tags
  P 0.841 / R 0.945. That was the independent estimate: recall met issue 22's goal
  (>= 0.90), precision did NOT (goal >= 0.95).
* round 5: round4_heldout is a TUNING split from now on. Its 10 false positives and 3 misses
  were studied with the other splits' errors and fixed by class (test_context_round5.py):
  after, tags P 1.000 / R 1.000 (TP 73, FP 0, FN 0), facets unchanged; not independent. A new
  held-out set, written blind by another engineer, is measured once after round 5 is merged:
  that figure, not these, says whether the goal is met on records not tuned on.

* round-5 held-out set (72 records, tests/data/taxonomy/round5/, written and labelled blind to
  the matcher at the start of round 5 and committed before any round-5 change was merged;
  measured once, after): with the code before round 5, tags P 0.873 / R 0.963 (TP 103, FP 15,
  FN 4); after round 5's tuning on the other eight splits, tags **P 0.871 / R 0.944** (TP 101,
  FP 15, FN 6), facets P 0.949 / R 0.929. This is the current independent estimate: recall
  meets issue 22's goal, precision does NOT, and round 5's fixes did not carry over to it.
* round 6: round5_heldout is a TUNING split from now on. Its errors were fixed by class
  (test_context_round6.py): after, tags P 0.991 / R 1.000 (TP 107, FP 1, FN 0), facets
  unchanged; not independent (its floors sit one error below that). The goal test is skipped
  while NEWEST names a split that has been tuned on; a blind round-6 set is measured next.
* round-6 held-out set (71 records, tests/data/taxonomy/round6/, written and labelled blind to
  the matcher during round 6 and committed before round 6's tuning was merged; measured once,
  after): with round 5's code, tags P 0.898 / R 0.946 (TP 106, FP 12, FN 6), facets P 0.894 /
  R 0.904; after round 6, tags **P 0.922 / R 0.946** (TP 106, FP 9, FN 6), facets unchanged.
  The independent estimate of round 6: recall meets issue 22's goal, precision does NOT.
* round 7: round6_heldout is a TUNING split from now on (its independent figure is the one
  above). Structural rules came first (a qualified section label such as "Recent Findings"; a
  hedged findings or conclusions mention counts weak; separation surgery with SBRT is hybrid
  therapy), then the class behind each remaining error (test_context_round7.py): after, tags
  P 0.965 / R 0.991 (TP 111, FP 4, FN 1), facets unchanged; not independent (its floors sit
  one error below that). No other split moved. The goal test is skipped again until the lead
  points NEWEST at the blind round-7 set.
* round-7 held-out set (76 records, tests/data/taxonomy/round7/, written and labelled blind to
  the matcher during round 7 and committed before round 7's tuning was merged; measured once,
  after): with round 6's code, tags P 0.879 / R 0.904 (TP 94, FP 13, FN 10), facets P 0.911 /
  R 0.911; after round 7, tags **P 0.887 / R 0.904** (TP 94, FP 12, FN 10), facets unchanged.
  The independent estimate of round 7: recall meets issue 22's goal, precision does NOT, and
  round 7's general rules carried over by one error.
* round 8: round7_heldout is a TUNING split from now on (its independent figure is the one
  above). Structural rules came first (a study of images whose title names no technique counts
  techniques only from its title, keywords or objective; bone cement in a phantom is a test
  object), then the class behind each remaining error (test_context_round8.py): after, tags
  P 0.954 / R 0.990 (TP 103, FP 5, FN 1), facets unchanged; not independent (its floors sit
  one error below that). No other split moved. The goal test is skipped again until the lead
  points NEWEST at the blind round-8 set.
* round-8 held-out set (72 records, tests/data/taxonomy/round8/, written and labelled blind to
  the matcher during round 8 and committed before round 8's tuning was merged; measured once,
  after): with round 7's code, tags P 0.929 / R 0.954 (TP 104, FP 8, FN 5), facets P 0.900 /
  R 0.906; after round 8, tags **P 0.920 / R 0.954** (TP 104, FP 9, FN 5), facets unchanged.
  The independent estimate of round 8: recall meets issue 22's goal, precision does NOT, and
  round 8's rules cost it one false positive.
* round 9: round8_heldout is a TUNING split from now on (its independent figure is the one
  above). Each rule was measured on every split and on the blind sets' first runs before it
  was kept (carbon-fibre hardware in a phantom is a test object; "in-field recurrence" is an
  endpoint, not re-irradiation; an outcome sentence's trigger does not cover the exposure
  after "after"; a tumour that recurred some time after a treatment had it before; a group
  named only in labelled results sentences is a later event; a thoracoscopic operation's
  mini-thoracotomy; screws through an open approach; surveillance for recurrence after a
  treatment), with sentences of its own in
  test_context_round9.py: after, tags P 0.973 / R 0.982 (TP 107, FP 3, FN 2), facets
  unchanged; not independent (its floors sit one error below that). fresh_heldout lost a
  false positive (P 0.985); no other split moved. The goal test is skipped again until the
  lead points NEWEST at the blind round-9 set.
* round-9 held-out set (120 records, tests/data/taxonomy/round9/, two halves written and
  labelled blind to the matcher by two engineers during round 9 and committed before round 9's
  tuning was merged; measured once, after): with round 8's code, tags P 0.881 / R 0.924 (TP 170,
  FP 23, FN 14), facets P 0.925 / R 0.843; after round 9, tags **P 0.881 / R 0.924** (the same
  counts), facets unchanged. The independent estimate of round 9: recall meets issue 22's goal,
  precision does NOT, and round 9's rules changed nothing on it. Read afterwards, 7 of its 23
  false positives came from a writer's slip in the data, not the suggester: "Spinal Fractures"
  typed with Spinal Fusion's UI (test_taxonomy_data_mesh.py now refuses such pairs in every
  set). With the UIs corrected (labels unchanged) the same code gives tags P 0.914 / R 0.924
  (TP 170, FP 16, FN 14), round 8's code the same; the floors state this.
* round 10: round9_heldout is a TUNING split from now on (its independent figures are the ones
  above: 0.881 / 0.924 as measured, 0.914 / 0.924 with the MeSH slip corrected). The goal
  test is skipped until the lead points NEWEST at the blind round-10 set. Round 10's rule (a
  group suggested only from a broad MeSH heading is dropped when the text names its techniques
  only as a prior treatment), with sentences of its own in test_context_round10.py: after,
  round9_heldout tags P 0.919 / R 0.924 (TP 170, FP 15, FN 14), facets unchanged; not
  independent. A second rule (a negated subject's own phrase, "no patient in this cohort
  underwent X", does not end the negation before the verb): after both, round9_heldout tags
  P 0.929 / R 0.924 (TP 170, FP 13, FN 14); its tag-precision floor rises to 0.92, one error
  below. No other split moved.
* round-10 held-out set (64 records, tests/data/taxonomy/round10/, written and labelled blind
  to the matcher during round 10, with real MeSH UIs checked against the domain brief, and
  committed before round 10's tuning was merged; measured once, after): with round 9's code,
  tags P 0.899 / R 0.907 (TP 98, FP 11, FN 10), facets P 0.923 / R 0.846; after round 10, tags
  **P 0.899 / R 0.907**, the same counts. The independent estimate of round 10: recall meets
  issue 22's goal, precision does NOT.
* round-11 held-out set (137 records, tests/data/taxonomy/round11/, two halves written and
  labelled blind to the matcher by two engineers during round 11, MeSH UIs checked by script,
  committed before round 11's work was merged): with round 10's code, tags **P 0.960 / R 0.937**
  (TP 193, FP 8, FN 13), facets P 0.953 / R 0.871. The first blind set on which issue 22's goal
  is met. The code has been tuned on neither round10_heldout nor round11_heldout: pooled over
  both, tags P 0.939 / R 0.927 (TP 291, FP 19, FN 23), below the goal's precision.
  Round 11's work (a learned evidence combiner) was not shipped: the suggester is unchanged.
* round-12 held-out set (140 records, tests/data/taxonomy/round12/, two halves written and
  labelled blind to the matcher by two engineers during round 12, committed before round 12's
  tuning was merged): with round 10's code, tags **P 0.966 / R 0.966** (TP 224, FP 8, FN 8),
  facets P 0.928 / R 0.879. Pooled over the three blind sets that code was never tuned on
  (rounds 10-12, 341 records): tags P 0.950 / R 0.943 (TP 515, FP 27, FN 31).
* round 12: round10_heldout and round11_heldout are TUNING splits from now on (their
  independent figures are the ones above, each measured once: round 10 P 0.899 / R 0.907,
  round 11 P 0.960 / R 0.937). Round 12's rules (test_context_round12.py) were measured on
  every split before they were kept; their figures are in the commit messages and the data
  README's round-12 section. After: round10_heldout tags P 0.917 / R 0.926 (TP 100, FP 9,
  FN 8), round11_heldout P 0.980 / R 0.966 (TP 199, FP 4, FN 7), round9_heldout P 0.935 /
  R 0.940, round7_heldout P 0.963 / R 1.000; the tuning split P 0.992 / R 0.985 and
  final_heldout P 0.959 / R 0.972 each gained a false positive (carbon-fibre "screws and rods"
  labelled without open_posterior_instrumentation, where five other sets label both); not
  independent. The tag floors of round10/11 rise to one error below these figures.
  round12_heldout, measured once after round 12's tuning was merged: tags **P 0.970 /
  R 0.966** (TP 224, FP 7, FN 8), facets unchanged. The goal is met on the newest blind set
  after its round for the second round running; it is now the only untuned split.

Floors: the tuning split keeps the project's bar (0.97 / 0.98). Since round 5 the tag floors of
the other splits, all tuned on now, sit about one error below their current figures, so a
change that costs one of them a single further error still passes and a real regression does
not; each split's first, independent figure stays recorded above. Facet floors are unchanged.

The records are read with the project's PubMed parser (no stand-in reader). Most labelled texts spell their techniques out, so these
floors mainly guard the term matching; the abbreviation, guard and MeSH rules are pinned one by
one in test_taxonomy.py, the sentence-context rules in test_context.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# The splits and their label files are listed once, where the quality table reads them.
from benchmarks.taxonomy_quality import FILES, LABEL_FILES
from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.records import ArticleRecord
from spinelib.vocabulary import Taxonomy, facets, load_taxonomy, suggest

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy"
FLOORS = {  # split -> (tag precision, tag recall, facet precision, facet recall)
    "tuning": (0.97, 0.98, 0.98, 0.98),
    "heldout": (0.95, 0.95, 0.95, 0.95),
    "context": (0.95, 0.97, 0.84, 0.81),
    "context_heldout": (0.93, 0.80, 0.85, 0.87),
    "field_heldout": (0.95, 0.95, 0.95, 0.88),
    "fresh_heldout": (0.93, 0.93, 0.90, 0.88),
    "final_heldout": (0.93, 0.93, 0.87, 0.83),
    "round4_heldout": (0.97, 0.97, 0.87, 0.91),
    "round5_heldout": (0.98, 0.99, 0.94, 0.92),
    "round6_heldout": (0.95, 0.98, 0.88, 0.90),
    "round7_heldout": (0.94, 0.98, 0.90, 0.90),
    "round8_heldout": (0.96, 0.97, 0.89, 0.90),
    "round9_heldout": (0.92, 0.92, 0.92, 0.84),
    "round10_heldout": (0.90, 0.91, 0.92, 0.84),
    "round11_heldout": (0.97, 0.96, 0.95, 0.86),
    "round12_heldout": (0.96, 0.96, 0.92, 0.87),  # blind: one error below its first figures
}
#: Issue 22's goal on records the vocabulary was not tuned on: tag precision and recall.
GOAL = (0.95, 0.90)
#: The newest held-out split, the one the goal is measured on: round12_heldout, written blind
#: by two engineers and measured once (its figures are in the module's text).
NEWEST = "round12_heldout"
#: Held-out splits that have since been tuned on: the goal measured on one of them would say
#: nothing about records never tuned on, so the goal test waits for a newer blind split.
TUNED_ON = frozenset({"round4_heldout", "round5_heldout", "round6_heldout", "round7_heldout",
                      "round8_heldout", "round9_heldout", "round10_heldout",
                      "round11_heldout"})
#: Every blind split the code has never been tuned on: the goal pooled over them is the
#: sterner reading of "records the vocabulary was not tuned on" (one set can be lucky).
#: Since round 12 tuned on round10_heldout and round11_heldout, only round 12's set.
UNTUNED: tuple[str, ...] = ("round12_heldout",)


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def labels() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name in LABEL_FILES:
        out.update(json.loads((DATA / name).read_text(encoding="utf-8"))["records"])
    return out


def _parse(split: str) -> list[ArticleRecord]:
    return parse_pubmed_xml((DATA / FILES[split]).read_bytes())


def _expected_facets(label: dict) -> set[tuple[str, str]]:
    out = {(facet, v) for facet in ("histology", "region", "score") for v in label[facet]}
    if label["design"]:
        out.add(("design", label["design"]))
    return out


def _scores(records: list[ArticleRecord], labels: dict[str, dict], tax: Taxonomy
            ) -> tuple[float, float, float, float]:
    """Micro-averaged (tag P, tag R, facet P, facet R) over the records."""
    counts = {"tag": [0, 0, 0], "facet": [0, 0, 0]}  # tp, fp, fn
    for record in records:
        label = labels[record.pmid]
        pairs = (
            ("tag", {s.tag_id for s in suggest(record, tax)}, set(label["tags"])),
            ("facet", {(f.facet, f.value) for f in facets(record, tax)}, _expected_facets(label)),
        )
        for kind, got, want in pairs:
            counts[kind][0] += len(got & want)
            counts[kind][1] += len(got - want)
            counts[kind][2] += len(want - got)
    (ttp, tfp, tfn), (ftp, ffp, ffn) = counts["tag"], counts["facet"]
    # max(1, ...): nothing suggested at all scores 0, and fails the floor instead of crashing
    return (ttp / max(1, ttp + tfp), ttp / max(1, ttp + tfn),
            ftp / max(1, ftp + ffp), ftp / max(1, ftp + ffn))


# -- the labelled set itself (no parser needed) ------------------------------------------------


def test_labels_use_only_vocabulary_ids(labels: dict[str, dict], tax: Taxonomy) -> None:
    values = {facet: {v for v, _ in pairs} for facet, pairs in tax.facet_values.items()}
    for pmid, label in labels.items():
        for tag_id in label["tags"]:
            assert tax.get(tag_id), f"{pmid}: unknown tag {tag_id}"
        for facet in ("histology", "region", "score"):
            assert set(label[facet]) <= values[facet], f"{pmid}: unknown {facet} value"
        assert label["design"] is None or label["design"] in values["design"], pmid
        assert label["split"] in FILES, pmid


def test_the_tuning_set_covers_every_leaf_and_has_negatives(labels: dict[str, dict],
                                                            tax: Taxonomy) -> None:
    tuning = [label for label in labels.values() if label["split"] == "tuning"]
    assert len(tuning) >= 40
    covered = {t for label in tuning for t in label["tags"]}
    leaves = {t.id for t in tax.tags if t.kind == "leaf"}
    assert leaves <= covered, f"leaves without a labelled example: {sorted(leaves - covered)}"
    assert sum(1 for label in tuning if not label["tags"]) >= 5, "too few negative records"


def test_the_context_sets_hold_sixty_records_with_a_heldout_part(labels: dict[str, dict]) -> None:
    context = [p for p, label in labels.items() if label["split"] == "context"]
    heldout = [p for p, label in labels.items() if label["split"] == "context_heldout"]
    assert len(context) + len(heldout) >= 60 and len(heldout) >= 20
    records = _parse("context") + _parse("context_heldout")
    assert any(not r.abstract for r in records), "no letter without an abstract"
    assert any("METHODS:" in r.abstract for r in records), "no structured abstract"
    assert any(r.abstract and ":" not in r.abstract for r in records), "no unstructured one"


# -- measured quality --------------------------------------------------------------------------


@pytest.mark.parametrize("split", list(FILES))
def test_every_record_is_labelled(split: str, labels: dict[str, dict]) -> None:
    records = _parse(split)
    pmids = {r.pmid for r in records}
    assert len(pmids) == len(records), "duplicate PMIDs in the XML"
    assert pmids == {p for p, label in labels.items() if label["split"] == split}


@pytest.mark.parametrize("split", list(FLOORS))
def test_quality_stays_above_the_measured_floor(split: str, labels: dict[str, dict],
                                                tax: Taxonomy) -> None:
    tag_p, tag_r, facet_p, facet_r = _scores(_parse(split), labels, tax)
    floor_tp, floor_tr, floor_fp, floor_fr = FLOORS[split]
    measured = f"tags P {tag_p:.3f} R {tag_r:.3f}, facets P {facet_p:.3f} R {facet_r:.3f}"
    assert tag_p >= floor_tp, measured
    assert tag_r >= floor_tr, measured
    assert facet_p >= floor_fp, measured
    assert facet_r >= floor_fr, measured


@pytest.mark.skipif(NEWEST in TUNED_ON, reason=f"{NEWEST} has been tuned on since it was "
                    "measured: the goal is measured on a blind split only")
def test_issue_22_goal_on_the_newest_heldout_set(labels: dict[str, dict], tax: Taxonomy) -> None:
    """The goal itself, not lowered: precision >= 0.95 and recall >= 0.90 on the newest
    held-out split. round12_heldout met it when measured once (P 0.966 / R 0.966), as
    round11_heldout had (P 0.960 / R 0.937); every earlier blind set had missed it (0.87-0.92)."""
    tag_p, tag_r, _, _ = _scores(_parse(NEWEST), labels, tax)
    assert tag_p >= GOAL[0], f"tag precision {tag_p:.3f}"
    assert tag_r >= GOAL[1], f"tag recall {tag_r:.3f}"


@pytest.mark.skipif(not UNTUNED, reason="no blind split is untuned: the goal is pooled again "
                    "once a new blind set is added")
def test_issue_22_goal_pooled_over_every_untuned_set(labels: dict[str, dict],
                                                     tax: Taxonomy) -> None:
    """The goal over every blind split the code has never been tuned on, pooled: a single
    set can be kind, so this reading is kept beside the newest set's. Rounds 10-12 with
    round 10's code gave P 0.950 / R 0.943 (TP 515, FP 27, FN 31) when round 12 was added;
    since round 12 tuned on rounds 10 and 11, only round 12's set is left untuned."""
    assert not set(UNTUNED) & TUNED_ON
    records = [r for split in UNTUNED for r in _parse(split)]
    tag_p, tag_r, _, _ = _scores(records, labels, tax)
    assert tag_p >= GOAL[0], f"tag precision {tag_p:.3f}"
    assert tag_r >= GOAL[1], f"tag recall {tag_r:.3f}"
