"""Schema 9 (issue 17): the reference list's identifier indexes cover what a retraction
check reads.

``retraction_check_100k`` joins every flagged work against 2.8 million stored references;
with ``reference (doi)`` alone each match cost a random read of the reference's row for its
article, position and other identifier. The same indexes, extended by those columns, answer
the join from the index alone (the old ones are dropped: the new ones serve every look-up
by DOI or PMID they served).

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

DDL: tuple[str, ...] = (
    "DROP INDEX IF EXISTS ix_reference_doi",
    "DROP INDEX IF EXISTS ix_reference_pmid",
    'CREATE INDEX ix_reference_doi ON "reference" (doi, article_id, position, pmid)',
    'CREATE INDEX ix_reference_pmid ON "reference" (pmid, article_id, position, doi)',
)
