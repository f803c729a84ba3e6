"""Offline known at once in the desktop app (issue 18): a failed name lookup queues the
whole batch after one request, the status bar says "Offline — 5 queued", and the marks the
window uses exist in the fonts Debian ships (DejaVu)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
import requests
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from pytestqt.qtbot import QtBot

from spinelib.gui.importdialog import STATUS_TEXT
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.statusbar import NETWORK_LABELS
from spinelib.gui.tablemodel import READ_MARKS
from spinelib.library import Library
from spinelib.settings import Settings
from tests.gui.conftest import outcome_of


def test_no_dns_queues_five_after_one_request(lib: Library,
                                              make_window: Callable[..., MainWindow],
                                              qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def no_dns(self: requests.Session, method: str, url: str, **_kw: object) -> None:
        calls.append(url)
        raise requests.exceptions.ConnectionError(
            socket.gaierror(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(requests.Session, "request", no_dns)
    # Four retries allowed, as a real user's settings: none may be used for a DNS failure.
    win = make_window(lib, Settings(max_retries=4).with_env())
    dialog = win.imports.show_import()
    dialog.text.setPlainText("\n".join(str(32100000 + i) for i in range(5)))
    dialog.update_preview()
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert [i.status for i in outcome_of(dialog).report.items] == ["queued"] * 5
    assert len(calls) == 1
    qtbot.waitUntil(lambda: "Offline — 5 queued" in win.statusBar().currentMessage())
    assert "◷ queued (offline)" in {dialog.tree.topLevelItem(0).text(c) for c in range(4)}


def test_status_marks_are_in_dejavu_sans() -> None:
    if "DejaVu Sans" not in QFontDatabase.families():
        pytest.skip("DejaVu Sans is not installed here")
    metrics = QFontMetrics(QFont("DejaVu Sans"))
    marks = [m for m, _ in STATUS_TEXT.values()] + list(READ_MARKS.values()) + [
        label.split()[0] for label in NETWORK_LABELS.values()] + ["★", "☆", "✕", "+", "·"]
    missing = [m for m in marks if m and not all(metrics.inFontUcs4(ord(ch)) for ch in m)]
    assert missing == []
