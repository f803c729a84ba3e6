"""The main window: arranges the parts and wires their signals, nothing more.

The parts: the sidebar, the article table and the detail pane side by side (the welcome panel
instead of the table while the library is empty), the toolbar and menus
(:mod:`~spinelib.gui.menus`) over the actions (:mod:`~spinelib.gui.actions`), and the status
bar (:mod:`~spinelib.gui.statusbar`). What they do lives elsewhere: when the table's query
runs in :mod:`~spinelib.gui.querycontrol` (the query itself in :mod:`~spinelib.gui.querystate`),
imports in :mod:`~spinelib.gui.importflow`, edits of articles and lists in
:mod:`~spinelib.gui.commands`, library files in :mod:`~spinelib.gui.librarycommands`, and
the work on workers in :mod:`~spinelib.gui.jobs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from spinelib import paths
from spinelib.gui import citeddoisflow, citingflow, jobs
from spinelib.gui.actions import MainActions
from spinelib.gui.articletable import ArticleTable
from spinelib.gui.columns import restore_columns, state_key
from spinelib.gui.commands import Commands
from spinelib.gui.curationmenu import CurationMenu
from spinelib.gui.detail import DetailPane
from spinelib.gui.exportdialog import ExportDialog
from spinelib.gui.filterbar import FilterBar
from spinelib.gui.importflow import ImportFlow, importable_files
from spinelib.gui.keyboard import TableKeys
from spinelib.gui.librarycommands import LibraryFileCommands
from spinelib.gui.manuscriptgui import KeepUpdatedWatcher
from spinelib.gui.menus import RecentMenu, article_menu, build_menu_bar, build_toolbar
from spinelib.gui.outsidechanges import follow_outside_changes
from spinelib.gui.panes import apply_default_split
from spinelib.gui.pdfflow import PdfFlow, dropped_pdfs
from spinelib.gui.prefsdialog import PreferencesDialog
from spinelib.gui.querycontrol import QueryControl
from spinelib.gui.sidebar import Sidebar
from spinelib.gui.sideviews import SideViews
from spinelib.gui.state import WindowState
from spinelib.gui.statusbar import StatusBar
from spinelib.gui.tablemodel import ArticleTableModel
from spinelib.gui.tagcommands import TagCommands
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.teamflow import TeamFlow
from spinelib.gui.undoactions import install_undo
from spinelib.gui.welcome import WelcomePanel
from spinelib.library import Library
from spinelib.settings import Settings


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
        self.dialog: QWidget | None = None  # the last export or preferences dialog (tests)
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
        self.detail = DetailPane(library, self.runner, settings=settings)
        self.search = QLineEdit(placeholderText="Search title, abstract, authors, MeSH, "
                                                "tags, notes…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)
        # The middle shows the article table, or the welcome panel while the library is empty.
        self.welcome = WelcomePanel(library.path)
        self.center = QStackedWidget(self)
        self.center.addWidget(self.table)
        self.center.addWidget(self.welcome)
        self._arrange_panes()

        self.status = StatusBar(self.statusBar())
        self.commands = Commands(library, self.runner, self)
        self.files = LibraryFileCommands(library, self.runner, self)
        self.tag_commands = TagCommands(library, self.runner, self,
                                        labels=self.sidebar.tag_labels)
        self.imports = ImportFlow(library, self.runner, self.status,
                                  settings=lambda: self.settings,
                                  tag_names=lambda: list(self.sidebar.tag_labels().values()),
                                  parent=self)
        self.acts = MainActions(self)
        self.queries = QueryControl(self, search=self.search, relevance=self.acts.relevance,
                                    sidebar=self.sidebar, model=self.model, table=self.table,
                                    detail=self.detail)
        self.recent_menu = RecentMenu("Open &recent", self,
                                      recent=lambda: self.settings.recent_libraries,
                                      current=lambda: self.library.path)
        self.help_actions = build_menu_bar(self, self.acts, self.recent_menu,
                                           library_path=lambda: self.library.path)
        self.toolbar = build_toolbar(self, self.acts, self.search)
        self.keys = TableKeys(self)
        self.undo = install_undo(  # Edit ▸ Undo/Redo over the core's undo log (issue 15)
            self, library, self.runner, lambda: self.queries.refresh_all(),
            self.status.show_message,
            [self.commands.changed, self.commands.deleted, self.commands.lists_changed,
             self.detail.articles_changed])
        self.curation = CurationMenu(self, library, self.runner, self.table.selected_ids,
                                     self.queries.articles_changed, self.queries.refresh_all,
                                     self.search, lambda: self.settings, self.undo.update)
        self._selection_changed([])
        self.pdfs = PdfFlow(self)  # the full-text features (issue 14)
        self.team = TeamFlow(self)  # team libraries (issue 13)
        self._connect()
        self.side_views = SideViews(self)  # the Trash view in the sidebar (issue 15)
        self._restore_state()
        self.queries.start()

    def _arrange_panes(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        # The middle: the tag-filter line (hidden unless a tag filter is on) over the table.
        self.filter_bar = FilterBar(self)
        self.middle = QWidget(self)
        column = QVBoxLayout(self.middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.center, 1)
        for part in (self.sidebar, self.middle, self.detail):
            self.splitter.addWidget(part)
        # Explicit minimums: the parts' size hints would otherwise claim half a laptop screen.
        for pane, least in ((self.sidebar, 120), (self.center, 220), (self.table, 0),
                            (self.welcome, 0)):
            pane.setMinimumWidth(least)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        apply_default_split(self)
        self.setCentralWidget(self.splitter)

    def _connect(self) -> None:
        message = self.status.show_message
        self.status.pending_clicked.connect(self.imports.show_pending)
        self.queries.counted.connect(self.status.show_count)
        self.queries.import_requested.connect(lambda ident: self.imports.import_inputs([ident]))
        self.queries.message.connect(message)
        self.model.query_failed.connect(message)
        self.model.list_reordered.connect(lambda name: message(f"Reordered “{name}”."))
        self.table.current_changed.connect(self.detail.show_article)
        self.table.selection_changed.connect(self._selection_changed)
        self.table.selection_changed.connect(self.detail.set_selection)
        self.table.context_menu.connect(self._table_menu)
        self.sidebar.data_loaded.connect(self._sidebar_loaded)
        self.sidebar.pending_requested.connect(self.imports.show_pending)
        self.sidebar.new_list_requested.connect(lambda: self.commands.new_list())
        self.sidebar.rename_list_requested.connect(self.commands.rename_list)
        self.sidebar.delete_list_requested.connect(self.commands.delete_list)
        self.sidebar.add_to_list_requested.connect(self.commands.add_to_list)
        self.sidebar.export_list_requested.connect(
            lambda name, fmt: self.show_export(list_name=name, fmt=fmt))

        self.sidebar.rename_tag_requested.connect(self.tag_commands.rename)
        self.sidebar.merge_tag_requested.connect(self.tag_commands.merge)
        self.sidebar.delete_tag_requested.connect(self.tag_commands.delete)
        self.sidebar.move_tag_requested.connect(self.tag_commands.move)
        self.tag_commands.changed.connect(self.queries.refresh_all)
        self.tag_commands.message.connect(message)
        self.detail.articles_changed.connect(self.queries.articles_changed)
        self.detail.open_article.connect(self.queries.go_to_article)
        self.detail.add_tags_requested.connect(self.edit_tags)
        self.cited_dois, self.citing = citeddoisflow.CitedDoisFlow(self), citingflow.install(self)
        self.detail.message.connect(message)
        self.commands.changed.connect(self.queries.articles_changed)
        self.commands.deleted.connect(lambda _ids: self.queries.refresh_all())
        self.commands.lists_changed.connect(self.queries.lists_changed)
        self.keep_updated = KeepUpdatedWatcher(self.library, self.runner, self)
        self.keep_updated.problem.connect(self.status.show_message)
        self.outside = follow_outside_changes(self)  # a command's import shows here too
        self.commands.list_renamed.connect(self.sidebar.follow_rename)
        self.commands.message.connect(message)

        self.imports.library_changed.connect(self.queries.refresh_all)
        self.imports.pending_changed.connect(lambda: self.sidebar.reload(now=True))
        self.files.message.connect(message)
        self.files.library_changed.connect(self.queries.refresh_all)
        self.files.open_requested.connect(self.open_library_requested)
        self.files.restore_requested.connect(self.restore_requested)
        self.recent_menu.open_requested.connect(self.open_library_requested)

        self.welcome.import_identifiers_requested.connect(self.imports.show_import)
        self.welcome.import_file_requested.connect(
            lambda: self.imports.show_import().choose_and_add_files())
        self.welcome.open_sample_requested.connect(self.files.open_sample)

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
                             ("detailSplitter", self.detail.details_splitter.restoreState)):
            blob = self.state.get(key)
            if blob is not None:
                restore(blob)
            elif key == "mainSplitter":  # no saved layout: split the real width now
                apply_default_split(self)
        # The table's columns are this library's own (older versions kept one layout).
        restore_columns(self.table.horizontalHeader(),
                        self.state.get(state_key(self.library.path))
                        or self.state.get("tableHeader"))
        self.acts.toggle_sidebar.setChecked(not self.sidebar.isHidden())
        self.acts.toggle_detail.setChecked(not self.detail.isHidden())

    def save_state(self) -> None:
        """Remember the window's size and its inner layout (see :mod:`spinelib.gui.state`)."""
        self.state.set("geometry", self.saveGeometry())
        self.state.set("windowState", self.saveState())
        self.state.set("mainSplitter", self.splitter.saveState())
        self.state.set("detailSplitter", self.detail.details_splitter.saveState())
        self.state.set(state_key(self.library.path),
                       self.table.horizontalHeader().saveState())
        self.state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.detail.reading.save_notes()
        self.save_state()
        self.imports.cancel_all()
        self.keep_updated.stop()
        self.runner.shutdown(10_000)
        self.library.close()
        super().closeEvent(event)

    # ================================================================ reacting
    def _sidebar_loaded(self, data: jobs.SidebarData) -> None:
        self.model.set_tag_labels(self.sidebar.tag_labels())
        total = data.counts.all
        self.center.setCurrentWidget(self.welcome if total == 0 else self.table)
        self.status.set_library_counts(total, data.counts.pending)
        self.queries.report_count()

    def _selection_changed(self, ids: list[int]) -> None:
        for action in self.acts.on_selection:
            action.setEnabled(bool(ids))
        self.acts.remove_from_list.setEnabled(bool(ids)
                                              and self.model.query.reading_list is not None)
        self.status.show_selection(len(ids))

    def focus_search(self) -> None:
        """Put the cursor in the search field with its text selected (Ctrl+F)."""
        self.search.setFocus()
        self.search.selectAll()

    def toggle_part(self, part: QWidget) -> None:
        """Show or hide the sidebar or the detail pane (the View menu follows)."""
        part.setVisible(not part.isVisible())
        self.acts.toggle_sidebar.setChecked(self.sidebar.isVisible())
        self.acts.toggle_detail.setChecked(self.detail.isVisible())

    def _table_menu(self, pos: QPoint) -> None:
        menu = self.table_menu()
        menu.exec(pos)
        menu.deleteLater()  # built afresh each time; do not pile up under the window

    def table_menu(self) -> QMenu:
        """The article context menu for the current selection."""
        return article_menu(
            self, self.acts, has_selection=bool(self.table.selected_ids()),
            list_names=self.sidebar.list_names(), current_list=self.model.query.reading_list,
            add_to_list=lambda name: self.commands.add_to_list(name, self.table.selected_ids()),
            export_selection=lambda: self.show_export(scope="selection"))

    # ================================================================ asking, then commands
    def edit_tags(self, ids: Sequence[int]) -> None:
        """Open the tag picker for these articles, offering every tag the sidebar knows."""
        tags = self.sidebar.data.tags if self.sidebar.data else []
        self.commands.edit_tags(list(ids), tags)

    def add_selection_to_list(self) -> None:
        """Ask which reading list gets the selection (a new list when there is none yet)."""
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
        """Take the selection out of the reading list the table shows."""
        name = self.model.query.reading_list
        if name is not None:
            self.commands.remove_from_list(name, self.table.selected_ids())

    # -- files dropped on the window are imported
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if importable_files(event.mimeData()) or dropped_pdfs(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if importable_files(event.mimeData()) or dropped_pdfs(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if self.pdfs.handle_window_drop(event):
            return
        files = importable_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.imports.import_inputs([str(f) for f in files])

    # -- dialogs
    def show_export(self, *, scope: str | None = None, list_name: str | None = None,
                    fmt: str | None = None) -> ExportDialog:
        """Open the export dialog on the selection, the view, a list or the whole library."""
        dialog = ExportDialog(self.library, self.runner, self.settings,
                              selection=self.table.selected_ids(), view=list(self.model.ids),
                              view_label=self.queries.view_label(),
                              lists=self.sidebar.list_names(), list_name=list_name, fmt=fmt,
                              parent=self)
        if scope is not None:
            dialog.set_scope(scope)
        dialog.exported.connect(lambda out: self.status.show_message(
            f"Exported {out.articles}"
            + (f" to {out.path}" if out.path else " to the clipboard") + "."))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_preferences(self) -> PreferencesDialog:
        """Open the preferences; saving them replaces this window's settings."""
        dialog = PreferencesDialog(self.settings_path, self)
        dialog.saved.connect(self._settings_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _settings_saved(self, settings: Settings) -> None:
        # Recent libraries are the application's bookkeeping; keep this window's list.
        self.settings = replace(settings)
        self.imports.use_settings(self.settings)
        self.detail.use_settings(settings)
        self.pdfs.watch(self.settings.watched_folder)
        self.status.show_message("Preferences saved.")
