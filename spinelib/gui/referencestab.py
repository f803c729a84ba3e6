"""The detail pane's References tab: the article's reference list, which of them are in the
library (double-click opens one; one not in it opens online), buttons to import the
selected or all missing ones, and a menu on each reference: open it here, online or through
the reader's library (:mod:`spinelib.libraryaccess`), import it, copy its citation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.citationmenu import CitedWork, citation_menu
from spinelib.gui.emptystate import ListNote
from spinelib.gui.widgets import align_citation_row, citation_tree, identifier_label
from spinelib.library import ReferenceRow
from spinelib.libraryaccess import LibraryAccess
from spinelib.weblinks import web_address

#: Item data: the library id of the article an entry stands for (None: not in the library).
ArticleIdRole = Qt.ItemDataRole.UserRole + 20
#: Item data: the reference's position in the article's list.
PositionRole = Qt.ItemDataRole.UserRole + 21


#: Background of a reference that points at retracted or concerning work (light red, so
#: the text stays readable in both themes' default text colours).
FLAGGED_REFERENCE_COLOUR = "#f8d7da"
FLAGGED_REFERENCE_TEXT = "#5c0a12"


#: The button that looks up the references without an identifier (spinelib.citeddois).
FIND_LABEL = "Find identifiers"


class ReferencesTab(QWidget):
    """The article's reference list with in-library marks and import buttons."""

    import_positions = Signal(list)  # reference positions not yet in the library
    open_article = Signal(int)
    #: Look up the DOIs of the references without an identifier (spinelib.gui.citeddoisflow).
    find_dois_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel(self)
        # "45 references, 3 in your library" wraps beside the buttons rather than being cut.
        self.summary.setWordWrap(True)
        self.tree = citation_tree(self, "Reference", "✓ = already in your library", 104,
                                  QAbstractItemView.SelectionMode.ExtendedSelection)
        self.note = ListNote(self.summary, self.tree)
        # Activation is a double-click and Enter alike (Qt emits it after itemDoubleClicked,
        # so connecting both opened a browser tab twice).
        self.tree.itemActivated.connect(self._double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu_requested)
        #: The reader's library's proxy and resolver (the detail pane's settings).
        self.access = LibraryAccess()
        #: Opens an address in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        self.import_selected = QPushButton("Import selected", self)
        self.import_selected.setToolTip("Fetch the selected references that are not in the "
                                        "library yet")
        self.import_all = QPushButton("Import all", self)
        self.import_all.setToolTip("Fetch every reference not yet in the library")
        self.import_selected.clicked.connect(self._import_selected)
        self.import_all.clicked.connect(self._import_all)
        self.find_dois = QPushButton(FIND_LABEL, self)
        self.find_dois.setToolTip("Look up the references that have no identifier: their DOIs "
                                  "in Crossref, then the PMIDs of the rest in PubMed (each "
                                  "checked against its citation), so they can be imported")
        self.find_dois.clicked.connect(self.find_dois_requested)
        self._refs: list[ReferenceRow] = []
        # The summary on a line of its own: beside three buttons in a narrow pane it
        # wrapped into four short lines.
        buttons.addStretch(1)
        buttons.addWidget(self.find_dois)
        buttons.addWidget(self.import_selected)
        buttons.addWidget(self.import_all)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.show_references([])

    def show_references(self, refs: Sequence[ReferenceRow]) -> None:
        self._refs = list(refs)
        self.tree.clear()
        items = []
        for ref in refs:
            ident = identifier_label(ref.pmid, ref.doi, ref.pmcid)
            item = QTreeWidgetItem([str(ref.position), "✓" if ref.in_library else "",
                                    ref.citation or "(no citation text)", ident])
            item.setData(0, PositionRole, ref.position)
            item.setData(0, ArticleIdRole, ref.article_id)
            item.setToolTip(2, ref.citation)
            item.setToolTip(3, ident)
            align_citation_row(item)
            if ref.has_identifier and not ref.in_library:
                item.setToolTip(1, "Not in your library — double-click to open it online")
            if ref.in_library:
                item.setToolTip(1, "In your library — double-click to open it")
                font = item.font(1)
                font.setBold(True)
                item.setFont(1, font)
                item.setForeground(1, self.palette().brush(QPalette.ColorRole.Highlight))
            elif ident == "—":
                # Nothing to fetch it by: shown, but quietly.
                dim = self.palette().brush(QPalette.ColorRole.PlaceholderText)
                for col in (2, 3):
                    item.setForeground(col, dim)
            items.append(item)
        self.tree.addTopLevelItems(items)
        n_in = sum(1 for r in refs if r.in_library)
        without = [r for r in refs if not r.has_identifier]
        self.note.say(
            (f"{len(refs)} references, {n_in} in your library"
             + (f", {len(without)} without an identifier" if without else "")) if refs
            else "No reference list stored for this article.")
        self.import_all.setEnabled(any(not r.in_library and r.has_identifier for r in refs))
        # A citation to search by (spinelib.citeddois.cited_without_identifiers).
        self.find_dois.setVisible(any(r.citation.strip() for r in without))
        self.find_dois.setText(FIND_LABEL)
        self._update_buttons()

    def searching(self, asked: int, total: int) -> None:
        """A search for identifiers runs (``asked`` of ``total`` answered): say so, and let
        its button stop it, until the list is shown again."""
        self.find_dois.setText("Stop")
        self.note.say("Looking up the references without an identifier"
                             + (f": {asked} of {total}…" if total else "…"))

    def mark_flagged(self, natures: dict[int, str]) -> None:
        """Highlight the references (by position) that point at retracted or concerning
        work, with the notice's nature as their tooltip (issue 17)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            nature = None if item is None else natures.get(int(item.data(0, PositionRole)))
            if item is None or nature is None:
                continue
            for col in range(self.tree.columnCount()):
                item.setBackground(col, QBrush(QColor(FLAGGED_REFERENCE_COLOUR)))
                item.setForeground(col, QBrush(QColor(FLAGGED_REFERENCE_TEXT)))
            item.setText(1, "⚠" + item.text(1))
            item.setToolTip(2, f"{nature}: {item.toolTip(2)}")

    def selected_positions(self) -> list[int]:
        return sorted(int(i.data(0, PositionRole)) for i in self.tree.selectedItems())

    def _update_buttons(self) -> None:
        self.import_selected.setEnabled(bool(self.tree.selectedItems()))

    def _missing(self, positions: Sequence[int] | None) -> list[int]:
        """Positions (all when None) of references not yet in the library."""
        wanted = None if positions is None else set(positions)
        return [r.position for r in self._refs
                if not r.in_library and (wanted is None or r.position in wanted)]

    def _import_selected(self) -> None:
        positions = self._missing(self.selected_positions())
        if positions:
            self.import_positions.emit(positions)
        else:
            self.note.say("The selected references are already in your library.")

    def _import_all(self) -> None:
        positions = self._missing(None)
        if positions:
            self.import_positions.emit(positions)

    def _double_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        article_id = item.data(0, ArticleIdRole)
        ref = self._ref_of(item)
        if article_id is not None:
            self.open_article.emit(int(article_id))
        elif ref is not None and (address := web_address(ref.pmid, ref.doi, ref.pmcid)):
            self.open_url(QUrl(address))

    def _ref_of(self, item: QTreeWidgetItem | None) -> ReferenceRow | None:
        position = None if item is None else item.data(0, PositionRole)
        return next((r for r in self._refs if r.position == position), None)

    def _menu_requested(self, pos: QPoint) -> None:
        menu = self.menu_for(self.tree.itemAt(pos))
        if menu is not None:
            menu.popup(self.tree.viewport().mapToGlobal(pos))

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """What can be done with one reference (:func:`.citationmenu.citation_menu`)."""
        ref = self._ref_of(item)
        if ref is None:
            return None
        work = CitedWork(ref.citation, ref.doi, ref.pmid, ref.pmcid, ref.article_id)
        return citation_menu(self, work, self.access, open_article=self.open_article.emit,
                             open_url=self.open_url, import_it=None if ref.in_library else (
                                 lambda: self.import_positions.emit([ref.position])))


__all__ = ["ArticleIdRole", "PositionRole", "ReferencesTab"]
