"""Article ▸ Edit article…: correct an article's fields and its citation key, validated
before Save.

The fields are those of ``spinelib edit`` (:data:`~spinelib.curation_results.EDITABLE_FIELDS`
and the author list), and the key (``spinelib rekey``: the old key stays an alias). Only
the fields the user changed are sent, so only they become
"edited by you"; the article is read and saved on the worker threads. An invalid value (or a
DOI/PMID another article holds, named) is shown in the dialog, which stays open with the
user's text; nothing is written until every value is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from spinelib.citekeys import key_form_problem
from spinelib.curation_results import EDITABLE_FIELDS
from spinelib.errors import SpineLibError
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.typebox import TypeBox
from spinelib.library import Library
from spinelib.library.edits import authors_text
from spinelib.pubstate import status_text
from spinelib.records import ArticleRecord
from spinelib.thesisdegree import EXAMPLES

LABELS = {"journal_abbrev": "Journal abbreviation", "book_title": "Book (a chapter's)",
          "place": "Place published", "institution": "Institution",
          "report_number": "Report number", "doi": "DOI", "pmid": "PMID", "pmcid": "PMCID",
          "url": "URL", "citekey": "Citation key", "pubstate": "Publication state",
          "accessed": "Accessed", "editors": "Editors (the book's)",
          "edition": "Edition (the book's)", "isbn": "ISBN (the book's)",
          "degree": "Degree (a thesis's)"}
#: Hints in empty fields, where the form alone would not say what to type.
PLACEHOLDERS = {"authors": "Family, Given; Family, Given",
                "editors": "a chapter's book editors: Family, Given; Family, Given",
                "edition": "4 for the 4th edition (empty for a first)",
                "pubstate": "in press, submitted… (empty once published)",
                "accessed": "when you read the web page: 2026-12-05",
                "institution": "a thesis's school, a report's issuer",
                "degree": EXAMPLES}
#: The form's rows: the citation key (how LaTeX and pandoc cite the article; its old value
#: stays an alias), the title, the authors, then the rest as ``spinelib edit`` lists them.
ORDER = ("citekey", *EDITABLE_FIELDS[:1], "authors", *EDITABLE_FIELDS[1:])
KEY_TIP = "How LaTeX and pandoc cite it; the old key still finds the article after a change"


def record_to_edit(library: Library, article_id: int) -> tuple[ArticleRecord, str]:
    """The stored record, and the abbreviation citing borrows for its journal when it has
    none of its own (:meth:`~spinelib.library.articles.ArticlesManager.as_cited`; ""
    otherwise). Runs on a worker."""
    rec = library.articles.record(article_id)
    if rec.journal_abbrev:
        return rec, ""
    return rec, library.articles.as_cited([rec])[0].journal_abbrev


def show_borrowed(field: QLineEdit, borrowed: str) -> None:
    """Say in an empty Journal abbreviation field what citations print there instead: the
    abbreviation borrowed from the library (a placeholder: saving stores nothing)."""
    field.setPlaceholderText(f"{borrowed}  (the library's; cited while this is empty)"
                             if borrowed else "")
    field.setToolTip(f"Citations print “{borrowed}”, the abbreviation other articles of this "
                     "journal carry in the library, while this field is empty; type one to "
                     "cite your own" if borrowed else "")


def current_values(rec: ArticleRecord) -> dict[str, str]:
    """The record's editable fields and its key as the form shows them (empty for none)."""
    values = {f: "" if getattr(rec, f) is None else str(getattr(rec, f))
              for f in EDITABLE_FIELDS}
    values["pubstate"] = status_text(rec.pubstate)  # "in press", as it is typed
    values["authors"] = authors_text(rec.authors)
    values["editors"] = authors_text(rec.editors)
    values["citekey"] = rec.citekey
    return values


def changed_key(fields: dict[str, Any], loaded: dict[str, str]) -> str | None:
    """The new citation key typed, or None when it is unchanged."""
    key = field_text(fields["citekey"]).strip()
    return None if key == loaded["citekey"] else key


def field_widget(name: str) -> Any:
    """The widget of one article field in every form that edits one: the type a list, the
    abstract a text box, the rest a line."""
    return (TypeBox() if name == "type" else
            QPlainTextEdit() if name == "abstract" else QLineEdit())


def article_form(order: Sequence[str]) -> tuple[QFormLayout, dict[str, Any]]:
    """The rows of an article form (the Edit and New article dialogs): a field per name of
    ``order``, labelled, the type a list, the abstract a text box, hints in empty ones."""
    form = QFormLayout()
    fields: dict[str, Any] = {}
    for f in order:
        widget = field_widget(f)
        fields[f] = widget
        form.addRow(LABELS.get(f, f.replace("_", " ").capitalize()), widget)
    for f, hint in PLACEHOLDERS.items():
        if f in fields:
            fields[f].setPlaceholderText(hint)
    return form, fields


def scrolled(form: QFormLayout) -> QScrollArea:
    """The form in a scroll area: its 27 rows are taller than a laptop's screen."""
    body = QWidget()
    body.setLayout(form)
    scroll = QScrollArea()
    scroll.setWidget(body)
    scroll.setWidgetResizable(True)
    return scroll


def refusal_and_buttons(dialog: QDialog, save: Callable[[], None]
                        ) -> tuple[QLabel, QDialogButtonBox, QPushButton]:
    """The red line a refusal is said in, and Save and Cancel (Save calls ``save``,
    Cancel rejects ``dialog``), with the Save button itself."""
    error = QLabel("")
    error.setWordWrap(True)
    error.setStyleSheet("color: #b00020")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return error, buttons, buttons.button(QDialogButtonBox.StandardButton.Save)


def field_text(widget: Any) -> str:
    """What a field widget holds (a line edit or a plain-text box)."""
    return str(widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text())


def changed_fields(fields: dict[str, Any], loaded: dict[str, str]
                   ) -> tuple[dict[str, str], str | None]:
    """The fields whose text differs from ``loaded``, and the author list if it changed
    (shared by the Edit dialog and the detail pane's Edit mode)."""
    values = {f: field_text(fields[f]) for f in EDITABLE_FIELDS
              if field_text(fields[f]) != loaded[f]}
    authors = field_text(fields["authors"])
    return values, (authors if authors != loaded["authors"] else None)


class EditDialog(QDialog):
    """Edit one article; ``saved`` carries its id once the change is stored."""

    saved = Signal(int)

    def __init__(self, library: Library, runner: TaskRunner, article_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.article_id = article_id
        self.setWindowTitle("Edit article")
        self.loaded: dict[str, str] | None = None
        form, self.fields = article_form(ORDER)
        for widget in self.fields.values():
            widget.setEnabled(False)  # until the article is read
        self.fields["citekey"].setToolTip(KEY_TIP)
        self.error, self.buttons, self.save_button = refusal_and_buttons(self, self.save)
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(form))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 680)
        runner.start(record_to_edit, library, article_id, on_done=self._loaded,
                     on_error=self._failed)

    def _loaded(self, loaded: tuple[ArticleRecord, str]) -> None:
        rec, borrowed = loaded
        show_borrowed(self.fields["journal_abbrev"], borrowed)
        self.loaded = current_values(rec)
        for f, value in self.loaded.items():
            widget = self.fields[f]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
                widget.setCursorPosition(0)  # a long title reads from its start
            widget.setEnabled(True)
        self.save_button.setEnabled(True)

    def _failed(self, text: str) -> None:
        self.error.setText(text)
        self.save_button.setEnabled(self.loaded is not None)

    def text_of(self, f: str) -> str:
        return field_text(self.fields[f])

    def changes(self) -> tuple[dict[str, str], str | None]:
        """The fields the user changed, and the author list if it changed."""
        assert self.loaded is not None
        return changed_fields(self.fields, self.loaded)

    def save(self) -> None:
        """Validate here (no database needed), then store on a worker."""
        if self.loaded is None:
            return
        values, authors = self.changes()
        new_key = changed_key(self.fields, self.loaded)
        if not values and authors is None and new_key is None:
            self.accept()
            return
        try:
            self.library.edits.validate(values, authors)
        except SpineLibError as exc:
            self.error.setText(str(exc))
            return
        problem = key_form_problem(new_key) if new_key is not None else ""
        if problem:
            self.error.setText(problem)
            return
        self.error.setText("")
        self.save_button.setEnabled(False)

        def done(_changed: list[str]) -> None:
            self.saved.emit(self.article_id)
            self.accept()

        self.runner.start(self.library.edits.edit, self.article_id, values, authors,
                          citekey=new_key, pool="write", on_done=done, on_error=self._failed)
