"""Pending imports: what waits for the network (identifiers to fetch, kept PDFs' first-page
searches, open-access look-ups), with "Retry now" and "Forget"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.tasks import TaskRunner
from spinelib.importlists import joins
from spinelib.library import Library, PendingItem
from spinelib.text import local_time


class PendingDialog(QDialog):
    """Lists :meth:`Library.pending`; asks the window to retry, or forgets chosen entries."""

    retry_requested = Signal()
    changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.setWindowTitle("Pending imports")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Waiting", "Queued", "Tries", "Why"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.forget = QPushButton("Forget selected", self)
        self.forget.setAutoDefault(False)
        self.forget.clicked.connect(self._forget)
        self.retry = QPushButton("Retry now", self)
        self.retry.clicked.connect(self.retry_requested)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        buttons.addWidget(self.forget)
        buttons.addStretch(1)
        buttons.addWidget(self.retry)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        def labelled() -> list[tuple[PendingItem, str]]:  # on a worker: labels read keys
            return [(e, self.library.pending.label(e.identifier))
                    for e in self.library.pending.all()]

        self.runner.start(labelled, on_done=self._show)

    def _show(self, labelled: list[tuple[PendingItem, str]]) -> None:
        self.tree.clear()
        for e, label in labelled:
            item = QTreeWidgetItem([label, local_time(str(e.queued_at)),
                                    str(e.attempts), e.reason])
            item.setData(0, Qt.ItemDataRole.UserRole, e.identifier)  # what Forget removes
            item.setToolTip(3, e.reason)
            if e.lists:  # what the Why column has no room for
                item.setToolTip(0, f"{e.identifier}: {joins(e.lists)} when fetched")
            self.tree.addTopLevelItem(item)
        self.summary.setText(
            f"{len(labelled)} item{'s' if len(labelled) != 1 else ''} could not be fetched "
            "or searched for (no network or the service was down): identifiers, kept PDFs' "
            "first-page searches, open-access look-ups. They are retried when you ask."
            if labelled else "Nothing is waiting: every import reached its source.")
        self.retry.setEnabled(bool(labelled))
        self.forget.setEnabled(bool(labelled))

    def _forget(self) -> None:
        chosen = [str(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems()]
        if chosen:
            self.runner.start(self.library.pending.remove, chosen, pool="write",
                              on_done=self._forgotten)

    def _forgotten(self, _result: object) -> None:
        self.reload()
        self.changed.emit()
