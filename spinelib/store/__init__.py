"""The store: the only code that speaks SQL (docs/ARCHITECTURE.md).

:class:`Store` bundles an engine (one database, its transactions and upkeep) with the query
modules the library managers call. Each query module takes the caller's
:class:`~spinelib.store.connection.Connection`, so a manager composes several statements in
one transaction; what differs between databases is asked of the engine's dialect.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from spinelib.store.articles import ArticleSql
from spinelib.store.attachments import AttachmentSql
from spinelib.store.bulk import BulkSql
from spinelib.store.connection import Connection, StatementListener
from spinelib.store.curation import CurationSql
from spinelib.store.dialect import Dialect, Engine
from spinelib.store.edits import EditSql
from spinelib.store.evidence import EvidenceSql
from spinelib.store.exports import ExportSql
from spinelib.store.fulltext import FulltextSql
from spinelib.store.history import HistorySql
from spinelib.store.lists import ListSql
from spinelib.store.marks import MarkSql
from spinelib.store.pending import PendingSql
from spinelib.store.queries import Filter, QuerySql
from spinelib.store.retractions import RetractionSql
from spinelib.store.snapshots import SnapshotSql
from spinelib.store.tagcounts import TagCountSql
from spinelib.store.tags import TagSql
from spinelib.store.trash import TrashSql
from spinelib.store.watches import WatchSql


class Store:
    """An opened library database and the SQL the library uses on it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect: Dialect = engine.dialect
        self.articles = ArticleSql(self.dialect)
        self.tags = TagSql(self.dialect)
        self.fulltext = FulltextSql(self.dialect, self.articles, self.tags)
        self.lists = ListSql(self.dialect)
        self.pending = PendingSql(self.dialect)
        self.queries = QuerySql(self.dialect)
        self.exports = ExportSql(self.dialect)
        self.retractions = RetractionSql(self.dialect)
        self.watches = WatchSql(self.dialect)
        self.evidence = EvidenceSql(self.dialect)
        self.attachments = AttachmentSql(self.dialect)
        # Curation (issue 15): snapshots for the trash and undo, edits, the undo log.
        self.snapshots = SnapshotSql(self.dialect, self.fulltext)
        self.marks = MarkSql(self.fulltext)  # issue 19: undo of marking, without references
        self.trash = TrashSql(self.dialect)
        self.edits = EditSql(self.dialect)
        self.curation = CurationSql(self.dialect)
        self.history = HistorySql(self.dialect)
        # Issue 19: subtree counts kept exact, settled inside every write before COMMIT.
        self.tagcounts = TagCountSql()
        hooks = getattr(engine, "before_commit", None)
        if hooks is not None:
            hooks.append(self.tagcounts.settle)
        self.bulk = BulkSql(self.dialect)  # issue 19: the bulk import path's set look-ups

    @classmethod
    def open(cls, location: Path | str) -> Store:
        """Open (creating or upgrading as needed) the library at ``location`` (a file path)."""
        from spinelib.store.sqlite import SqliteEngine

        return cls(SqliteEngine.open(Path(location)))

    @property
    def location(self) -> Path:
        return self.engine.location

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        return self.engine.reading()

    def writing(self) -> contextlib.AbstractContextManager[Connection]:
        return self.engine.writing()

    def bulk_writing(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction filling a nearly empty library in bulk (a replica's first
        copy): as :meth:`writing`, written the cheapest safe way (Engine.bulk_writing)."""
        return self.engine.bulk_writing()

    def reference_lookups_deferred(self) -> contextlib.AbstractContextManager[None]:
        """Around a large import's batches: reference identifier indexes built once at the
        end instead of updated row by row (Engine.reference_lookups_deferred)."""
        return self.engine.reference_lookups_deferred()

    def writing_checkpoint_later(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction of a big change (an undo or restore of many articles) whose
        commit leaves the file's upkeep to a thread (see
        :meth:`Engine.writing_checkpoint_later`)."""
        return self.engine.writing_checkpoint_later()

    def watch_statements(self, listener: StatementListener) -> None:
        """Call ``listener`` with every statement before it runs (tests watch threads)."""
        self.engine.listeners.append(listener)

    def unwatch_statements(self, listener: StatementListener) -> None:
        self.engine.listeners.remove(listener)

    def close(self) -> None:
        self.engine.close()


__all__ = ["Connection", "Dialect", "Engine", "Filter", "Store"]
