"""Issue 15 in the sidebar: saved searches as live entries with counts, and the Trash as a
view (count, its articles in the middle of the window, restore and empty from there)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter
from spinelib.gui.trashview import TrashView
from spinelib.library import Library
from tests.core.helpers import make_record
from tests.gui.conftest import article_id
from tests.gui.test_sidebar import count_text, has_entry

SINCE_2015 = Filter("saved", "Since 2015", "year:2015..")


def test_a_saved_search_is_a_live_sidebar_entry(window: MainWindow, lib: Library,
                                                qtbot: QtBot) -> None:
    lib.searches.save("Since 2015", "year:2015..")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: has_entry(window, SINCE_2015))
    assert count_text(window, SINCE_2015) == "3"
    assert window.sidebar.select_filter(SINCE_2015)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    assert window.search.text() == ""  # the saved query is not typed into the box
    assert window.queries.view_label() == "Shown: saved search “Since 2015”"
    # Typed words narrow it further.
    window.search.setText("radiotherapy")
    window.queries.apply_query()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.search.setText("")
    window.queries.apply_query()
    # Live: an article added later is found the next time, and counted.
    lib.articles.add_records([make_record(pmid="36000001", doi="10.1/new", year=2022,
                                          title="A new paper on spinal chordoma resection")])
    window.queries.refresh_all()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    qtbot.waitUntil(lambda: count_text(window, SINCE_2015) == "4")


def test_a_saved_search_can_be_deleted_from_its_menu(window: MainWindow, lib: Library,
                                                     qtbot: QtBot) -> None:
    lib.searches.save("Since 2015", "year:2015..")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: has_entry(window, SINCE_2015))
    item = window.sidebar._find(SINCE_2015.key)
    assert item is not None
    menu = window.sidebar.context_menu_for(item.index())
    action = next(a for a in menu.actions() if a.text() == "Delete saved search")
    action.trigger()
    qtbot.waitUntil(lambda: not has_entry(window, SINCE_2015))
    assert lib.searches.all() == [] and lib.search.count() == 5


def test_the_trash_view_lists_restores_and_empties(window: MainWindow, lib: Library,
                                                   qtbot: QtBot) -> None:
    trash = Filter("trash")
    qtbot.waitUntil(lambda: has_entry(window, trash))
    assert count_text(window, trash) == "0"
    gone = [article_id(lib, "25000001"), article_id(lib, "33000001")]
    lib.articles.delete(gone)
    window.queries.refresh_all()
    qtbot.waitUntil(lambda: count_text(window, trash) == "2")
    assert window.sidebar.select_filter(trash)
    view = window.side_views.trash
    qtbot.waitUntil(lambda: window.center.currentWidget() is view)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 2)
    assert view.status.text() == "2 articles in the trash." and not view.status.isHidden()
    assert view.note.overlay.isHidden()
    assert {view.tree.topLevelItem(i).text(1) for i in range(2)} == {
        "A retracted cement augmentation study of vertebral fractures",
        "Laminectomy and fusion for thoracic metastases"}
    # Restore one: it is back in the library, the count and the list follow.
    laminectomy = next(view.tree.topLevelItem(i) for i in range(2)
                       if view.tree.topLevelItem(i).text(1).startswith("Laminectomy"))
    laminectomy.setSelected(True)
    view.restore_selected()
    qtbot.waitUntil(lambda: lib.search.count() == 4)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1)
    qtbot.waitUntil(lambda: count_text(window, trash) == "1")
    qtbot.waitUntil(lambda: view.status.text() == "Restored 1.")  # under the one left
    assert not view.status.isHidden() and view.note.overlay.isHidden()
    assert window.center.currentWidget() is view  # the refresh keeps the Trash on screen
    # Empty it (confirmed): gone for good.
    view.confirm = lambda _title, _text: True
    view.empty()
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 0)
    qtbot.waitUntil(lambda: count_text(window, trash) == "0")
    assert lib.trash.count() == 0 and lib.search.count() == 4
    # Empty, it says so over the list, not in a line under an empty box.
    qtbot.waitUntil(lambda: not view.note.overlay.isHidden())
    # What the action did, whichever of its reload and the window's answers last.
    qtbot.waitUntil(lambda: view.status.text() == "Deleted 1 for good. The trash is now "
                    "empty.")
    assert view.status.isHidden()
    view.reload()  # read again, unchanged: what the action did still stands
    qtbot.waitUntil(lambda: view.entries == [])
    assert view.status.text() == "Deleted 1 for good. The trash is now empty."
    fresh = TrashView(lib, window.runner)  # opened anew: the plain sentence
    qtbot.addWidget(fresh)
    qtbot.waitUntil(lambda: fresh.status.text().startswith("The trash is empty:"))
    assert not fresh.note.overlay.isHidden()
    # Any other entry brings the table back.
    window.sidebar.select_filter(Filter("all"))
    qtbot.waitUntil(lambda: window.center.currentWidget() is window.table)


def test_saving_a_search_lists_it_and_asks_before_replacing(window: MainWindow, lib: Library,
                                                            qtbot: QtBot) -> None:
    """View ▸ Save search…: the sidebar shows the new entry at once; a name already saved
    (in any letter case) with another query is replaced only when the user says yes."""
    asked: list[tuple[str, str]] = []
    answer = [False]
    window.curation.ask_name = lambda: "since 2015"
    window.curation.ask_replace = lambda old, query: asked.append((old.query, query)) or answer[0]
    window.search.setText("year:2015..")
    window.curation.save_search()
    qtbot.waitUntil(lambda: has_entry(window, Filter("saved", "since 2015", "year:2015..")))
    assert asked == []  # a new name asks nothing
    section = window.sidebar._find("saved")  # open, so the new entry is seen
    assert section is not None and window.sidebar.isExpanded(section.index())

    window.curation.ask_name = lambda: "Since 2015"
    window.search.setText("year:2015.. radiotherapy")
    window.curation.save_search()
    qtbot.waitUntil(lambda: "Not saved" in window.statusBar().currentMessage())
    assert asked == [("year:2015..", "year:2015.. radiotherapy")]
    assert [(s.name, s.query) for s in lib.searches.all()] == [("since 2015", "year:2015..")]

    answer[0] = True
    window.curation.save_search()
    qtbot.waitUntil(lambda: has_entry(window, Filter("saved", "Since 2015",
                                                     "year:2015.. radiotherapy")))
    assert [(s.name, s.query) for s in lib.searches.all()] == [
        ("Since 2015", "year:2015.. radiotherapy")]
    assert window.statusBar().currentMessage() == "Saved search “Since 2015”."
    # The same query again is saved without asking.
    window.statusBar().clearMessage()
    window.curation.save_search()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Saved search “Since 2015”.")
    assert len(asked) == 2
