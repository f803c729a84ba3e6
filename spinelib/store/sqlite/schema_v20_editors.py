"""Schema 20: the editors of the book a chapter is in, as the citation styles print them
("In: Adam MP, Feldman J, editors. GeneReviews"; "In: Benzel EC, ed. Spine Surgery") and
BibTeX (``editor``), RIS (``ED``, a chapter's ``A2``), CSL-JSON (``editor``) and PubMed's
book records (an ``AuthorList`` of type ``editors``) carry them.

A JSON list of names (:func:`spinelib.store.mapping.editors_json`), ``''`` when none are
known. Adding a column with a constant default rewrites no row
(https://www.sqlite.org/lang_altertable.html#altertabaddcol).

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

import sqlite3

DDL: tuple[str, ...] = (
    "ALTER TABLE article ADD COLUMN editors VARCHAR NOT NULL DEFAULT ''",
)


def migrate(conn: sqlite3.Connection) -> None:
    """Add the column, unless the table has it already (a file whose version was set back
    by hand, as the ladder's tests do, runs the step again)."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(article)")}
    if "editors" not in columns:
        for statement in DDL:
            conn.execute(statement)
