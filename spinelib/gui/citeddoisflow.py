"""The Refs tab's "Find identifiers" (and its import requests and *Paste list…*), wired for
the main window: the cited works without an identifier are looked up in Crossref, then
PubMed, on the network worker (:func:`spinelib.citeddois.search_cited_dois`), what was found
is stored on the write worker as one undo step, and the list is shown again with the new
DOIs and PMIDs, ready to import."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from spinelib.citeddois import (
    CitedDois,
    cited_without_identifiers,
    search_cited_dois,
    store_cited_dois,
)
from spinelib.gui.reflistdialog import open_reference_list
from spinelib.gui.tasks import Task
from spinelib.library import Library
from spinelib.settings import Settings

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow


def search_job(library: Library, settings: Settings, article_id: int, *,
               progress: Callable[[int, int, str], None],
               cancelled: Callable[[], bool]) -> CitedDois:
    """The search, with a client made for this run (on a worker; the runner's progress
    and cancel protocol)."""
    from spinelib.sources.http import HttpClient

    client = HttpClient(settings)
    try:
        return search_cited_dois(client, cited_without_identifiers(library, article_id),
                                 cancelled=cancelled,
                                 progress=lambda done, total: progress(done, total, ""))
    finally:
        client.close()


class CitedDoisFlow:
    """Connects the detail pane's Refs tab to the window's workers and status bar."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        #: The search running (one at a time: its button stops it), and for which article.
        self.task: Task | None = None
        self.searched: int | None = None
        detail = window.detail
        detail.import_requested.connect(window.imports.import_inputs)
        detail.references.find_dois_requested.connect(self.find)
        detail.references.paste_requested.connect(lambda: open_reference_list(window))

    def find(self) -> None:
        """Start a search for the shown article, or stop the one running (the button says
        "Stop" meanwhile): what it found so far is stored all the same."""
        detail = self.window.detail
        article_id = detail.shown_id
        if self.task is not None:
            if article_id == self.searched:
                self.task.cancel()
            else:
                self.window.status.show_message(
                    "Another article's references are being looked up; try again when "
                    "that search ends.")
            return
        if article_id is None:
            return
        detail.references.searching(0, 0)
        self.searched = article_id

        def done(result: CitedDois) -> None:
            self.task = None
            self._store(article_id, result)

        def failed(message: str) -> None:
            self.task = None
            self._failed(message)

        self.task = self.window.runner.start(
            search_job, self.window.library, self.window.settings, article_id, pool="net",
            on_done=done, on_error=failed,
            on_progress=lambda asked, total, _what: self._progress(article_id, asked, total))

    def _progress(self, article_id: int, asked: int, total: int) -> None:
        if self.window.detail.shown_id == article_id:
            self.window.detail.references.searching(asked, total)

    def _store(self, article_id: int, result: CitedDois) -> None:
        def stored(_changed: int) -> None:
            if self.window.detail.shown_id == article_id:
                self.window.detail.reload()
            self.window.undo.update()
            line = result.summary()
            self.window.status.show_message(line[:1].upper() + line[1:] + ".")

        self.window.runner.start(store_cited_dois, self.window.library, article_id, result,
                                 pool="write", on_done=stored, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.window.detail.reload()
        self.window.status.show_message(f"Finding identifiers failed: {message}")
