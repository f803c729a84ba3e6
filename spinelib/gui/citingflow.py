"""The Cited-by tab's "Find citing articles online", wired for the main window: Europe PMC
is asked on the network worker (:func:`spinelib.citingarticles.find_citing`), its answer
shown in the tab if the article is still on screen; the chosen ones are imported by the
window's ordinary import; after any import the answer's ✓ marks are read again, so what
was just imported shows as held."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.citingarticles import CitingSearch, find_citing, mark_held
from spinelib.gui.tasks import Task
from spinelib.library import Library
from spinelib.settings import Settings

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow


def search_job(library: Library, settings: Settings, article_id: int) -> CitingSearch:
    """The search, with a client made for this run (on the network worker)."""
    from spinelib.sources.http import HttpClient

    client = HttpClient(settings)
    try:
        return find_citing(library, article_id, client)
    finally:
        client.close()


def marks_job(library: Library, search: CitingSearch) -> CitingSearch:
    """The same answer with the library's holdings read again."""
    works = [entry.work for entry in search.entries]
    return CitingSearch(search.article_id, search.asked, mark_held(library, works),
                        search.total)


class CitingFlow:
    """Connects the detail pane's Cited-by tab to the window's workers, imports and status
    bar."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        #: The search running (one at a time), and for which article.
        self.task: Task | None = None
        tab = window.detail.cited_by
        tab.find_requested.connect(self.find)
        tab.import_inputs.connect(lambda inputs: window.imports.import_inputs(inputs))
        window.imports.library_changed.connect(self._remark)

    def find(self) -> None:
        """Ask Europe PMC about the article shown (a second click while it runs waits)."""
        detail = self.window.detail
        article_id = detail.shown_id
        if article_id is None or self.task is not None:
            return
        detail.cited_by.searching()

        def done(search: CitingSearch) -> None:
            self.task = None
            if self.window.detail.shown_id == search.article_id:
                self.window.detail.cited_by.show_online(search)
            line = search.summary()
            self.window.status.show_message(line + ".")

        def failed(message: str) -> None:
            self.task = None
            if self.window.detail.shown_id == article_id:
                self.window.detail.cited_by.search_failed(message)
            self.window.status.show_message(f"Finding citing articles failed: {message}")

        self.task = self.window.runner.start(
            search_job, self.window.library, self.window.settings, article_id, pool="net",
            on_done=done, on_error=failed)

    def _remark(self) -> None:
        tab = self.window.detail.cited_by
        search = tab.online
        if search is None:
            return

        def marked(fresh: CitingSearch) -> None:
            if tab.online is search:  # still the answer shown
                tab.show_online(fresh)

        self.window.runner.start(marks_job, self.window.library, search, on_done=marked)


def install(window: MainWindow) -> CitingFlow:
    """Wire the Cited-by tab's online search into ``window``."""
    return CitingFlow(window)
