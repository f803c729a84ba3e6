"""Edit ▸ Undo / Redo (issue 15): named after the operation, run on a worker, views refresh."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.gui.conftest import article_id


def edit_menu_texts(window: MainWindow) -> list[str]:
    for action in window.menuBar().actions():
        if action.text() == "&Edit" and action.menu() is not None:
            return [a.text() for a in action.menu().actions()]  # type: ignore[union-attr]
    raise AssertionError("no Edit menu")


def test_undo_a_delete_from_the_edit_menu(window: MainWindow, lib: Library,
                                          qtbot: QtBot) -> None:
    undo = window.undo.undo_action
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.undo.redo_action.shortcut() == QKeySequence("Ctrl+Shift+Z")
    qtbot.waitUntil(lambda: not undo.isEnabled())
    assert edit_menu_texts(window)[:2] == ["&Undo", "&Redo"]

    ids = [article_id(lib, "25000001"), article_id(lib, "33000001")]
    window.table.select_ids(ids)
    window.commands.confirm = lambda *_a: True
    window.acts.delete.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    qtbot.waitUntil(lambda: undo.text() == "&Undo delete of 2 articles")
    assert undo.isEnabled()

    undo.trigger()
    qtbot.waitUntil(lambda: lib.search.count() == 5)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    qtbot.waitUntil(lambda: window.undo.redo_action.text() == "&Redo delete of 2 articles")
    window.undo.redo_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
