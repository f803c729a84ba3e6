"""Edit ▸ Trash…: the Trash view (:mod:`spinelib.gui.trashview`) in a dialog of its own."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from spinelib.gui.tasks import TaskRunner
from spinelib.gui.trashview import Confirm, TrashView
from spinelib.library import Library


class TrashDialog(QDialog):
    """The trash; ``changed`` after a restore or an empty (the window refreshes)."""

    changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trash")
        self.view = TrashView(library, runner, self)
        self.view.changed.connect(self.changed)
        self.tree = self.view.tree
        self.status = self.view.status
        self.restore_button = self.view.restore_button
        self.empty_button = self.view.empty_button
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        self.view.buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.resize(760, 420)

    @property
    def confirm(self) -> Confirm:
        return self.view.confirm

    @confirm.setter
    def confirm(self, value: Confirm) -> None:
        self.view.confirm = value

    def reload(self) -> None:
        self.view.reload()

    def restore_selected(self) -> None:
        self.view.restore_selected()

    def empty(self) -> None:
        self.view.empty()
