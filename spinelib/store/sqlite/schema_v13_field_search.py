"""Schema step 13, "field search" (issue 15): indexes that let a qualified search sorted the
table's default way (newest first) walk the articles in that order, with no sort.

Frozen once released: a later change is a new step, never an edit here.

``ix_article_added_keys`` replaces ``ix_article_added`` (its first column; every look-up that
used it is served the same): ``(added_at, id)`` is the table's default order, and ``year``,
``type`` and ``read_status`` beside it let ``year:2015..2020``, ``type:review`` and
``read:unread`` be tested inside the index while it is walked (``SqliteDialect.walk_source``),
so a search matching a third of a 100,000-article library reads neither the articles' large
rows nor sorts its matches. A qualifier answered by a sub-select (``mesh:``, ``author:``,
``tag:``) is a set the walk probes.

``ix_author_family`` gains ``article_id``: ``author:laufer`` reads the article ids from the
index alone instead of each author row.

``ix_article_has_notes`` holds the few articles with notes (``has:notes``), so the walk need
not read a row's notes.
"""

from __future__ import annotations

DDL: tuple[str, ...] = (
    "DROP INDEX IF EXISTS ix_article_added",
    "CREATE INDEX ix_article_added_keys ON article (added_at, id, year, type, read_status)",
    "DROP INDEX IF EXISTS ix_author_family",
    "CREATE INDEX ix_author_family ON author (family COLLATE NOCASE, article_id)",
    "CREATE INDEX ix_article_has_notes ON article (id) WHERE notes != ''",
)
