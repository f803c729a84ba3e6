"""Schema 19: when a web page (a guideline, a registry, a society's site) was read, as the
citation styles print it ("[cited 2026 Dec 5]", "Accessed December 5, 2026") and BibTeX
(``urldate``), RIS (``Y2``) and CSL-JSON (``accessed``) carry it.

An ISO date (``2026-12-05``, or its year and month), ``''`` when not known. Adding a column
with a constant default rewrites no row
(https://www.sqlite.org/lang_altertable.html#altertabaddcol).

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

import sqlite3

DDL: tuple[str, ...] = (
    "ALTER TABLE article ADD COLUMN accessed VARCHAR NOT NULL DEFAULT ''",
)


def migrate(conn: sqlite3.Connection) -> None:
    """Add the column, unless the table has it already (a file whose version was set back
    by hand, as the ladder's tests do, runs the step again)."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(article)")}
    if "accessed" not in columns:
        for statement in DDL:
            conn.execute(statement)
