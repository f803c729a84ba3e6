"""Article ▸ References of the selection…: the works the selected articles' reference lists
cite, each once, the most shared first (×N: cited by N of them), ✓ where the library holds
it, with "Cited by at least N" to keep the shared ones and buttons to import the selected
or all new ones (:mod:`spinelib.sharedrefs`; the list is read on the read worker and read
again after an import, so what was just imported shows as held)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.citedbytab import ImportRole
from spinelib.gui.referencestab import ArticleIdRole
from spinelib.gui.widgets import align_citation_row, citation_tree
from spinelib.sharedrefs import SharedReference, SharedReferences, shared_references

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow


def _identifier_text(ref: SharedReference) -> str:
    return (f"PMID {ref.pmid}" if ref.pmid else f"DOI {ref.doi}" if ref.doi
            else ref.pmcid or "—")


class SharedReferencesDialog(QDialog):
    """The union of the chosen articles' reference lists (non-modal)."""

    def __init__(self, window: MainWindow, article_ids: Sequence[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = window
        self.article_ids = list(article_ids)
        self.shared: SharedReferences | None = None
        n = len(self.article_ids)
        self.setWindowTitle(f"References of {n} article{'s' if n != 1 else ''}")
        self.resize(820, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel("Reading their reference lists…", self)
        self.summary.setWordWrap(True)
        self.tree = citation_tree(self, "Cited work", "✓ = in your library (double-click to "
                                  "open)", 130, QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.tree.headerItem()
        header.setText(0, "×")
        header.setToolTip(0, "How many of the chosen articles cite it")
        self.tree.itemDoubleClicked.connect(self._open)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.at_least = QSpinBox(self)
        self.at_least.setRange(1, max(1, n))
        self.at_least.setValue(2 if n > 1 else 1)
        self.at_least.setPrefix("Cited by at least ")
        self.at_least.setSuffix(f" of the {n}")
        self.at_least.setToolTip("Keep the works that several of the chosen articles cite")
        self.at_least.valueChanged.connect(lambda _v: self._render())
        self.import_selected = QPushButton("Import selected", self)
        self.import_selected.clicked.connect(
            lambda: self._import(self.tree.selectedItems()))
        self.import_new = QPushButton("Import all new", self)
        self.import_new.setToolTip("Fetch every work listed that is not in the library yet")
        self.import_new.clicked.connect(lambda: self._import(self._items()))
        row = QHBoxLayout()
        row.addWidget(self.at_least)
        row.addStretch(1)
        row.addWidget(self.import_selected)
        row.addWidget(self.import_new)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        window.imports.library_changed.connect(self.load)
        self.load()

    def load(self) -> None:
        """Read the reference lists (again) on the read worker."""
        self.main.runner.start(shared_references, self.main.library, self.article_ids,
                                 on_done=self.show_shared,
                                 on_error=lambda m: self.summary.setText(
                                     f"Reading the reference lists failed: {m}"))

    def show_shared(self, shared: SharedReferences) -> None:
        self.shared = shared
        self._render()

    def count(self) -> int:
        return self.tree.topLevelItemCount()

    def _render(self) -> None:
        shared = self.shared
        if shared is None:
            return
        self.tree.clear()
        dim = self.palette().brush(QPalette.ColorRole.PlaceholderText)
        held = self.palette().brush(QPalette.ColorRole.Highlight)
        items = []
        for ref in shared.shared_by(self.at_least.value()):
            item = QTreeWidgetItem([f"×{len(ref.cited_in)}", "✓" if ref.in_library else "",
                                    ref.citation or "(no citation text)",
                                    _identifier_text(ref)])
            item.setToolTip(2, ref.citation)
            if ref.in_library:
                item.setData(0, ArticleIdRole, ref.article_id)
                item.setToolTip(1, "In your library — double-click to open it")
                item.setForeground(1, held)
            elif (ident := ref.identifier()) is not None:
                item.setData(0, ImportRole, ident.value)
            else:
                for col in (2, 3):
                    item.setForeground(col, dim)
                item.setToolTip(3, "No DOI or PMID to import it by (the article's Refs tab "
                                   "can find DOIs)")
            align_citation_row(item)
            items.append(item)
        self.tree.addTopLevelItems(items)
        self.summary.setText(shared.summary() + f"; {len(items):,} shown.")
        self._update_buttons()

    def _items(self) -> list[QTreeWidgetItem]:
        return [item for i in range(self.count())
                if (item := self.tree.topLevelItem(i)) is not None]

    def _update_buttons(self) -> None:
        def importable(items: Sequence[QTreeWidgetItem]) -> bool:
            return any(i.data(0, ImportRole) is not None for i in items)

        self.import_selected.setEnabled(importable(self.tree.selectedItems()))
        self.import_new.setEnabled(importable(self._items()))

    def _import(self, items: Sequence[QTreeWidgetItem]) -> None:
        inputs = [str(v) for item in items if (v := item.data(0, ImportRole)) is not None]
        if inputs:
            self.main.imports.import_inputs(inputs)

    def _open(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        article_id = item.data(0, ArticleIdRole)
        if article_id is not None:
            self.main.queries.go_to_article(int(article_id))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.main.imports.library_changed.disconnect(self.load)
        super().closeEvent(event)


def open_shared_references(window: MainWindow, article_ids: Sequence[int]) -> \
        SharedReferencesDialog | None:
    """Open the dialog for the selected articles (nothing selected: say so)."""
    if not article_ids:
        window.status.show_message("Select the articles whose references to gather first.")
        return None
    dialog = SharedReferencesDialog(window, article_ids, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
