"""The detail pane puts the abstract first (issue 18): empty notes take one line, notes
with text a few, typing more; the lower part never takes the abstract's room."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.gui.conftest import article_id, wait_loaded


def test_empty_notes_collapse_and_the_abstract_gets_the_room(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    aid = article_id(lib, "33000001")          # no notes, no suggestions
    wait_loaded(qtbot, window, aid)
    notes = window.detail.reading.notes
    line = notes.fontMetrics().lineSpacing()
    assert notes.height() < 2 * line + 16
    top, bottom = window.detail.details_splitter.sizes()
    assert top >= 2 * bottom and bottom <= window.detail.bottom.sizeHint().height()
    # Notes with text show a few lines; typing gives room to write.
    lib.articles.set_notes(aid, "Line one\nLine two\nLine three")
    window.detail.reload()
    qtbot.waitUntil(lambda: notes.toPlainText().startswith("Line one"))
    qtbot.waitUntil(lambda: notes.height() >= 3 * line)
    resting = notes.height()
    notes.setFocus()
    qtbot.waitUntil(lambda: notes.height() > resting)
    # The formatted citation comes after the abstract ("Cite as"), not before it.
    text = window.detail.browser.toPlainText().lower()
    assert text.index("abstract") < text.index("cite as")
