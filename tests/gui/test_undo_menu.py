"""Edit ▸ Undo / Redo (issue 15): named after the operation, run on a worker, views refresh."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.gui.conftest import article_id, menu_texts


def test_undo_a_delete_from_the_edit_menu(window: MainWindow, lib: Library,
                                          qtbot: QtBot) -> None:
    undo = window.undo.undo_action
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.undo.redo_action.shortcut() == QKeySequence("Ctrl+Shift+Z")
    assert menu_texts(window, "&Edit")[:2] == ["&Undo", "&Redo"]
    messages: list[str] = []
    window.undo.message.connect(messages.append)
    undo.trigger()  # nothing to undo yet: said, nothing changes
    qtbot.waitUntil(lambda: messages == ["nothing to undo"])

    ids = [article_id(lib, "25000001"), article_id(lib, "33000001")]
    window.table.select_ids(ids)
    window.commands.confirm = lambda *_a: True
    window.acts.delete.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    qtbot.waitUntil(lambda: undo.text() == "&Undo delete of 2 articles")

    undo.trigger()
    qtbot.waitUntil(lambda: lib.search.count() == 5)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    qtbot.waitUntil(lambda: window.undo.redo_action.text() == "&Redo delete of 2 articles")
    window.undo.redo_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_edit_dialog_validates_then_saves_only_changes(window: MainWindow, lib: Library,
                                                       qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    window.table.select_ids([aid])
    on_gui_thread: list[str] = []
    test_reads = [False]  # the test's own checks read on this thread; the dialog must not
    lib.watch_statements(lambda sql: on_gui_thread.append(sql) if not test_reads[0] and
                         threading.current_thread() is threading.main_thread() else None)
    dialog = window.curation.edit_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    assert dialog.fields["year"].text() == "2005"
    # A long title reads from its start, not scrolled to its end.
    assert len(dialog.fields["title"].text()) > 60
    assert dialog.fields["title"].cursorPosition() == 0
    dialog.fields["year"].setText("20015")
    dialog.save()
    assert "year" in dialog.error.text() and dialog.isVisible()
    test_reads[0] = True
    assert lib.articles.record(aid).year == 2005  # nothing written
    test_reads[0] = False
    dialog.fields["year"].setText("2006")
    dialog.fields["pmid"].setText("21333599")  # another article's PMID: named, refused
    dialog.save()
    qtbot.waitUntil(lambda: "already belongs to" in dialog.error.text())
    dialog.fields["pmid"].setText("16112300")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    lib.watch_statements(None)
    assert on_gui_thread == []  # the dialog read and wrote on workers only
    assert lib.articles.record(aid).year == 2006
    assert lib.edits.user_edited(aid) == {"year"}
    qtbot.waitUntil(lambda: window.undo.undo_action.text() == "&Undo edit of patchell2005direct")


def test_edit_dialog_changes_the_citation_key_in_one_undo_step(window: MainWindow,
                                                               lib: Library,
                                                               qtbot: QtBot) -> None:
    """The key was not editable in the app at all (only ``spinelib rekey``). It is now the
    dialog's first field; saved with the other changes as one undo step, the old key
    kept as an alias."""
    aid = article_id(lib, "16112300")
    window.table.select_ids([aid])
    dialog = window.curation.edit_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    assert dialog.fields["citekey"].text() == "patchell2005direct"
    dialog.fields["citekey"].setText("patchell 2005")
    dialog.save()
    assert "'patchell 2005' is not a valid citation key" in dialog.error.text()
    assert dialog.isVisible()
    dialog.fields["citekey"].setText(lib.articles.citekey(article_id(lib, "21333599")))
    dialog.save()
    qtbot.waitUntil(lambda: "is already used" in dialog.error.text())
    assert lib.articles.citekey(aid) == "patchell2005direct"  # nothing written
    dialog.fields["citekey"].setText("Patchell:Lancet2005")
    dialog.fields["issue"].setText("9487")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert lib.articles.citekey(aid) == "Patchell:Lancet2005"
    assert lib.articles.resolve_key("patchell2005direct") == aid
    assert lib.articles.record(aid).issue == "9487"
    assert lib.edits.user_edited(aid) == {"issue"}  # the key is no field of the source
    qtbot.waitUntil(lambda: window.undo.undo_action.text() == "&Undo edit of patchell2005direct")
    lib.history.undo()
    assert lib.articles.citekey(aid) == "patchell2005direct"
    assert lib.articles.record(aid).issue == "9486"


def test_duplicates_dialog_merges_with_a_field_choice(window: MainWindow, lib: Library,
                                                      qtbot: QtBot) -> None:
    from tests.core.helpers import make_record

    twin = lib.articles.add_record(make_record(pmid="99999", doi="", journal="Spine")).article_id
    keep = article_id(lib, "16112300")
    dialog = window.curation.show_duplicates()
    qtbot.waitUntil(lambda: dialog.table.columnCount() == 2)
    assert dialog.ids == [keep, twin]
    # The two articles share the table's width, and a long title wraps whole (its row as
    # tall as its wrapped, bold text), so the values can be compared.
    table = dialog.table
    qtbot.waitUntil(lambda: table.columnWidth(0) > table.viewport().width() * 0.4)
    assert table.sizeHintForRow(0) > table.verticalHeader().minimumSectionSize()
    assert table.rowHeight(0) >= table.sizeHintForRow(0)
    dialog.keep.setCurrentIndex(1)  # the bold (wider) text moves to the other column
    assert table.rowHeight(0) >= table.sizeHintForRow(0)
    dialog.keep.setCurrentIndex(0)
    dialog._cell_clicked(2, 1)  # journal: take the twin's
    dialog.merge()
    qtbot.waitUntil(lambda: lib.search.count() == 5)
    assert lib.articles.record(keep).journal == "Spine"
    assert lib.articles.resolve_key("99999") == keep
    # No group left: the list says so where the groups were (not only "0" below it).
    qtbot.waitUntil(lambda: dialog.groups == [] and dialog.list.count() == 1)
    assert dialog.list.item(0).text().startswith("No likely duplicates")
    assert not dialog.list.item(0).flags() & Qt.ItemFlag.ItemIsSelectable


def test_trash_dialog_restores(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    from spinelib.gui.trashdialog import TrashDialog

    aid = article_id(lib, "25000001")
    lib.trash.delete([aid])
    dialog = TrashDialog(lib, window.runner, window)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    dialog.tree.topLevelItem(0).setSelected(True)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: lib.search.count() == 5)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)


def test_saved_searches_menu_shows_live_counts_and_applies(window: MainWindow, lib: Library,
                                                           qtbot: QtBot) -> None:
    lib.searches.save("Since 2015", "year:2015..")
    menu = window.curation.saved_menu
    window.curation._load_saved()
    qtbot.waitUntil(lambda: [a.text() for a in menu.actions()] == ["Since 2015  (3)"])
    menu.actions()[0].trigger()
    assert window.search.text() == "year:2015.."
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_update_from_pubmed_shows_the_diff_and_applies(
        make_window: Callable[..., MainWindow], tmp_path: Path, qtbot: QtBot) -> None:
    from spinelib.settings import Settings
    from tests.fakeserver import FakeServer

    with FakeServer() as server, Library.open(tmp_path / "l.sqlite") as lib:
        server.add_pubmed(["31000011"])
        env = server.env()
        settings = Settings(max_retries=0, eutils_url=env["SPINELIB_EUTILS_URL"],
                            crossref_url=env["SPINELIB_CROSSREF_URL"],
                            idconv_url=env["SPINELIB_IDCONV_URL"],
                            europepmc_url=env["SPINELIB_EUROPEPMC_URL"])
        from tests.core.helpers import make_record

        aid = lib.articles.add_record(make_record(pmid="31000011", doi="", volume="99")
                                      ).article_id
        window = make_window(lib, settings)
        shown: list[str] = []
        window.curation.ask_apply = lambda text: shown.append(text) or True
        window.table.select_ids([aid])
        window.curation.update_selected()
        qtbot.waitUntil(lambda: lib.articles.record(aid).volume == "41", timeout=10000)
        assert "volume: 99  →  41" in shown[0]
