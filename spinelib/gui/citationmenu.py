"""The right-click menu of one citation row, in the References and Cited-by tabs: open the
work in the library, online or through the reader's library (:mod:`spinelib.libraryaccess`),
import it, copy its citation. An action that cannot work is shown greyed with the reason as
its tooltip: the menu is where a user looks for it, and a missing entry explains nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from spinelib.gui.clipboard import put_on_clipboard
from spinelib.libraryaccess import LibraryAccess, access_links
from spinelib.records import ArticleRecord
from spinelib.weblinks import web_address


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
