"""A row no clock judges, run beside the data phase of a fresh run (issue 19: ``make bench``
on a fresh clone within ten minutes).

``team_soak``'s target is a count: ten clients tag at random for 60 s (issue 13 fixes the
length), and no change may be lost or duplicated. Its minute is the same minute however
busy the machine is; only how many changes the clients make in it depends on that. The
data phase of a fresh run (the PubMed XML written by two workers, 34-54 s) has no timed
sample either. One after the other they took 34 + 63 s of the 10.5 minutes; side by side
the soak's minute covers the XML. The soak is joined before the first timed sample (the
import that builds the 10,000 library), so no timed sample ever shares the machine with
it; on a filled cache (no data to make) it runs in its usual place.

The row is the same as when run in its place (one child, its own peak RSS, the same
checks), with ``extra.beside_data`` saying it ran beside the data phase and ``run`` its own
wall and CPU time: the child reports its CPU (``cpu_s`` of its payload), which the runner
takes out of the data phase's, where its count of finished children put it.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.children import run_child, summarise
from benchmarks.registry import Scenario

#: The rows that may run beside the data phase: no timed target, one child, no library.
BESIDE_DATA = frozenset({"team_soak"})


def runs_beside(scenario: Scenario) -> bool:
    """Whether ``scenario`` is a row :class:`BesideData` can run (see the module)."""
    return (scenario.name in BESIDE_DATA and scenario.needs == "none"
            and scenario.fixed_size is not None and scenario.max_repeat == 1
            and not scenario.fresh_per_sample and not scenario.cold)


class BesideData:
    """One row measured in its own child, started now, on a thread that waits for it."""

    def __init__(self, scenario: Scenario, *, seed: int, home: Path, cache: Path) -> None:
        if not runs_beside(scenario):
            raise ValueError(f"{scenario.name} cannot run beside the data phase")
        self.scenario = scenario
        self._result: dict[str, Any] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(seed, home, cache),
                                        name=f"beside-{scenario.name}", daemon=True)
        self._thread.start()

    def _run(self, seed: int, home: Path, cache: Path) -> None:
        scenario, size = self.scenario, int(self.scenario.fixed_size or 1)
        start = time.perf_counter()
        try:
            payload = run_child(scenario.name, library=None, xml=None, seed=seed, repeat=1,
                                gui=scenario.gui, home=home, cache=cache)
            result = summarise(scenario.name, size, payload["samples"],
                               payload["floor_samples"], payload["peak_rss_mb"],
                               payload["extra"], scenario)
            result["extra"]["beside_data"] = True
            result["run"] = {"wall_s": round(time.perf_counter() - start, 1),
                             "cpu_s": round(float(payload.get("cpu_s", 0.0)), 1),
                             "load": round(os.getloadavg()[0], 2)}
            self._result = result
        except BaseException as exc:  # raised by join(), on the runner's thread
            self._error = exc

    def join(self) -> dict[str, Any]:
        """The row, once its child has ended (its failure raised here)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
