"""Staged bulk inserts (store/staging.py): the same rows, order, skips and triggers as
inserting them one by one, for small batches (direct) and big ones (through a temp table)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from spinelib.store import staging
from spinelib.store.connection import Connection


@pytest.fixture
def conn() -> Iterator[Connection]:
    raw = sqlite3.connect(":memory:", isolation_level=None)
    raw.executescript(
        "CREATE TABLE tag (id TEXT PRIMARY KEY);"
        "CREATE TABLE item (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, n INTEGER, note TEXT);"
        "CREATE TABLE seen (n INTEGER);"
        "CREATE TRIGGER item_seen AFTER INSERT ON item BEGIN "
        "INSERT INTO seen VALUES (new.n); END;"
        "INSERT INTO tag VALUES ('a'), ('b');")
    raw.execute("BEGIN")
    yield Connection(raw)
    raw.close()


@pytest.mark.parametrize("count", [3, staging.MIN_STAGED, 500])
def test_rows_land_in_order_with_triggers_and_the_condition(conn: Connection,
                                                            count: int) -> None:
    rows = [("abc"[i % 3], str(count - i), None if i % 2 else f"n{i}") for i in range(count)]
    staging.insert_rows(conn, "item", ("tag", "n", "note"), rows,
                        where="EXISTS (SELECT 1 FROM tag WHERE id = s.c0)")
    kept = [r for r in rows if r[0] != "c"]  # tag 'c' does not exist: skipped
    got = conn.execute("SELECT tag, n, note FROM item ORDER BY id").fetchall()
    # The column's INTEGER affinity applies as for a direct insert ('7' becomes 7).
    assert got == [(t, int(n), note) for t, n, note in kept]
    assert [r[0] for r in conn.execute("SELECT n FROM seen ORDER BY rowid")] == \
        [int(n) for _t, n, _note in kept]
    # The staging table is left empty for the next batch.
    if count >= staging.MIN_STAGED:
        assert conn.scalar("SELECT count(*) FROM temp.spinelib_stage_3") == 0


def test_a_failing_row_fails_the_whole_batch(conn: Connection) -> None:
    rows = [("a", i, None) for i in range(200)] + [(None, 1, None)]  # tag NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        staging.insert_rows(conn, "item", ("tag", "n", "note"), rows)
    assert conn.scalar("SELECT count(*) FROM item") == 0


def test_nothing_to_insert(conn: Connection) -> None:
    staging.insert_rows(conn, "item", ("tag", "n", "note"), [])
    assert conn.scalar("SELECT count(*) FROM item") == 0
