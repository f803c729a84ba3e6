"""The References tab's *Paste list…*: an article's reference list set from the list copied
from the paper (its PDF, its journal page), or read from its attached PDF's References
section, for a paper PubMed and Crossref hold no list for.

The text is read on a worker as the user types or pastes it (:func:`~spinelib.
referencelist.read_reference_list`: no database) and the dialog says what Save would store: how
many references, how many with a DOI or PMID, which lines read as none. The full text is
read on a worker, and the list stored on the write worker by
:meth:`ReferenceListsManager.replace <spinelib.library.reflists.ReferenceListsManager.
replace>` (one undo step). A refusal keeps the dialog open with the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.editdialog import refusal_and_buttons
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.referencelist import ReadReferences
from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow

#: How long typing pauses before the text is read again (ms).
READ_DELAY_MS = 250


class ReferenceListDialog(QDialog):
    """Set one article's reference list; ``saved`` carries what was stored."""

    saved = Signal(object)  # ReadReferences

    def __init__(self, library: Library, runner: TaskRunner, article_id: int, key: str,
                 held: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.runner, self.article_id = library, runner, article_id
        #: How many references the article holds now (Save replaces them).
        self.held = held
        self.setWindowTitle(f"Reference list of {key}")
        intro = QLabel("Paste the reference list copied from the paper (its PDF or journal "
                       "page): each reference becomes an entry, with the DOI or PMID written "
                       "in it; Find identifiers looks up the rest.")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(
            "1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical "
            "resection… Lancet. 2005;366(9486):643-648. doi:10.1016/S0140-6736(05)66954-1\n"
            "2. …")
        self.from_fulltext = QPushButton("Read from its PDF", self)
        self.from_fulltext.setEnabled(False)  # until its stored text is found to hold a list
        self.from_fulltext.clicked.connect(self.read_fulltext)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error, self.buttons, self.save_button = refusal_and_buttons(self, self.save)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(READ_DELAY_MS)
        self._timer.timeout.connect(self.update_summary)
        self.text.textChanged.connect(self._timer.start)
        row = QHBoxLayout()
        row.addWidget(self.from_fulltext)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 560)
        self.update_summary()
        self.runner.start(self.library.reference_lists.from_fulltext, article_id,
                          on_done=self._offer_fulltext, on_error=self._offer_fulltext)

    def _offer_fulltext(self, found: str) -> None:
        """Offer *Read from its PDF* only when the stored full text holds a list (``found``:
        that list, or a worker's error, which offers it as well: pressing says why)."""
        self.from_fulltext.setEnabled(bool(found))
        self.from_fulltext.setToolTip(
            "Fill the box with what follows the References heading of the attached PDF (or "
            "the open-access text's references), to check before saving" if found else
            "No attached PDF or open-access text with a References heading: attach the PDF "
            "(drop it on the article), then open this again")

    def update_summary(self) -> None:
        """Read the text on a worker (a whole paper pasted takes a second) and say, once
        read, what Save would store; Save waits for it."""
        self._timer.stop()
        text = self.text.toPlainText()
        self.save_button.setEnabled(False)
        if not text.strip():
            self._show(ReadReferences(), text)
            return
        self.runner.start(self.library.reference_lists.read, text,
                          on_done=lambda read: self._show(read, text))

    def _show(self, read: ReadReferences, text: str) -> None:
        """Say what reading ``text`` found; Save only when there is a reference to store."""
        if text != self.text.toPlainText():
            return  # typed on since: the next reading says
        self.save_button.setEnabled(bool(read.entries))
        if not read.entries:
            self.summary.setText("No reference read yet." if not text.strip()
                                 else "No reference read: a reference is a citation with its "
                                 "authors and year, or a DOI or PMID.")
            return
        parts = [f"{plural(len(read.entries), 'reference')}, {read.identified} with a DOI, "
                 "PMID or PMCID"]
        if read.skipped:
            shown = ", ".join(f"“{line[:40]}”" for line in read.skipped[:3])
            more = f" and {len(read.skipped) - 3} more" if len(read.skipped) > 3 else ""
            parts.append(f"{plural(len(read.skipped), 'line')} read as none: {shown}{more}")
        if self.held:
            parts.append(f"Save replaces its {plural(self.held, 'reference')} (Edit ▸ Undo "
                         "brings them back)")
        self.summary.setText(". ".join(parts) + ".")

    def read_fulltext(self) -> None:
        """Fill the box from the stored full text (read on a worker)."""
        self.from_fulltext.setEnabled(False)

        def done(text: str) -> None:
            self.from_fulltext.setEnabled(True)
            if not text:
                self.error.setText("No reference list found in its stored full text: no "
                                   "attached PDF with a References heading, no open-access "
                                   "text. Paste the list from the paper instead.")
                return
            self.error.setText("")
            self.text.setPlainText(text)
            self.update_summary()

        self.runner.start(self.library.reference_lists.from_fulltext, self.article_id,
                          on_done=done, on_error=self._failed)

    def save(self) -> None:
        """Store on the write worker; the dialog closes once stored."""
        self.error.setText("")
        self.save_button.setEnabled(False)

        def done(read: ReadReferences) -> None:
            self.saved.emit(read)
            self.accept()

        self.runner.start(self.library.reference_lists.replace, self.article_id,
                          self.text.toPlainText(), pool="write", on_done=done,
                          on_error=self._failed)

    def _failed(self, text: str) -> None:
        self.error.setText(text)
        self.from_fulltext.setEnabled(True)
        self.save_button.setEnabled(True)


def open_reference_list(window: MainWindow) -> ReferenceListDialog | None:
    """*Paste list…* for the article the detail pane shows; once saved, the pane shows the
    new list, Edit ▸ Undo names it, and the status bar says what was stored."""
    data = window.detail.data
    if data is None:
        return None
    article_id, key = data.article_id, data.record.citekey
    dialog = ReferenceListDialog(window.library, window.runner, article_id, key,
                                 window.detail.references.count, window)

    def saved(read: ReadReferences) -> None:
        if window.detail.shown_id == article_id:
            window.detail.reload()
        window.undo.update()
        window.status.show_message(
            f"Stored {plural(len(read.entries), 'reference')} for {key}, {read.identified} "
            "with a DOI, PMID or PMCID")

    dialog.saved.connect(saved)
    dialog.show()
    return dialog
