"""A reading list or user tag deleted by a colleague, met by a change of this replica made
before it saw the deletion (issue 13), on the replica's side.

What a mature sync does (Zotero: a deleted collection wins over a stale membership change of
a client that had not seen the deletion): the deletion wins over the *membership*, nothing
else of the change is lost, and the user is told. When a pull brings the deletion of list or
tag ``name`` (:func:`drop_deleted`):

- every change still waiting here loses ``name`` from the values it replaced and the values
  it sets (lists, list positions, tags); one that *added* an article to it leaves a line in
  the conflicts list (field ``list`` or ``tag``, ``mine`` the name, ``theirs`` "deleted"):
  ``conflicts resolve ID --keep mine`` puts the article back (:func:`restore`, which makes
  the list or tag again as a new one), ``--keep theirs`` only drops the line;
- the articles here lose ``name`` (their shadows too, so nothing of it is sent again), and
  the list or tag, then empty, goes when the pull settles its deletions.

The server does the same for a change pushed before its client pulled the deletion
(:mod:`spinelib.store.postgres.stale`). A list or tag made again under the same name *after*
the deletion is a new one: a membership added after its client saw the deletion is kept,
and one made before is not moved into the new list. The replica's own creation of the name
after the deletion (waiting, or sent: :func:`own_creations`) marks its memberships as the new
list's, so they are kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from spinelib.store.connection import Connection
from spinelib.store.mapping import utcnow

#: Conflict fields of a dropped membership: a reading list's, a tag's.
STALE_FIELDS: tuple[str, ...] = ("list", "tag")
#: The ``theirs`` of such a conflict.
DELETED = "deleted"


def _tag_ids(values: Mapping[str, Any]) -> set[str]:
    return {str(json.loads(t)[0]) for t in values.get("tags") or []}


def holds(values: Mapping[str, Any], kind: str, name: str) -> bool:
    """Whether change values (or a shadow) put an article in list / under tag ``name``."""
    if kind == "list":
        return name in (values.get("lists") or [])
    return name in _tag_ids(values)


def added(old: Mapping[str, Any], new: Mapping[str, Any], kind: str, name: str) -> bool:
    """Whether a change (its replaced and set values) adds an article to ``name``."""
    return holds(new, kind, name) and not holds(old, kind, name)


def strip(values: Mapping[str, Any], kind: str, name: str) -> dict[str, Any]:
    """``values`` without list (with its position) or tag ``name``; fields that do not hold
    it are left as they are."""
    out = dict(values)
    if kind == "list":
        if isinstance(out.get("lists"), list) and name in out["lists"]:
            out["lists"] = [n for n in out["lists"] if n != name]
        positions = out.get("list_positions")
        if isinstance(positions, dict) and name in positions:
            out["list_positions"] = {k: v for k, v in positions.items() if k != name}
    elif isinstance(out.get("tags"), list) and name in _tag_ids(out):
        out["tags"] = [t for t in out["tags"] if str(json.loads(t)[0]) != name]
    return out


def own_creations(conn: Connection) -> list[str]:
    """Change ids of the list and tag creations this replica made (sent or waiting)."""
    return [str(c) for c in conn.column(
        "SELECT change_id FROM sync_sent WHERE kind = 'name' AND new IS NOT NULL AND "
        "json_extract(new, '$.op') = 'create' UNION SELECT change_id FROM sync_outbox "
        "WHERE kind = 'name' AND json_extract(new, '$.op') = 'create'")]


def drop_deleted(conn: Connection, kind: str, name: str) -> list[int]:
    """A colleague's deletion of list or tag ``name`` wins over what this replica still holds
    of it (see the module docstring; capture is off); returns the articles that held it."""
    for seq, uuid, change, old_text, new_text in conn.all(
            "SELECT seq, uuid, kind, old, new FROM sync_outbox WHERE kind IN ('edit', 'delete')"):
        old, new = json.loads(old_text), json.loads(new_text)
        if change == "edit" and added(old, new, kind, name):
            conn.execute("INSERT INTO sync_conflict (uuid, field, mine, theirs, made_at) "
                         "VALUES (:u, :f, :m, :t, :w)",
                         {"u": uuid, "f": kind, "m": json.dumps(name),
                          "t": json.dumps(DELETED), "w": utcnow()})
        stripped_old, stripped_new = strip(old, kind, name), strip(new, kind, name)
        if (stripped_old, stripped_new) != (old, new):
            conn.execute("UPDATE sync_outbox SET old = :o, new = :n WHERE seq = :s",
                         {"s": seq, "o": json.dumps(stripped_old),
                          "n": json.dumps(stripped_new)})
    if kind == "list":
        holders = [int(a) for a in conn.column(
            "SELECT i.article_id FROM reading_list_item i JOIN reading_list l ON "
            "l.id = i.list_id WHERE l.name = :n", {"n": name})]
        conn.execute("DELETE FROM reading_list_item WHERE list_id IN "
                     "(SELECT id FROM reading_list WHERE name = :n)", {"n": name})
    else:
        holders = [int(a) for a in conn.column(
            "SELECT article_id FROM article_tag WHERE tag_id = :n AND EXISTS "
            "(SELECT 1 FROM tag WHERE id = :n AND origin = 'user')", {"n": name})]
        conn.execute("DELETE FROM article_tag WHERE tag_id = :n AND EXISTS "
                     "(SELECT 1 FROM tag WHERE id = :n AND origin = 'user')", {"n": name})
    for article_id, shadow in conn.all(
            "SELECT article_id, shadow FROM sync_article WHERE article_id IN "
            "(SELECT value FROM json_each(:ids))", {"ids": json.dumps(holders)}):
        conn.execute("UPDATE sync_article SET shadow = :s WHERE article_id = :a",
                     {"a": article_id, "s": json.dumps(strip(json.loads(shadow), kind, name))})
    return holders


def restore(conn: Connection, article_id: int, kind: str, name: str) -> None:
    """Keep "mine" of a dropped membership: put the article back into list or under tag
    ``name``, making it again if it is gone (capture on: both are shared as new edits)."""
    if kind == "list":
        conn.execute("INSERT OR IGNORE INTO reading_list (name, created_at) VALUES (:n, :c)",
                     {"n": name, "c": utcnow()})
        conn.execute("INSERT INTO reading_list_item (list_id, article_id, position) SELECT "
                     "l.id, :a, (SELECT coalesce(max(position) + 1, 0) FROM reading_list_item "
                     "WHERE list_id = l.id) FROM reading_list l WHERE l.name = :n AND NOT "
                     "EXISTS (SELECT 1 FROM reading_list_item WHERE list_id = l.id AND "
                     "article_id = :a)", {"a": article_id, "n": name})
        return
    conn.execute("INSERT OR IGNORE INTO tag (id, label, parent, origin) VALUES "
                 "(:t, :t, NULL, 'user')", {"t": name})
    conn.execute("INSERT OR IGNORE INTO article_tag (article_id, tag_id, origin, reason) "
                 "VALUES (:a, :t, 'user', '')", {"a": article_id, "t": name})


__all__ = ["DELETED", "STALE_FIELDS", "added", "drop_deleted", "holds", "own_creations",
           "restore", "strip"]
