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
    assert m.samples[0] > 0 and m.floor_samples[0] > 0
    assert m.extra["efetch_requests"] == 1  # 30 PMIDs, one batch
    assert m.extra["ticks"] >= 1
    assert m.extra["first_gap_s"] <= m.samples[0] + 1e-4  # one of the gaps (rounded)
