"""The Cited-by tab's "Find citing articles online", wired for the main window: Europe PMC
is asked on the network worker (:func:`spinelib.citingarticles.find_citing`), its answer
shown in the tab if the article is still on screen; the chosen ones are imported by the
window's ordinary import; after any import the answer's ✓ marks are read again, so what
was just imported shows as held. "Create alert" stores a citation watch and runs it once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.citingarticles import (
    CitingSearch,
    existing_alert,
    find_citing,
    mark_held,
    watch_citing,
)
from spinelib.gui.tasks import Task
from spinelib.library import Library
from spinelib.safety_results import Watch
from spinelib.settings import Settings
from spinelib.watch_run import WatchRun, run_watches

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


def alert_job(library: Library, settings: Settings, article_id: int) -> tuple[Watch, WatchRun]:
    """Store a citation watch on the article and run it once, so that what cites it now is
    remembered (on the network worker; offline, the watch is stored and queued)."""
    from spinelib.sources.http import HttpClient

    client = HttpClient(settings)
    try:
        watch = watch_citing(library, article_id, client)
        return watch, run_watches(library, client, [watch.name])[0]
    finally:
        client.close()


def alert_message(watch: Watch, run: WatchRun) -> str:
    """What creating the alert did, for the status bar."""
    made = f"Citation alert “{watch.name}” created"
    if run.queued:
        return made + "; offline, so what cites the article now is read at its first run."
    if run.error:
        return made + f", but its first run failed: {run.error}"
    cite = f"{run.found:,} articles cite it" if run.found != 1 else "1 article cites it"
    return made + f": {cite} now; the Inbox gets the new ones."


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
        tab.alert_requested.connect(self.alert)
        tab.rows_shown.connect(self._alert_state)
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

    def alert(self) -> None:
        """Create a citation alert on the article shown; the status bar says what its first
        run found (or that it is queued until online)."""
        article_id = self.window.detail.shown_id
        if article_id is None:
            return

        def done(made: tuple[Watch, WatchRun]) -> None:
            watch, run = made
            if self.window.detail.shown_id == article_id:
                self.window.detail.cited_by.alert_made(alert_message(watch, run))
            self.window.status.show_message(alert_message(watch, run))

        def failed(message: str) -> None:
            if self.window.detail.shown_id == article_id:
                self.window.detail.cited_by.alert_failed(message)
            self.window.status.show_message(f"Creating the alert failed: {message}")

        self.window.runner.start(alert_job, self.window.library, self.window.settings,
                                 article_id, pool="net", on_done=done, on_error=failed)

    def _alert_state(self) -> None:
        """Say on the tab when the article shown is watched already (read on the worker)."""
        article_id = self.window.detail.shown_id
        if article_id is None:
            return

        def found(watch: Watch | None) -> None:
            if watch is not None and self.window.detail.shown_id == article_id:
                self.window.detail.cited_by.alert_exists(watch.name)

        self.window.runner.start(existing_alert, self.window.library, article_id,
                                 on_done=found)

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
