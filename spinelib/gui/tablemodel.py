"""The article table: a QAbstractTableModel over article ids with a lazily filled row cache.

It holds only the ordered ids of the current query (100,000 ints is under a megabyte); rows
are fetched a page at a time on a worker when the view first asks for them, then cached.
Sorting and filtering are SQL queries run on a worker (:meth:`set_query`), so the GUI thread
never waits on the database. Results from a superseded query are dropped by generation number.

Rows drag out as article ids (:data:`ARTICLE_IDS_MIME`), which the sidebar's reading lists
accept; while a reading list is shown in its own order, dropping rows inside the table
reorders the list (optimistically here, then :meth:`Library.list_move` on the write worker).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

from spinelib.gui.dragdata import ARTICLE_IDS_MIME, ids_from_mime, ids_to_mime
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library, Query, Row
from spinelib.pubstate import status_text
from spinelib.serialize import row_author
from spinelib.text import local_date, plural

#: Rows fetched per worker request.
PAGE = 200
#: Rows kept from earlier queries to show while their fresh copy loads (bounded memory).
STALE_LIMIT = 5000
#: The retraction red is semantic (a warning), so it is the one fixed colour.
RETRACTED_COLOUR = "#c62828"

#: (header, Query.sort key); the header's menu shows or hides each (see articletable).
#: New columns are appended, so a remembered header layout stays valid.
COLUMNS: list[tuple[str, str]] = [
    ("First author", "first_author"),
    ("Year", "year"),
    ("Title", "title"),
    ("Journal", "journal"),
    ("Tags", ""),
    ("Read", "read_status"),
    ("Rating", "rating"),
    ("Added", "added"),
    ("DOI", ""),
    ("PMID", ""),
    ("Files", ""),  # attached files (issue 14)
    ("Cited by", "citations"),  # the best citation count known (issue 17)
]
#: The title's column: it stretches, and its tooltip holds the whole title.
TITLE_COLUMN = 2
#: The count of attached files (issue 14), and the citation count (issue 17).
FILES_COLUMN, CITED_COLUMN = 10, 11
READ_MARKS = {0: "●", 1: "◐", 2: ""}
READ_TIPS = {0: "Unread", 1: "Reading", 2: "Read"}
IdRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex

#: Column -> its display text, for every column but Tags (which needs the tag labels).
DISPLAY_CELLS: dict[int, Callable[[Row], str]] = {
    0: row_author,
    1: lambda row: str(row.year) if row.year else status_text(row.pubstate),
    2: lambda row: ("[RETRACTED] " if row.retracted
                    else "[Erratum] " if row.has_erratum else "") + row.title,
    3: lambda row: row.journal,
    5: lambda row: READ_MARKS.get(row.read_status, ""),
    6: lambda row: "★" * row.rating,
    7: lambda row: local_date(row.added_at),
    8: lambda row: row.doi or "",
    9: lambda row: row.pmid or "",
    FILES_COLUMN: lambda row: str(row.attachments) if row.attachments else "",
    CITED_COLUMN: lambda row: "" if row.citations is None else str(row.citations),
}


def short_label(label: str) -> str:
    """'Vertebral augmentation (cement augmentation)' -> 'Vertebral augmentation'."""
    return label.split(" (")[0].strip() or label


class ArticleTableModel(QAbstractTableModel):
    """Rows are articles in ``ids`` order; ``query_finished(count)`` after each new query."""

    query_finished = Signal(int)
    query_failed = Signal(str)
    #: A reading list was reordered by drag and drop (list name).
    list_reordered = Signal(str)
    #: A page of rows arrived from the worker (first row of the page).
    rows_loaded = Signal(int)

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.query = Query()
        self.ids: list[int] = []
        self._pos: dict[int, int] | None = None
        self._rows: dict[int, Row] = {}
        self._stale: dict[int, Row] = {}
        self._loading: set[int] = set()
        self._generation = 0
        self.tag_labels: dict[str, str] = {}

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole and not COLUMNS[section][1]:
                return "Not sortable"
            if role == Qt.ItemDataRole.InitialSortOrderRole and section == CITED_COLUMN:
                return Qt.SortOrder.DescendingOrder  # a first click: the most cited first
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.reorderable else Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)
        if self.reorderable:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        article_id = self.ids[index.row()]
        if role == IdRole:
            return article_id
        row = self._rows.get(article_id)
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request_page(index.row())
            row = self._stale.get(article_id)
            if row is None:
                return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 2 \
                    else None
        return self._role(row, index.column(), role)

    def _role(self, row: Row, col: int, role: int) -> Any:
        """The value of ``role`` for column ``col`` of a loaded row (None if it has none)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.FontRole and row.read_status == 0 and col == 2:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.retracted:
                return QBrush(QColor(RETRACTED_COLOUR))
            if col == 5 and row.read_status != 2:
                # The unread dot in the palette's accent colour, like a mail client's.
                return QGuiApplication.palette().brush(QPalette.ColorRole.Highlight)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 5, 6, 7, FILES_COLUMN,
                                                                 CITED_COLUMN):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _tooltip(self, row: Row, col: int) -> str | None:
        """A cell's tooltip: the whole text, or what a mark or count means."""
        if col == 2:
            notice = "RETRACTED — " if row.retracted else (
                "Erratum published — " if row.has_erratum else "")
            return notice + row.title
        if col == 5:
            return READ_TIPS.get(row.read_status, "")
        if col == FILES_COLUMN:
            return f"{plural(row.attachments, 'attached file')}; Ctrl+O opens" \
                if row.attachments else None
        if col == 4:
            return "\n".join(self.tag_labels.get(t, t) for t in row.tags) or None
        if col in (0, 3, 8):
            return self._display(row, col) or None
        if col == 1 and not row.year and row.pubstate:  # "in p…" in the narrow column
            return f"{status_text(row.pubstate, capital=True)}: no year yet"
        if col == 6 and row.rating:
            return f"{row.rating} of 5 stars"
        if col == CITED_COLUMN:  # the detail pane shows each source's count, dated
            return "Not counted yet" if row.citations is None else f"Cited by {row.citations}"
        return None

    def _display(self, row: Row, col: int) -> str:
        """The text shown in column ``col`` of ``row`` ('' for a column past the last)."""
        if col == 4:  # Tags: the only column that needs the tag labels
            return ", ".join(short_label(self.tag_labels.get(t, t)) for t in row.tags)
        cell = DISPLAY_CELLS.get(col)
        return cell(row) if cell is not None else ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else ""
        if not key:
            return
        self.set_query(replace(self.query, sort=key,
                               descending=order == Qt.SortOrder.DescendingOrder))

    # -- drag and drop
    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # type: ignore[override]  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self.ids[r] for r in rows if 0 <= r < len(self.ids)]
        keys = [row.citekey for i in ids if (row := self._rows.get(i)) is not None]
        return ids_to_mime(ids, keys)

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: Index) -> bool:
        return self.reorderable and bool(ids_from_mime(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: Index) -> bool:
        ids = [i for i in ids_from_mime(data) if i in self._positions()]
        if not self.reorderable or not ids or action == Qt.DropAction.IgnoreAction:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.ids)
        self.move_rows(ids, row)
        return True

    # ------------------------------------------------------------ our API
    @property
    def reorderable(self) -> bool:
        """True while one reading list is shown unfiltered in its own order."""
        q = self.query
        return (q.reading_list is not None and q.sort == "list" and not q.search.strip()
                and not q.tags and not q.facets and not q.unread and not q.recent
                and not q.retracted and q.ids is None)

    def set_query(self, query: Query) -> None:
        """Run ``query`` on a worker; the table switches to its ids when they arrive."""
        self.query = query
        self._generation += 1
        generation = self._generation
        self.runner.start(self.library.search.ids, query,
                          on_done=lambda ids: self._apply_ids(generation, ids),
                          on_error=lambda msg: self._failed(generation, msg))

    def refresh(self) -> None:
        """Re-run the current query and fetch rows again (after edits or imports).

        Rows on screen keep showing their previous values until the fresh ones arrive, so a
        refresh never flickers; when the ids are unchanged the selection stays put.
        """
        self._mark_stale()
        self.set_query(self.query)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.query_failed.emit(message)

    def _mark_stale(self) -> None:
        if len(self._stale) > STALE_LIMIT:
            self._stale.clear()
        self._stale.update(self._rows)
        self._rows = {}
        self._loading.clear()

    def _apply_ids(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return  # superseded by a newer query
        self._loading.clear()
        if ids == self.ids:
            # Same rows in the same order: refresh the cells in place (keeps the selection).
            self._mark_stale()
            if ids:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(ids) - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self.ids = ids
            self._pos = None
            self._mark_stale()
            self.endResetModel()
        self.query_finished.emit(len(ids))

    def _request_page(self, row: int) -> None:
        page = row // PAGE
        if page in self._loading:
            return
        self._loading.add(page)
        generation = self._generation
        page_ids = self.ids[page * PAGE:(page + 1) * PAGE]
        self.runner.start(self.library.search.table_rows, page_ids,
                          on_done=lambda rows: self._apply_rows(generation, page, rows))

    def _apply_rows(self, generation: int, page: int, rows: dict[int, Row]) -> None:
        if generation != self._generation:
            return
        self._loading.discard(page)
        self._rows.update(rows)
        for i in rows:
            self._stale.pop(i, None)
        first = page * PAGE
        last = min(first + PAGE, len(self.ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.rows_loaded.emit(first)

    def invalidate_rows(self, ids: Sequence[int]) -> None:
        """Fetch these articles' rows again (after they changed); others stay cached."""
        positions = self._positions()
        for i in ids:
            row = self._rows.pop(i, None)
            if row is not None:
                self._stale[i] = row
            pos = positions.get(i)
            if pos is not None:
                self._loading.discard(pos // PAGE)
                self.dataChanged.emit(self.index(pos, 0), self.index(pos, len(COLUMNS) - 1))

    def set_tag_labels(self, labels: dict[str, str]) -> None:
        """Tag id -> label, for the Tags column (ids are shown until labels are known)."""
        self.tag_labels = dict(labels)
        if self.ids:
            self.dataChanged.emit(self.index(0, 4), self.index(len(self.ids) - 1, 4))

    def move_rows(self, ids: Sequence[int], to_row: int) -> None:
        """Move articles to ``to_row`` of the shown reading list (GUI now, database after)."""
        name = self.query.reading_list
        if name is None:
            return
        moving_set = set(ids)
        moving = [i for i in self.ids if i in moving_set]
        rest = [i for i in self.ids if i not in moving_set]
        before = len([i for i in self.ids[:to_row] if i not in moving_set])
        new_order = rest[:before] + moving + rest[before:]
        if new_order == self.ids:
            return
        self.layoutAboutToBeChanged.emit()
        new_rows = {article_id: r for r, article_id in enumerate(new_order)}
        old_persistent = self.persistentIndexList()
        new_persistent = []
        for idx in old_persistent:
            article_id = self.ids[idx.row()]
            new_persistent.append(self.index(new_rows[article_id], idx.column()))
        self.ids = new_order
        self._pos = None
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()
        self.runner.start(self.library.lists.move, name, moving, to_row, pool="write",
                          on_done=lambda _r: self.list_reordered.emit(name),
                          on_error=self.query_failed.emit)

    def _positions(self) -> dict[int, int]:
        if self._pos is None:
            self._pos = {article_id: r for r, article_id in enumerate(self.ids)}
        return self._pos

    def article_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, article_id: int) -> int | None:
        return self._positions().get(article_id)

    def cached_row(self, article_id: int) -> Row | None:
        return self._rows.get(article_id) or self._stale.get(article_id)
