"""The reference identifier indexes set aside while a large file is imported, then made again.

Why (issue 19, ``import_file_100k``): an import commits every batch, and each batch's
~28,000 reference rows land at random places of three indexes keyed by DOI, PMID and PMCID.
Once those indexes outgrow the page cache, nearly every row costs page reads, and every
commit writes the touched pages through the WAL again. Measured importing the 100,000-record
benchmark file (2.85 million references) into a new library, the code before and after
this, alternating: 310.9 -> 193.9 and 283.4 -> 197.7 s wall (CPU 276.7 -> 183.7 and
258.5 -> 185.6 s; peak memory 254 -> 242 MB); building the three at the end takes ~7 s
of that. ``ix_reference_article`` stays: article ids arrive in increasing order, so its
entries are appended, and merges read a list through it.

Promises:

- Only the indexes of :data:`DEFERRED` are ever set aside. Nothing reads wrong without them:
  a cited-by list or a retraction check made meanwhile scans ``reference`` (slower) and gets
  the same answer.
- :func:`restore` makes each missing one again from its definition in the current schema
  (schema step 17's, byte for byte as a fresh library stores it), in the connection's own
  small page cache: SQLite's sorter then merges runs it keeps in temporary files, as fast
  as in a big cache and without its memory (measured, the three at 100k: 6.9-7.0 s and a
  26 MB process with the default 2 MB cache; 6.9-7.5 s and 152 MB with 64 MB; 7.5 s and
  403 MB with 256 MB), so a large import stays under issue 19's 300 MB.
- A process killed between the two leaves them missing, with every batch it committed
  intact; the next open of the library makes them again (:func:`restore_missing`) before
  anything else reads it. (So does an open by a second process while a large import runs:
  it waits for the write lock between two batches, builds them, and the import goes on
  with them, as a small one would.)
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from spinelib.store.connection import Connection

log = logging.getLogger(__name__)

#: name -> its definition in the current schema (schema_v17_sparse_reference_ids).
DEFERRED: dict[str, str] = {
    "ix_reference_doi": 'CREATE INDEX ix_reference_doi ON "reference" '
                        "(doi, article_id, position, pmid) WHERE doi IS NOT NULL",
    "ix_reference_pmid": 'CREATE INDEX ix_reference_pmid ON "reference" '
                         "(pmid, article_id, position, doi) WHERE pmid IS NOT NULL",
    "ix_reference_pmcid": 'CREATE INDEX ix_reference_pmcid ON "reference" (pmcid) '
                          "WHERE pmcid IS NOT NULL",
}
_MISSING = (f"SELECT count(*) FROM sqlite_master WHERE type = 'index' "
            f"AND name IN ({', '.join(repr(n) for n in DEFERRED)})")


def set_aside(conn: Connection) -> None:
    """Drop the :data:`DEFERRED` indexes (inside the caller's write transaction)."""
    for name in DEFERRED:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def restore(conn: Connection) -> list[str]:
    """Make every missing :data:`DEFERRED` index (inside the caller's write transaction);
    returns the names made."""
    present = {str(n) for n in conn.column(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    made = [name for name in DEFERRED if name not in present]
    for name in made:
        conn.execute(DEFERRED[name])
    return made


def restore_missing(raw: sqlite3.Connection) -> list[str]:
    """On opening a library (``raw`` outside a transaction): make the indexes a killed
    import left set aside, in one write transaction; [] (and no write) when all are there.
    A library too old to have them (before the migrations ran) is left alone."""
    if raw.execute(_MISSING).fetchone()[0] == len(DEFERRED):
        return []
    raw.execute("BEGIN IMMEDIATE")
    try:
        made = restore(Connection(raw, []))
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    if made:
        log.warning("made the reference indexes an interrupted import had set aside: %s",
                    ", ".join(made))
    return made


def restore_missing_at(path: Path, timeout_s: float) -> list[str]:
    """:func:`restore_missing` through a connection of its own to the library at ``path``."""
    raw = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    try:
        return restore_missing(raw)
    finally:
        raw.close()
