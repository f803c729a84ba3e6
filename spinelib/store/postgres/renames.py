"""Shared renames and list order on the team server (issue 13: "renaming a tag or list shared
with the team; list order merged by position").

A rename arrives as one change (kind ``rename``, ``new`` = ``{"kind": "tag"|"list", "old",
"new"}``) ahead of the renaming client's article changes. The server rewrites every article
holding the old name (each gets a new version and an ``edit`` row in ``change_log``, so
colleagues pull it) and logs the rename itself, which colleagues' replicas apply to their own
list or tag. An article's place in each list (``list_positions``: name -> position) merges
name by name: a position the server still holds at the client's base takes the client's;
one both moved keeps the server's (order, not content: no conflict is recorded).

A tag *merge* is a rename into an existing tag (``new`` also carries ``"merge": true`` and the
target's ``label`` and ``origin``): the target keeps its own label, and a change made before
its client saw the merge lands on the target (:func:`catch_up`). A list or user tag made or
removed (kind ``name``: ``{"kind", "op": "create"|"delete", "name"}``) is only logged: the
articles' own changes carry memberships; :func:`names_at` folds the log into the names a
first copy needs (the empty ones) and the tag tree. A user tag moved in the tree is a
``name`` event too (``op`` = ``move``, ``parent``: a tag id or None), logged in order: the
last move wins on every replica (:mod:`spinelib.store.tagtree`).
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from spinelib.store.renames import renamed_values
from spinelib.store.tagtree import parent_first, place


def merge_positions(base: Mapping[str, Any] | None, theirs: Mapping[str, Any] | None,
                    mine: Mapping[str, Any] | None) -> dict[str, Any]:
    """List positions merged name by name (see the module docstring)."""
    base, theirs, mine = dict(base or {}), dict(theirs or {}), dict(mine or {})
    merged = dict(theirs)
    for name in set(base) | set(mine):
        if theirs.get(name) != base.get(name):
            continue  # a colleague moved (or removed) it since: theirs stays
        if name in mine:
            merged[name] = mine[name]
        else:
            merged.pop(name, None)
    return merged


def apply_rename(conn: psycopg.Connection, cid: str, uuid: str, change: Mapping[str, Any],
                 log: Any) -> None:
    """Rename a list or tag on every article holding it (one ``edit`` row each), then log the
    rename under ``uuid`` (``log(cid, uuid, kind, diff)`` writes a ``change_log`` row)."""
    kind, old, new = str(change["kind"]), str(change["old"]), str(change["new"])
    target = merge_target(change)
    if kind == "list":
        rows = conn.execute("SELECT uuid::text, data FROM article WHERE NOT deleted AND "
                            "data->'lists' ? %s FOR UPDATE", (old,)).fetchall()
    else:
        # A coarse filter only (the exact test is renamed_values): tag elements are JSON
        # texts inside JSON, so quotes, backslashes and non-ASCII letters appear escaped;
        # each of those (and LIKE's own % and _) becomes a wildcard.
        pattern = "%" + "".join(c if c.isascii() and c not in '"\\%_' else "%"
                                for c in old) + "%"
        rows = conn.execute("SELECT uuid::text, data FROM article WHERE NOT deleted AND "
                            "(data->'tags')::text LIKE %s FOR UPDATE", (pattern,)).fetchall()
    for article, data in rows:
        data = dict(data)
        renamed = renamed_values(data, kind, old, new, target)
        changed = {f: v for f, v in renamed.items() if v != data.get(f)}
        if not changed:
            continue
        diff = {f: [data.get(f), v] for f, v in changed.items()}
        conn.execute("UPDATE article SET data = %s, version = version + 1 WHERE uuid = %s",
                     (Jsonb(renamed), article))
        log(str(uuidlib.uuid4()), article, "edit", diff)
    log(cid, uuid, "rename", dict(change))


def one_per_tag(elements: Sequence[str], preferred: set[str]) -> list[str]:
    """A merged tag set with one element per tag id (an article carries a tag once): where
    the two sides hold the same tag differently (its origin or label changed on one side),
    the pushing client's element (``preferred``) wins."""
    chosen: dict[Any, str] = {}
    for element in elements:
        tag_id = json.loads(element)[0]
        if tag_id not in chosen or element in preferred:
            chosen[tag_id] = element
    return sorted(chosen.values())


def name_event(change: Mapping[str, Any]) -> dict[str, Any] | None:
    """A list or tag creation/deletion as logged, or None when it is not one (a replica of
    another version sent something else: logged as a no-op, so no colleague's pull trips
    on it and the sender's outbox still drains)."""
    event = dict(change)
    if (event.get("kind") not in ("list", "tag")
            or event.get("op") not in ("create", "delete", "move")
            or not isinstance(event.get("name"), str) or not event["name"]):
        return None
    if event["op"] == "move" and (event["kind"] != "tag" or not isinstance(
            event.get("parent"), str | None)):
        return None
    return event


def log_kind(event: Mapping[str, Any] | None) -> str:
    """The ``change_log`` kind of a name event: a tag move is logged as ``tagmove``, not
    ``name``, because a client of the release before moves were shared reads every ``name``
    row that is not a creation as a deletion; it does not read ``tagmove`` rows at all (it
    only misses the move). :func:`events_between` hands them back as ``name`` events."""
    if event is None:
        return "noop"
    return "tagmove" if event.get("op") == "move" else "name"


def merge_target(change: Mapping[str, Any]) -> dict[str, Any] | None:
    """The target tag's ``label`` and ``origin`` of a tag merge (None for a rename)."""
    if not change.get("merge"):
        return None
    return {"label": change.get("label"), "origin": change.get("origin")}


#: A rename or merge as :func:`catch_up` takes it: (kind, old, new[, merge target]).
Rename = tuple[Any, ...]


def renames_since(conn: psycopg.Connection, seen: int) -> list[Rename]:
    """Renames and merges logged after change ``seen`` (a pushing client has not applied
    them yet)."""
    return [(str(d["kind"]), str(d["old"]), str(d["new"]), merge_target(d))
            for (d,) in conn.execute(
                "SELECT diff FROM change_log WHERE kind = 'rename' AND seq > %s ORDER BY seq",
                (seen,)).fetchall()]


def catch_up(change: Mapping[str, Any], renames: Sequence[Rename]) -> dict[str, Any]:
    """A change made before its client saw ``renames``, as if made after them."""
    out = dict(change)
    for kind, old, new, *target in renames:
        merge = target[0] if target else None
        out["old"] = renamed_values(out["old"], kind, old, new, merge)
        out["new"] = renamed_values(out["new"], kind, old, new, merge)
    return out


def events_between(conn: psycopg.Connection, since: int, upto: int
                   ) -> list[tuple[str, dict[str, Any]]]:
    """The renames, merges and list/tag creations, deletions and moves logged in (since,
    upto], in order: (``rename`` or ``name``, the event with its change id as ``id``: a
    replica tells its own creations by it)."""
    return [("name" if k == "tagmove" else str(k), {**dict(d), "id": str(c)})
            for k, d, c in conn.execute(
                "SELECT kind, diff, change_id FROM change_log WHERE seq > %s AND seq <= %s "
                "AND kind IN ('rename', 'name', 'tagmove') ORDER BY seq",
                (since, upto)).fetchall()]


def _fold_name(held: dict[tuple[str, str], dict[str, Any]], event: Mapping[str, Any]) -> None:
    """One creation, deletion or move folded into ``held`` (see :func:`names_at`)."""
    key = (str(event["kind"]), str(event["name"]))
    if event.get("op") == "create":
        held[key] = {k: v for k, v in event.items() if k != "id"}
    elif event.get("op") == "move":
        parents = {n: e.get("parent") for (k, n), e in held.items() if k == "tag"}
        parent = event.get("parent")
        if isinstance(parent, str):
            parents.setdefault(parent, None)  # a vocabulary tag: no event made it
        for tag, placed in place(parents, key[1], parent).items():
            if ("tag", tag) in held:
                held[("tag", tag)] = {**held[("tag", tag)], "parent": placed}
    else:
        held.pop(key, None)


def _reparent(held: dict[tuple[str, str], dict[str, Any]], old: str, new: str | None) -> None:
    """Held tags under ``old`` go under ``new``."""
    for (kind, name), event in list(held.items()):
        if kind == "tag" and event.get("parent") == old:
            held[(kind, name)] = {**event, "parent": new}


def names_at(conn: psycopg.Connection, upto: int) -> list[dict[str, Any]]:
    """Every list and user tag created and still there at change ``upto`` (a first copy
    needs the empty ones: articles carry the rest) with each tag's place in the tree, folded
    from the logged events; tags come after their parents."""
    held: dict[tuple[str, str], dict[str, Any]] = {}
    for logged, event in events_between(conn, 0, upto):
        if logged == "name":
            if event.get("op") == "delete" and event.get("kind") == "tag":
                gone = held.get(("tag", str(event["name"])))
                if gone is not None:  # its children move up to its own parent
                    _reparent(held, str(event["name"]), gone.get("parent"))
            _fold_name(held, event)
            continue
        kind, old, new = str(event["kind"]), str(event["old"]), str(event["new"])
        moved = held.pop((kind, old), None)
        if moved is not None and not event.get("merge"):
            held[(kind, new)] = {**moved, "name": new, "label": new}
        if kind == "tag":
            _reparent(held, old, new)
    return parent_first(list(held.values()))


__all__ = ["Rename", "apply_rename", "catch_up", "events_between", "log_kind", "merge_positions",
           "merge_target", "name_event", "names_at", "one_per_tag", "renames_since"]
