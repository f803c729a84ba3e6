"""Background work for the GUI: no SQL or HTTP on the GUI thread (docs/ARCHITECTURE.md).

A :class:`Task` runs a plain function on a QThreadPool worker with plain values and hands its
result (or the error's message) back to the GUI thread by a queued signal, the Anki way. A
:class:`TaskRunner` keeps running tasks alive and offers cancellation flags and progress.

Work goes to one of three pools, so a long import never delays a click:

* ``"read"`` — queries (table ids, rows, counts, the detail pane); a few threads;
* ``"write"`` — small edits (tags, notes, read status); ONE thread, so edits land in the
  order they were made (a later notes autosave can never be overwritten by an earlier one);
* ``"net"`` — imports and other network work, which also write in their own batches.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Literal

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from spinelib.errors import SpineLibError

log = logging.getLogger(__name__)

PoolName = Literal["read", "write", "net"]
#: Threads per pool; the machine may have only two cores, and SQLite serialises writers.
POOL_SIZES: dict[str, int] = {"read": 3, "write": 1, "net": 2}


class TaskSignals(QObject):
    """Signals live on a QObject owned by the GUI thread; emitting from a worker queues them."""

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)


class Task(QRunnable):
    """Run ``fn(*args, progress=…, cancelled=…)`` (the two keywords only when asked)."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = TaskSignals()
        self.cancel_event = threading.Event()
        if with_progress:
            self.kwargs["progress"] = self._progress
            self.kwargs["cancelled"] = self.cancel_event.is_set

    def _progress(self, done: int, total: int, what: str = "") -> None:
        self.signals.progress.emit(int(done), int(total), str(what))

    def cancel(self) -> None:
        """Ask the function to stop at its next ``cancelled()`` check."""
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except SpineLibError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: traceback to the log, a line to the user
            log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(f"internal error: {exc!r} (details in the log file)")
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """Starts tasks on the pools and keeps them referenced until they report back.

    After :meth:`shutdown` no callback runs any more: a window being closed must not be
    called back by a query that finishes a moment later. Nor does a callback that is a
    method of a Qt object deleted since (a dialog closed before its task reported).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pools: dict[str, QThreadPool] = {}
        for name, size in POOL_SIZES.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(size)
            self.pools[name] = pool
        self._running: set[Task] = set()
        self._closed = False

    def start(self, fn: Callable[..., Any], *args: Any,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[int, int, str], None] | None = None,
              pool: PoolName = "read", **kwargs: Any) -> Task:
        """Run ``fn(*args, **kwargs)`` on ``pool``; callbacks run on the GUI thread.

        With ``on_progress`` the function also receives ``progress(done, total, what)`` and
        ``cancelled()`` keywords (the importer's protocol); :meth:`Task.cancel` sets the flag.
        """
        task = Task(fn, *args, with_progress=on_progress is not None, **kwargs)
        self._running.add(task)

        def finished(*_: Any) -> None:
            self._running.discard(task)

        def guard(callback: Callable[..., None]) -> Callable[..., None]:
            # A widget's method: the widget may be gone by the time the task reports (a
            # dialog closed while its list still loads, deleted on close), and calling a
            # deleted Qt object raises. Its answer has no one left to read it: dropped.
            owner = getattr(callback, "__self__", None)
            widget = owner if isinstance(owner, QObject) else None

            def call(*values: Any) -> None:
                if self._closed or (widget is not None and not shiboken6.isValid(widget)):
                    return
                callback(*values)
            return call

        # Bookkeeping first, so a callback that inspects ``busy`` sees this task finished.
        task.signals.done.connect(finished)
        task.signals.failed.connect(finished)
        if on_done:
            task.signals.done.connect(guard(on_done))
        if on_error:
            task.signals.failed.connect(guard(on_error))
        else:
            task.signals.failed.connect(lambda msg: log.warning("task failed: %s", msg))
        if on_progress:
            task.signals.progress.connect(guard(on_progress))
        self.pools[pool].start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @property
    def closed(self) -> bool:
        """After :meth:`shutdown`: nothing new should be started (it would never report)."""
        return self._closed

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every pool to drain (True when all finished in time)."""
        return all(pool.waitForDone(msecs) for pool in self.pools.values())

    def shutdown(self, msecs: int = 10_000) -> bool:
        """Cancel what can be cancelled, stop calling back, and wait for the workers."""
        self._closed = True
        for task in list(self._running):
            task.cancel()
        # Queries not yet started are dropped; queued writes (a last notes save) still run,
        # and imports see their cancel flag at the next check.
        self.pools["read"].clear()
        return self.wait(msecs)
