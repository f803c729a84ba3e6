"""The main window's full-text features (issue 14): the Text tab, "Find available PDFs"
and "Identify PDFs by their first page" with progress and Cancel, PDFs dropped on the
window or on an article, and Ctrl+O / double-click opening an article's file in the system
viewer.

Built by the window with one line (``self.pdfs = PdfFlow(self)``) and wired here, so the
window's own code stays as it was; all SQL, PDF reading and HTTP run on workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QFileSystemWatcher, QMimeData, QObject, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QDropEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QProgressDialog

from spinelib.gui.fulltexttab import FulltextTab
from spinelib.gui.libraryaccessflow import LibraryAccessFlow
from spinelib.gui.menus import add_before_help
from spinelib.gui.pdfjobs import (
    attach_files,
    copy_highlights,
    find_pdfs,
    first_file,
    identify_kept,
    import_pdfs,
)
from spinelib.gui.tablemodel import IdRole
from spinelib.library.annotations import AddedToNotes, copied_summary
from spinelib.pdffind import FindOutcome, find_summary
from spinelib.pdfidentify import Identified
from spinelib.pdfidentify import summary as summary_of_identified
from spinelib.pdfimport import pdfs_in
from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow


def dropped_pdfs(mime: QMimeData) -> list[Path]:
    """The local PDF files in a drag; a dropped folder stands for every PDF inside it
    (sub-folders included, in name order), so a surgeon can drop a whole folder of papers."""
    if not mime.hasUrls():
        return []
    found: list[Path] = []
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir():
            found.extend(pdfs_in(path))
        elif path.suffix.lower() == ".pdf":
            found.append(path)
    return found


class PdfFlow(QObject):
    """Wires the full-text features into a :class:`MainWindow`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.tab = FulltextTab(window.library, window.runner, window.detail)
        window.detail.tabs.addTab(self.tab, "Text")
        self.progress: QProgressDialog | None = None
        self._label = ""
        self.last_outcomes: list[FindOutcome] = []
        #: Opens a file in the system viewer; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        window.table.current_changed.connect(
            lambda aid: self.tab.show_article(aid, window.search.text()))
        window.search.textChanged.connect(self.tab.set_search)
        window.table.article_activated.connect(self.open_file_of)
        self.tab.open_file.connect(self.open_path)
        self.tab.copy_to_notes.connect(self.copy_to_notes)
        # Ctrl+O opens the current article's file (issue 14); opening a library keeps its
        # menu entry with Ctrl+Shift+O.
        window.acts.open_library.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_action = QAction("&Open PDF", window)
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.setToolTip("Open the current article's PDF in the system viewer")
        self.open_action.triggered.connect(lambda: self.open_file_of(window.detail.shown_id))
        self.find_action = QAction("&Find available PDFs", window)
        self.find_action.setToolTip("Find open-access PDFs of the selected articles "
                                    "(Europe PMC, Unpaywall) and attach them")
        self.find_action.triggered.connect(lambda: self.find(window.table.selected_ids()))
        self.identify_action = QAction("&Identify PDFs by their first page", window)
        self.identify_action.setToolTip(
            "Find the papers kept from PDFs without a DOI (the selected ones, or all) by "
            "their first pages, in the library, then in Crossref and PubMed, and merge each "
            "into the record found")
        self.identify_action.triggered.connect(
            lambda: self.identify(window.table.selected_ids()))
        # The unidentified PDF's banner: "Identify it now" identifies the article shown.
        window.detail.banner.identify.connect(lambda: self.identify(
            [window.detail.shown_id] if window.detail.shown_id is not None else []))
        self.copy_action = QAction("&Copy highlights to notes", window)
        self.copy_action.setToolTip(
            "Copy the highlights and comments saved in the selected articles' PDFs into "
            "their notes (only those the notes lack; one undo step)")
        self.copy_action.triggered.connect(
            lambda: self.copy_to_notes_of(window.table.selected_ids()))
        menu = add_before_help(window.menuBar(), QMenu("F&ull text", window))
        menu.addAction(self.find_action)
        menu.addAction(self.identify_action)
        menu.addAction(self.open_action)
        self.library_access = LibraryAccessFlow(window)  # a paywalled paper, in the browser
        menu.addAction(self.library_access.action)
        self.tab.through_library.connect(self.library_access.open_shown)
        menu.addAction(self.copy_action)
        window.addAction(self.open_action)
        window.table.viewport().installEventFilter(self)
        # The watched folder (a setting): new PDFs dropped into it are imported. Changes are
        # gathered for a moment, so a file still being copied is not read half-written.
        self.watcher = QFileSystemWatcher(self)
        self._watch_timer = QTimer(self, singleShot=True, interval=2000)
        self._watch_timer.timeout.connect(self.scan_watched_folder)
        self.watcher.directoryChanged.connect(lambda _path: self._watch_timer.start())
        self.watch(window.settings.watched_folder)

    def watch(self, folder: str) -> None:
        """Watch ``folder`` ("" = none) instead of the folder watched so far."""
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if folder and Path(folder).expanduser().is_dir():
            self.watcher.addPath(str(Path(folder).expanduser()))

    def scan_watched_folder(self) -> None:
        from spinelib.gui.pdfjobs import scan_watched

        for folder in self.watcher.directories():
            self.w.runner.start(scan_watched, self.w.library, folder, self.w.settings,
                                pool="net", on_done=self._imported)

    # -- opening
    def open_file_of(self, article_id: int | None) -> None:
        if article_id is None:
            return
        self.w.runner.start(first_file, self.w.library, article_id, on_done=self._open_found)

    def _open_found(self, path: Path | None) -> None:
        if path is None:
            self.w.status.show_message("This article has no attached file.")
        else:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        if not path.is_file():
            self.w.status.show_message(f"The file is missing: {path}")
            return
        self.open_url(QUrl.fromLocalFile(str(path)))

    # -- the reader's highlights
    def copy_to_notes(self, article_id: int) -> None:
        """Copy the article's PDF highlights and comments into its notes (one undo step)."""
        self.copy_to_notes_of([article_id])

    def copy_to_notes_of(self, article_ids: Sequence[int]) -> None:
        """Copy the highlights of these articles' PDFs into their notes, one undo step for
        all (Full text ▸ Copy highlights to notes, on the selection)."""
        ids = list(article_ids)
        if not ids:
            self.w.status.show_message("Select the articles whose highlights to copy.")
            return
        # Notes being typed are written first, on the same one-thread pool, so the copy
        # appends to them and the typed text never overwrites the copy.
        self.w.detail.reading.save_notes()
        self.w.runner.start(copy_highlights, self.w.library, ids, pool="write",
                            on_done=lambda added: self._copied(ids, added),
                            on_error=lambda msg: self.w.status.show_message(
                                f"Copying highlights failed: {msg}"))

    def _copied(self, ids: list[int], added: list[AddedToNotes]) -> None:
        problems = [p for done in added for p in done.problems]
        if not added:
            said = "none of the selected articles has a PDF"
        else:
            said = added[0].line() if len(added) == 1 else copied_summary(added)
        self.w.status.show_message(said[:1].upper() + said[1:]
                                   + (f" ({'; '.join(problems)})" if problems else "") + ".")
        self.w.queries.articles_changed(ids)

    # -- finding
    def find(self, article_ids: Sequence[int]) -> None:
        ids = list(article_ids)
        if not ids:
            self.w.status.show_message("Select the articles to find PDFs for.")
            return
        self._with_progress("Find available PDFs", "Finding open-access PDFs…", len(ids),
                            find_pdfs, ids, lambda outcomes: self._found(ids, outcomes),
                            self._find_failed)

    def identify(self, selected: Sequence[int]) -> None:
        """Identify the selected articles kept from PDFs without an identifier, or every
        such article when none of the selection is one (spinelib.pdfidentify)."""
        self._with_progress("Identify PDFs", "Matching first pages…", 0,
                            identify_kept, list(selected), self._identified,
                            lambda msg: self._failed_with(f"Identifying PDFs failed: {msg}"))

    def _with_progress(self, title: str, label: str, total: int, job: Callable[..., Any],
                       ids: list[int], done: Callable[[Any], None],
                       failed: Callable[[str], None]) -> None:
        """Run ``job(library, ids, settings)`` on the network worker behind a progress
        dialog whose Cancel stops it."""
        dialog = QProgressDialog(label, "Cancel", 0, total, self.w)
        dialog.setWindowTitle(title)
        dialog.setMinimumDuration(0)
        self.progress, self._label = dialog, label
        task = self.w.runner.start(
            job, self.w.library, ids, self.w.settings, pool="net",
            on_progress=lambda n, of, what: self._progress(n, of, what),
            on_done=done, on_error=failed)
        dialog.canceled.connect(task.cancel)
        dialog.show()

    def _identified(self, outcomes: list[Identified]) -> None:
        self._close_progress()
        line = f"Identify PDFs: {summary_of_identified(outcomes)}"
        offline = next((o for o in outcomes if o.status == "offline"), None)
        if offline is not None:  # why, or the surgeon is left guessing; and what then
            line += (f"; {offline.message.removeprefix('not asked: ')} (queued: File ▸ "
                     "Retry pending imports searches again)")
        self.w.status.show_message(line + ".")
        self.w.queries.refresh_all()

    def _progress(self, done: int, total: int, what: str) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            self.progress.setLabelText(f"{self._label} {what}")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def _found(self, ids: list[int], outcomes: list[FindOutcome]) -> None:
        self._close_progress()
        self.last_outcomes = outcomes
        closed = any(o.status == "no_open_copy" for o in outcomes)
        self.w.status.show_message(find_summary(outcomes) + (
            " Full text ▸ Open through my library reaches your institution's copy."
            if closed else ""))
        self.w.queries.articles_changed(ids)
        self.tab.reload()

    def _find_failed(self, message: str) -> None:
        self._failed_with(f"Find available PDFs failed: {message}")

    def _failed_with(self, line: str) -> None:
        self._close_progress()
        self.w.status.show_message(line)

    # -- dropping
    def handle_window_drop(self, event: QDropEvent) -> bool:
        """PDFs dropped on the window: imported and attached. True when handled."""
        pdfs = dropped_pdfs(event.mimeData())
        if not pdfs:
            return False
        event.acceptProposedAction()
        self.import_pdfs(pdfs)
        return True

    def import_pdfs(self, pdfs: Sequence[Path]) -> None:
        self.w.status.show_message(f"Importing {plural(len(pdfs), 'PDF')}…")
        self.w.runner.start(import_pdfs, self.w.library, [str(p) for p in pdfs],
                            self.w.settings, pool="net", on_done=self._imported,
                            on_error=lambda msg: self.w.status.show_message(msg))

    def _imported(self, report: Any) -> None:
        self.w.status.show_message("PDFs: " + report.summary())
        self.w.queries.refresh_all()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """PDFs dropped on an article row are attached to that article."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
                event, QDropEvent) and dropped_pdfs(event.mimeData()):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            pdfs = dropped_pdfs(event.mimeData())
            if not pdfs:
                return False
            index = self.w.table.indexAt(event.position().toPoint())
            article_id = index.data(IdRole) if index.isValid() else None
            event.acceptProposedAction()
            if article_id is None:
                self.import_pdfs(pdfs)
            else:
                self.attach(int(article_id), pdfs)
            return True
        return False

    def attach(self, article_id: int, pdfs: Sequence[Path]) -> None:
        self.w.runner.start(attach_files, self.w.library, article_id, [str(p) for p in pdfs],
                            self.w.settings, pool="write",
                            on_done=lambda msgs: self._attached(article_id, msgs))

    def _attached(self, article_id: int, messages: list[str]) -> None:
        self.w.status.show_message("; ".join(messages))
        self.w.queries.articles_changed([article_id])
        if self.tab.article_id == article_id:
            self.tab.reload()


__all__ = ["PdfFlow", "dropped_pdfs"]
