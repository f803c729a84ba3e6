"""Schema step 14, "capture triggers only in a replica" (issue 19), frozen once released.

Steps 7, 11 and 12 gave EVERY library the team-sync capture triggers, guarded by ``WHEN
(SELECT value FROM sync_state WHERE key = 'capture') = '1'``. A plain file library never
captures, yet each row written to ``article``, ``author``, ``reference``, ``article_tag``,
``article_facet``, ``reading_list_item``, ``reading_list`` or ``tag`` still paid for the
trigger call and its WHEN sub-select (profiled: ~10 µs a row, about 45 % of a reference
row's insert, ~35 s of the 100k benchmark build).

This step drops every ``sync_*`` trigger (those stored, found by name, and the frozen names
of steps 7, 11 and 12) and creates them again only in a replica: a file whose ``sync_state``
holds the rows :func:`spinelib.store.outbox.start_capture` writes (``library_uuid``, and
``capture``, which a pull sets to '0' while it writes, so its presence, not its value,
marks a replica). :data:`CAPTURE_TRIGGERS` is also the one list the store uses at run time:
``start_capture`` creates them (idempotently) in the transaction that makes a file a replica.

The statements are steps 7, 11 and 12's own, word for word, with ``IF NOT EXISTS`` added
(SQLite stores a trigger's text without it, so a replica made now and one migrated hold the
same SQL; ``tests/core/test_capture_triggers.py`` compares them). Their WHEN guard stays: a
pull applies the server's changes with capture off.
"""

from __future__ import annotations

import sqlite3

_CAPTURING = "(SELECT value FROM sync_state WHERE key = 'capture') = '1'"
_CREATE = "CREATE TRIGGER IF NOT EXISTS"


def _mark(table: str, event: str, ref: str) -> str:
    """Step 7's trigger marking the article of a row of ``table`` dirty."""
    return (f"{_CREATE} sync_{table}_{event.lower()} AFTER {event} ON \"{table}\" "
            f"WHEN {_CAPTURING} BEGIN "
            f"INSERT OR IGNORE INTO sync_dirty (article_id) VALUES ({ref}.article_id); END")


def _name_trigger(table: str, event: str, kind: str, ref: str, column: str,
                  extra: str = "") -> str:
    """Step 12's trigger recording a list or user tag made or removed."""
    return (f"{_CREATE} sync_{table}_name_{event.lower()} AFTER {event} ON {table} "
            f"WHEN {_CAPTURING}{extra} BEGIN INSERT OR IGNORE INTO sync_rename (kind, old, new) "
            f"VALUES ('{kind}', {ref}.{column}, ''); END")


#: Every capture trigger of a replica, in the order steps 7, 11 and 12 made them.
CAPTURE_TRIGGERS: tuple[str, ...] = (
    # step 7
    _CREATE + """ sync_article_insert AFTER INSERT ON article WHEN """ + _CAPTURING + """
       BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) VALUES (new.id); END""",
    _CREATE + """ sync_article_update AFTER UPDATE ON article WHEN """ + _CAPTURING + """
       BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) VALUES (new.id); END""",
    _CREATE + """ sync_article_delete AFTER DELETE ON article WHEN """ + _CAPTURING + """
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
    # step 11
    f"{_CREATE} sync_reading_list_rename AFTER UPDATE OF name ON reading_list WHEN "
    + _CAPTURING + " AND old.name != new.name BEGIN "
    "INSERT OR IGNORE INTO sync_rename (kind, old, new) VALUES ('list', old.name, new.name); "
    "INSERT OR IGNORE INTO sync_dirty (article_id) "
    "SELECT article_id FROM reading_list_item WHERE list_id = new.id; END",
    f"{_CREATE} sync_tag_rename AFTER UPDATE OF tag_id ON article_tag WHEN "
    + _CAPTURING + " AND old.tag_id != new.tag_id BEGIN "
    "INSERT OR IGNORE INTO sync_rename (kind, old, new) VALUES ('tag', old.tag_id, new.tag_id);"
    " END",
    f"{_CREATE} sync_reading_list_item_update AFTER UPDATE ON reading_list_item WHEN "
    + _CAPTURING + " BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) "
    "VALUES (new.article_id); END",
    # step 12
    _name_trigger("reading_list", "INSERT", "list+", "new", "name"),
    _name_trigger("reading_list", "DELETE", "list-", "old", "name"),
    _name_trigger("tag", "INSERT", "tag+", "new", "id", " AND new.origin = 'user'"),
    _name_trigger("tag", "DELETE", "tag-", "old", "id", " AND old.origin = 'user'"),
)

#: The capture triggers' names as steps 7, 11 and 12 made them (written out, not derived,
#: so the drop below does not depend on the list above).
FROZEN_NAMES: tuple[str, ...] = (
    "sync_article_insert", "sync_article_update", "sync_article_delete",
    "sync_article_tag_insert", "sync_article_tag_delete", "sync_article_tag_update",
    "sync_article_facet_insert", "sync_article_facet_delete",
    "sync_reading_list_item_insert", "sync_reading_list_item_delete",
    "sync_author_insert", "sync_reference_insert",
    "sync_reading_list_rename", "sync_tag_rename", "sync_reading_list_item_update",
    "sync_reading_list_name_insert", "sync_reading_list_name_delete",
    "sync_tag_name_insert", "sync_tag_name_delete",
)

#: A replica: ``start_capture`` wrote its library's UUID and the capture switch.
_IS_REPLICA = ("SELECT 1 FROM sync_state WHERE key IN ('library_uuid', 'capture') LIMIT 1")


def migrate(conn: sqlite3.Connection) -> None:
    """Drop every ``sync_*`` trigger; make the capture triggers again in a replica only."""
    stored = [str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'sync_*'")]
    for name in sorted(set(stored) | set(FROZEN_NAMES)):
        conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    if conn.execute(_IS_REPLICA).fetchone() is not None:
        for statement in CAPTURE_TRIGGERS:
            conn.execute(statement)
