"""The right-click menu of one citation row, in the References and Cited-by tabs and the
dialog of several papers' works: open the work in the library, online or through the
reader's library (:mod:`spinelib.libraryaccess`), import it, copy its citation. An action
that cannot work is shown greyed with the reason as its tooltip: the menu is where a user
looks for it, and a missing entry explains nothing. :class:`CitationRows` gives a list whose
rows carry their work (:data:`WorkRole`) that menu and its activation (a double-click or
Enter: the library's article, else the work online).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from spinelib.gui.clipboard import put_on_clipboard
from spinelib.libraryaccess import LibraryAccess, access_links
from spinelib.records import ArticleRecord
from spinelib.weblinks import web_address

#: Item data: what a work not in the library is imported by: its PMID, DOI or PMCID as the
#: import box reads it, or (the References tab) its position in the article's list.
ImportRole = Qt.ItemDataRole.UserRole + 22
#: Item data: the row's :class:`CitedWork`.
WorkRole = Qt.ItemDataRole.UserRole + 23


@dataclass(frozen=True)
class CitedWork:
    """What a row knows of the work it cites or is cited by."""

    citation: str
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    #: The library's article (None: not in the library, or in its trash).
    article_id: int | None = None
    #: Its title and year, when the row knows them apart from the citation (a citing
    #: article's): a link resolver matches on them too.
    title: str = ""
    year: int | None = None

    @property
    def address(self) -> str:
        """Where it is read online ("" without an identifier)."""
        return web_address(self.pmid, self.doi, self.pmcid)


def citation_menu(parent: QWidget, work: CitedWork, access: LibraryAccess, *,
                  open_article: Callable[[int], None], open_url: Callable[[QUrl], object],
                  import_it: Callable[[], None] | None) -> QMenu:
    """The menu for ``work``; ``import_it`` None when the row offers no import (it is in
    the library already)."""
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per right-click
    if work.article_id is not None:
        article_id = work.article_id
        menu.addAction("Open in your library", lambda: open_article(article_id))
    address = work.address
    _enabled(menu.addAction("Open online", lambda: open_url(QUrl(address))), bool(address),
             "It has no DOI, PMID or PMCID to open it by")
    asked = ArticleRecord(doi=work.doi, pmid=work.pmid, title=work.title, year=work.year)
    links = access_links(asked, access) if work.doi or work.pmid else []
    _enabled(menu.addAction("Open through my library", lambda: open_url(QUrl(links[0].url))),
             bool(links), "Set your library's proxy or link resolver in Preferences"
             if not access.configured else "It has no DOI or PMID to ask for")
    if import_it is not None:
        _enabled(menu.addAction("Import", import_it), bool(address),
                 "It has no identifier to fetch it by")
    citation = work.citation
    _enabled(menu.addAction("Copy citation", lambda: put_on_clipboard(citation)),
             bool(citation.strip()), "Its citation text is empty")
    return menu


def _enabled(action: QAction, on: bool, why_not: str) -> None:
    action.setEnabled(on)
    if not on:
        action.setToolTip(why_not)


class CitationRows:
    """Activation and the right-click menu of ``tree``'s rows, each carrying its
    :class:`CitedWork` (:data:`WorkRole`) and, when it can be imported, its identifier
    (:data:`ImportRole`). The callables are asked at each use, so a test's or a setting's
    replacement counts at once."""

    def __init__(self, tree: QTreeWidget, *, access: Callable[[], LibraryAccess],
                 open_article: Callable[[int], None], open_url: Callable[[QUrl], object],
                 import_values: Callable[[Sequence[object]], None]) -> None:
        self.tree = tree
        self._access = access
        self._open_article = open_article
        self._open_url = open_url
        self._import_values = import_values
        # A double-click and Enter alike: Qt activates a row after itemDoubleClicked too, so
        # listening to both opened a browser tab twice.
        tree.itemActivated.connect(self.activate)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._menu_requested)

    def activate(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        """Open the row's work: the library's article, else online (a glance before
        importing it); nothing for a work without an identifier."""
        work = item.data(0, WorkRole)
        if not isinstance(work, CitedWork):
            return
        if work.article_id is not None:
            self._open_article(work.article_id)
        elif work.address:
            self._open_url(QUrl(work.address))

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """The row's :func:`citation_menu` (None for no row)."""
        work = None if item is None else item.data(0, WorkRole)
        if item is None or not isinstance(work, CitedWork):
            return None
        # The value, not the row: the list may be drawn anew while the menu is open.
        value = item.data(0, ImportRole)
        return citation_menu(self.tree, work, self._access(), open_article=self._open_article,
                             open_url=self._open_url, import_it=None if work.article_id
                             is not None else lambda: self._import_values([value]))

    def _menu_requested(self, pos: QPoint) -> None:
        menu = self.menu_for(self.tree.itemAt(pos))
        if menu is not None:
            menu.popup(self.tree.viewport().mapToGlobal(pos))
