"""SQL for the queue of identifiers waiting for the network (``pending_import``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from spinelib.results import PendingItem
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect
from spinelib.store.mapping import json_list


class PendingSql:
    """Statements over ``pending_import``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def queue(self, conn: Connection, identifier: str, reason: str, queued_at: str,
              tags: Sequence[str], with_references: bool, lists: Sequence[str] = ()) -> None:
        """Queue an identifier; queued again, it counts one more attempt with the new reason,
        and keeps the tags and reading lists of every request (the first ones first)."""
        held = conn.first("SELECT tags, lists FROM pending_import WHERE identifier = :i",
                          {"i": identifier})
        if held is not None:
            tags = list(dict.fromkeys([*map(str, json_list(held[0])), *tags]))
            lists = list(dict.fromkeys([*map(str, json_list(held[1])), *lists]))
        conn.execute(
            "INSERT INTO pending_import (identifier, reason, queued_at, attempts, tags, "
            "with_references, lists) VALUES (:i, :r, :q, 1, :t, :w, :l) "
            "ON CONFLICT(identifier) DO UPDATE SET reason = :r, "
            "attempts = pending_import.attempts + 1, tags = :t, lists = :l",
            {"i": identifier, "r": reason, "q": queued_at, "t": json.dumps(list(tags)),
             "w": with_references, "l": json.dumps(list(lists))})

    def all(self, conn: Connection) -> list[PendingItem]:
        return [PendingItem(r["identifier"], r["reason"], r["queued_at"], int(r["attempts"]),
                            [str(t) for t in json_list(r["tags"])], bool(r["with_references"]),
                            [str(n) for n in json_list(r["lists"])])
                for r in conn.execute("SELECT * FROM pending_import ORDER BY id")]

    def count(self, conn: Connection) -> int:
        return int(conn.scalar("SELECT count(*) FROM pending_import"))

    def remove(self, conn: Connection, identifiers: Iterable[str]) -> None:
        conn.executemany("DELETE FROM pending_import WHERE identifier = :i",
                         [{"i": i} for i in identifiers])
