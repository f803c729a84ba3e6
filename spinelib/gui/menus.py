"""The main window's menus and toolbar, arranged from its actions (:mod:`spinelib.gui.actions`).

The menu bar (File, Edit, Article, View, Help; a menu added later goes before Help), the
toolbar with the search field, the File ▸ Open recent submenu (filled each time it opens)
and the article table's context menu (built afresh for the current selection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from spinelib.gui.actions import MainActions
from spinelib.gui.helpmenu import HelpActions, install_help_menu
from spinelib.results import LIST_FOLDER_SEPARATOR

#: Libraries listed in File ▸ Open recent.
RECENT_SHOWN = 10


class RecentMenu(QMenu):
    """File ▸ Open recent: the remembered libraries other than the one open."""

    #: Open this library (in a window of its own).
    open_requested = Signal(Path)

    def __init__(self, title: str, parent: QWidget, *, recent: Callable[[], list[str]],
                 current: Callable[[], Path]) -> None:
        """``recent`` returns the remembered library paths, newest first; ``current`` the
        path of the library this window shows."""
        super().__init__(title, parent)
        self.recent = recent
        self.current = current
        self.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        """List the recent libraries now (called each time the menu opens)."""
        self.clear()
        recent = [p for p in self.recent() if p != str(self.current())]
        for path in recent[:RECENT_SHOWN]:
            act = self.addAction(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_requested.emit(Path(p)))
        if not recent:
            self.addAction("No other libraries yet").setEnabled(False)


def add_before_help(bar: QMenuBar, menu: QMenu) -> QMenu:
    """Put ``menu`` on ``bar`` just before Help, which stays last as in every desktop app
    (the menus added after the bar is built: Full text, Team); at the end if there is no
    Help."""
    help_menu = [a for a in bar.actions() if a.text().replace("&", "") == "Help"]
    if help_menu:
        bar.insertMenu(help_menu[0], menu)
    else:
        bar.addMenu(menu)
    return menu


def build_menu_bar(window: QMainWindow, acts: MainActions, recent: RecentMenu, *,
                   library_path: Callable[[], Path]) -> HelpActions:
    """Fill ``window``'s menu bar; the Help menu's actions are returned."""
    bar = window.menuBar()
    file = bar.addMenu("&File")
    file.addActions([acts.new_library, acts.open_library])
    file.addMenu(recent)
    file.addSeparator()
    file.addActions([acts.import_articles, acts.new_article, acts.search_pubmed, acts.retry,
                     acts.inbox, acts.check_retractions, acts.export, acts.format_manuscript])
    file.addSeparator()
    file.addActions([acts.backup, acts.restore])
    file.addSeparator()
    file.addAction(acts.prefs)
    file.addSeparator()
    file.addAction(acts.quit)
    edit = bar.addMenu("&Edit")
    edit.addActions([acts.copy_citation, acts.copy_ama, acts.copy_key, acts.copy_bibtex,
                     acts.paste])
    edit.addSeparator()
    edit.addActions([acts.find, acts.delete])
    article = bar.addMenu("&Article")
    article.addActions([acts.read, acts.unread, acts.tags])
    article.addSeparator()
    article.addActions([acts.add_to_list, acts.remove_from_list, acts.new_list])
    article.addSeparator()
    article.addActions([acts.shared_refs, acts.citing_selection, acts.similar_selection])
    view = bar.addMenu("&View")
    view.addActions([acts.toggle_sidebar, acts.toggle_detail])
    view.addSeparator()
    view.addAction(acts.relevance)
    view.addAction(acts.refresh)
    help_menu = bar.addMenu("&Help")
    return install_help_menu(help_menu, window, library_path=library_path,
                             actions=lambda: window.findChildren(QAction))


def build_toolbar(window: QMainWindow, acts: MainActions, search: QLineEdit) -> QToolBar:
    """The main toolbar: import/export, the frequent article actions, the search field."""
    tools = QToolBar("Main toolbar", window)
    tools.setObjectName("mainToolbar")
    tools.setMovable(False)
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tools.addActions([acts.import_articles, acts.export])
    tools.addSeparator()
    tools.addActions([acts.copy_citation, acts.read, acts.tags])
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    tools.addWidget(spacer)
    tools.addWidget(search)
    window.addToolBar(tools)
    return tools


def article_menu(parent: QWidget, acts: MainActions, *, has_selection: bool,
                 list_names: Sequence[str], current_list: str | None,
                 add_to_list: Callable[[str], None],
                 export_selection: Callable[[], object]) -> QMenu:
    """The article table's context menu for the current selection.

    ``add_to_list(name)`` adds the selection to a reading list; ``current_list`` is the list
    the table shows (its Remove entry is offered), ``export_selection`` opens the export
    dialog for the selection.
    """
    menu = QMenu(parent)
    menu.addActions([acts.copy_citation, acts.copy_ama, acts.copy_key, acts.copy_bibtex])
    menu.addSeparator()
    menu.addActions([acts.read, acts.unread, acts.tags])
    lists_menu = menu.addMenu("Add to reading list")
    lists_menu.setEnabled(has_selection)
    _list_entries(lists_menu, list_names, add_to_list)
    if list_names:
        lists_menu.addSeparator()
    lists_menu.addAction(acts.new_list)
    if current_list is not None:
        acts.remove_from_list.setText(f"Remove from “{current_list}”")
        menu.addAction(acts.remove_from_list)
    menu.addActions([acts.shared_refs, acts.citing_selection, acts.similar_selection])
    menu.addSeparator()
    export = menu.addAction("Export selection…")
    export.triggered.connect(lambda _c=False: export_selection())
    menu.addSeparator()
    menu.addAction(acts.delete)
    return menu


def _list_entries(menu: QMenu, names: Sequence[str], add_to_list: Callable[[str], None]) -> None:
    """An entry per reading list; the lists named as a folder's sub-folders ("Spine
    oncology/MESCC", as a Mendeley or JabRef library's folders come in) in a submenu of
    the folder's name, the folder's own list first in it: 200 imported folders would
    otherwise be one menu taller than the screen."""
    folders: dict[str, list[str]] = {}
    for name in names:
        head, sep, rest = name.partition(LIST_FOLDER_SEPARATOR)
        folders.setdefault(head if sep and head.strip() and rest.strip() else name,
                           []).append(name)
    for folder, members in folders.items():
        target = menu if members == [folder] else menu.addMenu(folder)
        for name in members:
            label = name if name == folder or target is menu else name[len(folder) + 1:]
            act = target.addAction(label)
            act.triggered.connect(lambda _c=False, n=name: add_to_list(n))
            if target is not menu and name == folder:
                target.addSeparator()  # the folder's own list apart from its sub-folders


__all__ = ["RecentMenu", "article_menu", "build_menu_bar", "build_toolbar"]
