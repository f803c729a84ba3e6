"""An opened SQLite library: checked, migrated, with one connection per thread.

Promises:
- :meth:`SqliteEngine.open` never modifies a file it refuses (not SQLite, damaged, someone
  else's database, a newer schema): it raises :class:`LibraryError` and the file is untouched.
- Every connection has foreign keys on, WAL journaling and a busy timeout, so the GUI and a CLI
  command can share a library; writers take the write lock up front (``BEGIN IMMEDIATE``), so
  two processes queue on the busy timeout instead of one failing to upgrade a read lock.
- Each thread has its own connection (SQLite connections must not be shared mid-transaction);
  :meth:`close` closes them all, none while a thread is using it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from spinelib.errors import LibraryError
from spinelib.paths import ensure_dir
from spinelib.store.connection import Connection, StatementListener
from spinelib.store.dialect import Dialect
from spinelib.store.refhelper import SCRATCH
from spinelib.store.sqlite import deferred_indexes, files, maintenance
from spinelib.store.sqlite.changewatch import ChangeWatch
from spinelib.store.sqlite.checkpoint import DeferredCheckpoint
from spinelib.store.sqlite.connections import ThreadConnections
from spinelib.store.sqlite.dialect import SqliteDialect
from spinelib.store.sqlite.migrations import check_existing, migrate

log = logging.getLogger(__name__)


class SqliteEngine:
    """The engine of one library file (see :class:`spinelib.store.dialect.Engine`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dialect: Dialect = SqliteDialect()
        self.listeners: list[StatementListener] = []
        #: Called inside every write transaction just before COMMIT (a team replica turns
        #: its edits into outbox entries there: the edit and its entry commit together).
        self.before_commit: list[Callable[[Connection], None]] = []
        self._conns = ThreadConnections(str(path), self._connect)
        #: Changes other processes commit, told apart from this engine's own (opt-in).
        self._watch = ChangeWatch(str(path), self._connect)
        #: A bulk write's WAL checkpoint, run after its commit on a thread of its own.
        self.checkpoints = DeferredCheckpoint(path)

    @classmethod
    def open(cls, path: Path) -> SqliteEngine:
        """Open (creating or upgrading as needed) the library file at ``path``."""
        path = Path(path)
        if path.exists():
            if path.is_dir():
                raise LibraryError(f"{path} is a directory, not a library file")
            files.roll_back_hot_journal(path)  # a first copy cut off by a crash
            version = check_existing(path)
        else:
            ensure_dir(path.parent)
            version = 0
            try:
                path.touch()
            except OSError as exc:
                raise LibraryError(f"cannot create {path}: {exc.strerror or exc}") from exc
        migrate(path, version)
        engine = cls(path)
        try:
            # Before anything reads it: indexes a killed large import had set aside (one
            # read of the schema on the connection this thread keeps anyway; a write only
            # when some are missing).
            made = engine._restore_deferred()
        except BaseException:
            engine.close()
            raise
        if made:
            log.warning("made the reference indexes an interrupted import had set aside: "
                        "%s", ", ".join(made))
        return engine

    @property
    def location(self) -> Path:
        return self.path

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN ourselves, of the kind each use needs.
        raw = sqlite3.connect(self.path, timeout=files.BUSY_TIMEOUT_MS / 1000,
                              isolation_level=None, check_same_thread=False)
        raw.row_factory = sqlite3.Row
        files.configure(raw)
        return raw

    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[Connection]:
        raw = self._conns.enter()  # (not a nested context manager: every call pays for one)
        try:
            if raw.in_transaction:
                # Re-entered on the same thread (a read inside a write): share it.
                yield Connection(raw, self.listeners)
                return
            conn = Connection(raw, self.listeners)
            conn.execute(begin)
            try:
                # A write's own commit is not a change "elsewhere" (see changewatch).
                own = self._watch.own_write_began() if begin != "BEGIN" else None
                yield conn
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
            if begin == "BEGIN":
                raw.execute("ROLLBACK")  # a snapshot read changes nothing; release it
            else:
                try:
                    for hook in self.before_commit:
                        hook(conn)
                except BaseException:
                    raw.execute("ROLLBACK")
                    raise
                raw.execute("COMMIT")
                self._watch.own_write_committed(own)
        finally:
            self._conns.leave(raw)

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        return self._transaction("BEGIN")

    def writing(self) -> contextlib.AbstractContextManager[Connection]:
        return self._transaction("BEGIN IMMEDIATE")

    @contextlib.contextmanager
    def bulk_writing(self) -> Iterator[Connection]:
        """:meth:`writing` for filling a nearly empty file in bulk (a team replica's first
        copy), with the same all-or-nothing promise, writing the data once instead of twice.

        In WAL mode every page of a big transaction is written to the WAL, then copied into
        the file by the checkpoint (3.3 GB twice for a 100,000-article replica). For its
        duration this write uses a rollback journal instead, which holds only the pages that
        existed before (a few, in a nearly empty file): new pages go straight into the file,
        and a crash or an error mid-way rolls back to what was there (SQLite's own hot-journal
        recovery), exactly as the WAL would. The journal mode can only change while this is
        the file's only connection: otherwise (another thread or process has it open) the
        write simply goes through the WAL as :meth:`writing` does. WAL mode is set back at the
        end (and each new connection sets it anyway). While the rollback journal is in use a
        connection opened meanwhile waits for the write lock (up to the busy timeout) instead
        of reading the file's old state."""
        with self._conns.using() as raw:
            fresh = not raw.in_transaction  # (nested in a write, it joins it as it is)
            if fresh:
                self._watch.suspend()  # the journal switch needs the file to itself
            switched = fresh and _journal(raw, "delete")
            # An empty in-memory schema a bulk writer may load database images into
            # (:mod:`spinelib.store.refhelper`): ATTACH is refused inside a transaction,
            # so it is attached here, before the write begins, and detached after it ends.
            scratch = fresh and _attach_scratch(raw)
            try:
                with self.writing() as conn:
                    yield conn
            finally:
                if scratch:
                    with contextlib.suppress(sqlite3.Error):
                        raw.execute(f"DETACH DATABASE {SCRATCH}")
                if switched:
                    _journal(raw, "wal")

    @contextlib.contextmanager
    def reference_lookups_deferred(self) -> Iterator[None]:
        """For a large import's batches: the reference identifier indexes set aside (one
        commit) and made again when the block ends, however it ends (see
        :mod:`spinelib.store.sqlite.deferred_indexes`); the build leaves its WAL checkpoint
        to a thread, as a bulk write's does."""
        with self.writing() as conn:
            deferred_indexes.set_aside(conn)
        try:
            yield
        except BaseException:
            # The block's own error is the one to report; if the build fails too (a full
            # disk), the next open makes the indexes.
            with contextlib.suppress(sqlite3.Error, LibraryError):
                self._restore_deferred()
            raise
        self._restore_deferred()

    def _restore_deferred(self) -> list[str]:
        """Make the set-aside indexes that are missing (no write when none is); returns
        their names."""
        with self.reading() as conn:
            if not deferred_indexes.missing(conn):
                return []
        with self.writing_checkpoint_later() as conn:
            return deferred_indexes.restore(conn)

    @contextlib.contextmanager
    def writing_checkpoint_later(self) -> Iterator[Connection]:
        """:meth:`writing` whose commit leaves the WAL checkpoint to a thread afterwards
        (see :mod:`spinelib.store.sqlite.checkpoint`); nested, it joins the outer write."""
        with self._conns.using() as raw:
            if raw.in_transaction:  # the outer write's commit is where a checkpoint runs
                with self.writing() as conn:
                    yield conn
                return
            with self.checkpoints.around(raw), self.writing() as conn:
                yield conn

    def changed_elsewhere(self) -> bool:
        """Whether another process (or another engine on this file) has committed a change
        since the last call; the first call starts watching (see
        :mod:`spinelib.store.sqlite.changewatch`)."""
        return self._watch.look()

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.scalar("PRAGMA user_version"))

    def backup_to(self, dest: Path) -> Path:
        return files.backup_to(self.path, dest)

    def automatic_backup(self, reason: str) -> Path:
        return files.automatic_backup(self.path, reason)

    def newest_backup(self) -> Path | None:
        return files.newest_backup(self.path)

    def quick_check(self) -> list[str]:
        return maintenance.quick_check(self.path)

    def integrity_problems(self) -> list[str]:
        return maintenance.integrity_problems(self.path)

    def damaged(self, exc: BaseException) -> Exception:
        return files.damaged(self.path, exc)

    def close(self) -> None:
        """Close the library: every connection once no thread is using it (a worker's read
        or write under way finishes first; see :mod:`spinelib.store.sqlite.connections`)."""
        self.checkpoints.wait()
        self._watch.close()
        still = self._conns.close()
        if still:
            log.warning("%s: %d connection(s) still in use when closing; each closes when "
                        "its work ends", self.path, len(still))


def _attach_scratch(raw: sqlite3.Connection) -> bool:
    """Attach the empty in-memory :data:`SCRATCH` schema; whether it is attached now."""
    try:
        raw.execute(f"ATTACH DATABASE ':memory:' AS {SCRATCH}")
    except sqlite3.OperationalError:  # already attached (or too many attached): none here
        return False
    return True


def _journal(raw: sqlite3.Connection, mode: str) -> bool:
    """Set ``raw``'s journal mode; whether it is now ``mode`` (SQLite refuses to leave WAL
    mode while another connection has the file open: "database is locked")."""
    try:
        row = raw.execute(f"PRAGMA journal_mode = {mode}").fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None and str(row[0]).lower() == mode
