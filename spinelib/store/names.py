"""SQL of shared list and tag *names* in a team library's replica (issue 13): creating and
deleting a reading list or a user tag, and merging one tag into another.

The triggers of schema 12 record a created or deleted list or user tag in ``sync_rename``
(kinds ``list+``, ``list-``, ``tag+``, ``tag-``) beside the renames; :func:`record_merge`
adds a tag merge (``tagmerge``). Before the edit's transaction commits, :func:`queue_events`
turns that ordered stream into outbox entries ahead of the articles' own: a rename or a merge
as a ``rename`` change (the server moves every article holding the old name), a creation or
deletion as a ``name`` change (the server logs it; a colleague's replica makes or drops the
list or tag). :func:`apply_events` applies a pulled stream in the server's order.

Promises:
- Idempotent: creating a name that exists, or deleting one that is gone, changes nothing; two
  clients creating the same list name end with one list.
- A pulled deletion wins over this replica's memberships of that list or tag, also in its
  changes still waiting (a membership added before the deletion was seen is dropped with a
  line in the conflicts list: :mod:`spinelib.store.stale`); nothing else of those changes is
  lost. It is skipped while this replica's own creation of that name waits to be pushed or
  comes later in the pulled stream (the memberships are then the new list's). The list or
  tag itself goes after the pulled articles (:func:`settle_deletes`), where nothing uses it.
- A pulled tag move (``op`` = ``move``) puts the tag under its new parent here
  (:mod:`spinelib.store.tagtree`: the server's order decides, the last move wins).
- A pulled merge gives the target tag to every local carrier of the source (a confirmed
  assignment stays confirmed, as :meth:`TagsManager.merge` does), then drops the source.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Mapping, Sequence
from typing import Any

from spinelib.errors import LibraryError
from spinelib.store.connection import Connection
from spinelib.store.mapping import utcnow
from spinelib.store.renames import apply_rename, rename_uuid, rewrite_waiting
from spinelib.store.stale import drop_deleted, own_creations
from spinelib.store.tagtree import move_tag

#: ``sync_rename`` kinds of name events -> (what, operation).
NAME_KINDS: dict[str, tuple[str, str]] = {"list+": ("list", "create"),
                                          "list-": ("list", "delete"),
                                          "tag+": ("tag", "create"), "tag-": ("tag", "delete")}
#: A pulled event: (change_log kind, its diff): ``rename`` or ``name``.
Event = tuple[str, Mapping[str, Any]]


def record_merge(conn: Connection, source: str, target: str) -> None:
    """Note (in a replica only) that ``source`` is being merged into ``target``."""
    conn.execute("INSERT OR IGNORE INTO sync_rename (kind, old, new) SELECT 'tagmerge', :s, :t "
                 "WHERE (SELECT value FROM sync_state WHERE key = 'capture') = '1'",
                 {"s": source, "t": target})


def record_move(conn: Connection, tag_id: str) -> None:
    """Note (in a replica only) that user tag ``tag_id`` moves in the tree; the event carries
    the parent it has when the transaction commits."""
    conn.execute("INSERT OR IGNORE INTO sync_rename (kind, old, new) SELECT 'tagmove', :t, '' "
                 "WHERE (SELECT value FROM sync_state WHERE key = 'capture') = '1' AND "
                 "EXISTS (SELECT 1 FROM tag WHERE id = :t AND origin = 'user')", {"t": tag_id})


def _tag_row(conn: Connection, tag_id: str) -> tuple[str, str, str | None]:
    """(label, origin, parent) of a tag as it stands now (a user tag's own id if gone)."""
    row = conn.first("SELECT label, origin, parent FROM tag WHERE id = :t", {"t": tag_id})
    return (tag_id, "user", None) if row is None else (str(row[0]), str(row[1]), row[2])


def _payload(conn: Connection, kind: str, old: str, new: str) -> tuple[str, dict[str, Any]]:
    """The outbox entry (its kind and ``new``) of one recorded name event."""
    if kind == "tagmerge":
        label, origin, _ = _tag_row(conn, new)
        return "rename", {"kind": "tag", "old": old, "new": new, "merge": True,
                          "label": label, "origin": origin}
    if kind == "tagmove":
        return "name", {"kind": "tag", "op": "move", "name": old, "parent": _tag_row(conn, old)[2]}
    if kind in NAME_KINDS:
        what, op = NAME_KINDS[kind]
        event: dict[str, Any] = {"kind": what, "op": op, "name": old}
        if what == "tag" and op == "create":
            label, _, parent = _tag_row(conn, old)
            event.update(label=label, parent=parent)
        return "name", event
    return "rename", {"kind": kind, "old": old, "new": new}


def queue_events(conn: Connection, can_edit: bool, refusal: str) -> None:
    """Move this transaction's recorded renames, merges, creations and deletions into the
    outbox, in the order they happened and before any article entry."""
    rows = conn.all("SELECT id, kind, old, new FROM sync_rename ORDER BY id")
    if not rows:
        return
    if not can_edit:
        raise LibraryError(refusal)
    for _, kind, old, new in rows:
        entry, event = _payload(conn, str(kind), str(old), str(new))
        conn.execute("INSERT INTO sync_outbox (change_id, uuid, kind, base_version, old, new, "
                     "made_at) VALUES (:c, :u, :k, 0, '{}', :n, :t)",
                     {"c": str(uuidlib.uuid4()), "u": rename_uuid(str(kind), str(old)),
                      "k": entry, "n": json.dumps(event), "t": utcnow()})
    conn.execute("DELETE FROM sync_rename")


# ---- applying a colleague's events (capture off)
def waiting_creations(conn: Connection) -> set[tuple[str, str]]:
    """(kind, name) of the creations this replica has not pushed yet."""
    out = set()
    for (text,) in conn.all("SELECT new FROM sync_outbox WHERE kind = 'name'"):
        event = json.loads(text)
        if event.get("op") == "create":
            out.add((str(event["kind"]), str(event["name"])))
    return out


def create_name(conn: Connection, event: Mapping[str, Any]) -> None:
    """Make a pulled list or user tag here (nothing if it exists)."""
    name = str(event["name"])
    if event["kind"] == "list":
        conn.execute("INSERT OR IGNORE INTO reading_list (name, created_at) VALUES (:n, :c)",
                     {"n": name, "c": utcnow()})
        return
    parent = event.get("parent")
    if parent is not None and conn.first("SELECT 1 FROM tag WHERE id = :p",
                                         {"p": parent}) is None:
        parent = None  # its parent is not here
    conn.execute("INSERT OR IGNORE INTO tag (id, label, parent, origin) VALUES "
                 "(:t, :l, :p, 'user')", {"t": name, "l": event.get("label") or name,
                                          "p": parent})
    if isinstance(parent, str) and conn.scalar(
            "SELECT parent FROM tag WHERE id = :t", {"t": name}) != parent:
        move_tag(conn, name, parent)  # it was there already (an article carried it)


def merge_tag(conn: Connection, source: str, target: str, label: str, origin: str
              ) -> list[int]:
    """A colleague's merge of tag ``source`` into ``target``; the articles it touched."""
    carriers = [int(a) for a in conn.column(
        "SELECT article_id FROM article_tag WHERE tag_id = :s", {"s": source})]
    if source == target or conn.first("SELECT 1 FROM tag WHERE id = :s",
                                      {"s": source}) is None:
        return []
    conn.execute("INSERT OR IGNORE INTO tag (id, label, parent, origin) VALUES "
                 "(:t, :l, NULL, :o)", {"t": target, "l": label, "o": origin})
    conn.execute("INSERT INTO article_tag (article_id, tag_id, origin, reason) SELECT "
                 "article_id, :t, CASE WHEN origin IN ('user', 'accepted') THEN 'user' "
                 "ELSE origin END, '' FROM article_tag WHERE tag_id = :s AND true "
                 "ON CONFLICT (article_id, tag_id) DO UPDATE SET origin = excluded.origin",
                 {"s": source, "t": target})
    conn.execute("UPDATE tag SET parent = :t WHERE parent = :s", {"s": source, "t": target})
    conn.execute("DELETE FROM tag WHERE id = :s", {"s": source})
    return carriers


def _recreated_by_me(later: Sequence[Event], key: tuple[str, str], own: set[str]) -> bool:
    """Whether this replica's own creation of ``key`` comes later in a pulled stream."""
    return any(kind == "name" and e.get("op") == "create" and e.get("id") in own
               and (str(e["kind"]), str(e["name"])) == key for kind, e in later)


def _apply_name(conn: Connection, event: Mapping[str, Any], later: Sequence[Event],
                deletions: set[tuple[str, str]], keep: set[tuple[str, str]],
                own: set[str]) -> list[int]:
    """One pulled creation, deletion or tag move; the articles it touched."""
    key = (str(event["kind"]), str(event["name"]))
    op = event.get("op")
    if op == "create":
        deletions.discard(key)
        create_name(conn, event)
    elif op == "move":
        parent = event.get("parent")
        if key[0] == "tag":
            move_tag(conn, key[1], parent if isinstance(parent, str) else None)
    else:
        deletions.add(key)
        if key not in keep and not _recreated_by_me(later, key, own):
            return drop_deleted(conn, *key)
    return []


def apply_events(conn: Connection, events: Sequence[Event]
                 ) -> tuple[list[int], set[tuple[str, str]]]:
    """A pulled stream of renames, merges, creations, deletions and tag moves, in the
    server's order (and its renames, merges and deletions applied to this replica's waiting
    changes too). Returns the articles touched and the deletions to settle after the pulled
    articles."""
    touched: list[int] = []
    deletions: set[tuple[str, str]] = set()
    keep = waiting_creations(conn)
    own = set(own_creations(conn)) if events else set()
    for index, (log_kind, event) in enumerate(events):
        if log_kind == "name":
            touched += _apply_name(conn, event, events[index + 1:], deletions, keep, own)
        elif event.get("merge"):
            target = {"label": event.get("label"), "origin": event.get("origin")}
            rewrite_waiting(conn, "tag", str(event["old"]), str(event["new"]), target)
            touched += merge_tag(conn, str(event["old"]), str(event["new"]),
                                 str(event.get("label") or event["new"]),
                                 str(event.get("origin") or "user"))
        else:
            touched += apply_rename(conn, str(event["kind"]), str(event["old"]),
                                    str(event["new"]))
            deletions.discard((str(event["kind"]), str(event["new"])))
    return touched, deletions


def settle_deletes(conn: Connection, deletions: set[tuple[str, str]]) -> None:
    """Drop the pulled deletions' lists and tags that nothing here still uses."""
    keep = waiting_creations(conn)
    for kind, name in sorted(deletions - keep):
        if kind == "list":
            conn.execute("DELETE FROM reading_list WHERE name = :n AND NOT EXISTS (SELECT 1 "
                         "FROM reading_list_item i WHERE i.list_id = reading_list.id)",
                         {"n": name})
        elif conn.first("SELECT 1 FROM tag WHERE id = :t AND origin = 'user' AND NOT EXISTS "
                        "(SELECT 1 FROM article_tag WHERE tag_id = :t)", {"t": name}):
            conn.execute("UPDATE tag SET parent = (SELECT parent FROM tag WHERE id = :t) "
                         "WHERE parent = :t", {"t": name})
            conn.execute("DELETE FROM tag WHERE id = :t", {"t": name})


__all__ = ["NAME_KINDS", "Event", "apply_events", "create_name", "merge_tag", "queue_events",
           "record_merge", "record_move", "settle_deletes", "waiting_creations"]
