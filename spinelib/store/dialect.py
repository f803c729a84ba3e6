"""What differs between the databases a library can live in, named once.

The store's query modules write portable SQL and ask the dialect for exactly the parts that
are not: conflict handling (upsert, insert-or-ignore), case-insensitive ordering, the
full-text index (its query language, how a row is indexed and matched, relevance), and the
engine-level duties (the write lock, schema versioning, backup and integrity checks).
Counters (``tag_count``, ``facet_count``) are tables kept exact by triggers in each
database's own schema, so the store reads them like any table; a bulk run of new articles
pauses the counting triggers (``triggers_paused``) and counts once.

:mod:`spinelib.store.sqlite` implements both protocols for the embedded default; a second
database (PostgreSQL for a team library) adds a package beside it and touches no query.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from spinelib.store.connection import Connection, StatementListener


class Dialect(Protocol):
    """The SQL text that differs between databases."""

    name: str

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        """INSERT of named parameters (``:column``) that skips a row violating a unique key."""
        ...

    def upsert(self, table: str, columns: Sequence[str], conflict: Sequence[str],
               update: Sequence[str]) -> str:
        """INSERT of named parameters that, on a ``conflict`` key clash, updates ``update``."""
        ...

    def nocase(self, expression: str) -> str:
        """``expression`` ordered and compared without regard to case."""
        ...

    def fulltext_query(self, user_text: str) -> str:
        """Anything a user types as a safe query in the index's language ("" if nothing)."""
        ...

    def search_source(self) -> str:
        """The ``FROM`` item (aliased ``a``) for a full-text search sorted by a table column:
        matches are looked up without reading whole article rows, never ranked (issue 19)."""
        ...

    def walk_source(self) -> str:
        """The ``FROM`` item (aliased ``a``) for a filtered search in the table's default order
        (``added_at``, then ``id``): the articles walked in that order through an index that
        also holds ``year``, ``type`` and ``read_status``, so no match is sorted and no whole
        article row is read (issue 15). Every other column a filter tests must come through
        a sub-select on ``a.id``."""
        ...

    def fulltext_parts_query(self, user_text: str) -> str:
        """Anything a user types as a safe query over the papers' own text; bound beside the
        metadata query as ``{param}_parts`` for :meth:`fulltext_filter` and
        :meth:`fulltext_ranked`."""
        ...

    def fulltext_phrase_in_column(self, column: str, user_text: str, *,
                                  prefix: bool = True) -> str:
        """A safe query matching ``user_text`` as a phrase (its last word a prefix, unless
        ``prefix`` is False) in one column of the index ("" if nothing searchable)."""
        ...

    def metadata_filter(self, param: str) -> str:
        """A predicate on articles (``a.id``) whose metadata index matches ``param`` (not
        the papers' own text: for field-scoped searches such as ``journal:``)."""
        ...

    def fulltext_filter(self, param: str) -> str:
        """A predicate on articles (``a.id``) matching the query bound to ``param`` in their
        metadata or in their own full text (issue 14)."""
        ...

    def fulltext_ranked(self, param: str) -> str:
        """A SELECT of (article id, rank) matching ``param`` in metadata or full text, best
        first when ordered by rank (metadata hits before full-text-only hits)."""
        ...

    def fulltext_ranked_metadata(self, param: str) -> str:
        """Like :meth:`fulltext_ranked` over the metadata index alone."""
        ...

    def fulltext_parts_ids(self, param: str) -> str:
        """A SELECT of the ``fulltext_part`` ids whose text (the papers' own: PDF pages,
        JATS sections) matches ``param``; this index is separate from the metadata one."""
        ...

    def fulltext_in_column(self, column: str, query: str) -> str:
        """A query (from :meth:`fulltext_query`) matching rows with any of its terms in
        one metadata index ``column`` (where a search matched, for ``list --search``)."""
        ...

    def fulltext_replace(self, conn: Connection, article_id: int,
                         columns: dict[str, str]) -> None:
        """(Re)index one article's searchable text (``columns``: index column -> text)."""
        ...

    def fulltext_replace_many(self, conn: Connection,
                              docs: Sequence[tuple[int, Mapping[str, str]]]) -> None:
        """:meth:`fulltext_replace` of many articles (article id, index column -> text),
        in a few statements instead of two per article; the ids may be scattered."""
        ...

    def fulltext_delete(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """Drop articles from the full-text index."""
        ...

    def fulltext_set_column(self, conn: Connection, column: str,
                            texts: Sequence[tuple[int, str]]) -> set[int]:
        """Rewrite one column of articles' index rows (article id, new text), the other
        columns as they are; the ids that had a row to rewrite."""
        ...

    def fulltext_insert_new(self, conn: Connection,
                            docs: Sequence[tuple[int, Mapping[str, str]]]) -> None:
        """Index new articles (article id, index column -> text) in one statement;
        any stale index row under those ids is dropped first (issue 19: the bulk path)."""
        ...

    def roomy_cache(self, conn: Connection, max_kib: int | None = None
                    ) -> contextlib.AbstractContextManager[None]:
        """While a bulk write runs (restoring 1,000 articles' 30,000 rows into big indexes),
        give this connection a larger page cache, at most ``max_kib`` KiB when given (the
        dialect's own ceiling otherwise); the usual size again after."""
        ...

    def triggers_paused(self, conn: Connection, names: Sequence[str]
                        ) -> contextlib.AbstractContextManager[None]:
        """Inside the caller's transaction (or savepoint), the named triggers that exist are
        dropped for the block and created again from their stored definitions when it ends;
        the caller does in one statement what they would have done row by row (issue 19:
        count tables filled per batch). If the block fails, the caller's rollback restores
        them with everything else."""
        ...


class Engine(Protocol):
    """One opened library database: transactions and upkeep."""

    dialect: Dialect
    listeners: list[StatementListener]

    @property
    def location(self) -> Path: ...

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        """A read-only snapshot: one deferred transaction, rolled back at the end."""
        ...

    def writing(self) -> contextlib.AbstractContextManager[Connection]:
        """One write = one transaction holding the write lock from its start; commit on
        success, roll everything back on any error."""
        ...

    def bulk_writing(self) -> contextlib.AbstractContextManager[Connection]:
        """:meth:`writing` for filling a nearly empty database in bulk (a replica's first
        copy): the same one all-or-nothing transaction, written the cheapest safe way."""
        ...

    def reference_lookups_deferred(self) -> contextlib.AbstractContextManager[None]:
        """For a large import's many write transactions: the indexes that look references
        up by identifier set aside (committed), and made again when the block ends,
        however it ends; a library left without them (a killed process) gets them back
        when it is next opened. Reads stay correct meanwhile, only slower."""
        ...

    def writing_checkpoint_later(self) -> contextlib.AbstractContextManager[Connection]:
        """:meth:`writing` for a big change (an undo or restore of many articles): upkeep
        its commit would do for the whole file (SQLite's WAL checkpoint) is done
        afterwards, off the caller's path; nested in a write, it joins it."""
        ...

    def changed_elsewhere(self) -> bool:
        """Whether someone else (another process, another engine on the same database)
        has committed a change since the last call; the first call starts watching and
        says False. This engine's own writes never count."""
        ...

    def schema_version(self) -> int:
        """The version of the schema the database holds now."""
        ...

    def backup_to(self, dest: Path) -> Path:
        """A consistent copy at ``dest``, safe while other processes write."""
        ...

    def automatic_backup(self, reason: str) -> Path:
        """A copy into the library's backups folder, keeping the newest few."""
        ...

    def newest_backup(self) -> Path | None: ...

    def quick_check(self) -> list[str]:
        """Problems a fast structural check finds ([] = sound)."""
        ...

    def integrity_problems(self) -> list[str]:
        """Every problem the database's full checks and ours find ([] = healthy)."""
        ...

    def damaged(self, exc: BaseException) -> Exception:
        """The plain error for a database the engine cannot read, naming the newest backup."""
        ...

    def close(self) -> None: ...
