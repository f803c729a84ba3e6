"""The sidebar: library views, reading lists, the technique tree and the facets, with counts.

Selecting entries filters the article table; several selected entries (Ctrl+click) combine
with AND, and with the search field. Counts come from one worker job
(:func:`spinelib.gui.jobs.load_sidebar`); :meth:`Sidebar.reload` asks for fresh ones after
edits and imports. Reading lists accept article rows dropped from the table, and their
context menu offers rename, delete and a handout export. The sidebar only *asks* for these
through signals; :mod:`spinelib.gui.commands` does them. The entries themselves are laid out
by :class:`spinelib.gui.sidebarmodel.SidebarModel`; this view keeps the selection, the open
sections and the scroll position across rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QPalette, QStandardItem
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from spinelib.gui.jobs import SidebarData, load_sidebar
from spinelib.gui.querystate import Filter
from spinelib.gui.sidebarmodel import PENDING_KEY, FilterRole, KeyRole, SidebarModel
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.widgets import WrapDelegate
from spinelib.library import Library
from spinelib.results import LIST_FOLDER_SEPARATOR

#: Quiet time (ms) before counts are fetched again after a burst of changes.
RELOAD_DEBOUNCE_MS = 300


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
    #: Tag requests for :mod:`spinelib.gui.tagcommands`: (tag id) / (tag id, new name) /
    #: (source id, target id).
    rename_tag_requested = Signal(str)
    delete_tag_requested = Signal(str)
    #: A technique of the vocabulary, to search PubMed for (what the library lacks on it).
    search_pubmed_requested = Signal(str)
    merge_tag_requested = Signal(str)
    move_tag_requested = Signal(str)
    #: A saved search's name, to delete it (issue 15).
    delete_saved_requested = Signal(str)
    #: A user tag dragged onto another tag or "My tags": (tag id, new parent id or "").
    tag_dropped = Signal(str, str)
    #: Fresh counts arrived (the window shows the pending count from them).
    data_loaded = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.data: SidebarData | None = None
        self._model = SidebarModel(self)
        self._model.dropped_on_list.connect(self.add_to_list_requested)
        self._model.tag_dropped.connect(self.tag_dropped)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        # Labels wrap instead of being cut ("Percutaneous tumour ablation" reads whole).
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegateForColumn(0, WrapDelegate(self, indented=True))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setIndentation(14)
        self.setRootIsDecorated(True)
        self.setAnimated(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAcceptDrops(True)
        # Rows of the table drop on reading lists; user tags drag within the tag tree.
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # Row heights depend on the wrapped width: lay the rows out again when it changes.
        self.header().sectionResized.connect(lambda *_: self.doItemsLayout())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.clicked.connect(self._clicked)
        # Open at start: what the user made (lists, saved searches) and the main facets.
        self._expanded: set[str] = {"library", "lists", "saved", "techniques",
                                    "facet:histology"}
        #: Tag ids whose entry shows suggested articles as well as tagged ones.
        self._with_suggestions: set[str] = set()
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
        """The selected entries' filters (combined with AND by the query)."""
        out = []
        for index in self.selectionModel().selectedRows(0):
            f = self._model.itemFromIndex(index).data(FilterRole)
            if isinstance(f, Filter):
                if f.kind == "tag" and f.value in self._with_suggestions:
                    f = Filter("suggested", f.value)
                out.append(f)
        return out

    def select_filter(self, f: Filter) -> bool:
        """Select exactly the entry for ``f`` (False when it is not in the sidebar).

        ``Filter("suggested", tag)`` selects the tag's entry showing its suggestions too;
        ``Filter("tag", tag)`` the same entry showing the tagged articles only.
        """
        entry = Filter("tag", f.value) if f.kind == "suggested" else f
        item = self._find(entry.key)
        if item is None:
            return False
        changed = False
        if f.kind in ("tag", "suggested"):
            had = f.value in self._with_suggestions
            (self._with_suggestions.add if f.kind == "suggested"
             else self._with_suggestions.discard)(f.value)
            changed = had != (f.value in self._with_suggestions)
        if self.currentIndex() == item.index() and self.filters() == [f]:
            if changed:
                self.filters_changed.emit(self.filters())
            return True
        # Exactly this entry, whatever keys are held: the view's own setCurrentIndex reads
        # the application's modifier state, so with Ctrl or Shift down (a shortcut that
        # led here, or the last key event of any kind) it added the entry to the selection.
        self.selectionModel().setCurrentIndex(
            item.index(), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def follow_rename(self, old: str, new: str) -> None:
        """Keep a renamed reading list selected (or a sub-list, renamed with its folder:
        :meth:`~spinelib.library.lists.ListsManager.rename`) when the entries are rebuilt."""
        folder = old + LIST_FOLDER_SEPARATOR
        for name in [old, *(n for n in self.list_names() if n.startswith(folder))]:
            self._renamed[Filter("list", name).key] = Filter("list", new + name[len(old):]).key

    def list_names(self) -> list[str]:
        """The reading lists' names, as last loaded."""
        return [entry.name for entry in (self.data.lists if self.data else [])]

    def tag_labels(self) -> dict[str, str]:
        """Tag id -> its full label, as last loaded."""
        return {t.id: t.label for t in (self.data.tags if self.data else [])}

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
            heading = QFont(self.font())
            heading.setBold(True)
            self._model.populate(data, heading_font=heading,
                                 dim=self.palette().color(QPalette.ColorRole.PlaceholderText))
        finally:
            self._building = False
        for item in self._model.branches():
            self.setExpanded(item.index(), item.data(KeyRole) in self._expanded)
        self._reselect(keep, current_key)
        self.verticalScrollBar().setValue(scroll)  # fresh counts must not jump the list
        if {f.key for f in self.filters()} != before:
            # A selected entry went away (a deleted list) or changed (a renamed one).
            self.filters_changed.emit(self.filters())

    def _find(self, key: str) -> QStandardItem | None:
        """The entry with this key (see :meth:`Filter.key`), or None."""
        return self._model.find(key)

    def _reselect(self, keys: set[str], current_key: str | None) -> None:
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
        # Every branch (sections and parent tags) stays as the user left it across rebuilds.
        key = self._model.itemFromIndex(index).data(KeyRole)
        if key:
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
        if item is not None and item.data(KeyRole) == PENDING_KEY:
            self.pending_requested.emit()
        elif item is not None and item.data(KeyRole) in self._model.sections:
            self.setExpanded(item.index(), not self.isExpanded(item.index()))

    def _tag_menu(self, menu: QMenu, tag_id: str) -> None:
        _tag_menu_entries(self, menu, tag_id)

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
                               ("ama", "Numbered AMA handout…"),
                               ("report", "Report with abstracts and notes…"),
                               ("bibtex", "BibTeX…")):
                _action(handout, label, partial(self.export_list_requested.emit, name, fmt))
            menu.addSeparator()
        if isinstance(f, Filter) and f.kind in ("tag", "suggested"):
            self._tag_menu(menu, f.value)
        if isinstance(f, Filter) and f.kind == "saved":
            name = f.value
            _action(menu, "Delete saved search", lambda: self.delete_saved_requested.emit(name))
            menu.addSeparator()
        if key == PENDING_KEY:
            _action(menu, "Show pending imports…", self.pending_requested.emit)
        _action(menu, "New reading list…", self.new_list_requested.emit)
        return menu


def _tag_menu_entries(sidebar: Sidebar, menu: QMenu, tag_id: str) -> None:
    """Show with or without suggestions; rename, merge and delete the user's own tags."""
    info = next((t for t in (sidebar.data.tags if sidebar.data else []) if t.id == tag_id),
                None)
    _action(menu, "Show tagged articles", lambda: sidebar.select_filter(Filter("tag", tag_id)))
    suggested = f" ({info.suggested:,} more)" if info is not None and info.suggested else ""
    _action(menu, f"Include suggested{suggested}",
            lambda: sidebar.select_filter(Filter("suggested", tag_id)))
    if info is not None and info.origin != "user":
        _action(menu, "Search PubMed for it…",
                lambda: sidebar.search_pubmed_requested.emit(tag_id))
    if info is not None and info.origin == "user":
        menu.addSeparator()
        _action(menu, "Rename tag…", lambda: sidebar.rename_tag_requested.emit(tag_id))
        _action(menu, "Merge into…", lambda: sidebar.merge_tag_requested.emit(tag_id))
        _action(menu, "Move under…", lambda: sidebar.move_tag_requested.emit(tag_id))
        _action(menu, "Delete tag…", lambda: sidebar.delete_tag_requested.emit(tag_id))
    menu.addSeparator()


def _action(menu: QMenu, text: str, slot: Callable[[], Any]) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


__all__ = ["Sidebar"]
