"""One SQLite connection per thread, and a close that never pulls a connection from under
the thread using it.

Why: :mod:`sqlite3` connections are opened with ``check_same_thread=False`` so the engine
can close every thread's connection when the library closes. Closing a connection while
another thread is inside one of its statements crashes the process (a segmentation fault
in CPython 3.11's module: seen when a window closed the library while a worker of another
window over it was still reading). So every use of a connection is marked
(:meth:`ThreadConnections.enter` and ``leave``), and :meth:`ThreadConnections.close`:

- closes at once the connections no thread is using;
- waits (up to :data:`CLOSE_WAIT_S`) for the uses of other threads to end, each of which
  then closes its own connection;
- after that wait, leaves each connection still in use to its thread, which closes it when
  its use ends (a long write commits or rolls back on its own first; nothing is cut).

After :meth:`close`, asking for a connection raises :class:`LibraryError`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator

from spinelib.errors import LibraryError

#: How long :meth:`ThreadConnections.close` waits for other threads to finish what they
#: are doing with the library (a read or a short write ends well within it).
CLOSE_WAIT_S = 5.0


class ThreadConnections:
    """The connections of one library file: opened lazily, one per thread."""

    def __init__(self, name: str, opener: Callable[[], sqlite3.Connection]) -> None:
        self._name = name
        self._open = opener
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        #: Connection -> how many nested uses its thread has open.
        self._in_use: dict[sqlite3.Connection, int] = {}
        # A plain lock for the hot path (every transaction takes it twice); the condition
        # on the same lock only for a close waiting on other threads.
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._closed = False

    def current(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use); :class:`LibraryError` once
        closed, except inside a use this thread began before the close (so a transaction
        under way finishes as one). Callers mark their use with :meth:`enter`."""
        raw: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if self._closed:
            # Only this thread removes its connection from the in-use map.
            if raw is not None and raw in self._in_use:
                return raw
            raise LibraryError(f"{self._name} is closed")
        if raw is None:
            raw = self._open()
            with self._lock:
                if self._closed:  # closed while this one was being opened
                    close_quietly(raw)
                    raise LibraryError(f"{self._name} is closed")
                self._all.append(raw)
            self._local.conn = raw
        return raw

    def enter(self) -> sqlite3.Connection:
        """This thread's connection, marked in use until the matching :meth:`leave`
        (nested uses allowed): :meth:`close` neither closes it nor lets another thread
        close it meanwhile."""
        raw = self.current()
        with self._lock:
            if self._closed and raw not in self._in_use:
                raise LibraryError(f"{self._name} is closed")
            self._in_use[raw] = self._in_use.get(raw, 0) + 1
        return raw

    def leave(self, raw: sqlite3.Connection) -> None:
        """End one use :meth:`enter` began; the last use after a close closes it."""
        with self._lock:
            left = self._in_use[raw] - 1
            if left:
                self._in_use[raw] = left
                return
            del self._in_use[raw]
            if not self._closed:
                return
            mine_to_close = raw in self._all
            if mine_to_close:
                self._all.remove(raw)
            self._changed.notify_all()
        if mine_to_close:
            close_quietly(raw)

    @contextlib.contextmanager
    def using(self) -> Iterator[sqlite3.Connection]:
        """:meth:`enter` and :meth:`leave` around a block."""
        raw = self.enter()
        try:
            yield raw
        finally:
            self.leave(raw)

    def close(self, wait_s: float = CLOSE_WAIT_S) -> list[sqlite3.Connection]:
        """Close every connection as soon as no thread uses it (see the module's text);
        returns the connections still in use when the wait ended, which their threads
        close when done."""
        own: sqlite3.Connection | None = getattr(self._local, "conn", None)
        with self._lock:
            self._closed = True
            idle = [c for c in self._all if c not in self._in_use]
            for raw in idle:
                self._all.remove(raw)
        for raw in idle:
            close_quietly(raw)
        deadline = time.monotonic() + wait_s
        with self._changed:
            # This thread's own use (a close inside a transaction) cannot end while it
            # waits here: it is closed when that use ends.
            while others := [c for c in self._all if c is not own]:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return others
                self._changed.wait(remaining)
        return []


def close_quietly(raw: sqlite3.Connection) -> None:
    """Close ``raw``, ignoring SQLite's complaints (the file may already be gone)."""
    with contextlib.suppress(sqlite3.Error):
        raw.close()
