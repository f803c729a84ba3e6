"""Schema 12 (team libraries, issue 13), frozen once released: empty lists and tags shared,
and a journal of the changes the server acknowledged.

In a replica (``sync_state.capture`` = '1'), creating or deleting a reading list or a user
tag is recorded in ``sync_rename`` beside the renames (kinds ``list+``, ``list-``, ``tag+``,
``tag-``; ``new`` is empty), so one ordered stream of name events goes to the server ahead of
the articles' own changes: a colleague sees a new list before anything is in it, and a
deleted one disappears from every replica. A plain file library never sets capture, so these
triggers do nothing there. (A tag merge is recorded by :mod:`spinelib.store.names`, kind
``tagmerge``: triggers cannot tell a merge from a delete.)

``sync_sent`` keeps each change the server acknowledged (its id, the article, the values it
replaced and set; a brand-new article's values are not copied: the replica holds them) for a
while (:mod:`spinelib.store.sent`), so a copy stopped because its server was restored from an
older backup knows what it had sent that the server lost (``team reattach`` sends it again).
A replica made before this step starts its journal now (``sync_state.journal_since``).
"""

from __future__ import annotations

_CAPTURING = "(SELECT value FROM sync_state WHERE key = 'capture') = '1'"


def _name_trigger(table: str, event: str, kind: str, ref: str, column: str,
                  extra: str = "") -> str:
    return (f"CREATE TRIGGER sync_{table}_name_{event.lower()} AFTER {event} ON {table} "
            f"WHEN {_CAPTURING}{extra} BEGIN INSERT OR IGNORE INTO sync_rename (kind, old, new) "
            f"VALUES ('{kind}', {ref}.{column}, ''); END")


DDL: tuple[str, ...] = (
    "CREATE TABLE sync_sent (id INTEGER PRIMARY KEY, change_id TEXT NOT NULL UNIQUE, "
    "uuid TEXT NOT NULL, kind TEXT NOT NULL, old TEXT NOT NULL, new TEXT, "
    "sent_at TEXT NOT NULL)",
    "CREATE INDEX ix_sync_sent_uuid ON sync_sent (uuid)",
    "INSERT INTO sync_state (key, value) SELECT 'journal_since', "
    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE EXISTS "
    "(SELECT 1 FROM sync_state WHERE key = 'library_uuid')",
    _name_trigger("reading_list", "INSERT", "list+", "new", "name"),
    _name_trigger("reading_list", "DELETE", "list-", "old", "name"),
    _name_trigger("tag", "INSERT", "tag+", "new", "id", " AND new.origin = 'user'"),
    _name_trigger("tag", "DELETE", "tag-", "old", "id", " AND old.origin = 'user'"),
)
