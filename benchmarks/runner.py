"""Run every scenario at every size, print the table, write ``benchmarks/results.json``.

``python -m benchmarks [--sizes 10000,100000] [--repeat K] [--seed S] [--only NAME,...]
[--markdown FILE]`` (``make bench`` runs the defaults).

Every scenario runs in a fresh child process (``python -m benchmarks.scenarios``), so each
row's memory is that scenario's own peak RSS; scenarios that measure opening
(``open_first_rows``, ``open_first_rows_gui``, ``peak_rss_gui``) start one child per sample,
so every sample is a fresh start of the process, after one untimed warm-up start
(``extra.warmup_s``). The library is read into the OS file cache before each scenario; the
open scenarios add one sample with it dropped from the cache (``extra.cold_s``). GUI children
run with ``QT_QPA_PLATFORM=offscreen``. Children get a private ``SPINELIB_HOME`` and every
service URL pointing at 127.0.0.1:9, so nothing reaches the network or the user's data.

``results.json`` is a list with one object per (scenario, size): ``name``, ``size``,
``median_s``, ``p95_s``, ``peak_rss_mb``, ``floor_s`` (median of the floor samples, or null),
``ratio`` (``median_s / floor_s``, or null), plus ``samples``, ``floor_p95_s``, ``target``,
``target_met``, ``floor_meets_target`` (the target judged on the floor's times, where the
floor bounds the work: ``registry.floor_view``) and ``extra`` (scenario facts: hits,
requests made, ...).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import generate, import_build
from benchmarks.beside import BesideData, runs_beside
from benchmarks.children import measure, p95, run_child, summarise, warm
from benchmarks.registry import NAMES, SCENARIOS, XML_100K, XML_RECORDS, Scenario
from benchmarks.report import markdown_report, out_of_reach, text_table

__all__ = ["main", "measure", "p95", "summarise"]  # the runner's parts the tests drive

ROOT = generate.ROOT
RESULTS = ROOT / "results.json"
DEFAULT_SIZES = (10_000, 100_000)
#: Seconds a child may run before it is stopped and the scenario reported failed.


def code_fingerprint() -> str:
    """A hash of SpineLib's source, to tell when the code changed during a run."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT.parent / "spinelib").rglob("*.py")):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def children_cpu_s() -> float:
    """CPU seconds (user + system) of every child process this one has waited for: the build
    processes and scenario children, with the helpers they waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Phase:
    """One phase of a run (the data build, one scenario): wall time, children's CPU time,
    and the machine's 1-minute load average when it ended (the machine may be shared)."""

    wall_s: float
    cpu_s: float
    load: float

    def plus(self, other: Phase) -> Phase:
        """Two stretches of a run as one (the load: the later one's)."""
        return Phase(round(self.wall_s + other.wall_s, 1), round(self.cpu_s + other.cpu_s, 1),
                     other.load)


class PhaseClock:
    """Times phases one after another from its creation: each ``stop()`` returns the phase
    that just ended and starts the next."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = children_cpu_s()

    def stop(self) -> Phase:
        wall, cpu = time.perf_counter(), children_cpu_s()
        phase = Phase(round(wall - self.wall, 1), round(cpu - self.cpu, 1),
                      round(os.getloadavg()[0], 2))
        self.wall, self.cpu = wall, cpu
        return phase


def closing_line(results: Sequence[dict[str, Any]], data: Phase, scenarios: Phase,
                 load_before: float) -> str:
    """"N of M targets met, in X min", with the phases and the load they ran under. A row
    whose target could not be judged (``target_met`` null) counts as not met."""
    met = sum(1 for r in results if r["target_met"] is True)
    unjudged = sum(1 for r in results if r["target_met"] is None)
    bound = sum(1 for r in results if out_of_reach(r))
    loads = [load_before, data.load, *(r.get("run", {}).get("load", 0.0) for r in results)]
    total = data.wall_s + scenarios.wall_s
    return (f"{met} of {len(results)} targets met, in {total / 60:.1f} min "
            f"(data {data.wall_s:.0f} s, CPU {data.cpu_s:.0f} s; scenarios "
            f"{scenarios.wall_s:.0f} s, CPU {scenarios.cpu_s:.0f} s; 1-minute load "
            f"{load_before:.1f} before, up to {max(loads):.1f} during"
            + (f"; {unjudged} could not be judged" if unjudged else "") + ")"
            + (f"; of the rows not met, {bound} miss the target with their floor alone"
               if bound else ""))


# ------------------------------------------------------------------------------ main
def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def python_in_child(job: str, what: str) -> None:
    """Run ``job`` (Python, with ``Path``, ``generate`` and ``import_build`` imported) in a
    child process. A child, because Linux carries a process's peak RSS into the children it
    starts, so a library opened in the runner's own process would become the floor of every
    scenario's memory column."""
    child = subprocess.run([sys.executable, "-c", "from pathlib import Path\n"
                            "from benchmarks import generate, import_build\n" + job + "\n"],
                           cwd=ROOT.parent)
    if child.returncode != 0:
        raise RuntimeError(f"{what} failed: {job}")


def prepare_in_child(sizes: Sequence[int], xml_sizes: Sequence[int], seed: int, cache: Path,
                     rebuild: bool) -> None:
    """The data phase (:func:`import_build.prepare_data`): cached libraries upgraded and
    opened once, the XML files missing (those of the libraries to build included) written
    in one pass. The libraries themselves are built by the import rows (:func:`build`)."""
    if sizes or xml_sizes:
        python_in_child(f"import_build.prepare_data({list(sizes)!r}, {list(xml_sizes)!r}, "
                        f"{seed}, cache=Path({str(cache)!r}), rebuild={rebuild!r})",
                        "preparing the benchmark data")


def import_scenario(size: int, xml_records: int) -> Scenario:
    """The import row whose file has ``size`` records (the 100k row's, or the 10k row's)."""
    name = "import_file_100k" if size == XML_100K and size != xml_records else "import_file_10k"
    return next(s for s in SCENARIOS if s.name == name)


def build(size: int, *, chosen: bool, xml: Path, seed: int, xml_records: int, repeat: int,
          home: Path, cache: Path) -> tuple[dict[str, Any] | None, Phase, Phase]:
    """Build the missing library of ``size`` articles by importing its XML (issue 19), then
    add its user state (:mod:`benchmarks.import_build`). ``chosen``: the import row of that
    size is part of this run, so the build is its first sample and its result is returned
    (measured as any row: its floor too); otherwise the import runs alone, unreported.
    Returns (the row or None, the import's phase, the user state's phase)."""
    scenario = import_scenario(size, xml_records)
    building = import_build.building_path(size, seed, cache)
    import_build.clear(building)
    print(f"building the {size:,}-article library by importing {xml.name}"
          + (f" ({scenario.name}'s first sample)" if chosen else "") + " ...",
          file=sys.stderr, flush=True)
    clock = PhaseClock()
    result: dict[str, Any] | None = None
    if chosen:
        result = measure(scenario, size, library=None, xml=xml, seed=seed, repeat=repeat,
                         home=home, cache=cache, build_into=building)
        # The build is the row's first sample (its only one, or the first of several).
        import_s = result["samples"][0]
    else:
        payload = run_child(scenario.name, library=None, xml=xml, seed=seed, repeat=1,
                            gui=False, home=home, cache=cache,
                            more=["--build-into", str(building), "--no-floor"])
        import_s = payload["samples"][0]
    imported = clock.stop()
    if result is not None:
        result["run"] = dataclasses.asdict(imported)
    python_in_child(f"import_build.finish(Path({str(building)!r}), {size}, {seed}, "
                    f"cache=Path({str(cache)!r}), import_s={import_s!r})",
                    f"the user state of the {size}-article library")
    return result, imported, clock.stop()


def _print_row(result: dict[str, Any]) -> None:
    print(text_table([result]).splitlines()[-1]
          + f"  [{result['run']['wall_s']:.0f} s, CPU {result['run']['cpu_s']:.0f} s]",
          file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="SpineLib benchmarks (see benchmarks/README.md)")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="library sizes, comma-separated (default 10000,100000)")
    # 3 samples (each scenario's max_repeat caps the slow ones; every row keeps its floor):
    # with 5, `make bench` on a fresh clone took 25 minutes (issue 19).
    parser.add_argument("--repeat", type=int, default=3, metavar="K",
                        help="samples per scenario (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", type=lambda s: [x for x in s.split(",") if x], default=None,
                        metavar="NAME,...", help=f"run only these of: {', '.join(NAMES)}")
    parser.add_argument("--xml-records", type=int, default=XML_RECORDS, metavar="N",
                        help="records in the PubMed XML of the parse/import scenarios")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--cache", type=Path, default=generate.CACHE, metavar="DIR",
                        help="where generated libraries are kept (default benchmarks/.cache)")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the cached libraries first (e.g. after a taxonomy change)")
    parser.add_argument("--markdown", type=Path, metavar="FILE",
                        help="also write the table as Markdown (e.g. benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    unknown = set(args.only or ()) - set(NAMES)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    chosen = [s for s in SCENARIOS if args.only is None or s.name in args.only]
    command = "python -m benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:])

    lib_sizes = [size for size in args.sizes if any(s.needs == "library" for s in chosen)]
    xml_sizes = {XML_100K if s.name == "import_file_100k" else args.xml_records
                 for s in chosen if s.needs == "xml"}
    load_before = os.getloadavg()[0]
    fingerprint = code_fingerprint()
    # Which libraries this run builds: only their build times are reported (a cached
    # library's were measured by an earlier run, and a row is only what this run measured).
    built_now = [size for size in lib_sizes
                 if args.rebuild or not generate.library_path(size, args.seed, args.cache).exists()]
    xmls = {n: generate.xml_path(n, args.seed, args.cache) for n in {*xml_sizes, *built_now}}
    home_dir = tempfile.TemporaryDirectory(prefix="spinelib-bench-home-")
    home = home_dir.name
    # A fresh run's data phase has no timed sample: the rows no clock judges run beside it.
    making = bool(built_now) or not all(path.exists() for path in xmls.values())
    beside = [BesideData(s, seed=args.seed, home=Path(home), cache=args.cache)
              for s in chosen if making and runs_beside(s)]
    clock = PhaseClock()
    prepare_in_child(lib_sizes, sorted(xml_sizes), args.seed, args.cache, args.rebuild)
    data = clock.stop()
    print(f"XML ready in {data.wall_s:.0f} s (CPU {data.cpu_s:.0f} s; load {load_before:.1f} "
          f"before, {data.load:.1f} after)", file=sys.stderr, flush=True)
    results: list[dict[str, Any]] = []
    early: dict[tuple[str, int], dict[str, Any]] = {}  # rows measured before the others
    ran = Phase(0.0, 0.0, data.load)
    for side in beside:
        result = side.join()
        waited = clock.stop()
        # Its CPU is in whichever phase it ended in: out of the data phase, into the rows'.
        own_cpu = result["run"]["cpu_s"]
        data = Phase(data.wall_s, round(data.cpu_s + waited.cpu_s - own_cpu, 1), data.load)
        ran = ran.plus(Phase(waited.wall_s, own_cpu, waited.load))
        early[(side.scenario.name, result["size"])] = result
        after = (f"ending {waited.wall_s:.0f} s after it" if waited.wall_s >= 1
                 else "ending within it")
        print(f"{side.scenario.name} ran beside the data phase, {after}:", file=sys.stderr,
              flush=True)
        _print_row(result)
    with home_dir:
        # Issue 19: a missing library is built by the timed import of its XML (the import
        # row's first sample when that row is in the run), before the rows that read it.
        for size in sorted(built_now):
            row = import_scenario(size, args.xml_records)
            result, imported, user_state = build(
                size, chosen=row in chosen, xml=xmls[size], seed=args.seed,
                xml_records=args.xml_records, repeat=args.repeat, home=Path(home),
                cache=args.cache)
            if result is None:
                data = data.plus(imported)
            else:
                early[(row.name, size)] = result
                ran = ran.plus(imported)
                _print_row(result)
            data = data.plus(user_state)
        clock = PhaseClock()
        libraries = {size: generate.library_path(size, args.seed, args.cache)
                     for size in lib_sizes}
        for path in [*libraries.values(), *xmls.values()]:
            warm(path)
        data = data.plus(clock.stop())
        print(f"data ready: {data.wall_s:.0f} s in all (CPU {data.cpu_s:.0f} s)",
              file=sys.stderr, flush=True)
        scenarios_clock = PhaseClock()
        for scenario in chosen:
            sizes = [scenario.fixed_size] if scenario.fixed_size else args.sizes
            if scenario.name in ("parse_pubmed_10k", "import_file_10k"):
                sizes = [args.xml_records]
            for size in sizes:
                if (scenario.name, size) in early:
                    results.append(early[(scenario.name, size)])
                    continue
                print(f"running {scenario.name} at {size:,} ...", file=sys.stderr, flush=True)
                scenario_clock = PhaseClock()
                result = measure(scenario, size, library=libraries.get(size),
                                 xml=xmls.get(size) if scenario.needs == "xml" else None,
                                 seed=args.seed,
                                 repeat=args.repeat, home=Path(home), cache=args.cache)
                # The scenario's own run, children's CPU included (what it costs `make bench`).
                result["run"] = dataclasses.asdict(scenario_clock.stop())
                results.append(result)
                _print_row(result)
        ran = ran.plus(scenarios_clock.stop())
    changed = code_fingerprint() != fingerprint
    if changed:
        print("WARNING: SpineLib's source changed during this run; the rows mix versions. "
              "Run again for a consistent table.", file=sys.stderr)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(text_table(results))
    closing = closing_line(results, data, ran, load_before)
    print(f"\nwritten to {args.out}\n{closing}")
    if args.markdown:
        builds = {size: generate.build_stats(size, args.seed, cache=args.cache)
                  for size in built_now}
        report = markdown_report(results, command, builds) + f"\n{closing}\n"
        if changed:
            report += ("\n**Warning:** SpineLib's source changed during this run, so the rows "
                       "mix versions.\n")
        args.markdown.write_text(report, encoding="utf-8")
    return 1 if changed else 0
