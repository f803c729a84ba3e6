"""Another SpineLib library chosen in the import dialog, or dropped on the window, is merged
into this one (spinelib.libraryimport), offline, with its reading lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from spinelib.gui.importflow import importable_files
from spinelib.gui.importpreview import FILE_FILTER, preview_rows
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.core.helpers import make_record
from tests.gui.conftest import outcome_of


def _fellow(path: Path) -> Path:
    with Library.open(path) as lib:
        a = lib.articles.add_record(make_record(pmid="1", doi="10.1/a", title="First paper"))
        b = lib.articles.add_record(make_record(pmid="2", doi="10.1/b", title="Second paper"))
        lib.lists.create("Fellowship reading")
        lib.lists.add("Fellowship reading", [b.article_id, a.article_id])
    return path


def test_a_library_chosen_in_the_dialog_is_merged(tmp_path: Path, qtbot: QtBot,
                                                  make_window: Callable[..., MainWindow]
                                                  ) -> None:
    fellow = _fellow(tmp_path / "fellow.sqlite")
    assert "*.sqlite" in FILE_FILTER
    (row,) = preview_rows(str(fellow))
    assert row.input == str(fellow) and row.recognised == "SpineLib library (merged in)"
    with Library.open(tmp_path / "mine.sqlite") as mine:
        win = make_window(mine)
        dialog = win.imports.show_import()
        dialog.add_paths([fellow])
        dialog.start_import()
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
        assert [i.status for i in outcome_of(dialog).report.items] == ["imported"] * 2
        qtbot.waitUntil(lambda: win.model.rowCount() == 2)
        assert [mine.articles.citekey(i) for i in mine.lists.items("Fellowship reading")] == [
            "patchell2005second", "patchell2005first"]
        qtbot.waitUntil(lambda: any(lst.name == "Fellowship reading"
                                    for lst in (win.sidebar.data.lists
                                                if win.sidebar.data else [])))


def test_a_dropped_library_file_is_taken(tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QUrl

    fellow = _fellow(tmp_path / "fellow.sqlite")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(fellow))])
    assert importable_files(mime) == [fellow]
