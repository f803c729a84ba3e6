"""Schema 23: the journals of the articles stored without their journal's abbreviation, in
an index of their own, for ``journal:``.

The table shows such an article (an Embase record, a ``.bib`` entry) by the abbreviation
the library holds for its journal ("J Neurosurg Spine" beside PubMed's records of the same
journal: :mod:`spinelib.journalnames`), and ``journal:"J Neurosurg Spine"`` finds it too:
the search reads which journals such articles name from this index. It holds only those
articles (a partial index), so a library of PubMed records, where every article has its
abbreviation, keeps it empty and pays nothing.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

DDL: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS ix_article_bare_journal ON article (journal, issn, type) "
    "WHERE journal_abbrev = '' AND journal != ''",
)
