"""SQL for qualified search terms (``author:``, ``year:``, ``journal:``, ``mesh:``, ``tag:``,
``type:``, ``read:``, ``has:`` and ``-word``): each term one predicate on ``article a``.

Values are always bound parameters, never spliced into the statement, so any text a user
types is safe; the library's parser (:mod:`spinelib.library.fieldquery`) decides what is a
term and resolves tag names before this module sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.curation_results import FieldTerm
from spinelib.results import CONFIRMED_ORIGINS, ReadStatus
from spinelib.store.dialect import Dialect

_CONFIRMED = ", ".join(f"'{o}'" for o in CONFIRMED_ORIGINS)
#: ``has:`` values answered from columns. ``pdf`` has no column until attachments exist:
#: it then matches nothing (the honest answer: no article has an attached PDF).
HAS: dict[str, str] = {
    "abstract": "a.id NOT IN (SELECT id FROM article WHERE abstract = '')",
    "doi": "a.doi IS NOT NULL",
    "pmid": "a.pmid IS NOT NULL",
    "pmcid": "a.pmcid IS NOT NULL",
    "notes": "a.notes != ''",
    "pdf": "0 = 1",
}
READ: dict[str, int] = {s.label: int(s) for s in ReadStatus}


def predicates(dialect: Dialect, terms: Sequence[FieldTerm],
               params: dict[str, Any]) -> list[str]:
    """One predicate per term (its parameters added to ``params``)."""
    out: list[str] = []
    for i, t in enumerate(terms):
        p = f"fq{i}"
        if t.kind == "author":  # ix_author_family answers it (family names, any case)
            sql = f"a.id IN (SELECT article_id FROM author WHERE family = :{p} COLLATE NOCASE)"
            params[p] = t.text
        elif t.kind == "year":
            bounds = []
            if t.low is not None:
                bounds.append(f"a.year >= :{p}lo")
                params[f"{p}lo"] = t.low
            if t.high is not None:
                bounds.append(f"a.year <= :{p}hi")
                params[f"{p}hi"] = t.high
            sql = "(" + " AND ".join(bounds or ["a.year IS NOT NULL"]) + ")"
        elif t.kind in ("journal", "mesh"):
            # The index's own column (journal and abbreviation; MeSH names): words in
            # order, the last a prefix. A LIKE would read every row at 100,000 articles.
            match = dialect.fulltext_phrase_in_column(t.kind, t.text)
            if not match:
                continue
            sql = dialect.metadata_filter(p)  # a field, never the papers' own text
            params[p] = match
        elif t.kind == "tag":
            names = ", ".join(f":{p}_{j}" for j in range(len(t.tag_ids))) or "NULL"
            sql = (f"a.id IN (SELECT article_id FROM article_tag WHERE origin IN ({_CONFIRMED}) "
                   f"AND tag_id IN ({names}))")
            params.update({f"{p}_{j}": tag for j, tag in enumerate(t.tag_ids)})
        elif t.kind == "type":
            # Types are stored lower-case (a PubMed review is type 'review'): ix_article_type.
            sql = f"a.type = :{p}"
            params[p] = t.text.lower()
        elif t.kind == "read":
            sql = f"a.read_status = {READ[t.text]}"
        elif t.kind == "has":
            sql = HAS[t.text]
        elif t.kind == "text":
            match = dialect.fulltext_query(t.text)
            if not match:
                continue
            sql = dialect.fulltext_filter(p)
            params[p] = match
            params[p + "_parts"] = dialect.fulltext_parts_query(t.text)
        else:  # the parser only makes the kinds above
            raise ValueError(f"unknown search qualifier {t.kind!r}")
        out.append(f"NOT ({sql})" if t.negated else sql)
    return out
