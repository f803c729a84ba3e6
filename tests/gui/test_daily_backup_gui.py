"""The app's daily backup (issue 19): opening the window copies nothing on the way; the copy
runs on a worker once the window is up, never on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spinelib.gui import app as gui_app
from spinelib.library import Library
from spinelib.paths import backup_dir
from spinelib.store.sqlite import SqliteEngine

from .conftest import spine_records


def test_the_window_opens_first_and_a_worker_copies(tmp_path: Path, qtbot: QtBot,
                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records(spine_records())
    copied_on: list[bool] = []
    real = SqliteEngine.automatic_backup

    def watched(engine: SqliteEngine, reason: str) -> Path:
        copied_on.append(threading.current_thread() is threading.main_thread())
        return real(engine, reason)

    monkeypatch.setattr(SqliteEngine, "automatic_backup", watched)
    window = gui_app.open_window(path)
    assert copied_on == []                      # the window exists; nothing copied yet
    launcher = gui_app.Launcher(QApplication.instance())
    launcher.adopt(window)
    qtbot.waitUntil(lambda: any(backup_dir(path).glob("*-daily.sqlite")), timeout=10_000)
    assert copied_on == [False]                 # once, off the GUI thread
    window.close()
    assert copied_on == [False]                 # closing does not copy again
