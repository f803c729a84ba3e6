"""SQL for exports kept up to date (``kept_export``): where, in what format, of what scope."""

from __future__ import annotations

from spinelib.results import KeptExport
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect


class ExportSql:
    """Statements over ``kept_export`` (one row per target file, keyed by its path)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def put(self, conn: Connection, e: KeptExport) -> None:
        """Register (or re-register, replacing the earlier settings) the export at e.path."""
        conn.execute(
            "INSERT INTO kept_export (path, format, style, html, abstracts, scope, "
            "last_written, last_error) VALUES (:p, :f, :s, :h, :a, :sc, :w, :e) "
            "ON CONFLICT(path) DO UPDATE SET format = :f, style = :s, html = :h, "
            "abstracts = :a, scope = :sc, last_written = :w, last_error = :e",
            {"p": e.path, "f": e.format, "s": e.style, "h": e.html, "a": e.abstracts,
             "sc": e.scope, "w": e.last_written, "e": e.last_error})

    def all(self, conn: Connection) -> list[KeptExport]:
        return [KeptExport(r["path"], r["format"], r["style"], bool(r["html"]),
                           bool(r["abstracts"]), r["scope"], r["last_written"] or "",
                           r["last_error"] or "")
                for r in conn.execute("SELECT * FROM kept_export ORDER BY path")]

    def remove(self, conn: Connection, path: str) -> int:
        return int(conn.execute("DELETE FROM kept_export WHERE path = :p",
                                {"p": path}).rowcount)

    def mark(self, conn: Connection, path: str, *, written: str | None, error: str) -> None:
        """Record the outcome of a sync: when it was written (None: unchanged), or why not."""
        if written is None:
            conn.execute("UPDATE kept_export SET last_error = :e WHERE path = :p",
                         {"e": error, "p": path})
        else:
            conn.execute("UPDATE kept_export SET last_written = :w, last_error = :e "
                         "WHERE path = :p", {"w": written, "e": error, "p": path})

    def change_stamp(self, conn: Connection) -> str:
        """A value that changes with every change an export could show (articles added,
        edited or deleted, tags, reading lists; by any process): the ``change_counter`` its
        triggers keep, and the kept exports themselves."""
        row = conn.one("SELECT (SELECT n FROM change_counter WHERE id = 1), "
                       "(SELECT count(*) FROM kept_export)")
        return f"{row[0]}|{row[1]}"
