"""Which articles and changes a team server holds, by UUID or by identifier (for re-attaching
a copy to a restored or replaced server: its waiting changes are sent to the articles the
server has, and the changes it had acknowledged but lost are sent again)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spinelib.store.postgres.server import IDENTIFIERS, Server


def held_articles(server: Server, wanted: Sequence[tuple[str, Mapping[str, Any]]]
                  ) -> dict[str, str]:
    """For each (uuid, identifiers) the UUID the server holds that article under (its own
    UUID, or another one with the same DOI/PMID/PMCID); articles it lacks are left out."""
    uuids = [u for u, _ in wanted]
    held = {str(r[0]) for r in server.conn.execute(
        "SELECT uuid::text FROM article WHERE NOT deleted AND uuid = ANY(%s::uuid[])",
        (uuids,)).fetchall()}
    found = {u: u for u in uuids if u in held}
    for uuid, idents in wanted:
        if uuid in found:
            continue
        for ident in IDENTIFIERS:
            if idents.get(ident):
                row = server.conn.execute(f"SELECT uuid::text FROM article WHERE NOT deleted "
                                          f"AND {ident} = %s", (idents[ident],)).fetchone()
                if row is not None:
                    found[uuid] = str(row[0])
                    break
    return found


def held_changes(server: Server, change_ids: Sequence[str]) -> set[str]:
    """Which of ``change_ids`` the server's ``change_log`` holds (a server restored from an
    older backup lacks the ones it acknowledged after that backup)."""
    held: set[str] = set()
    for start in range(0, len(change_ids), 10_000):
        held |= {str(r[0]) for r in server.conn.execute(
            "SELECT change_id::text FROM change_log WHERE change_id = ANY(%s::uuid[])",
            (list(change_ids[start:start + 10_000]),)).fetchall()}
    return held


__all__ = ["held_articles", "held_changes"]
