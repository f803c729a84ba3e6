"""The main window's imports: a pool of import dialogs, retrying what is pending, and what
the window shows while and after they run.

Several imports may run at once, each in its own non-modal :class:`ImportDialog`; a new
request reuses an idle dialog and opens another only while every open one is busy. Progress
and the network state go to the :class:`~spinelib.gui.statusbar.StatusBar`; when an import
ends, :attr:`ImportFlow.library_changed` asks the window to refresh its views.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from spinelib.gui import jobs
from spinelib.gui.importdialog import FILE_SUFFIXES, ImportDialog
from spinelib.gui.pendingdialog import PendingDialog
from spinelib.gui.statusbar import StatusBar
from spinelib.gui.tasks import TaskRunner
from spinelib.importer import ImportItem
from spinelib.library import Library
from spinelib.pdffind import find_summary
from spinelib.pdfidentify import summary as identified_summary
from spinelib.settings import Settings
from spinelib.text import plural


def importable_files(mime: QMimeData) -> list[Path]:
    """The local files in a drag whose suffix the import understands (none: refuse it)."""
    if not mime.hasUrls():
        return []
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [f for f in files if f.suffix.lower() in FILE_SUFFIXES]


class ImportFlow(QObject):
    """Opens import dialogs for one window and reports imports to its status bar."""

    #: An import or retry ended: the table, sidebar and detail pane should be refreshed.
    library_changed = Signal()
    #: The pending identifiers changed (forgotten in the pending dialog): recount them.
    pending_changed = Signal()
    #: A PubMed results page's address given to an import dialog (the window lists it).
    search_requested = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, status: StatusBar,
                 settings: Callable[[], Settings], tag_names: Callable[[], list[str]],
                 parent: QWidget) -> None:
        """``settings`` returns the window's current settings (Preferences may replace them);
        ``tag_names`` the tag labels a new dialog offers to put on what it imports."""
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.status = status
        self.settings = settings
        self.tag_names = tag_names
        self.window = parent
        #: Every import dialog opened so far, idle or busy (they are reused).
        self.dialogs: list[ImportDialog] = []
        #: The last pending-imports dialog opened.
        self.pending_dialog: PendingDialog | None = None

    # ------------------------------------------------------------ the dialogs
    def dialog(self) -> ImportDialog:
        """An idle import dialog (a new one when every open one is busy)."""
        for dialog in self.dialogs:
            if not dialog.running:
                return dialog
        dialog = ImportDialog(self.library, self.runner, self.settings(), self.tag_names(),
                              self.window)
        dialog.import_finished.connect(self._finished)
        dialog.import_failed.connect(lambda msg: self._ended(f"Import failed: {msg}"))
        dialog.progress_changed.connect(self._progress)
        dialog.search_requested.connect(self.search_requested)
        self.dialogs.append(dialog)
        return dialog

    def show_import(self) -> ImportDialog:
        """Show an idle import dialog, emptied if it holds a finished import's report."""
        dialog = self.dialog()
        if dialog.outcome is not None:
            dialog.reset()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def paste_clipboard(self) -> None:
        """The clipboard's text in the import dialog, previewed, waiting for *Import* (an
        unintended paste fetches nothing); added after what the dialog already holds."""
        text = QGuiApplication.clipboard().text().strip()
        if not text:
            self.status.show_message("The clipboard holds no text to import.")
            return
        dialog = self.show_import()
        held = dialog.text.toPlainText().rstrip("\n")
        dialog.text.setPlainText(f"{held}\n{text}\n" if held else f"{text}\n")
        dialog.update_preview()

    def import_inputs(self, inputs: Sequence[str], failed: Sequence[ImportItem] = ()) -> \
            ImportDialog:
        """Import these inputs now (dropped files, references), showing the dialog."""
        dialog = self.dialog()
        dialog.start(list(inputs), failed)
        if dialog.running:
            self.status.import_started()
        return dialog

    def use_settings(self, settings: Settings) -> None:
        """Preferences were saved: imports started from now on use ``settings``."""
        for dialog in self.dialogs:
            dialog.settings = settings

    def cancel_all(self) -> None:
        """Ask every running import to stop (the window is closing)."""
        for dialog in self.dialogs:
            dialog.cancel_import()

    # ------------------------------------------------------------ pending identifiers
    def retry_pending(self) -> None:
        """Retry everything queued while offline (spinelib.pendingretry), on the network
        worker."""
        self.status.show_message("Retrying pending imports…")
        self.status.import_started()
        self.runner.start(jobs.retry_pending, self.library, self.settings(), pool="net",
                          on_progress=self._progress, on_done=self._finished,
                          on_error=lambda msg: self._ended(f"Retry failed: {msg}"))

    def show_pending(self) -> PendingDialog:
        """The list of pending identifiers, with Retry and Forget."""
        dialog = PendingDialog(self.library, self.runner, self.window)

        def retry() -> None:
            self.retry_pending()
            dialog.close()

        dialog.retry_requested.connect(retry)
        dialog.changed.connect(self.pending_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pending_dialog = dialog
        dialog.show()
        return dialog

    # ------------------------------------------------------------ reports
    def _progress(self, done: int, total: int, what: str) -> None:
        self.status.import_progressed(done, total, what)

    def _finished(self, outcome: jobs.ImportOutcome) -> None:
        self.status.set_network(outcome.network)
        self._ended(import_message(outcome))

    def _ended(self, message: str) -> None:
        if not any(d.running for d in self.dialogs):
            self.status.imports_ended()
        self.status.show_message(message)
        self.status.show_network()
        self.library_changed.emit()


def import_message(outcome: jobs.ImportOutcome) -> str:
    """The status line after an import: 'Offline — 5 queued; …' first when anything was
    queued, or a kept PDF waits to be identified (the surgeon's question is "did it
    work?"), then the counts."""
    queued = outcome.report.counts().get("queued", 0)
    waiting = outcome.report.waiting
    if queued or waiting:
        rest = outcome.report.summary(offline_apart=True)
        others = f" Also: {rest}." if rest else ""
        return f"Offline — {_offline_text(queued, waiting)} once the network is back.{others}"
    note = outcome.report.look_alike_note()
    duplicates = f" {note} (Edit ▸ Duplicates…)." if note else ""  # note starts with a count
    if outcome.retried is not None:  # said as the retry it was: no "nothing to import"
        return _retry_message(outcome, duplicates)
    return f"Import: {outcome.report.summary()}.{duplicates}"


def _retry_message(outcome: jobs.ImportOutcome, duplicates: str) -> str:
    """"Retry pending imports: 3 imported. First-page searches: 1 identified." (the part
    before the searches is "still offline" when nothing could be asked)."""
    fetched = outcome.report.summary(offline_apart=True) or (
        "still offline" if outcome.network == "offline" else "")
    searched = _retried_text(outcome)
    if not (fetched or searched):
        return "Retry pending imports: nothing was waiting."
    return f"Retry pending imports{f': {fetched}' if fetched else ''}.{duplicates}{searched}"


def _offline_text(queued: int, waiting: int) -> str:
    """What waits, and what the retry does with it: "5 queued; they are fetched by …"."""
    retry = "File ▸ Retry pending imports"
    pdfs = f"{plural(waiting, 'PDF')} to identify"
    if not waiting:
        return f"{queued:,} queued; they are fetched by {retry}"
    if not queued:
        return f"{pdfs}; {retry} identifies {'it' if waiting == 1 else 'them'}"
    return f"{queued:,} queued and {pdfs}; {retry} fetches and identifies them"


def _retried_text(outcome: jobs.ImportOutcome) -> str:
    """What a retry of the queue did beside the fetches: the kept PDFs' first-page
    searches and the open-access look-ups ('' when it made none)."""
    retried = outcome.retried
    if retried is None:
        return ""
    parts = [f" First-page searches: {identified_summary(retried.identified)}."
             if retried.identified else "",
             f" {find_summary(retried.found)}" if retried.found else ""]
    return "".join(parts)


__all__ = ["ImportFlow", "import_message", "importable_files"]
