"""File menu: back up now, restore from a backup (asking first), and files given at start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from spinelib.gui import app as gui_app
from spinelib.library import Library

from .conftest import spine_records


def _quiet_message_boxes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for kind in ("information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a, **k: shown.append(text))
    return shown


def test_back_up_now_writes_a_copy(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    from spinelib.paths import backup_dir

    window.acts.backup.trigger()
    qtbot.waitUntil(lambda: any(backup_dir(window.library.path).glob("*-manual.sqlite")))
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage())


def test_restore_asks_then_replaces_and_reopens(tmp_path: Path, qtbot: QtBot,
                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown = _quiet_message_boxes(monkeypatch)
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records(spine_records())
        copy = lib.backup(tmp_path / "copy.sqlite")
        lib.articles.delete(lib.search.ids()[:3])
    launcher = gui_app.Launcher(QApplication.instance())
    window = gui_app.open_window(path)
    launcher.adopt(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)

    asked: list[str] = []
    window.files.confirm = lambda title, text: asked.append(text) or False
    window.files.restore_from_backup(copy)
    assert "copy.sqlite" in asked[0] and "lib.sqlite" in asked[0]
    assert launcher.windows == [window]          # declined: nothing happened

    window.files.confirm = lambda title, text: True
    window.files.restore_from_backup(copy)
    qtbot.waitUntil(lambda: len(launcher.windows) == 1 and launcher.windows[0] is not window
                    and launcher.windows[0].model.rowCount() == 5, timeout=10_000)
    assert any("Restored lib.sqlite" in text for text in shown)
    for w in list(launcher.windows):
        w.close()


def test_refused_backup_reopens_the_library_unchanged(tmp_path: Path, qtbot: QtBot,
                                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown = _quiet_message_boxes(monkeypatch)
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records(spine_records())
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a library at all")
    launcher = gui_app.Launcher(QApplication.instance())
    window = gui_app.open_window(path)
    launcher.adopt(window)
    window.files.confirm = lambda title, text: True
    window.files.restore_from_backup(junk)
    qtbot.waitUntil(lambda: any("Not restored" in text for text in shown), timeout=10_000)
    qtbot.waitUntil(lambda: len(launcher.windows) == 1 and launcher.windows[0].model.rowCount()
                    == 5, timeout=10_000)
    for w in list(launcher.windows):
        w.close()


def test_files_given_at_start_are_imported(tmp_path: Path, qtbot: QtBot,
                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "colleague.bib"
    bib.write_text("@article{lo2015,\n  author = {Lo, Simon},\n  title = {Spine SBRT outcomes},\n"
                   "  journal = {Spine},\n  year = {2015}\n}\n", encoding="utf-8")
    started: list[object] = []
    monkeypatch.setattr(QApplication, "exec", lambda self: started.append(self) or 0)
    assert gui_app.run_gui(tmp_path / "lib.sqlite", [str(bib)]) == 0
    launcher_windows = [w for w in QApplication.topLevelWidgets()
                        if w.__class__.__name__ == "MainWindow" and w.isVisible()]
    window = launcher_windows[-1]
    qtbot.waitUntil(lambda: window.library.search.count() == 1, timeout=10_000)
    for w in launcher_windows:
        w.close()
