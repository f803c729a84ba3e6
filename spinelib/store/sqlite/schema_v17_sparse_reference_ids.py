"""Schema 17 (issue 19): the reference identifier indexes hold only references that have one.

``ix_reference_doi``, ``ix_reference_pmid`` and ``ix_reference_pmcid`` held an entry for
every reference row, NULL identifiers included, though no reader ever looks a NULL up: the
readers by identifier (cited by, the retraction check) compare with ``=``, and SQLite uses a
partial index ``WHERE x IS NOT NULL`` for any ``x = ...`` term, join terms included
(https://www.sqlite.org/partialindex.html, "Queries Using Partial Indexes"). Real reference
lists often lack one kind (PubMed's own lists in ``shared/fixtures`` give 0-89% DOIs and
0-64% PMCIDs) and the benchmark library has no PMCIDs and a third without DOI: at 100,000
articles (2.85 million references) building the three took 12.3 s of CPU, partial 7.6 s
(measured on this machine; a first copy builds them once, an import keeps them row by row).
The covering columns of step 9 stay as they were.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

DDL: tuple[str, ...] = (
    "DROP INDEX IF EXISTS ix_reference_doi",
    "DROP INDEX IF EXISTS ix_reference_pmid",
    "DROP INDEX IF EXISTS ix_reference_pmcid",
    'CREATE INDEX ix_reference_doi ON "reference" (doi, article_id, position, pmid) '
    "WHERE doi IS NOT NULL",
    'CREATE INDEX ix_reference_pmid ON "reference" (pmid, article_id, position, doi) '
    "WHERE pmid IS NOT NULL",
    'CREATE INDEX ix_reference_pmcid ON "reference" (pmcid) WHERE pmcid IS NOT NULL',
)
