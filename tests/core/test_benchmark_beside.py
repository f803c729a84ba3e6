"""The soak runs beside a fresh run's data phase, and only there (benchmarks/beside.py).

The children are replaced by fakes that wait for each other, so what is proved is the order
of events (the soak's child was running while the XML was written, and ended before the
first timed row), never a time.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from benchmarks import beside, generate, runner
from benchmarks.children import summarise
from benchmarks.registry import SCENARIOS

SEED = 5
RECORDS = 40
WAIT = 30.0  # seconds a fake waits for the other before the test fails (never reached)


class Fakes:
    """A fake soak child, data phase and row measurement, recording what happened when."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.events: list[str] = []
        self.soak_running = threading.Event()
        self.xml_started = threading.Event()

    def soak_child(self, name: str, **_: Any) -> dict[str, Any]:
        assert name == "team_soak"
        self.events.append("soak started")
        self.soak_running.set()
        assert self.xml_started.wait(WAIT), "the XML was not written while the soak ran"
        self.events.append("soak ended")
        return {"samples": [60.0], "floor_samples": [], "peak_rss_mb": 139.0, "cpu_s": 84.0,
                "extra": {"changes": 1200, "clients": 10, "lost": 0, "duplicated": 0}}

    def prepare(self, sizes: Any, xml_sizes: Any, seed: int, cache: Path, rebuild: bool
                ) -> None:
        self.events.append("xml started")
        self.xml_started.set()
        for n in xml_sizes:
            generate.xml_path(n, seed, cache).write_text("<PubmedArticleSet/>")
        self.events.append("xml written")

    def measure(self, scenario: Any, size: int, **_: Any) -> dict[str, Any]:
        self.events.append(f"measured {scenario.name}")
        if scenario.name == "team_soak":
            return summarise(scenario.name, size, [60.0], [], 139.0,
                             {"changes": 1500, "clients": 10, "lost": 0, "duplicated": 0},
                             scenario)
        return summarise(scenario.name, size, [1.0], [0.9], 100.0, {"records": RECORDS},
                         scenario)


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fakes: Fakes) -> list[dict[str, Any]]:
    monkeypatch.setattr(beside, "run_child", fakes.soak_child)
    monkeypatch.setattr(runner, "prepare_in_child", fakes.prepare)
    monkeypatch.setattr(runner, "measure", fakes.measure)
    out = tmp_path / "results.json"
    assert runner.main(["--only", "parse_pubmed_10k,team_soak", "--seed", str(SEED),
                        "--xml-records", str(RECORDS), "--repeat", "1",
                        "--cache", str(fakes.cache), "--out", str(out)]) == 0
    rows: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return rows


def test_on_a_fresh_cache_the_soak_runs_while_the_xml_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fakes = Fakes(tmp_path / "cache")
    fakes.cache.mkdir()
    rows = _run(tmp_path, monkeypatch, fakes)
    # Both ran at once (each fake waited for the other), and the soak ended before the
    # first timed row; its own measurement was not taken again in its place.
    assert fakes.events.index("soak started") < fakes.events.index("xml written")
    assert fakes.events.index("xml started") < fakes.events.index("soak ended")
    assert fakes.events.index("soak ended") < fakes.events.index("measured parse_pubmed_10k")
    assert "measured team_soak" not in fakes.events
    # The table keeps its order, and the soak's row says where it ran, with its own CPU.
    assert [r["name"] for r in rows] == [s.name for s in SCENARIOS
                                         if s.name in ("parse_pubmed_10k", "team_soak")]
    soak = next(r for r in rows if r["name"] == "team_soak")
    assert soak["extra"]["beside_data"] is True and soak["target_met"] is True
    assert soak["run"]["cpu_s"] == 84.0 and soak["extra"]["changes"] == 1200


def test_with_nothing_to_make_the_soak_runs_in_its_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fakes = Fakes(tmp_path / "cache")
    fakes.cache.mkdir()
    generate.xml_path(RECORDS, SEED, fakes.cache).write_text("<PubmedArticleSet/>")
    rows = _run(tmp_path, monkeypatch, fakes)
    assert "soak started" not in fakes.events  # no child beside the (empty) data phase
    assert fakes.events.count("measured team_soak") == 1
    soak = next(r for r in rows if r["name"] == "team_soak")
    assert "beside_data" not in soak["extra"] and soak["extra"]["changes"] == 1500


def test_only_rows_no_clock_judges_may_run_beside() -> None:
    allowed = [s.name for s in SCENARIOS if beside.runs_beside(s)]
    assert allowed == ["team_soak"]
    timed = next(s for s in SCENARIOS if s.name == "team_push_1000")
    with pytest.raises(ValueError, match="cannot run beside"):
        beside.BesideData(timed, seed=1, home=Path("."), cache=Path("."))
