"""SQL for qualified search terms (``author:``, ``editor:``, ``title:``, ``year:``,
``journal:``, ``mesh:``, ``tag:``, ``type:``, ``read:``, ``has:``, ``doi:``, ``pmid:``,
``pmcid:``, ``key:`` and ``-word``): each term one predicate on ``article a``.

Values are always bound parameters, never spliced into the statement, so any text a user
types is safe; the library's parser (:mod:`spinelib.library.fieldquery`) decides what is a
term and resolves tag names before this module sees them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from spinelib.curation_results import FieldTerm
from spinelib.journalnames import IN_BOOK_TYPES
from spinelib.results import CONFIRMED_ORIGINS, ReadStatus
from spinelib.store.dialect import Dialect

_CONFIRMED = ", ".join(f"'{o}'" for o in CONFIRMED_ORIGINS)
#: ``has:`` values, each a set of ids an index answers (never a column of ``a`` outside the
#: walk's index, see ``Dialect.walk_source``): the articles lacking an abstract or an
#: identifier are few (partial index; NULLs in the unique indexes), those with notes too.
HAS: dict[str, str] = {
    "abstract": "a.id NOT IN (SELECT id FROM article WHERE abstract = '')",
    "doi": "a.id NOT IN (SELECT id FROM article WHERE doi IS NULL)",
    "pmid": "a.id NOT IN (SELECT id FROM article WHERE pmid IS NULL)",
    "pmcid": "a.id NOT IN (SELECT id FROM article WHERE pmcid IS NULL)",
    "notes": "a.id IN (SELECT id FROM article WHERE notes != '')",
    "pdf": "a.id IN (SELECT article_id FROM attachment WHERE kind = 'pdf')",
}
READ: dict[str, int] = {s.label: int(s) for s in ReadStatus}
#: The types whose container is a book: never shown by a journal's abbreviation.
_BOOK_TYPES = ", ".join(f"'{t}'" for t in sorted(IN_BOOK_TYPES))
#: The identifier qualifiers, each the name of the article's column it is looked up in.
IDENTIFIER_KINDS = ("doi", "pmid", "pmcid")
#: The term kinds answered by the full-text index (a set of ids no column index can bound).
FULLTEXT_KINDS = frozenset({"title", "journal", "mesh", "text"})


def _author(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``author:``: an author's family name as typed, in any case, or as one of the
    :attr:`~FieldTerm.spellings` the library found for it (ix_author_family answers it);
    with :attr:`~FieldTerm.initials`, only an author whose initials start so (or, with none
    stored, whose given name starts with the first). An edited book, which has no authors,
    is found by its editors: the table, its key and its citations name it by them."""
    names = list(dict.fromkeys((t.text, *t.spellings)))
    params.update({f"{p}_{j}": name for j, name in enumerate(names)})
    listed = ", ".join(f":{p}_{j}" for j in range(len(names)))
    sql = f"SELECT article_id FROM author WHERE family COLLATE NOCASE IN ({listed})"
    if t.initials:  # letters only (the library's parse): no LIKE wildcard in them
        params[f"{p}_i"], params[f"{p}_g"] = f"{t.initials}%", f"{t.initials[0]}%"
        sql += f" AND (initials LIKE :{p}_i OR (initials = '' AND given LIKE :{p}_g))"
    # One IN over both (a UNION), not an OR of two: the planner then uses it as it did the
    # authors' alone.
    return (f"a.id IN ({sql} UNION ALL SELECT id FROM article WHERE editors != '' "
            f"AND author_count = 0 AND {_editor_named(t, f'{p}e', params)})")


def _editor(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``editor:``: an editor of the book (of a chapter, or an edited book) with that family
    name, in any case, or one of its :attr:`~FieldTerm.spellings`; with
    :attr:`~FieldTerm.initials`, only one whose given name starts with the first (editors
    are kept with their given names). ``ix_article_editors`` holds the few articles with
    editors."""
    return (f"a.id IN (SELECT id FROM article WHERE editors != '' AND "
            f"{_editor_named(t, p, params)})")


def _editor_named(t: FieldTerm, p: str, params: dict[str, Any]) -> str:
    """A condition on ``editors``, the JSON text :func:`spinelib.store.mapping.editors_json`
    writes: one of its names has the family name of ``t`` (as typed, or a spelling), and
    with initials a given name starting with the first; matched as that text holds it."""
    alternatives = []
    for j, name in enumerate(dict.fromkeys((t.text, *t.spellings))):
        family = _like_escaped(json.dumps(name, ensure_ascii=False))
        pattern = f'%"family": {family}'
        if t.initials:
            pattern += f', "given": "{_like_escaped(t.initials[0])}'
        params[f"{p}_{j}"] = pattern + "%"
        alternatives.append(f"editors LIKE :{p}_{j} ESCAPE '\\'")
    return f"({' OR '.join(alternatives)})"


def _like_escaped(text: str) -> str:
    """``text`` matched literally by LIKE ... ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _identifier(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``doi:``, ``pmid:``, ``pmcid:``: the article with that (normalised) identifier, found
    by the column's unique index."""
    params[p] = t.text
    return f"a.id IN (SELECT id FROM article WHERE {t.kind} = :{p})"


def _year(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``year:``: a year or range; with no bound, any article that has a year. Never NULL for
    an undated article, so ``-year:2015..2020`` keeps it (NOT NULL would drop it)."""
    bounds = ["a.year IS NOT NULL"]
    if t.low is not None:
        bounds.append(f"a.year >= :{p}lo")
        params[f"{p}lo"] = t.low
    if t.high is not None:
        bounds.append(f"a.year <= :{p}hi")
        params[f"{p}hi"] = t.high
    return "(" + " AND ".join(bounds) + ")"


def _metadata(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``title:``, ``journal:`` and ``mesh:``: a phrase in the index's own column; None if no
    words. ``journal:`` also takes the articles of the journals in its
    :attr:`~FieldTerm.spellings` stored without an abbreviation (shown by one it matches)."""
    # The index's own column (title; journal and abbreviation; MeSH names): words in
    # order, the last a prefix. A LIKE would read every row at 100,000 articles.
    match = dialect.fulltext_phrase_in_column(t.kind, t.text)
    if not match:
        return None
    sql = dialect.metadata_filter(p)  # a field, never the papers' own text
    params[p] = match
    if t.kind == "journal" and t.spellings:
        # The journal articles stored without an abbreviation that are shown by one the
        # phrase matches (the library's resolution); "journal != ''" lets the planner read
        # them from ix_article_bare_journal.
        params.update({f"{p}_{j}": name for j, name in enumerate(t.spellings)})
        listed = ", ".join(f":{p}_{j}" for j in range(len(t.spellings)))
        sql = (f"({sql} OR a.id IN (SELECT id FROM article WHERE journal IN ({listed}) "
               f"AND journal_abbrev = '' AND journal != '' AND type NOT IN ({_BOOK_TYPES})))")
    return sql


def _tag(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``tag:``: a confirmed assignment of any of the resolved tag ids."""
    names = ", ".join(f":{p}_{j}" for j in range(len(t.tag_ids))) or "NULL"
    params.update({f"{p}_{j}": tag for j, tag in enumerate(t.tag_ids)})
    return (f"a.id IN (SELECT article_id FROM article_tag WHERE origin IN ({_CONFIRMED}) "
            f"AND tag_id IN ({names}))")


def _type(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``type:``: the article type, compared lower-case."""
    # Types are stored lower-case (a PubMed review is type 'review'): ix_article_type.
    params[p] = t.text.lower()
    return f"a.type = :{p}"


def _read(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``read:``: the read status named by its label."""
    return f"a.read_status = {READ[t.text]}"


def _has(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``has:``: a column that is filled (see :data:`HAS`)."""
    return HAS[t.text]


def key_condition(p: str) -> str:
    """The article ``a`` whose citation key is parameter ``p`` in any case
    (ix_article_citekey_nocase), or whose former key it is (a rekey or a merge): what
    ``key:`` finds, and what :meth:`~spinelib.store.queries.QuerySql.is_citekey` asks."""
    return (f"(a.id IN (SELECT id FROM article WHERE citekey = :{p} COLLATE NOCASE) OR "
            f"a.id IN (SELECT article_id FROM article_alias WHERE kind = 'citekey' "
            f"AND value = :{p} COLLATE NOCASE))")


def _key(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """``key:`` / ``@key``: :func:`key_condition`."""
    params[p] = t.text
    return key_condition(p)


def _text(dialect: Dialect, t: FieldTerm, p: str, params: dict[str, Any]) -> str | None:
    """A plain (or ``-``negated) word: a full-text match; None if no words."""
    match = dialect.fulltext_query(t.text)
    if not match:
        return None
    sql = dialect.fulltext_filter(p)
    params[p] = match
    params[p + "_parts"] = dialect.fulltext_parts_query(t.text)
    return sql


#: Builds one term's SQL (adding its parameters), or None to drop the term.
_Predicate = Callable[[Dialect, FieldTerm, str, dict[str, Any]], str | None]
#: The predicate builder of each term kind the parser makes.
_KINDS: dict[str, _Predicate] = {
    "author": _author,
    "editor": _editor,
    "title": _metadata,
    "year": _year,
    "journal": _metadata,
    "mesh": _metadata,
    "tag": _tag,
    "type": _type,
    "read": _read,
    "has": _has,
    "text": _text,
    "key": _key,
    **{kind: _identifier for kind in IDENTIFIER_KINDS},
}


def predicates(dialect: Dialect, terms: Sequence[FieldTerm],
               params: dict[str, Any], prefix: str = "fq") -> list[str]:
    """One predicate per term (its parameters added to ``params``)."""
    out: list[str] = []
    for i, t in enumerate(terms):
        if t.kind == "any":  # an OR of terms: each built under a name of its own
            either = predicates(dialect, t.alternatives, params, f"{prefix}{i}_")
            sql: str | None = "(" + " OR ".join(either) + ")" if either else None
        else:
            build = _KINDS.get(t.kind)
            if build is None:  # the parser only makes the kinds above
                raise ValueError(f"unknown search qualifier {t.kind!r}")
            sql = build(dialect, t, f"{prefix}{i}", params)
        if sql is None:
            continue
        out.append(f"NOT ({sql})" if t.negated else sql)
    return out


def leaves(terms: Sequence[FieldTerm]) -> list[FieldTerm]:
    """The terms with each ``any`` term's alternatives in its place."""
    return [leaf for t in terms
            for leaf in (leaves(t.alternatives) if t.kind == "any" else [t])]
