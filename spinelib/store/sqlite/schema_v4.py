"""Schema 4 (issue 17): retractions, notices and flags, watches and their inbox, evidence
fields, dated citation counts.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

#: Schema 4 (issue 17, staying safe and current): the Retraction Watch table, notices found
#: online per article, each article's most serious current flag (materialised by a check so
#: the table, the detail pane and `retractions` read it cheaply), the works known to be
#: retracted or concerning (joined against reference lists), watches and their inbox,
#: evidence-table study fields and dated citation counts.
DDL: tuple[str, ...] = (
    "CREATE TABLE retraction_watch (record_id INTEGER PRIMARY KEY NOT NULL, "
    "title TEXT NOT NULL, journal TEXT NOT NULL, nature TEXT NOT NULL, notice_date TEXT, "
    "reasons TEXT NOT NULL, notice_doi TEXT NOT NULL, notice_pmid TEXT NOT NULL, "
    "original_doi TEXT NOT NULL, original_pmid TEXT NOT NULL)",
    "CREATE INDEX ix_retraction_watch_doi ON retraction_watch (original_doi) "
    "WHERE original_doi != ''",
    "CREATE INDEX ix_retraction_watch_pmid ON retraction_watch (original_pmid) "
    "WHERE original_pmid != ''",
    "CREATE TABLE retraction_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) "
    "WITHOUT ROWID",
    "CREATE TABLE article_notice (article_id INTEGER NOT NULL "
    "REFERENCES article (id) ON DELETE CASCADE, source TEXT NOT NULL, nature TEXT NOT NULL, "
    "notice_date TEXT, reasons TEXT NOT NULL, notice_doi TEXT NOT NULL, "
    "PRIMARY KEY (article_id, source, nature, notice_doi))",
    "CREATE TABLE article_flag (article_id INTEGER PRIMARY KEY NOT NULL "
    "REFERENCES article (id) ON DELETE CASCADE, nature TEXT NOT NULL, notice_date TEXT, "
    "reasons TEXT NOT NULL, notice_doi TEXT NOT NULL, source TEXT NOT NULL, "
    "flagged_at TEXT NOT NULL, is_new INTEGER NOT NULL)",
    "CREATE TABLE flagged_work (doi TEXT NOT NULL, pmid TEXT NOT NULL, nature TEXT NOT NULL, "
    "severity INTEGER NOT NULL)",
    "CREATE INDEX ix_flagged_work_doi ON flagged_work (doi) WHERE doi != ''",
    "CREATE INDEX ix_flagged_work_pmid ON flagged_work (pmid) WHERE pmid != ''",
    "CREATE TABLE watch (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL UNIQUE, "
    "query TEXT NOT NULL, tag TEXT NOT NULL, created_at TEXT NOT NULL, last_success TEXT, "
    "last_error TEXT NOT NULL, queued INTEGER NOT NULL)",
    "CREATE TABLE inbox_item (id INTEGER PRIMARY KEY NOT NULL, pmid TEXT NOT NULL UNIQUE, "
    "watch_id INTEGER REFERENCES watch (id) ON DELETE SET NULL, title TEXT NOT NULL, "
    "journal TEXT NOT NULL, year INTEGER, abstract TEXT NOT NULL, mesh TEXT NOT NULL, "
    "status TEXT NOT NULL, added_at TEXT NOT NULL)",
    "CREATE INDEX ix_inbox_item_status ON inbox_item (status, id)",
    "CREATE TABLE article_evidence (article_id INTEGER PRIMARY KEY NOT NULL "
    "REFERENCES article (id) ON DELETE CASCADE, level TEXT NOT NULL, "
    "level_confirmed INTEGER NOT NULL, n TEXT NOT NULL, n_confirmed INTEGER NOT NULL, "
    "comparator TEXT NOT NULL, follow_up TEXT NOT NULL, outcomes TEXT NOT NULL, "
    "notes TEXT NOT NULL)",
    "CREATE TABLE citation_count (article_id INTEGER NOT NULL "
    "REFERENCES article (id) ON DELETE CASCADE, source TEXT NOT NULL, "
    "count INTEGER NOT NULL, counted_at TEXT NOT NULL, PRIMARY KEY (article_id, source))",
)
