"""The window's import flow: a pool of dialogs reused when idle, the status bar told about
imports, and the drag-and-drop file filter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from pytestqt.qtbot import QtBot

from spinelib.gui.importflow import importable_files
from spinelib.gui.mainwindow import MainWindow
from tests.gui.conftest import outcome_of


def test_idle_dialogs_are_reused_busy_ones_are_not(window: MainWindow, qtbot: QtBot) -> None:
    imports = window.imports
    first = imports.dialog()
    assert imports.dialog() is first  # idle: reused
    started = imports.import_inputs(["31000005"])  # offline here: it ends queued
    assert started is first and first.running
    assert not window.status.import_progress.isHidden()
    second = imports.dialog()  # the first is busy: a second one opens
    assert second is not first and imports.dialogs == [first, second]
    qtbot.waitUntil(lambda: first.outcome is not None, timeout=15000)
    assert [i.status for i in outcome_of(first).report.items] == ["queued"]
    qtbot.waitUntil(lambda: window.status.import_progress.isHidden())
    assert "Offline — 1 queued" in window.statusBar().currentMessage()
    assert window.status.network == "offline"
    assert imports.dialog() is first  # idle again


def test_only_local_reference_files_are_importable(tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "refs.BIB")),
                  QUrl.fromLocalFile(str(tmp_path / "photo.png")),
                  QUrl("https://example.org/remote.ris"),
                  QUrl.fromLocalFile(str(tmp_path / "pubmed.xml"))])
    assert importable_files(mime) == [tmp_path / "refs.BIB", tmp_path / "pubmed.xml"]
    assert importable_files(QMimeData()) == []
