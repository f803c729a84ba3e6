"""Schema 18: an identifier queued while offline remembers the reading lists its import was
to add it to (``spinelib import --list``, the import dialog's "Add to list"), as it already
remembered the tags, so a retry once online puts the article where the user asked.

A JSON list of reading-list names, ``[]`` for the entries queued before this step (which
were asked for no list). Adding a column with a constant default rewrites no row
(https://www.sqlite.org/lang_altertable.html#altertabaddcol).

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

import sqlite3

DDL: tuple[str, ...] = (
    "ALTER TABLE pending_import ADD COLUMN lists VARCHAR NOT NULL DEFAULT '[]'",
)


def migrate(conn: sqlite3.Connection) -> None:
    """Add the column, unless the table has it already (a file whose version was set back
    by hand, as the ladder's tests do, runs the step again)."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(pending_import)")}
    if "lists" not in columns:
        for statement in DDL:
            conn.execute(statement)
