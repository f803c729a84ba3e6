"""The main window: arranges the parts and wires their signals. Each part lives in its own
module (sidebar, article table, detail pane, dialogs); what actions *do* is in
:mod:`spinelib.gui.commands`; what runs on workers is in :mod:`spinelib.gui.jobs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from spinelib import paths
from spinelib.gui import jobs
from spinelib.gui.articletable import ArticleTable
from spinelib.gui.commands import Commands
from spinelib.gui.detail import DetailPane
from spinelib.gui.exportdialog import ExportDialog
from spinelib.gui.helpmenu import install_help_menu
from spinelib.gui.importdialog import FILE_SUFFIXES, ImportDialog
from spinelib.gui.pendingdialog import PendingDialog
from spinelib.gui.prefsdialog import PreferencesDialog
from spinelib.gui.sidebar import Filter, Sidebar, apply_filters
from spinelib.gui.state import WindowState
from spinelib.gui.tablemodel import ArticleTableModel
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.welcome import WelcomePanel
from spinelib.importer import ImportItem
from spinelib.library import Library, Query
from spinelib.settings import Settings

#: Milliseconds of quiet typing before a search runs.
SEARCH_DEBOUNCE_MS = 200
#: How long counts and the detail pane wait for the first rows before loading anyway.
FIRST_ROWS_GRACE_MS = 400
LIBRARY_FILTER = "SpineLib libraries (*.sqlite *.db);;All files (*)"
FILTER_NAMES = {"unread": "Unread", "recent": "Recently added",
                "retracted": "Retracted / errata"}


class MainWindow(QMainWindow):
    """'SpineLib — <library name>': sidebar | article table | detail pane."""

    #: Ask the application to open (or create) another library in a new window.
    open_library_requested = Signal(Path)
    #: The user confirmed replacing this window's library with this backup file.
    restore_requested = Signal(Path)

    def __init__(self, library: Library, settings: Settings, *,
                 settings_path: Path | None = None, state: WindowState | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.settings_path = settings_path or paths.settings_path()
        self.state = state or WindowState()
        self.runner = TaskRunner(self)
        self.network: str | None = None
        self.pending_count = 0
        self.library_total: int | None = None
        self.import_dialogs: list[ImportDialog] = []
        self.dialog: QWidget | None = None  # the last non-import dialog opened (tests)
        self._select_after_query: int | None = None
        self._first_load = True
        self._layout_restored = False
        self.setWindowTitle(f"SpineLib — {library.name}")
        self.setWindowIcon(QIcon.fromTheme("spinelib", self.windowIcon()))
        # First run: a comfortable size that still fits a small laptop screen (the
        # remembered geometry replaces it from then on).
        available = self.screen().availableGeometry()
        self.resize(min(1360, int(available.width() * 0.94)),
                    min(820, int(available.height() * 0.9)))
        self.setAcceptDrops(True)

        self.model = ArticleTableModel(library, self.runner, self)
        self.table = ArticleTable(self.model)
        self.sidebar = Sidebar(library, self.runner)
        self.detail = DetailPane(library, self.runner)
        self.commands = Commands(library, self.runner, self)
        self.search = QLineEdit(placeholderText="Search title, abstract, authors, MeSH, "
                                                "tags, notes…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)

        # The middle shows the article table, or the welcome panel while the library is empty.
        self.welcome = WelcomePanel(library.path)
        self.center = QStackedWidget(self)
        self.center.addWidget(self.table)
        self.center.addWidget(self.welcome)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for part in (self.sidebar, self.center, self.detail):
            self.splitter.addWidget(part)
        # Explicit minimums: the parts' size hints would otherwise claim half a laptop screen.
        self.sidebar.setMinimumWidth(140)
        self.center.setMinimumWidth(260)
        self.table.setMinimumWidth(0)
        self.welcome.setMinimumWidth(0)
        self.detail.setMinimumWidth(300)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([215, 720, 450])
        self.setCentralWidget(self.splitter)

        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._connect()
        self._restore_state()

        self.sidebar.select_filter(Filter("all"))
        # The first rows come first: counts and the detail pane are loaded once they are on
        # screen (or at once for an empty library, which has no rows to wait for).
        self.model.rows_loaded.connect(self._first_rows_shown)
        # A timer owned by the window (it dies with it), for a hidden window or a slow disk.
        self._grace = QTimer(self, singleShot=True, interval=FIRST_ROWS_GRACE_MS)
        self._grace.timeout.connect(self._first_rows_shown)
        self._grace.start()

    # ================================================================ building
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.import_progress = QProgressBar()
        self.import_progress.setMaximumWidth(180)
        self.import_progress.setTextVisible(False)
        self.import_progress.hide()
        self.count_label = QLabel()
        self.network_button = QToolButton()
        self.network_button.setAutoRaise(True)
        self.network_button.clicked.connect(self.show_pending)
        bar.addPermanentWidget(self.import_progress)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.network_button)
        self._show_network()

    def _action(self, text: str, slot: Callable[[], Any],
                shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
                tip: str = "", icon: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(QIcon.fromTheme(icon))
        tip = tip or text.replace("…", "").replace("&", "")
        if shortcut is not None:
            tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        sel = self.table.selected_ids
        self.act_new_library = a("&New library…", self.new_library)
        self.act_open_library = a("&Open library…", self.open_library,
                                  QKeySequence.StandardKey.Open)
        self.act_import = a("&Import…", self.show_import, "Ctrl+I",
                            "Import articles by DOI, PMID, PMCID or from files",
                            "document-import")
        self.act_retry = a("&Retry pending imports", self.retry_pending, None,
                           "Fetch the identifiers queued while offline", "view-refresh")
        self.act_export = a("&Export…", self.show_export, "Ctrl+E",
                            "Export articles to BibTeX, RIS, CSL-JSON, Vancouver or AMA",
                            "document-export")
        self.act_backup = a("&Back up now", self.backup_now, None,
                            "Write a copy of the library to its backups folder")
        self.act_restore = a("Restore from &backup…", self.restore_from_backup, None,
                             "Replace this library with a backup (the current one is kept)")
        self.act_prefs = a("&Preferences…", self.show_preferences, "Ctrl+,")
        self.act_quit = a("&Quit", self.close, QKeySequence.StandardKey.Quit)

        self.act_copy_citation = a("Copy &citation", lambda: self.commands.copy_citation(sel()),
                                   "Ctrl+Shift+C", "Copy the Vancouver citation of the "
                                   "selected articles", "edit-copy")
        self.act_copy_ama = a("Copy citation (&AMA)",
                              lambda: self.commands.copy_citation(sel(), "ama"))
        self.act_copy_key = a("Copy citation &key", lambda: self.commands.copy_citekey(sel()),
                              "Ctrl+Shift+K", "Copy the citation keys of the selected articles")
        self.act_find = a("&Find", self.focus_search, QKeySequence.StandardKey.Find)
        self.act_delete = a("&Delete…", lambda: self.commands.delete(sel()),
                            QKeySequence.StandardKey.Delete, "Delete the selected articles",
                            "edit-delete")
        # Only while the table has focus: Delete in the search field or the notes edits text.
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.removeAction(self.act_delete)
        self.table.addAction(self.act_delete)

        self.act_read = a("Mark as &read", lambda: self.commands.set_read_status(sel(), 2),
                          "Ctrl+R", "Mark the selected articles as read")
        self.act_unread = a("Mark as &unread", lambda: self.commands.set_read_status(sel(), 0),
                            "Ctrl+U", "Mark the selected articles as unread")
        self.act_tags = a("&Tags…", lambda: self.edit_tags(sel()), "Ctrl+T",
                          "Add or remove tags on the selected articles")
        self.act_add_to_list = a("Add to reading &list…", self.add_selection_to_list, "Ctrl+L")
        self.act_new_list = a("&New reading list…", lambda: self.commands.new_list(sel()),
                              "Ctrl+Shift+N", "Create a reading list (with the selected "
                              "articles, if any)")
        self.act_remove_from_list = a("Remove from this reading list", self.remove_from_list)
        self.act_refresh = a("Re&fresh", self.refresh_all, QKeySequence.StandardKey.Refresh)
        self.act_relevance = a("Sort searches by &relevance", self._apply_query, None,
                               "Best matches first while searching (slower on big libraries)")
        self.act_relevance.setCheckable(True)
        self.act_toggle_sidebar = a("Show &sidebar", lambda: self._toggle(self.sidebar),
                                    "Ctrl+Shift+B")
        self.act_toggle_detail = a("Show &detail pane", lambda: self._toggle(self.detail),
                                   "Ctrl+Shift+D")
        for act in (self.act_toggle_sidebar, self.act_toggle_detail):
            act.setCheckable(True)
            act.setChecked(True)
        self.selection_actions = [self.act_copy_citation, self.act_copy_ama, self.act_copy_key,
                                  self.act_delete, self.act_read, self.act_unread, self.act_tags,
                                  self.act_add_to_list]
        self._selection_changed([])

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.act_new_library, self.act_open_library])
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        file.addActions([self.act_import, self.act_retry, self.act_export])
        file.addSeparator()
        file.addActions([self.act_backup, self.act_restore])
        file.addSeparator()
        file.addAction(self.act_prefs)
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_copy_citation, self.act_copy_ama, self.act_copy_key])
        edit.addSeparator()
        edit.addActions([self.act_find, self.act_delete])
        article = bar.addMenu("&Article")
        article.addActions([self.act_read, self.act_unread, self.act_tags])
        article.addSeparator()
        article.addActions([self.act_add_to_list, self.act_remove_from_list, self.act_new_list])
        view = bar.addMenu("&View")
        view.addActions([self.act_toggle_sidebar, self.act_toggle_detail])
        view.addSeparator()
        view.addAction(self.act_relevance)
        view.addAction(self.act_refresh)
        help_menu = bar.addMenu("&Help")
        self.help_actions = install_help_menu(
            help_menu, self, library_path=lambda: self.library.path,
            actions=lambda: self.findChildren(QAction))

    def _build_toolbar(self) -> None:
        tools = QToolBar("Main toolbar", self)
        tools.setObjectName("mainToolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tools.addActions([self.act_import, self.act_export])
        tools.addSeparator()
        tools.addActions([self.act_copy_citation, self.act_read, self.act_tags])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tools.addWidget(spacer)
        tools.addWidget(self.search)
        self.addToolBar(tools)
        self.toolbar = tools

    def _connect(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_query)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        # Enter runs the search at once and moves to the results, for the arrow keys.
        self.search.returnPressed.connect(self._search_entered)

        self.model.query_finished.connect(self._query_finished)
        self.model.query_failed.connect(self.show_message)
        self.model.list_reordered.connect(
            lambda name: self.show_message(f"Reordered “{name}”."))
        self.table.current_changed.connect(self.detail.show_article)
        self.table.selection_changed.connect(self._selection_changed)
        self.table.context_menu.connect(self._table_menu)

        self.sidebar.filters_changed.connect(lambda _f: self._apply_query())
        self.sidebar.data_loaded.connect(self._sidebar_loaded)
        self.sidebar.pending_requested.connect(self.show_pending)
        self.sidebar.new_list_requested.connect(lambda: self.commands.new_list())
        self.sidebar.rename_list_requested.connect(self.commands.rename_list)
        self.sidebar.delete_list_requested.connect(self.commands.delete_list)
        self.sidebar.add_to_list_requested.connect(self.commands.add_to_list)
        self.sidebar.export_list_requested.connect(
            lambda name, fmt: self.show_export(list_name=name, fmt=fmt))

        self.detail.articles_changed.connect(self.data_changed)
        self.detail.open_article.connect(self.go_to_article)
        self.detail.add_tags_requested.connect(self.edit_tags)
        self.detail.import_requested.connect(self.import_inputs)
        self.detail.message.connect(self.show_message)

        self.commands.changed.connect(self.data_changed)
        self.commands.deleted.connect(lambda _ids: self.refresh_all())
        self.commands.lists_changed.connect(self._lists_changed)
        self.commands.list_renamed.connect(self.sidebar.follow_rename)
        self.commands.message.connect(self.show_message)

        self.welcome.import_identifiers_requested.connect(self.show_import)
        self.welcome.import_file_requested.connect(
            lambda: self.show_import().choose_and_add_files())
        self.welcome.open_sample_requested.connect(self.load_sample)

    # ================================================================ state
    def _restore_state(self) -> None:
        """The window's size now; the inner layout once shown (see :meth:`showEvent`)."""
        for key, restore in (("geometry", self.restoreGeometry),
                             ("windowState", self.restoreState)):
            blob = self.state.get(key)
            if blob is not None:
                restore(blob)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._layout_restored:
            return
        self._layout_restored = True
        # Splitter sizes are absolute pixels: restored before the window has its final size
        # they would be rescaled, so they are restored once the window is laid out.
        for key, restore in (("mainSplitter", self.splitter.restoreState),
                             ("detailSplitter", self.detail.details_splitter.restoreState),
                             ("tableHeader", self.table.horizontalHeader().restoreState)):
            blob = self.state.get(key)
            if blob is not None:
                restore(blob)
        self.act_toggle_sidebar.setChecked(not self.sidebar.isHidden())
        self.act_toggle_detail.setChecked(not self.detail.isHidden())

    def save_state(self) -> None:
        self.state.set("geometry", self.saveGeometry())
        self.state.set("windowState", self.saveState())
        self.state.set("mainSplitter", self.splitter.saveState())
        self.state.set("detailSplitter", self.detail.details_splitter.saveState())
        self.state.set("tableHeader", self.table.horizontalHeader().saveState())
        self.state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.detail.save_notes()
        self.save_state()
        for dialog in self.import_dialogs:
            dialog.cancel_import()
        self.runner.shutdown(10_000)
        self.library.close()
        super().closeEvent(event)

    # ================================================================ the query
    def current_query(self) -> Query:
        """The sidebar's filters and the search text, on top of the current sort."""
        q = apply_filters(self.model.query, self.sidebar.filters())
        text = self.search.text().strip()
        q = replace(q, search=text)
        # Searches keep the table's order (newest first) unless the user asked for relevance:
        # ranking every hit of a broad search costs several times the search itself.
        if text and q.sort == "added" and self.act_relevance.isChecked():
            q = replace(q, sort="relevance")
        elif q.sort == "relevance" and not (text and self.act_relevance.isChecked()):
            q = replace(q, sort="added", descending=True)
        return q

    def _apply_query(self) -> None:
        self._debounce.stop()
        q = self.current_query()
        if q.sort in ("relevance", "added", "list"):
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_query(q)
        self.detail.set_search(q.search)

    def _search_entered(self) -> None:
        self._apply_query()
        self.table.setFocus()

    def _query_finished(self, n: int) -> None:
        self._show_count(n)
        if self._first_load and (n == 0 or not self.isVisible()):
            # No rows will be painted (none, or the window is not shown): go on at once.
            self._first_rows_shown()

    def _first_rows_shown(self, *_: object) -> None:
        if not self._first_load:
            return
        self._first_load = False
        self._grace.stop()
        self.model.rows_loaded.disconnect(self._first_rows_shown)
        self.sidebar.reload(now=True)
        # Opening the app shows the newest article at once, not an empty pane.
        if self.model.rowCount() and not self.table.selected_ids() \
                and self._select_after_query is None:
            self.table.select_first()
        if self._select_after_query is not None:
            target, self._select_after_query = self._select_after_query, None
            if self.model.row_of(target) is not None:
                self.table.select_ids([target], target)

    def _show_count(self, n: int | None = None) -> None:
        n = self.model.rowCount() if n is None else n
        total = self.library_total
        filtered = self.model.query.search or self.sidebar.filters() not in ([], [Filter("all")])
        if total is not None and filtered and n != total:
            self.count_label.setText(f"{n:,} of {total:,} articles")
        else:
            self.count_label.setText(f"{n:,} article{'s' if n != 1 else ''}")

    def view_label(self) -> str:
        """A short name for what the table shows, for the export dialog."""
        parts = []
        labels = self.sidebar.tag_labels()
        for f in self.sidebar.filters():
            if f.kind == "list":
                parts.append(f"list “{f.value}”")
            elif f.kind == "tag":
                parts.append(labels.get(f.value, f.value))
            elif f.kind == "facet":
                parts.append(f.value)
            elif f.kind in FILTER_NAMES:
                parts.append(FILTER_NAMES[f.kind])
        if self.model.query.search:
            parts.append(f"“{self.model.query.search}”")
        return "Shown: " + (", ".join(parts) if parts else "all articles")

    # ================================================================ reacting
    def data_changed(self, ids: Sequence[int] = ()) -> None:
        """Articles changed: refresh the table (keeping the selection) and the counts."""
        self.model.refresh()
        self.sidebar.reload()
        if self.detail.article_id in ids:
            self.detail.reload()

    def refresh_all(self) -> None:
        self.model.refresh()
        self.sidebar.reload(now=True)
        self.detail.reload()

    def _lists_changed(self) -> None:
        self.sidebar.reload(now=True)
        if self.model.query.reading_list is not None:
            self.model.refresh()

    def _sidebar_loaded(self, data: jobs.SidebarData) -> None:
        self.model.set_tag_labels(self.sidebar.tag_labels())
        self.library_total = data.counts.get("all")
        empty = self.library_total == 0
        self.center.setCurrentWidget(self.welcome if empty else self.table)
        self.pending_count = data.counts.get("pending", 0)
        self._show_count()
        self._show_network()

    def _selection_changed(self, ids: list[int]) -> None:
        for action in self.selection_actions:
            action.setEnabled(bool(ids))
        self.act_remove_from_list.setEnabled(bool(ids)
                                             and self.model.query.reading_list is not None)
        if len(ids) > 1:
            self.statusBar().showMessage(f"{len(ids):,} articles selected", 4000)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _show_network(self) -> None:
        state = {"online": "● Online", "offline": "○ Offline"}.get(self.network or "", "")
        pending = f"{self.pending_count:,} pending" if self.pending_count else ""
        self.network_button.setText(" · ".join(p for p in (state, pending) if p) or "Network")
        tips = {"online": "The last import reached PubMed/Crossref.",
                "offline": "The last import could not reach the network; identifiers were "
                           "queued.",
                "": "No import has used the network yet in this session."}
        tip = tips[self.network or ""]
        if self.pending_count:
            tip += f"\n{self.pending_count} identifier(s) wait to be fetched: click to see " \
                   "them or retry."
        self.network_button.setToolTip(tip)

    def go_to_article(self, article_id: int) -> None:
        """Select an article, widening the view to the whole library when it is hidden."""
        if self.model.row_of(article_id) is not None:
            self.table.select_ids([article_id], article_id)
            return
        self._select_after_query = article_id
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if not self.sidebar.select_filter(Filter("all")) or \
                self.sidebar.filters() == [Filter("all")]:
            self._apply_query()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _toggle(self, part: QWidget) -> None:
        part.setVisible(not part.isVisible())
        self.act_toggle_sidebar.setChecked(self.sidebar.isVisible())
        self.act_toggle_detail.setChecked(self.detail.isVisible())

    # ================================================================ menus
    def _table_menu(self, pos: QPoint) -> None:
        menu = self.table_menu()
        menu.exec(pos)
        menu.deleteLater()  # built afresh each time; do not pile up under the window

    def table_menu(self) -> QMenu:
        """The article context menu for the current selection."""
        ids = self.table.selected_ids()
        menu = QMenu(self)
        menu.addActions([self.act_copy_citation, self.act_copy_ama, self.act_copy_key])
        menu.addSeparator()
        menu.addActions([self.act_read, self.act_unread, self.act_tags])
        lists_menu = menu.addMenu("Add to reading list")
        lists_menu.setEnabled(bool(ids))
        for name in self.sidebar.list_names():
            act = lists_menu.addAction(name)
            act.triggered.connect(lambda _c=False, n=name: self.commands.add_to_list(
                n, self.table.selected_ids()))
        if self.sidebar.list_names():
            lists_menu.addSeparator()
        lists_menu.addAction(self.act_new_list)
        current_list = self.model.query.reading_list
        if current_list is not None:
            self.act_remove_from_list.setText(f"Remove from “{current_list}”")
            menu.addAction(self.act_remove_from_list)
        menu.addSeparator()
        export = menu.addAction("Export selection…")
        export.triggered.connect(lambda _c=False: self.show_export(scope="selection"))
        menu.addSeparator()
        menu.addAction(self.act_delete)
        return menu

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_libraries if p != str(self.library.path)]
        for path in recent[:10]:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_library_requested.emit(
                Path(p)))
        if not recent:
            self.recent_menu.addAction("No other libraries yet").setEnabled(False)

    # ================================================================ commands
    def edit_tags(self, ids: Sequence[int]) -> None:
        tags = self.sidebar.data.tags if self.sidebar.data else []
        self.commands.edit_tags(list(ids), tags)

    def add_selection_to_list(self) -> None:
        ids = self.table.selected_ids()
        names = self.sidebar.list_names()
        if not ids:
            return
        if not names:
            self.commands.new_list(ids)
            return
        name, ok = QInputDialog.getItem(self, "Add to reading list", "Reading list:", names,
                                        0, False)
        if ok and name:
            self.commands.add_to_list(name, ids)

    def remove_from_list(self) -> None:
        name = self.model.query.reading_list
        if name is not None:
            self.commands.remove_from_list(name, self.table.selected_ids())

    # -- imports
    def import_dialog(self) -> ImportDialog:
        """An idle import dialog (a new one when every open one is busy)."""
        for dialog in self.import_dialogs:
            if not dialog.running:
                return dialog
        tag_names = [str(t["label"]) for t in (self.sidebar.data.tags if self.sidebar.data
                                               else [])]
        dialog = ImportDialog(self.library, self.runner, self.settings, tag_names, self)
        dialog.import_finished.connect(self._import_finished)
        dialog.import_failed.connect(lambda msg: self._import_ended(f"Import failed: {msg}"))
        dialog.progress_changed.connect(self._import_progress)
        self.import_dialogs.append(dialog)
        return dialog

    def show_import(self) -> ImportDialog:
        dialog = self.import_dialog()
        if dialog.outcome is not None:
            dialog.reset()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def import_inputs(self, inputs: Sequence[str], failed: Sequence[ImportItem] = ()) -> \
            ImportDialog:
        """Import these inputs now (dropped files, references), showing the dialog."""
        dialog = self.import_dialog()
        dialog.start(list(inputs), failed)
        if dialog.running:
            self.import_progress.setRange(0, 0)
            self.import_progress.show()
        return dialog

    def _import_progress(self, done: int, total: int, _what: str) -> None:
        self.import_progress.show()
        if total:
            self.import_progress.setRange(0, total)
            self.import_progress.setValue(min(done, total))

    def _import_finished(self, outcome: jobs.ImportOutcome) -> None:
        if outcome.network is not None:
            self.network = outcome.network
        self._import_ended(f"Import: {outcome.report.summary()}.")

    def _import_ended(self, message: str) -> None:
        if not any(d.running for d in self.import_dialogs):
            self.import_progress.hide()
        self.show_message(message)
        self._show_network()
        self.refresh_all()

    def retry_pending(self) -> None:
        self.show_message("Retrying pending imports…")
        self.import_progress.setRange(0, 0)
        self.import_progress.show()
        self.runner.start(jobs.retry_pending, self.library, self.settings, pool="net",
                          on_progress=self._import_progress, on_done=self._import_finished,
                          on_error=lambda msg: self._import_ended(f"Retry failed: {msg}"))

    def show_pending(self) -> PendingDialog:
        dialog = PendingDialog(self.library, self.runner, self)
        def retry() -> None:
            self.retry_pending()
            dialog.close()

        dialog.retry_requested.connect(retry)
        dialog.changed.connect(lambda: self.sidebar.reload(now=True))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.show()
        return dialog

    # -- drag and drop of files onto the window
    @staticmethod
    def dropped_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [f for f in files if f.suffix.lower() in FILE_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self.dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = self.dropped_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_inputs([str(f) for f in files])

    # -- other dialogs
    def show_export(self, *, scope: str | None = None, list_name: str | None = None,
                    fmt: str | None = None) -> ExportDialog:
        dialog = ExportDialog(self.library, self.runner, self.settings,
                              selection=self.table.selected_ids(), view=list(self.model.ids),
                              view_label=self.view_label(), lists=self.sidebar.list_names(),
                              list_name=list_name, fmt=fmt, parent=self)
        if scope is not None:
            dialog.set_scope(scope)
        dialog.exported.connect(lambda out: self.show_message(
            f"Exported {out.count:,} article(s)"
            + (f" to {out.path}" if out.path else " to the clipboard") + "."))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.settings_path, self)
        dialog.saved.connect(self._settings_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _settings_saved(self, settings: Settings) -> None:
        # Recent libraries are the application's bookkeeping; keep this window's list.
        self.settings = replace(settings)
        for dialog in self.import_dialogs:
            dialog.settings = self.settings
        self.show_message("Preferences saved.")

    def load_sample(self) -> None:
        """Bring the shipped sample papers into this library (on a worker)."""
        from spinelib.sample import load_sample

        self.show_message("Loading the sample library…")

        def loaded(n: int) -> None:
            self.show_message(f"The sample library is loaded: {n} papers.")
            self.refresh_all()

        self.runner.start(load_sample, self.library, pool="net", on_done=loaded,
                          on_error=self.show_message)

    def open_library(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, "Open library",
                                               str(self.library.path.parent), LIBRARY_FILTER)
        if name:
            self.open_library_requested.emit(Path(name))

    def backup_now(self) -> None:
        """Copy the library with SQLite's online backup, on the writer thread."""
        self.runner.start(self.library.backup, pool="write",
                          on_done=lambda dest: self.show_message(f"Backed up to {dest}"),
                          on_error=lambda msg: self.show_message(f"Backup failed: {msg}"))

    def restore_from_backup(self, source: Path | None = None) -> None:
        """Ask for a backup file and a confirmation naming both files, then hand over to the
        launcher, which closes this window, restores, and reopens the library."""
        if source is None:
            start = paths.backup_dir(self.library.path)
            name, _f = QFileDialog.getOpenFileName(
                self, "Restore from backup", str(start if start.is_dir() else
                                                 self.library.path.parent), LIBRARY_FILTER)
            if not name:
                return
            source = Path(name)
        question = (f"Replace the library “{self.library.path.name}” with the backup "
                    f"“{source.name}”?\n\nThe library as it is now is saved to its backups "
                    "folder first, so this can be undone by restoring that copy.")
        if self.commands.confirm("Restore from backup", question):
            self.restore_requested.emit(source)

    def new_library(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, "New library",
                                               str(self.library.path.parent / "library.sqlite"),
                                               LIBRARY_FILTER)
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".sqlite")
            self.open_library_requested.emit(path)
