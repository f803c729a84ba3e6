"""The attachments part of a whole-article snapshot (see :mod:`spinelib.store.snapshots`):
attachment rows, the papers' own text (``fulltext_part`` with its ``fulltext_fts`` text),
remembered open-access answers and the "kept from an unidentified PDF" mark.

Without them a trashed or undone article came back without its files and text. Only rows
live here; moving the files themselves in and out of ``<library>.files/.trash`` is the
library's job (:mod:`spinelib.library.trashfiles`), after the transaction commits.

A snapshot written before this module existed simply lacks these keys: it restores as it
always did (no attachments).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.store.attachments import ATTACHMENT_COLUMNS
from spinelib.store.connection import Connection

#: The snapshot keys this module fills (each a list per article).
KEYS = ("attachments", "parts", "oa", "unidentified")
#: An attachment in a snapshot: its id and every column but the article it belongs to.
ATTACHMENT_FIELDS: tuple[str, ...] = ("id", *(c for c in ATTACHMENT_COLUMNS
                                              if c != "article_id"))
_PART = ("attachment_id", "page", "position", "kind")


def capture(conn: Connection, in_ids: str, out: dict[int, dict[str, Any]]) -> None:
    """Add the attachment rows, text parts, open-access answer and unidentified mark of the
    articles ``in_ids`` (an inlined id list) to their snapshots in ``out``."""
    for article in out.values():
        for key in KEYS:
            article[key] = []
    queries: tuple[tuple[str, str], ...] = (
        ("attachments", f"SELECT article_id, {', '.join(ATTACHMENT_FIELDS)} FROM attachment "
                        f"WHERE article_id IN ({in_ids}) ORDER BY article_id, id"),
        ("parts", f"SELECT p.article_id, {', '.join('p.' + c for c in _PART)}, f.heading, "
                  "f.body FROM fulltext_part p JOIN fulltext_fts f ON f.rowid = p.id "
                  f"WHERE p.article_id IN ({in_ids}) ORDER BY p.article_id, p.id"),
        ("oa", "SELECT article_id, outcome, checked_at FROM oa_lookup "
               f"WHERE article_id IN ({in_ids})"),
        ("unidentified", "SELECT article_id, reason FROM unidentified "
                         f"WHERE article_id IN ({in_ids})"),
    )
    gather(conn, queries, out)


def gather(conn: Connection, queries: Sequence[tuple[str, str]],
           out: dict[int, dict[str, Any]]) -> None:
    """Append each query's rows (article id first) to its article's snapshot under the
    query's key, without the id; rows of articles not in ``out`` are skipped."""
    for key, sql in queries:
        for r in conn.execute(sql):
            snap = out.get(int(r[0]))
            if snap is not None:
                # r[1:], not tuple(r)[1:]: a row turned into a tuple is iterated until it
                # raises IndexError, which cost 7 times the slice (40,000 rows of a
                # 1,000-article capture: 0.28 s against 0.04 s).
                snap[key].append(list(r[1:]))


def attachment_rows(snap: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's attachments as column → value (empty for an old snapshot)."""
    return [dict(zip(ATTACHMENT_FIELDS, r, strict=True)) for r in snap.get("attachments", [])]


def write(conn: Connection, items: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Write the snapshots' attachment rows, text parts and marks for the articles given
    (each article id with its snapshot), in bulk.

    An attachment keeps its id when that id is free, else takes a new one (its text parts
    follow it); parts always take fresh ids after the largest in use, as new text does.
    """
    if not any(s.get("attachments") or s.get("parts") or s.get("oa") or s.get("unidentified")
               for _a, s in items):
        return
    att_rows: list[dict[str, Any]] = []
    moved: dict[int, int] = {}  # old attachment id -> id given now
    wanted = [int(r[0]) for _a, s in items for r in s.get("attachments", [])]
    # New ids start above both the table's and the snapshots' own ids, so a kept old id and
    # a new one never meet.
    next_att = max([int(conn.scalar("SELECT coalesce(max(id), 0) FROM attachment")),
                    *wanted]) + 1
    for a, s in items:
        for row in attachment_rows(s):
            old = int(row["id"])
            free = conn.first("SELECT 1 FROM attachment WHERE id = :i", {"i": old}) is None
            if not free or old in moved:
                moved[old] = next_att
                next_att += 1
            else:
                moved[old] = old
            att_rows.append({**row, "id": moved[old], "article_id": a})
    if att_rows:
        cols = ("id", *ATTACHMENT_COLUMNS)
        conn.executemany(f"INSERT INTO attachment ({', '.join(cols)}) VALUES "
                         f"({', '.join(':' + c for c in cols)})", att_rows)
    _write_parts(conn, items, moved)
    conn.executemany("INSERT OR REPLACE INTO oa_lookup (article_id, outcome, checked_at) "
                     "VALUES (:a, :o, :c)",
                     [{"a": a, "o": o, "c": c} for a, s in items for o, c in s.get("oa", [])])
    conn.executemany("INSERT OR REPLACE INTO unidentified (article_id, reason) VALUES (:a, :r)",
                     [{"a": a, "r": r} for a, s in items for (r,) in s.get("unidentified", [])])


def _write_parts(conn: Connection, items: Sequence[tuple[int, dict[str, Any]]],
                 moved: dict[int, int]) -> None:
    next_part = int(conn.scalar("SELECT coalesce(max(id), 0) + 1 FROM fulltext_part"))
    parts: list[dict[str, Any]] = []
    for a, s in items:
        for att, page, position, kind, heading, body in s.get("parts", []):
            parts.append({"id": next_part, "a": a,
                          "t": None if att is None else moved.get(int(att), int(att)),
                          "p": page, "n": position, "k": kind, "h": heading, "b": body})
            next_part += 1
    if not parts:
        return
    conn.executemany(
        "INSERT INTO fulltext_part (id, article_id, attachment_id, page, position, kind) "
        "VALUES (:id, :a, :t, :p, :n, :k)", parts)
    conn.executemany("INSERT INTO fulltext_fts (rowid, heading, body) VALUES (:id, :h, :b)",
                     parts)
