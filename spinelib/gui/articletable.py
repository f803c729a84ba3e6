"""The article table view: selection by article id that survives refreshes, drag of rows.

The view knows nothing about the database; it shows :class:`ArticleTableModel` and reports
what the user selected, activated or asked a context menu for, as article ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from spinelib.gui.columns import set_up_columns
from spinelib.gui.tablemodel import COLUMNS, ArticleTableModel


class ArticleTable(QTableView):
    """The article list: sortable, multi-select, rows drag out as article ids."""

    #: The selected article ids changed (in table order).
    selection_changed = Signal(list)
    #: The current article (the one the detail pane shows) changed; None when there is none.
    current_changed = Signal(object)
    #: Right click: global position (the selection is already updated).
    context_menu = Signal(QPoint)
    #: Enter or double click on an article.
    article_activated = Signal(int)

    def __init__(self, model: ArticleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.articles = model
        self.setModel(model)
        # No sort indicator before sorting is enabled: enabling it sorts by the indicated
        # column at once, and the library's own order (newest first) is the default.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        set_up_columns(self)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setDragDropOverwriteMode(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: self.context_menu.emit(self.viewport().mapToGlobal(pos)))
        self.doubleClicked.connect(self._activated)
        self.activated.connect(self._activated)

        self._keep: tuple[list[int], int | None] = ([], None)
        self._last_current: int | None = None
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    # ------------------------------------------------------------ reading the selection
    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [i for r in rows if (i := self.articles.article_id(r)) is not None]

    def current_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row(),
                                                                            QModelIndex()):
            ids = self.selected_ids()
            return ids[0] if ids else None
        return self.articles.article_id(index.row())

    # ------------------------------------------------------------ changing it
    def select_ids(self, ids: Iterable[int], current: int | None = None) -> None:
        """Select these articles (those shown); ``current`` becomes the current row."""
        rows = sorted(r for i in ids if (r := self.articles.row_of(i)) is not None)
        selection = QItemSelection()
        last = len(COLUMNS) - 1
        # Contiguous runs of rows become one range each (cheap even for 100,000 rows).
        runs: list[list[int]] = []
        for r in rows:
            if runs and r == runs[-1][1] + 1:
                runs[-1][1] = r
            else:
                runs.append([r, r])
        for first, end in runs:
            selection.select(self.articles.index(first, 0), self.articles.index(end, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)
        cur_row = self.articles.row_of(current) if current is not None else (
            rows[0] if rows else None)
        if cur_row is not None:
            self.selectionModel().setCurrentIndex(
                self.articles.index(cur_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(self.articles.index(cur_row, 0))

    def select_first(self) -> None:
        if self.articles.rowCount():
            self.selectRow(0)

    # ------------------------------------------------------------ internals
    def _remember_selection(self) -> None:
        self._keep = (self.selected_ids(), self.current_id())

    def _restore_selection(self) -> None:
        ids, current = self._keep
        self._keep = ([], None)
        if ids:
            self.select_ids(ids, current)
        self._emit_current()

    def _selection_changed(self, *_: object) -> None:
        self.selection_changed.emit(self.selected_ids())
        self._emit_current()

    def _current_changed(self, *_: object) -> None:
        self._emit_current()

    def _emit_current(self) -> None:
        current = self.current_id()
        if current != self._last_current:
            self._last_current = current
            self.current_changed.emit(current)

    def _activated(self, index: QModelIndex) -> None:
        article_id = self.articles.article_id(index.row())
        if article_id is not None:
            self.article_activated.emit(article_id)
