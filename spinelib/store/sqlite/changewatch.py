"""Noticing that someone else changed the library file: another process (a ``spinelib``
command run while the window is open) or another engine on the same file.

Why: the window loads what it shows once and again after its own edits; a command that
imports, tags or deletes meanwhile would otherwise stay invisible until the window is
reopened. SQLite's ``PRAGMA data_version`` on one connection changes when any *other*
connection has committed since that connection last looked, which is exactly "changed
elsewhere", except that this engine's own connections (one per thread) are other
connections too. So the engine reports each of its own write transactions: the watch
connection reads the version just after ``BEGIN IMMEDIATE`` (no one else can commit while
the write lock is held) and again after ``COMMIT``; when the first reading is the one the
last look saw, the step to the second is the engine's own and is taken as seen.

Watching is opt-in and free until asked: the watch connection opens on the first
:meth:`ChangeWatch.look`, and before that the write hooks return at once (a command never
looks). Known limits: a commit by another process in the microseconds between this
engine's ``COMMIT`` and its second reading is taken for the engine's own; and a checkpoint
that empties the WAL file (``wal_checkpoint(TRUNCATE)``, which SpineLib never runs but
another tool may) reads as a change, which costs one needless reload.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable

from spinelib.errors import LibraryError
from spinelib.store.sqlite.connections import close_quietly


class ChangeWatch:
    """The changes other connections commit to one file, told apart from the engine's own."""

    def __init__(self, name: str, opener: Callable[[], sqlite3.Connection]) -> None:
        self._name = name
        self._open = opener
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        #: The version the last look saw (or that the engine's own commits moved it to).
        self._seen = 0
        #: The watch was stopped for a while (a bulk write): the next look cannot know what
        #: happened meanwhile, so it says "changed".
        self._gap = False
        self._closed = False

    def look(self) -> bool:
        """Whether another connection has committed since the last look (the first look
        starts watching and says False, unless a suspended watch left a gap)."""
        with self._lock:
            if self._closed:
                raise LibraryError(f"{self._name} is closed")
            if self._conn is None:
                self._conn = self._open()
                self._seen = self._version()
                gap, self._gap = self._gap, False
                return gap
            now = self._version()
            changed, self._seen = now != self._seen, now
            return changed

    def own_write_began(self) -> int | None:
        """Called inside this engine's write transaction, right after it took the write
        lock: a token for :meth:`own_write_committed` (None when not watching)."""
        if self._conn is None:  # (read without the lock: a stale None only skips one write)
            return None
        with self._lock, contextlib.suppress(sqlite3.Error):
            # Never fails the write: without a token its commit only looks like someone
            # else's to the next look (one needless reload, nothing missed).
            return self._version() if self._conn is not None else None
        return None

    def own_write_committed(self, before: int | None) -> None:
        """Called after that transaction's COMMIT with :meth:`own_write_began`'s token."""
        if before is None:
            return
        with self._lock, contextlib.suppress(sqlite3.Error):  # the write has committed
            if self._conn is None:
                return
            after = self._version()
            if before == self._seen:  # nothing else since the last look: only ours
                self._seen = after

    def suspend(self) -> None:
        """Close the watch connection for a while (a bulk write needs the file to itself);
        the next look opens it again and says "changed"."""
        with self._lock:
            if self._conn is not None:
                close_quietly(self._conn)
                self._conn = None
                self._gap = True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                close_quietly(self._conn)
                self._conn = None

    def _version(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
