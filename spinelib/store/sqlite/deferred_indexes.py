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
  403 MB with 256 MB), so a large import stays under issue 19's 300 MB. The sorter has
  helper threads (:func:`~spinelib.store.sqlite.dialect.sorting_threads`): the three at
  100k took 4.0-5.1 s wall without and 2.8-3.1 s with one (24 and 26 MB at most).
- A process killed between the two leaves them missing, with every batch it committed
  intact; the next open of the library makes them again
  (:meth:`~spinelib.store.sqlite.engine.SqliteEngine.open`) before anything else reads
  it. (So does an open by a second process while a large import runs: it waits for the
  write lock between two batches, builds them, and the import goes on with them, as a
  small one would.)
"""

from __future__ import annotations

from spinelib.store.connection import Connection
from spinelib.store.sqlite.dialect import sorting_threads
from spinelib.store.sqlite.schema_v17_sparse_reference_ids import DDL as V17_DDL

#: name -> its definition in the current schema: schema step 17's own statements.
DEFERRED: dict[str, str] = {sql.split()[2]: sql for sql in V17_DDL
                            if sql.startswith("CREATE INDEX ")}


def set_aside(conn: Connection) -> None:
    """Drop the :data:`DEFERRED` indexes (inside the caller's write transaction)."""
    for name in DEFERRED:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def missing(conn: Connection) -> list[str]:
    """The :data:`DEFERRED` indexes the library lacks now."""
    present = {str(n) for n in conn.column(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    return [name for name in DEFERRED if name not in present]


def restore(conn: Connection) -> list[str]:
    """Make every missing :data:`DEFERRED` index (inside the caller's write transaction);
    returns the names made."""
    made = missing(conn)
    with sorting_threads(conn):
        for name in made:
            conn.execute(DEFERRED[name])
    return made
