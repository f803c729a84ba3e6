"""An article's History in a team library: who changed what, and when ("alice changed the
title, 10:42"), read from the server's ``change_log`` on a worker.

:func:`history_lines` turns the room's entries into those sentences (plain, tested without a
window); :class:`HistoryDialog` shows them, newest first, with each change's old and new
values in the tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from spinelib.gui.tasks import TaskRunner
from spinelib.gui.teamstatus import sync_time
from spinelib.library import Library
from spinelib.library.sync_results import HistoryEntry
from spinelib.library.sync_values import field_label, field_words, one_line
from spinelib.text import plural


@dataclass(frozen=True)
class HistoryLine:
    """One change as a sentence, and its details (each field's old → new value)."""

    text: str
    details: str


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def history_lines(entries: list[HistoryEntry], now: datetime | None = None
                  ) -> list[HistoryLine]:
    """The entries (oldest first, one per field) as one sentence per change, newest first."""
    lines: list[HistoryLine] = []
    for (when, who, what), group in groupby(entries, key=lambda e: (e.when, e.who, e.what)):
        fields = [e for e in group if e.field]
        at = sync_time(when, now)
        if what == "create":
            text = f"{who} added the article, {at}"
        elif what == "delete":
            text = f"{who} deleted the article, {at}"
        elif fields:
            text = f"{who} changed {_join([field_words(e.field) for e in fields])}, {at}"
        else:
            text = f"{who} {what} the article, {at}"
        details = "\n".join(
            f"{field_label(e.field)}: {one_line(e.field, e.old)} → {one_line(e.field, e.new)}"
            for e in fields if what != "create")
        lines.append(HistoryLine(text, details))
    lines.reverse()
    return lines


class HistoryDialog(QDialog):
    """The History of one article (needs the server: offline, it says so)."""

    def __init__(self, library: Library, runner: TaskRunner, article_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History — {title}")
        self.resize(560, 380)
        self.lines: list[HistoryLine] = []
        self.note = QLabel("Asking the team library…", self)
        self.note.setWordWrap(True)
        self.list = QListWidget(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        runner.start(library.sync.history, article_id, on_done=self._loaded,
                     on_error=self._failed)

    def _loaded(self, entries: list[HistoryEntry]) -> None:
        self.lines = history_lines(entries)
        self.list.clear()
        for line in self.lines:
            self.list.addItem(line.text)
            self.list.item(self.list.count() - 1).setToolTip(line.details)
        self.note.setText(f"{plural(len(self.lines), 'change')}, newest first."
                          if self.lines else "No change recorded on the server yet "
                          "(an article not yet sent has no history there).")

    def _failed(self, message: str) -> None:
        self.note.setText(f"The history needs the team library's server: {message}")


__all__ = ["HistoryDialog", "HistoryLine", "history_lines"]
