"""Schema 16 (issue 15): a trashed article's reference rows stay where they are ("parked").

An undo or ``trash restore`` of 1,000 articles at 100,000 re-inserted their ~28,000
reference rows at random places of the two covering identifier indexes of step 9 (2.85
million entries each): about 26,000 of the 38,000 pages the write dirtied, half its time.
Moving an article to the trash now leaves its reference rows in the table; readers by
identifier (cited by, the retraction check) only count rows whose article is live, and the
rows are deleted when the article leaves the trash for good. The trashed snapshot still
holds the reference list: it stays the truth, and a restore writes it back whenever the
parked rows are missing or differ (a trash made before this step, whose rows the cascade
deleted).

For that, deleting an ``article`` row must no longer cascade to its references: this step
drops the foreign key's ``ON DELETE CASCADE`` clause. Removing a foreign key does not change
what is stored, so it is done the way SQLite documents for it ("Making Other Kinds Of Table
Schema Changes", https://www.sqlite.org/lang_altertable.html#otheralter): the table's
``CREATE`` text is rewritten in ``sqlite_schema`` and the schema cookie bumped, in the
ladder's transaction. A 100k library migrates in milliseconds instead of copying 2.85
million rows and rebuilding four indexes. The code that deletes articles for good deletes
their references itself (``ArticleSql.delete``, ``SnapshotSql.remove``, emptying the trash).

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

import re
import sqlite3

#: The foreign key clause (and the comma before it) as every SpineLib library spells it.
CASCADE = re.compile(r",\s*FOREIGN KEY\s*\(\s*article_id\s*\)\s*REFERENCES\s+article\s*"
                     r"\(\s*id\s*\)\s*ON DELETE CASCADE", re.IGNORECASE)


def migrate(conn: sqlite3.Connection) -> None:
    """Drop ``reference``'s foreign key to ``article`` (nothing stored changes)."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                       "AND name = 'reference'").fetchone()
    if row is None or not CASCADE.search(row[0]):
        return  # no such clause: nothing to drop
    new_sql = CASCADE.sub("", row[0], count=1)
    cookie = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' "
                     "AND name = 'reference'", (new_sql,))
        conn.execute(f"PRAGMA schema_version = {cookie + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(p) for p in problems] != [("ok",)]:
        raise sqlite3.DatabaseError(f"schema 16: quick_check after the change: {problems}")
