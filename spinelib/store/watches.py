"""SQL for literature watches (``watch``, and ``watch_seen``: what a citation watch has
listed so far) and their inbox (``inbox_item``).

An inbox item is kept after triage with its status ('accepted', 'dismissed'), so a later
run never offers the same PMID again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from spinelib.records import ArticleRecord
from spinelib.safety_results import InboxEntry, Watch
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect

NEW, ACCEPTED, DISMISSED = "new", "accepted", "dismissed"


def _watch(row: Any) -> Watch:
    return Watch(int(row["id"]), row["name"], row["query"], row["tag"], row["created_at"],
                 row["last_success"], row["last_error"], bool(row["queued"]), row["cites"],
                 row["cites_label"])


class WatchSql:
    """Statements over ``watch`` and ``inbox_item``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def add(self, conn: Connection, name: str, query: str, tag: str, now: str, *,
            cites: str = "", cites_label: str = "") -> int:
        conn.execute("INSERT INTO watch (name, query, tag, created_at, last_success, "
                     "last_error, queued, cites, cites_label) "
                     "VALUES (?, ?, ?, ?, NULL, '', 0, ?, ?)",
                     (name, query, tag, now, cites, cites_label))
        return int(conn.scalar("SELECT id FROM watch WHERE name = ?", (name,)))

    def seen(self, conn: Connection, watch_id: int) -> set[str]:
        """The citing works a citation watch has listed so far (Europe PMC ``source:id``)."""
        return set(conn.column("SELECT work FROM watch_seen WHERE watch_id = ?",
                               (watch_id,)))

    def add_seen(self, conn: Connection, watch_id: int, works: Sequence[str]) -> None:
        conn.executemany(self.dialect.insert_ignore("watch_seen", ("watch_id", "work")),
                         [{"watch_id": watch_id, "work": w} for w in works])

    def by_name(self, conn: Connection, name: str) -> Watch | None:
        r = conn.first("SELECT * FROM watch WHERE name = ?", (name,))
        return None if r is None else _watch(r)

    def all(self, conn: Connection) -> list[Watch]:
        return [_watch(r) for r in conn.execute("SELECT * FROM watch ORDER BY name")]

    def remove(self, conn: Connection, watch_id: int) -> None:
        conn.execute("DELETE FROM watch WHERE id = ?", (watch_id,))

    def mark_success(self, conn: Connection, watch_id: int, when: str) -> None:
        conn.execute("UPDATE watch SET last_success = ?, last_error = '', queued = 0 "
                     "WHERE id = ?", (when, watch_id))

    def mark_failure(self, conn: Connection, watch_id: int, error: str, queued: bool) -> None:
        conn.execute("UPDATE watch SET last_error = ?, queued = ? WHERE id = ?",
                     (error, int(queued), watch_id))

    def known_pmids(self, conn: Connection, pmids: Sequence[str]) -> set[str]:
        """Which of ``pmids`` are already in the inbox (any status) or the library."""
        out: set[str] = set()
        for start in range(0, len(pmids), 500):
            chunk = list(pmids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            out.update(conn.column(f"SELECT pmid FROM inbox_item WHERE pmid IN ({marks})",
                                   chunk))
            out.update(conn.column(f"SELECT pmid FROM article WHERE pmid IN ({marks})", chunk))
        return out

    def add_items(self, conn: Connection, watch_id: int, records: Sequence[ArticleRecord],
                  now: str) -> int:
        """Put records in the inbox (a PMID already there is left as it is)."""
        before = int(conn.scalar("SELECT count(*) FROM inbox_item"))
        conn.executemany(
            self.dialect.insert_ignore("inbox_item", ("pmid", "watch_id", "title", "journal",
                                                      "year", "abstract", "mesh", "status",
                                                      "added_at")),
            [{"pmid": r.pmid, "watch_id": watch_id, "title": r.title,
              "journal": r.journal or r.journal_abbrev, "year": r.year,
              "abstract": r.abstract, "mesh": json.dumps([m.name for m in r.mesh]),
              "status": NEW, "added_at": now} for r in records if r.pmid])
        return int(conn.scalar("SELECT count(*) FROM inbox_item")) - before

    def items(self, conn: Connection, status: str = NEW) -> list[InboxEntry]:
        return [InboxEntry(int(r["id"]), r["pmid"], r["title"], r["journal"], r["year"],
                           r["watch_name"] or "", r["abstract"],
                           tuple(json.loads(r["mesh"])), r["status"])
                for r in conn.execute(
                    "SELECT i.*, w.name AS watch_name FROM inbox_item i LEFT JOIN watch w "
                    "ON w.id = i.watch_id WHERE i.status = ? ORDER BY i.id", (status,))]

    def find_item(self, conn: Connection, ident: str) -> InboxEntry | None:
        """An inbox item by its id or its PMID (any status)."""
        r = conn.first(
            "SELECT i.*, w.name AS watch_name FROM inbox_item i LEFT JOIN watch w "
            "ON w.id = i.watch_id WHERE i.pmid = ? OR (i.id = ? AND ? GLOB '[0-9]*') "
            "ORDER BY i.pmid = ? DESC LIMIT 1", (ident, ident, ident, ident))
        if r is None:
            return None
        return InboxEntry(int(r["id"]), r["pmid"], r["title"], r["journal"], r["year"],
                          r["watch_name"] or "", r["abstract"], tuple(json.loads(r["mesh"])),
                          r["status"])

    def watch_tag(self, conn: Connection, item_id: int) -> str:
        return str(conn.scalar("SELECT coalesce(w.tag, '') FROM inbox_item i LEFT JOIN watch "
                               "w ON w.id = i.watch_id WHERE i.id = ?", (item_id,)) or "")

    def set_status(self, conn: Connection, item_ids: Sequence[int], status: str) -> None:
        conn.executemany("UPDATE inbox_item SET status = ? WHERE id = ?",
                         [(status, i) for i in item_ids])

    def count(self, conn: Connection, status: str = NEW) -> int:
        return int(conn.scalar("SELECT count(*) FROM inbox_item WHERE status = ?", (status,)))
