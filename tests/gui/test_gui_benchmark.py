"""The GUI-stall benchmark scenario runs and measures what it says (its time bound is the
benchmark's business, not a test's)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from benchmarks import gui_scenarios


def test_import_stall_scenario_runs_once(qtbot: QtBot) -> None:
    app = QApplication.instance()
    m = gui_scenarios.import_stall(app, repeat=1, seed=1, startup=0.0, count=30)
    assert len(m.samples) == len(m.floor_samples) == 1
    assert all(isinstance(x, float) for x in (*m.samples, *m.floor_samples))
    assert m.extra["efetch_requests"] == 1  # 30 PMIDs, one batch: the import really ran
    ticks = int(m.extra["ticks"])  # a count of timer turns, not a time
    assert ticks != 0, "the timer never turned during the import"
