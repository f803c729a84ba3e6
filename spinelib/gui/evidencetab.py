"""The detail pane's Evidence tab: the article's evidence-table study fields (issue 17).

The OCEBM level and the number of patients show the library's suggestion and its reason
until the reader confirms or types a value; "Save" writes every field in one transaction on
the write worker. Loading runs on the read worker, like the rest of the pane.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spinelib.errors import NoMatch
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.safety_results import Evidence

LEVEL_CHOICES = ("", "1", "2", "3", "4", "5")


def load_evidence(library: Library, article_id: int) -> Evidence | None:
    """The study fields of the article shown; None when it has gone meanwhile (moved to
    the trash by a command or another window after the pane loaded it: nothing to say)."""
    try:
        return library.evidence.get(article_id)
    except NoMatch:
        return None


class EvidenceTab(QWidget):
    """Edit one article's study fields."""

    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.article_id: int | None = None
        self.loaded: Evidence | None = None
        self._generation = 0
        outer = QVBoxLayout(self)
        form = QFormLayout()
        self.level = QComboBox(self)
        self.level.addItems(list(LEVEL_CHOICES))
        self.level_reason = QLabel(self)
        self.level_reason.setWordWrap(True)
        self.n = QLineEdit(self)
        self.n_reason = QLabel(self)
        self.n_reason.setWordWrap(True)
        self.comparator = QLineEdit(self)
        self.follow_up = QLineEdit(self)
        self.outcomes = QLineEdit(self)
        self.notes = QLineEdit(self)
        form.addRow("OCEBM level", self.level)
        form.addRow("", self.level_reason)
        form.addRow("Patients (n)", self.n)
        form.addRow("", self.n_reason)
        form.addRow("Comparator", self.comparator)
        form.addRow("Follow-up", self.follow_up)
        form.addRow("Outcomes", self.outcomes)
        form.addRow("Notes", self.notes)
        outer.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save = QPushButton("Save study fields", self)
        self.save.clicked.connect(self.save_fields)
        row.addWidget(self.save)
        outer.addLayout(row)
        outer.addStretch(1)
        self.setEnabled(False)

    def show_article(self, article_id: int | None) -> None:
        self.article_id = article_id
        self._generation += 1
        self.setEnabled(False)
        if article_id is None:
            return
        generation = self._generation
        self.runner.start(load_evidence, self.library, article_id,
                          on_done=lambda ev: self._loaded(generation, ev),
                          on_error=lambda message: self._failed(generation, message))

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:  # not a load the user has moved on from
            self.message.emit(message)

    def _loaded(self, generation: int, ev: Evidence | None) -> None:
        if generation != self._generation or ev is None:  # stale, or the article gone
            return
        self.loaded = ev
        self.level.setCurrentText(ev.level)
        self.level_reason.setText("confirmed" if ev.level_confirmed else
                                  f"suggested: {ev.level_reason}" if ev.level_reason else "")
        self.n.setText(ev.n)
        self.n_reason.setText("confirmed" if ev.n_confirmed else
                              f"suggested: {ev.n_reason}" if ev.n_reason else "")
        for edit, value in ((self.comparator, ev.comparator), (self.follow_up, ev.follow_up),
                            (self.outcomes, ev.outcomes), (self.notes, ev.notes)):
            edit.setText(value)
        self.setEnabled(True)

    def values(self) -> dict[str, str]:
        """The fields as :meth:`EvidenceManager.set` takes them. A level or n still showing
        the untouched suggestion is left out, so saving other fields does not confirm it."""
        out = {"comparator": self.comparator.text(), "follow_up": self.follow_up.text(),
               "outcomes": self.outcomes.text(), "notes": self.notes.text()}
        ev = self.loaded
        for name, value in (("level", self.level.currentText()), ("n", self.n.text().strip())):
            suggested = ev is not None and not getattr(ev, f"{name}_confirmed") \
                and getattr(ev, name) == value
            if not suggested:
                out[name] = value
        return out

    def save_fields(self) -> None:
        if self.article_id is None:
            return
        generation = self._generation
        self.runner.start(self.library.evidence.set, self.article_id, self.values(),
                          pool="write", on_done=lambda ev: self._saved(generation, ev),
                          on_error=self.message.emit)

    def _saved(self, generation: int, ev: Evidence) -> None:
        self._loaded(generation, ev)
        self.message.emit("Study fields saved.")
