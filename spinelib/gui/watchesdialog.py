"""Literature watches from the app: the stored PubMed queries and citation alerts with their
state, a new query (typed, or written by the vocabulary for a technique) and Remove.

Before this, the Inbox told a user without watches to type ``spinelib watch add`` in a
terminal: the app could triage what watches found but not make one. Every read and write
runs on the workers (the window's :class:`~spinelib.gui.tasks.TaskRunner`); the library's
own checks (a name in use, an empty query) come back as the form's message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.safety_results import Watch
from spinelib.vocabulary.watch_query import technique_choices, technique_query


class WatchesDialog(QDialog):
    """The watches, New watch… and Remove."""

    #: A watch was added or removed (the Inbox counts them).
    changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.setWindowTitle("Literature watches")
        self.resize(920, 420)
        layout = QVBoxLayout(self)
        intro = QLabel("Each watch is a PubMed query, or a key paper whose new citing "
                       "articles you want (<i>Create alert</i> in an article's Cited-by tab). "
                       "<i>Run watches</i> in the Inbox (or the weekly run at start-up) puts "
                       "their new papers there for you to accept or dismiss.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Name", "Watches", "Tag", "State"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 170), (2, 150), (3, 170)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.tree, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New watch…", self)
        self.new_button.clicked.connect(self.new_watch)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        for b in (self.new_button, self.remove_button, close):
            b.setAutoDefault(False)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.watches: list[Watch] = []
        self.reload()

    def reload(self) -> None:
        self.runner.start(self.library.watches.all, on_done=self._show,
                          on_error=self.status.setText)

    def _show(self, watches: list[Watch]) -> None:
        self.watches = watches
        self.tree.clear()
        for w in watches:
            item = QTreeWidgetItem([w.name, w.watched, w.tag, w.state])
            item.setToolTip(1, w.watched if not w.cites else
                            f"{w.watched}: the articles Europe PMC lists as citing it")
            item.setToolTip(3, w.state)
            self.tree.addTopLevelItem(item)
        self.status.setText("" if watches else
                            "No watches yet: New watch… stores a PubMed query, or writes one "
                            "for a technique from the vocabulary.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.tree.selectedItems()))

    def selected_name(self) -> str | None:
        items = self.tree.selectedItems()
        return items[0].text(0) if items else None

    def new_watch(self) -> NewWatchForm:
        form = NewWatchForm(self.library, self.runner, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._changed)
        form.open()
        return form

    def remove_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self, "Remove watch",
            f"Remove the watch “{name}”? The papers it found stay in the Inbox.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.start(self.library.watches.remove, name, pool="write",
                          on_done=self._changed, on_error=self.status.setText)

    def _changed(self, _removed: object = None) -> None:
        # A method, not a lambda: the runner drops its call once this dialog is closed.
        self.reload()
        self.changed.emit()


class NewWatchForm(QDialog):
    """Name, PubMed query and tag of a new watch; choosing a technique fills all three with
    the vocabulary's query (``spinelib watch suggest``), which the user may still edit."""

    #: The watch was stored.
    saved = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.setWindowTitle("New watch")
        self.resize(620, 360)
        form = QFormLayout(self)
        self.technique = QComboBox(self)
        self.technique.addItem("(none: write your own query)", "")
        for tag_id, label, depth in technique_choices(library.taxonomy):
            self.technique.addItem("    " * depth + label, tag_id)
        self.technique.currentIndexChanged.connect(self._technique_chosen)
        form.addRow("For a technique:", self.technique)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Separation surgery")
        form.addRow("Name:", self.name)
        self.query = QPlainTextEdit(self)
        self.query.setPlaceholderText('as typed on PubMed, e.g. "separation surgery"[tiab] '
                                      "AND spine, or a PubMed results page's address")
        form.addRow("PubMed query:", self.query)
        self.tag = QLineEdit(self)
        self.tag.setPlaceholderText("optional: accepted papers get this tag")
        form.addRow("Tag:", self.tag)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _technique_chosen(self, _index: int) -> None:
        tag_id = self.technique.currentData()
        if not tag_id:
            return
        self.runner.start(technique_query, self.library.taxonomy, tag_id,
                          on_done=self._fill, on_error=self.error.setText)

    def _fill(self, found: tuple[str, str]) -> None:
        tag_id, query = found
        self.name.setText(self.technique.currentText().strip())
        self.name.setCursorPosition(0)
        self.query.setPlainText(query)
        self.tag.setText(tag_id)

    def save(self) -> None:
        self.error.setText("")
        self.buttons.setEnabled(False)
        self.runner.start(self.library.watches.add, self.name.text(),
                          self.query.toPlainText(), self.tag.text(), pool="write",
                          on_done=self._saved, on_error=self._failed)

    def _saved(self, _watch: Watch) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(message)


__all__ = ["NewWatchForm", "WatchesDialog"]
