"""The window follows changes made outside it (spinelib/gui/outsidechanges.py): a command
run while it is open, or a second window on the same library."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter
from spinelib.library import Library
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, wait_loaded


def _watching(qtbot: QtBot, win: MainWindow) -> MainWindow:
    """``win`` once its first look (which starts the watch) is done."""
    qtbot.waitUntil(lambda: not win.outside._busy)
    return win


def _looked(qtbot: QtBot, win: MainWindow) -> None:
    """One look by the window's watcher, finished (its own timer keeps running too)."""
    qtbot.waitUntil(lambda: not win.outside._busy)
    win.outside.check()
    qtbot.waitUntil(lambda: not win.outside._busy)


def test_a_commands_changes_show_without_reopening(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    win = _watching(qtbot, make_window(lib))
    shown = article_id(lib, "21333599")
    wait_loaded(qtbot, win, shown)
    before, deleted = lib.search.count(), article_id(lib, "25000001")
    refreshes: list[bool] = []
    win.outside.changed.connect(lambda: refreshes.append(True))

    # A command: its own Library on the same file, as `spinelib import` and `delete` open.
    with Library.open(lib.path) as command:
        command.articles.add_records([make_record(
            title="Percutaneous pedicle screw fixation for spinal metastases",
            doi="10.1234/outside", pmid="36000001")])
        command.trash.delete([deleted])
        command.articles.set_notes(shown, "seen in clinic (typed in the terminal)")
    _looked(qtbot, win)

    assert refreshes  # (the window's own timer may have been the one to see it)
    added = article_id(lib, "36000001")
    qtbot.waitUntil(lambda: win.model.row_of(added) is not None
                    and win.model.row_of(deleted) is None)
    assert win.model.rowCount() == before  # one added, one deleted
    qtbot.waitUntil(lambda: win.sidebar.data is not None and win.sidebar.data.trash == 1)
    qtbot.waitUntil(lambda: win.detail.reading.notes.toPlainText()
                    == "seen in clinic (typed in the terminal)")
    assert win.table.selected_ids() == [shown]  # the reader's place is kept
    assert "outside this window" in win.statusBar().currentMessage()


def test_the_windows_own_edits_are_not_loaded_twice(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    win = _watching(qtbot, make_window(lib))
    refreshes: list[bool] = []
    win.outside.changed.connect(lambda: refreshes.append(True))
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, win, aid)
    win.detail.reading.notes.setPlainText("to discuss at the tumour board")
    win.detail.reading.save_notes()
    qtbot.waitUntil(lambda: lib.articles.record(aid).notes == "to discuss at the tumour board")
    lib.tags.create("Tumour board")  # the window's Library, as its commands write
    _looked(qtbot, win)
    assert refreshes == []


def test_notes_being_typed_survive_a_change_outside(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    win = _watching(qtbot, make_window(lib))
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, win, aid)
    win.detail.reading.notes.setFocus()
    win.detail.reading.notes.setPlainText("half a thought")  # not saved yet
    with Library.open(lib.path) as command:
        command.tags.create("From the terminal")
    _looked(qtbot, win)
    qtbot.waitUntil(lambda: win.sidebar.data is not None and any(
        t.label == "From the terminal" for t in win.sidebar.data.tags))
    assert win.detail.reading.notes.toPlainText() == "half a thought"



def test_the_shown_article_deleted_outside_leaves_the_pane_quietly(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    win = _watching(qtbot, make_window(lib))
    shown = article_id(lib, "21333599")
    wait_loaded(qtbot, win, shown)
    messages: list[str] = []
    win.detail.message.connect(messages.append)
    with Library.open(lib.path) as command:
        command.trash.delete([shown])
    # The pane loads the article again (as a look that saw the change does) before the
    # table has lost the row, so nothing else has cleared the pane first.
    win.detail.reload()
    qtbot.waitUntil(lambda: win.detail.data is None)
    assert win.detail.article_id is None
    assert messages == []  # not "no article with id …": it was deleted, that is all


def test_the_study_fields_of_an_article_deleted_outside_load_quietly(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    """The Evidence tab loads after the pane has shown the article: a delete by a command in
    between made its load fail with "no article with id …" in the status bar (seen as a
    flaky run of the test above, where the tab's load came after the delete)."""
    win = _watching(qtbot, make_window(lib))
    shown = article_id(lib, "21333599")
    wait_loaded(qtbot, win, shown)
    tab = win.detail.evidence
    qtbot.waitUntil(tab.isEnabled)
    messages: list[str] = []
    win.detail.message.connect(messages.append)
    with Library.open(lib.path) as command:
        command.trash.delete([shown])
    tab.show_article(shown)  # its load starting after the delete, as it did in that run
    qtbot.waitUntil(lambda: not tab.runner.busy)
    assert messages == [] and not tab.isEnabled()


def test_the_trash_on_screen_follows_a_commands_delete(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    win = _watching(qtbot, make_window(lib))
    first = article_id(lib, "25000001")
    lib.articles.delete([first])  # in the window's own Library
    win.queries.refresh_all()
    assert win.sidebar.select_filter(Filter("trash"))
    view = win.side_views.trash
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1)
    view.tree.topLevelItem(0).setSelected(True)
    with Library.open(lib.path) as command:
        command.trash.delete([article_id(command, "33000001")])
    _looked(qtbot, win)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 2)
    # (The sidebar's reload loads the Trash view again:) the reader's choice survives it.
    assert view.selected_ids() == [first]
    assert win.center.currentWidget() is view


def test_the_update_note_leaves_the_users_own_message(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    win = _watching(qtbot, make_window(lib))
    refreshes: list[bool] = []
    win.outside.changed.connect(lambda: refreshes.append(True))
    win.status.show_message("Copied 1 citation")  # the user's own action, just now
    with Library.open(lib.path) as command:
        command.tags.create("From a long import in the terminal")
    _looked(qtbot, win)
    assert refreshes
    assert win.statusBar().currentMessage() == "Copied 1 citation"
