"""The main window's team-library features (issue 13): File ▸ Open team library…, and in a
team library's window the status part (online/offline, last sync, changes waiting), live
updates, a Team menu with Sync now, Conflicts… and History of this article….

Built by the window with one line (``self.team = TeamFlow(self)``). Live updates run on a
:class:`~spinelib.library.livesync.LiveSync` thread; what it learns arrives here by queued
signals, and the table, sidebar and detail pane refresh from the GUI thread (keeping the
selection and the scroll position: the table model's refresh keeps both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from spinelib.gui.conflictsview import ConflictsDialog
from spinelib.gui.menus import add_before_help
from spinelib.gui.teamhistory import HistoryDialog
from spinelib.gui.teamopen import OpenTeamDialog
from spinelib.gui.teamstatus import TeamStatusPart
from spinelib.library.livesync import LiveSync

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from spinelib.gui.mainwindow import MainWindow


class TeamFlow(QObject):
    """Wires the team features into a :class:`MainWindow`."""

    #: Open this team library in a window of its own: (URL, password or None, remember it).
    open_team_requested = Signal(str, object, bool)
    #: From the live-sync thread (queued to the GUI thread): a fresh status.
    status_changed = Signal(object)
    #: From the live-sync thread: colleagues' changes were pulled into the replica.
    remote_changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.dialog: QDialog | None = None
        self.open_action = QAction("Open &team library…", window)
        self.open_action.setToolTip("Open a library your department shares on PostgreSQL")
        self.open_action.triggered.connect(lambda: self.show_open_dialog())
        file_menu = window.recent_menu.menuAction().associatedObjects()[0]
        if isinstance(file_menu, QMenu):
            file_menu.insertAction(window.recent_menu.menuAction(), self.open_action)
        self.live: LiveSync | None = None
        self.part: TeamStatusPart | None = None
        self.menu: QMenu | None = None
        if window.library.sync.active:
            self._install()

    # ------------------------------------------------------------ any window
    def show_open_dialog(self) -> OpenTeamDialog:
        dialog = OpenTeamDialog(self.w.runner, self.w)
        dialog.open_requested.connect(self.open_team_requested)
        self.dialog = dialog
        dialog.open()
        return dialog

    # ------------------------------------------------------------ a team library's window
    def _install(self) -> None:
        window = self.w
        self.part = TeamStatusPart(window)
        window.statusBar().addPermanentWidget(self.part)
        self.part.conflicts_requested.connect(self.show_conflicts)
        self.status_changed.connect(self.part.show_status)
        self.remote_changed.connect(window.queries.refresh_all)
        menu = QMenu("&Team", window)
        self.sync_action = menu.addAction("&Sync now")
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.sync_action.triggered.connect(self.sync_now)
        self.conflicts_action = menu.addAction("&Conflicts…")
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.history_action = menu.addAction("&History of this article…")
        self.history_action.triggered.connect(self.show_history)
        self.menu = add_before_help(window.menuBar(), menu)
        window.installEventFilter(self)
        self.live = LiveSync(window.library.sync, on_status=self.status_changed.emit,
                             on_changed=self.remote_changed.emit)
        self.live.start()

    def sync_now(self) -> None:
        if self.live is not None:
            self.live.sync_now()
            self.w.status.show_message("Syncing with the team library…")

    def show_conflicts(self) -> ConflictsDialog:
        dialog = ConflictsDialog(self.w.library, self.w.runner, self.w)
        dialog.resolved.connect(lambda _id: self.w.queries.refresh_all())
        dialog.resolved.connect(lambda _id: self.sync_now())
        self.dialog = dialog
        dialog.show()
        return dialog

    def show_history(self) -> HistoryDialog | None:
        article_id = self.w.detail.article_id
        if article_id is None:
            self.w.status.show_message("Select an article to see its history.")
            return None
        row = self.w.model.row_of(article_id)
        title = "article"
        if row is not None:
            title = str(self.w.model.index(row, 0).data() or title)
        dialog = HistoryDialog(self.w.library, self.w.runner, article_id, title, self.w)
        self.dialog = dialog
        dialog.show()
        return dialog

    def stop(self) -> None:
        """Stop live sync (before the window closes its library)."""
        if self.live is not None:
            self.live.stop()
            self.live = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.w and event.type() == QEvent.Type.Close:
            self.stop()
        return False


__all__ = ["TeamFlow"]
