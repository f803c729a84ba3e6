"""Schema 8 (issue 15): the trash, aliases, user-edited fields, saved searches, dismissed
duplicates and the undo log.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

#: Schema 8 (curation, issue 15): the trash (a deleted article's rows kept whole as one
#: payload, so counts, lists, searches and exports never see it), aliases (a merged-away
#: article's keys and identifiers still resolve), the fields the user edited (never
#: overwritten silently), saved searches, dismissed duplicate pairs, the undo log, and an
#: index for ``author:`` searches by family name.
DDL: tuple[str, ...] = (
    "CREATE TABLE article_trash (article_id INTEGER PRIMARY KEY NOT NULL, "
    "citekey TEXT NOT NULL, title TEXT NOT NULL, doi TEXT, pmid TEXT, pmcid TEXT, "
    "deleted_at TEXT NOT NULL, payload BLOB NOT NULL)",
    "CREATE INDEX ix_trash_doi ON article_trash (doi)",
    "CREATE INDEX ix_trash_pmid ON article_trash (pmid)",
    "CREATE INDEX ix_trash_pmcid ON article_trash (pmcid)",
    "CREATE INDEX ix_trash_citekey ON article_trash (citekey)",
    "CREATE INDEX ix_trash_deleted ON article_trash (deleted_at)",
    "CREATE TABLE article_alias (kind TEXT NOT NULL, value TEXT NOT NULL, "
    "article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE, "
    "PRIMARY KEY (kind, value)) WITHOUT ROWID",
    "CREATE INDEX ix_alias_article ON article_alias (article_id)",
    "CREATE TABLE article_user_edit (article_id INTEGER NOT NULL "
    "REFERENCES article (id) ON DELETE CASCADE, field TEXT NOT NULL, "
    "edited_at TEXT NOT NULL, PRIMARY KEY (article_id, field)) WITHOUT ROWID",
    "CREATE TABLE saved_search (name TEXT PRIMARY KEY NOT NULL, query TEXT NOT NULL, "
    "created_at TEXT NOT NULL)",
    "CREATE TABLE duplicate_dismissed (low INTEGER NOT NULL, high INTEGER NOT NULL, "
    "PRIMARY KEY (low, high)) WITHOUT ROWID",
    "CREATE TABLE undo_log (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, "
    "created_at TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0, "
    "before_state BLOB NOT NULL, after_state BLOB NOT NULL)",
    "CREATE INDEX ix_author_family ON author (family COLLATE NOCASE)",
    "CREATE INDEX ix_article_type ON article (type)",
    # has:abstract and read:… over most of a library, in the table's order, without a sort or
    # reading the (large) rows: the few articles without an abstract, and state by date.
    "CREATE INDEX ix_article_no_abstract ON article (id) WHERE abstract = ''",
    "CREATE INDEX ix_article_read_added ON article (read_status, added_at)",
)
