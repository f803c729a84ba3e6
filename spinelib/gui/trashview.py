"""The Trash view: what was deleted, with Restore and Empty trash. It fills the middle of
the window when the sidebar's "Trash" entry is chosen (in place of the article table, whose
rows are live articles only), and is the body of the Edit ▸ Trash… dialog.

Reads and writes run on the worker threads; a restore that cannot happen (its DOI now
belongs to another article) is shown as the core words it, and nothing changes. Restoring
brings back each article whole, attachments and their files included.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.curation_results import RestoreResult, TrashEntry
from spinelib.gui.emptystate import ListNote
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.text import local_time, plural

Confirm = Callable[[str, str], bool]


class TrashView(QWidget):
    """The trash; ``changed`` after a restore or an empty (the window refreshes)."""

    changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.confirm: Confirm = lambda title, text: QMessageBox.question(
            self, title, text) == QMessageBox.StandardButton.Yes
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Key", "Title", "Deleted"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        # The title takes the room; the key and the date take what they need.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.note = ListNote(self.status, self.tree)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button = QPushButton("&Empty trash…")
        self.empty_button.clicked.connect(self.empty)
        #: The row of buttons (the dialog adds its Close button here).
        self.buttons = QHBoxLayout()
        for b in (self.restore_button, self.empty_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.tree)
        layout.addWidget(self.status)
        layout.addLayout(self.buttons)
        self.entries: list[TrashEntry] = []
        #: The last action's message and the trash it left (article ids in order).
        self._said: tuple[str, list[int]] | None = None
        self.reload()

    def reload(self) -> None:
        self.runner.start(self.library.trash.entries, on_done=self._show,
                          on_error=self.note.say)

    def _show(self, entries: list[TrashEntry]) -> None:
        # Loaded again (a change made outside the window): what was selected stays selected.
        selected = set(self.selected_ids())
        self.entries = entries
        self.tree.clear()
        for e in entries:
            item = QTreeWidgetItem([e.citekey, e.title, local_time(e.deleted_at)])
            item.setData(0, Qt.ItemDataRole.UserRole, e.article_id)
            self.tree.addTopLevelItem(item)
            item.setSelected(e.article_id in selected)
        ids = [e.article_id for e in entries]
        if self._said is not None and self._said[1] == ids:  # the trash as the action left it
            self.note.say(self._said[0] + ("" if entries else " The trash is now empty."))
        else:
            self._said = None
            self.note.say(f"{plural(len(entries))} in the trash." if entries else
                          "The trash is empty: deleted articles wait here until you "
                          "restore them or empty it.")
        self.empty_button.setEnabled(bool(entries))
        self.restore_button.setEnabled(bool(entries))

    def selected_ids(self) -> list[int]:
        return [int(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems()]

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.note.say("Select the articles to restore.")
            return

        def done(results: list[RestoreResult]) -> None:
            notes = [m for r in results for m in r.messages]
            self.changed.emit()
            self._report(f"Restored {len(results)}." + (" " + " ".join(notes)
                                                        if notes else ""))

        self.runner.start(self.library.trash.restore, ids, pool="write", on_done=done,
                          on_error=self.note.say)

    def _report(self, message: str) -> None:
        """Read the trash again and say ``message`` (what a restore or an empty did) over
        it while it stays as the action left it: the window's own reload after the
        action's ``changed`` may answer before or after this one, and either shows it."""
        def show(entries: list[TrashEntry]) -> None:
            self._said = (message, [e.article_id for e in entries])
            self._show(entries)

        self.runner.start(self.library.trash.entries, on_done=show, on_error=self.note.say)

    def empty(self) -> None:
        n = len(self.entries)
        if not self.confirm("Empty trash", f"Delete the {plural(n)} "
                            "in the trash for good? This cannot be undone."):
            return

        def done(count: int) -> None:
            self.changed.emit()
            self._report(f"Deleted {count} for good.")

        self.runner.start(self.library.trash.empty, pool="write", on_done=done,
                          on_error=self.note.say)


__all__ = ["TrashView"]
