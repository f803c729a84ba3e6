"""The export dialog: choose what (selection, current view, a reading list, everything),
in which format, and whether to a file or the clipboard; see what the format cannot carry.

The text is built on a worker by :func:`spinelib.gui.jobs.build_export` (the formats package
does the writing), and files are written atomically by ``formats.write_atomic``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from spinelib.formats.registry import (
    EXPORT_CHOICES,
    FILE_FORMATS,
    GROUP_FORMATS,
    ExportKind,
    export_format,
)
from spinelib.gui import jobs
from spinelib.gui.clipboard import put_on_clipboard
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.manuscript.reflist import WORD_SUFFIX, misnamed_export
from spinelib.settings import Settings

SCOPES = ("selection", "view", "list", "all")


class ExportDialog(QDialog):
    """Export articles; ``exported`` carries the :class:`~spinelib.gui.jobs.ExportOutput`."""

    exported = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, settings: Settings, *,
                 selection: Sequence[int] = (), view: Sequence[int] = (),
                 view_label: str = "Current view", lists: Sequence[str] = (),
                 list_name: str | None = None, fmt: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.selection = list(selection)
        self.view = list(view)
        self.busy = False
        self.last: jobs.ExportOutput | None = None
        #: Asks the user for a file name; replaced in tests.
        self.choose_path: Callable[[str], str] = self._choose_path
        self.setWindowTitle("Export")
        self.resize(560, 460)
        layout = QVBoxLayout(self)

        scope_box = QGroupBox("Articles", self)
        scope = QVBoxLayout(scope_box)
        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str, QRadioButton] = {}
        labels = {
            "selection": f"Selected articles ({len(self.selection):,})",
            "view": f"{view_label} ({len(self.view):,})",
            "list": "Reading list:",
            "all": "Whole library",
        }
        for key in SCOPES:
            button = QRadioButton(labels[key], scope_box)
            self.scope_group.addButton(button)
            self.scope_buttons[key] = button
            if key == "list":
                row = QHBoxLayout()
                row.addWidget(button)
                self.list_combo = QComboBox(scope_box)
                self.list_combo.addItems(list(lists))
                self.list_combo.currentIndexChanged.connect(
                    lambda _i: self.scope_buttons["list"].setChecked(True))
                row.addWidget(self.list_combo, 1)
                scope.addLayout(row)
            else:
                scope.addWidget(button)
        self.scope_buttons["selection"].setEnabled(bool(self.selection))
        self.scope_buttons["view"].setEnabled(bool(self.view))
        self.scope_buttons["list"].setEnabled(bool(lists))
        self.list_combo.setEnabled(bool(lists))
        if list_name is not None and list_name in lists:
            self.list_combo.setCurrentText(list_name)
            self.scope_buttons["list"].setChecked(True)
        elif self.selection:
            self.scope_buttons["selection"].setChecked(True)
        elif self.view:
            self.scope_buttons["view"].setChecked(True)
        else:
            self.scope_buttons["all"].setChecked(True)
        layout.addWidget(scope_box)

        form = QFormLayout()
        self.format_combo = QComboBox(self)
        for name in EXPORT_CHOICES:
            self.format_combo.addItem(export_format(name).label, name)
        # The reference list in the citation style chosen in the Preferences (issue 16).
        self.format_combo.addItem(f"Reference list ({settings.citation_style} style)",
                                  jobs.BIBLIOGRAPHY_PREFIX + settings.citation_style)
        chosen = fmt or settings.export_format
        index = self.format_combo.findData(chosen)
        self.format_combo.setCurrentIndex(max(0, index))
        self.format_combo.currentIndexChanged.connect(lambda _i: self._format_changed())
        form.addRow("Format:", self.format_combo)
        self.abstracts = QCheckBox("Include abstracts", self)
        self.abstracts.setChecked(settings.export_abstracts)
        form.addRow("", self.abstracts)
        # Moving to Zotero or JabRef: their importers bring along the files named here.
        self.files = QCheckBox("Name the attached files (Zotero and JabRef import them)", self)
        form.addRow("", self.files)
        # JabRef shows them as its groups; Zotero's BibTeX import makes them collections.
        self.lists = QCheckBox("Reading lists as JabRef groups (JabRef and Zotero import "
                               "them)", self)
        form.addRow("", self.lists)
        self._show_files_option()
        path_row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText("Choose a file to save to…")
        browse = QPushButton("Browse…", self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form.addRow("File:", path_row)
        layout.addLayout(form)

        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setPlaceholderText("Anything the chosen format cannot carry is listed "
                                         "here after exporting.")
        layout.addWidget(self.problems, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.copy_button = QPushButton("Copy to clipboard", self)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.save_button = QPushButton("Save", self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        for b in (self.copy_button, self.save_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    # ------------------------------------------------------------ choices
    def format(self) -> str:
        return str(self.format_combo.currentData())

    def suffix(self) -> str:
        """The chosen format's file suffix (for names typed or suggested without one)."""
        if self.format().startswith(jobs.BIBLIOGRAPHY_PREFIX):
            return WORD_SUFFIX  # a reference list goes into manuscripts: Word (or .txt)
        return export_format(self.format()).suffix

    def set_format(self, fmt: str) -> None:
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(fmt)))

    def scope(self) -> str:
        for key, button in self.scope_buttons.items():
            if button.isChecked():
                return key
        return "all"

    def set_scope(self, key: str) -> None:
        self.scope_buttons[key].setChecked(True)

    def scope_args(self) -> tuple[list[int] | None, str | None]:
        """(ids, list name) for :func:`jobs.build_export`."""
        key = self.scope()
        if key == "selection":
            return self.selection, None
        if key == "view":
            return self.view, None
        if key == "list":
            return None, self.list_combo.currentText()
        return None, None

    def suggested_name(self) -> str:
        key = self.scope()
        if key == "list":
            base = self.list_combo.currentText()
        elif key == "all":
            base = self.library.name
        else:
            base = "references"
        base = re.sub(r"[^\w.-]+", "-", base).strip("-") or "references"
        return base + self.suffix()

    def _format_changed(self) -> None:
        self._fix_suffix()
        self._show_files_option()

    def _show_files_option(self) -> None:
        """The files option only where the format can carry files (BibTeX, BibLaTeX, RIS),
        the lists option where it can carry groups (BibTeX, BibLaTeX), the abstracts option
        where abstracts are a choice (the data formats: a reference list has none, a report
        always has them)."""
        self.files.setVisible(self.format() in FILE_FORMATS)
        self.lists.setVisible(self.format() in GROUP_FORMATS)
        self.abstracts.setVisible(not self.format().startswith(jobs.BIBLIOGRAPHY_PREFIX)
                                  and export_format(self.format()).kind is ExportKind.DATA)

    def _fix_suffix(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(self.suffix())))

    def _choose_path(self, suggestion: str) -> str:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / suggestion) if folder else suggestion
        styled = self.format().startswith(jobs.BIBLIOGRAPHY_PREFIX)
        name, _f = QFileDialog.getSaveFileName(
            self, "Export to", start,
            "Word document (*.docx);;Text (*.txt)" if styled
            else export_format(self.format()).file_filter)
        return name

    def _browse(self) -> None:
        name = self.choose_path(self.suggested_name())
        if name:
            self.path_edit.setText(name)

    # ------------------------------------------------------------ doing it
    def save(self) -> None:
        """Write the export to the chosen file (asks for one when the field is empty)."""
        if not self.path_edit.text().strip():
            self._browse()
        text = self.path_edit.text().strip()
        if not text or self.busy:
            return
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(self.suffix())
        styled = self.format().startswith(jobs.BIBLIOGRAPHY_PREFIX)
        problem = misnamed_export(path, None if styled else self.suffix())
        if problem:
            self.result_label.setText(f"Not saved: {problem}.")
            return
        ids, list_name = self.scope_args()
        self._run(jobs.export_to_file, self.library, ids, list_name, self.format(),
                  self.abstracts.isChecked(), path, self._with_files(), self._with_lists())

    def copy_to_clipboard(self) -> None:
        if self.busy:
            return
        ids, list_name = self.scope_args()
        self._run(partial(jobs.build_export, html=True), self.library, ids, list_name,
                  self.format(), self.abstracts.isChecked(), self._with_files(),
                  self._with_lists())

    def _with_files(self) -> bool:
        return self.files.isChecked() and self.format() in FILE_FORMATS

    def _with_lists(self) -> bool:
        return self.lists.isChecked() and self.format() in GROUP_FORMATS

    def _run(self, fn: Callable[..., jobs.ExportOutput], *args: object) -> None:
        self.busy = True
        self.save_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.result_label.setText("Exporting…")
        self.runner.start(fn, *args, on_done=self._done, on_error=self._failed)

    def _finish(self) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.copy_button.setEnabled(True)

    def _done(self, out: jobs.ExportOutput) -> None:
        self._finish()
        self.last = out
        what = out.articles
        if out.path is None:
            put_on_clipboard(out.text, out.html)  # a reference list's HTML: Word's italics
            self.result_label.setText(f"Copied {what} to the clipboard.")
        else:
            self.result_label.setText(f"Saved {what} to {out.path}.")
        self.problems.setPlainText("\n".join(out.problems))
        if out.problems:
            self.result_label.setText(self.result_label.text() + f" {len(out.problems)} warning"
                                f"{'s' if len(out.problems) != 1 else ''} below.")
        self.exported.emit(out)

    def _failed(self, message: str) -> None:
        self._finish()
        self.result_label.setText(f"Export failed: {message}")
