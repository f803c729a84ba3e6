"""Schema 5 (issue 21): what conference papers, reports, theses and preprints carry, an
author's name suffix, and a case-insensitive citation-key index.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

#: Schema 5 (issue 21, the formats): what conference papers, reports, theses and preprints
#: carry beyond a journal article (report number, institution, place, publication status, a
#: date in EDTF that year/month/day cannot hold), an author's name suffix ("III", "Jr"), and
#: an index that makes "is this citation key taken, in any case?" a look-up (BibTeX treats
#: ``ITEM-1`` and ``item-1`` as the same key).
DDL: tuple[str, ...] = (
    "ALTER TABLE article ADD COLUMN report_number VARCHAR NOT NULL DEFAULT ''",
    "ALTER TABLE article ADD COLUMN institution VARCHAR NOT NULL DEFAULT ''",
    "ALTER TABLE article ADD COLUMN place VARCHAR NOT NULL DEFAULT ''",
    "ALTER TABLE article ADD COLUMN date_text VARCHAR NOT NULL DEFAULT ''",
    "ALTER TABLE article ADD COLUMN pubstate VARCHAR NOT NULL DEFAULT ''",
    "ALTER TABLE author ADD COLUMN suffix VARCHAR NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS ix_article_citekey_nocase ON article (citekey COLLATE NOCASE)",
)
