"""Checking a library file and restoring one from a backup.

Promises:
- :func:`integrity_problems` reports SQLite's integrity and foreign-key checks, the schema
  version and the full-text index's own check as plain messages ([] = healthy).
- :func:`restore` validates the backup before touching anything, keeps the replaced library
  (backed up, or set aside when damaged), and leaves the library whole at every moment for
  other processes.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from spinelib.errors import LibraryError
from spinelib.paths import backup_dir, ensure_dir
from spinelib.store.sqlite.files import (
    BUSY_TIMEOUT_MS,
    automatic_backup,
    backup_hint,
    backup_to,
)
from spinelib.store.sqlite.migrations import check_existing, is_sqlite_file, migrate, target_version


def integrity_problems(path: Path) -> list[str]:
    """SQLite's integrity and foreign-key checks plus our schema version, as messages."""
    problems: list[str] = []
    # Read-write (never create): FTS5's 'integrity-check' command needs a writable handle,
    # though it changes nothing.
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems.extend(f"integrity: {r}" for r in rows)
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems.extend(f"foreign key: table {r[0]} row {r[1]} refers to missing {r[2]}"
                        for r in fk)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != target_version():
            problems.append(f"schema version {version}, expected {target_version()}")
        try:
            conn.execute("INSERT INTO article_fts(article_fts) VALUES('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index: {exc}")
        missing = conn.execute(
            "SELECT count(*) FROM article WHERE id NOT IN (SELECT rowid FROM article_fts)"
        ).fetchone()[0]
        if missing:
            problems.append(f"full-text index: {missing} articles are not indexed")
    except sqlite3.DatabaseError as exc:
        problems.append(f"cannot check: {exc}.{backup_hint(path)}")
    finally:
        conn.close()
    return problems


def check_backup(source: Path) -> None:
    """LibraryError unless ``source`` is a file holding a SpineLib library of a schema this
    version can open (what :func:`restore` checks before SQLite's slower integrity check:
    enough to refuse a wrong file before the user is asked to confirm)."""
    if not source.is_file():
        raise LibraryError(f"no such backup file: {source}")
    if check_existing(source) == 0:
        raise LibraryError(f"{source} is empty; nothing to restore")


def restore(path: Path, source: Path) -> Path | None:
    """Replace the library at ``path`` with the backup ``source``.

    The backup is validated first (an SQLite SpineLib library of a schema we can open, passing
    SQLite's integrity check); the current library, if any, is backed up before it is replaced;
    the copy goes through the online-backup API so other processes see either library whole.
    Returns the path of the safety backup of the replaced library (None if there was none).
    """
    check_backup(source)
    problems = [p for p in integrity_problems(source) if not p.startswith("schema version")]
    if problems:
        # SQLite's integrity report spans several lines; a message stays on one.
        detail = "; ".join(line.strip() for line in problems[0].splitlines() if line.strip())
        detail = detail if len(detail) <= 200 else detail[:199] + "…"
        raise LibraryError(f"{source} is damaged ({detail}); not restored")
    saved: Path | None = None
    sound = True
    if path.exists() and path.stat().st_size:
        # A damaged library (the usual reason to restore) can be neither backed up into the
        # rotation (it would become "the newest backup") nor written through SQLite.
        sound = is_sound(path)
        saved = automatic_backup(path, "before-restore") if sound else _set_aside(path)
    ensure_dir(path.parent)
    if not sound:
        _replace_whole(path, source)
        migrate(path, check_existing(path))
        return saved
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    migrate(path, check_existing(path))
    return saved


def quick_check(path: Path) -> list[str]:
    """SQLite's fast structural check, read-only: [] when sound, else its first lines."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        verdict = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    finally:
        conn.close()
    return [] if verdict == ["ok"] else verdict


def is_sound(path: Path) -> bool:
    """Whether SQLite reads the whole file without complaint (``quick_check``), read-only."""
    try:
        return is_sqlite_file(path) and not quick_check(path)
    except (OSError, sqlite3.DatabaseError):
        return False


def _set_aside(path: Path) -> Path:
    """Keep a damaged library's bytes in its backups folder, outside the rotation (the name
    does not end in .sqlite, so it is never pruned as old nor offered as the newest backup)."""
    folder = ensure_dir(backup_dir(path))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = folder / f"{path.stem}-{stamp}-replaced.sqlite.damaged"
    shutil.copy2(path, dest)
    return dest


def _replace_whole(path: Path, source: Path) -> None:
    """Copy ``source`` beside ``path`` and rename it over it, dropping the old WAL files
    (SQLite would otherwise try to apply the damaged file's log to the restored one)."""
    tmp = backup_to(source, path.with_name(path.name + ".restoring"))
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    tmp.replace(path)
