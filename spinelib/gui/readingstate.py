"""The reader's own state of the article on screen: read status, star rating and notes.

Each edit is written at once on the write worker through the Library (notes a moment after
typing stops, and at once when another article is shown). The detail pane then loads the
article again, so what is shown is what is stored — with one exception that matters: a load
that read the article *before* an edit may report *after* it. Its values are older than
what the user just chose, so while an edit of a field is unwritten (typed notes not yet
saved, or any write of that field still on the worker) a load of the same article leaves
that field as the user set it. The load that follows the write shows the stored value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.tasks import TaskRunner
from spinelib.gui.widgets import StarRating
from spinelib.library import Library

#: Quiet time (ms) after the last keystroke before notes are saved.
NOTES_DEBOUNCE_MS = 800
#: The read statuses in the order of the status box (the index is the stored value).
READ_STATUS_LABELS = ("Unread", "Reading", "Read")

Field = Literal["read_status", "rating", "notes"]


class ReadingStateBox(QWidget):
    """Status and rating on one row, the notes below; edits go to the shown article."""

    #: A read status or rating was written for this article (id, whether its table row and
    #: the sidebar counts changed: the read status shows there, the rating does not).
    written = Signal(int, bool)
    #: Notes were saved (article id); their text is only in the full-text index.
    notes_saved = Signal(int)
    #: A plain message for the status bar.
    message = Signal(str)
    #: The notes box changed height (the detail pane gives the rest to the abstract).
    fitted = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        #: The article whose state is shown (edits go to it), None before the first one.
        self.article_id: int | None = None
        #: The read status on screen (what the user chose last, or what was loaded).
        self.shown_read_status = 0
        #: Writes started and not yet reported back, per (article, field).
        self._in_flight: Counter[tuple[int, Field]] = Counter()
        self._loading_notes = False
        self._notes_dirty = False

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        state = QHBoxLayout()
        state.addWidget(QLabel("Status:", self))
        self.read_status = QComboBox(self)
        self.read_status.addItems(list(READ_STATUS_LABELS))
        self.read_status.setToolTip("Reading status (Ctrl+R marks read, Ctrl+U unread)")
        self.read_status.activated.connect(self._read_status_chosen)
        state.addWidget(self.read_status)
        state.addSpacing(12)
        state.addWidget(QLabel("Rating:", self))
        self.rating = StarRating(self)
        self.rating.rating_changed.connect(self._rating_chosen)
        state.addWidget(self.rating)
        state.addStretch(1)
        self.notes_state = QLabel(self)
        self.notes_state.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        state.addWidget(self.notes_state)
        box.addLayout(state)

        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText("Your notes on this article (saved automatically)…")
        self.notes.textChanged.connect(self._notes_edited)
        self.notes.textChanged.connect(self.fit_notes)
        self.notes.installEventFilter(self)
        box.addWidget(self.notes, 1)
        self.fit_notes()
        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_DEBOUNCE_MS)
        self._notes_timer.timeout.connect(self.save_notes)
        self.show_nothing()

    # ------------------------------------------------------------ the notes' height
    #: Lines the notes box shows: empty and unfocused, with text, and while typing.
    NOTES_LINES = (1, 5, 9)

    def fit_notes(self) -> None:
        """Size the notes box to its use: one line while empty (the abstract gets the room),
        up to five with text, nine while typing; longer notes scroll."""
        empty, some, typing = self.NOTES_LINES
        if self.notes.hasFocus():
            lines = typing
        elif not self.notes.toPlainText().strip():
            lines = empty
        else:
            lines = min(some, max(2, self.notes.document().lineCount()))
        height = self.notes.fontMetrics().lineSpacing() * lines + 14
        if self.notes.maximumHeight() != height:
            self.notes.setFixedHeight(height)
            self.fitted.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.notes and event.type() in (QEvent.Type.FocusIn,
                                                      QEvent.Type.FocusOut):
            self.fit_notes()
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ showing
    def show_state(self, article_id: int, read_status: int, rating: int, notes: str) -> None:
        """Show a freshly loaded article's state.

        Loaded again for the article already shown, a field with an unwritten edit keeps
        the user's value: the load may have read the article before that edit.
        """
        same_article = article_id == self.article_id
        self.article_id = article_id
        if not (same_article and self.edit_pending("read_status")):
            self.shown_read_status = max(0, min(len(READ_STATUS_LABELS) - 1, read_status))
            self.read_status.setCurrentIndex(self.shown_read_status)
        if not (same_article and self.edit_pending("rating")):
            self.rating.set_rating(rating)
        if not (same_article and self.edit_pending("notes")):
            self._set_notes(article_id, notes)

    def show_nothing(self) -> None:
        """No article: the notes are emptied and cannot be edited."""
        self.article_id = None
        self._set_notes(None, "")

    def edit_pending(self, field: Field) -> bool:
        """True while the user's edit of ``field`` of the shown article is not yet stored."""
        if self.article_id is None:
            return False
        return self._in_flight[self.article_id, field] > 0 or (field == "notes"
                                                                and self._notes_dirty)

    def _write_ended(self, article_id: int, field: Field) -> None:
        key = (article_id, field)
        self._in_flight[key] -= 1
        if self._in_flight[key] <= 0:
            del self._in_flight[key]  # no bookkeeping left behind per article visited

    # ------------------------------------------------------------ status and rating
    def _read_status_chosen(self, index: int) -> None:
        if self.article_id is not None and index != self.shown_read_status:
            self.shown_read_status = index
            self._write("read_status", self.library.articles.set_read_status,
                        [self.article_id], index, rows_changed=True)

    def _rating_chosen(self, stars: int) -> None:
        if self.article_id is not None:
            self._write("rating", self.library.articles.set_rating, self.article_id, stars,
                        rows_changed=False)

    def _write(self, field: Field, fn: Callable[..., Any], *args: Any, rows_changed: bool) -> None:
        article_id = self.article_id
        assert article_id is not None
        self._in_flight[article_id, field] += 1

        def done(_result: Any) -> None:
            self._write_ended(article_id, field)
            self.written.emit(article_id, rows_changed)

        def failed(message: str) -> None:
            self._write_ended(article_id, field)
            self.message.emit(message)

        self.runner.start(fn, *args, pool="write", on_done=done, on_error=failed)

    # ------------------------------------------------------------ notes
    def _set_notes(self, article_id: int | None, text: str) -> None:
        self._loading_notes = True
        try:
            self._notes_dirty = False
            if self.notes.toPlainText() != text:
                self.notes.setPlainText(text)
            self.notes.setEnabled(article_id is not None)
            self.notes_state.setText("")
        finally:
            self._loading_notes = False

    def _notes_edited(self) -> None:
        if self._loading_notes or self.article_id is None:
            return
        self._notes_dirty = True
        self.notes_state.setText("Editing…")
        self._notes_timer.start()

    def save_notes(self) -> None:
        """Write pending notes now (the timer, switching articles and closing call this)."""
        self._notes_timer.stop()
        if not self._notes_dirty or self.article_id is None:
            return
        self._notes_dirty = False
        article_id, text = self.article_id, self.notes.toPlainText()

        def saved(_r: Any) -> None:
            self._write_ended(article_id, "notes")
            if self.article_id == article_id and not self._notes_dirty:
                self.notes_state.setText("Notes saved")
            self.notes_saved.emit(article_id)

        def failed(message: str) -> None:
            self._write_ended(article_id, "notes")
            self.notes_state.setText("Notes NOT saved")
            self.message.emit(f"Notes could not be saved: {message}")

        self._in_flight[article_id, "notes"] += 1
        self.runner.start(self.library.articles.set_notes, article_id, text, pool="write",
                          on_done=saved, on_error=failed)


__all__ = ["NOTES_DEBOUNCE_MS", "READ_STATUS_LABELS", "ReadingStateBox"]
