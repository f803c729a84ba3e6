"""Whole-article snapshots: every row that makes one article, captured as plain JSON data,
removed, and written back under the same (or a new) id.

The trash keeps a deleted article as one snapshot, so the live tables (and every count,
list, search and export built on them) simply no longer hold it; the undo log keeps the
snapshots of what an operation touched, before and after. A snapshot holds the ``article``
row, its authors, references, tag assignments (every origin, so rejections survive), facet
values, reading-list places, aliases, user-edited fields, and its attachment rows with the
papers' text (:mod:`spinelib.store.snapshot_files`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Collection, Sequence
from typing import Any

from spinelib.store import snapshot_files, staging
from spinelib.store.connection import Connection, batches, id_list
from spinelib.store.dialect import Dialect
from spinelib.store.fulltext import FulltextSql
from spinelib.store.schema import ARTICLE_COLUMNS

Snapshot = dict[str, Any]

_AUTHOR = ("position", "family", "given", "initials", "collective", "orcid", "suffix")
_REFERENCE = ("position", "citation", "doi", "pmid", "pmcid")
# Each child row is written as (article id, *the snapshot's row), positional values:
# building 30,000 dicts for a 1,000-article undo cost more than the inserts themselves.
# The big tables go through a staging table, one INSERT … SELECT each (see
# :mod:`spinelib.store.staging`: their triggers made row-by-row inserts twice as slow).
_STAGED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "authors": ("author", ("article_id", *_AUTHOR), ""),
    "references": ('"reference"', ("article_id", *_REFERENCE), ""),
    "tags": ("article_tag", ("article_id", "tag_id", "origin", "reason"),
             "EXISTS (SELECT 1 FROM tag WHERE id = s.c1)"),  # tags deleted since: skipped
    "facets": ("article_facet", ("article_id", "facet", "value", "reason"), ""),
}
# Rows checked against their own table (aliases) stay one statement per row, so two
# snapshots holding the same alias cannot both insert it.
_CHILD_SQL: dict[str, str] = {
    "aliases": ("INSERT INTO article_alias (kind, value, article_id) SELECT ?2, ?3, ?1 "
                "WHERE NOT EXISTS (SELECT 1 FROM article_alias WHERE kind = ?2 AND value = ?3)"),
    "edits": "INSERT INTO article_user_edit (article_id, field, edited_at) VALUES (?, ?, ?)",
}
_ARTICLE = ("id", *ARTICLE_COLUMNS)


#: Above this size a payload (an undo log state of many articles) is compressed at level 1:
#: measured on the 12.7 MB state of a 1,000-article delete, level 6 took 0.26 s of CPU for
#: 2.7 MB and level 1 took 0.09 s for 3.6 MB (decompressing costs the same), and every
#: delete, restore and merge of many articles packs one.
FAST_PACK_BYTES = 1 << 20
#: A large payload that hardly compresses (a probe of :data:`PROBE_BYTES` from its middle
#: keeps more than :data:`HUFFMAN_RATIO` of its size at level 1) is coded with Huffman
#: only, a zlib stream :func:`unpack` reads alike: the undo log's state of 1,000 trashed
#: articles is the base64 of their already compressed snapshots, which level 1 took from
#: 6.4 MB to 4.9 MB in 0.17 s of CPU, on every delete and every restore of 1,000, and
#: Huffman coding alone to 4.8 MB in 0.05 s (no repeats to find in compressed bytes).
PROBE_BYTES = 1 << 16
HUFFMAN_RATIO = 0.6


def pack(data: Any) -> bytes:
    """Snapshots are stored compressed: a 1,000-article delete's undo entry stays small."""
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    if len(raw) <= FAST_PACK_BYTES:
        return zlib.compress(raw, 6)
    middle = len(raw) // 2
    probe = raw[middle:middle + PROBE_BYTES]
    if len(zlib.compress(probe, 1)) <= HUFFMAN_RATIO * len(probe):
        return zlib.compress(raw, 1)
    coder = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS, 8, zlib.Z_HUFFMAN_ONLY)
    return coder.compress(raw) + coder.flush()


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


class SnapshotSql:
    """Capture, remove and write whole articles and reading lists."""

    def __init__(self, dialect: Dialect, fulltext: FulltextSql) -> None:
        self.dialect = dialect
        self.fulltext = fulltext

    # ---- articles
    def capture(self, conn: Connection, ids: Sequence[int]) -> dict[int, Snapshot]:
        """Snapshots of the live articles among ``ids`` (ids not live are absent)."""
        out: dict[int, Snapshot] = {}
        for chunk in batches(list(ids), 500):
            live: list[int] = []
            for row in conn.execute(f"SELECT * FROM article WHERE id IN ({id_list(chunk)})"):
                art = {c: row[c] for c in ARTICLE_COLUMNS}
                live.append(int(row["id"]))
                out[live[-1]] = {"article": art, "authors": [], "references": [],
                                 "tags": [], "facets": [], "lists": [], "aliases": [],
                                 "edits": []}
            if not live:
                continue
            # The live ones only: a trashed article's reference rows stay parked under its
            # id, and an undo of a delete checks 1,000 such ids (28,000 rows read for
            # nothing: ~0.1 s of its ~1 s).
            in_ids = id_list(live)
            parts: tuple[tuple[str, str], ...] = (
                ("authors", f"SELECT article_id, {', '.join(_AUTHOR)} FROM author "
                            f"WHERE article_id IN ({in_ids}) ORDER BY article_id, position"),
                ("references", f"SELECT article_id, {', '.join(_REFERENCE)} FROM \"reference\" "
                               f"WHERE article_id IN ({in_ids}) ORDER BY article_id, position"),
                ("tags", "SELECT article_id, tag_id, origin, reason FROM article_tag "
                         f"WHERE article_id IN ({in_ids}) ORDER BY article_id, tag_id"),
                ("facets", "SELECT article_id, facet, value, reason FROM article_facet "
                           f"WHERE article_id IN ({in_ids}) ORDER BY article_id, facet, value"),
                ("lists", "SELECT article_id, list_id, position FROM reading_list_item "
                          f"WHERE article_id IN ({in_ids}) ORDER BY article_id, list_id"),
                ("aliases", "SELECT article_id, kind, value FROM article_alias "
                            f"WHERE article_id IN ({in_ids}) ORDER BY article_id, kind, value"),
                ("edits", "SELECT article_id, field, edited_at FROM article_user_edit "
                          f"WHERE article_id IN ({in_ids}) ORDER BY article_id, field"),
            )
            snapshot_files.gather(conn, parts, out)
            snapshot_files.capture(conn, in_ids, out)
        return out

    def remove(self, conn: Connection, ids: Sequence[int], *,
               park: Collection[int] = ()) -> None:
        """Delete live articles and everything hanging off them (foreign keys cascade),
        except the reference rows of the ids in ``park``: they stay in place for a write
        of the same article under the same id (a restore, an undo: see
        :mod:`~spinelib.store.sqlite.schema_v16_parked_references`), which keeps them when
        they are what its snapshot holds. Readers by identifier never see them: their
        article is not live."""
        for chunk in batches(list(ids), 500):
            self.dialect.fulltext_delete(conn, chunk)
            conn.execute(f"DELETE FROM article WHERE id IN ({id_list(chunk)})")
            purge = [a for a in chunk if a not in park]
            if purge:
                self.drop_references(conn, purge)

    def drop_references(self, conn: Connection, ids: Sequence[int]) -> None:
        """Delete the reference rows of articles that are not live (parked ones of
        articles leaving the trash for good, or of articles just deleted)."""
        for chunk in batches(list(ids), 500):
            conn.execute(f'DELETE FROM "reference" WHERE article_id IN ({id_list(chunk)}) '
                         "AND NOT EXISTS (SELECT 1 FROM article a WHERE a.id = article_id)")

    def write(self, conn: Connection, article_id: int, snap: Snapshot) -> None:
        """Insert a snapshot as the live article ``article_id`` (see :meth:`write_many`)."""
        self.write_many(conn, [(article_id, snap)])

    def write_many(self, conn: Connection, items: Sequence[tuple[int, Snapshot]]) -> None:
        """Insert snapshots as live articles, each table in one statement for them all.

        Tags and reading lists deleted since a snapshot are skipped (nothing else can be
        re-created from it); list places go back in ascending order, so articles restored
        together keep their exact positions (another article in a place moves down).
        The caller checks that the ids, citation keys and identifiers are free.
        """
        if not items:
            return
        # Written in ascending article id: the undo log hands its articles over in set order
        # and a restore in the user's, and written so their rows and article-keyed index
        # entries ((article, position) and the like) went in scattered, not appended.
        with self.dialect.roomy_cache(conn):
            self._write_many(conn, sorted(items, key=lambda item: item[0]))

    def _write_many(self, conn: Connection, items: Sequence[tuple[int, Snapshot]]) -> None:
        staging.insert_rows(conn, "article", _ARTICLE, [
            # A snapshot taken before a later column existed (an old undo step, an article
            # trashed before an upgrade) gives it the column's empty value.
            (a, *(s["article"].get(c, "") for c in ARTICLE_COLUMNS)) for a, s in items])
        kept = self._parked_kept(conn, items)
        for key, (table, columns, where) in _STAGED.items():
            staging.insert_rows(conn, table, columns,
                                [(a, *r) for a, s in items for r in s[key]
                                 if key != "references" or a not in kept], where=where)
        for key, sql in _CHILD_SQL.items():
            rows = [(a, *r) for a, s in items for r in s[key]]
            if rows:
                conn.executemany(sql, rows)
        snapshot_files.write(conn, items)
        places = sorted((int(lst), int(pos), a) for a, s in items for lst, pos in s["lists"])
        for list_id, position, article_id in places:
            self.place_in_list(conn, list_id, article_id, position)
        # The index rows from the snapshots themselves: they are what was just written.
        self.fulltext.reindex_rows(conn, {a: (s["article"], s["authors"]) for a, s in items})

    def _parked_kept(self, conn: Connection, items: Sequence[tuple[int, Snapshot]]) -> set[int]:
        """The ids whose parked reference rows are exactly their snapshot's list (kept: no
        row is written to the big identifier indexes); parked rows that differ (or a
        snapshot made before parking, whose rows were deleted) are replaced by the
        snapshot's. Reading 28,000 rows by article costs a tenth of inserting them."""
        parked: dict[int, list[list[Any]]] = {}
        for chunk in batches([a for a, _s in items], 500):
            for r in conn.execute(f'SELECT article_id, {", ".join(_REFERENCE)} FROM "reference" '
                                  f"WHERE article_id IN ({id_list(chunk)}) "
                                  "ORDER BY article_id, position"):
                # As lists, the snapshot's own shape, so the two compare without a copy.
                parked.setdefault(r[0], []).append(list(r[1:]))
        kept = {a for a, s in items if a in parked and parked[a] == s["references"]}
        stale = [a for a in parked if a not in kept]
        for chunk in batches(stale, 500):
            conn.execute(f'DELETE FROM "reference" WHERE article_id IN ({id_list(chunk)})')
        return kept

    def write_attachments(self, conn: Connection, article_id: int, snap: Snapshot) -> None:
        """Give ``article_id`` the attachments and their text from another article's
        snapshot (a merge unites attachments)."""
        snapshot_files.write(conn, [(article_id, {"attachments": snap.get("attachments", []),
                                                  "parts": snap.get("parts", [])})])

    def place_in_list(self, conn: Connection, list_id: int, article_id: int,
                      position: int) -> None:
        """Put an article at ``position`` in a list (if the list exists and lacks it)."""
        if conn.first("SELECT 1 FROM reading_list WHERE id = :l", {"l": list_id}) is None:
            return
        if conn.first("SELECT 1 FROM reading_list_item WHERE list_id = :l AND article_id = :a",
                      {"l": list_id, "a": article_id}) is not None:
            return
        if conn.first("SELECT 1 FROM reading_list_item WHERE list_id = :l AND position = :p",
                      {"l": list_id, "p": position}) is not None:  # taken: make room
            conn.execute("UPDATE reading_list_item SET position = position + 1 "
                         "WHERE list_id = :l AND position >= :p", {"l": list_id, "p": position})
        conn.execute("INSERT INTO reading_list_item (list_id, article_id, position) "
                     "VALUES (:l, :a, :p)", {"l": list_id, "a": article_id, "p": position})

    def clashes(self, conn: Connection, snap: Snapshot, *,
                ignore: Sequence[int] = ()) -> list[tuple[str, str, int]]:
        """(column, value, live article id) for each unique value of ``snap`` already held by
        another live article (``ignore``: ids about to be replaced)."""
        out: list[tuple[str, str, int]] = []
        skip = set(ignore)
        for column in ("citekey", "doi", "pmid", "pmcid"):
            value = snap["article"].get(column)
            if value:
                owner = conn.scalar(f"SELECT id FROM article WHERE {column} = :v", {"v": value})
                if owner is not None and int(owner) not in skip:
                    out.append((column, str(value), int(owner)))
        return out

    def clashes_many(self, conn: Connection, snaps: Sequence[Snapshot], *,
                     ignore: Sequence[int] = ()) -> list[tuple[str, str, int]]:
        """:meth:`clashes` of many snapshots at once: one query per column and batch of
        500 values instead of four per article (an undo writes back 1,000)."""
        out: list[tuple[str, str, int]] = []
        skip = set(ignore)
        for column in ("citekey", "doi", "pmid", "pmcid"):
            values = sorted({str(v) for s in snaps if (v := s["article"].get(column))})
            for chunk in batches(values, 500):
                marks = ", ".join("?" * len(chunk))
                for owner, value in conn.execute(
                        f"SELECT id, {column} FROM article WHERE {column} IN ({marks})",
                        tuple(chunk)):
                    if int(owner) not in skip:
                        out.append((column, str(value), int(owner)))
        return sorted(out)

    def next_id(self, conn: Connection) -> int:
        """An id no live or trashed article uses."""
        return int(conn.scalar(
            "SELECT max(COALESCE((SELECT max(id) FROM article), 0), "
            "COALESCE((SELECT max(article_id) FROM article_trash), 0)) + 1"))

    def live_ids(self, conn: Connection, ids: Sequence[int]) -> set[int]:
        """The ids among ``ids`` a live article has."""
        out: set[int] = set()
        for chunk in batches(list(ids), 500):
            out.update(int(i) for i in conn.column(
                f"SELECT id FROM article WHERE id IN ({id_list(chunk)})"))
        return out

    def free_id(self, conn: Connection, article_id: int) -> bool:
        return conn.first("SELECT 1 FROM article WHERE id = :i", {"i": article_id}) is None

    # ---- reading lists
    def capture_list(self, conn: Connection, list_id: int) -> Snapshot | None:
        row = conn.first("SELECT name, created_at FROM reading_list WHERE id = :l",
                         {"l": list_id})
        if row is None:
            return None
        items = [list(r[:]) for r in conn.execute(
            "SELECT article_id, position FROM reading_list_item WHERE list_id = :l "
            "ORDER BY position", {"l": list_id})]
        return {"name": row[0], "created_at": row[1], "items": items}

    def remove_list(self, conn: Connection, list_id: int) -> None:
        conn.execute("DELETE FROM reading_list WHERE id = :l", {"l": list_id})

    def write_list(self, conn: Connection, list_id: int, snap: Snapshot) -> None:
        """Re-create a list with its id, name and the places of the articles still live."""
        conn.execute("INSERT INTO reading_list (id, name, created_at) VALUES (:l, :n, :c)",
                     {"l": list_id, "n": snap["name"], "c": snap["created_at"]})
        conn.executemany(
            "INSERT INTO reading_list_item (list_id, article_id, position) SELECT :l, :a, :p "
            "WHERE EXISTS (SELECT 1 FROM article WHERE id = :a)",
            [{"l": list_id, "a": a, "p": p} for a, p in snap["items"]])

    # ---- tags (rows only; their assignments belong to the articles' snapshots)
    def capture_tag(self, conn: Connection, tag_id: str) -> list[Any] | None:
        row = conn.first("SELECT label, parent, origin FROM tag WHERE id = :t", {"t": tag_id})
        return None if row is None else list(tuple(row))

    def children(self, conn: Connection, tag_id: str) -> list[str]:
        return [str(t) for t in conn.column("SELECT id FROM tag WHERE parent = :t",
                                            {"t": tag_id})]

    def put_tag(self, conn: Connection, tag_id: str, row: list[Any]) -> None:
        """Create or update a tag row in place (never delete-and-insert: that would cascade
        to every article carrying it)."""
        label, parent, origin = row
        if conn.first("SELECT 1 FROM tag WHERE id = :t", {"t": tag_id}) is None:
            conn.execute("INSERT INTO tag (id, label, parent, origin) VALUES (:t, :l, NULL, :o)",
                         {"t": tag_id, "l": label, "o": origin})
        conn.execute("UPDATE tag SET label = :l, origin = :o WHERE id = :t",
                     {"t": tag_id, "l": label, "o": origin})

    def set_tag_parent(self, conn: Connection, tag_id: str, parent: str | None) -> None:
        conn.execute("UPDATE tag SET parent = :p WHERE id = :t", {"t": tag_id, "p": parent})

    def drop_tag(self, conn: Connection, tag_id: str) -> None:
        conn.execute("DELETE FROM tag WHERE id = :t", {"t": tag_id})
