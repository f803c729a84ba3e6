"""Schema 7 (team libraries, issue 13), frozen once released: the replica's bookkeeping.

A library file that is the local replica of a team library (docs/ARCHITECTURE.md, "Team
libraries") records every local edit in an outbox *in the transaction of the edit*. Triggers
mark the touched article in ``sync_dirty`` while ``sync_state.capture`` is '1' (only in a
replica; a plain file library never sets it, so its triggers do nothing); the engine's
before-commit hook (:mod:`spinelib.store.outbox`) turns the marks into outbox entries before
the same COMMIT. Pulled changes are applied with capture off inside their own transaction.
"""

from __future__ import annotations

_CAPTURING = "(SELECT value FROM sync_state WHERE key = 'capture') = '1'"


def _mark(table: str, event: str, ref: str) -> str:
    return (f"CREATE TRIGGER sync_{table}_{event.lower()} AFTER {event} ON \"{table}\" "
            f"WHEN {_CAPTURING} BEGIN "
            f"INSERT OR IGNORE INTO sync_dirty (article_id) VALUES ({ref}.article_id); END")


DDL: tuple[str, ...] = (
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID",
    # One row per article known to the server (or made here and not yet pushed): its
    # client-made UUID, the server version it was based on, and the shadow: the shared and
    # private values as last synced plus this client's pending edits (the base of the next diff).
    "CREATE TABLE sync_article (article_id INTEGER PRIMARY KEY NOT NULL, "
    "uuid TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, shadow TEXT NOT NULL, "
    "private TEXT NOT NULL)",
    "CREATE TABLE sync_dirty (article_id INTEGER PRIMARY KEY NOT NULL)",
    # Edits waiting for the server: what changed (new), the values they replaced (old), the
    # version they were based on; change_id is made here so a replayed push is a no-op.
    "CREATE TABLE sync_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "change_id TEXT NOT NULL UNIQUE, uuid TEXT NOT NULL, kind TEXT NOT NULL, "
    "base_version INTEGER NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL, "
    "made_at TEXT NOT NULL)",
    "CREATE TABLE sync_conflict (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, "
    "field TEXT NOT NULL, mine TEXT NOT NULL, theirs TEXT NOT NULL, made_at TEXT NOT NULL)",
    """CREATE TRIGGER sync_article_insert AFTER INSERT ON article WHEN """ + _CAPTURING + """
       BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) VALUES (new.id); END""",
    """CREATE TRIGGER sync_article_update AFTER UPDATE ON article WHEN """ + _CAPTURING + """
       BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) VALUES (new.id); END""",
    """CREATE TRIGGER sync_article_delete AFTER DELETE ON article WHEN """ + _CAPTURING + """
       BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) VALUES (old.id); END""",
    _mark("article_tag", "INSERT", "new"),
    _mark("article_tag", "DELETE", "old"),
    _mark("article_tag", "UPDATE", "new"),
    _mark("article_facet", "INSERT", "new"),
    _mark("article_facet", "DELETE", "old"),
    _mark("reading_list_item", "INSERT", "new"),
    _mark("reading_list_item", "DELETE", "old"),
    _mark("author", "INSERT", "new"),
    _mark("reference", "INSERT", "new"),
)
