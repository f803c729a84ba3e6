"""SQL for finding articles: a :class:`~spinelib.results.Query` as a WHERE clause, ids in the
table's order, counts, table rows and the sidebar's fixed counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spinelib.curation_results import FieldTerm
from spinelib.journalnames import IN_BOOK_TYPES
from spinelib.results import CONFIRMED_ORIGINS, Query, ReadStatus, Row, SidebarCounts, TagMatch
from spinelib.store.connection import Connection, id_list
from spinelib.store.dialect import Dialect
from spinelib.store.fieldsearch import FULLTEXT_KINDS, key_condition, leaves, predicates
from spinelib.store.mapping import editors_from_json
from spinelib.store.schema import SORTS
from spinelib.text import ascii_fold

_CONFIRMED = ", ".join(f"'{o}'" for o in CONFIRMED_ORIGINS)


@dataclass
class Filter:
    """A query with its names resolved by the library: each tag as the ids of its subtree,
    the reading list as its id, "recent" as a timestamp."""

    query: Query
    tag_subtrees: list[list[str]] = field(default_factory=list)
    list_id: int | None = None
    recent_since: str = ""
    #: Qualified search terms parsed out of ``query.search`` (which then holds the rest).
    fields: list[FieldTerm] = field(default_factory=list)


#: The yes/no parts of a query and what each selects (``recent`` needs a parameter).
_FLAGS: tuple[tuple[str, str], ...] = (
    ("unread", f"a.read_status = {int(ReadStatus.UNREAD)}"),
    # ix_article_flagged answers it (the walk's index holds no flag columns).
    ("retracted", "a.id IN (SELECT id FROM article WHERE retracted OR has_erratum)"),
    ("unidentified", "a.id IN (SELECT article_id FROM unidentified)"),
)


class QuerySql:
    """Statements that select and count articles."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def where(self, f: Filter) -> tuple[list[str], dict[str, Any]]:
        """The predicates (on ``article a``) and parameters of a filter."""
        q = f.query
        where: list[str] = []
        params: dict[str, Any] = {}
        if q.search.strip():
            match = self.dialect.fulltext_query(q.search)
            if match:
                where.append(self.dialect.fulltext_filter("fts"))
                params["fts"] = match
                params["fts_parts"] = self.dialect.fulltext_parts_query(q.search)
        origins = (f"origin IN ({_CONFIRMED})" if q.tag_match == TagMatch.CONFIRMED
                   else "origin != 'rejected'")
        where.extend(predicates(self.dialect, f.fields, params))
        for i, ids in enumerate(f.tag_subtrees):
            names = ", ".join(f":tag{i}_{j}" for j in range(len(ids)))
            where.append(f"a.id IN (SELECT article_id FROM article_tag WHERE {origins} "
                         f"AND tag_id IN ({names}))")
            params.update({f"tag{i}_{j}": t for j, t in enumerate(ids)})
        for i, (facet, value) in enumerate(q.facets):
            where.append(f"a.id IN (SELECT article_id FROM article_facet WHERE facet = :ff{i} "
                         f"AND value = :fv{i})")
            params.update({f"ff{i}": facet, f"fv{i}": value})
        if f.list_id is not None:
            where.append("a.id IN (SELECT article_id FROM reading_list_item WHERE list_id = :lid)")
            params["lid"] = f.list_id
        where.extend(sql for flag, sql in _FLAGS if getattr(q, flag))
        if q.recent:
            where.append("a.added_at >= :since")
            params["since"] = f.recent_since
        if q.ids is not None:
            where.append(f"a.id IN ({id_list(q.ids)})")
        return where, params

    def scope(self, f: Filter) -> tuple[str, dict[str, Any]]:
        """A predicate on ``article_id`` limiting a count to the filter ("" = everything)."""
        where, params = self.where(f)
        if not where:
            return "", params
        return f"article_id IN (SELECT a.id FROM article a WHERE {' AND '.join(where)})", params

    def ids(self, conn: Connection, f: Filter) -> list[int]:
        """Article ids matching, sorted in SQL (a reading list keeps its own order when sorted
        by 'list'; a search sorts by relevance when sorted by 'relevance')."""
        # Article ids are SQLite integers already: no conversion pass over 100,000 of them.
        ids: list[int] = conn.plain_column(*self.ids_statement(f))
        if f.query.sort == "year":
            ids = self._in_press_newest(conn, f, ids)
        return ids

    def _in_press_newest(self, conn: Connection, f: Filter, ids: list[int]) -> list[int]:
        """``ids`` sorted by year with the papers in press (no year, a publication state)
        taken as the newest: first when the newest come first, last otherwise, as the
        table's Year column shows them ("in press"). Found apart, by the year index's few
        undated rows, so the sort itself keeps walking that index (an expression putting
        them first cost a scan and a sort of the whole table: 134 ms at 100,000)."""
        where, params = self.where(f)
        where += ["a.year IS NULL", "a.pubstate != ''"]
        pressed = set(conn.plain_column(
            f"SELECT a.id FROM article a WHERE {' AND '.join(where)}", params))
        if not pressed:
            return ids
        # Among themselves in the sort's own order (by id, as any tie of years).
        first = [i for i in ids if i in pressed]
        rest = [i for i in ids if i not in pressed]
        return first + rest if f.query.descending else rest + first

    def ids_statement(self, f: Filter) -> tuple[str, dict[str, Any]]:
        """The statement :meth:`ids` runs and its parameters (the benchmarks' floor runs the
        very same text in plain sqlite3); sorted by year, :meth:`ids` then moves the papers
        in press (:meth:`_in_press_newest`)."""
        q = f.query
        where, params = self.where(f)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        direction = "DESC" if q.descending else "ASC"
        if q.sort == "list" and f.list_id is not None:
            sql = ("SELECT a.id FROM article a JOIN reading_list_item li ON li.article_id = a.id "
                   f"AND li.list_id = :lid {clause} ORDER BY li.position")
        elif q.sort == "relevance" and "fts" in params and len(where) == 1:
            # Search alone: the index answers by itself (every indexed row is an article).
            sql = f"SELECT id FROM ({self.dialect.fulltext_ranked('fts')}) ORDER BY rank"
        elif q.sort == "relevance" and "fts" in params:
            sql = (f"SELECT a.id FROM article a JOIN ({self.dialect.fulltext_ranked('fts')}) f "
                   f"ON f.id = a.id {clause} ORDER BY f.rank")
        else:
            # Sorted by a column (the table's default): matching needs no relevance rank.
            column, nocase = SORTS.get(q.sort, SORTS["added"])
            order = self.dialect.nocase(column) if nocase else column
            sql = (f"SELECT a.id FROM {self._source(f, params)} {clause} "
                   f"ORDER BY {order} {direction}, a.id {direction}")
        return sql, params

    def _source(self, f: Filter, params: dict[str, Any]) -> str:
        """Where a column-sorted search reads its articles from.

        Words typed (free text): the full-text matches, looked up in the sort-key index
        (``Dialect.search_source``) and sorted; a word's matches are usually few, and
        walking the library to probe them cost more (measured at 100k: 17 ms walking, 10
        ms seeking for "vertebroplasty -kyphoplasty"). Otherwise, in the default order,
        the walk (``Dialect.walk_source``): its cost is bounded by the library's size
        whatever share of it matches, where driving the search from a qualifier's matches
        cost a row read and a sort per match (a third of 100,000 for ``year:2015..2020``:
        67 ms of CPU, 11 ms walking). An explicit id list is small by nature, and other
        sorts keep the planner's plan."""
        if "fts" in params:
            return self.dialect.search_source()
        if SORTS.get(f.query.sort, SORTS["added"]) == SORTS["added"] and f.query.ids is None:
            return self.dialect.walk_source()
        return "article a"

    def count(self, conn: Connection, f: Filter) -> int:
        """How many articles the filter selects (a saved search's count in the sidebar)."""
        where, params = self.where(f)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        if "fts" in params:
            source = self.dialect.search_source()
        elif any(t.kind in FULLTEXT_KINDS for t in leaves(f.fields)) and f.query.ids is None:
            # mesh:/journal:/-word: the planner would seek each full-text match's large
            # row (measured at 100k: 76 ms of CPU for mesh:"spinal neoplasms", 27 walking).
            source = self.dialect.walk_source()
        else:
            source = "article a"  # indexed columns and small id sets: the planner's seek
        return int(conn.scalar(f"SELECT count(*) FROM {source} {clause}", params))

    def cited_parts(self, conn: Connection, ids: Sequence[int]
                    ) -> dict[int, tuple[str, str, str, str]]:
        """id -> (citation key, title, volume, pages): what a citation is compared with."""
        if not ids:
            return {}
        return {int(r[0]): (str(r[1]), str(r[2] or ""), str(r[3] or ""), str(r[4] or ""))
                for r in conn.all("SELECT id, citekey, title, volume, pages FROM article "
                                  f"WHERE id IN ({id_list(ids)})")}

    def rows(self, conn: Connection, ids: Sequence[int]) -> dict[int, Row]:
        """Table rows for ``ids`` (a page at a time; ids not found are absent)."""
        if not ids:
            return {}
        in_ids = id_list(ids)
        tag_map: dict[int, list[str]] = {}
        for a_id, tag_id in conn.execute(
                f"SELECT article_id, tag_id FROM article_tag WHERE article_id IN ({in_ids}) "
                f"AND origin IN ({_CONFIRMED}) ORDER BY tag_id"):
            tag_map.setdefault(a_id, []).append(tag_id)
        out: dict[int, Row] = {}
        for r in conn.execute(
                "SELECT id, citekey, first_author, author_count, year, title, journal, "
                "journal_abbrev, book_title, read_status, retracted, has_erratum, doi, pmid, "
                "pmcid, "
                "rating, added_at, pubstate, type, issn, "
                "(SELECT count(*) FROM attachment f WHERE f.article_id = article.id) AS files, "
                "(SELECT max(c.count) FROM citation_count c WHERE c.article_id = article.id) "
                f"AS citations FROM article WHERE id IN ({in_ids})"):
            out[r["id"]] = Row(r["id"], r["citekey"], r["first_author"], int(r["author_count"]),
                               # A chapter's book stands where an article's journal does.
                               r["year"], r["title"],
                               r["journal_abbrev"] or r["journal"] or r["book_title"] or "",
                               tag_map.get(r["id"], []), ReadStatus.coerce(r["read_status"]),
                               bool(r["retracted"]), bool(r["has_erratum"]), r["doi"],
                               r["pmid"], r["pmcid"], int(r["rating"] or 0),
                               str(r["added_at"] or ""), int(r["files"]),
                               None if r["citations"] is None else int(r["citations"]),
                               r["pubstate"] or "",
                               bool(r["journal"]) and not r["journal_abbrev"]
                               and r["type"] not in IN_BOOK_TYPES, r["issn"] or "")
        return out

    def sidebar_counts(self, conn: Connection, recent_since: str) -> SidebarCounts:
        """Counts for the fixed sidebar entries (each an indexed count, no table scan)."""
        row = conn.one(
            "SELECT (SELECT count(*) FROM article), "
            f"(SELECT count(*) FROM article WHERE read_status = {int(ReadStatus.UNREAD)}), "
            "(SELECT count(*) FROM article WHERE added_at >= :s), "
            "(SELECT count(*) FROM article WHERE retracted OR has_erratum), "
            "(SELECT count(*) FROM pending_import), "
            "(SELECT count(*) FROM unidentified)", {"s": recent_since})
        return SidebarCounts(*(int(v) for v in tuple(row)))

    def is_citekey(self, conn: Connection, text: str) -> bool:
        """Whether ``text`` is an article's citation key in any case, or a former one (what
        ``key:`` would find: :func:`~spinelib.store.fieldsearch.key_condition`)."""
        return bool(conn.scalar(
            f"SELECT EXISTS (SELECT 1 FROM article a WHERE {key_condition('k')})", {"k": text}))

    def name_spellings(self, conn: Connection, typed: str, role: str = "author"
                       ) -> tuple[str, ...]:
        """The family names of authors (``role`` "author") or of a book's editors ("editor")
        stored that read as ``typed`` once case, accents and punctuation are set aside
        (:func:`~spinelib.text.ascii_fold`: "muller" is "Müller", "costa matos"
        "Costa-Matos"), for ``author:`` and ``editor:``. Looked for among the articles whose
        index row holds ``typed``'s words in its ``authors`` column (the full-text index
        folds accents too; the editors are indexed there with the authors), so only those
        articles' names are read, never the whole author table."""
        wanted = ascii_fold(typed)
        match = self.dialect.fulltext_phrase_in_column("authors", typed, prefix=False)
        if not wanted or not match:
            return ()
        holding = "(SELECT rowid FROM article_fts WHERE article_fts MATCH :m)"
        if role == "editor":
            names = [e.family for text in conn.column(
                f"SELECT editors FROM article WHERE editors != '' AND id IN {holding}",
                {"m": match}) for e in editors_from_json(str(text))]
        else:
            names = conn.column(
                f"SELECT DISTINCT family FROM author WHERE article_id IN {holding}", {"m": match})
        return tuple(sorted({str(f) for f in names if f and ascii_fold(str(f)) == wanted}))

    def words_starting(self, conn: Connection, prefix: str, limit: int | None = None
                       ) -> list[tuple[str, int]]:
        """The article index's words starting with ``prefix`` (folded as the index folds:
        lower case, no accents), each with how many articles hold it, in order (schema 25's
        ``article_fts_words``; at most ``limit``)."""
        rows = conn.all("SELECT term, doc FROM article_fts_words WHERE term >= :lo "
                        "AND term < :hi" + (f" LIMIT {int(limit)}" if limit else ""),
                        {"lo": prefix, "hi": prefix + "\U0010ffff"})
        return [(str(r[0]), int(r[1])) for r in rows]

    def probe(self, conn: Connection, table: str) -> None:
        """Reach a table's root page (a damaged file usually fails here, plainly)."""
        conn.scalar(f"SELECT 1 FROM {table} LIMIT 1")
