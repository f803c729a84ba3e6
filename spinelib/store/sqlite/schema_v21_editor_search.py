"""Schema 21: a book's editors are searched, as Zotero searches any creator of an item.

- A search for "Benzel" finds the chapters of the book he edited: the editors' names join the
  authors' in the full-text index's ``authors`` column (as
  :meth:`spinelib.store.fulltext.FulltextSql.row_columns` writes it from now on); the rows of
  the articles that have editors are completed in place, the editors after the authors.
- ``editor:benzel`` names the editors alone: ``ix_article_editors`` holds the ``editors``
  column of the few articles that have one (a partial index), so the term reads those
  entries, never the whole article table.

Frozen once released: a later change is a new step, never an edit here. The names are read
here with the rule of this step (an editor's family and given names, or a group's name,
joined by spaces), not through the code that writes new rows, so what the step does never
changes.
"""

from __future__ import annotations

import json
import sqlite3

INDEX = "CREATE INDEX IF NOT EXISTS ix_article_editors ON article (editors) WHERE editors != ''"


def _names(editors: str) -> str:
    """The editors' words as the index's ``authors`` column holds them ('' for damaged
    text: nothing to add)."""
    try:
        listed = json.loads(editors)
    except ValueError:
        return ""
    if not isinstance(listed, list):
        return ""
    words = []
    for name in listed:
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            words.append(str(name["literal"]))
        elif name.get("family"):
            words.append(" ".join(str(p) for p in (name["family"], name.get("given")) if p))
    return " ".join(words)


def migrate(conn: sqlite3.Connection) -> None:
    """Make the index and complete the index rows of articles with editors (a row that
    already ends with its editors' names, the step run again, is left)."""
    conn.execute(INDEX)
    rows = conn.execute("SELECT a.id, a.editors, f.authors FROM article a JOIN article_fts f "
                        "ON f.rowid = a.id WHERE a.editors != ''").fetchall()
    for article_id, editors, authors in rows:
        names = _names(editors)
        have = str(authors or "")
        if not names or have.endswith(names):
            continue
        conn.execute("UPDATE article_fts SET authors = ? WHERE rowid = ?",
                     (f"{have} {names}" if have else names, article_id))
