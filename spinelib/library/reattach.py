"""Re-attaching a team library's copy after its server was restored from an older backup or
replaced (issue 13: sync stops with a message naming the reason; this is what the user runs
then: ``spinelib team reattach URL``).

The stopped copy is set aside as an ordinary library file (nothing in it is lost, and it can
be opened like any library); a fresh copy is made from the server as it is now; then every
change that was waiting in the stopped copy is sent again: to the same article when the
server holds it (by UUID, or by DOI/PMID/PMCID), or, for an article the server lost, the whole
article as this copy held it. The server merges them field by field as any push (a field a
colleague changed meanwhile becomes a conflict, listed by ``conflicts``).

A server restored from an older backup has also lost the changes it acknowledged after that
backup; they are no longer waiting here, but the copy's journal of sent changes names them.
Those the server lacks are sent again first (:mod:`spinelib.library.recover`); what cannot
be, and from when the journal is complete, the report says. A *replaced* server (another
library) gets only the waiting changes.
"""

from __future__ import annotations

import os
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from spinelib.errors import LibraryError
from spinelib.library import team, teamurl
from spinelib.library.facade import Library
from spinelib.library.recover import Recovery, plan_lost
from spinelib.store import outbox as ob
from spinelib.store import sent
from spinelib.store.postgres.lookup import held_articles, held_changes

Change = dict[str, Any]


@dataclass(frozen=True)
class ReattachReport:
    """What re-attaching did: where the stopped copy is kept, and what was sent again."""

    kept: Path
    library_uuid: str
    sent: int
    created: int
    dropped: int
    conflicts: int
    #: changes the server had acknowledged and then lost (restored from an older backup),
    #: sent again from this copy's journal of sent changes
    recovered: int = 0
    #: what could not be recovered, one plain line each
    missing: tuple[str, ...] = ()
    #: the journal of sent changes is complete only from this time (None: from the start)
    journal_since: str | None = None
    #: the server holds another library: nothing sent to the old one is sent to it
    replaced: bool = False


@dataclass
class _Stopped:
    """What the stopped copy holds for re-attaching."""

    library_uuid: str
    waiting: list[Change]
    journal: list[Change]
    journal_since: str | None
    snaps: dict[str, tuple[Any, Any]]


def _stopped(old_path: Path) -> _Stopped:
    """The stopped copy's waiting changes, its journal of sent ones and the snapshots of
    the articles they touch."""
    with Library.open(old_path) as old, old.store.reading() as conn:
        if not ob.get_state(conn, "blocked"):
            raise LibraryError("sync of this copy has not stopped: there is nothing to "
                               "re-attach (`sync` works as it is)")
        entries = ob.outbox(conn, 10_000_000)
        journal = sent.sent(conn)
        snaps: dict[str, tuple[Any, Any]] = {}
        for uuid in dict.fromkeys(str(e["uuid"]) for e in entries + journal):
            article_id = ob.article_id_of(conn, uuid)
            snap = ob.snapshot(conn, article_id) if article_id is not None else None
            if snap is not None:
                snaps[uuid] = snap
        return _Stopped(ob.get_state(conn, "library_uuid"), entries, journal,
                        sent.journal_since(conn), snaps)


def plan(entries: list[Change], snaps: dict[str, tuple[Any, Any]], held: dict[str, str],
         whole: set[str] | None = None) -> tuple[list[Change], int, int]:
    """The changes to send again, how many articles go whole, how many changes are dropped
    (a delete, or an edit of an article neither the server nor this copy has any more).
    ``whole``: articles already sent whole (by the recovery of lost changes)."""
    out: list[Change] = []
    created: set[str] = set()
    done = set(whole or ())
    dropped = 0
    for entry in entries:
        uuid, kind = str(entry["uuid"]), str(entry["kind"])
        if kind in ("rename", "name"):  # lists and tags: by name, whatever the server holds
            out.append(entry)
        elif uuid in held:
            out.append({**entry, "uuid": held[uuid]})
        elif kind == "delete" or uuid not in snaps:
            dropped += 1
        elif uuid not in created and uuid not in done:  # the server lost it: whole, once
            created.add(uuid)
            shared, private = snaps[uuid]
            out.append({"change_id": str(uuidlib.uuid4()), "uuid": uuid, "kind": "edit",
                        "base_version": 0, "old": {}, "new": shared})
            if private != ob.PRIVATE_DEFAULT:
                out.append({"change_id": str(uuidlib.uuid4()), "uuid": uuid,
                            "kind": "private", "base_version": 0, "old": {}, "new": private})
    return out, len(created), dropped


def _set_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.stem}.stopped-{stamp}.sqlite")
    os.replace(path, kept)
    return kept


def reattach(location: str, data_dir: Path, prompt: team.Prompt | None = None
             ) -> ReattachReport:
    """Make this computer's copy of ``location`` follow the server as it is now (see the
    module docstring). Raises :class:`LibraryError` with a plain message when there is no
    stopped copy here, or the server cannot be reached or holds no library."""
    url = teamurl.parse(location)
    old_path = team.replica_path(location, data_dir)
    if old_path is None or not old_path.is_file():
        raise LibraryError(f"there is no copy of {url.display} on this computer: nothing to "
                           "re-attach")
    stopped = _stopped(old_path)
    server, password = team.connect(url, prompt)
    try:
        try:
            library_uuid = server.identity()[0]
        except LookupError:
            raise LibraryError(f"{url.display} holds no SpineLib team library now; nothing "
                               f"was changed (your copy stays in {old_path})") from None
        uuids = dict.fromkeys(str(e["uuid"]) for e in stopped.waiting + stopped.journal)
        held = held_articles(server, [(u, stopped.snaps[u][0] if u in stopped.snaps else {})
                                      for u in uuids])
        recovery = Recovery()
        if library_uuid == stopped.library_uuid:  # restored: it may lack what it had taken
            recovery = plan_lost(stopped.journal, held_changes(
                server, [str(e["change_id"]) for e in stopped.journal]), stopped.snaps, held,
                server.private_of(list(held.values())))
        changes, created, dropped = plan(stopped.waiting, stopped.snaps, held, recovery.whole)
    finally:
        server.close()
    kept = _set_aside(old_path)
    team.remember(data_dir, url, library_uuid)
    with team.open_team(location, data_dir, lambda _question: password) as lib:
        lib.sync.pull()  # a fresh copy of the server as it is now
        with lib.store.writing() as conn:  # kept (and sent by the next sync) if a push fails
            ob.enqueue(conn, recovery.changes + changes)
        conflicts = lib.sync.push()[1]
        lib.sync.pull()  # with the changes just sent, merged
    return ReattachReport(kept, library_uuid, len(changes), created, dropped, conflicts,
                          recovery.recovered, tuple(recovery.missing),
                          stopped.journal_since, library_uuid != stopped.library_uuid)


__all__ = ["ReattachReport", "plan", "reattach"]
