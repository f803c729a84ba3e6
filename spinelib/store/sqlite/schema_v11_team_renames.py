"""Schema 11 (team libraries, issue 13), frozen once released: renames and list order shared.

In a replica (``sync_state.capture`` = '1'), renaming a reading list or a user tag records the
rename in ``sync_rename`` (sent to the server ahead of the articles' own changes, so every
colleague renames the same list or tag instead of getting a new one beside an empty old one),
and moving an article within a list marks it for the outbox (list order is shared by
position). A plain file library never sets capture, so these triggers do nothing there.
"""

from __future__ import annotations

_CAPTURING = "(SELECT value FROM sync_state WHERE key = 'capture') = '1'"

DDL: tuple[str, ...] = (
    "CREATE TABLE sync_rename (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, old TEXT NOT NULL, "
    "new TEXT NOT NULL, UNIQUE (kind, old, new))",
    "CREATE TRIGGER sync_reading_list_rename AFTER UPDATE OF name ON reading_list WHEN "
    + _CAPTURING + " AND old.name != new.name BEGIN "
    "INSERT OR IGNORE INTO sync_rename (kind, old, new) VALUES ('list', old.name, new.name); "
    "INSERT OR IGNORE INTO sync_dirty (article_id) "
    "SELECT article_id FROM reading_list_item WHERE list_id = new.id; END",
    "CREATE TRIGGER sync_tag_rename AFTER UPDATE OF tag_id ON article_tag WHEN "
    + _CAPTURING + " AND old.tag_id != new.tag_id BEGIN "
    "INSERT OR IGNORE INTO sync_rename (kind, old, new) VALUES ('tag', old.tag_id, new.tag_id);"
    " END",
    "CREATE TRIGGER sync_reading_list_item_update AFTER UPDATE ON reading_list_item WHEN "
    + _CAPTURING + " BEGIN INSERT OR IGNORE INTO sync_dirty (article_id) "
    "VALUES (new.article_id); END",
)
