"""A bulk write's WAL checkpoint taken off the caller's path (issue 15: undo of 1,000).

SQLite copies the write-ahead log into the database file ("checkpoints") inside the COMMIT
that takes the log past ``wal_autocheckpoint`` pages (1,000 by default). An undo or
``trash restore`` of 1,000 articles at 100,000 writes about 38,000 pages, so its own COMMIT
paid for copying all of them into the file: measured at 100k, 0.25-0.34 s of CPU (0.5-1.4 s
wall on a loaded disk) of an undo that must take under a second.

:class:`DeferredCheckpoint` turns the automatic checkpoint off for one write transaction
and, once it has committed, runs a PASSIVE checkpoint on a thread of its own with its own
connection. Nothing is less safe for it: the committed frames are in the WAL (durable with
``synchronous = NORMAL`` as before), readers see them at once, and a checkpoint is itself
crash-safe; a PASSIVE one never waits for a lock, so readers and the next writer carry on
while it copies (it copies what it can; the next automatic checkpoint does the rest).

Promises:
- The connection's own ``wal_autocheckpoint`` is back to what it was after the transaction,
  committed or rolled back.
- At most one checkpoint thread per library at a time; :meth:`wait` joins it (the engine
  does on close, so a CLI command never exits mid-copy and a test's folder is free).
- A checkpoint that fails (the file gone, a lock held by an exclusive writer) only leaves
  the frames in the WAL for the next automatic checkpoint: it never raises.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path


class DeferredCheckpoint:
    """The deferred checkpoints of one library file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        #: How many checkpoints ran to the end (tests count them).
        self.completed = 0

    @contextlib.contextmanager
    def around(self, raw: sqlite3.Connection) -> Iterator[None]:
        """No automatic checkpoint in ``raw``'s commits inside the block; one after it."""
        before = int(raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        raw.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            raw.execute(f"PRAGMA wal_autocheckpoint = {before}")
        self.start()

    def start(self) -> None:
        """Start a PASSIVE checkpoint on its own thread (none if one is still running:
        it will copy these frames too, or the next automatic checkpoint will)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name="spinelib-checkpoint",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with contextlib.suppress(sqlite3.Error, OSError):
            con = sqlite3.connect(self.path, isolation_level=None)
            try:
                con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.completed += 1
            finally:
                con.close()

    def wait(self) -> None:
        """Block until the running checkpoint (if any) has finished."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()
