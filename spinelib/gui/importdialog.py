"""The import dialog: paste identifiers or add files, preview, import in the background.

The preview shows what every line was recognised as *before* anything is fetched
(:mod:`spinelib.gui.importpreview`). Importing runs the pipeline ``spinelib import`` runs
(:func:`spinelib.pdfimport.run_import`, via :func:`spinelib.gui.jobs.run_import`) on the
network worker with a progress bar and Cancel,
and ends with a per-identifier report. The dialog is not modal: the library stays usable.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.formats.registry import IMPORT_SUFFIXES
from spinelib.gui import jobs
from spinelib.gui.importpreview import (
    FILE_FILTER,
    PASTED_INPUT,
    PreviewRow,
    preview_rows,
    preview_summary,
    report_summary,
    result_cell,
)
from spinelib.gui.previewlookups import PreviewLookups, note
from spinelib.gui.tasks import Task, TaskRunner
from spinelib.importer import ImportItem, ImportReport
from spinelib.library import Library
from spinelib.libraryimport import LIBRARY_SUFFIX
from spinelib.pasted import keep, recognise
from spinelib.results import ReadingListInfo
from spinelib.settings import Settings

#: Quiet time (ms) after typing before the preview is recomputed.
PREVIEW_DEBOUNCE_MS = 250
#: Preview rows shown at most (the import itself takes every line).
PREVIEW_LIMIT = 2000
#: Suffixes of files the import understands: the format registry's, and another library's
#: (merged into this one: spinelib.libraryimport). The main window's drop filter.
FILE_SUFFIXES = (*IMPORT_SUFFIXES, LIBRARY_SUFFIX)


class ImportDialog(QDialog):
    """Paste, preview, import with progress and Cancel, then a per-item report."""

    #: The import ended (an :class:`~spinelib.gui.jobs.ImportOutcome`).
    import_finished = Signal(object)
    #: The import could not run at all (a plain message).
    import_failed = Signal(str)
    #: Progress for the main window's status bar: done, total, what.
    progress_changed = Signal(int, int, str)
    #: A PubMed results page's address given: its results are listed to choose from.
    search_requested = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, settings: Settings,
                 tag_names: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.settings = settings
        self.task: Task | None = None
        self.outcome: jobs.ImportOutcome | None = None
        self.rows: list[PreviewRow] = []
        self._extra: list[ImportItem] = []
        #: Where pasted references are kept as a file while they are imported.
        self._pasted_dir: Path | None = None
        #: Returns the files the user picked; replaced in tests.
        self.choose_files: Callable[[], list[str]] = self._choose_files
        self.setWindowTitle("Import articles")
        self.setModal(False)
        self.resize(760, 560)
        self._build(tag_names)
        #: What the library holds of the preview's rows, looked up on workers.
        self.lookups = PreviewLookups(library, runner, self.tree, on_held=self._summarise,
                                      active=lambda: not self.running)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.text.textChanged.connect(lambda: self._preview_timer.start())
        self.update_preview()

    def _build(self, tag_names: Sequence[str]) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel("Paste DOIs, PMIDs, PMCIDs, a textbook's ISBN, links (PubMed, doi.org, "
                       "a journal's, ScienceDirect's, StatPearls') or a reference list, one per "
                       "line or in any text, or BibTeX or RIS entries as a journal's “Cite” "
                       "button gives them. Or add files: .bib, .ris, .nbib, PubMed .xml, CSL "
                       ".json, Zotero .rdf, PDFs (or a folder of them), a Word reference list "
                       "or a text list of DOIs or PMIDs, or another SpineLib library.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("10.1016/S0140-6736(05)66954-1\nPMID: 16112300\n"
                                     "https://pubmed.ncbi.nlm.nih.gov/…")
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text, 2)

        files_row = QHBoxLayout()
        self.files_button = QPushButton("Add files…", self)
        self.files_button.setAutoDefault(False)
        self.files_button.clicked.connect(self.choose_and_add_files)
        files_row.addWidget(self.files_button)
        files_row.addStretch(1)
        files_row.addWidget(QLabel("Tag with:", self))
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("optional: a, b")
        self.tags.setToolTip("Tags given to every imported article, separated by commas")
        completer = QCompleter(list(tag_names), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tags.setCompleter(completer)
        files_row.addWidget(self.tags, 3)
        files_row.addWidget(QLabel("Add to list:", self))
        self.list_box = QComboBox(self)
        self.list_box.setToolTip("A reading list every imported article joins (one queued "
                                 "offline joins it when fetched)")
        self.list_box.setMinimumContentsLength(12)
        self.list_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        files_row.addWidget(self.list_box, 2)
        self.with_refs = QCheckBox("Fetch reference lists", self)
        self.with_refs.setChecked(True)
        self.with_refs.setToolTip("Also fetch each article's reference list (slower; needed "
                                  "for the References tab)")
        files_row.addWidget(self.with_refs)
        layout.addLayout(files_row)

        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Input", "Recognised as", "Result"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 250)
        header.resizeSection(1, 220)
        layout.addWidget(self.tree, 3)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.hide()
        layout.addWidget(self.progress)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton("Import", self)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("Cancel import", self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.cancel_button.hide()
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    # ------------------------------------------------------------ preview
    @property
    def running(self) -> bool:
        return self.task is not None

    def inputs(self) -> list[str]:
        return [r.input for r in self.rows if r.input is not None]

    def update_preview(self) -> None:
        """Recognise the pasted lines now (the timer calls this as the user types)."""
        self._preview_timer.stop()
        if self.running:
            return
        self.outcome = None
        self.rows = preview_rows(self.text.toPlainText())
        self.tree.clear()
        self.tree.setHeaderLabels(["Input", "Recognised as", "Result"])
        items = []
        for row in self.rows[:PREVIEW_LIMIT]:
            item = QTreeWidgetItem([row.given, row.recognised, ""])
            item.setToolTip(0, row.given)
            item.setToolTip(1, row.recognised)  # a citation or a journal's address is cut
            if row.input is None:  # a results address is not skipped: its search opens
                note(item, "its results listed" if row.pubmed_search else "will be skipped")
            elif row.looked_up:
                note(item, row.looked_up)
            items.append(item)
        self.tree.addTopLevelItems(items)
        self._summarise()
        self.lookups.start(self.rows[:PREVIEW_LIMIT])

    def _summarise(self, held: int = 0) -> None:
        self.summary.setText(preview_summary(self.rows, PREVIEW_LIMIT, held))
        self.import_button.setEnabled(bool(self.inputs() or self._searches()))

    def reset(self) -> None:
        """Empty the dialog for a new import (not while one runs)."""
        if not self.running:
            self.text.clear()
            self._extra = []
            self.update_preview()

    def _choose_files(self) -> list[str]:
        names, _filter = QFileDialog.getOpenFileNames(self, "Add reference files or PDFs",
                                                      "", FILE_FILTER)
        return list(names)

    def choose_and_add_files(self) -> None:
        """Ask for files (the chooser) and list them for import."""
        self.add_paths([Path(p) for p in self.choose_files()])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Append file paths as lines (the preview shows them as files)."""
        if not paths:
            return
        current = self.text.toPlainText().rstrip("\n")
        lines = [current] if current else []
        lines += [str(p) for p in paths]
        self.text.setPlainText("\n".join(lines) + "\n")
        self.update_preview()

    # ------------------------------------------------------------ importing
    def start(self, inputs: Sequence[str], failed: Sequence[ImportItem] = ()) -> None:
        """Fill the dialog with ``inputs`` and import them at once (drops, references);
        ``failed`` items (say, references without an identifier) join the final report."""
        self.text.setPlainText("\n".join(inputs) + "\n")
        self.update_preview()
        self._extra = list(failed)
        self.show()
        self.raise_()
        if self.inputs():
            self.start_import()
        else:
            self._show_report(ImportReport(items=list(self._extra)))

    def start_import(self) -> None:
        if self.running:
            return
        self.update_preview()
        searches = self._searches()
        for address in searches:
            self.search_requested.emit(address)
        inputs = self.inputs()
        if not inputs:
            if searches:  # all it held now has its own dialog
                self.reset()
                self.hide()
            return
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        chosen = self.list_box.currentData()
        # Lines nothing was recognised in belong in the report too, with the reason.
        self._extra = [ImportItem(r.given, "failed", f"not recognised: {r.recognised}")
                       for r in self.rows if r.input is None and not r.pubmed_search
                       ] + self._extra
        if PASTED_INPUT in inputs:
            inputs = [self._keep_pasted() if i == PASTED_INPUT else i for i in inputs]
        self._set_running(True)
        self.lookups.forget()  # the preview's late answers must not write over the results
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.summary.setText(f"Importing {len(inputs)} item{'s' if len(inputs) != 1 else ''}…")
        self.task = self.runner.start(
            jobs.run_import, self.library, inputs, self.settings, tags=tags,
            lists=[chosen] if chosen else [], with_references=self.with_refs.isChecked(),
            pool="net",
            on_progress=self._progress, on_done=self._done, on_error=self._failed)

    def _searches(self) -> list[str]:
        return [r.given for r in self.rows if r.pubmed_search]

    def _keep_pasted(self) -> str:
        """The pasted references as a file for the import (removed when it ends)."""
        text = self.text.toPlainText()
        pasted = recognise(text)
        assert pasted is not None  # the preview row that asked for this recognised it
        self._pasted_dir = Path(tempfile.mkdtemp(prefix="spinelib-pasted-"))
        return str(keep(text, pasted, self._pasted_dir))

    def _drop_pasted(self) -> None:
        if self._pasted_dir is not None:
            shutil.rmtree(self._pasted_dir, ignore_errors=True)
            self._pasted_dir = None

    def cancel_import(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelling after the current step (what is done is kept)…")

    def _set_running(self, running: bool) -> None:
        self.text.setReadOnly(running)
        self.files_button.setEnabled(not running)
        self.tags.setEnabled(not running)
        self.list_box.setEnabled(not running)
        self.with_refs.setEnabled(not running)
        self.import_button.setVisible(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)

    def _progress(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat(f"%v of %m — {what}" if what else "%v of %m")
        self.progress_changed.emit(done, total, what)

    def _done(self, outcome: jobs.ImportOutcome) -> None:
        self.task = None
        self._drop_pasted()
        self._set_running(False)
        outcome.report.items.extend(self._extra)
        self._extra = []
        self.outcome = outcome
        self._show_report(outcome.report)
        self.import_finished.emit(outcome)

    def _failed(self, message: str) -> None:
        self.task = None
        self._drop_pasted()
        self._extra = []
        self._set_running(False)
        self.summary.setText(f"Import failed: {message}")
        self.import_failed.emit(message)

    def _show_report(self, report: ImportReport) -> None:
        self.tree.clear()
        self.tree.setHeaderLabels(["Input", "Result", "Details"])
        items = []
        alike = set(report.look_alikes)
        for entry in report.items:
            result, colour = result_cell(entry)
            if entry.article_id in alike:  # which rows the note under the table counts
                result += " (look-alike)"
            detail = entry.message
            if entry.citekey:
                detail = f"{entry.citekey} — {detail}" if detail else entry.citekey
            item = QTreeWidgetItem([entry.given, result, detail])
            item.setToolTip(0, entry.given)
            item.setToolTip(2, detail)
            if colour:
                item.setForeground(1, QColor(colour))
            items.append(item)
        self.tree.addTopLevelItems(items)
        # The result column fits its words; the details get the rest (whole on hover).
        self.tree.header().resizeSection(0, min(250, max(120, self.tree.sizeHintForColumn(0))))
        self.tree.header().resizeSection(1, self.tree.sizeHintForColumn(1) + 12)
        self.summary.setText(report_summary(report))
        self.import_button.setEnabled(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.running:
            self.runner.start(self.library.lists.all, on_done=self._offer_lists,
                              on_error=lambda _message: None)  # offered as they were

    def _offer_lists(self, lists: Sequence[ReadingListInfo]) -> None:
        """The reading lists the import can add to (read on a worker when shown), keeping
        the one chosen if it is still there."""
        chosen = self.list_box.currentData()
        self.list_box.clear()
        self.list_box.addItem("(none)", "")
        for info in lists:
            self.list_box.addItem(info.name, info.name)
        self.list_box.setCurrentIndex(max(0, self.list_box.findData(chosen)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Closing only hides the window: a running import carries on and reports to the
        # main window's status bar when it ends.
        event.accept()
        super().closeEvent(event)
