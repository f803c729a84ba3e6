"""SQL of shared renames and list positions in a team library's replica (schema 9).

A rename of a reading list or a user tag is recorded by triggers in ``sync_rename``; before
the edit's transaction commits, :func:`spinelib.store.names.queue_events` turns each into
an outbox entry placed *ahead of* the articles' own entries, so the server renames the list
or tag on every article it holds and colleagues rename theirs (:func:`apply_rename`) instead
of making a new one beside an empty old one.

Promises:
- A rename in a replica whose login may only read raises :class:`LibraryError` inside the
  transaction (nothing is written), like every shared edit.
- :func:`apply_rename` (capture off) renames the local list or tag, or merges it into an
  existing one of the new name; nothing an article carries is lost.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Mapping
from typing import Any

from spinelib.store.connection import Connection
from spinelib.store.mapping import utcnow

#: Namespace of the made-up UUID a rename is logged under on the server (change_log.article).
RENAME_NAMESPACE = uuidlib.UUID("6f1c2b7e-5d0a-4e55-9a31-2f7d9c8e4b10")


def rename_uuid(kind: str, old: str) -> str:
    return str(uuidlib.uuid5(RENAME_NAMESPACE, f"{kind}:{old}"))


def renamed_values(values: Mapping[str, Any], kind: str, old: str, new: str,
                   target: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A change's field values (its ``old`` or ``new``) with list or tag ``old`` called
    ``new``: lists and list positions by name, tags by id (a tag carried under both names
    becomes one). ``target`` (``label``, ``origin`` of tag ``new``) makes it a tag *merge*,
    as :meth:`TagsManager.merge` does it: the target keeps its own label, a confirmed
    assignment of the source becomes the user's own. Used by the server for changes made
    before their client saw the rename, and by a replica for its own waiting changes when
    it pulls a rename."""
    out = dict(values)
    if kind == "list":
        if isinstance(out.get("lists"), list):
            out["lists"] = sorted({new if n == old else n for n in out["lists"]})
        positions = out.get("list_positions")
        if isinstance(positions, dict) and old in positions:
            positions = dict(positions)
            moved = positions.pop(old)
            positions.setdefault(new, moved)
            out["list_positions"] = positions
    elif kind == "tag" and isinstance(out.get("tags"), list) and old != new:
        parsed = [json.loads(t) for t in out["tags"]]
        source = next((p for p in parsed if p[0] == old), None)
        if source is None:
            return out
        rest = [p for p in parsed if p[0] != old]
        have = next((p for p in rest if p[0] == new), None)
        if target is None:  # a rename: the element keeps everything but its name
            if have is None:
                rest.append([new, new, *source[2:]])
        else:
            origin = "user" if source[3] in ("user", "accepted") else source[3]
            if have is None:
                rest.append([new, target.get("label") or new, target.get("origin") or "user",
                             origin, ""])
            else:
                have[3] = origin
        out["tags"] = sorted(json.dumps(p) for p in rest)
    return out


def rewrite_waiting(conn: Connection, kind: str, old: str, new: str,
                    target: Mapping[str, Any] | None = None) -> None:
    """A pulled rename (or, with ``target``, a tag merge) reaches this replica's changes
    still waiting to be pushed."""
    for seq, old_values, new_values in conn.all(
            "SELECT seq, old, new FROM sync_outbox WHERE kind IN ('edit', 'delete')"):
        conn.execute("UPDATE sync_outbox SET old = :o, new = :n WHERE seq = :s",
                     {"s": seq, "o": json.dumps(renamed_values(json.loads(old_values), kind,
                                                               old, new, target)),
                      "n": json.dumps(renamed_values(json.loads(new_values), kind, old,
                                                     new, target))})


def list_positions(conn: Connection, article_id: int) -> dict[str, int]:
    """Where the article stands in each reading list it is in (shared: list order)."""
    return {str(name): int(pos) for name, pos in conn.all(
        "SELECT l.name, i.position FROM reading_list_item i JOIN reading_list l "
        "ON l.id = i.list_id WHERE i.article_id = :a", {"a": article_id})}


def add_to_list(conn: Connection, article_id: int, name: str,
                positions: Mapping[str, Any]) -> None:
    """Put a pulled article into list ``name`` at its shared position (else at the end)."""
    conn.execute("INSERT OR IGNORE INTO reading_list (name, created_at) VALUES (:n, :c)",
                 {"n": name, "c": utcnow()})
    position = positions.get(name)
    if isinstance(position, int):
        conn.execute("INSERT INTO reading_list_item (list_id, article_id, position) SELECT id, "
                     ":a, :p FROM reading_list WHERE name = :n",
                     {"a": article_id, "n": name, "p": position})
        return
    conn.execute("INSERT INTO reading_list_item (list_id, article_id, position) SELECT id, "
                 ":a, (SELECT coalesce(max(position) + 1, 0) FROM reading_list_item "
                 "WHERE list_id = l.id) FROM reading_list l WHERE name = :n",
                 {"a": article_id, "n": name})


def apply_rename(conn: Connection, kind: str, old: str, new: str) -> list[int]:
    """A colleague's rename, applied here with capture off (and to the changes waiting to be
    pushed); the articles it touched."""
    rewrite_waiting(conn, kind, old, new)
    if kind == "list":
        return _rename_list(conn, old, new)
    if kind == "tag":
        return _rename_tag(conn, old, new)
    return []


def _rename_list(conn: Connection, old: str, new: str) -> list[int]:
    old_id = conn.scalar("SELECT id FROM reading_list WHERE name = :n", {"n": old})
    if old_id is None or old == new:
        return []
    members = [int(a) for a in conn.column(
        "SELECT article_id FROM reading_list_item WHERE list_id = :l", {"l": old_id})]
    new_id = conn.scalar("SELECT id FROM reading_list WHERE name = :n", {"n": new})
    if new_id is None:
        conn.execute("UPDATE reading_list SET name = :n WHERE id = :l", {"n": new, "l": old_id})
        return members
    # Both exist here: the old one's articles join the new one (after its own), then it goes.
    conn.execute("INSERT OR IGNORE INTO reading_list_item (list_id, article_id, position) "
                 "SELECT :n, article_id, position + (SELECT coalesce(max(position) + 1, 0) "
                 "FROM reading_list_item WHERE list_id = :n) FROM reading_list_item "
                 "WHERE list_id = :o", {"n": new_id, "o": old_id})
    conn.execute("DELETE FROM reading_list WHERE id = :o", {"o": old_id})
    return members


def _rename_tag(conn: Connection, old: str, new: str) -> list[int]:
    if old == new or conn.first("SELECT 1 FROM tag WHERE id = :t", {"t": old}) is None:
        return []
    carriers = [int(a) for a in conn.column(
        "SELECT article_id FROM article_tag WHERE tag_id = :t", {"t": old})]
    conn.execute("INSERT OR IGNORE INTO tag (id, label, parent, origin) "
                 "SELECT :n, :n, parent, origin FROM tag WHERE id = :t", {"n": new, "t": old})
    conn.execute("UPDATE OR IGNORE article_tag SET tag_id = :n WHERE tag_id = :t",
                 {"n": new, "t": old})
    conn.execute("DELETE FROM article_tag WHERE tag_id = :t", {"t": old})  # already had new
    conn.execute("UPDATE tag SET parent = :n WHERE parent = :t", {"n": new, "t": old})
    conn.execute("DELETE FROM tag WHERE id = :t", {"t": old})
    return carriers


__all__ = ["add_to_list", "apply_rename", "list_positions", "rename_uuid",
           "renamed_values", "rewrite_waiting"]
