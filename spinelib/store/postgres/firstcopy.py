"""A team library read whole, in batches, for a new client's first copy (``team_clone_100k``).

The general pull (:meth:`spinelib.store.postgres.server.Server.pull`) reads what changed into
memory, which is right for a handful of changes; a whole library read that way held every
document at once (about 9 GB at 100,000 articles). Here the documents come through a
server-side cursor a batch at a time, so the client holds one or two batches however large the
library is.

Promises:
- Everything a :class:`LibraryStream` yields belongs to one snapshot of the server (one
  ``REPEATABLE READ`` transaction): the documents, ``seq`` (the newest change they include)
  and this login's private rows.
- Leaving the ``with`` block early (the replica's write failed, the caller stopped) closes the
  cursor and ends the transaction, so the connection can be used again at once.
- A document's reference list (two thirds of its bytes) arrives as its own JSON *text*
  beside the rest: the replica's shadow stores that text as it came (never encoded again),
  and the rows are parsed from it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from spinelib.store.postgres.renames import names_at

#: Documents per batch: large enough that a round trip (one ``FETCH``) is noise beside the
#: rows, small enough that one batch is a few MB (a document is ~3 KB with its references).
BATCH = 1000

#: One article of a first copy: (uuid, version, its document without ``references``, the
#: reference list's JSON text).
CopyRow = tuple[str, int, dict[str, Any], str]

_DOCUMENTS = ("SELECT uuid::text, version, data - 'references', "
              "coalesce(data -> 'references', '[]')::text FROM article WHERE NOT deleted")


@dataclass
class LibraryStream:
    """The head of a whole-library read and its documents, batch by batch."""

    #: The newest ``change_log`` seq the documents include (the replica's ``last_seen``).
    seq: int
    #: This login's private rows (uuid -> read_status, rating, notes) newer than asked.
    private: dict[str, dict[str, Any]]
    #: The newest private row's seq (the replica's ``last_private``).
    private_seq: int
    batches: Iterator[list[CopyRow]]
    #: Every list and user tag there at ``seq``, as creation events: the empty ones reach a
    #: first copy only this way (articles carry the rest).
    names: list[dict[str, Any]]


@contextmanager
def read_library(conn: psycopg.Connection, private_since: int,
                 batch: int | None = None) -> Iterator[LibraryStream]:
    """Every live article of the library on ``conn`` (an autocommit connection), streamed
    (see the module's promises). No ``ORDER BY``: the documents come in the table's own
    order, so the server never sorts the library before the first row leaves."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        top = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
        private = {str(r[0]): {"read_status": r[1], "rating": r[2], "notes": r[3],
                               "seq": int(r[4])}
                   for r in conn.execute(
                       "SELECT article::text, read_status, rating, notes, seq FROM "
                       "article_private WHERE seq > %s", (private_since,)).fetchall()}
        private_seq = max([private_since] + [p.pop("seq") for p in private.values()])
        seq = int(top[0]) if top else 0
        names = names_at(conn, seq)
        with conn.cursor(name="spinelib_first_copy") as cursor:
            cursor.execute(_DOCUMENTS)
            yield LibraryStream(seq, private, private_seq, _batches(cursor, batch or BATCH),
                                names)


def _batches(cursor: psycopg.ServerCursor[Any], size: int) -> Iterator[list[Any]]:
    while rows := cursor.fetchmany(size):
        yield rows  # (text, int, dict, text): what the query's types load as
