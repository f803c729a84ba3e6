"""Schema 6 (issue 14): attached files, the papers' own text in an FTS5 index of its own,
remembered open-access answers, articles kept from unidentified PDFs.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

#: Schema 6 (issue 14, full texts): attached files, the papers' own text in an FTS5 index of
#: its own (so metadata search keeps its speed; ``article_fts`` is untouched), remembered
#: "no open copy" answers, and articles kept from a PDF no identifier was found in.
#: ``fulltext_part`` holds one small row per PDF page (``page`` 1..n) or JATS section (``page``
#: NULL): who owns it and where it goes. The text itself lives only in ``fulltext_fts`` (its
#: rowid the part's id), so finding the articles of 20,000 matching pages reads small, dense
#: rows; a trigger drops the text when a part goes (cascades from an article or attachment
#: included).
DDL: tuple[str, ...] = (
    """CREATE TABLE attachment (
         id INTEGER PRIMARY KEY,
         article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
         name TEXT NOT NULL,
         path TEXT NOT NULL,
         linked INTEGER NOT NULL DEFAULT 0,
         kind TEXT NOT NULL DEFAULT 'file',
         sha256 TEXT NOT NULL,
         size INTEGER NOT NULL,
         source TEXT NOT NULL DEFAULT 'user',
         version TEXT,
         license TEXT,
         pages INTEGER,
         text_status TEXT NOT NULL DEFAULT '',
         added_at TEXT NOT NULL)""",
    "CREATE INDEX ix_attachment_article ON attachment (article_id)",
    # Not unique: one linked file may belong to two articles (a paper and its erratum).
    "CREATE INDEX ix_attachment_path ON attachment (linked, path)",
    """CREATE TABLE fulltext_part (
         id INTEGER PRIMARY KEY,
         article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
         attachment_id INTEGER REFERENCES attachment (id) ON DELETE CASCADE,
         page INTEGER,
         position INTEGER NOT NULL,
         kind TEXT NOT NULL DEFAULT 'page')""",
    "CREATE INDEX ix_fulltext_part_article ON fulltext_part (article_id, position)",
    "CREATE INDEX ix_fulltext_part_attachment ON fulltext_part (attachment_id)",
    # Every search word is a prefix query ("en"* for "en bloc"): prefix indexes for 2 and 3
    # characters keep short words from enumerating every term of 100,000 pages.
    "CREATE VIRTUAL TABLE fulltext_fts USING fts5(heading, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    """CREATE TRIGGER fulltext_part_ad AFTER DELETE ON fulltext_part BEGIN
         DELETE FROM fulltext_fts WHERE rowid = old.id;
       END""",
    """CREATE TABLE oa_lookup (
         article_id INTEGER PRIMARY KEY REFERENCES article (id) ON DELETE CASCADE,
         outcome TEXT NOT NULL,
         checked_at TEXT NOT NULL)""",
    """CREATE TABLE unidentified (
         article_id INTEGER PRIMARY KEY REFERENCES article (id) ON DELETE CASCADE,
         reason TEXT NOT NULL DEFAULT '')""",
)
