"""A first copy's reference rows made in a helper process, handed back as SQLite images
(issue 19: ``team_clone_100k``).

Why: the reference lists are two thirds of a team library (2.85 million rows at 100,000
articles), and ``executemany`` binds every row's six values under the GIL, so the copy's two
threads mostly take turns (see :mod:`spinelib.store.clone`). Here a second process parses
each article's reference list (the JSON text the server sent) and writes the rows into an
in-memory SQLite database; every :data:`SHIP_EVERY` batches it is asked for that
database's image (``serialize``), which the copy collects a ship later, loads into a
scratch schema attached to its write connection (``deserialize``, allowed inside the write
transaction) and moves with one ``INSERT … SELECT``, which SQLite runs in C without the
GIL. Measured on the 100k
library's 2.85 million rows: 8.4 s of this process's CPU bound by ``executemany``, 2.5 s to
load and move the images (9.6 s in the helper, on the other core).

Promises:

- **The same rows**: the helper makes each row with :func:`reference_rows`, exactly what
  the copy makes in process, and rows go in batch order (``tests/team/test_team_clone.py``
  compares replicas copied both ways, row for row).
- **Never needed**: a helper that cannot start or fails (no second core, anything it
  raises, a malformed list) only means the unshipped lists are parsed in this process, as
  without it, where a malformed one fails the copy with the same error.
- The helper is ``python -m spinelib.store.refhelper`` fed through pipes, started as
  :mod:`spinelib.bulkvocab`'s is (:mod:`spinelib.helperprocess`). Its start (~0.2 s:
  the store package's imports) is paid only by copies of more than
  :data:`HELPER_AFTER` batches.
"""

from __future__ import annotations

import contextlib
import json
import logging
import pickle
import queue
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from spinelib import helperprocess
from spinelib.store.articles import INSERT_REFERENCE

if TYPE_CHECKING:
    from spinelib.store.connection import Connection

log = logging.getLogger(__name__)

#: The schema name of the scratch database a bulk write attaches (see
#: :meth:`spinelib.store.sqlite.engine.SqliteEngine.bulk_writing`).
SCRATCH = "bulk_scratch"
#: Batches of lists per image: ~28,000 rows and ~8 MB of image a batch at 100k. An image
#: waits to be collected, then is held twice while it loads (the bytes read, SQLite's
#: copy): the 100k copy's peak was 764 MB with 5 batches, against 675 MB with no helper
#: (and 835 MB with 10 batches collected at once).
SHIP_EVERY = 5
#: The longest wait for an image the helper was asked for, seconds (then it counts as hung).
ANSWER_TIMEOUT_S = 120.0
#: Batches written before the helper starts: a copy this small never pays for its start.
HELPER_AFTER = 2
#: A stored reference is [position, citation, doi, pmid, pmcid]; a short one reads as NULLs.
_PAD: list[Any] = [None] * 5
_TABLE = ("CREATE TABLE r (article_id INTEGER, position INTEGER, citation TEXT, doi TEXT, "
          "pmid TEXT, pmcid TEXT)")
#: One batch's lists: (local article id, the reference list's JSON text).
Lists = Sequence[tuple[int, str]]


class HelperFailed(Exception):
    """The helper could not start, died, or refused a list (the copy goes on without it)."""


def list_rows(aid: int, refs: list[Any]) -> list[tuple[Any, ...]]:
    """The ``reference`` rows (article_id, position, citation, doi, pmid, pmcid) of one
    article's parsed list; a short entry reads as NULLs, a non-list one raises TypeError."""
    return [(aid, *(r + _PAD)[:5]) for r in refs]


def reference_rows(lists: Lists) -> list[tuple[Any, ...]]:
    """:func:`list_rows` of each article's list (JSON text); raises ValueError or TypeError
    for a text that is not one JSON array of arrays."""
    rows: list[tuple[Any, ...]] = []
    for aid, text in lists:
        rows += list_rows(aid, json.loads(text))
    return rows


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The helper process: ``("add", lists)`` requests fill an in-memory database,
    ``("ship",)`` sends its image and row count (or the error that stopped it) and starts
    a new one, until the input ends."""
    db = _fresh()
    rows = 0
    error: str | None = None
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return
        if request[0] == "add" and error is None:
            try:
                made = reference_rows(request[1])
                db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?)", made)
                rows += len(made)
            except Exception as exc:  # noqa: BLE001 - told to the copy at the next ship
                error = f"{type(exc).__name__}: {exc}"
        elif request[0] == "ship":
            if error is None:
                db.commit()
                pickle.dump(("image", rows, db.serialize()), answers,
                            protocol=pickle.HIGHEST_PROTOCOL)
            else:
                pickle.dump(("error", error), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
            db.close()
            db, rows = _fresh(), 0


def _fresh() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(_TABLE)
    return db


def _empty_image() -> bytes:
    """The image of a database holding an empty ``r`` (SQLite cannot serialize an empty
    database)."""
    db = _fresh()
    try:
        return db.serialize()
    finally:
        db.close()


class ReferenceHelper:
    """One helper process for one copy: :meth:`add` each batch's lists, :meth:`request_ship`
    for the image of everything added since the last request, :meth:`collect` for the
    oldest requested image. Two threads talk to it, one feeding requests and one reading
    answers, so the copy never waits while the helper works through a batch (measured at
    100k: with each call waiting on the pipe, the copy spent 15 s of its 85 s waiting).
    Any failure raises :class:`HelperFailed` (and the helper is stopped)."""

    def __init__(self) -> None:
        try:
            self._proc: subprocess.Popen[bytes] | None = helperprocess.start(
                "spinelib.store.refhelper")
        except OSError as exc:
            raise HelperFailed(f"cannot start: {exc}") from exc
        # Bounded: a helper that falls behind holds the copy back instead of its memory
        # growing with every batch it has not read.
        self._requests: queue.Queue[tuple[Any, ...] | None] = queue.Queue(
            maxsize=2 * SHIP_EVERY)
        self._answers: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._threads = [threading.Thread(target=target, daemon=True, name=name)
                         for target, name in ((self._feed, "reference-helper-feed"),
                                              (self._read, "reference-helper-read"))]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def worth_it() -> bool:
        """Whether a helper can run (:func:`spinelib.helperprocess.can_start`)."""
        return helperprocess.can_start()

    def _feed(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        stdin = proc.stdin
        while (request := self._requests.get()) is not None:
            try:
                pickle.dump(request, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
            except (OSError, ValueError) as exc:  # a dead helper's pipe
                self._answers.put(("error", f"pipe: {exc}"))
                return
        with contextlib.suppress(OSError):
            stdin.close()  # the helper ends at the end of its input

    def _read(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        stdout = proc.stdout
        while True:
            try:
                answer = pickle.load(stdout)
            except Exception as exc:  # noqa: BLE001 - the helper ended (or died): no more
                self._answers.put(("error", f"no answer: {exc or 'end of output'}"))
                return
            self._answers.put(answer)

    def _put(self, request: tuple[Any, ...]) -> None:
        proc = self._proc
        if proc is None:
            raise HelperFailed("stopped")
        while True:
            try:
                self._requests.put(request, timeout=0.5)
                return
            except queue.Full:
                if proc.poll() is not None:  # dead, so its feeder takes nothing more
                    self.close()
                    raise HelperFailed(f"the helper ended (exit {proc.returncode})") from None

    def add(self, lists: Lists) -> None:
        """Hand one batch's lists over (they are made into rows meanwhile)."""
        self._put(("add", list(lists)))

    def request_ship(self) -> None:
        """Ask for the image of the rows made from the lists added since the last request."""
        self._put(("ship",))

    def collect(self) -> tuple[int, bytes]:
        """The oldest requested image: (its row count, the database image holding them as
        table ``r``); waits for it (at most :data:`ANSWER_TIMEOUT_S`: a hung helper)."""
        try:
            answer = self._answers.get(timeout=ANSWER_TIMEOUT_S)
        except queue.Empty:
            self.close(kill=True)
            raise HelperFailed("no answer in time") from None
        if answer[0] != "image":
            self.close(kill=True)
            raise HelperFailed(str(answer[1]))
        return int(answer[1]), answer[2]

    def close(self, kill: bool = False) -> None:
        """Stop the helper and wait for it; harmless when it has stopped. ``kill``: at
        once, without letting it finish the lists it was given (a failed copy)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            self._requests.put_nowait(None)
        except queue.Full:
            kill = True  # it is behind: what it still has to do is not wanted
        if kill:
            proc.kill()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for thread in self._threads:
            thread.join(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


class ReferenceWriter:
    """A first copy's reference rows written into ``reference`` on ``conn`` (inside the
    copy's write transaction), batch by batch and in batch order: through a helper when it
    is worth it (see the module's promises), else here.

    Every :data:`SHIP_EVERY` batches the helper is asked for an image, which is collected
    and moved when the next one is asked for (it has had those batches' time to arrive), and
    the last at :meth:`finish`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._helper: ReferenceHelper | None = None
        # A second core, and a scratch schema to load images into (a bulk write's).
        self._can_help = ReferenceHelper.worth_it() and conn.scalar(
            "SELECT count(*) FROM pragma_database_list WHERE name = :n", {"n": SCRATCH}) == 1
        self._batches = 0
        #: The lists of the image asked for and not yet collected, then those given since:
        #: kept, in order, to write here if the helper fails.
        self._asked: list[Lists] = []
        self._unshipped: list[Lists] = []
        #: How the rows went in (tests, benchmarks): rows shipped, rows written here.
        self.shipped = 0
        self.written_here = 0

    def _write_here(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows made in this process (no helper, or one that failed), written directly."""
        if rows:
            self.conn.executemany(INSERT_REFERENCE, rows)
            self.written_here += len(rows)

    def add(self, lists: Lists) -> None:
        """One batch's reference lists (JSON texts)."""
        if not lists:
            return
        self._batches += 1
        if self._helper is None and self._can_help and self._batches > HELPER_AFTER:
            try:
                self._helper = ReferenceHelper()
            except HelperFailed as exc:
                self._give_up(exc)
        if self._helper is None:
            self._write_here(reference_rows(lists))
            return
        try:
            self._helper.add(lists)
            self._unshipped.append(lists)
            if len(self._unshipped) >= SHIP_EVERY:
                self._collect()
                self._ask()
        except HelperFailed as exc:
            self._give_up(exc)

    def finish(self) -> None:
        """Write what the helper still holds (call before the copy's indexes are built)."""
        if self._helper is None:
            return
        try:
            self._collect()
            if self._unshipped:
                self._ask()
                self._collect()
        except HelperFailed as exc:
            self._give_up(exc)

    def close(self) -> None:
        """Stop the helper (an unfinished copy's lists are dropped with its transaction)."""
        if self._helper is not None:
            self._helper.close(kill=bool(self._asked or self._unshipped))
            self._helper = None

    def _ask(self) -> None:
        assert self._helper is not None
        self._helper.request_ship()
        self._asked, self._unshipped = self._unshipped, []

    def _collect(self) -> None:
        """Move the image asked for into ``reference``: loaded into the scratch schema, one
        ``INSERT … SELECT`` in C, its rows in the order they were made."""
        if not self._asked:
            return
        assert self._helper is not None
        count, image = self._helper.collect()
        raw = self.conn.raw
        assert isinstance(raw, sqlite3.Connection)
        raw.deserialize(image, name=SCRATCH)
        del image
        moved = raw.execute(
            'INSERT INTO "reference" (article_id, position, citation, doi, pmid, pmcid) '
            f"SELECT article_id, position, citation, doi, pmid, pmcid FROM {SCRATCH}.r "
            "ORDER BY rowid").rowcount
        if moved != count:  # cannot happen short of a broken SQLite: fail the whole copy
            raise sqlite3.DatabaseError(f"moved {moved} of the helper's {count} reference rows")
        raw.deserialize(_empty_image(), name=SCRATCH)  # SQLite's copy freed now, not later
        self.shipped += count
        self._asked = []

    def _give_up(self, exc: HelperFailed) -> None:
        """Go on without the helper: the lists it has not shipped are written here, in
        order (a malformed one raising as it would have without a helper)."""
        log.warning("the reference helper process failed (%s); the first copy writes the "
                    "reference lists itself", exc)
        self._can_help = False
        if self._helper is not None:
            self._helper.close(kill=True)
            self._helper = None
        pending, self._asked, self._unshipped = self._asked + self._unshipped, [], []
        for lists in pending:
            self._write_here(reference_rows(lists))


if __name__ == "__main__":  # the helper process
    serve(sys.stdin.buffer, sys.stdout.buffer)
