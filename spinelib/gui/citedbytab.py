"""The detail pane's Cited-by tab: the articles in the library whose reference lists cite
the one shown, as the same wrapped citation rows as the References tab (double-click or
Enter opens one)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.referencestab import ArticleIdRole
from spinelib.gui.widgets import align_citation_row, citation_tree
from spinelib.library import Row
from spinelib.serialize import row_author


def citing_text(row: Row) -> str:
    """'Berenson J et al. Balloon kyphoplasty versus … Lancet Oncol. 2011.'"""
    parts = [row_author(row), row.title or "(untitled)", row.journal,
             str(row.year) if row.year else ""]
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


def identifier_text(row: Row) -> str:
    return (f"PMID {row.pmid}" if row.pmid else f"DOI {row.doi}" if row.doi
            else row.pmcid or "—")


class CitedByTab(QWidget):
    """Citing articles (all in the library); ``open_article(id)`` on double-click/Enter."""

    open_article = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = citation_tree(self, "Citing article",
                                  "✓ = in your library (double-click to open)", 115,
                                  QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.summary = QLabel(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self.show_rows(None)

    def show_rows(self, rows: Sequence[Row] | None) -> None:
        """The citing articles (None: still loading)."""
        self.tree.clear()
        if rows is None:
            self.summary.setText("Looking for articles in your library that cite this one…")
            return
        highlight = self.palette().brush(QPalette.ColorRole.Highlight)
        items = []
        for n, row in enumerate(rows, 1):
            ident = identifier_text(row)
            item = QTreeWidgetItem([str(n), "✓", citing_text(row), ident])
            item.setData(0, ArticleIdRole, row.id)
            item.setToolTip(2, row.title)
            item.setToolTip(1, "In your library — double-click to open it")
            item.setForeground(1, highlight)
            align_citation_row(item)
            items.append(item)
        self.tree.addTopLevelItems(items)
        self.summary.setText(
            f"{len(rows)} article{'s' if len(rows) != 1 else ''} in your library cite this one."
            if rows else "No article in your library cites this one (yet): the References "
                         "tab of each imported article is searched.")

    def count(self) -> int:
        return self.tree.topLevelItemCount()

    def item(self, i: int) -> QTreeWidgetItem | None:
        return self.tree.topLevelItem(i)

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        article_id = item.data(0, ArticleIdRole)
        if article_id is not None:
            self.open_article.emit(int(article_id))


__all__ = ["CitedByTab", "citing_text"]
