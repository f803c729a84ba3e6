"""The library file: engine, pragmas, schema versioning, FTS index, backups, integrity check.

Promises:
- :func:`open_engine` never modifies a file it refuses: a file that is not SQLite, is damaged,
  or carries a newer schema than this SpineLib knows raises :class:`LibraryError` untouched.
- An older schema is backed up (SQLite online-backup API) before any migration step runs, and
  each step runs in one transaction, so a failed migration leaves the old file as it was.
- Every connection has foreign keys on, WAL journaling and a busy timeout, so the GUI and a CLI
  command can share a library.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel, create_engine

from spinelib import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from spinelib.errors import LibraryError
from spinelib.paths import backup_dir, ensure_dir

#: The schema this SpineLib writes. Bump with a new entry in MIGRATIONS.
SCHEMA_VERSION = 2
#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 15_000
#: Automatic backups kept per library.
BACKUPS_KEPT = 7

SQLITE_MAGIC = b"SQLite format 3\x00"

FTS_COLUMNS = ("title", "abstract", "authors", "journal", "keywords", "mesh", "notes", "tags")

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5("
    + ", ".join(FTS_COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2')"
)


def _create_v1(conn: sqlite3.Connection) -> None:
    """Version 1: the tables of models.py as first released, plus the FTS index."""
    # Compile the DDL to text and run it on this connection, inside the ladder's transaction
    # (handing the connection to an SQLAlchemy engine would let its pool roll it back).
    dialect = sqlite_dialect.dialect()
    for table in SQLModel.metadata.sorted_tables:
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
    conn.execute(FTS_DDL)


#: Schema 2: indexes that make the sidebar and "cited by" instant at 100,000 articles, and
#: count tables the triggers keep exact on every insert, update and delete (cascades too).
#: The triggers never rely on a conflict clause (INSERT OR IGNORE): an UPSERT that fires a
#: trigger imposes its own conflict policy on the trigger's statements.
V2_DDL = (
    "DROP INDEX IF EXISTS ix_article_tag_tag",
    "CREATE INDEX ix_article_tag_tag ON article_tag (tag_id, origin, article_id)",
    'CREATE INDEX IF NOT EXISTS ix_reference_pmcid ON "reference" (pmcid)',
    "CREATE INDEX IF NOT EXISTS ix_article_read ON article (read_status)",
    "CREATE INDEX IF NOT EXISTS ix_article_flagged ON article (id) "
    "WHERE retracted OR has_erratum",
    "CREATE TABLE facet_count (facet TEXT NOT NULL, value TEXT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (facet, value)) WITHOUT ROWID",
    "INSERT INTO facet_count SELECT facet, value, count(*) FROM article_facet "
    "GROUP BY facet, value",
    """CREATE TRIGGER facet_count_ins AFTER INSERT ON article_facet BEGIN
         INSERT INTO facet_count SELECT new.facet, new.value, 0 WHERE NOT EXISTS
           (SELECT 1 FROM facet_count WHERE facet = new.facet AND value = new.value);
         UPDATE facet_count SET n = n + 1 WHERE facet = new.facet AND value = new.value;
       END""",
    """CREATE TRIGGER facet_count_del AFTER DELETE ON article_facet BEGIN
         UPDATE facet_count SET n = n - 1 WHERE facet = old.facet AND value = old.value;
       END""",
    # Direct assignments per tag that count as having it (every origin but 'rejected').
    "CREATE TABLE tag_count (tag_id TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL) "
    "WITHOUT ROWID",
    "INSERT INTO tag_count SELECT tag_id, count(*) FROM article_tag "
    "WHERE origin != 'rejected' GROUP BY tag_id",
    """CREATE TRIGGER tag_count_ins AFTER INSERT ON article_tag
       WHEN new.origin != 'rejected' BEGIN
         INSERT INTO tag_count SELECT new.tag_id, 0 WHERE NOT EXISTS
           (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
         UPDATE tag_count SET n = n + 1 WHERE tag_id = new.tag_id;
       END""",
    """CREATE TRIGGER tag_count_del AFTER DELETE ON article_tag
       WHEN old.origin != 'rejected' BEGIN
         UPDATE tag_count SET n = n - 1 WHERE tag_id = old.tag_id;
       END""",
    """CREATE TRIGGER tag_count_upd_old AFTER UPDATE OF tag_id, origin ON article_tag
       WHEN old.origin != 'rejected' BEGIN
         UPDATE tag_count SET n = n - 1 WHERE tag_id = old.tag_id;
       END""",
    """CREATE TRIGGER tag_count_upd_new AFTER UPDATE OF tag_id, origin ON article_tag
       WHEN new.origin != 'rejected' BEGIN
         INSERT INTO tag_count SELECT new.tag_id, 0 WHERE NOT EXISTS
           (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
         UPDATE tag_count SET n = n + 1 WHERE tag_id = new.tag_id;
       END""",
)


def _migrate_v2(conn: sqlite3.Connection) -> None:
    for statement in V2_DDL:
        conn.execute(statement)


#: Ladder: MIGRATIONS[n] upgrades a version n-1 library (0 = empty file) to version n.
#: A new library is created by step 1 from the current models and then walks the rest of
#: the ladder, so every later step must also hold on a freshly created file (IF NOT EXISTS).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1, 2: _migrate_v2}


def is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def read_schema_version(path: Path) -> int:
    """``PRAGMA user_version`` of an existing file, opened read-only (the file is untouched)."""
    return _read_version_and_tables(path)[0]


def _read_version_and_tables(path: Path) -> tuple[int, int]:
    """The schema version and the number of schema objects, read in one snapshot.

    One read transaction matters: another process creating the same new library sets the
    version in the transaction that creates the tables, so a snapshot never shows tables
    without a version unless the file really is someone else's database.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None)
        try:
            conn.execute("BEGIN")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
            conn.execute("COMMIT")
            return version, tables
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise damaged(path, exc) from exc


def _configure(dbapi_conn: sqlite3.Connection) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def backup_to(path: Path, dest: Path) -> Path:
    """Copy the library at ``path`` to ``dest`` consistently (online-backup API), even while
    another process has it open. ``dest`` is written beside its final name and renamed."""
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


def _hint(path: Path) -> str:
    newest = newest_backup(path)
    return f" The newest backup is {newest}." if newest else ""


def damaged(path: Path, exc: BaseException) -> LibraryError:
    """The plain error for a library SQLite cannot read, pointing to the newest backup."""
    detail = getattr(exc, "orig", None) or exc
    return LibraryError(f"{path} is damaged and cannot be used ({detail}).{_hint(path)} "
                        "The file was not changed.")


def _check_existing(path: Path) -> int:
    """Validate an existing file without writing to it; return its schema version."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size == 0:
        return 0
    try:
        ok = is_sqlite_file(path)
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not ok:
        raise LibraryError(f"{path} is not a SpineLib library (not an SQLite file).{_hint(path)}")
    version, tables = _read_version_and_tables(path)
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"{path} was written by a newer SpineLib (schema {version}; this version knows "
            f"{SCHEMA_VERSION}). Upgrade SpineLib to open it; the file was not changed.")
    if version == 0 and tables:
        # An SQLite file with no schema version: only an empty database is ours to initialise.
        raise LibraryError(f"{path} is an SQLite database but not a SpineLib library; "
                           "it was not changed.")
    return version


def migrate(path: Path, current: int) -> None:
    """Run the ladder from ``current`` to SCHEMA_VERSION, backing up a non-empty file first."""
    if current == SCHEMA_VERSION:
        return
    if current > 0:
        automatic_backup(path, f"before-v{SCHEMA_VERSION}")
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                now = conn.execute("PRAGMA user_version").fetchone()[0]
                if now >= version:
                    conn.execute("COMMIT")
                    continue
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"cannot upgrade {path}: {exc}.{_hint(path)}") from exc
    finally:
        conn.close()


def open_engine(path: Path) -> Engine:
    """Open (creating or upgrading as needed) the library at ``path`` and return its engine."""
    path = Path(path)
    if path.exists():
        if path.is_dir():
            raise LibraryError(f"{path} is a directory, not a library file")
        version = _check_existing(path)
    else:
        ensure_dir(path.parent)
        version = 0
        try:
            path.touch()
        except OSError as exc:
            raise LibraryError(f"cannot create {path}: {exc.strerror or exc}") from exc
    migrate(path, version)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
        _configure(dbapi_conn)
        # Take transaction control from pysqlite (SQLAlchemy's documented recipe) so that we
        # decide when BEGIN is issued and of which kind.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: two processes then queue on the busy timeout
        # instead of one failing to upgrade a read lock. Readers never block writers (WAL).
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One write = one transaction: commit on success, roll everything back on any error."""
    with engine.connect() as conn:
        conn = conn.execution_options(immediate=True)
        with conn.begin():
            yield conn


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read-only snapshot: one deferred transaction, rolled back at the end."""
    with engine.connect() as conn:
        yield conn


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
        if version != SCHEMA_VERSION:
            problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
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
        problems.append(f"cannot check: {exc}.{_hint(path)}")
    finally:
        conn.close()
    return problems


def restore(path: Path, source: Path) -> Path | None:
    """Replace the library at ``path`` with the backup ``source``.

    The backup is validated first (an SQLite SpineLib library of a schema we can open, passing
    SQLite's integrity check); the current library, if any, is backed up before it is replaced;
    the copy goes through the online-backup API so other processes see either library whole.
    Returns the path of the safety backup of the replaced library (None if there was none).
    """
    if not source.is_file():
        raise LibraryError(f"no such backup file: {source}")
    version = _check_existing(source)
    if version == 0:
        raise LibraryError(f"{source} is empty; nothing to restore")
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
        sound = _is_sound(path)
        saved = automatic_backup(path, "before-restore") if sound else _set_aside(path)
    ensure_dir(path.parent)
    if not sound:
        _replace_whole(path, source)
        migrate(path, _check_existing(path))
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
    migrate(path, _check_existing(path))
    return saved


def _is_sound(path: Path) -> bool:
    """Whether SQLite reads the whole file without complaint (``quick_check``), read-only."""
    try:
        if not is_sqlite_file(path):
            return False
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return [r[0] for r in conn.execute("PRAGMA quick_check")] == ["ok"]
        finally:
            conn.close()
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
