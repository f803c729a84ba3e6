"""The sidebar: library views, reading lists, the technique tree and the facets, with counts.

Selecting entries filters the article table; several selected entries (Ctrl+click) combine
with AND, and with the search field. Counts come from one worker job
(:func:`spinelib.gui.jobs.load_sidebar`); :meth:`Sidebar.reload` asks for fresh ones after
edits and imports. Reading lists accept article rows dropped from the table, and their
context menu offers rename, delete and a handout export. The sidebar only *asks* for these
through signals; :mod:`spinelib.gui.commands` does them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from spinelib.gui.jobs import SidebarData, load_sidebar
from spinelib.gui.tablemodel import ARTICLE_IDS_MIME, ids_from_mime, short_label
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library, Query
from spinelib.vocabulary import FACET_INFO, facet_title

FilterRole = Qt.ItemDataRole.UserRole + 10
KeyRole = Qt.ItemDataRole.UserRole + 11
#: Quiet time (ms) before counts are fetched again after a burst of changes.
RELOAD_DEBOUNCE_MS = 300


@dataclass(frozen=True)
class Filter:
    """What one sidebar entry selects. ``kind``: all, unread, recent, retracted, list, tag,
    facet. ``value`` is the list name, tag id or facet value; ``facet`` the facet name."""

    kind: str
    value: str = ""
    facet: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}\x1f{self.facet}\x1f{self.value}"


def apply_filters(query: Query, filters: Iterable[Filter]) -> Query:
    """``query`` narrowed by every filter (AND); the search and sort are kept.

    A reading list shown alone is sorted in its own order, so it can be reordered by drag.
    """
    q = replace(query, tags=[], facets=[], reading_list=None, unread=False, recent=False,
                retracted=False, ids=None)
    tags: list[str] = []
    facets: list[tuple[str, str]] = []
    for f in filters:
        if f.kind == "unread":
            q.unread = True
        elif f.kind == "recent":
            q.recent = True
        elif f.kind == "retracted":
            q.retracted = True
        elif f.kind == "list":
            q.reading_list = f.value
        elif f.kind == "tag":
            tags.append(f.value)
        elif f.kind == "facet":
            facets.append((f.facet, f.value))
    q.tags, q.facets = tags, facets
    if q.reading_list is not None and query.reading_list != q.reading_list:
        q.sort, q.descending = "list", False
    elif q.reading_list is None and q.sort == "list":
        q.sort, q.descending = "added", True
    return q


class SidebarModel(QStandardItemModel):
    """Items of the sidebar; reading-list items accept dropped article rows."""

    #: Article ids dropped on a reading list: (list name, ids).
    dropped_on_list = Signal(str, list)

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self._list_at(parent) is not None and bool(ids_from_mime(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        name = self._list_at(parent)
        ids = ids_from_mime(data)
        if name is None or not ids or row != -1:
            return False
        self.dropped_on_list.emit(name, ids)
        # False: the rows were copied into the list, the table must not remove anything.
        return False

    def _list_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        if not index.isValid():
            return None
        f = self.itemFromIndex(self.index(index.row(), 0, index.parent())).data(FilterRole)
        return f.value if isinstance(f, Filter) and f.kind == "list" else None


class Sidebar(QTreeView):
    """Library views, reading lists, techniques and facets; selection = table filter."""

    #: The selected filters changed (list of :class:`Filter`, combined with AND).
    filters_changed = Signal(list)
    #: The "Pending imports" entry was clicked.
    pending_requested = Signal()
    #: Reading-list requests for :mod:`spinelib.gui.commands`.
    new_list_requested = Signal()
    rename_list_requested = Signal(str)
    delete_list_requested = Signal(str)
    export_list_requested = Signal(str, str)  # list name, format
    add_to_list_requested = Signal(str, list)  # list name, article ids
    #: Fresh counts arrived (the window shows the pending count from them).
    data_loaded = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.data: SidebarData | None = None
        self._model = SidebarModel(self)
        self._model.setColumnCount(2)
        self._model.dropped_on_list.connect(self.add_to_list_requested)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self.setRootIsDecorated(True)
        self.setAnimated(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.clicked.connect(self._clicked)
        self._sections: dict[str, QStandardItem] = {}
        self._expanded: set[str] = {"library", "lists", "techniques", "facet:histology"}
        self._building = False
        self._renamed: dict[str, str] = {}
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DEBOUNCE_MS)
        self._reload_timer.timeout.connect(self._start_reload)
        self._generation = 0
        self.expanded.connect(lambda i: self._track_expansion(i, True))
        self.collapsed.connect(lambda i: self._track_expansion(i, False))
        self._build(None)
        self.selectionModel().selectionChanged.connect(self._selection_changed)

    # ------------------------------------------------------------ public
    def reload(self, *, now: bool = False) -> None:
        """Fetch fresh counts on a worker (debounced, so bursts of edits cost one query)."""
        if now:
            self._start_reload()
        else:
            self._reload_timer.start()

    def filters(self) -> list[Filter]:
        out = []
        for index in self.selectionModel().selectedRows(0):
            f = self._model.itemFromIndex(index).data(FilterRole)
            if isinstance(f, Filter):
                out.append(f)
        return out

    def select_filter(self, f: Filter) -> bool:
        """Select exactly the entry for ``f`` (False when it is not in the sidebar)."""
        item = self._find(f.key)
        if item is None:
            return False
        self.setCurrentIndex(item.index())
        return True

    def follow_rename(self, old: str, new: str) -> None:
        """Keep a renamed reading list selected when the entries are rebuilt."""
        self._renamed[Filter("list", old).key] = Filter("list", new).key

    def list_names(self) -> list[str]:
        return [str(entry["name"]) for entry in (self.data.lists if self.data else [])]

    def tag_labels(self) -> dict[str, str]:
        return {str(t["id"]): str(t["label"]) for t in (self.data.tags if self.data else [])}

    # ------------------------------------------------------------ loading
    def _start_reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self.runner.start(load_sidebar, self.library,
                          on_done=lambda data: self._loaded(generation, data))

    def _loaded(self, generation: int, data: SidebarData) -> None:
        if generation != self._generation:
            return
        self._build(data)
        self.data_loaded.emit(data)

    def _build(self, data: SidebarData | None) -> None:
        """Rebuild the items, keeping the selection and which sections are open."""
        before = {f.key for f in self.filters()}
        keep = {self._renamed.get(k, k) for k in before}
        current = self._model.itemFromIndex(self.currentIndex().siblingAtColumn(0)) \
            if self.currentIndex().isValid() else None
        current_key: str | None = current.data(KeyRole) if current is not None else None
        if current_key is not None:
            current_key = self._renamed.get(current_key, current_key)
        self._renamed.clear()
        self.data = data
        scroll = self.verticalScrollBar().value()
        self._building = True
        try:
            self._model.removeRows(0, self._model.rowCount())
            self._sections.clear()
            counts = data.counts if data else {}
            lib = self._section("library", "Library")
            for kind, label in (("all", "All articles"), ("unread", "Unread"),
                                ("recent", "Recently added"), ("retracted", "Retracted / errata")):
                self._add(lib, label, counts.get(kind), Filter(kind))
            pending = self._add(lib, "Pending imports", counts.get("pending"), None,
                                key="pending")
            pending.setToolTip("Identifiers queued while offline; click to see or retry them")
            lists = self._section("lists", "Reading lists")
            for entry in (data.lists if data else []):
                item = self._add(lists, str(entry["name"]), int(entry["count"]),
                                 Filter("list", str(entry["name"])))
                item.setDropEnabled(True)
                item.setToolTip("Drop articles here to add them; right-click to rename, "
                                "delete or export")
            if data:
                self._add_tags(data.tags)
                for facet in sorted(data.facets, key=_facet_order):
                    section = self._section(f"facet:{facet}", facet_title(facet))
                    labels = data.facet_labels.get(facet, {})
                    for value, n in data.facets[facet]:
                        self._add(section, labels.get(value, value), n,
                                  Filter("facet", value, facet))
        finally:
            self._building = False
        for key, item in self._sections.items():
            self.setExpanded(item.index(), key in self._expanded)
        self._reselect(keep, current_key)
        self.verticalScrollBar().setValue(scroll)  # fresh counts must not jump the list
        if {f.key for f in self.filters()} != before:
            # A selected entry went away (a deleted list) or changed (a renamed one).
            self.filters_changed.emit(self.filters())

    def _add_tags(self, tags: list[dict[str, Any]]) -> None:
        """The vocabulary as a tree under "Techniques"; the user's own tags under "My tags"."""
        techniques = self._section("techniques", "Techniques")
        by_id = {str(t["id"]): t for t in tags}
        items: dict[str, QStandardItem] = {}
        mine: list[QStandardItem] = []

        def place(t: dict[str, Any], seen: frozenset[str] = frozenset()) -> QStandardItem:
            tag_id = str(t["id"])
            if tag_id in items:
                return items[tag_id]
            parent_id = str(t["parent"] or "")
            if parent_id in by_id and parent_id not in seen | {tag_id}:
                parent = place(by_id[parent_id], seen | {tag_id})
            elif t["origin"] == "vocabulary":
                parent = techniques
            else:
                if not mine:
                    mine.append(self._section("mytags", "My tags"))
                parent = mine[0]
            items[tag_id] = self._add(parent, short_label(str(t["label"])), int(t["count"]),
                                      Filter("tag", tag_id), tip=str(t["label"]))
            return items[tag_id]

        # Vocabulary first, so "My tags" comes after "Techniques" however tags are ordered.
        for t in sorted(tags, key=lambda t: t["origin"] != "vocabulary"):
            place(t)

    def _section(self, key: str, title: str) -> QStandardItem:
        item = QStandardItem(title)
        item.setData(key, KeyRole)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        spacer = QStandardItem("")
        spacer.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self._model.appendRow([item, spacer])
        self._sections[key] = item
        return item

    def _add(self, parent: QStandardItem, label: str, count: int | None, f: Filter | None,
             key: str | None = None, tip: str = "") -> QStandardItem:
        item = QStandardItem(label)
        item.setToolTip(tip or label)
        item.setData(f, FilterRole)
        item.setData(key or (f.key if f else label), KeyRole)
        flags = Qt.ItemFlag.ItemIsEnabled
        if f is not None:
            flags |= Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags)
        count_item = QStandardItem("" if count is None else f"{count:,}")
        count_item.setFlags(flags)
        count_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText)
        count_item.setForeground(dim)
        if count == 0 and f is not None and f.kind in ("tag", "facet"):
            item.setForeground(dim)
        parent.appendRow([item, count_item])
        return item

    def _find(self, key: str) -> QStandardItem | None:
        matches = self._model.match(self._model.index(0, 0), KeyRole, key, 1,
                                    Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return self._model.itemFromIndex(matches[0]) if matches else None

    def _reselect(self, keys: set[str], current_key: str | None) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        self._building = True
        try:
            selection = QItemSelection()
            for key in keys:
                item = self._find(key)
                if item is not None:
                    selection.select(item.index(), item.index().siblingAtColumn(1))
            self.selectionModel().select(selection,
                                         QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if current_key:
                item = self._find(current_key)
                if item is not None:
                    self.selectionModel().setCurrentIndex(
                        item.index(), QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._building = False

    def _track_expansion(self, index: QModelIndex, is_open: bool) -> None:
        if self._building:
            return
        key = self._model.itemFromIndex(index).data(KeyRole)
        if key in self._sections:
            (self._expanded.add if is_open else self._expanded.discard)(key)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._building:
            self._build(self.data)  # the dimmed counts take the new palette's colour

    # ------------------------------------------------------------ user actions
    def _selection_changed(self, *_: object) -> None:
        if not self._building:
            self.filters_changed.emit(self.filters())

    def _clicked(self, index: QModelIndex) -> None:
        item = self._model.itemFromIndex(index.siblingAtColumn(0))
        if item is not None and item.data(KeyRole) == "pending":
            self.pending_requested.emit()
        elif item is not None and item.data(KeyRole) in self._sections:
            self.setExpanded(item.index(), not self.isExpanded(item.index()))

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu_for(self.indexAt(pos))
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def context_menu_for(self, index: QModelIndex) -> QMenu:
        """The menu for the entry at ``index`` (built separately so tests can trigger it)."""
        item = self._model.itemFromIndex(index.siblingAtColumn(0)) if index.isValid() else None
        f = item.data(FilterRole) if item is not None else None
        key = item.data(KeyRole) if item is not None else None
        menu = QMenu(self)
        if isinstance(f, Filter) and f.kind == "list":
            name = f.value
            _action(menu, "Rename…", lambda: self.rename_list_requested.emit(name))
            _action(menu, "Delete…", lambda: self.delete_list_requested.emit(name))
            menu.addSeparator()
            handout = menu.addMenu("Export list as")
            for fmt, label in (("vancouver", "Numbered Vancouver handout…"),
                               ("ama", "Numbered AMA handout…"), ("bibtex", "BibTeX…")):
                _action(handout, label, partial(self.export_list_requested.emit, name, fmt))
            menu.addSeparator()
        if key == "pending":
            _action(menu, "Show pending imports…", self.pending_requested.emit)
        _action(menu, "New reading list…", self.new_list_requested.emit)
        return menu


def _action(menu: QMenu, text: str, slot: Callable[[], Any]) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _facet_order(name: str) -> tuple[int, str]:
    order = [info.title for info in FACET_INFO]
    title = facet_title(name)
    return (order.index(title) if title in order else len(order), title)


__all__ = ["Filter", "Sidebar", "SidebarModel", "apply_filters"]
