"""The sidebar views that are not a query of live articles (the Trash), and the sidebar's
issue-15 wiring kept out of the main window: deleting a saved search, moving a tag by drag.

Choosing the sidebar's "Trash" entry puts the :class:`~spinelib.gui.trashview.TrashView`
in the middle of the window, where the article table was (the table's rows are live
articles; trashed ones live apart, whole, until restored). Choosing any other entry brings
the table back. A restore or an empty refreshes the table, the counts and the undo menu.
Saved searches are ordinary filters (see ``querystate``); deleting one is handled here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from spinelib.gui.querystate import Filter
from spinelib.gui.trashview import TrashView

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow

TRASH = Filter("trash")


class SideViews(QObject):
    """Shows the Trash view while the sidebar's Trash entry is selected."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.trash = TrashView(window.library, window.runner, window.center)
        window.center.addWidget(self.trash)
        self.trash.changed.connect(self._trash_changed)
        window.sidebar.filters_changed.connect(lambda _f: self.update())
        window.sidebar.delete_saved_requested.connect(self.delete_saved)
        # A user tag dragged onto another tag (or "My tags") in the sidebar moves there.
        window.sidebar.tag_dropped.connect(window.tag_commands.move_to)
        # After the window's own handler (which picks the table or the welcome panel).
        window.sidebar.data_loaded.connect(lambda _d: self.update(reload=False))

    def showing_trash(self) -> bool:
        return self.w.sidebar.filters() == [TRASH]

    def update(self, *, reload: bool = True) -> None:
        """Put the Trash view or the table in the middle, as the sidebar selection says."""
        if self.showing_trash():
            if reload or self.w.center.currentWidget() is not self.trash:
                self.trash.reload()
            self.w.center.setCurrentWidget(self.trash)
        elif self.w.center.currentWidget() is self.trash:
            self.w.center.setCurrentWidget(self.w.table)

    def delete_saved(self, name: str) -> None:
        """Delete a saved search (its articles are untouched), then recount the sidebar."""
        def done(_result: object) -> None:
            self.w.status.show_message(f"Deleted the saved search “{name}”.")
            self.w.sidebar.reload(now=True)

        self.w.runner.start(self.w.library.searches.delete, name, pool="write", on_done=done,
                            on_error=self.w.status.show_message)

    def _trash_changed(self) -> None:
        self.w.queries.refresh_all()
        self.w.undo.update()


__all__ = ["SideViews", "TRASH"]
