"""A new client's first copy of a team library, streamed from the server (``team_clone_100k``).

One thread reads the library from the server a batch at a time
(:func:`spinelib.store.postgres.firstcopy.read_library`); the caller's thread writes each
batch into the replica as it arrives (:class:`spinelib.store.clone.Clone`), all in one SQLite
write transaction. A queue of :data:`AHEAD` batches between them keeps memory flat (the
reader waits when the writer is behind) and lets the server's work on one batch overlap
the writing of the one before. The reader's own Python work (decoding, making rows) overlaps
little: the writer holds the GIL while it binds each row (see :mod:`spinelib.store.clone`);
the reference lists are left as the server's JSON text, for a helper process to make into
rows on another core (:mod:`spinelib.store.refhelper`).

Promises:
- All or nothing: the replica commits the whole copy, with ``last_seen`` (the snapshot's
  newest change), ``last_private`` and ``last_sync``, or nothing at all (an interrupted copy
  leaves an empty replica, and the next pull copies again).
- A copy starts only into a replica that is still empty with nothing waiting, checked inside
  the write transaction; otherwise :func:`first_copy` returns None and writes nothing (the
  caller's general pull applies the documents one by one).
- Every wait for the server runs through ``bounded`` (the sync room's heartbeat-watched
  call), so a dead or hung server ends the copy within seconds with the room's own error.
- Leaving early (an error on either side) stops the reader, which closes its cursor and
  transaction before it ends, so the server connection can be used again.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

from spinelib.store import Store, names
from spinelib.store import outbox as ob
from spinelib.store.clone import Clone, RowMaker
from spinelib.store.gcpause import gc_paused
from spinelib.store.postgres import Server
from spinelib.store.postgres.firstcopy import LibraryStream, read_library

#: Runs a wait for the server on a watched worker (``SyncManager._bounded``).
Bounded = Callable[[Callable[[], Any]], Any]
#: Batches read ahead of the writer: one being parsed while one waits is all the overlap
#: there is to have; more would only hold more memory.
AHEAD = 2
_END = object()


def first_copy(store: Store, server: Server, private_since: int, bounded: Bounded) -> int | None:
    """Copy the whole library into the empty replica of ``store`` (see the module's
    promises); returns the articles written, or None when the replica was not empty (or
    had changes waiting) by the time the write began."""
    reader = _Reader(server, private_since, bounded)
    try:
        head: LibraryStream = reader.take()
        with store.bulk_writing() as conn:  # written once, not through the WAL
            if ob.pending_uuids(conn) or not ob.no_articles(conn):
                return None
            ob.set_state(conn, "capture", "0")
            with gc_paused(), Clone(conn, store.fulltext, store.tagcounts) as clone:
                while (batch := reader.take()) is not None:
                    clone.add(batch)
            for event in head.names:  # the lists and tags no article holds
                names.create_name(conn, event)
            ob.pulled_up_to(conn, head.seq, head.private_seq)
        return clone.count
    finally:
        reader.stop()


class _Reader:
    """The server side of a copy: a thread that puts the stream's head, then each batch's
    rows (made on this thread: :class:`RowMaker`), then :data:`_END` (or the error that
    ended it) into a small queue."""

    def __init__(self, server: Server, private_since: int, bounded: Bounded) -> None:
        self._bounded = bounded
        self._abandoned = False
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(server, private_since),
                                        daemon=True, name="spinelib-first-copy")
        self._thread.start()

    def _run(self, server: Server, private_since: int) -> None:
        try:
            with read_library(server.conn, private_since) as stream:
                if not self._put(stream):
                    return
                maker = RowMaker(stream.private)
                for batch in stream.batches:
                    if not self._put(maker.batch(batch)):
                        return
            self._put(_END)
        except BaseException as exc:  # handed to the writer's thread by take()
            self._put(exc)

    def _put(self, item: Any) -> bool:
        """Queue ``item``, waiting while the writer is behind; False once stopped."""
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def take(self) -> Any:
        """The next item (None at the end), waited for through ``bounded``, which also
        turns the reader's connection errors into the sync room's own."""
        try:
            item = self._bounded(self._next)
        except BaseException:
            # The server failed (or the reader did, and has ended): do not wait for it.
            self._abandoned = True
            raise
        return None if item is _END else item

    def _next(self) -> Any:
        item = self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def stop(self) -> None:
        """Stop the reader and wait until it has closed its cursor and transaction (it is
        between two FETCHes, or waiting to queue), so the connection is free for the next
        call (a wait watched by ``bounded``, which drops the connection of a server that
        hangs meanwhile). After a failed wait the reader is not waited for: it has ended, or
        the server hangs and ``bounded`` has already dropped the connection."""
        self._stopped.set()
        while True:  # unblock a reader waiting to queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        if self._abandoned:
            with contextlib.suppress(queue.Full):  # wake a watched get() left behind
                self._queue.put_nowait(_END)
        else:  # watched too: a server hanging just now must not hang the caller
            with contextlib.suppress(Exception):  # the caller's own outcome stands
                self._bounded(self._thread.join)
