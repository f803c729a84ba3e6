"""Schema 20: what a medical style prints of a book beyond its title, so a chapter of a
surgical textbook is cited as "In: Benzel EC, Steinmetz MP, eds. Benzel's Spine Surgery.
4th ed. Philadelphia: Elsevier; 2017".

- ``editors``: the editors of the book a chapter is in (or of an edited book), as BibTeX
  (``editor``), RIS (``ED``, a chapter's ``A2``), CSL-JSON (``editor``) and PubMed's book
  records (an ``AuthorList`` of type ``editors``) carry them: a JSON list of names
  (:func:`spinelib.store.mapping.editors_json`), ``''`` when none are known;
- ``edition``: the book's edition, its number where it has one ("4"), ``''`` for none;
- ``isbn``: the book's ISBN (a chapter's is its book's) as the source wrote it, ``''``
  for none.

Adding columns with a constant default rewrites no row
(https://www.sqlite.org/lang_altertable.html#altertabaddcol). The step also makes a
chapter's book title searchable where a journal's name is (``article_fts.journal``, as
:meth:`spinelib.store.fulltext.FulltextSql.row_columns` writes it from now on): the rows of
the articles that have one are completed in place.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

import sqlite3

COLUMNS: dict[str, str] = {
    "editors": "ALTER TABLE article ADD COLUMN editors VARCHAR NOT NULL DEFAULT ''",
    "edition": "ALTER TABLE article ADD COLUMN edition VARCHAR NOT NULL DEFAULT ''",
    "isbn": "ALTER TABLE article ADD COLUMN isbn VARCHAR NOT NULL DEFAULT ''",
}


#: A chapter's index row gains its book title after the journal and abbreviation (skipped
#: when already there: a step run again).
BOOK_TITLES_SEARCHED = (
    "UPDATE article_fts SET journal = journal || ' ' || (SELECT a.book_title FROM article a "
    "WHERE a.id = article_fts.rowid) WHERE rowid IN (SELECT id FROM article WHERE "
    "book_title != '') AND instr(journal, (SELECT a.book_title FROM article a "
    "WHERE a.id = article_fts.rowid)) = 0")


def migrate(conn: sqlite3.Connection) -> None:
    """Add the columns the table lacks (a file whose version was set back by hand, as the
    ladder's tests do, runs the step again)."""
    have = {str(r[1]) for r in conn.execute("PRAGMA table_info(article)")}
    for column, statement in COLUMNS.items():
        if column not in have:
            conn.execute(statement)
    conn.execute(BOOK_TITLES_SEARCHED)
