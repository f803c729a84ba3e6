"""The SQLite schema's version ladder: every version's DDL frozen as released.

``PRAGMA user_version`` holds the version. ``MIGRATIONS[n]`` upgrades a version ``n-1``
library to ``n`` (0 = an empty file), so a new library walks the same ladder as an old one
and both end with the same schema (a test compares them). A released step is never edited;
a schema change is a new step at the end.

Promises:
- :func:`check_existing` never writes: a file that is not SQLite, someone else's database or
  a newer schema raises :class:`LibraryError` and stays as it was.
- :func:`migrate` backs up a non-empty library before the first step and runs each step in one
  transaction, so a failed step leaves the file at the last good version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from spinelib.errors import LibraryError
from spinelib.store.sqlite import (
    schema_v3,
    schema_v4,
    schema_v5,
    schema_v6,
    schema_v7,
    schema_v8,
    schema_v9_reference_cover,
    schema_v10_query,
    schema_v14_capture_triggers,
    schema_v15_reference_base,
    schema_v16_parked_references,
    schema_v17_sparse_reference_ids,
    schema_v18_pending_lists,
    schema_v19_accessed,
    schema_v20_book_fields,
    schema_v21_editor_search,
    schema_v22_citing_watches,
    schema_v23_bare_journals,
    schema_v24_line_end_hyphens,
    schema_v25_search_words,
)
from spinelib.store.sqlite.files import (
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    automatic_backup,
    damaged,
    use_wal,
)
from spinelib.store.sqlite.files import backup_hint as _hint
from spinelib.store.sqlite.schema_v1 import V1_DDL
from spinelib.store.sqlite.schema_v11_team_renames import DDL as V11_TEAM_DDL
from spinelib.store.sqlite.schema_v12_team_gaps import DDL as V12_TEAM_GAPS_DDL
from spinelib.store.sqlite.schema_v13_field_search import DDL as V13_FIELD_SEARCH_DDL

Step = Callable[[sqlite3.Connection], None]


def _create_v1(conn: sqlite3.Connection) -> None:
    """Version 1 as released: the tables, their indexes and the FTS5 index."""
    for statement in V1_DDL:
        conn.execute(statement)


#: Schema 2 (released with the benchmarks): indexes that make the sidebar and "cited by"
#: instant at 100,000 articles, and count tables that triggers keep exact on every insert,
#: update and delete (cascades too). The triggers never rely on a conflict clause (INSERT OR
#: IGNORE): an UPSERT that fires a trigger imposes its own conflict policy on them.
V2_DDL: tuple[str, ...] = (
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


def _run(ddl: tuple[str, ...]) -> Step:
    """A step that runs a frozen list of statements."""
    def step(conn: sqlite3.Connection) -> None:
        for statement in ddl:
            conn.execute(statement)
    return step


#: The ladder. Append a step to change the schema; never edit a released one.
MIGRATIONS: dict[int, Step] = {
    1: _create_v1, 2: _migrate_v2, 3: _run(schema_v3.DDL), 4: _run(schema_v4.DDL),
    5: _run(schema_v5.DDL), 6: _run(schema_v6.DDL),
    7: _run(schema_v7.DDL), 8: _run(schema_v8.DDL),
    9: _run(schema_v9_reference_cover.DDL), 10: _run(schema_v10_query.DDL),
    11: _run(V11_TEAM_DDL), 12: _run(V12_TEAM_GAPS_DDL), 13: _run(V13_FIELD_SEARCH_DDL),
    14: schema_v14_capture_triggers.migrate,
    15: schema_v15_reference_base.migrate,
    16: schema_v16_parked_references.migrate,
    17: _run(schema_v17_sparse_reference_ids.DDL),
    18: schema_v18_pending_lists.migrate,
    19: schema_v19_accessed.migrate,
    20: schema_v20_book_fields.migrate,
    21: schema_v21_editor_search.migrate,
    22: schema_v22_citing_watches.migrate,
    23: _run(schema_v23_bare_journals.DDL),
    24: schema_v24_line_end_hyphens.migrate,
    25: _run(schema_v25_search_words.DDL),
}
#: The schema this SpineLib writes (the top of the ladder as released).
SCHEMA_VERSION = max(MIGRATIONS)


def target_version() -> int:
    """The top of the ladder now (tests add a step to prove the ladder runs it)."""
    return max(MIGRATIONS)


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
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY:
            # Locked past the busy timeout: another process holds the whole file for a long
            # write (a team library's first copy, written through a rollback journal).
            raise LibraryError(f"{path} is busy: another SpineLib is writing it (a team "
                               "library's first copy can take a minute or two). Try again "
                               "when it has finished; the file was not changed.") from exc
        raise damaged(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        raise damaged(path, exc) from exc


def check_existing(path: Path) -> int:
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
    top = target_version()
    if version > top:
        raise LibraryError(
            f"{path} was written by a newer SpineLib (schema {version}; this version knows "
            f"{top}). Upgrade SpineLib to open it; the file was not changed.")
    if version == 0 and tables:
        # An SQLite file with no schema version: only an empty database is ours to initialise.
        raise LibraryError(f"{path} is an SQLite database but not a SpineLib library; "
                           "it was not changed.")
    return version


def migrate(path: Path, current: int, target: int | None = None) -> None:
    """Run the ladder from ``current`` up to ``target`` (default: the top), backing up a
    non-empty file first."""
    top = target_version() if target is None else target
    if current >= top:
        return
    if current > 0:
        automatic_backup(path, f"before-v{top}")
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        use_wal(conn)
        for version in range(current + 1, top + 1):
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
