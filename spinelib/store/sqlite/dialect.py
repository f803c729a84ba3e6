"""SQLite's answers to :class:`spinelib.store.dialect.Dialect`: conflict clauses, NOCASE and
the FTS5 full-text index (``article_fts``, its rowid the article id)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence

from spinelib.store.connection import Connection, batches, id_list

#: The FTS5 index's columns, in its declared order (schema 1).
FTS_COLUMNS = ("title", "abstract", "authors", "journal", "keywords", "mesh", "notes", "tags")
#: The name of the parameter holding the full-text query, after the metadata query's name.
PARTS_SUFFIX = "_parts"
#: Added to a full-text-only hit's rank so metadata hits come first.
FULLTEXT_RANK_OFFSET = 1_000_000
# Positional, for executemany: a tuple binds without a dict built and searched per row.
_FTS_INSERT_MANY = ("INSERT INTO article_fts (rowid, " + ", ".join(FTS_COLUMNS) + ") VALUES ("
                    + ", ".join("?" * (len(FTS_COLUMNS) + 1)) + ")")
_FTS_INSERT = ("INSERT INTO article_fts (rowid, " + ", ".join(FTS_COLUMNS) + ") VALUES (:id, "
               + ", ".join(f":{c}" for c in FTS_COLUMNS) + ")")


def fts5_query(user_text: str) -> str:
    """Turn anything a user types into a safe FTS5 query.

    Quoted phrases stay phrases; every other word becomes a quoted prefix term, so FTS syntax
    (``NEAR(``, ``*``, ``-``, ``:``, unbalanced quotes) is matched as plain text and never
    interpreted. Words combine with AND; an upper-case ``OR`` between two of them joins
    them as PubMed's does (``kyphoplasty OR vertebroplasty``). AND binds tighter, FTS5's rule:
    ``a b OR c`` is "a and b, or c"; parentheses standing alone as tokens (the search box
    parts them from the words, :func:`spinelib.library.fieldquery.parse`) group as in
    PubMed: ``( a OR b ) c``. Unbalanced parentheses are dropped, and so is an ``OR`` with
    nothing on one side, or an empty group. Returns "" when nothing searchable remains.
    """
    items: list[str] = []  # terms, "OR", "(" and ")"
    for m in re.finditer(r'"([^"]*)"|(\S+)', user_text):
        phrase, word = m.group(1), m.group(2)
        if word in ("OR", "(", ")"):
            items.append(word)
        elif phrase is not None:
            words = re.findall(r"\w+", phrase)
            items.extend(['"' + " ".join(words) + '"'] if words else [])
        else:
            items.extend(f'"{w}"*' for w in re.findall(r"\w+", word))
    items = _tidy_operators(items)
    if "(" not in items:
        return " ".join(items)
    # FTS5 takes no implicit AND beside a group: every AND is written out.
    out: list[str] = []
    for item in items:
        if out and out[-1] not in ("OR", "(") and item not in ("OR", ")"):
            out.append("AND")
        out.append(item)
    return " ".join(out)


def _tidy_operators(items: list[str]) -> list[str]:
    """``items`` without what FTS5 would refuse: unbalanced parentheses (all of them then),
    an ``OR`` with no term on one side, an empty group."""
    depth = 0
    for item in items:
        depth += {"(": 1, ")": -1}.get(item, 0)
        if depth < 0:
            break
    if depth != 0:
        items = [i for i in items if i not in ("(", ")")]
    changed = True
    while changed:
        changed = False
        for at, item in enumerate(items):
            before = items[at - 1] if at else None
            after = items[at + 1] if at + 1 < len(items) else None
            dangling = item == "OR" and (before in (None, "OR", "(") or after in (None, ")"))
            if dangling or (item == "(" and after == ")"):
                del items[at:at + (2 if item == "(" else 1)]
                changed = True
                break
    return items


#: Full-text words shorter than this match whole words only: "en"* would match a word on
#: nearly every page of 100,000 (end, enough, entire…) and cost a scan of them all.
PARTS_PREFIX_MIN = 3


def fts5_parts_query(user_text: str) -> str:
    """:func:`fts5_query` for the papers' own text: the same terms, but words shorter than
    :data:`PARTS_PREFIX_MIN` characters are whole words, not prefixes."""
    return re.sub(rf'"(\w{{1,{PARTS_PREFIX_MIN - 1}}})"\*', r'"\1"', fts5_query(user_text))


#: The page cache of a bulk write, in KiB (negative: SQLite's unit for KiB).
ROOMY_CACHE_KIB = -65536
#: A bulk write's page cache grows with the library up to this many KiB (see
#: :meth:`SqliteDialect.roomy_cache`); a cache only takes the pages a write touches.
ROOMY_CACHE_MAX_KIB = 262144
#: ... as this fraction of the database: the pages a 1,000-article restore touches are
#: about 6% of a 100k library (38,000 of 678,000).
ROOMY_CACHE_SHARE = 10


#: Helper threads SQLite's sorter may use beside the writing thread while an index is built
#: from a whole table (``PRAGMA threads``; SQLite's default is none). One per spare core, at
#: most three: on this 2-core machine, building the nine indexes a 100k team copy drops took
#: 8.6-12.1 s wall with none and 5.5-7.3 s with one (about the same CPU, on two cores).
SORT_THREADS = max(1, min(3, (os.cpu_count() or 2) - 1))


@contextlib.contextmanager
def sorting_threads(conn: Connection) -> Iterator[None]:
    """Let SQLite's sorter use :data:`SORT_THREADS` helper threads in the block (building
    indexes from whole tables); the connection's own setting is back afterwards. Its sorter
    spills sorted runs to temporary files when they outgrow the page cache, and the helper
    threads sort those runs side by side, so the block wants the connection's small cache,
    not a bulk write's large one."""
    before = int(conn.scalar("PRAGMA threads"))
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA threads = {before}")


class SqliteDialect:
    """The SQL text that is SQLite's own."""

    name = "sqlite"

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        return (f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)})")

    def upsert(self, table: str, columns: Sequence[str], conflict: Sequence[str],
               update: Sequence[str]) -> str:
        sets = ", ".join(f"{c} = excluded.{c}" for c in update)
        return (f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)}) "
                f"ON CONFLICT({', '.join(conflict)}) DO UPDATE SET {sets}")

    def nocase(self, expression: str) -> str:
        return f"{expression} COLLATE NOCASE"

    def fulltext_query(self, user_text: str) -> str:
        return fts5_query(user_text)

    def search_source(self) -> str:
        # The planner would fetch each match's (large) article row by its rowid; the
        # covering index holds every column a column sort needs (schema_v10_query).
        return "article a INDEXED BY ix_article_sort_keys"

    def walk_source(self) -> str:
        # Without it the planner drives a search from its sub-select (it guesses ~25 ids
        # for any IN (SELECT ...), and cannot know that year:2015..2020 or mesh:"spinal
        # neoplasms" select a third of the library), then reads each match's row and sorts
        # them all: measured at 100k, 66-68 ms. Walking the index in order is bounded by
        # the library's size (schema_v13_field_search).
        return "article a INDEXED BY ix_article_added_keys"

    def fulltext_parts_query(self, user_text: str) -> str:
        return fts5_parts_query(user_text)

    def fulltext_phrase_in_column(self, column: str, user_text: str, *,
                                  prefix: bool = True) -> str:
        if column not in FTS_COLUMNS:
            raise ValueError(f"not a full-text column: {column}")
        words = re.findall(r"\w+", user_text)
        star = "*" if prefix else ""
        return f'{{{column}}} : "{" ".join(words)}"{star}' if words else ""

    def metadata_filter(self, param: str) -> str:
        return f"a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :{param})"

    def fulltext_filter(self, param: str) -> str:
        return (f"(a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :{param}) "
                f"OR a.id IN (SELECT article_id FROM fulltext_part WHERE id IN "
                f"({self.fulltext_parts_ids(param + PARTS_SUFFIX)})))")

    def fulltext_ranked(self, param: str) -> str:
        # Full-text-only hits rank after every metadata hit (bm25 ranks are small negatives).
        return (f"SELECT id, min(rank) AS rank FROM ({self.fulltext_ranked_metadata(param)} "
                f"UNION ALL SELECT p.article_id, {FULLTEXT_RANK_OFFSET} + f.rank FROM "
                f"fulltext_fts f JOIN fulltext_part p ON p.id = f.rowid "
                f"WHERE fulltext_fts MATCH :{param}{PARTS_SUFFIX}) GROUP BY id")

    def fulltext_ranked_metadata(self, param: str) -> str:
        return f"SELECT rowid AS id, rank FROM article_fts WHERE article_fts MATCH :{param}"

    def fulltext_parts_ids(self, param: str) -> str:
        return f"SELECT rowid FROM fulltext_fts WHERE fulltext_fts MATCH :{param}"

    def fulltext_in_column(self, column: str, query: str) -> str:
        if column not in FTS_COLUMNS:
            raise ValueError(f"not a metadata index column: {column!r}")
        terms = re.findall(r'"[^"]*"\*?', query)
        return f"{column} : ({' OR '.join(terms)})" if terms else ""

    def fulltext_replace(self, conn: Connection, article_id: int,
                         columns: dict[str, str]) -> None:
        conn.execute("DELETE FROM article_fts WHERE rowid = :id", {"id": article_id})
        conn.execute(_FTS_INSERT, {"id": article_id, **{c: columns.get(c, "")
                                                         for c in FTS_COLUMNS}})

    def fulltext_replace_many(self, conn: Connection,
                              docs: Sequence[tuple[int, Mapping[str, str]]]) -> None:
        # An undo writes back 1,000 articles: a DELETE and an INSERT each through the
        # connection's wrapper was ~0.05 s of its ~1 s (10k library) beside the tokenizing.
        # An id given twice keeps its last text, as one replace after another would.
        for chunk in batches(list(dict(docs).items()), 500):
            self.fulltext_delete(conn, [article_id for article_id, _texts in chunk])
            conn.executemany(_FTS_INSERT_MANY, [
                (article_id, *[columns.get(c, "") for c in FTS_COLUMNS])
                for article_id, columns in chunk])

    def fulltext_delete(self, conn: Connection, article_ids: Sequence[int]) -> None:
        conn.execute(f"DELETE FROM article_fts WHERE rowid IN ({id_list(article_ids)})")

    def fulltext_set_column(self, conn: Connection, column: str,
                            texts: Sequence[tuple[int, str]]) -> set[int]:
        if column not in FTS_COLUMNS:
            raise ValueError(f"no full-text column {column!r}")
        there = {int(r[0]) for r in conn.all(
            f"SELECT rowid FROM article_fts WHERE rowid IN ({id_list([a for a, _ in texts])})")}
        # FTS5 reads the row's other columns from its own content table: no record to load
        # and no text to build for them (tagging 4,000 of 100,000: 0.55 s, not 1.1 s).
        conn.executemany(f"UPDATE article_fts SET {column} = ? WHERE rowid = ?",
                         [(text, a) for a, text in texts if a in there])
        return there

    def fulltext_insert_new(self, conn: Connection,
                            docs: Sequence[tuple[int, Mapping[str, str]]]) -> None:
        # One executemany instead of a DELETE and an INSERT per article (20,000 statements
        # for 10,000 records). New ids are fresh, but an index row left under one (a
        # damaged library) would make search answer twice, so the range is cleared first.
        if not docs:
            return
        ids = [article_id for article_id, _texts in docs]
        conn.execute("DELETE FROM article_fts WHERE rowid BETWEEN :lo AND :hi",
                     {"lo": min(ids), "hi": max(ids)})
        conn.executemany(_FTS_INSERT_MANY, [(article_id, *[columns.get(c, "") for c in FTS_COLUMNS])
                                            for article_id, columns in docs])

    @contextlib.contextmanager
    def triggers_paused(self, conn: Connection, names: Sequence[str]) -> Iterator[None]:
        # SQLite's DDL is transactional: the drop and the re-creation commit together with
        # the rows, or roll back with them, so no other connection ever sees the schema
        # without the triggers. The definitions are the stored ones, whatever step made them.
        wanted = ", ".join(f"'{n}'" for n in names)
        stored = [(str(name), str(sql)) for name, sql in conn.all(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND name IN ({wanted}) ORDER BY name")]
        for name, _sql in stored:
            conn.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        except BaseException:
            # The caller rolls back, which restores them too; re-creating them here only
            # keeps the connection usable should it not, and must not hide the failure.
            with contextlib.suppress(Exception):
                for _name, sql in stored:
                    conn.execute(sql)
            raise
        for _name, sql in stored:
            conn.execute(sql)

    @contextlib.contextmanager
    def roomy_cache(self, conn: Connection, max_kib: int | None = None) -> Iterator[None]:
        # Random inserts into the reference indexes of a 10k library miss SQLite's default
        # 2 MB cache on nearly every row: measured, 28,000 reference rows took 0.85 s of CPU
        # with it and 0.31 s with 64 MB. Only for the bulk write: the GUI's readers keep the
        # default, so its memory stays as measured (peak_rss_gui).
        # At 100k the write touches 38,000 pages (150 MB; 26,000 of them in the reference
        # list's two covering indexes, written at random), so 64 MB made it read pages back
        # it had just evicted: measured, the 28,000 reference rows took 0.64-0.76 s of CPU
        # with 64 MB and 0.43-0.53 s with 256 MB. The cache grows with the database (a 10k
        # library keeps 64 MB) up to ROOMY_CACHE_MAX_KIB, and only while the write runs.
        before = int(conn.scalar("PRAGMA cache_size"))
        kib = int(conn.scalar("PRAGMA page_count")) * int(conn.scalar("PRAGMA page_size")) // (
            1024 * ROOMY_CACHE_SHARE)
        ceiling = ROOMY_CACHE_MAX_KIB if max_kib is None else max_kib
        conn.execute(f"PRAGMA cache_size = {-min(max(-ROOMY_CACHE_KIB, kib), ceiling)}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA cache_size = {before}")
