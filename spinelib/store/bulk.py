"""SQL of the bulk import path (issue 19): identifiers looked up as sets, a batch's rows
written with one ``executemany`` per table. Policy (which records are new, what they hold)
is :mod:`spinelib.library.bulk`'s; this module only reads and writes what it is told, inside
the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from spinelib.isbn import isbn13
from spinelib.records import Author, ReferenceEntry
from spinelib.store.articles import INSERT_AUTHOR, INSERT_REFERENCE
from spinelib.store.connection import Connection, batches
from spinelib.store.dialect import Dialect
from spinelib.store.mapping import author_rows, reference_rows
from spinelib.store.schema import (
    ARTICLE_COLUMNS,
    IDENTIFIER_COLUMNS,
)

#: Values bound per ``IN (...)`` look-up (SQLite's default limit is 32,766 variables).
LOOKUP_CHUNK = 500

_INSERT_ARTICLE = (f"INSERT INTO article (id, {', '.join(ARTICLE_COLUMNS)}) VALUES "
                   f"(:id, {', '.join(':' + c for c in ARTICLE_COLUMNS)})")


#: The most page cache an import batch's transaction takes, in KiB (see ``roomy_cache``).
IMPORT_CACHE_MAX_KIB = 65536

#: The schema's triggers that count, one inserted row at a time, what new articles add:
#: the change counter (articles, tag rows), the per-tag and per-facet counts and the tag
#: cover's dirty list. A run of new articles pauses them and counts once
#: (:meth:`BulkSql.counted_run`). Any other trigger (a team replica's change capture) runs.
COUNTING_TRIGGERS = ("change_counter_article_insert", "change_counter_article_tag_insert",
                     "tag_count_ins", "tag_cover_ins", "facet_count_ins")

#: What :data:`COUNTING_TRIGGERS` would have done for the rows of articles :lo..:hi, each as
#: one statement over those rows (the same arithmetic: a missing count row starts at 0).
_COUNT_RUN = (
    "UPDATE change_counter SET n = n + "
    "(SELECT count(*) FROM article WHERE id BETWEEN :lo AND :hi) + "
    "(SELECT count(*) FROM article_tag WHERE article_id BETWEEN :lo AND :hi) WHERE id = 1",
    "INSERT INTO tag_count (tag_id, n) SELECT tag_id, count(*) FROM article_tag "
    "WHERE article_id BETWEEN :lo AND :hi AND origin != 'rejected' GROUP BY tag_id "
    "ON CONFLICT(tag_id) DO UPDATE SET n = n + excluded.n",
    "INSERT INTO tag_cover_dirty SELECT DISTINCT article_id FROM article_tag "
    "WHERE article_id BETWEEN :lo AND :hi "
    "AND article_id NOT IN (SELECT article_id FROM tag_cover_dirty)",
    "INSERT INTO facet_count (facet, value, n) SELECT facet, value, count(*) "
    "FROM article_facet WHERE article_id BETWEEN :lo AND :hi GROUP BY facet, value "
    "ON CONFLICT(facet, value) DO UPDATE SET n = n + excluded.n",
)


class BulkSql:
    """Set look-ups and many-row writes for a batch of new articles."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._facet = dialect.insert_ignore("article_facet",
                                            ("article_id", "facet", "value", "reason"))

    def roomy_cache(self, conn: Connection) -> AbstractContextManager[None]:
        """A larger page cache for one batch's transaction (the dialect's ``roomy_cache``):
        a batch inserts ~28,000 reference rows at random places of the reference indexes,
        and with SQLite's default 2 MB cache nearly every one misses once the library is a
        few thousand articles large (measured into a 10k library: raw executemany of
        140,000 reference rows 20-30% less CPU; 2,000 whole records through this path 3.5%
        less, more as the library grows). The default comes back after the batch.

        Capped at :data:`IMPORT_CACHE_MAX_KIB` (64 MB) rather than grown with the library as
        a restore's is: an import's batches keep landing in the same indexes, and issue 19
        wants a file import under 300 MB. Measured importing 100,000 records: 256 MB of cache gave a
        370 MB peak and 171 s of CPU, 64 MB a 262 MB peak and 181 s (+5%)."""
        return self.dialect.roomy_cache(conn, max_kib=IMPORT_CACHE_MAX_KIB)

    @contextmanager
    def counted_run(self, conn: Connection, first_id: int, last_id: int) -> Iterator[None]:
        """Insert the rows of new articles ``first_id..last_id`` in the block; the counts
        their rows add are then made in four statements instead of by the schema's triggers
        row by row (issue 19: count tables filled per batch; measured importing 20,000
        entries, the triggers were a fifth of the import's own CPU).

        Promises the counts the triggers would have made, provided the block only inserts,
        and only rows of these ids, which no row held before: the ids of new articles
        (``SnapshotSql.next_id`` onwards). Must run inside the caller's savepoint: a failure
        is left to its rollback."""
        with self.dialect.triggers_paused(conn, COUNTING_TRIGGERS):
            yield
            for sql in _COUNT_RUN:
                conn.execute(sql, {"lo": first_id, "hi": last_id})

    # ---- look-ups, one statement per chunk of values (not per record)
    def known_identifiers(self, conn: Connection,
                          wanted: Mapping[str, Iterable[str]]) -> set[tuple[str, str]]:
        """The (column, value) pairs of ``wanted`` that a live article, a kept alias (of a
        merge) or an article in the trash holds: records carrying one are not new."""
        return set(self.holders(conn, wanted))

    def holders(self, conn: Connection, wanted: Mapping[str, Iterable[str]]
                ) -> dict[tuple[str, str], tuple[int, str | None, bool]]:
        """(column, value) of ``wanted`` -> (id, citation key, in the trash) of the article
        that holds it, looked for where a merge looks
        (:meth:`~spinelib.library.merge.Merger.merge`): a live article, then the article a
        merge kept it for as an alias (key None when that article is no longer live), then
        the trash."""
        found: dict[tuple[str, str], tuple[int, str | None, bool]] = {}
        for column, values in wanted.items():
            if column not in IDENTIFIER_COLUMNS:
                raise ValueError(f"not an identifier column: {column}")
            for chunk in batches(sorted(set(values)), LOOKUP_CHUNK):
                marks = ", ".join(f":v{i}" for i in range(len(chunk)))
                params = {f"v{i}": v for i, v in enumerate(chunk)}
                for sql, trashed in (
                        (f"SELECT {column}, id, citekey FROM article "
                         f"WHERE {column} IN ({marks})", False),
                        ("SELECT al.value, al.article_id, article.citekey "
                         "FROM article_alias AS al LEFT JOIN article ON article.id = "
                         f"al.article_id WHERE al.kind = :kind AND al.value IN ({marks})",
                         False),
                        (f"SELECT {column}, article_id, citekey FROM article_trash "
                         f"WHERE {column} IN ({marks}) ORDER BY deleted_at DESC", True)):
                    for value, article_id, key in conn.all(sql, {**params, "kind": column}):
                        found.setdefault((column, str(value)), (
                            int(article_id), None if key is None else str(key), trashed))
        return found

    def book_holders(self, conn: Connection, urls: Iterable[str], isbns: Iterable[str]
                     ) -> dict[tuple[str, str], tuple[int, str]]:
        """("url", address) -> (id, citation key) of the live article at each address (a
        Bookshelf document's), and ("isbn", ISBN-13 digits) -> the live book listing it
        (its ISBN compared as an ISBN-13, however written; a library holds few books)."""
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for chunk in batches(sorted(set(urls)), LOOKUP_CHUNK):
            marks = ", ".join(f":u{i}" for i in range(len(chunk)))
            for url, article_id, key in conn.all(
                    f"SELECT url, id, citekey FROM article WHERE url IN ({marks})",
                    {f"u{i}": u for i, u in enumerate(chunk)}):
                found.setdefault(("url", str(url)), (int(article_id), str(key)))
        wanted = set(isbns)
        if wanted:
            for isbn, article_id, key in conn.all(
                    "SELECT isbn, id, citekey FROM article WHERE type = 'book' AND isbn != ''"):
                digits = isbn13(str(isbn))
                if digits in wanted:
                    found.setdefault(("isbn", digits), (int(article_id), str(key)))
        return found

    def identifierless_twins(self, conn: Connection,
                             keys: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
        """The (title key, year) pairs of ``keys`` shared by a stored article without any
        identifier (a record without identifiers may be the same entry read again)."""
        found: set[tuple[str, int]] = set()
        wanted = set(keys)
        for chunk in batches(sorted({k for k, _ in wanted}), LOOKUP_CHUNK):
            marks = ", ".join(f":k{i}" for i in range(len(chunk)))
            for key, year in conn.all(
                    f"SELECT title_key, year FROM article WHERE title_key IN ({marks}) "
                    "AND doi IS NULL AND pmid IS NULL AND pmcid IS NULL",
                    {f"k{i}": k for i, k in enumerate(chunk)}):
                if (key, year) in wanted:
                    found.add((str(key), int(year)))
        return found

    def tag_labels(self, conn: Connection, tag_ids: Iterable[str]) -> dict[str, str]:
        """Tag id -> label for the tags named (those that exist)."""
        out: dict[str, str] = {}
        for chunk in batches(sorted(set(tag_ids)), LOOKUP_CHUNK):
            marks = ", ".join(f":t{i}" for i in range(len(chunk)))
            for tag_id, label in conn.all(f"SELECT id, label FROM tag WHERE id IN ({marks})",
                                          {f"t{i}": t for i, t in enumerate(chunk)}):
                out[str(tag_id)] = str(label)
        return out

    # ---- writes, one executemany per table
    def insert_articles(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """New ``article`` rows, each with every column of schema.ARTICLE_COLUMNS and its id."""
        if rows:
            conn.executemany(_INSERT_ARTICLE, rows)

    def insert_authors(self, conn: Connection,
                       authors: Sequence[tuple[int, list[Author]]]) -> None:
        rows = [row for article_id, people in authors for row in author_rows(article_id, people)]
        if rows:
            conn.executemany(INSERT_AUTHOR, rows)

    def insert_references(self, conn: Connection,
                          refs: Sequence[tuple[int, list[ReferenceEntry]]]) -> None:
        rows = [row for article_id, entries in refs for row in reference_rows(article_id, entries)]
        if rows:
            conn.executemany(INSERT_REFERENCE, rows)

    def insert_facets(self, conn: Connection, rows: Sequence[tuple[int, str, str, str]]) -> None:
        """Facet values (article, facet, value, reason) of new articles."""
        if rows:
            conn.executemany(self._facet, [{"article_id": a, "facet": f, "value": v,
                                            "reason": r} for a, f, v, r in rows])

    def index_new(self, conn: Connection, docs: Sequence[tuple[int, dict[str, str]]]) -> None:
        """Full-text index rows of new articles (article id, column -> text)."""
        self.dialect.fulltext_insert_new(conn, docs)

    # ---- citation keys, looked up as sets
    def citekeys_in(self, conn: Connection, keys: Iterable[str]) -> set[str]:
        """The lower-case forms of ``keys`` that an article's key matches in any letter case
        (keys are ASCII, and NOCASE folds ASCII letters)."""
        found: set[str] = set()
        for chunk in batches(sorted({k.lower() for k in keys}), LOOKUP_CHUNK):
            marks = ", ".join(f":k{i}" for i in range(len(chunk)))
            found.update(str(k).lower() for k in conn.column(
                f"SELECT citekey FROM article WHERE citekey COLLATE NOCASE IN ({marks})",
                {f"k{i}": k for i, k in enumerate(chunk)}))
        return found

    def citekeys_from(self, conn: Connection, bases: Iterable[str]) -> set[str]:
        """The lower-case keys of articles whose key starts with one of ``bases`` (lower-case
        ASCII) followed by ASCII or nothing, in any letter case: every key that a key
        generated from one of them (base, base+a, ...) could collide with. One statement per
        few hundred bases, each a range of the NOCASE citekey index."""
        found: set[str] = set()
        for chunk in batches(sorted(set(bases)), LOOKUP_CHUNK):
            values = ", ".join(f"(:lo{i}, :hi{i})" for i in range(len(chunk)))
            params: dict[str, str] = {}
            for i, base in enumerate(chunk):
                params[f"lo{i}"], params[f"hi{i}"] = base, base + "\x7f"
            found.update(str(k).lower() for k in conn.column(
                f"WITH b(lo, hi) AS (VALUES {values}) SELECT a.citekey FROM b JOIN article a "
                "ON a.citekey >= b.lo COLLATE NOCASE AND a.citekey < b.hi COLLATE NOCASE",
                params) if str(k).isascii())
        return found
