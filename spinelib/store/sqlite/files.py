"""The library file's copies: backups, the newest one, and the message for a damaged file.

Promises:
- :func:`backup_to` writes a consistent copy (SQLite's online-backup API) even while another
  process writes, beside its final name first, so a copy is whole or absent.
- :func:`automatic_backup` keeps the newest :data:`BACKUPS_KEPT` per library.
- Every "damaged" message names the newest backup, so the user knows where to go.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from spinelib.errors import LibraryError
from spinelib.paths import backup_dir, ensure_dir

#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 15_000
#: Seconds :func:`roll_back_hot_journal` waits for a lock before leaving the journal alone.
HOT_JOURNAL_WAIT_S = 1.0
#: Automatic backups kept per library.
BACKUPS_KEPT = 7
SQLITE_MAGIC = b"SQLite format 3\x00"


def configure(raw: sqlite3.Connection) -> None:
    """Every connection: a busy timeout (processes queue, not fail), foreign keys on, WAL so
    readers never block the writer, NORMAL sync (safe with WAL, much faster)."""
    raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    raw.execute("PRAGMA foreign_keys = ON")
    use_wal(raw)
    raw.execute("PRAGMA synchronous = NORMAL")


def use_wal(raw: sqlite3.Connection) -> None:
    """Put the file in WAL mode, waiting (up to the busy timeout) for another process that
    holds it: SQLite answers a journal-mode change it cannot make at once with "database is
    locked" without calling the busy handler, so two processes creating one new library at
    the same moment made one fail ("cannot upgrade …: database is locked", 1 in 2 runs
    started together). A file already in WAL mode is left as it is."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            row = raw.execute("PRAGMA journal_mode").fetchone()
            if row is None or str(row[0]).lower() != "wal":
                raw.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def roll_back_hot_journal(path: Path) -> None:
    """Finish what a process that died mid-write in rollback-journal mode left (a replica's
    first copy: :meth:`SqliteEngine.bulk_writing`): a *hot* journal beside the file, which
    the first read-write connection rolls back, restoring the last committed state. Without
    this the checks that open the file read-only would take it for damaged ("attempt to
    write a readonly database"). Does nothing without a journal or for a file that is not
    SQLite; SQLite itself leaves alone a journal whose writer is still alive (it holds the
    lock), and any error is left for those checks to report."""
    journal = path.with_name(path.name + "-journal")
    try:
        if not journal.is_file() or journal.stat().st_size == 0:
            return
        with open(path, "rb") as head:
            if head.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return
    except OSError:
        return
    # A short wait: a journal whose writer still holds the lock is not hot (nothing to roll
    # back), and the checks that follow wait the full busy timeout for that writer anyway.
    raw = sqlite3.connect(path, timeout=HOT_JOURNAL_WAIT_S)
    try:
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reading rolls back
    except sqlite3.Error:
        pass  # locked or damaged: check_existing says which, and changes nothing
    finally:
        raw.close()


def backup_to(path: Path, dest: Path) -> Path:
    """Copy the library at ``path`` to ``dest`` consistently, even while another process has
    it open. ``dest`` is written beside its final name and renamed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    src = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dest)
    return dest


def automatic_backup(path: Path, reason: str) -> Path:
    """Back the library up into its backups folder, keeping the newest BACKUPS_KEPT."""
    folder = ensure_dir(backup_dir(path))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = backup_to(path, folder / f"{path.stem}-{stamp}-{reason}.sqlite")
    backups = sorted(folder.glob(f"{path.stem}-*.sqlite"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return dest


def newest_backup(path: Path) -> Path | None:
    folder = backup_dir(path)
    backups = sorted(folder.glob(f"{path.stem}-*.sqlite")) if folder.is_dir() else []
    return backups[-1] if backups else None


def backup_hint(path: Path) -> str:
    """" The newest backup is …" (or nothing), to end a message about a bad library."""
    newest = newest_backup(path)
    return f" The newest backup is {newest}." if newest else ""


def damaged(path: Path, exc: BaseException) -> LibraryError:
    """The plain error for a library SQLite cannot read, pointing to the newest backup."""
    detail = getattr(exc, "orig", None) or exc
    return LibraryError(f"{path} is damaged and cannot be used ({detail}).{backup_hint(path)} "
                        "The file was not changed.")
