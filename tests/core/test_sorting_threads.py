"""Indexes built from whole tables (a team copy's dropped indexes, a large import's
set-aside reference indexes) are sorted with SQLite's helper threads in the connection's
small page cache, and the connection's own settings are back afterwards, also after a
failed build (issue 19: spinelib/store/sqlite/dialect.py, ``sorting_threads``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spinelib.store import Store
from spinelib.store.clone import Clone
from spinelib.store.connection import Connection
from spinelib.store.sqlite import deferred_indexes
from spinelib.store.sqlite.dialect import SORT_THREADS, sorting_threads


class Watching(Connection):
    """A connection that notes, for every ``CREATE INDEX``, the sorter threads and the page
    cache in force when it ran; ``fail_on`` makes the named index's build fail."""

    def __init__(self, raw: sqlite3.Connection, fail_on: str = "") -> None:
        super().__init__(raw)
        self.builds: list[tuple[str, int, int]] = []
        self.fail_on = fail_on

    def execute(self, sql: str, params: Any = ()) -> Any:
        if sql.startswith("CREATE INDEX"):
            name = sql.split()[2].strip('"')
            self.builds.append((name, int(self.raw.execute("PRAGMA threads").fetchone()[0]),
                                int(self.raw.execute("PRAGMA cache_size").fetchone()[0])))
            if name == self.fail_on:
                raise sqlite3.OperationalError("disk I/O error")
        return super().execute(sql, params)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "lib.sqlite")
    try:
        yield opened
    finally:
        opened.close()


def _threads(conn: Connection) -> int:
    return int(conn.scalar("PRAGMA threads"))


def test_sorting_threads_are_the_blocks_alone(store: Store) -> None:
    assert SORT_THREADS >= 1
    with store.writing() as conn:
        before = _threads(conn)
        with sorting_threads(conn):
            assert _threads(conn) == SORT_THREADS
        assert _threads(conn) == before
        with pytest.raises(RuntimeError, match="boom"), sorting_threads(conn):
            raise RuntimeError("boom")
        assert _threads(conn) == before


def test_a_copy_builds_its_indexes_with_threads_in_the_small_cache(store: Store) -> None:
    with store.writing() as conn:
        own_cache, own_threads = int(conn.scalar("PRAGMA cache_size")), _threads(conn)
        watching = Watching(conn.raw)
        with Clone(watching, store.fulltext, store.tagcounts):
            pass
        built = {n for n, _t, _c in watching.builds}
        assert {"ix_reference_article", "ix_reference_doi", "ix_reference_pmid",
                "ix_reference_pmcid", "ix_author_family", "ix_article_tag_tag"} <= built
        assert {(t, c) for _n, t, c in watching.builds} == {(SORT_THREADS, own_cache)}
        assert int(conn.scalar("PRAGMA cache_size")) == own_cache
        assert _threads(conn) == own_threads
        names = {str(n) for n in conn.column(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert built <= names


def test_a_failed_copy_gives_the_connection_its_settings_back(store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"), \
            store.writing() as conn:
        own_cache, own_threads = int(conn.scalar("PRAGMA cache_size")), _threads(conn)
        watching = Watching(conn.raw, fail_on="ix_reference_doi")
        try:
            with Clone(watching, store.fulltext, store.tagcounts):
                pass
        finally:
            assert int(conn.scalar("PRAGMA cache_size")) == own_cache
            assert _threads(conn) == own_threads
    with store.reading() as conn:  # rolled back: every index is still there
        assert not deferred_indexes.missing(conn)


def test_set_aside_reference_indexes_are_made_with_threads(store: Store) -> None:
    with store.writing() as conn:
        deferred_indexes.set_aside(conn)
    with store.writing() as conn:
        before = _threads(conn)
        watching = Watching(conn.raw)
        made = deferred_indexes.restore(watching)
        assert sorted(made) == sorted(deferred_indexes.DEFERRED)
        assert [(n, t) for n, t, _c in watching.builds] == [
            (n, SORT_THREADS) for n in made]
        assert _threads(conn) == before and not deferred_indexes.missing(conn)
