"""The detail pane's References tab: the article's reference list, which of them are in the
library (double-click opens one; one not in it opens online), buttons to import the
selected or all missing ones, and a menu on each reference: open it here, online or through
the reader's library (:mod:`spinelib.libraryaccess`), import it, copy its citation. *Paste
list…* sets the list from the paper's text when no source gave one
(:mod:`spinelib.gui.reflistdialog`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
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

from spinelib.gui.citationmenu import CitationRows, CitedWork, ImportRole, WorkRole
from spinelib.gui.emptystate import ListNote
from spinelib.gui.widgets import align_citation_row, citation_tree, identifier_label
from spinelib.library import ReferenceRow
from spinelib.libraryaccess import LibraryAccess

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
    #: Set the list from pasted text or the full text (spinelib.gui.reflistdialog).
    paste_requested = Signal()

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
        #: The reader's library's proxy and resolver (the detail pane's settings).
        self.access = LibraryAccess()
        #: Opens an address in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        # A double-click or Enter opens a reference (one not in the library online);
        # right-click: its menu. A row's import value is its position in the list.
        self.rows = CitationRows(self.tree, access=lambda: self.access,
                                 open_article=self.open_article.emit,
                                 open_url=lambda url: self.open_url(url),
                                 import_values=lambda positions: self.import_positions.emit(
                                     [p for p in positions if isinstance(p, int)]))
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
        self.paste_list = QPushButton("Paste list…", self)
        self.paste_list.setToolTip("Set this article's reference list from the list copied "
                                   "from the paper, or read it from its attached PDF: for a "
                                   "paper PubMed and Crossref hold none for")
        self.paste_list.clicked.connect(self.paste_requested)
        self._refs: list[ReferenceRow] = []
        # The summary on a line of its own: beside three buttons in a narrow pane it
        # wrapped into four short lines.
        buttons.addWidget(self.paste_list)
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
            item.setData(0, WorkRole, CitedWork(ref.citation, ref.doi, ref.pmid, ref.pmcid,
                                                ref.article_id))
            if ref.has_identifier and not ref.in_library:
                item.setData(0, ImportRole, ref.position)
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
            else "No reference list stored for this article: Paste list… sets one from the "
                 "text of the paper.")
        self.import_all.setEnabled(any(not r.in_library and r.has_identifier for r in refs))
        # A citation to search by (spinelib.citeddois.cited_without_identifiers).
        self.find_dois.setVisible(any(r.citation.strip() for r in without))
        self.find_dois.setText(FIND_LABEL)
        self._update_buttons()

    @property
    def count(self) -> int:
        """How many references the tab shows."""
        return len(self._refs)

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

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """What can be done with one reference (:class:`.citationmenu.CitationRows`)."""
        return self.rows.menu_for(item)


__all__ = ["PositionRole", "ReferencesTab"]
