"""SQL for the undo log (``undo_log``): each operation's name and the packed snapshots of
what it touched, before and after (see :mod:`spinelib.store.snapshots`)."""

from __future__ import annotations

from spinelib.curation_results import Operation
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect


class HistorySql:
    """Statements over ``undo_log``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def add(self, conn: Connection, name: str, when: str, before: bytes, after: bytes) -> int:
        """Log an operation; the redo branch (operations undone) is dropped, as editors do."""
        conn.execute("DELETE FROM undo_log WHERE undone = 1")
        return int(conn.one(
            "INSERT INTO undo_log (name, created_at, undone, before_state, after_state) "
            "VALUES (:n, :w, 0, :b, :a) RETURNING id",
            {"n": name, "w": when, "b": before, "a": after})[0])

    def trim(self, conn: Connection, keep: int) -> None:
        """Keep the newest ``keep`` operations."""
        conn.execute("DELETE FROM undo_log WHERE id NOT IN "
                     "(SELECT id FROM undo_log ORDER BY id DESC LIMIT :k)", {"k": keep})

    def last(self, conn: Connection, undone: bool) -> tuple[Operation, bytes, bytes] | None:
        """The newest operation still done (to undo) or the oldest undone one (to redo)."""
        order = "ASC" if undone else "DESC"
        r = conn.first("SELECT id, name, created_at, undone, before_state, after_state "
                       f"FROM undo_log WHERE undone = :u ORDER BY id {order} LIMIT 1",
                       {"u": int(undone)})
        if r is None:
            return None
        return Operation(int(r[0]), r[1], r[2], bool(r[3])), bytes(r[4]), bytes(r[5])

    def set_undone(self, conn: Connection, op_id: int, undone: bool) -> None:
        conn.execute("UPDATE undo_log SET undone = :u WHERE id = :i",
                     {"u": int(undone), "i": op_id})

    def operations(self, conn: Connection) -> list[Operation]:
        return [Operation(int(r[0]), r[1], r[2], bool(r[3])) for r in conn.execute(
            "SELECT id, name, created_at, undone FROM undo_log ORDER BY id DESC")]
