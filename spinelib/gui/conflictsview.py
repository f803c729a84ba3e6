"""The Conflicts view of a team library: values the server kept over the user's, side by side,
each settled with Keep mine or Keep theirs (never a modal question in the middle of work).

The list is read and each choice written on workers; Keep mine makes the user's value a new
edit (in the outbox with it), Keep theirs drops the user's value. Both leave the conflict
settled; :attr:`ConflictsDialog.resolved` tells the window to refresh and sync.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.tasks import TaskRunner
from spinelib.gui.teamstatus import sync_time
from spinelib.library import Library
from spinelib.library.sync_results import Conflict
from spinelib.library.sync_values import field_label, value_text
from spinelib.text import plural

COLUMNS = ("Article", "Field", "When")


class ConflictsDialog(QDialog):
    """Lists the replica's conflicts; the selected one's two values shown side by side."""

    #: A conflict was settled (its id): refresh the window, push the user's kept value.
    resolved = Signal(int)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.library, self.runner = library, runner
        self.setWindowTitle("Conflicts — SpineLib")
        self.resize(720, 460)
        self.conflicts: list[Conflict] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.mine, self.theirs = QPlainTextEdit(self), QPlainTextEdit(self)
        for box in (self.mine, self.theirs):
            box.setReadOnly(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.keep_mine = QPushButton("Keep &mine", self)
        self.keep_theirs = QPushButton("Keep &theirs", self)
        self.keep_mine.clicked.connect(lambda: self.resolve(keep_mine=True))
        self.keep_theirs.clicked.connect(lambda: self.resolve(keep_mine=False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.keep_mine, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.keep_theirs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        values = QGridLayout()
        values.addWidget(QLabel("Yours (not kept):"), 0, 0)
        values.addWidget(QLabel("On the server (kept):"), 0, 1)
        values.addWidget(self.mine, 1, 0)
        values.addWidget(self.theirs, 1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(values, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._enable(False)
        self.reload()

    def reload(self) -> None:
        """Read the conflicts again (on a worker)."""
        self.runner.start(self.library.sync.conflicts, on_done=self._loaded,
                          on_error=self.note.setText)

    def _loaded(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            for col, text in enumerate((c.article, field_label(c.field), sync_time(c.when))):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.note.setText("No conflicts: every edit of yours reached the team library."
                          if not conflicts else
                          f"{plural(len(conflicts), 'change')} of yours "
                          f"{'was' if len(conflicts) == 1 else 'were'} not kept because a "
                          "colleague changed or deleted the same thing first.")
        if conflicts:
            self.table.selectRow(0)
        else:
            self._show_selected()

    def selected(self) -> Conflict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.conflicts):
            return None
        return self.conflicts[rows[0].row()]

    def _show_selected(self) -> None:
        c = self.selected()
        mine, theirs = _explained(c) if c else ("", "")
        self.mine.setPlainText(mine)
        self.theirs.setPlainText(theirs)
        self._enable(c is not None)

    def _enable(self, on: bool) -> None:
        self.keep_mine.setEnabled(on)
        self.keep_theirs.setEnabled(on)

    def resolve(self, *, keep_mine: bool) -> None:
        """Settle the selected conflict (on the write worker), then list the rest."""
        c = self.selected()
        if c is None:
            return
        self._enable(False)

        def done(_: object) -> None:
            self.resolved.emit(c.id)
            self.reload()

        def failed(message: str) -> None:
            self.note.setText(message)
            self.reload()

        self.runner.start(self.library.sync.resolve, c.id, keep_mine, pool="write",
                          on_done=done, on_error=failed)


__all__ = ["COLUMNS", "ConflictsDialog"]


def _explained(c: Conflict) -> tuple[str, str]:
    """The two panes' texts: the values themselves, except for a membership a colleague's
    deletion dropped (field ``list`` or ``tag``, theirs ``deleted``), where a bare "deleted"
    beside a list's name did not say what happened or what each button does."""
    if c.field in ("list", "tag") and c.theirs == "deleted":
        what = "reading list" if c.field == "list" else "tag"
        name = value_text(c.field, c.mine)
        return (f"{c.article} in the {what} \u201c{name}\u201d",
                f"A colleague deleted the {what} \u201c{name}\u201d before your change "
                f"reached the team library, so {c.article} was not added to it.\n\n"
                f"Keep mine makes the {what} again with this article; Keep theirs leaves "
                "it deleted.")
    return value_text(c.field, c.mine), value_text(c.field, c.theirs)
