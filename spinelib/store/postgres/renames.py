"""Shared renames and list order on the team server (issue 13: "renaming a tag or list shared
with the team; list order merged by position").

A rename arrives as one change (kind ``rename``, ``new`` = ``{"kind": "tag"|"list", "old",
"new"}``) ahead of the renaming client's article changes. The server rewrites every article
holding the old name (each gets a new version and an ``edit`` row in ``change_log``, so
colleagues pull it) and logs the rename itself, which colleagues' replicas apply to their own
list or tag. An article's place in each list (``list_positions``: name -> position) merges
name by name: a position the server still holds at the client's base takes the client's;
one both moved keeps the server's (order, not content: no conflict is recorded).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from spinelib.store.renames import renamed_values


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
        renamed = renamed_values(data, kind, old, new)
        changed = {f: v for f, v in renamed.items() if v != data.get(f)}
        if not changed:
            continue
        diff = {f: [data.get(f), v] for f, v in changed.items()}
        conn.execute("UPDATE article SET data = %s, version = version + 1 WHERE uuid = %s",
                     (Jsonb(renamed), article))
        log(str(uuidlib.uuid4()), article, "edit", diff)
    log(cid, uuid, "rename", {"kind": kind, "old": old, "new": new})


def renames_since(conn: psycopg.Connection, seen: int) -> list[tuple[str, str, str]]:
    """Renames logged after change ``seen`` (a pushing client has not applied them yet)."""
    return [(str(d["kind"]), str(d["old"]), str(d["new"])) for (d,) in conn.execute(
        "SELECT diff FROM change_log WHERE kind = 'rename' AND seq > %s ORDER BY seq",
        (seen,)).fetchall()]


def catch_up(change: Mapping[str, Any], renames: list[tuple[str, str, str]]
             ) -> dict[str, Any]:
    """A change made before its client saw ``renames``, as if made after them."""
    out = dict(change)
    for kind, old, new in renames:
        out["old"] = renamed_values(out["old"], kind, old, new)
        out["new"] = renamed_values(out["new"], kind, old, new)
    return out


__all__ = ["apply_rename", "catch_up", "merge_positions", "renames_since"]
