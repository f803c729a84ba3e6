"""A team library's first copy into an empty replica, in bulk (``team_clone_100k``).

The general pull (:func:`spinelib.store.outbox.apply_server_article`) looks up and rewrites
one article at a time, which is right for a handful of changes and far too slow for a whole
library: here every table is written with one ``executemany``, since nothing local can clash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from spinelib.store.connection import Connection
from spinelib.store.fulltext import FulltextSql
from spinelib.store.gcpause import gc_paused
from spinelib.store.mapping import utcnow
from spinelib.store.outbox import PRIVATE_DEFAULT, PRIVATE_FIELDS, SHARED_COLUMNS, row_values
from spinelib.store.postgres.server import REFERENCES_TEXT
from spinelib.store.sqlite.dialect import ROOMY_CACHE_KIB
from spinelib.store.tagcounts import TagCountSql


def clone_into_empty(conn: Connection, articles: Sequence[tuple[str, int, Any, bool]],
                     private: Mapping[str, Mapping[str, Any]], fulltext: FulltextSql,
                     tagcounts: TagCountSql) -> int:
    """A first copy into a replica with no articles (see :func:`_clone`), with Python's
    cycle collector paused while its rows are made."""
    with gc_paused():
        return _clone(conn, articles, private, fulltext, tagcounts)


def _clone(conn: Connection, articles: Sequence[tuple[str, int, Any, bool]],
           private: Mapping[str, Mapping[str, Any]], fulltext: FulltextSql,
           tagcounts: TagCountSql) -> int:
    """A first copy into a replica with no articles: every table written with one
    executemany (no per-article look-ups: nothing local can clash), the tables' indexes
    built once at the end, the full-text rows written from the rows just stored and the
    kept tag counts settled once. Capture must be off (a clone makes no outbox entries);
    the caller's one transaction covers it all, so an interrupted clone leaves the replica
    empty (and the next pull clones again). Returns the articles written."""
    next_id = int(conn.scalar("SELECT coalesce(max(id), 0) FROM article")) + 1
    now = utcnow()
    rows: list[dict[str, Any]] = []
    authors: list[dict[str, Any]] = []
    refs: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    facets: list[dict[str, Any]] = []
    sync_rows: list[dict[str, Any]] = []
    items: list[tuple[str, int, int | None]] = []
    tag_defs: dict[str, dict[str, Any]] = {}
    keys: set[str] = set()
    for uuid, version, data, deleted in articles:
        if deleted:
            continue
        aid, next_id = next_id, next_id + 1
        values = row_values(data)
        key = base = str(values["citekey"] or uuid[:8])
        n = 0
        while key in keys:
            n += 1
            key = f"{base}{chr(ord('a') + (n - 1) % 26)}{'' if n <= 26 else n}"
        keys.add(key)
        values["citekey"] = key
        own = {c: (private.get(uuid) or PRIVATE_DEFAULT).get(c, PRIVATE_DEFAULT[c])
               for c in PRIVATE_FIELDS}
        rows.append({**values, "id": aid, "added_at": now, **own})
        authors += [{"a": aid, "p": i, "f": r[0], "g": r[1], "i": r[2], "c": r[3], "o": r[4]}
                    for i, r in enumerate(data.get("authors") or [])]
        # The reference list stays JSON text (SQLite's json_each makes the rows): it is two
        # thirds of a document, and no Python object per reference is ever built.
        references = data.get(REFERENCES_TEXT) or json.dumps(data.get("references") or [])
        refs.append({"a": aid, "r": references})
        for text in data.get("tags") or []:
            tag, label, tag_origin, origin, reason = json.loads(text)
            tag_defs.setdefault(tag, {"t": tag, "l": label, "o": tag_origin})
            tags.append({"a": aid, "t": tag, "o": origin, "r": reason})
        facets += [dict(zip("fvr", json.loads(t), strict=True), a=aid)
                   for t in data.get("facets") or []]
        positions = data.get("list_positions") or {}
        lists, start = data.get("lists") or [], len(items)
        items += [(name, aid, positions.get(name)) for name in lists]
        shadow = {c: values[c] for c in SHARED_COLUMNS}
        for flag in ("retracted", "has_erratum"):
            shadow[flag] = bool(shadow[flag])
        shadow.update({f: data.get(f) or [] for f in ("authors", "tags", "facets", "lists")})
        # The positions this copy will hold (shared ones, else the order of arrival below).
        shadow["list_positions"] = {name: positions.get(name, start + j)
                                    for j, name in enumerate(lists)}
        text = f'{json.dumps(shadow)[:-1]}, "references": {references}}}'
        sync_rows.append({"a": aid, "u": uuid, "v": version, "s": text, "p": json.dumps(own)})
    if not rows:
        return 0
    before = int(conn.scalar("PRAGMA cache_size"))
    conn.execute(f"PRAGMA cache_size = {ROOMY_CACHE_KIB}")  # the index builds sort in it
    try:
        with _rebuilt_after(conn, _BULK_TABLES):
            _write(conn, rows, authors, refs, tag_defs, tags, facets, items, sync_rows, now)
            _recount(conn, tagcounts, [int(r["id"]) for r in rows])
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")
    by_article: dict[int, list[list[Any]]] = {}
    for a in authors:  # author rows as stored: position, family, given, initials, collective
        by_article.setdefault(int(a["a"]), []).append([a["p"], a["f"], a["g"], a["i"], a["c"]])
    fulltext.reindex_rows(conn, {int(r["id"]): (r, by_article.get(int(r["id"]), []))
                                 for r in rows})
    return len(rows)


#: The tables a clone fills: their indexes are cheaper built once than kept row by row, and
#: their triggers (kept counts, the change counter, the outbox marks, which do nothing with
#: capture off) are replaced by one recount at the end (:func:`_recount`). ``article`` keeps
#: its indexes: its rows are large (abstracts), so each index built afterwards would read
#: the whole table again (measured at 100k: ~4 s wall per index), while its ids arrive in
#: order and keeping them as rows go in is cheap.
_BULK_TABLES = ("article", "reference", "author", "article_tag", "article_facet", "tag",
                "reading_list", "reading_list_item", "sync_article")
_KEEP_INDEXES = ("article",)


@contextmanager
def _rebuilt_after(conn: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop these tables' own indexes and triggers, then make them again from their exact
    stored DDL: for a whole library one sorted build is much cheaper than a million index
    updates, and one recount than a million trigger runs. The caller's transaction covers it
    all (a failure rolls the drop back too, so a replica never lacks an index or trigger)."""
    names = ", ".join(f"'{t}'" for t in tables)
    ddl = [(str(r[0]), str(r[1]), str(r[2])) for r in conn.all(
        f"SELECT type, name, sql, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND tbl_name IN ({names}) AND sql IS NOT NULL ORDER BY type, name")
        if not (r[0] == "index" and str(r[3]) in _KEEP_INDEXES)]
    for kind, name, _ in ddl:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    yield
    for _, _, sql in ddl:
        conn.execute(sql)


def _recount(conn: Connection, tagcounts: TagCountSql, article_ids: list[int]) -> None:
    """What the dropped triggers would have kept, once for the whole copy: the per-tag and
    per-facet counts (added to what is there, as the triggers add), the subtree counts (the
    same recount the commit's settle runs) and one step of the change counter."""
    conn.execute("INSERT INTO tag_count (tag_id, n) SELECT tag_id, count(*) FROM article_tag "
                 "WHERE origin != 'rejected' GROUP BY tag_id "
                 "ON CONFLICT(tag_id) DO UPDATE SET n = n + excluded.n")
    conn.execute("INSERT INTO facet_count (facet, value, n) SELECT facet, value, count(*) "
                 "FROM article_facet GROUP BY facet, value "
                 "ON CONFLICT(facet, value) DO UPDATE SET n = n + excluded.n")
    tagcounts.recount(conn, article_ids)
    conn.execute("UPDATE change_counter SET n = n + 1 WHERE id = 1")


def _write(conn: Connection, rows: list[dict[str, Any]], authors: list[dict[str, Any]],
           refs: list[dict[str, Any]], tag_defs: dict[str, dict[str, Any]],
           tags: list[dict[str, Any]], facets: list[dict[str, Any]],
           items: list[tuple[str, int, int | None]], sync_rows: list[dict[str, Any]],
           now: str) -> None:
    cols = list(rows[0])
    conn.executemany(f"INSERT INTO article ({', '.join(cols)}) VALUES "
                     f"({', '.join(':' + c for c in cols)})", rows)
    conn.executemany("INSERT INTO author (article_id, position, family, given, initials, "
                     "collective, orcid) VALUES (:a, :p, :f, :g, :i, :c, :o)", authors)
    conn.executemany('INSERT INTO "reference" (article_id, position, citation, doi, pmid, '
                     "pmcid) SELECT :a, json_extract(value, '$[0]'), json_extract(value, "
                     "'$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), "
                     "json_extract(value, '$[4]') FROM json_each(:r) ORDER BY key", refs)
    conn.executemany("INSERT OR IGNORE INTO tag (id, label, parent, origin) "
                     "VALUES (:t, :l, NULL, :o)", list(tag_defs.values()))
    conn.executemany("INSERT INTO article_tag (article_id, tag_id, origin, reason) "
                     "VALUES (:a, :t, :o, :r)", tags)
    conn.executemany("INSERT INTO article_facet (article_id, facet, value, reason) "
                     "VALUES (:a, :f, :v, :r)", facets)
    conn.executemany("INSERT OR IGNORE INTO reading_list (name, created_at) VALUES (:n, :c)",
                     [{"n": name, "c": now} for name in {item[0] for item in items}])
    list_ids = {str(r[1]): int(r[0]) for r in conn.all("SELECT id, name FROM reading_list")}
    conn.executemany("INSERT INTO reading_list_item (list_id, article_id, position) "
                     "VALUES (:l, :a, :p)",
                     [{"l": list_ids[name], "a": aid, "p": i if shared is None else shared}
                      for i, (name, aid, shared) in enumerate(items)])
    conn.executemany("INSERT INTO sync_article (article_id, uuid, version, shadow, private) "
                     "VALUES (:a, :u, :v, :s, :p)", sync_rows)


def references_parsed(articles: Sequence[tuple[str, int, Any, bool]]) -> None:
    """Give documents pulled for a first copy (references as JSON text) their reference lists
    back as lists, for the general pull when the replica turned out not to be empty."""
    for _, _, data, _ in articles:
        if REFERENCES_TEXT in data:
            data["references"] = json.loads(data.pop(REFERENCES_TEXT))
