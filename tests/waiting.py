"""Waiting in tests for something another thread or process does, without measuring time.

This is the one place in ``tests/`` that reads a clock (``tests/test_no_wall_clock.py``
allows it here and nowhere else): tests wait for a *condition* and assert what happened
(counts, order, state), never how long it took. The timeout below only turns a hang into a
failure; it is generous so that a loaded two-core machine never reaches it.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest

#: Long enough for any wait in the suite on a busy machine; reaching it means a hang.
DEFAULT_TIMEOUT = 60.0


def wait_until(condition: Callable[[], bool], *, what: str,
               process: subprocess.Popen[Any] | None = None,
               timeout: float = DEFAULT_TIMEOUT, interval: float = 0.02) -> None:
    """Poll ``condition`` until it is true; fail the test naming ``what`` if it never is.

    ``process``: the process expected to make the condition true. If it ends first, the test
    fails at once with its exit status and error output (it can no longer happen); if the
    timeout is reached, the process is killed before the test fails.
    """
    give_up_at = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            _out, err = process.communicate()
            pytest.fail(f"the process ended (exit {process.returncode}) before {what}: "
                        f"{err!r}")
        if time.monotonic() > give_up_at:
            if process is not None:
                process.kill()
                process.communicate()
            pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def generous_qt_waits() -> None:
    """Give pytest-qt's waits (``qtbot.waitUntil``, ``waitSignal``…) this module's timeout
    instead of their 5 s default, for every call that names none.

    A GUI test waits for a worker's query or a signal; on the shared two-core machine a
    5 s bound was reached now and then (three sidebar tests at once, twice in `make check`
    runs, never alone or under a CPU burner), which points at the machine stalling rather
    than the window; were it a hang, the longer bound still fails. As for
    :func:`wait_until`, the bound only turns a hang into a failure. A test that means a
    short wait still passes its own ``timeout``."""
    from pytestqt.qtbot import QtBot

    for name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback", "waitActive",
                 "waitExposed"):
        defaults = getattr(QtBot, name).__kwdefaults__
        if defaults is not None and "timeout" in defaults:
            defaults["timeout"] = int(DEFAULT_TIMEOUT * 1000)
