"""The sidebar: counts from workers, filters combined with each other and with the search,
reading lists that take dropped rows and offer rename/delete/export."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem
from pytestqt.qtbot import QtBot

from spinelib.gui.dragdata import ids_to_mime
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter, apply_filters
from spinelib.gui.sidebarmodel import KeyRole
from spinelib.library import Library, Query, TagMatch
from tests.gui.conftest import article_id


def item_for(win: MainWindow, f: Filter) -> QStandardItem:
    item = win.sidebar._find(f.key)
    assert item is not None, f"no sidebar entry for {f}"
    return item


def has_entry(win: MainWindow, f: Filter) -> bool:
    return win.sidebar._find(f.key) is not None


def count_text(win: MainWindow, f: Filter) -> str:
    item = item_for(win, f)
    return item.parent().child(item.row(), 1).text() if item.parent() else ""


def show_list(win: MainWindow, qtbot: QtBot, name: str) -> None:
    """Reload the sidebar, select the reading list ``name``, and wait for its one article."""
    win.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: has_entry(win, Filter("list", name)))
    win.sidebar.select_filter(Filter("list", name))
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)


def rename_from_menu(win: MainWindow, name: str, new: str) -> None:
    """Rename the list ``name`` to ``new`` as a user does: its context menu's Rename…."""
    win.commands.ask_text = lambda *_a: new
    menu = win.sidebar.context_menu_for(item_for(win, Filter("list", name)).index())
    {a.text(): a for a in menu.actions()}["Rename…"].trigger()


def test_fixed_entries_show_counts(window: MainWindow, lib: Library) -> None:
    counts = lib.search.sidebar_counts()
    assert count_text(window, Filter("all")) == str(counts.all) == "5"
    assert count_text(window, Filter("unread")) == "5"
    assert count_text(window, Filter("retracted")) == "2"
    assert count_text(window, Filter("unidentified")) == "0"


def test_unidentified_pdfs_have_their_own_view(window: MainWindow, lib: Library,
                                               qtbot: QtBot) -> None:
    """An article kept from a PDF without a DOI or PMID is listed in its own sidebar view
    (issue 14: never lost), with its count, until it is identified."""
    kept = article_id(lib, "16112300")
    with lib.store.writing() as conn:
        lib.store.attachments.mark_unidentified(conn, kept, "no DOI or PMID in the PDF")
    assert lib.search.sidebar_counts().unidentified == 1
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: count_text(window, Filter("unidentified")) == "1")
    window.sidebar.select_filter(Filter("unidentified"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.ids == [kept]
    with lib.store.writing() as conn:
        lib.store.attachments.clear_unidentified(conn, kept)
    assert lib.search.count(Query(unidentified=True)) == 0


def test_clicking_filters_the_table(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    window.sidebar.select_filter(Filter("retracted"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert set(window.model.ids) == {article_id(lib, "25000001"), article_id(lib, "33000001")}
    lib.articles.set_read_status([article_id(lib, "16112300")], 2)
    window.sidebar.select_filter(Filter("unread"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    window.sidebar.select_filter(Filter("all"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)


def test_technique_tree_counts_and_filters(window: MainWindow, lib: Library,
                                           qtbot: QtBot) -> None:
    counted = [t for t in lib.tags.counts() if t.count > 0]
    assert counted, "the sample articles should get at least one suggested technique"
    tag = counted[0]
    item = item_for(window, Filter("tag", tag.id))
    # Confirmed tags and open suggestions are counted apart.
    assert tag.confirmed == 0 and tag.suggested == tag.count
    assert item.parent().child(item.row(), 1).text() == f"0 · {tag.count}\nsuggested"
    # Clicking shows the tagged articles (none yet); "Include suggested" shows the rest.
    window.sidebar.select_filter(Filter("tag", tag.id))
    qtbot.waitUntil(lambda: window.model.query.tags == [tag.id])
    qtbot.waitUntil(lambda: window.model.query.tag_match == TagMatch.CONFIRMED)
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    window.sidebar.select_filter(Filter("suggested", tag.id))
    expected = lib.search.ids(Query(tags=[tag.id]))
    qtbot.waitUntil(lambda: sorted(window.model.ids) == sorted(expected))
    assert window.sidebar.filters() == [Filter("suggested", tag.id)]
    # Accepting one makes it count as tagged, after the sidebar reloads.
    lib.tags.accept(expected[0], tag.id)
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: item_for(window, Filter("tag", tag.id)).parent().child(
        item_for(window, Filter("tag", tag.id)).row(), 1).text().startswith("1"))


def test_facets_filter_the_table(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    facets = lib.search.facet_counts()
    assert facets, "the sample articles should fall into at least one facet"
    facet, values = next(iter(facets.items()))
    value, n = values[0]
    assert has_entry(window, Filter("facet", value, facet))
    window.sidebar.select_filter(Filter("facet", value, facet))
    qtbot.waitUntil(lambda: window.model.rowCount() == n)


def test_filters_combine_with_search(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    window.sidebar.select_filter(Filter("retracted"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.search.setText("laminectomy")
    qtbot.waitUntil(lambda: window.model.ids == [article_id(lib, "33000001")])
    assert window.model.query.retracted and window.model.query.search == "laminectomy"
    assert "1 of 5" in window.status.count_label.text()


def test_apply_filters_combines_with_and() -> None:
    q = apply_filters(Query(search="spine"), [Filter("unread"), Filter("tag", "x"),
                                              Filter("facet", "breast", "histology"),
                                              Filter("list", "Club")])
    assert (q.unread, q.tags, q.facets, q.reading_list, q.search) == (
        True, ["x"], [("histology", "breast")], "Club", "spine")
    assert q.sort == "list"  # a list opens in its own order
    back = apply_filters(q, [Filter("all")])
    assert (back.unread, back.tags, back.reading_list, back.sort) == (False, [], None, "added")


def test_rows_dropped_on_a_list_are_added(window: MainWindow, lib: Library,
                                          qtbot: QtBot) -> None:
    lib.lists.create("Journal club")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: has_entry(window, Filter("list", "Journal club")))
    item = item_for(window, Filter("list", "Journal club"))
    ids = [article_id(lib, "16112300"), article_id(lib, "21333599")]
    mime = ids_to_mime(ids)
    model = window.sidebar.model()
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, item.index())
    assert not model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, 0,
                                     item_for(window, Filter("unread")).index())
    model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, item.index())
    qtbot.waitUntil(lambda: lib.lists.items("Journal club") == ids)
    qtbot.waitUntil(lambda: count_text(window, Filter("list", "Journal club")) == "2")


def test_a_folders_lists_fold_under_its_list(window: MainWindow, lib: Library,
                                             qtbot: QtBot) -> None:
    """Lists named as sub-folders (a Mendeley library's, imported) show under the list of
    their folder, by the rest of their name; without such a list they stay at the top. Each
    entry still filters by, and takes drops for, the list of its whole name."""
    for name in ("Spine oncology", "Spine oncology/MESCC", "Spine oncology/MESCC/Reviews",
                 "Thesis/Chapter 2"):
        lib.lists.create(name)
    window.sidebar.reload(now=True)
    deepest = Filter("list", "Spine oncology/MESCC/Reviews")
    qtbot.waitUntil(lambda: has_entry(window, deepest))
    item = item_for(window, deepest)
    parent = item.parent()
    assert item.text() == "Reviews" and parent is not None and parent.text() == "MESCC"
    grand = parent.parent()
    assert grand is not None and grand.text() == "Spine oncology"
    top = item_for(window, Filter("list", "Thesis/Chapter 2"))
    assert top.text() == "Thesis/Chapter 2" and top.parent().text() == "Reading lists"
    aid = article_id(lib, "16112300")
    window.sidebar.model().dropMimeData(ids_to_mime([aid]), Qt.DropAction.CopyAction, -1, 0,
                                        item.index())
    qtbot.waitUntil(lambda: lib.lists.items("Spine oncology/MESCC/Reviews") == [aid])
    window.sidebar.select_filter(deepest)
    qtbot.waitUntil(lambda: window.model.ids == [aid])


def test_list_context_menu_renames_and_deletes(window: MainWindow, lib: Library,
                                               qtbot: QtBot) -> None:
    lib.lists.create("Old name")
    lib.lists.add("Old name", [article_id(lib, "16112300")])
    show_list(window, qtbot, "Old name")
    rename_from_menu(window, "Old name", "New name")
    qtbot.waitUntil(lambda: [e.name for e in lib.lists.all()] == ["New name"])
    # The renamed list stays selected and the table follows it.
    qtbot.waitUntil(lambda: window.model.query.reading_list == "New name")
    window.commands.confirm = lambda *_a: True
    menu = window.sidebar.context_menu_for(item_for(window, Filter("list", "New name")).index())
    {a.text(): a for a in menu.actions()}["Delete…"].trigger()
    qtbot.waitUntil(lambda: lib.lists.all() == [])
    qtbot.waitUntil(lambda: window.model.query.reading_list is None)
    assert lib.search.count() == 5  # the articles stay


def test_a_folder_renamed_keeps_its_selected_sub_list_shown(window: MainWindow, lib: Library,
                                                            qtbot: QtBot) -> None:
    for name in ("Spine oncology", "Spine oncology/MESCC"):
        lib.lists.create(name)
    lib.lists.add("Spine oncology/MESCC", [article_id(lib, "16112300")])
    show_list(window, qtbot, "Spine oncology/MESCC")
    rename_from_menu(window, "Spine oncology", "Spinal oncology")
    qtbot.waitUntil(lambda: has_entry(window, Filter("list", "Spinal oncology/MESCC")))
    item = item_for(window, Filter("list", "Spinal oncology/MESCC"))
    assert item.text() == "MESCC" and item.parent().text() == "Spinal oncology"
    # The sub-list was renamed with its folder, and the table still shows it.
    qtbot.waitUntil(lambda: window.model.query.reading_list == "Spinal oncology/MESCC")
    assert window.model.rowCount() == 1


def test_new_list_from_context_menu(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    window.commands.ask_text = lambda *_a: "  Fellowship reading  "
    menu = window.sidebar.context_menu_for(QModelIndex())
    {a.text(): a for a in menu.actions()}["New reading list…"].trigger()
    qtbot.waitUntil(lambda: has_entry(window, Filter("list", "Fellowship reading")))


def test_pending_entry_opens_the_pending_dialog(window: MainWindow, lib: Library,
                                                qtbot: QtBot) -> None:
    lib.pending.queue("10.1234/offline", "no network", lists=["Grant background"])
    lib.pending.queue(f"pdf:id:{article_id(lib, '16112300')}", "cannot reach Unpaywall")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: window.status.pending_count == 2)
    assert "2 pending" in window.status.network_button.text()
    pending = window.sidebar._find("pending")
    assert pending is not None and pending.data(KeyRole) == "pending"
    with qtbot.waitSignal(window.sidebar.pending_requested):
        window.sidebar.clicked.emit(pending.index())
    dialog = window.imports.pending_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 2)  # type: ignore[attr-defined]
    tree = dialog.tree  # type: ignore[attr-defined]
    # A queued open-access look-up reads as the article it is for, not "pdf:id:1".
    assert [tree.topLevelItem(i).text(0) for i in range(2)] == [
        "10.1234/offline", "open-access copy for patchell2005direct"]
    # The reading list it joins when fetched, on hover (the Why column holds the reason).
    assert tree.topLevelItem(0).toolTip(0) == (
        "10.1234/offline: for the reading list 'Grant background' when fetched")
    tree.topLevelItem(0).setSelected(True)
    tree.topLevelItem(1).setSelected(True)
    dialog.forget.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: lib.pending.all() == [])
    qtbot.waitUntil(lambda: window.status.pending_count == 0)


def test_counts_follow_edits(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    window.table.select_ids([aid], aid)
    window.acts.read.trigger()
    qtbot.waitUntil(lambda: count_text(window, Filter("unread")) == "4")


def test_searches_can_be_sorted_by_relevance(window: MainWindow, qtbot: QtBot) -> None:
    window.search.setText("spinal")
    qtbot.waitUntil(lambda: window.model.query.search == "spinal")
    assert window.model.query.sort == "added"  # the fast default
    window.acts.relevance.trigger()
    qtbot.waitUntil(lambda: window.model.query.sort == "relevance")
    window.search.clear()
    qtbot.waitUntil(lambda: window.model.query.search == "")
    assert window.model.query.sort == "added"


def test_choosing_an_entry_in_code_ignores_the_keys_held(window: MainWindow, lib: Library,
                                                         qtbot: QtBot) -> None:
    """Before: with Ctrl or Shift last seen down (the shortcut that led here, or any earlier
    key event), "Trash" was added to "All articles" instead of replacing it, so the table
    stayed and the Trash view never showed (two GUI tests timed out after others had
    pressed Ctrl+Shift+C in the same test process)."""
    trash = Filter("trash")
    lib.articles.delete([article_id(lib, "25000001")])
    window.queries.refresh_all()
    qtbot.waitUntil(lambda: count_text(window, trash) == "1")
    for key, held in ((Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier)):
        qtbot.keyPress(window.table, key, held)
        assert window.sidebar.select_filter(trash)
        assert window.sidebar.filters() == [trash]
        assert window.center.currentWidget() is window.side_views.trash
        assert window.sidebar.select_filter(Filter("all"))
        assert window.sidebar.filters() == [Filter("all")]
        assert window.center.currentWidget() is window.table
