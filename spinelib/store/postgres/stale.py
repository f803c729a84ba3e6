"""A reading list or user tag a colleague deleted, met by a pushed change made before its
client saw the deletion (issue 13), on the server's side.

The rule is Zotero's for a deleted collection: the deletion wins over a stale *membership*;
nothing else of the change is lost, and the pushing client is told. A push carries the
replica's ``seen`` (the newest change it has pulled) and, on its first change, ``own``: the
change ids of the list and tag creations that replica made. :func:`drop_stale` takes every
list or tag deleted in ``change_log`` after ``seen`` and not made again since *by that
replica* (a creation in the same batch counts too), and:

- an edit that adds an article to one of them loses that membership (and its list
  position) and comes back as a conflict ``(uuid, "list"|"tag", name, "deleted")``, which the
  client keeps in its conflicts list;
- a delete of an article loses the name from the values it replaced, so the colleague's
  deletion of the list does not make it look "changed since" (which would refuse the delete).

A list made again under the same name by someone else after the deletion is a new list: a
stale membership is not moved into it. The replica applies the same rule to the changes still
waiting when it pulls the deletion first (:mod:`spinelib.store.stale`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from spinelib.store.stale import DELETED, added, strip

Change = Mapping[str, Any]
#: (uuid, field, mine, theirs), as :class:`spinelib.store.postgres.server.PushResult` keeps.
Conflict = tuple[str, str, Any, Any]


def deleted_since(conn: psycopg.Connection, seen: int, own: set[str]) -> set[tuple[str, str]]:
    """(kind, name) of the lists and tags deleted after change ``seen`` and not made again
    since by the replica whose creations are ``own``."""
    gone: set[tuple[str, str]] = set()
    for change_id, diff in conn.execute(
            "SELECT change_id::text, diff FROM change_log WHERE kind = 'name' AND seq > %s "
            "ORDER BY seq", (seen,)).fetchall():
        key = (str(diff.get("kind")), str(diff.get("name")))
        if diff.get("op") == "delete":
            gone.add(key)
        elif diff.get("op") == "create" and str(change_id) in own:
            gone.discard(key)
    return gone


def drop_stale(conn: psycopg.Connection, changes: Sequence[Change]
               ) -> tuple[list[Change], list[Conflict]]:
    """The batch with its stale memberships dropped, and a conflict for each (see the module
    docstring); a change the server already holds (a batch sent again) reports none."""
    if not changes or changes[0].get("seen") is None:
        return list(changes), []
    gone = deleted_since(conn, int(changes[0]["seen"]), set(changes[0].get("own") or []))
    gone -= {(str(c["new"].get("kind")), str(c["new"].get("name"))) for c in changes
             if c["kind"] == "name" and c["new"].get("op") == "create"}
    if not gone:
        return list(changes), []
    held = {str(r[0]) for r in conn.execute(
        "SELECT change_id::text FROM change_log WHERE change_id = ANY(%s::uuid[])",
        ([str(c["change_id"]) for c in changes],))}
    out: list[Change] = []
    conflicts: list[Conflict] = []
    for change in changes:
        old, new = dict(change["old"]), dict(change["new"])
        for kind, name in sorted(gone):
            if change["kind"] == "delete":
                old = strip(old, kind, name)
            elif change["kind"] == "edit" and added(old, new, kind, name):
                new = strip(new, kind, name)
                if str(change["change_id"]) not in held:
                    conflicts.append((str(change["uuid"]), kind, name, DELETED))
        out.append({**change, "old": old, "new": new})
    return out, conflicts


__all__ = ["deleted_since", "drop_stale"]
