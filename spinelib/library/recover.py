"""What a stopped team copy had sent that its restored server lost, and how to send it again
(issue 13: ``team reattach`` after a server was restored from an older backup).

A server restored from a backup lacks every change it acknowledged after that backup; the
copy's journal of sent changes (:mod:`spinelib.store.sent`) lists them by change id. For
each article this copy changed, what the server lacks is sent again as one change:

- renames, merges and list/tag creations and deletions: as they were (same change id, in
  order, ahead of the articles);
- an article this copy made: the whole article as the copy holds it now;
- edits: the net edit, each field from the value it replaced first to the value this copy
  set last, merged by the server field by field as any push (a field a colleague changed
  on the restored server since becomes a conflict, never an overwrite);
- a delete: sent again against the values it replaced;
- this login's own read status, rating and notes: the copy's values where the server's
  differ.

What cannot be sent (an article this copy made, which neither the server nor the copy holds
any more) is named in :attr:`Recovery.missing`, one plain line each.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spinelib.store import outbox as ob

Change = dict[str, Any]
#: uuid -> (shared, private) snapshot of the article in the stopped copy
Snapshots = Mapping[str, tuple[Any, Any]]


@dataclass
class Recovery:
    """The changes to send again, in order, and what could not be recovered."""

    changes: list[Change] = field(default_factory=list)
    #: how many journaled changes (and private values) the server had lost and are covered
    recovered: int = 0
    #: articles sent whole (the waiting changes' plan must not send them twice)
    whole: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)


def _change(uuid: str, kind: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    return {"change_id": str(uuidlib.uuid4()), "uuid": uuid, "kind": kind,
            "base_version": 0, "old": dict(old), "new": dict(new)}


def _name(uuid: str, snaps: Snapshots) -> str:
    if uuid in snaps:
        shared = snaps[uuid][0]
        return str(shared.get("citekey") or shared.get("title") or uuid)
    return f"article {uuid}"


def plan_lost(journal: list[Change], held_ids: set[str], snaps: Snapshots,
              held: Mapping[str, str], server_private: Mapping[str, Mapping[str, Any]]
              ) -> Recovery:
    """The changes that bring the server back to what this copy had sent (see the module
    docstring). ``held_ids``: the journal's change ids the server still holds; ``held``:
    article UUID -> the UUID the server holds it under; ``server_private``: this login's
    rows on the server, by the server's UUID."""
    out = Recovery()
    lost = [e for e in journal if e["kind"] != "private" and e["change_id"] not in held_ids]
    by_article: dict[str, list[Change]] = {}
    for entry in lost:
        if entry["kind"] in ("rename", "name"):
            out.changes.append({**entry, "base_version": 0, "old": {}})
        else:
            by_article.setdefault(str(entry["uuid"]), []).append(entry)
    out.recovered = len(lost)
    for uuid, entries in by_article.items():
        _article(out, uuid, entries, snaps, held.get(uuid))
    for uuid in dict.fromkeys(str(e["uuid"]) for e in journal if e["kind"] == "private"):
        target = held.get(uuid)
        if uuid not in snaps or target is None:
            continue  # gone from the copy or the server: nothing of it to keep
        private = snaps[uuid][1]
        theirs = {c: server_private.get(target, {}).get(c, ob.PRIVATE_DEFAULT[c])
                  for c in ob.PRIVATE_FIELDS}
        if theirs != private:
            out.changes.append(_change(target, "private", theirs, private))
            out.recovered += 1
    return out


def _article(out: Recovery, uuid: str, entries: list[Change], snaps: Snapshots,
             target: str | None) -> None:
    """One article's lost changes as one change to send (or a line in ``missing``)."""
    last = entries[-1]
    if last["kind"] == "delete":
        if target is not None:  # else the server lacks it too: already gone
            out.changes.append(_change(target, "delete", last["old"], {}))
        return
    if target is None or any(e["new"] is None for e in entries):
        if uuid not in snaps:
            out.missing.append(f"{_name(uuid, snaps)}: made or changed here, but neither "
                               "the server nor this copy holds it any more")
            return
        out.whole.add(uuid)
        out.changes.append(_change(uuid, "edit", {}, snaps[uuid][0]))
        return
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for entry in entries:
        for name, value in dict(entry["old"]).items():
            old.setdefault(name, value)
        new.update(dict(entry["new"] or {}))
    out.changes.append(_change(target, "edit", old, new))


__all__ = ["Recovery", "plan_lost"]
