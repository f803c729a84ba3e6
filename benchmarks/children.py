"""One row of the table measured: its scenario run in fresh child processes (``python -m
benchmarks.scenarios``), its samples summarised into the ``results.json`` object, and a row
far from its target's line stopped at one sample (:func:`measure`). The runner
(:mod:`benchmarks.runner`) decides what runs and in which order; this is how one row runs."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import generate
from benchmarks.registry import Scenario, floor_meets, settled
from benchmarks.scenarios import RESULT_PREFIX

ROOT = generate.ROOT
#: Seconds a child may run before it is stopped and the scenario reported failed.
CHILD_TIMEOUT = 3600


# ------------------------------------------------------------------------------ statistics
def p95(samples: Sequence[float]) -> float:
    """95th percentile (linear interpolation between closest ranks)."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def summarise(name: str, size: int, samples: Sequence[float], floors: Sequence[float],
              rss: float, extra: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """The results.json object for one (scenario, size)."""
    median = statistics.median(samples)
    floor = statistics.median(floors) if floors else None
    result: dict[str, Any] = {
        "name": name, "size": size, "median_s": round(median, 6), "p95_s": round(p95(samples), 6),
        "peak_rss_mb": round(rss, 1), "floor_s": None if floor is None else round(floor, 6),
        "ratio": None if not floor else round(median / floor, 2),
        "samples": [round(s, 6) for s in samples],
        "floor_samples": [round(s, 6) for s in floors],
        "floor_p95_s": round(p95(floors), 6) if floors else None,
        "target": scenario.target, "extra": extra,
    }
    result["target_met"] = scenario.check(result)
    result["floor_meets_target"] = floor_meets(scenario, result)
    return result


# ------------------------------------------------------------------------------ children
def child_env(home: Path, gui: bool, cache: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if cache is not None:  # a scenario that builds its own library uses the same cache
        env["SPINELIB_BENCH_CACHE"] = str(cache)
    env.update(SPINELIB_HOME=str(home), SPINELIB_EMAIL="bench@example.org",
               SPINELIB_EUTILS_URL="http://127.0.0.1:9/eutils",
               SPINELIB_IDCONV_URL="http://127.0.0.1:9/idconv",
               SPINELIB_CROSSREF_URL="http://127.0.0.1:9/crossref",
               SPINELIB_EUROPEPMC_URL="http://127.0.0.1:9/europepmc",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT.parent),
                                                        env.get("PYTHONPATH", "")])))
    env.pop("SPINELIB_LIBRARY", None)
    env.pop("SPINELIB_NCBI_API_KEY", None)  # the fake server is paced as NCBI without a key
    if gui:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_child(name: str, *, library: Path | None, xml: Path | None, seed: int, repeat: int,
              gui: bool, home: Path, cold: bool = False,
              cache: Path | None = None, more: Sequence[str] = ()) -> dict[str, Any]:
    """Run one scenario in a fresh interpreter; its parsed BENCH-RESULT payload.
    ``more``: further arguments (``--build-into PATH``, ``--no-floor``)."""
    cmd = [sys.executable, "-m", "benchmarks.scenarios", name, "--seed", str(seed),
           "--repeat", str(repeat), *more]
    if cold:
        cmd.append("--cold")
    if library is not None:
        cmd += ["--library", str(library)]
    if xml is not None:
        cmd += ["--xml", str(xml)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env(home, gui, cache),
                          cwd=ROOT.parent, timeout=CHILD_TIMEOUT)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            payload: dict[str, Any] = json.loads(line[len(RESULT_PREFIX):])
            return payload
    tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
    raise RuntimeError(f"{name} failed (exit {proc.returncode}):\n{tail}")


def measure(scenario: Scenario, size: int, *, library: Path | None, xml: Path | None,
            seed: int, repeat: int, home: Path, cache: Path | None = None,
            build_into: Path | None = None) -> dict[str, Any]:
    """Every sample of one (scenario, size), summarised. ``build_into`` (an import row on a
    fresh cache): its first sample's library is kept there, as the benchmark library.

    A row of several samples first takes one (with its floor). When that one settles the
    target (:func:`registry.settled`: 25% slower or faster would not change the verdict)
    it is the row; otherwise the rest of its samples are taken, in a second child, and
    the row is all of them (:func:`_joined`): the first is a sample like the others, taken
    the same way. Issue 19 wants ``make bench`` within ten minutes, and the repeats of rows
    far from their line were a third of its scenarios (measuring a close row again from
    the start cost ``import_file_10k`` 16 s more and ``parse_pubmed_10k`` 5 s).
    A first sample that built the benchmark library (``build_into``) is named in the row
    (``extra.first_sample_built``) either way: its time is the build's."""
    repeat = min(repeat, scenario.max_repeat or repeat)
    if library is not None:
        warm(library)  # whatever ran before (a cold sample) must not leak into these samples
    kwargs: dict[str, Any] = dict(library=library, xml=xml, seed=seed, home=home, cache=cache)
    if repeat > 1 and not scenario.every_sample:
        result = _samples(scenario, size, repeat=1, build_into=build_into, **kwargs)
        if settled(scenario, result):
            result["extra"]["settled_by_one"] = True
        else:
            rest = _samples(scenario, size, repeat=repeat - 1, further=True, **kwargs)
            result = _joined(scenario, size, result, rest)
    else:
        result = _samples(scenario, size, repeat=repeat, build_into=build_into, **kwargs)
    if scenario.cold and library is not None:
        payload = run_child(scenario.name, library=library, xml=xml, seed=seed, repeat=1,
                            gui=scenario.gui, home=home, cold=True, cache=cache)
        result["extra"]["cold_s"] = round(payload["samples"][0], 4)
        if payload["floor_samples"]:
            result["extra"]["cold_floor_s"] = round(payload["floor_samples"][0], 4)
        warm(library)  # put the cache back for the scenarios that follow
    return result


def _joined(scenario: Scenario, size: int, first: dict[str, Any], rest: dict[str, Any]
            ) -> dict[str, Any]:
    """One row of a first child's sample and a second child's others: the samples and
    floors in the order taken, the higher peak RSS; in ``extra``, per-sample lists joined
    the same way, a scalar the second child's (what the first alone has kept: the name of
    the library it built), and a record rate over the joined median."""
    extra = dict(first["extra"])
    for key, value in rest["extra"].items():
        before = extra.get(key)
        extra[key] = (before + value if isinstance(before, list) and isinstance(value, list)
                      else value)
    samples = first["samples"] + rest["samples"]
    if "records_per_s" in extra:
        extra["records_per_s"] = round(size / statistics.median(samples), 1)
    return summarise(scenario.name, size, samples,
                     first["floor_samples"] + rest["floor_samples"],
                     max(first["peak_rss_mb"], rest["peak_rss_mb"]), extra, scenario)


def _samples(scenario: Scenario, size: int, *, library: Path | None, xml: Path | None,
             seed: int, repeat: int, home: Path, cache: Path | None,
             build_into: Path | None = None, further: bool = False) -> dict[str, Any]:
    """``repeat`` samples of one (scenario, size) and their floors, summarised: in one child,
    or one child each (after an untimed warm-up start) where every sample is a fresh start.
    ``further``: the row's first sample was taken; its children skip what a row measures
    once (``--further``: ``parse_pubmed_10k``'s walks, which the first child's extras keep)."""
    runs = repeat if scenario.fresh_per_sample else 1
    per_child = 1 if scenario.fresh_per_sample else repeat
    samples: list[float] = []
    floors: list[float] = []
    rss: list[float] = []
    extra: dict[str, Any] = {}
    warmup: float | None = None
    if scenario.fresh_per_sample:
        # One untimed start first: the first process after others ran pays for loading
        # shared libraries and Python files from disk, which is not what we measure.
        warmup = run_child(scenario.name, library=library, xml=xml, seed=seed, repeat=1,
                           gui=scenario.gui, home=home, cache=cache)["samples"][0]
    for run in range(runs):
        more = ["--build-into", str(build_into)] if build_into is not None and not run else []
        if further:
            more.append("--further")
        payload = run_child(scenario.name, library=library, xml=xml, seed=seed,
                            repeat=per_child, gui=scenario.gui, home=home, cache=cache,
                            more=more)
        samples += payload["samples"]
        floors += payload["floor_samples"]
        rss.append(payload["peak_rss_mb"])
        extra = payload["extra"]
    if scenario.fresh_per_sample and len(rss) > 1:
        extra["peak_rss_mb_max"] = max(rss)
    if warmup is not None:
        extra["warmup_s"] = round(warmup, 4)
    return summarise(scenario.name, size, samples, floors, statistics.median(rss), extra,
                     scenario)


def warm(path: Path) -> None:
    """Read a file once so every scenario starts from the same (warm) OS file cache."""
    with path.open("rb") as fh:
        while fh.read(1 << 24):
            pass
