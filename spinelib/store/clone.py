"""A team library's first copy into an empty replica, in bulk and in batches (``team_clone_100k``).

The general pull (:func:`spinelib.store.outbox.apply_server_article`) looks up and rewrites
one article at a time, which is right for a handful of changes and far too slow for a whole
library. Here a :class:`RowMaker` turns each batch of server documents into the rows of every
table (no database needed: nothing local can clash, so there are no per-article look-ups),
and a :class:`Clone` writes each batch as it arrives (one ``executemany`` per table), so the
client holds a batch or two, never the library. The two run on different threads
(:mod:`spinelib.library.firstcopy`), but they overlap less than that suggests: SQLite
releases the GIL only inside each row's step, and ``executemany`` binds every row's values
under it, so the reader's Python work mostly waits for the writer's. Measured at 100k, the
copy's wall time (63-65 s) was about the sum of both threads' CPU (~43 s writing, ~20 s
reading). So the largest part, the reference lists (2.85 million rows at 100k), is parsed
and bound in a helper process on the other core and arrives as SQLite images moved in C
(:mod:`spinelib.store.refhelper`): measured on this machine, 81-89 s -> 71-73 s.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spinelib.store.connection import Connection
from spinelib.store.fulltext import FulltextSql, editor_parts
from spinelib.store.mapping import json_list, title_key, utcnow
from spinelib.store.outbox import PRIVATE_DEFAULT, PRIVATE_FIELDS, SHARED_COLUMNS
from spinelib.store.postgres.firstcopy import CopyRow
from spinelib.store.refhelper import ReferenceWriter
from spinelib.store.sqlite.dialect import FTS_COLUMNS, ROOMY_CACHE_KIB, sorting_threads
from spinelib.store.tagcounts import TagCountSql

#: The tables a clone fills: their indexes are cheaper built once than kept row by row, and
#: their triggers (kept counts, the change counter, the outbox marks, which do nothing with
#: capture off) are replaced by one recount at the end (:meth:`Clone._recount`). ``article``
#: keeps its indexes: its rows are large (abstracts), so each index built afterwards would
#: read the whole table again (measured at 100k: ~4 s wall per index), while its ids arrive
#: in order and keeping them as rows go in is cheap. The automatic indexes (primary keys,
#: UNIQUE: no stored DDL) stay too; ``article_tag``'s leads with the article id, so each
#: batch's full-text rows read their tags through it.
_BULK_TABLES = ("article", "reference", "author", "article_tag", "article_facet", "tag",
                "reading_list", "reading_list_item", "sync_article")
_KEEP_INDEXES = ("article",)

#: FTS5's pending-terms budget while a copy writes (bytes; its default is 1 MB).
_FTS_HASHSIZE = 64 << 20
_FTS_DEFAULT_HASHSIZE = 1 << 20

#: Shared columns a document may leave empty (NULL); every other gets its empty value, as
#: :func:`spinelib.store.outbox.row_values` gives it (``tests/core/test_clone_rows.py``).
_NULLABLE = ("doi", "pmid", "pmcid", "year", "month", "day")
_DEFAULTS: tuple[tuple[str, Any], ...] = tuple(
    (c, None if c in _NULLABLE else False if c in ("retracted", "has_erratum")
     else 0 if c == "author_count" else "") for c in SHARED_COLUMNS)
_CITEKEY, _TITLE = SHARED_COLUMNS.index("citekey"), SHARED_COLUMNS.index("title")
_FLAGS = tuple(SHARED_COLUMNS.index(c) for c in ("retracted", "has_erratum"))
_AT = {c: i for i, c in enumerate(SHARED_COLUMNS)}
#: ``article``'s columns in the order a made row holds them.
ARTICLE_COLUMNS = (*SHARED_COLUMNS, "title_sort", "title_key", "updated_at", "id", "added_at",
                   *PRIVATE_FIELDS)
_NOT_ALNUM_ASCII = re.compile(r"[^0-9a-z]+")

#: ``json.dumps`` with its defaults (the same text) but without the check for circular
#: references, which a shadow made of JSON values cannot hold: ~25% less CPU per shadow.
_encode = json.JSONEncoder(check_circular=False).encode


def fast_title_key(title: str) -> str:
    """:func:`spinelib.store.mapping.title_key`, with ASCII titles (nearly all) done by one
    regular expression: for ASCII text casefold is lower, NFKD changes nothing, nothing is
    combining and the letters and digits are [0-9a-z]."""
    if title.isascii():
        return _NOT_ALNUM_ASCII.sub("", title.lower())
    return title_key(title)


def shared_values(data: Mapping[str, Any]) -> list[Any]:
    """A document's shared ``article`` columns (:data:`SHARED_COLUMNS` order), the empty
    value where it holds none: :func:`spinelib.store.outbox.row_values` without the derived
    and clock columns."""
    get = data.get
    return [d if (v := get(c)) is None else v for c, d in _DEFAULTS]


@dataclass
class Batch:
    """The rows one batch of documents makes, table by table (tuples in insert order)."""

    articles: list[tuple[Any, ...]] = field(default_factory=list)
    authors: list[tuple[Any, ...]] = field(default_factory=list)
    tag_defs: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[Any, ...]] = field(default_factory=list)
    facets: list[tuple[Any, ...]] = field(default_factory=list)
    #: (list name, article id, position)
    items: list[tuple[str, int, int]] = field(default_factory=list)
    sync_rows: list[tuple[Any, ...]] = field(default_factory=list)
    #: The article id and its full-text columns but ``tags`` (the replica's labels).
    fulltext: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: (article id, its reference list as the server's JSON text): made into rows by the
    #: writer (:class:`~spinelib.store.refhelper.ReferenceWriter`, through its helper).
    ref_lists: list[tuple[int, str]] = field(default_factory=list)


def _parse_lists(tags: list[str], facets: list[str]) -> tuple[list[Any], list[Any]]:
    """A document's tags and facets (each a JSON text) parsed by one ``json.loads`` of the
    two as one array: tens of thousands of small calls fewer (measured with the reference
    list in the same array: 0.39 -> 0.23 s CPU per 20,000 typical documents). Each tag and
    facet must still be exactly one JSON value: a text holding two (``1, 2``) would shift
    the rest, so the counts are checked and such a document is refused as malformed."""
    tag_rows, facet_rows = json.loads(f"[[{','.join(tags)}],[{','.join(facets)}]]")
    if len(tag_rows) != len(tags) or len(facet_rows) != len(facets):
        raise ValueError("a server document holds a malformed tag or facet")
    return tag_rows, facet_rows


class RowMaker:
    """Turns a first copy's documents into rows, in the order they arrive: local ids from
    1 (the replica is empty), citation keys made unique over the whole copy, a list's
    entries without a shared position placed in the order of arrival. Needs no database,
    so it can run on the reader's thread. Each reference list stays the server's JSON text
    (``Batch.ref_lists``): :class:`Clone` hands it to its helper process
    (:mod:`spinelib.store.refhelper`), which makes the rows beside this work."""

    def __init__(self, private: Mapping[str, Mapping[str, Any]]) -> None:
        self.private = private
        self.now = utcnow()
        self.next_id = 1
        self._keys: set[str] = set()
        self._items = 0
        self._tags_known: set[str] = set()
        self._default_private = json.dumps(PRIVATE_DEFAULT)

    def batch(self, articles: Iterable[CopyRow]) -> Batch:
        batch = Batch()
        for uuid, version, data, references in articles:
            self._article(batch, uuid, version, data, references)
        return batch

    def _article(self, b: Batch, uuid: str, version: int, data: dict[str, Any],
                 references: str) -> None:
        aid = self.next_id
        self.next_id += 1
        values = shared_values(data)
        key = base = str(values[_CITEKEY] or uuid[:8])
        n = 0
        while key in self._keys:
            n += 1
            key = f"{base}{chr(ord('a') + (n - 1) % 26)}{'' if n <= 26 else n}"
        self._keys.add(key)
        values[_CITEKEY] = key
        title = str(values[_TITLE] or "")
        own_row = self.private.get(uuid)
        own = tuple((own_row or PRIVATE_DEFAULT).get(c, PRIVATE_DEFAULT[c])
                    for c in PRIVATE_FIELDS)
        b.articles.append((*values, title.casefold(), fast_title_key(title), self.now, aid,
                           self.now, *own))
        authors = data.get("authors") or []
        b.authors += [(aid, i, *r[:5]) for i, r in enumerate(authors)]
        tags = data.get("tags") or []
        facets = data.get("facets") or []
        b.ref_lists.append((aid, references))
        tag_rows, facet_rows = _parse_lists(tags, facets)
        for tag, label, tag_origin, origin, reason in tag_rows:
            if tag not in self._tags_known:
                self._tags_known.add(tag)
                b.tag_defs.append((tag, label, tag_origin))
            b.tags.append((aid, tag, origin, reason))
        b.facets += [(aid, *f) for f in facet_rows]
        positions = data.get("list_positions") or {}
        lists = data.get("lists") or []
        # Positions: the shared one, else the order of arrival over the whole copy.
        mine = {name: positions.get(name, self._items + j) for j, name in enumerate(lists)}
        self._items += len(lists)
        b.items += [(name, aid, p) for name, p in mine.items()]
        shadow = dict(zip(SHARED_COLUMNS, values, strict=True))
        for i in _FLAGS:
            shadow[SHARED_COLUMNS[i]] = bool(values[i])
        shadow.update(authors=authors, tags=tags, facets=facets, lists=lists,
                      list_positions=mine)
        # No reference list in the shadow: the rows just made hold it, and they are the base
        # until they change (schema step 15's triggers copy them in first).
        b.sync_rows.append((aid, uuid, version, _encode(shadow), self._default_private
                            if own_row is None else _encode(dict(zip(PRIVATE_FIELDS, own,
                                                                        strict=True)))))
        b.fulltext.append((aid, self._fulltext(values, authors, str(own[-1] or ""))))

    @staticmethod
    def _fulltext(values: list[Any], authors: list[list[Any]], notes: str) -> dict[str, str]:
        """The full-text columns (but tags) of the row just made, as
        :meth:`FulltextSql.reindex_rows` reads them from a stored row."""
        mesh = [str(m.get("name", "")) for m in json_list(values[_AT["mesh"]])
                if isinstance(m, dict)]
        return FulltextSql.row_columns(
            values[_TITLE] or "", values[_AT["abstract"]] or "",
            [(r[0], r[1], r[3]) for r in authors], values[_AT["journal"]] or "",
            values[_AT["journal_abbrev"]] or "",
            [str(k) for k in json_list(values[_AT["keywords"]])], mesh, notes, "",
            values[_AT["book_title"]] or "", editor_parts(values[_AT["editors"]]))


class Clone:
    """A first copy being written into a replica with no articles, batch by batch.

    Use it as a context manager inside the caller's one write transaction, calling
    :meth:`add` with each :class:`Batch`: on entry the filled tables' own indexes and
    triggers are dropped; on a clean exit the kept counts are settled once and the indexes
    and triggers are made again from their exact stored DDL. Capture must be off (a clone
    makes no outbox entries). An error anywhere rolls back with the caller's transaction (the
    drops too), so an interrupted clone leaves the replica empty, indexes and triggers
    included, and the next pull clones again.
    """

    def __init__(self, conn: Connection, fulltext: FulltextSql, tagcounts: TagCountSql) -> None:
        if conn.scalar("SELECT coalesce(max(id), 0) FROM article") != 0:
            raise ValueError("a first copy needs a replica without articles")
        self.conn, self.fulltext, self.tagcounts = conn, fulltext, tagcounts
        self.ids: list[int] = []
        self._list_ids: dict[str, int] = {}
        self._cache = 0
        self._ddl: list[str] = []
        self._fts_sized = False
        self._refs = ReferenceWriter(conn)

    @property
    def count(self) -> int:
        """The articles written so far."""
        return len(self.ids)

    def __enter__(self) -> Clone:
        self._cache = int(self.conn.scalar("PRAGMA cache_size"))
        self.conn.execute(f"PRAGMA cache_size = {ROOMY_CACHE_KIB}")
        self._ddl = _drop_own(self.conn, _BULK_TABLES)
        self.conn.execute("DELETE FROM article_fts")  # no article, so no row may stay
        # FTS5 flushes its pending terms as a new segment whenever they pass `hashsize`
        # (1 MB) and keeps merging those segments: with room for a batch's terms it writes
        # fewer, larger ones (measured at 10k: 0.28 -> 0.19 s CPU). A persistent setting,
        # so it is put back to the default (deleted) before the copy commits.
        self._fts_config(_FTS_HASHSIZE)
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        try:
            if kind is None:
                self._refs.finish()
        finally:
            self._refs.close()
        try:
            if kind is None and self.ids:
                self._recount()
            if kind is None:
                self._fts_config(None)
                self._build_indexes()
        finally:
            self.conn.execute(f"PRAGMA cache_size = {self._cache}")

    def _build_indexes(self) -> None:
        """Make the dropped indexes and triggers again: sorted in the connection's own small
        page cache, with the sorter's helper threads (:func:`sorting_threads`). At 100k the
        four reference indexes sort 2.8 million entries each. Measured, the copy's nine
        indexes, alternating in one process: 12.1 / 11.6 / 8.6 s wall in the copy's roomy
        cache alone, 7.3 / 5.6 / 5.5 s this way (whole copies 75.0 / 73.3 / 55.3 ->
        65.8 / 61.4 / 46.7 s)."""
        self.conn.execute(f"PRAGMA cache_size = {self._cache}")
        with sorting_threads(self.conn):
            for sql in self._ddl:
                self.conn.execute(sql)

    def _fts_config(self, hashsize: int | None) -> None:
        """Set FTS5's ``hashsize`` for ``article_fts``; None: back to the default, through
        FTS5 (so this connection's loaded setting is the default again), and its stored
        row removed (a file as if it had never been set). An SQLite whose FTS5 has no such
        option refuses the first call (a failed statement changes nothing): the copy then
        goes on with the default, and there is nothing to put back."""
        if hashsize is None and not self._fts_sized:
            return
        try:
            self.conn.execute("INSERT INTO article_fts (article_fts, rank) "
                              "VALUES ('hashsize', :n)",
                              {"n": _FTS_DEFAULT_HASHSIZE if hashsize is None else hashsize})
        except sqlite3.OperationalError:
            if hashsize is None:
                raise
            return
        self._fts_sized = hashsize is not None
        if hashsize is None:
            self.conn.execute("DELETE FROM article_fts_config WHERE k = 'hashsize'")

    def add(self, b: Batch) -> None:
        """Write one batch's rows and their full-text rows."""
        if not b.articles:
            return
        conn = self.conn
        conn.executemany(f"INSERT INTO article ({', '.join(ARTICLE_COLUMNS)}) VALUES "
                         f"({', '.join('?' * len(ARTICLE_COLUMNS))})", b.articles)
        self.ids += [int(row[-5]) for row in b.articles]
        conn.executemany("INSERT INTO author (article_id, position, family, given, initials, "
                         "collective, orcid) VALUES (?, ?, ?, ?, ?, ?, ?)", b.authors)
        self._refs.add(b.ref_lists)
        conn.executemany("INSERT OR IGNORE INTO tag (id, label, parent, origin) "
                         "VALUES (?, ?, NULL, ?)", b.tag_defs)
        conn.executemany("INSERT INTO article_tag (article_id, tag_id, origin, reason) "
                         "VALUES (?, ?, ?, ?)", b.tags)
        conn.executemany("INSERT INTO article_facet (article_id, facet, value, reason) "
                         "VALUES (?, ?, ?, ?)", b.facets)
        new = {name for name, _, _ in b.items} - set(self._list_ids)
        if new:
            now = str(b.articles[0][-4])
            conn.executemany("INSERT OR IGNORE INTO reading_list (name, created_at) "
                             "VALUES (?, ?)", [(name, now) for name in sorted(new)])
            self._list_ids = {str(r[1]): int(r[0])
                              for r in conn.all("SELECT id, name FROM reading_list")}
        conn.executemany("INSERT INTO reading_list_item (list_id, article_id, position) "
                         "VALUES (?, ?, ?)", [(self._list_ids[name], aid, p)
                                              for name, aid, p in b.items])
        conn.executemany("INSERT INTO sync_article (article_id, uuid, version, shadow, private) "
                         "VALUES (?, ?, ?, ?, ?)", b.sync_rows)
        tags = self.fulltext.tags.index_texts(conn, [aid for aid, _ in b.fulltext])
        conn.executemany(f"INSERT INTO article_fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES "
                         f"({', '.join('?' * (len(FTS_COLUMNS) + 1))})",
                         [(aid, *(tags.get(aid, "") if c == "tags" else columns[c]
                                  for c in FTS_COLUMNS)) for aid, columns in b.fulltext])

    def _recount(self) -> None:
        """What the dropped triggers would have kept, once for the whole copy: the per-tag
        and per-facet counts (added to what is there, as the triggers add), the subtree
        counts (the same recount the commit's settle runs) and one step of the change
        counter."""
        conn = self.conn
        conn.execute("INSERT INTO tag_count (tag_id, n) SELECT tag_id, count(*) FROM "
                     "article_tag WHERE origin != 'rejected' GROUP BY tag_id "
                     "ON CONFLICT(tag_id) DO UPDATE SET n = n + excluded.n")
        conn.execute("INSERT INTO facet_count (facet, value, n) SELECT facet, value, count(*) "
                     "FROM article_facet GROUP BY facet, value "
                     "ON CONFLICT(facet, value) DO UPDATE SET n = n + excluded.n")
        self.tagcounts.recount(conn, self.ids)
        conn.execute("UPDATE change_counter SET n = n + 1 WHERE id = 1")


def _drop_own(conn: Connection, tables: Sequence[str]) -> list[str]:
    """Drop these tables' own indexes and triggers (all but :data:`_KEEP_INDEXES`' indexes)
    and return their exact stored DDL, to be run again when the copy is written: for a
    whole library one sorted build is much cheaper than a million index updates, and one
    recount than a million trigger runs."""
    names = ", ".join(f"'{t}'" for t in tables)
    ddl = [(str(r[0]), str(r[1]), str(r[2])) for r in conn.all(
        f"SELECT type, name, sql, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND tbl_name IN ({names}) AND sql IS NOT NULL ORDER BY type, name")
        if not (r[0] == "index" and str(r[3]) in _KEEP_INDEXES)]
    for kind, name, _ in ddl:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    return [sql for _, _, sql in ddl]
