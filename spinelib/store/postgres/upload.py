"""A new team library filled from a local library in bulk, in one transaction (issue 13:
``spinelib team create URL --from PATH``).

Pushing the articles as changes (as a client does) costs a merge, a savepoint and a full
``create`` diff per article: 21 s at 10,000 articles. Here the library is created and filled
in **one** server transaction: the schema, roles and library UUID (:func:`.schema.create`),
every document through ``COPY ... FROM STDIN`` (psycopg 3's ``cursor.copy``), then the
``change_log`` (one ``name`` row per list and user tag, one ``create`` row per article, made
on the server from the rows just copied) and the creating login's private rows, each in one
statement.

Promises:
- All or nothing: any failure (a clash, a dropped connection, the caller's own exception while
  it makes the next batch) rolls the whole transaction back, schema and roles included; the
  database is left empty and ``team create --from`` can simply be run again.
- The table's constraints hold as for any write: ``COPY`` checks the primary key and the
  unique ``pmid``/``doi``/``pmcid`` row by row (a clash raises ``UniqueViolation``).
- Private values (read status, rating, notes) become the *creating login's* own rows, written
  through ``article_private``'s row-level security like any other (``COPY FROM`` is not
  allowed there, and is not needed: only articles with non-default values have a row).
- A first copy of the result equals what pushes would have made: the same documents, version
  1, one ``create`` row per article (an empty diff: the document itself is the record; the
  History says who added it), and the ``name`` rows a first copy folds into its lists and
  tags (:func:`.renames.names_at`).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Jsonb

from spinelib.store.postgres.schema import create

IDENTIFIERS = ("pmid", "doi", "pmcid")
_PRIVATE_DEFAULT = (0, 0, "")
#: Private rows per INSERT (arrays of this length are bound as four parameters).
_PRIVATE_CHUNK = 20_000


@dataclass(frozen=True)
class Uploaded:
    """What one upload made: the library's UUID, its articles, private rows and names."""

    library_uuid: str
    articles: int
    private: int
    names: int
    seq: int


class UploadDoc(Protocol):
    """An article to upload: its shared values (the identifiers are read from them), the
    whole shared document as JSON text, and its private values."""

    @property
    def shared(self) -> Mapping[str, Any]: ...

    @property
    def private(self) -> Mapping[str, Any]: ...

    def document_json(self) -> str: ...


def create_from(conn: psycopg.Connection,
                names: Sequence[tuple[str, Mapping[str, Any]]],
                batches: Iterable[Sequence[UploadDoc]],
                ) -> Uploaded:
    """Create the team library on the empty database of ``conn`` (an autocommit connection
    of a login that owns it and may create roles) holding ``names`` (``name`` creation
    events with their log UUIDs) and every document of ``batches``. See the module's
    promises."""
    with conn.transaction():
        library_uuid = create(conn)  # its own transaction becomes a savepoint of this one
        # Nobody can be listening to a library that does not exist yet: no NOTIFY per row.
        conn.execute("ALTER TABLE change_log DISABLE TRIGGER change_log_notify")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO change_log (change_id, article, kind, diff) "
                            "VALUES (%s, %s, 'name', %s)",
                            [(str(uuidlib.uuid4()), uuid, Jsonb(dict(event)))
                             for uuid, event in names])
        articles, private = _copy_articles(conn, batches)
        conn.execute("INSERT INTO change_log (change_id, article, kind, diff) "
                     "SELECT gen_random_uuid(), uuid, 'create', '{}' FROM article")
        _insert_private(conn, private)
        conn.execute("ALTER TABLE change_log ENABLE TRIGGER change_log_notify")
        row = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
    return Uploaded(library_uuid, articles, len(private), len(names), int(row[0]) if row else 0)


def _copy_articles(conn: psycopg.Connection, batches: Iterable[Sequence[UploadDoc]],
                   ) -> tuple[int, list[tuple[str, int, int, str]]]:
    """COPY every document into ``article`` (a fresh UUID each, version 1); the count and
    the non-default private rows (uuid, read status, rating, notes)."""
    count, private = 0, []
    with conn.cursor() as cur, cur.copy(
            "COPY article (uuid, pmid, doi, pmcid, data, version) FROM STDIN",
            # A worker thread sends while this one reads and encodes the next documents
            # (the wait for the server releases the GIL): the two overlap.
            writer=QueuedLibpqWriter(cur)) as copy:
        for batch in batches:
            for doc in batch:
                uuid = str(uuidlib.uuid4())
                get, own = doc.shared.get, doc.private
                copy.write_row((uuid, get("pmid") or None, get("doi") or None,
                                get("pmcid") or None, doc.document_json(), 1))
                values = (int(own.get("read_status") or 0), int(own.get("rating") or 0),
                          str(own.get("notes") or ""))
                if values != _PRIVATE_DEFAULT:
                    private.append((uuid, *values))
            count += len(batch)
    return count, private


def _insert_private(conn: psycopg.Connection, rows: Sequence[tuple[str, int, int, str]]
                    ) -> None:
    """The creating login's private rows (row-level security sets and checks ``login``),
    each with its own seq, as a client's ``private`` change gets."""
    for start in range(0, len(rows), _PRIVATE_CHUNK):
        chunk = rows[start:start + _PRIVATE_CHUNK]
        conn.execute(
            "INSERT INTO article_private (article, read_status, rating, notes, seq) "
            "SELECT a, r, s, n, nextval('change_log_seq_seq') FROM "
            "unnest(%s::uuid[], %s::integer[], %s::integer[], %s::text[]) AS u(a, r, s, n)",
            ([r[0] for r in chunk], [r[1] for r in chunk], [r[2] for r in chunk],
             [r[3] for r in chunk]))


def describe(exc: BaseException) -> str:
    """A server error in one line a user can act on: its message and, for a constraint,
    which value clashed (libpq's DETAIL: "Key (doi)=(10.1/x) already exists.")."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    diag = getattr(exc, "diag", None)
    detail = getattr(diag, "message_detail", None) if diag is not None else None
    return f"{text}: {detail}" if detail else text
