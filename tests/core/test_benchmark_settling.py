"""A benchmark row far from its target's line stops at one sample; a row near it takes every
sample (issue 19: ``make bench`` within ten minutes, without deciding a close call on one
run). The children are replaced by a recorder, so nothing here is timed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import children
from benchmarks.registry import NAMES, SCENARIOS, Scenario, settled


def _scenario(name: str) -> Scenario:
    return SCENARIOS[NAMES.index(name)]


def _row(name: str, samples: list[float], floors: list[float] | None = None,
         extra: dict[str, Any] | None = None, rss: float = 100.0) -> dict[str, Any]:
    return children.summarise(name, 1000, samples, floors or [], rss, dict(extra or {}),
                              _scenario(name))


def test_a_time_far_from_its_line_settles_and_one_near_it_does_not() -> None:
    parse = _scenario("parse_pubmed_10k")  # < 2.5 s
    assert settled(parse, _row("parse_pubmed_10k", [1.5], [1.3]))  # met by 40%
    assert settled(parse, _row("parse_pubmed_10k", [4.0], [1.3]))  # missed by 60%
    assert not settled(parse, _row("parse_pubmed_10k", [2.3], [1.3]))  # met by 8%
    assert not settled(parse, _row("parse_pubmed_10k", [2.6], [1.3]))  # missed by 4%


def test_ratios_memory_and_rates_are_held_to_the_same_margin() -> None:
    imp = _scenario("import_file_10k")  # ≤ 1.5× floor, < 300 MB
    assert settled(imp, _row("import_file_10k", [10.0], [9.0], rss=170.0))  # ratio 1.11
    assert not settled(imp, _row("import_file_10k", [12.5], [9.0], rss=170.0))  # ratio 1.39
    assert not settled(imp, _row("import_file_10k", [10.0], [9.0], rss=280.0))  # 280 MB
    rate = _scenario("import_file_100k")  # ≥ 1,500 rec/s
    assert settled(rate, _row("import_file_100k", [112.0], [98.0],
                              {"records_per_s": 891.0}))
    assert not settled(rate, _row("import_file_100k", [60.0], [50.0],
                                  {"records_per_s": 1600.0}))


def test_counts_settle_at_once_and_unjudged_or_query_rows_never_do() -> None:
    pmids = _scenario("import_1000_pmids")  # ≤ 5 requests: no time in the verdict
    assert settled(pmids, _row("import_1000_pmids", [2.6], [1.6], {"requests": 5}))
    assert not settled(pmids, _row("import_1000_pmids", [2.6], [1.6], {}))  # not judged
    search = _scenario("search")
    assert search.every_sample
    assert not settled(search, _row("search", [0.001] * 10, [0.002] * 10))


def test_jabref_row_settles_against_jabrefs_own_time() -> None:
    bib = _scenario("import_bib_20k")
    assert settled(bib, _row("import_bib_20k", [15.2], [4.2], {"jabref_s": [6.6]}))
    assert not settled(bib, _row("import_bib_20k", [6.0], [4.2], {"jabref_s": [6.6]}))


class _Children:
    """Stands in for :func:`children.run_child`: answers each call with the next times."""

    def __init__(self, *answers: list[float], extras: list[dict[str, Any]] | None = None,
                 rss: list[float] | None = None) -> None:
        self.answers = list(answers)
        self.extras = extras or [{"records": 10_000} for _ in answers]
        self.rss = rss or [90.0 for _ in answers]
        self.calls: list[dict[str, Any]] = []

    def __call__(self, name: str, **kwargs: Any) -> dict[str, Any]:
        self.calls.append({"name": name, **kwargs})
        samples = self.answers.pop(0)
        assert len(samples) == kwargs["repeat"]
        return {"samples": samples, "floor_samples": [1.3] * len(samples),
                "peak_rss_mb": self.rss.pop(0), "extra": self.extras.pop(0)}


def _measure(monkeypatch: pytest.MonkeyPatch, fake: _Children, name: str,
             build_into: Path | None = None) -> dict[str, Any]:
    monkeypatch.setattr(children, "run_child", fake)
    return children.measure(_scenario(name), 10_000, library=None, xml=Path("x.xml"), seed=1,
                            repeat=3, home=Path("home"), build_into=build_into)


def test_a_settled_row_is_its_one_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _Children([1.4])
    r = _measure(monkeypatch, fake, "parse_pubmed_10k")
    assert [c["repeat"] for c in fake.calls] == [1]
    assert r["samples"] == [1.4] and r["target_met"] is True
    assert r["extra"]["settled_by_one"] is True and "probe_s" not in r["extra"]


def test_a_close_row_takes_the_rest_of_its_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _Children([2.45], [2.56, 2.51])
    r = _measure(monkeypatch, fake, "parse_pubmed_10k")
    assert [c["repeat"] for c in fake.calls] == [1, 2]
    assert r["samples"] == [2.45, 2.56, 2.51]  # the first is one of the three
    assert r["floor_samples"] == [1.3, 1.3, 1.3]
    assert r["median_s"] == 2.51 and r["target_met"] is False
    assert "settled_by_one" not in r["extra"]


def test_what_a_row_measures_once_is_measured_by_its_first_child(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The second child is told it takes further samples (``--further``): the parse row's
    walks, timed once a row, are not timed again, and the first child's times are kept."""
    fake = _Children([2.45], [2.56, 2.51], extras=[
        {"records": 10_000, "read_walk_s": 1.6, "lxml": "6.2.0"}, {"records": 10_000}])
    r = _measure(monkeypatch, fake, "parse_pubmed_10k")
    assert [c["more"] for c in fake.calls] == [[], ["--further"]]
    assert r["extra"]["read_walk_s"] == 1.6 and r["extra"]["lxml"] == "6.2.0"


def test_the_two_childrens_extras_make_one_row(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _Children([2.0], [1.9, 2.1], rss=[170.0, 180.0], extras=[
        {"cpu_s": [9.1], "helper_cpu_s": [7.6], "records_per_s": 4000.0, "articles": 10_000,
         "first_sample_built": "building.sqlite"},
        {"cpu_s": [9.5, 9.0], "helper_cpu_s": [7.8, 7.5], "records_per_s": 4100.0,
         "articles": 10_000}])
    r = _measure(monkeypatch, fake, "import_file_10k")  # ratio 1.54: close to the line
    assert [c["repeat"] for c in fake.calls] == [1, 2]
    assert r["samples"] == [2.0, 1.9, 2.1] and r["median_s"] == 2.0
    assert r["extra"]["cpu_s"] == [9.1, 9.5, 9.0]  # per sample, in the order taken
    assert r["extra"]["helper_cpu_s"] == [7.6, 7.8, 7.5]
    assert r["extra"]["records_per_s"] == 5000.0  # 10,000 over the joined median
    assert r["extra"]["first_sample_built"] == "building.sqlite"
    assert r["peak_rss_mb"] == 180.0  # the higher of the two children


def test_only_the_first_run_builds_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a fresh cache the import row's first sample is the library's build: a second
    run of the row must import into a new library, not over the one just built."""
    fake = _Children([9.8], [9.9, 10.1, 9.7])
    building = Path("building.sqlite")
    # A ratio of 7.5 to the floor of 1.3: not met, and far from the line: settled.
    r = _measure(monkeypatch, fake, "import_file_10k", building)
    assert [c["more"] for c in fake.calls] == [["--build-into", str(building)]]
    assert r["samples"] == [9.8]
    fake = _Children([1.9], [1.95, 1.85])  # ratio 1.46: near the 1.5 line
    r = _measure(monkeypatch, fake, "import_file_10k", building)
    assert [c["more"] for c in fake.calls] == [["--build-into", str(building)], ["--further"]]
    assert r["samples"] == [1.9, 1.95, 1.85] and r["median_s"] == 1.9


def test_the_table_says_how_many_samples_each_row_is_over() -> None:
    from benchmarks.report import table_rows

    rows = table_rows([_row("parse_pubmed_10k", [1.4], [1.3]),
                       _row("parse_pubmed_10k", [2.56, 2.51, 2.50], [1.3] * 3)])
    assert rows[0][2] == "samples"
    assert [row[2] for row in rows[1:]] == ["1", "3"]


def test_results_name_the_undo_of_a_scattered_selection() -> None:
    """The undo row times the 1,000 articles added last; RESULTS.md also says how long a
    selection spread across the library took, the case a search result's delete is."""
    from benchmarks.report import _notes

    row = _row("undo", [0.55], [0.24], {"scattered_undo_s": [1.07, 0.87, 0.83]})
    row["size"] = 100_000
    [note] = [n for n in _notes([row], {}) if n.startswith("undo at")]
    assert note == ("undo at 100,000: the delete of 1,000 articles spread across the library "
                    "(every n-th, not the 1,000 added last) undone in 870.0 ms median "
                    "(1.07 s, 870.0 ms, 830.0 ms)")
