"""The detail pane's Cited-by tab: the articles in the library whose reference lists cite
the one shown, as the same wrapped citation rows as the References tab (double-click or
Enter opens one); and, on "Find citing articles online", the ones Europe PMC lists
(:mod:`spinelib.citingarticles`), newest first, marked where the library holds them, with
buttons to import the selected or all new ones (double-click opens one online); "Create
alert" watches for new ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.citingarticles import CitingEntry, CitingSearch
from spinelib.gui.citationmenu import CitationRows, CitedWork, ImportRole, WorkRole
from spinelib.gui.emptystate import ListNote
from spinelib.gui.widgets import align_citation_row, citation_tree, identifier_label
from spinelib.identifiers import carried
from spinelib.library import Row
from spinelib.libraryaccess import LibraryAccess
from spinelib.serialize import row_author

#: What "Create alert" does.
ALERT_TIP = ("Watch for new articles citing this one: each run of the watches (Inbox ▸ Run "
             "watches, or weekly at start-up) puts those Europe PMC lists since in the Inbox")


def citing_text(row: Row) -> str:
    """'Berenson J et al. Balloon kyphoplasty versus … Lancet Oncol. 2011.'"""
    parts = [row_author(row), row.title or "(untitled)", row.journal,
             str(row.year) if row.year else ""]
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


#: The orders the online list can be read in: (label, key of a CitingEntry).
ORDERS: tuple[tuple[str, Callable[[CitingEntry], tuple[int, int]]], ...] = (
    ("Newest first", lambda e: (-e.number, 0)),
    ("Most cited first", lambda e: (-(e.work.cited_by or 0), -e.number)),
)


def _held_by(rows: Sequence[Row]) -> dict[tuple[str, str], int]:
    """The library's citing articles by each of their identifiers."""
    found: dict[tuple[str, str], int] = {}
    for row in rows:
        for ident in carried(row.pmid, row.doi, row.pmcid):
            found[(ident.kind, ident.value.lower())] = row.id
    return found


class CitedByTab(QWidget):
    """Citing articles: the library's, then Europe PMC's when asked; ``open_article(id)``
    on double-click/Enter, ``find_requested`` for the online search, ``import_inputs``
    with what to import."""

    open_article = Signal(int)
    find_requested = Signal()
    import_inputs = Signal(list)
    #: "Create alert": watch for new articles citing the one shown.
    alert_requested = Signal()
    #: The library's citing articles of a newly shown article are on screen (its alert's
    #: state may be read now).
    rows_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Opens an address in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        #: The reader's library's proxy and resolver (the detail pane's settings).
        self.access = LibraryAccess()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = citation_tree(self, "Citing article",
                                  "✓ = in your library (double-click to open)", 115,
                                  QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A double-click or Enter opens a row; right-click: the References tab's menu.
        self.rows = CitationRows(self.tree, access=lambda: self.access,
                                 open_article=self.open_article.emit,
                                 open_url=lambda url: self.open_url(url),
                                 import_values=self._import_values)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.note = ListNote(self.summary, self.tree)
        self.find_online = QPushButton("Find citing articles online", self)
        self.find_online.setToolTip(
            "Ask Europe PMC which articles cite this one (by its PMID, PMCID or DOI), "
            "newest first; import the ones you want")
        self.find_online.clicked.connect(self.find_requested)
        self.import_selected = QPushButton("Import selected", self)
        self.import_selected.setToolTip("Fetch the selected citing articles that are not in "
                                        "the library yet")
        self.import_selected.clicked.connect(self._import_selected)
        self.import_new = QPushButton("Import all new", self)
        self.import_new.setToolTip("Fetch every citing article Europe PMC lists that is "
                                   "not in the library yet")
        self.import_new.clicked.connect(lambda: self._import(self._new_items()))
        self.alert = QPushButton("Create alert", self)
        self.alert.setToolTip(ALERT_TIP)
        self.alert.clicked.connect(self._alert_clicked)
        self.order = QComboBox(self)
        self.order.addItems([label for label, _key in ORDERS])
        self.order.setToolTip("The order of Europe PMC's list: newest first, or the most "
                              "cited first (Europe PMC's counts)")
        self.order.currentIndexChanged.connect(lambda _i: self._render())
        # The order and the alert sit above the list (they are about the list and the
        # article): beside the three buttons below, a fourth cut every label at the pane's
        # usual width. The summary has a line of its own: beside the buttons it was
        # squeezed into a column one word wide.
        top = QHBoxLayout()
        top.addWidget(self.order)
        top.addStretch(1)
        top.addWidget(self.alert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.find_online, self.import_selected, self.import_new):
            buttons.addWidget(button)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self._rows: list[Row] | None = None
        #: Europe PMC's answer for the article shown (None: not asked since it was shown).
        self.online: CitingSearch | None = None
        self.show_rows(None)

    def show_rows(self, rows: Sequence[Row] | None) -> None:
        """The library's citing articles (None: still loading, for a newly shown article,
        which forgets the last one's online answer)."""
        self._rows = None if rows is None else list(rows)
        if rows is None:
            self.online = None
            self.alert.setEnabled(True)
            self.alert.setText("Create alert")
            self.alert.setToolTip(ALERT_TIP)
        self._render()
        if rows is not None:
            self.rows_shown.emit()

    def _alert_clicked(self) -> None:
        self.alert.setEnabled(False)
        self.alert_requested.emit()

    def alert_made(self, line: str) -> None:
        """The citation watch was stored (``line``: what its first run found)."""
        self.alert.setText("Alert created")
        self.alert.setToolTip(line + " (Inbox ▸ Watches… lists the watches)")

    def alert_exists(self, name: str) -> None:
        """The article shown is watched already, by the alert called ``name``. An alert
        just created here stays "Alert created": the read that finds it may have started
        before the alert was stored and end after it (an offline creation is that quick)."""
        if self.alert.text() == "Alert created":
            return
        self.alert.setEnabled(False)
        self.alert.setText("Alert on")
        self.alert.setToolTip(f"The watch “{name}” brings the articles citing this one to "
                              "the Inbox (Inbox ▸ Watches… lists and removes watches)")

    def alert_failed(self, message: str) -> None:
        self.alert.setEnabled(True)
        self.note.say(f"Creating the alert failed: {message}")

    def searching(self) -> None:
        """The online search runs: say so until its answer (or failure) is shown."""
        self.find_online.setEnabled(False)
        self.note.say("Asking Europe PMC which articles cite this one…")

    def show_online(self, search: CitingSearch) -> None:
        """Europe PMC's citing articles for the article shown."""
        self.online = search
        self._render()

    def search_failed(self, message: str) -> None:
        self._render()
        self.note.say(f"Finding citing articles failed: {message}")

    def count(self) -> int:
        return self.tree.topLevelItemCount()

    def item(self, i: int) -> QTreeWidgetItem | None:
        return self.tree.topLevelItem(i)

    # ------------------------------------------------------------------ rendering
    def _render(self) -> None:
        self.tree.clear()
        self.find_online.setEnabled(True)
        rows = self._rows
        if rows is None:
            self.note.say("Looking for articles in your library that cite this one…")
            self._show_import_buttons(False)
            self.order.setVisible(False)
            self.find_online.setText("Find citing articles online")
            return
        if self.online is None:
            items = [self._library_item(row) for row in rows]
        else:
            items = self._online_items(self.online, rows)
        for n, item in enumerate(items, 1):
            item.setText(0, str(n))
            align_citation_row(item)
        self.tree.addTopLevelItems(items)
        self._show_import_buttons(self.online is not None)
        self.order.setVisible(self.online is not None)
        # Short once the list is shown: beside the order and the import buttons the long
        # label was cut at the pane's usual width.
        self.find_online.setText("Find citing articles online" if self.online is None
                                 else "Ask again")
        self.note.say(self._summary(rows))
        self._update_buttons()

    def _summary(self, rows: Sequence[Row]) -> str:
        if self.online is not None:
            return self.online.summary() + ("; those in your library are marked ✓."
                                            if self.online.entries else ".")
        ask = " “Find citing articles online” asks Europe PMC for the rest."
        if rows:
            return (f"{len(rows)} article{'s' if len(rows) != 1 else ''} in your library "
                    "cite this one." + ask)
        return ("No article in your library cites this one (yet): the References tab of "
                "each imported article is searched." + ask)

    def _library_item(self, row: Row) -> QTreeWidgetItem:
        item = QTreeWidgetItem(["", "✓", citing_text(row),
                                identifier_label(row.pmid, row.doi, row.pmcid)])
        item.setData(0, WorkRole, CitedWork(citing_text(row), row.doi or "", row.pmid or "",
                                            row.pmcid or "", row.id, row.title, row.year))
        item.setToolTip(2, row.title)
        self._mark_held(item)
        return item

    def _online_items(self, search: CitingSearch, rows: Sequence[Row]) -> list[QTreeWidgetItem]:
        """Europe PMC's list in the order chosen, then the library's citing articles it
        lacks."""
        held = _held_by(rows)
        shown: set[int] = set()
        items = []
        for entry in sorted(search.entries, key=ORDERS[self.order.currentIndex()][1]):
            work = entry.work
            article_id = next((held[(i.kind, i.value.lower())] for i in work.identifiers()
                               if (i.kind, i.value.lower()) in held), None)
            if article_id is None and entry.held is not None and not entry.held.trashed:
                article_id = entry.held.article_id
            ident = identifier_label(work.pmid, work.doi, work.pmcid, work.cited_by)
            item = QTreeWidgetItem(["", "", work.citation or work.title, ident])
            item.setToolTip(2, work.citation)
            item.setData(0, WorkRole, CitedWork(work.citation or work.title, work.doi or "",
                                                work.pmid or "", work.pmcid or "", article_id,
                                                work.title, work.year))
            if article_id is not None:
                shown.add(article_id)
                item.setText(1, "✓")
                self._mark_held(item)
            elif (importable := work.identifier()) is not None:
                item.setData(0, ImportRole, importable.value)
                item.setToolTip(1, "Not in your library — double-click to open it online")
                if entry.held is not None:  # in the trash: importing restores it
                    item.setToolTip(1, "In the trash — importing it restores it")
            else:
                dim = self.palette().brush(QPalette.ColorRole.PlaceholderText)
                for col in (2, 3):
                    item.setForeground(col, dim)
                item.setToolTip(3, f"Europe PMC {work.source} {work.source_id}: no PMID or "
                                   "DOI to import it by")
            items.append(item)
        items.extend(self._library_item(row) for row in rows if row.id not in shown)
        return items

    def _mark_held(self, item: QTreeWidgetItem) -> None:
        item.setToolTip(1, "In your library — double-click to open it")
        item.setForeground(1, self.palette().brush(QPalette.ColorRole.Highlight))

    # ------------------------------------------------------------------ importing
    def _show_import_buttons(self, shown: bool) -> None:
        self.import_selected.setVisible(shown)
        self.import_new.setVisible(shown)

    def _new_items(self) -> list[QTreeWidgetItem]:
        return [item for i in range(self.count())
                if (item := self.tree.topLevelItem(i)) is not None
                and item.data(0, ImportRole) is not None]

    def _update_buttons(self) -> None:
        selected = self.tree.selectedItems()
        self.import_selected.setEnabled(any(i.data(0, ImportRole) is not None
                                            for i in selected))
        self.import_new.setEnabled(bool(self._new_items()))

    def _import_selected(self) -> None:
        self._import(self.tree.selectedItems())

    def _import(self, items: Sequence[QTreeWidgetItem]) -> None:
        self._import_values([item.data(0, ImportRole) for item in items])

    def _import_values(self, values: Sequence[object]) -> None:
        inputs = [str(value) for value in values if value is not None]
        if inputs:
            self.import_inputs.emit(inputs)

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """What can be done with one citing article (:class:`.citationmenu.CitationRows`)."""
        return self.rows.menu_for(item)


__all__ = ["CitedByTab", "ImportRole", "WorkRole", "citing_text"]
