"""A thin, typed wrapper over one DB-API connection: the only way the store runs SQL.

Why not the raw driver: the store's query modules need the same few verbs whatever the
database (``scalar``, ``first``, ``all``, ``column``, ``savepoint``), and one place where every
statement passes lets a test watch them (``listeners``: the GUI proves no SQL runs on its
thread). Statements use named parameters (``:name``); a dialect whose driver wants another
style translates them in :meth:`Dialect.paramstyle <spinelib.store.dialect.Dialect>`.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

Params = Mapping[str, Any] | Sequence[Any]
#: Called with every statement before it runs (tests watch threads with it).
StatementListener = Callable[[str], None]


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    rowcount: int

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class RawConnection(Protocol):
    """The part of a DB-API connection the store uses."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def executemany(self, sql: str, params: Any, /) -> Any: ...
    def cursor(self) -> Any: ...


_savepoints = itertools.count(1)


class Connection:
    """One connection inside one transaction (see the engine's ``reading``/``writing``)."""

    def __init__(self, raw: RawConnection, listeners: Sequence[StatementListener] = ()) -> None:
        self.raw = raw
        self._listeners = listeners

    def changes(self) -> int | None:
        """How many rows this connection has written since it opened (SQLite's
        ``total_changes``, triggers included), or None when the driver does not say. Two
        equal readings mean nothing was written in between."""
        value = getattr(self.raw, "total_changes", None)
        return value if isinstance(value, int) else None

    def _notify(self, sql: str) -> None:
        for listener in self._listeners:
            listener(sql)

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        self._notify(sql)
        cursor: Cursor = self.raw.execute(sql, params)
        return cursor

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement for many parameter sets; returns the rows changed."""
        self._notify(sql)
        cursor: Cursor = self.raw.executemany(sql, rows)
        return int(cursor.rowcount)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def first(self, sql: str, params: Params = ()) -> Any:
        """The first row (key and index access), or None."""
        return self.execute(sql, params).fetchone()

    def one(self, sql: str, params: Params = ()) -> Any:
        """Exactly one row; a missing row is a bug in the caller (LookupError)."""
        row = self.execute(sql, params).fetchone()
        if row is None:
            raise LookupError(f"no row for: {sql.split(chr(10))[0][:80]}")
        return row

    def all(self, sql: str, params: Params = ()) -> list[Any]:
        return self.execute(sql, params).fetchall()

    def column(self, sql: str, params: Params = ()) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in self.execute(sql, params)]

    def plain_column(self, sql: str, params: Params = ()) -> list[Any]:
        """:meth:`column` for a statement of one column, read as plain tuples: no row object
        (key access) is built per row. A search's ids at 100,000 articles: building 90,000
        row objects cost about as much as the query itself (issue 15)."""
        return [value for (value,) in self._plain(sql, params)]

    def plain_rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """:meth:`all` read as plain tuples (index access only): for reads of millions of
        rows, where a row object each is work nobody uses."""
        rows: list[tuple[Any, ...]] = self._plain(sql, params).fetchall()
        return rows

    def _plain(self, sql: str, params: Params) -> Cursor:
        """``sql`` run on a cursor of its own that makes plain tuples (the connection's
        other reads keep their row objects)."""
        self._notify(sql)
        cursor = self.raw.cursor()
        cursor.row_factory = None
        executed: Cursor = cursor.execute(sql, params)
        return executed

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: an error inside rolls back only what it wrote."""
        name = f"sp{next(_savepoints)}"
        self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.execute(f"ROLLBACK TO {name}")
            self.execute(f"RELEASE {name}")
            raise
        self.execute(f"RELEASE {name}")


def id_list(ids: Iterable[int]) -> str:
    """Integer ids as an SQL list literal (ints only, so it is safe to inline); NULL if empty.

    Inlining beats hundreds of bound parameters for the table's page-sized id lists."""
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
