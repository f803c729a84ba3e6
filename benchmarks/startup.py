"""``startup_version``: how long ``spinelib --version`` takes, beside bare Python.

Each sample is a fresh interpreter (``python -m spinelib --version``), the floor the same
interpreter doing nothing (``python -c pass``); the target is the difference (issue 19: under
100 ms above the floor). A sample is the child's CPU time (user + system, from
``getrusage``), not the wall clock: on this shared 2-core machine the wall clock of a 0.1 s
process mostly measures the other processes. The command's output is checked, so a crash is
never timed.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from benchmarks.scenarios import Measurement, _check

ROOT = Path(__file__).resolve().parent.parent


def _run(argv: list[str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    _check(proc.returncode == 0, f"{argv} exited {proc.returncode}: {proc.stderr[-300:]}")
    return elapsed, proc.stdout


def startup_version(repeat: int = 10) -> Measurement:
    _run(["-m", "spinelib", "--version"])  # warm the OS cache and the bytecode
    m = Measurement(samples=[], floor_samples=[])
    for _ in range(max(repeat, 5)):
        t, out = _run(["-m", "spinelib", "--version"])
        _check(out.startswith("spinelib "), f"unexpected output {out!r}")
        m.samples.append(t)
        m.floor_samples.append(_run(["-c", "pass"])[0])
    m.extra["above_floor_s"] = round(sorted(m.samples)[len(m.samples) // 2]
                                     - sorted(m.floor_samples)[len(m.floor_samples) // 2], 4)
    return m
