"""``Store.bulk_writing`` (a replica's first copy, issue 13): one all-or-nothing write that
goes through a rollback journal instead of the WAL when it can, so the data is written once.
It must keep :meth:`writing`'s promise whatever happens: an error or a killed process leaves
the file as it was, and the file is in WAL mode again afterwards."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spinelib.store import Store

#: Rows of ~4 KB: enough to overflow a small page cache, so pages reach the file mid-write.
ROWS = 3000


def _mode(path: Path) -> str:
    raw = sqlite3.connect(path)
    try:
        return str(raw.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        raw.close()


def _fill(store: Store, rows: int) -> list[str]:
    """Write ``rows`` large rows in one bulk write; the journal modes seen inside it."""
    seen = []
    with store.bulk_writing() as conn:
        seen.append(str(conn.scalar("PRAGMA journal_mode")))
        conn.execute("CREATE TABLE IF NOT EXISTS bulk (x)")
        conn.execute("PRAGMA cache_size = 50")
        for _ in range(rows):
            conn.execute("INSERT INTO bulk VALUES (randomblob(4000))")
    return seen


def test_a_lone_bulk_write_uses_a_rollback_journal_and_ends_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    store = Store.open(path)
    try:
        assert _fill(store, ROWS) == ["delete"]
        with store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM bulk") == ROWS
            assert conn.scalar("PRAGMA journal_mode") == "wal"
    finally:
        store.close()
    assert _mode(path) == "wal"
    assert not (tmp_path / "lib.sqlite-journal").exists()


def test_with_another_connection_open_the_bulk_write_goes_through_the_wal(
        tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    store = Store.open(path)
    other = sqlite3.connect(path)  # another reader (a GUI, another process)
    try:
        other.execute("SELECT count(*) FROM article").fetchone()
        assert _fill(store, 10) == ["wal"]
        assert other.execute("SELECT count(*) FROM bulk").fetchone()[0] == 10
    finally:
        other.close()
        store.close()
    assert _mode(path) == "wal"


def test_an_error_in_a_bulk_write_keeps_nothing_and_leaves_wal(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    store = Store.open(path)
    try:
        with pytest.raises(RuntimeError), store.bulk_writing() as conn:
            conn.execute("CREATE TABLE bulk (x)")
            conn.execute("PRAGMA cache_size = 50")
            for _ in range(ROWS):
                conn.execute("INSERT INTO bulk VALUES (randomblob(4000))")
            raise RuntimeError("the server went away")
        with store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'bulk'") == 0
        assert _fill(store, 5) == ["delete"]  # and the next one works
    finally:
        store.close()
    assert _mode(path) == "wal"


def test_a_process_killed_mid_bulk_write_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    """The hard case: the process dies with half the rows in the file (the page cache
    overflowed) and a hot rollback journal beside it. The next open rolls it back."""
    path = tmp_path / "lib.sqlite"
    Store.open(path).close()
    script = textwrap.dedent(f"""
        import os
        from spinelib.store import Store
        store = Store.open({str(path)!r})
        with store.bulk_writing() as conn:
            conn.execute("CREATE TABLE bulk (x)")
            conn.execute("PRAGMA cache_size = 50")
            for _ in range({ROWS}):
                conn.execute("INSERT INTO bulk VALUES (randomblob(4000))")
            print(os.path.getsize({str(path)!r}), flush=True)
            os._exit(3)  # killed: no rollback, no commit, no close
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.returncode == 3, done.stderr
    assert int(done.stdout) > ROWS * 2000  # the rows had reached the file itself
    assert (tmp_path / "lib.sqlite-journal").exists()  # a hot journal: the write was open
    store = Store.open(path)
    try:
        with store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'bulk'") == 0
            assert conn.scalar("PRAGMA integrity_check") == "ok"
        assert _fill(store, 5) == ["delete"]
    finally:
        store.close()
    assert _mode(path) == "wal"


def test_opening_a_file_during_a_long_bulk_write_says_it_is_busy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second SpineLib opening the replica while a first copy holds it (rollback journal,
    pages already in the file) gets a plain "busy" message, not "damaged"."""
    from spinelib.errors import LibraryError
    from spinelib.store.sqlite import files, migrations

    monkeypatch.setattr(migrations, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(files, "HOT_JOURNAL_WAIT_S", 0.1)
    path = tmp_path / "lib.sqlite"
    store = Store.open(path)
    try:
        with store.bulk_writing() as conn:
            conn.execute("CREATE TABLE bulk (x)")
            conn.execute("PRAGMA cache_size = 50")
            for _ in range(ROWS):
                conn.execute("INSERT INTO bulk VALUES (randomblob(4000))")
            with pytest.raises(LibraryError, match="is busy: another SpineLib is writing") as err:
                Store.open(path)
            assert "damaged" not in str(err.value)
        second = Store.open(path)  # once the write is done it opens as ever
        with second.reading() as conn2:
            assert conn2.scalar("SELECT count(*) FROM bulk") == ROWS
        second.close()
    finally:
        store.close()
