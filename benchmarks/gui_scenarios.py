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
``gui_stall_import_1000``
    the longest the GUI thread stood still while the window imported 1,000 PMIDs from the
    fake E-utilities (:mod:`benchmarks.fake_eutils`, 127.0.0.1): a timer ticks every
    ``TICK_MS`` and asks the window to repaint; the sample is the largest gap between
    consecutive ticks from the moment the identifiers are handed to the window (the dialog's
    preview of 1,000 lines included) until the import reports. The tests only check that
    the loop kept turning and painting; this is where the time bound lives.

The floor of ``open_first_rows_gui`` is the core scenario's (raw sqlite3 first page): what a
window could not avoid; the rest is SpineLib and Qt. The floor of ``gui_stall_import_1000`` is
the same ticking timer in the same window with nothing running, for as long as the import
took: the longest gap the event loop shows on this machine anyway.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.scenarios import (
    EUTILS_LATENCY,
    PMID_IMPORT_COUNT,
    Measurement,
    evict,
    peak_rss_mb,
    raw_first_rows,
)

#: Seconds any one wait may take before the scenario fails (a hang is a bug, not a number).
TIMEOUT = 120.0
SEARCH_TEXT = "spinal metastases"
#: The scenarios this module runs.
NAMES = ("open_first_rows_gui", "peak_rss_gui", "gui_stall_import_1000")
#: Interval (ms) of the timer whose gaps measure GUI stalls.
TICK_MS = 10


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


def run(name: str, library: Path | None, *, repeat: int = 1, cold: bool = False,
        seed: int = 1) -> Measurement:
    """Run one GUI scenario ``repeat`` times in this process (the runner passes 1 for the
    open scenarios).

    ``cold``: drop the library from the OS file cache before each sample and floor.
    ``seed``: the generated articles the import scenario serves.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from spinelib.gui.mainwindow import MainWindow
    from spinelib.library import Library
    from spinelib.settings import Settings

    app = QApplication.instance() or QApplication(["spinelib-bench"])
    startup = time.perf_counter() - started
    if name == "gui_stall_import_1000":
        return import_stall(app, repeat, seed, startup)
    assert library is not None, f"{name} needs a library"
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


# ------------------------------------------------------------------------------ stalls
def _tick_gaps(app: object, start: float, until: Callable[[], bool], what: str,
               on_tick: Callable[[], None] = lambda: None) -> list[float]:
    """Seconds between consecutive ticks of a ``TICK_MS`` timer, from ``start`` until
    ``until()`` holds (the last gap ends then): how long the event loop stood still."""
    from PySide6.QtCore import QTimer

    ticks = [start]

    def tick() -> None:
        ticks.append(time.perf_counter())
        on_tick()

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    _wait(app, until, what)
    ticks.append(time.perf_counter())
    timer.stop()
    return [b - a for a, b in zip(ticks, ticks[1:])]


def import_stall(app: object, repeat: int, seed: int, startup: float,
                 count: int = PMID_IMPORT_COUNT) -> Measurement:
    """``gui_stall_import_1000``: the longest GUI stall while the window imports ``count``
    PMIDs from the fake E-utilities, beside the idle event loop's longest gap (floor)."""
    from benchmarks import corpus, generate
    from benchmarks.fake_eutils import EFETCH, FakeEutils
    from spinelib.gui.mainwindow import MainWindow
    from spinelib.library import Library

    records = corpus.articles(seed, 0, count)
    served = {r.pmid: generate.record_xml(r) for r in records}
    pmids = [r.pmid for r in records]
    m = Measurement([], extra={"startup_s": round(startup, 3), "tick_ms": TICK_MS})
    with tempfile.TemporaryDirectory(prefix="spinelib-bench-") as tmp, \
            FakeEutils(served, latency=EUTILS_LATENCY) as fake:
        for i in range(repeat):
            lib = Library.open(Path(tmp) / f"stall-{i}.sqlite")
            window = MainWindow(lib, fake.settings())
            window.show()
            _wait(app, lambda w=window: w.sidebar.data is not None, "the empty window")
            dialog = window.imports.dialog()
            efetch_before = fake.requests.get(EFETCH, 0)
            start = time.perf_counter()
            window.imports.import_inputs(pmids)
            gaps = _tick_gaps(app, start, lambda d=dialog: d.outcome is not None,
                              "the import", on_tick=window.update)
            took = time.perf_counter() - start
            outcome = dialog.outcome
            if outcome is None or outcome.report.counts() != {"imported": count}:
                summary = outcome.report.summary() if outcome else "no outcome"
                raise RuntimeError(f"gui_stall_import_1000: {summary}")
            m.samples.append(max(gaps))
            # The floor: the same timer in the same window, idle, for as long.
            idle_until = time.perf_counter() + took
            idle = _tick_gaps(app, time.perf_counter(),
                              lambda t=idle_until: time.perf_counter() >= t, "the idle loop",
                              on_tick=window.update)
            m.floor_samples.append(max(idle))
            # The first gap is the hand-over on the GUI thread (the dialog's preview of
            # every line, starting the worker); the rest is the import running beside it.
            first_gap = gaps[0]
            gaps.sort()
            m.extra.update(import_s=round(took, 3), ticks=len(gaps),
                           first_gap_s=round(first_gap, 4),
                           p95_gap_s=round(gaps[int(0.95 * (len(gaps) - 1))], 4),
                           efetch_requests=fake.requests.get(EFETCH, 0) - efetch_before)
            window.close()  # closes the library; waits for the workers
            app.processEvents()  # type: ignore[attr-defined]
    m.extra["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return m
