"""File ▸ New article…: an article typed in field by field, for what no DOI or PMID fetches
(a society's guideline, a conference abstract, a thesis, a web page).

The fields are those of ``spinelib add`` (the Edit dialog's, with the type picked from the
types SpineLib knows); the values are checked here before Save (no database needed) and
stored on a write worker by :meth:`ByHandManager.add
<spinelib.library.byhand.ByHandManager.add>`. A refusal (a year that is not one, an
identifier another article holds, the same entry already in the library) is shown in the
dialog, which stays open with the user's text; nothing is written until it is accepted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from spinelib.curation_results import EDITABLE_FIELDS
from spinelib.errors import SpineLibError
from spinelib.gui.editdialog import (
    KEY_TIP,
    article_form,
    field_text,
    refusal_and_buttons,
    scrolled,
)
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.typebox import TypeBox
from spinelib.library import Library
from spinelib.results import AddResult

#: The form's rows: the type first (it decides which of the others matter), then what a
#: journal article, a guideline or an abstract needs, most used first (the citation key
#: beside the identifiers: made from the first author, year and title when left empty),
#: then a book's.
ORDER = ("type", "title", "authors", "year", "month", "journal", "journal_abbrev", "volume",
         "issue", "pages", "doi", "pmid", "pmcid", "citekey", "url", "accessed", "pubstate",
         "book_title", "editors", "edition", "isbn", "publisher", "place", "institution",
         "degree", "report_number", "abstract", "language")


class NewArticleDialog(QDialog):
    """Type in one article; ``added`` carries its id once it is stored."""

    added = Signal(int)

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.setWindowTitle("New article")
        #: The article stored: its key, and what the library said of it (a look-alike).
        self.stored: AddResult | None = None
        form, self.fields = article_form(ORDER)
        self.type_box: TypeBox = self.fields["type"]
        self.fields["title"].setPlaceholderText("required")
        self.fields["authors"].setPlaceholderText(
            "Family, Given; Family, Given — a society or group without a comma")
        self.fields["citekey"].setPlaceholderText("made from the first author, year and title")
        self.fields["citekey"].setToolTip(KEY_TIP)
        self.fields["abstract"].setMaximumHeight(120)
        self.error, self.buttons, self.save_button = refusal_and_buttons(self, self.save)
        # A refusal said of the type chosen (a degree for a journal article) is stale once
        # another is chosen; Save says it again if it still holds.
        self.type_box.textChanged.connect(lambda _t: self.error.setText(""))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("For what no DOI or PMID fetches (File ▸ Import fetches "
                                "the rest): every value you type is kept as yours."))
        layout.addWidget(scrolled(form))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 680)
        self.fields["title"].setFocus()

    def values(self) -> tuple[dict[str, str], str]:
        """The fields typed (empty ones left out; the type is always chosen), and the
        author list."""
        values = {f: field_text(self.fields[f]) for f in EDITABLE_FIELDS
                  if field_text(self.fields[f]).strip()}
        return values, field_text(self.fields["authors"])

    def key(self) -> str:
        """The citation key typed ('' for one made from the article)."""
        return field_text(self.fields["citekey"]).strip()

    def save(self) -> None:
        """Check here (no database needed), then store on a worker."""
        values, authors = self.values()
        try:
            self.library.by_hand.check(values, authors, self.key())
        except SpineLibError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.save_button.setEnabled(False)

        def done(result: AddResult) -> None:
            self.stored = result  # its key and notes (a look-alike), for the status bar
            self.added.emit(result.article_id)
            self.accept()

        self.runner.start(self.library.by_hand.add, values, authors, citekey=self.key(),
                          pool="write", on_done=done, on_error=self._failed)

    def _failed(self, text: str) -> None:
        self.error.setText(text)
        self.save_button.setEnabled(True)


def open_new_article(window: Any) -> NewArticleDialog:
    """File ▸ New article…: the dialog over ``window`` (the main window); the article
    added is shown and selected (the view widened to the whole library when a search or
    filter would hide it), and Edit ▸ Undo names its addition."""
    dialog = NewArticleDialog(window.library, window.runner, window)

    def added(article_id: int) -> None:
        window.queries.go_to_article(article_id)
        window.sidebar.reload()
        window.undo.update()
        if dialog.stored is not None:
            window.status.show_message("; ".join([f"Added {dialog.stored.citekey}",
                                                  *dialog.stored.messages]))

    dialog.added.connect(added)
    dialog.show()
    return dialog
