"""The benchmark scenarios: each row kind of the table, its target and how a result is judged
against it. The runner (``benchmarks/runner.py``) runs them; this is the list it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Records in the PubMed XML file of the parse and file-import scenarios.
XML_RECORDS = 10_000
#: Records in the PubMed XML file of ``import_file_100k`` (about 1.6 GB, cached).
XML_100K = 100_000

@dataclass(frozen=True)
class Scenario:
    """One row kind of the table.

    ``fixed_size``: the scenario's size does not depend on the library (it runs once, at that
    size). ``fresh_per_sample``: one child process per sample. ``max_repeat`` caps slow ones.
    ``every_sample``: the samples are one distribution the target reads a p95 of (a query
    mix, start-ups), cheap to take, so they never stop at one (:func:`settled`).
    """

    name: str
    target: str
    check: Callable[[dict[str, Any]], bool | None]
    gui: bool = False
    fixed_size: int | None = None
    fresh_per_sample: bool = False
    max_repeat: int | None = None
    needs: str = "library"  # "library" | "xml" | "none"
    #: Also run one sample with the library dropped from the OS cache (``extra.cold_s``).
    cold: bool = False
    #: The floor is a lower bound of the work the target asks for (the same work with nothing
    #: of SpineLib's around it: the same statement in raw sqlite3, the same C parser's bare
    #: walk, raw ``COPY``), so a floor that misses the target shows it out of reach on this
    #: machine (issue 19's "the floor itself is above the target"). False where the floor is
    #: other work (citeproc-py unpatched, ranking every match): its miss proves nothing.
    floor_bounds: bool = False
    every_sample: bool = False


def floor_view(r: dict[str, Any]) -> dict[str, Any] | None:
    """Result ``r`` as if SpineLib had taken exactly its floor's time (median and p95 the
    floor's, a ratio of 1, a record rate over the floor's time), with no memory of its own;
    None when the row has no floor. A scenario's check applied to it says whether the floor
    alone meets the target."""
    floor = r.get("floor_s")
    if not floor:
        return None
    extra = dict(r.get("extra") or {})
    if "records_per_s" in extra:
        extra["records_per_s"] = r["size"] / floor
    return {**r, "median_s": floor, "p95_s": r.get("floor_p95_s") or floor, "ratio": 1.0,
            "peak_rss_mb": 0.0, "extra": extra}


def floor_meets(scenario: Scenario, r: dict[str, Any]) -> bool | None:
    """Whether the floor alone meets the target (None: not judged, the floor bounding
    nothing or the row having none)."""
    view = floor_view(r) if scenario.floor_bounds else None
    return None if view is None else scenario.check(view)


#: How far from its target's line a row's first sample must lie to stand alone: a verdict
#: that a 25% slower or faster run (or 25% more memory, a 25% lower rate) would not change.
#: On this shared machine samples of one run differ by up to 5% and whole runs by up to 15%
#: (the floors of ``import_file_100k``: 110 s and 98 s), so a row that close to its line
#: takes every sample; one much farther would need three samples to fail together.
SETTLE_MARGIN = 0.25


def scaled_view(r: dict[str, Any], factor: float) -> dict[str, Any]:
    """Result ``r`` as if SpineLib had taken ``factor`` times its time and memory (its times,
    its ratio to the floor, its peak RSS; a record rate divided by it). The floor, request
    counts and the peers' times stay as measured."""
    extra = dict(r.get("extra") or {})
    if isinstance(extra.get("records_per_s"), (int, float)):
        extra["records_per_s"] = extra["records_per_s"] / factor
    if isinstance(extra.get("above_floor_s"), (int, float)):
        extra["above_floor_s"] = extra["above_floor_s"] * factor

    def times(key: str) -> float | None:
        value = r.get(key)
        return None if value is None else value * factor

    return {**r, "median_s": times("median_s"), "p95_s": times("p95_s"),
            "ratio": times("ratio"), "peak_rss_mb": times("peak_rss_mb"), "extra": extra}


def settled(scenario: Scenario, r: dict[str, Any], margin: float = SETTLE_MARGIN) -> bool:
    """Whether ``r`` (a row's first sample) already decides its target: judged, and judged the
    same with its time and memory ``margin`` lower and higher. A row that is not settled
    takes every sample (``benchmarks.runner.measure``)."""
    verdict = scenario.check(r)
    if verdict is None or scenario.every_sample:
        return False
    return all(scenario.check(scaled_view(r, f)) == verdict for f in (1 - margin, 1 + margin))


def _below(key: str, limit: float) -> Callable[[dict[str, Any]], bool | None]:
    return lambda r: None if r.get(key) is None else r[key] < limit


def _search_ok(r: dict[str, Any]) -> bool | None:
    if r["p95_s"] is None or r["ratio"] is None:
        return None
    return r["p95_s"] < 0.050 and r["ratio"] <= 2.0


def _export_ok(r: dict[str, Any]) -> bool | None:
    if r["median_s"] is None or r["ratio"] is None:
        return None
    return r["median_s"] < 2.0 and r["ratio"] <= 1.5


def _faster_than_jabref(r: dict[str, Any]) -> bool | None:
    from benchmarks.bib_scenarios import jabref_target_s

    return None if r["median_s"] is None else r["median_s"] < jabref_target_s(r["extra"])


def _pmids_ok(r: dict[str, Any]) -> bool | None:
    requests = r["extra"].get("requests")
    return None if requests is None else requests <= 5


def _pdf_extract_ok(r: dict[str, Any]) -> bool | None:
    rate = r["extra"].get("pages_per_s")
    return None if rate is None else rate >= 20


def _pdf_find_ok(r: dict[str, Any]) -> bool | None:
    searches = r["extra"].get("europepmc_searches")
    return None if searches is None else searches <= 40


def _import_ok(r: dict[str, Any]) -> bool | None:
    return None if r["ratio"] is None else r["ratio"] <= 1.5 and r["peak_rss_mb"] < 300


def _import_rate_ok(r: dict[str, Any]) -> bool | None:
    rate = r.get("extra", {}).get("records_per_s")
    return None if rate is None else rate >= 1500 and r["peak_rss_mb"] < 300


#: The scenarios, in the order of the issue (and of the table).
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("open_first_rows", "< 1 s", _below("median_s", 1.0), fresh_per_sample=True,
             cold=True, floor_bounds=True),
    Scenario("open_first_rows_gui", "< 1 s", _below("median_s", 1.0), gui=True,
             fresh_per_sample=True, cold=True),
    Scenario("search", "p95 < 50 ms, ≤ 2× floor", _search_ok, every_sample=True),
    # Issue 19: technique counts kept by the store.
    Scenario("facet_counts", "< 20 ms", _below("median_s", 0.020), every_sample=True),
    Scenario("export_bibtex_10k", "< 2 s, ≤ 1.5× floor", _export_ok, floor_bounds=True),
    Scenario("parse_pubmed_10k", "< 2.5 s", _below("median_s", 2.5), fixed_size=XML_RECORDS,
             needs="xml", floor_bounds=True),
    # Issue 19: at most 1.5x the floor (parse + raw executemany), under 300 MB, linear.
    Scenario("import_file_10k", "≤ 1.5× floor, < 300 MB", _import_ok, fixed_size=XML_RECORDS,
             max_repeat=3, needs="xml", floor_bounds=True),
    Scenario("import_file_100k", "≥ 1,500 rec/s, < 300 MB", _import_rate_ok,
             fixed_size=XML_100K, max_repeat=1, needs="xml", floor_bounds=True),
    # Issue 19: a 20,000-entry .bib faster than JabRef 3.8 loads and saves it (timed beside
    # it when installed; else the 19-29 s).
    Scenario("import_bib_20k", "< JabRef 3.8's load + save", _faster_than_jabref,
             fixed_size=20_000, max_repeat=3, needs="none", floor_bounds=True),
    Scenario("import_1000_pmids", "≤ 5 requests", _pmids_ok, fixed_size=1000, max_repeat=3,
             needs="none"),
    # Issue 19: 1,000 DOIs in batches (PubMed + Crossref requests), beside one per DOI.
    Scenario("import_1000_dois", "≤ 25 requests in all",
             lambda r: None if r["extra"].get("total_requests") is None
             else r["extra"]["total_requests"] <= 25, fixed_size=1000, max_repeat=3,
             needs="none"),
    Scenario("peak_rss_gui", "< 400 MB", _below("peak_rss_mb", 400.0), gui=True,
             fresh_per_sample=True, max_repeat=3),
    Scenario("gui_stall_import_1000", "longest stall < 1 s", _below("p95_s", 1.0), gui=True,
             fixed_size=1000, max_repeat=3, needs="none"),
    # 10 ms a record: the bound tests/core/test_taxonomy.py once asserted (1,500 in 15 s).
    Scenario("suggest_tags_2000", "< 10 ms a record", _below("median_s", 20.0),
             fixed_size=2000, max_repeat=3, needs="none"),
    # Issue 19: `spinelib --version` within 100 ms of `python -c pass`.
    Scenario("startup_version", "< 100 ms above python -c pass",
             lambda r: None if r.get("extra", {}).get("above_floor_s") is None
             else r["extra"]["above_floor_s"] < 0.100, fixed_size=1, needs="none",
             every_sample=True),
    # Issue 16: a journal's reference list, a Word manuscript, a kept export.
    Scenario("csl_bibliography_1000", "< 2 s", _below("median_s", 2.0), fixed_size=1000,
             max_repeat=3, needs="none"),
    Scenario("manuscript_200", "< 3 s", _below("median_s", 3.0), fixed_size=200,
             max_repeat=3, needs="none"),
    Scenario("keep_updated", "< 5 s, one write", _below("median_s", 5.0), fixed_size=1000,
             max_repeat=3, needs="none"),
    # Issue 17 (benchmarks/safety_scenarios.py).
    Scenario("retraction_check_100k", "< 5 s", _below("median_s", 5.0), max_repeat=3),
    Scenario("retraction_load", "< 30 s", _below("median_s", 30.0), fixed_size=65_000,
             max_repeat=3, needs="none"),
    Scenario("watch_run", "≤ 5 requests", _pmids_ok, fixed_size=500, max_repeat=3,
             needs="none"),
    # Issue 14 (benchmarks/pdf_scenarios.py).
    Scenario("pdf_extract", "≥ 20 pages/s", _pdf_extract_ok, fixed_size=20, needs="none"),
    Scenario("fulltext_search_10k", "p95 < 100 ms", _below("p95_s", 0.100),
             fixed_size=10_000, max_repeat=5, needs="none", every_sample=True),
    Scenario("pdf_find_1000", "≤ 40 Europe PMC searches", _pdf_find_ok, fixed_size=1000,
             max_repeat=1, needs="none"),
    # Team libraries (issue 13): each starts its own throw-away PostgreSQL cluster.
    Scenario("team_clone_100k", "< 60 s", _below("median_s", 60.0), fixed_size=100_000,
             max_repeat=1, needs="none", floor_bounds=True),
    Scenario("team_propagation", "p95 < 1 s (aim 200 ms)", _below("p95_s", 1.0),
             fixed_size=1, needs="none", every_sample=True),
    Scenario("team_push_1000", "< 5 s", _below("median_s", 5.0), fixed_size=1000,
             max_repeat=3, needs="none"),
    Scenario("team_soak", "0 lost or duplicated", lambda r: (
        None if "lost" not in r["extra"] else r["extra"]["lost"] == 0
        and r["extra"]["duplicated"] == 0), fixed_size=10, max_repeat=1, needs="none"),
    # Curation (issue 15).
    Scenario("duplicates_100k", "< 2 s", _below("median_s", 2.0), max_repeat=3, floor_bounds=True),
    Scenario("field_search", "p95 < 50 ms", _below("p95_s", 0.050), floor_bounds=True,
             every_sample=True),
    Scenario("undo", "undo a 1,000-article delete < 1 s", _below("median_s", 1.0),
             max_repeat=3, floor_bounds=True),
)
NAMES = tuple(s.name for s in SCENARIOS)
