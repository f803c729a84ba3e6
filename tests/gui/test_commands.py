"""Actions on the selection: delete (confirmation names what goes), tags through the picker
(type-ahead, new user tags), reading lists from the context menu, read status."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter
from spinelib.gui.tagpicker import TagPicker
from spinelib.library import Library, ReadingListInfo
from tests.gui.conftest import article_id


def menu_actions(menu: QMenu) -> dict[str, QAction]:
    out: dict[str, QAction] = {}
    for action in menu.actions():
        out[action.text()] = action
        sub_menu = action.menu()
        if isinstance(sub_menu, QMenu):
            for sub in sub_menu.actions():
                out[f"{action.text()}/{sub.text()}"] = sub
    return out


def test_delete_asks_naming_the_articles(window: MainWindow, lib: Library,
                                         qtbot: QtBot) -> None:
    ids = [article_id(lib, "25000001"), article_id(lib, "33000001")]
    window.table.select_ids(ids)
    questions: list[str] = []

    def say_no(_title: str, text: str) -> bool:
        questions.append(text)
        return False

    window.commands.confirm = say_no
    window.acts.delete.trigger()
    qtbot.waitUntil(lambda: len(questions) == 1)
    assert "these 2 articles" in questions[0]
    assert "Fraud F 2015 — A retracted cement augmentation study" in questions[0]
    assert "Ng A 2021 — Laminectomy and fusion" in questions[0]
    assert lib.search.count() == 5  # said no
    window.commands.confirm = lambda *_a: True
    window.acts.delete.trigger()
    qtbot.waitUntil(lambda: lib.search.count() == 3)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_delete_shortcut_only_acts_in_the_table(window: MainWindow) -> None:
    assert window.acts.delete.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    assert window.acts.delete in window.table.actions()


def test_tag_picker_adds_removes_and_creates(window: MainWindow, lib: Library,
                                             qtbot: QtBot) -> None:
    ids = [article_id(lib, "16112300"), article_id(lib, "21333599")]
    lib.tags.create("Teaching case")
    lib.tags.add([ids[0]], ["Teaching case"])
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: window.sidebar.data is not None and any(
        t.id == "Teaching case" for t in window.sidebar.data.tags))
    window.table.select_ids(ids)
    window.acts.tags.trigger()
    qtbot.waitUntil(lambda: isinstance(window.commands.picker, TagPicker))
    picker = window.commands.picker
    assert picker is not None
    teaching = picker.item_for("Teaching case")
    assert teaching is not None
    assert teaching.checkState(0) == Qt.CheckState.PartiallyChecked  # on one of the two
    # Type-ahead: typing narrows the tree to the matches and their branches; Enter ticks
    # the first match.
    picker.filter.setText("kyphopl")
    visible = [i for i in picker.items() if not i.isHidden()]
    matches = picker.matches()
    assert matches and all("kyphopl" in i.text(0).lower() or "kyphopl" in
                           str(i.data(0, Qt.ItemDataRole.UserRole + 30)) for i in matches)
    assert set(map(id, matches)) <= set(map(id, visible)) < set(map(id, picker.items()))
    first_match = str(matches[0].data(0, Qt.ItemDataRole.UserRole + 30))
    picker.filter.returnPressed.emit()
    # A name that matches nothing can be created as the user's own tag.
    picker.filter.setText("MDT 2024")
    assert picker.create_button.isEnabled()
    picker.create_button.click()
    picker.set_checked("Teaching case", False)
    add, remove, create = picker.changes()
    assert set(add) == {first_match, "MDT 2024"} and remove == ["Teaching case"]
    assert create == ["MDT 2024"]
    picker.apply()
    def tags_of(i: int) -> set[str]:
        return {t.id for t in lib.tags.state(i).tags}

    qtbot.waitUntil(lambda: all({"MDT 2024", first_match} <= tags_of(i)
                                and "Teaching case" not in tags_of(i) for i in ids))
    qtbot.waitUntil(lambda: window.sidebar._find(Filter("tag", "MDT 2024").key) is not None)


def test_context_menu_adds_to_a_list_and_removes(window: MainWindow, lib: Library,
                                                 qtbot: QtBot) -> None:
    lib.lists.create("Journal club")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: "Journal club" in window.sidebar.list_names())
    aid = article_id(lib, "21333599")
    window.table.select_ids([aid], aid)
    actions = menu_actions(window.table_menu())
    actions["Add to reading list/Journal club"].trigger()
    qtbot.waitUntil(lambda: lib.lists.items("Journal club") == [aid])
    window.sidebar.select_filter(Filter("list", "Journal club"))
    qtbot.waitUntil(lambda: window.model.ids == [aid])
    window.table.select_ids([aid], aid)
    actions = menu_actions(window.table_menu())
    remove = actions["Remove from “Journal club”"]
    remove.trigger()
    qtbot.waitUntil(lambda: lib.lists.items("Journal club") == [])
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)


def test_a_folders_lists_are_a_submenu_of_its_name(window: MainWindow, lib: Library,
                                                   qtbot: QtBot) -> None:
    """Lists named as sub-folders (a Mendeley library's, imported) are grouped under their
    folder in the context menu; each entry adds to the list of its whole name."""
    for name in ("Spine oncology", "Spine oncology/MESCC", "Spine oncology/SINS/Reviews",
                 "Tumour board"):
        lib.lists.create(name)
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: "Tumour board" in window.sidebar.list_names())
    aid = article_id(lib, "21333599")
    window.table.select_ids([aid], aid)
    lists_menu = menu_actions(window.table_menu())["Add to reading list"].menu()
    assert isinstance(lists_menu, QMenu)
    entries = menu_actions(lists_menu)
    assert [a.text() for a in lists_menu.actions() if a.text()] == [
        "Spine oncology", "Tumour board", "&New reading list…"]
    assert {k for k, a in entries.items() if "/" in k and not a.isSeparator()} == {
        "Spine oncology/Spine oncology", "Spine oncology/MESCC", "Spine oncology/SINS/Reviews"}
    entries["Spine oncology/SINS/Reviews"].trigger()
    qtbot.waitUntil(lambda: lib.lists.items("Spine oncology/SINS/Reviews") == [aid])
    entries["Tumour board"].trigger()
    qtbot.waitUntil(lambda: lib.lists.items("Tumour board") == [aid])


def test_new_list_with_the_selection(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    ids = [article_id(lib, "16112300"), article_id(lib, "31000001")]
    window.table.select_ids(ids)
    window.commands.ask_text = lambda *_a: "SBRT fellowship"
    window.acts.new_list.trigger()
    qtbot.waitUntil(lambda: lib.lists.all() == [ReadingListInfo("SBRT fellowship", 2)])
    assert sorted(lib.lists.items("SBRT fellowship")) == sorted(ids)


def test_mark_read_and_unread(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    ids = [article_id(lib, "16112300"), article_id(lib, "31000001")]
    window.table.select_ids(ids)
    assert window.acts.read.shortcut().toString() == "Ctrl+R"
    window.acts.read.trigger()
    qtbot.waitUntil(lambda: all(lib.articles.state(i).read_status == 2 for i in ids))
    window.acts.unread.trigger()
    qtbot.waitUntil(lambda: all(lib.articles.state(i).read_status == 0 for i in ids))


def test_selection_actions_follow_the_selection(window: MainWindow, qtbot: QtBot) -> None:
    window.table.clearSelection()
    qtbot.waitUntil(lambda: not window.acts.copy_citation.isEnabled())
    window.table.select_first()
    qtbot.waitUntil(lambda: window.acts.copy_citation.isEnabled())
