"""Edit mode of the detail pane: an article's fields editable in place, checked as typed,
with Save and Cancel (issue 15, item 1; Article ▸ Edit article… opens the same fields in a
dialog).

The "Edit fields" button under the Details tab (or :meth:`EditPane.start`) turns the pane
into a form of the fields of ``spinelib edit``. Each field is validated as the user types
(the core's own rules, no database needed) and its problem is shown right under it; Save is
enabled only while every field is valid. Only changed fields are sent, so only they become
"edited by you"; a DOI or PMID that another article holds is refused by the core on save,
and the message is shown under that field (the form stays, with the user's text).

While the form is open it keeps its article even if another one is selected in the table
(the header names the article being edited): typed text is never thrown away by a click.
Reading and saving run on the worker threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from spinelib.citekeys import key_form_problem
from spinelib.errors import SpineLibError
from spinelib.gui.editdialog import (
    KEY_TIP,
    LABELS,
    ORDER,
    PLACEHOLDERS,
    changed_fields,
    changed_key,
    current_values,
    field_text,
    field_widget,
    record_to_edit,
    show_borrowed,
)
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.records import ArticleRecord

if TYPE_CHECKING:
    from spinelib.gui.detail import DetailPane

ERROR_STYLE = "color: #b00020"


class EditPane(QWidget):
    """The form; ``saved(article id)`` once stored, ``closed`` on Save or Cancel."""

    saved = Signal(int)
    closed = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.article_id: int | None = None
        self.loaded: dict[str, str] | None = None
        self.fields: dict[str, Any] = {}
        self.errors: dict[str, QLabel] = {}
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        for f in ORDER:
            widget = field_widget(f)
            widget.textChanged.connect(lambda *_a, f=f: self._check(f))
            error = QLabel("")
            error.setWordWrap(True)
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(1)
            column.addWidget(widget)
            column.addWidget(error)
            self.fields[f], self.errors[f] = widget, error
            form.addRow(LABELS.get(f, f.replace("_", " ").capitalize()), column)
        for f, hint in PLACEHOLDERS.items():
            self.fields[f].setPlaceholderText(hint)
        self.fields["citekey"].setToolTip(KEY_TIP)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------ opening
    def start(self, article_id: int) -> None:
        """Load the article's fields into the form (disabled until they arrive)."""
        self.article_id = article_id
        self.loaded = None
        self.message.setText("")
        self.heading.setText("Loading…")
        for f in ORDER:
            self.fields[f].setEnabled(False)
            self._show_error(f, "")
        self.save_button.setEnabled(False)
        self.runner.start(record_to_edit, self.library, article_id,
                          on_done=lambda loaded: self._loaded(article_id, *loaded),
                          on_error=self.message.setText)

    def _loaded(self, article_id: int, rec: ArticleRecord, borrowed: str) -> None:
        if article_id != self.article_id:
            return
        show_borrowed(self.fields["journal_abbrev"], borrowed)
        values = current_values(rec)
        for f, value in values.items():
            widget = self.fields[f]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
                widget.setCursorPosition(0)  # a long title reads from its start
            widget.setEnabled(True)
        self.loaded = values
        self.heading.setText(f"<b>Editing {rec.citekey}</b> — fields you change are "
                             "remembered as yours (a refresh never overwrites them)")
        self._update_save()

    # ------------------------------------------------------------ checking
    def text_of(self, f: str) -> str:
        return field_text(self.fields[f])

    def changes(self) -> tuple[dict[str, str], str | None]:
        """The fields the user changed, and the author list if it changed."""
        assert self.loaded is not None
        return changed_fields(self.fields, self.loaded)

    def problem(self, f: str) -> str:
        """Why the field's text is refused ('' when it is valid or unchanged)."""
        if self.loaded is None or self.text_of(f) == self.loaded[f]:
            return ""
        if f == "citekey":
            return key_form_problem(self.text_of(f).strip())
        try:
            if f == "authors":
                self.library.edits.validate({}, self.text_of(f))
            elif f == "degree":  # a thesis's only: checked with the type chosen
                self.library.edits.validate({f: self.text_of(f), "type": self.text_of("type")})
            else:
                self.library.edits.validate({f: self.text_of(f)})
        except SpineLibError as exc:
            return str(exc)
        return ""

    def _check(self, f: str) -> None:
        if self.loaded is not None:
            self._show_error(f, self.problem(f))
            if f == "type":  # a degree typed is a thesis's: fine again, or refused now
                self._show_error("degree", self.problem("degree"))
            self.message.setText("")
            self._update_save()

    def _show_error(self, f: str, text: str) -> None:
        label = self.errors[f]
        label.setText(text)
        label.setVisible(bool(text))
        # A wrapped label in a form row keeps the height of its first layout: asked for the
        # height its text needs at the field's width, a three-line refusal is not cut.
        width = self.fields[f].width()
        label.setMinimumHeight(label.heightForWidth(width) if text and width > 0 else 0)

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.loaded is not None
                                    and not any(self.errors[f].text() for f in ORDER))

    # ------------------------------------------------------------ saving
    def save(self) -> None:
        """Store the changed fields (nothing changed: just close)."""
        if self.loaded is None or self.article_id is None:
            return
        problems = {f: p for f in ORDER if (p := self.problem(f))}
        for f in ORDER:
            self._show_error(f, problems.get(f, ""))
        if problems:
            self._update_save()
            return
        values, authors = self.changes()
        assert self.loaded is not None
        new_key = changed_key(self.fields, self.loaded)
        if not values and authors is None and new_key is None:
            self.closed.emit()
            return
        self.save_button.setEnabled(False)
        article_id = self.article_id

        def done(_changed: list[str]) -> None:
            self.loaded = None
            self.saved.emit(article_id)
            self.closed.emit()

        self.runner.start(self.library.edits.edit, article_id, values, authors,
                          citekey=new_key, pool="write", on_done=done, on_error=self._refused)

    def _refused(self, text: str) -> None:
        """The core refused the save (an identifier held elsewhere, the article deleted):
        say so under the field it names, or below the form; the user's text stays."""
        field: str | None = next((f for f in ("doi", "pmid", "pmcid")
                                  if f in self.changes()[0] and f.upper() in text), None)
        if field is None and text.startswith("citation key"):
            field = "citekey"  # another article has it
        elif field is None and text.partition(":")[0] in self.fields:
            field = text.partition(":")[0]  # "degree: only a thesis has a degree…"
        if field is not None:
            self._show_error(field, text)
        else:
            self.message.setText(text)
        self._update_save()

    def cancel(self) -> None:
        """Leave edit mode; nothing is written."""
        self.loaded = None
        self.closed.emit()


def install(detail: DetailPane) -> EditPane:
    """Give the detail pane its Edit mode: the form in its stack and an "Edit fields"
    button under the Details tab. Returns the form."""
    pane = EditPane(detail.library, detail.runner, detail)
    detail.stack.addWidget(pane)
    button = QPushButton("✎ Edit fields", detail.bottom)
    button.setToolTip("Correct this article's fields here (Save or Cancel when done)")
    button.clicked.connect(lambda: open_editor(detail, pane))
    layout = detail.bottom.layout()
    if isinstance(layout, QVBoxLayout):
        row = QHBoxLayout()  # a modest button at the left, under the notes
        row.addWidget(button)
        row.addStretch(1)
        layout.insertLayout(layout.count() - 1, row)
    detail.edit_button = button

    def closed() -> None:
        detail.stack.setCurrentWidget(detail.tabs if detail.data is not None
                                      else detail.placeholder)
        detail.reload()

    pane.closed.connect(closed)
    pane.saved.connect(lambda a: detail.articles_changed.emit([a]))
    return pane


def open_editor(detail: DetailPane, pane: EditPane) -> None:
    """Edit the article the pane shows."""
    if detail.article_id is None:
        return
    pane.start(detail.article_id)
    detail.stack.setCurrentWidget(pane)
