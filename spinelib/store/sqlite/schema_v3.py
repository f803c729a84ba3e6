"""Schema 3 (issue 16): exports kept up to date and the change counter their watcher reads.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

#: Schema 3 (issue 16): exports kept up to date, one row per target file.
DDL: tuple[str, ...] = (
    "CREATE TABLE kept_export (path TEXT PRIMARY KEY NOT NULL, format TEXT NOT NULL, "
    "style TEXT NOT NULL DEFAULT '', html INTEGER NOT NULL DEFAULT 0, "
    "abstracts INTEGER NOT NULL DEFAULT 0, scope TEXT NOT NULL, last_written TEXT, "
    "last_error TEXT)",
    # One number that every change an export could show moves (articles added, edited or
    # deleted; tags; reading lists), in this process or another: what the GUI's watcher
    # compares before syncing kept exports. Triggers, so no write path can forget it.
    "CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "n INTEGER NOT NULL)",
    "INSERT INTO change_counter (id, n) VALUES (1, 0)",
    *(f"""CREATE TRIGGER change_counter_{table}_{event.lower()} AFTER {event} ON {table}
          BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END"""
      for table in ("article", "article_tag", "tag", "reading_list", "reading_list_item")
      for event in ("INSERT", "UPDATE", "DELETE")),
)
