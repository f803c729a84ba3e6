"""The GUI scenarios: the real main window, offscreen, in a process of its own.

Run only inside a benchmark child process (``python -m benchmarks.scenarios NAME``), which the
runner starts with ``QT_QPA_PLATFORM=offscreen`` so that its peak RSS is the window's alone.

``open_first_rows_gui``
    from ``Library.open`` through ``MainWindow(...)`` and ``show()`` until the first table row
    has its data (the table model fetched the first page on a worker). Importing Qt and
    creating the QApplication happen before the clock starts and are reported as
    ``extra.startup_s``.
``peak_rss_gui``
    the window with the whole library loaded: open, first rows, scroll to the last row and
    wait for its page, type a search and wait for its first rows; then the process's peak RSS.

The floor of ``open_first_rows_gui`` is the core scenario's (raw sqlite3 first page): what a
window could not avoid; the rest is SpineLib and Qt.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.scenarios import Measurement, evict, peak_rss_mb, raw_first_rows

#: Seconds any one wait may take before the scenario fails (a hang is a bug, not a number).
TIMEOUT = 120.0
SEARCH_TEXT = "spinal metastases"


def _wait(app: object, condition: Callable[[], bool], what: str) -> None:
    """Run the Qt event loop until ``condition()`` holds; RuntimeError after TIMEOUT."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(2)  # idle polling: the event loop sleeps between ticks

    def tick() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    deadline = time.perf_counter() + TIMEOUT
    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise RuntimeError(f"gave up after {TIMEOUT:.0f} s waiting for {what}")


def _row_ready(window: object, row: int) -> Callable[[], bool]:
    def ready() -> bool:
        model = window.model  # type: ignore[attr-defined]
        article_id = model.article_id(row)
        return article_id is not None and model.cached_row(article_id) is not None
    return ready


def run(name: str, library: Path, *, repeat: int = 1, cold: bool = False) -> Measurement:
    """Run one GUI scenario ``repeat`` times in this process (the runner passes 1).

    ``cold``: drop the library from the OS file cache before each sample and floor.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from spinelib.gui.mainwindow import MainWindow
    from spinelib.library import Library
    from spinelib.settings import Settings

    app = QApplication.instance() or QApplication(["spinelib-bench"])
    startup = time.perf_counter() - started
    m = Measurement([], extra={"startup_s": round(startup, 3)})
    for _ in range(repeat):
        if cold:
            evict(library)
        t0 = time.perf_counter()
        lib = Library.open(library)
        window = MainWindow(lib, Settings())
        window.show()
        _wait(app, _row_ready(window, 0), "the first table row")
        first_rows = time.perf_counter() - t0
        rows = window.model.rowCount()
        if name == "open_first_rows_gui":
            m.samples.append(first_rows)
        else:
            window.table.scrollToBottom()
            _wait(app, _row_ready(window, rows - 1), "the last table row")
            finished: list[int] = []
            window.model.query_finished.connect(finished.append)
            window.search.setText(SEARCH_TEXT)  # debounced like typing, then a worker query
            def searched(done: list[int] = finished) -> bool:
                return bool(done)

            _wait(app, searched, "the search results")
            # The view keeps its scroll position across the reset; show the best hits.
            window.table.scrollToTop()
            _wait(app, _row_ready(window, 0), "the first search result row")
            m.samples.append(time.perf_counter() - t0)
            m.extra["search_hits"] = finished[-1]
        m.extra["rows"] = rows
        window.close()  # closes the library; waits for the workers
        app.processEvents()
        if name == "open_first_rows_gui":
            # The same floor as the core scenario: what the first page costs in raw sqlite3.
            if cold:
                evict(library)
            start = time.perf_counter()
            raw_first_rows(library)
            m.floor_samples.append(time.perf_counter() - start)
    m.extra["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return m
