"""The References tab's reference, beyond importing it: a double-click opens one not in the
library online, and its menu opens it here, online or through the reader's library,
imports it or copies its citation; what cannot work is greyed with the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.referencestab import ReferencesTab
from spinelib.library import Library
from spinelib.settings import Settings
from tests.gui.conftest import article_id, wait_loaded

EZPROXY = "https://ezproxy.example.org/login?url="


def shown_references(window: MainWindow, lib: Library, qtbot: QtBot) -> ReferencesTab:
    wait_loaded(qtbot, window, article_id(lib, "21333599"))  # the kyphoplasty trial
    tab = window.detail.references
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 3)
    return tab


def row(tab: ReferencesTab, position: int) -> QTreeWidgetItem:
    item = tab.tree.topLevelItem(position - 1)
    assert item is not None and item.text(0) == str(position)
    return item


def actions(menu: QMenu | None) -> dict[str, tuple[bool, str]]:
    assert menu is not None
    return {a.text(): (a.isEnabled(), a.toolTip() if not a.isEnabled() else "")
            for a in menu.actions()}


def trigger(menu: QMenu | None, text: str) -> None:
    assert menu is not None
    next(a for a in menu.actions() if a.text() == text).trigger()


def test_a_reference_not_in_the_library_opens_online(window: MainWindow, lib: Library,
                                                     qtbot: QtBot) -> None:
    tab = shown_references(window, lib, qtbot)
    opened: list[str] = []
    tab.open_url = lambda url: opened.append(url.toString())
    shown: list[int] = []
    tab.open_article.connect(shown.append)
    tab.tree.itemActivated.emit(row(tab, 2), 2)  # Garland 2009: a DOI only
    assert opened == ["https://doi.org/10.1097/brs.0b013e3181a0b0c1"] and shown == []
    tab.tree.itemActivated.emit(row(tab, 3), 2)  # no identifier: nothing to open
    tab.tree.itemActivated.emit(row(tab, 1), 2)  # Patchell 2005: in the library
    assert len(opened) == 1 and shown == [article_id(lib, "16112300")]
    assert row(tab, 2).toolTip(1) == "Not in your library — double-click to open it online"
    # A real double-click opens it once (Qt also activates the row after a double-click).
    window.show()
    qtbot.waitExposed(window)
    window.detail.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.tree.visualItemRect(row(tab, 2)).height() > 0)
    opened.clear()
    at = tab.tree.visualItemRect(row(tab, 2)).center()
    # A real double-click: a press and release, then the double-click (Qt's item view
    # reads the double-click only on the row the press was on).
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert opened == ["https://doi.org/10.1097/brs.0b013e3181a0b0c1"]
    # Enter on a reference does what a double-click does.
    tab.tree.setFocus()
    tab.tree.setCurrentItem(row(tab, 2))
    qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    assert len(opened) == 2 and opened[-1].endswith("10.1097/brs.0b013e3181a0b0c1")


def test_a_references_menu_says_what_it_can_do(window: MainWindow, lib: Library,
                                               qtbot: QtBot) -> None:
    tab = shown_references(window, lib, qtbot)
    opened: list[str] = []
    tab.open_url = lambda url: opened.append(url.toString(
        QUrl.ComponentFormattingOption.FullyEncoded))
    no_setting = "Set your library's proxy or link resolver in Preferences"
    assert actions(tab.menu_for(row(tab, 1))) == {
        "Open in your library": (True, ""), "Open online": (True, ""),
        "Open through my library": (False, no_setting), "Copy citation": (True, "")}
    assert actions(tab.menu_for(row(tab, 3))) == {
        "Open online": (False, "It has no DOI, PMID or PMCID to open it by"),
        "Open through my library": (False, no_setting),
        "Import": (False, "It has no identifier to fetch it by"), "Copy citation": (True, "")}
    assert tab.menu_for(None) is None
    window.detail.use_settings(Settings(library_proxy=EZPROXY))
    menu = tab.menu_for(row(tab, 2))
    assert actions(menu)["Open through my library"] == (True, "")
    trigger(menu, "Open through my library")
    trigger(menu, "Open online")
    assert opened == [EZPROXY + "https://doi.org/10.1097/brs.0b013e3181a0b0c1",
                      "https://doi.org/10.1097/brs.0b013e3181a0b0c1"]
    assert actions(tab.menu_for(row(tab, 3)))["Open through my library"] == (
        False, "It has no DOI or PMID to ask for")
    trigger(tab.menu_for(row(tab, 3)), "Copy citation")
    assert QGuiApplication.clipboard().text() == "A reference with no identifiers at all. 1998."
    with qtbot.waitSignal(tab.import_positions) as imported:
        trigger(tab.menu_for(row(tab, 2)), "Import")
    assert imported.args == [[2]]
