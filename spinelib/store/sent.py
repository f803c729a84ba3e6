"""SQL of a team replica's journal of sent changes (schema 12, ``sync_sent``).

When the server acknowledges a push, each change leaves the outbox for this journal (in the
same transaction): its id, the article's UUID, the values it replaced and the values it set.
A brand-new article's values are not copied (the replica holds the article itself; a 1,000-
article import would otherwise be stored twice). Entries older than :data:`KEEP_DAYS` days
are dropped; ``sync_state.journal_since`` then says from when the journal is complete.

What it is for: a server restored from an older backup has lost changes it had acknowledged;
``team reattach`` asks the server which of these change ids it still holds and sends the rest
again (:mod:`spinelib.library.recover`).

Promises:
- A change is journaled exactly when it leaves the outbox acknowledged (never twice: the
  change id is unique), under the UUID the server keeps the article under.
- Pruning keeps every entry younger than :data:`KEEP_DAYS` days.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from spinelib.store.connection import Connection
from spinelib.store.mapping import utcnow

#: How long a sent change is kept (days): longer than a department's backups are kept
#: before a restore is noticed, short enough that the journal stays small.
KEEP_DAYS = 90

#: A change that made a new article: an edit based on nothing, replacing no value.
_CREATION = ("kind = 'edit' AND base_version = 0 AND NOT EXISTS "
             "(SELECT 1 FROM json_each(old) WHERE json_each.value IS NOT NULL)")


def journal(conn: Connection, change_ids: Sequence[str]) -> None:
    """Copy acknowledged outbox entries into the journal (call before they are deleted)."""
    now = utcnow()
    conn.executemany("INSERT OR IGNORE INTO sync_sent (change_id, uuid, kind, old, new, "
                     f"sent_at) SELECT change_id, uuid, kind, old, CASE WHEN {_CREATION} "
                     "THEN NULL ELSE new END, :t FROM sync_outbox WHERE change_id = :c",
                     [{"c": c, "t": now} for c in change_ids])
    _prune(conn)


def remap(conn: Connection, mine: str, theirs: str) -> None:
    """The server keeps an article under another UUID: so does the journal."""
    conn.execute("UPDATE sync_sent SET uuid = :t WHERE uuid = :m", {"t": theirs, "m": mine})


def _prune(conn: Connection) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=KEEP_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    oldest = conn.scalar("SELECT sent_at FROM sync_sent ORDER BY id LIMIT 1")
    if oldest is None or str(oldest) >= cutoff:
        return  # entries go in in time order: nothing is old enough
    conn.execute("DELETE FROM sync_sent WHERE sent_at < :c", {"c": cutoff})
    conn.execute("INSERT INTO sync_state (key, value) VALUES ('journal_since', :c) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
                 "WHERE excluded.value > sync_state.value", {"c": cutoff})


def sent(conn: Connection) -> list[dict[str, Any]]:
    """Every journaled change, oldest first (``new`` None: a new article, whole in the
    replica)."""
    return [{"change_id": r[0], "uuid": r[1], "kind": r[2], "old": json.loads(r[3]),
             "new": None if r[4] is None else json.loads(r[4])}
            for r in conn.all("SELECT change_id, uuid, kind, old, new FROM sync_sent "
                              "ORDER BY id")]


def newest(conn: Connection) -> str | None:
    """The change id of the newest acknowledged change the server logs by its id (private
    values are not logged: they are each login's own rows); None: nothing journaled."""
    found = conn.scalar("SELECT change_id FROM sync_sent WHERE kind != 'private' "
                        "ORDER BY id DESC LIMIT 1")
    return None if found is None else str(found)


def journal_since(conn: Connection) -> str | None:
    """From when the journal is complete (None: since this replica was made)."""
    found = conn.scalar("SELECT value FROM sync_state WHERE key = 'journal_since'")
    return None if found is None else str(found)


def entry_values(entry: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An entry's (old, new) values as dicts (a new article's ``new`` is empty)."""
    return dict(entry.get("old") or {}), dict(entry.get("new") or {})


__all__ = ["KEEP_DAYS", "entry_values", "journal", "journal_since", "newest", "remap",
           "sent"]
