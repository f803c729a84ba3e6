"""The library file: creation, refusal of foreign or newer files, migration backups, checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spinelib.errors import LibraryError
from spinelib.library import Library
from spinelib.store import sqlite as db

from .helpers import make_record


def test_new_library_has_schema_wal_and_fts(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'article_fts'").fetchone()[0]
    assert "remove_diacritics 2" in sql


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a text file, not a library\n" * 10)
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="not a SpineLib library"):
        Library.open(path)
    assert path.read_bytes() == before


def test_truncated_library_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        for n in range(30):
            lib.articles.add_record(make_record(doi=f"10.1234/{n}", pmid=str(n + 1), title=f"T {n}"))
        lib.backup()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="damaged.*newest backup is") as info:
        Library.open(path)
    assert path.read_bytes() == before
    assert "Traceback" not in str(info.value)


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer SpineLib"):
        Library.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a SpineLib library"):
        Library.open(path)


def test_migration_backs_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record())
    calls: list[int] = []

    def step_two(conn: sqlite3.Connection) -> None:
        calls.append(2)
        conn.execute("ALTER TABLE article ADD COLUMN extra TEXT DEFAULT ''")

    current = db.SCHEMA_VERSION
    monkeypatch.setattr(db, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(db.MIGRATIONS, current + 1, step_two)
    with Library.open(path) as lib:
        assert lib.search.count() == 1
    assert calls == [2]
    from spinelib.paths import backup_dir
    backups = list(backup_dir(path).glob(f"lib-*-before-v{current + 1}.sqlite"))
    assert len(backups) == 1
    assert db.read_schema_version(backups[0]) == current


def test_failed_migration_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record())

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE article ADD COLUMN extra TEXT")
        raise sqlite3.OperationalError("simulated failure")

    current = db.SCHEMA_VERSION
    monkeypatch.setattr(db, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(db.MIGRATIONS, current + 1, broken)
    with pytest.raises(LibraryError, match="cannot upgrade"):
        Library.open(path)
    assert db.read_schema_version(path) == current
    cols = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(article)")]
    assert "extra" not in cols


def test_backup_and_restore(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record())
        copy = lib.backup(tmp_path / "copy.sqlite")
        lib.articles.delete(lib.search.ids())
        assert lib.search.count() == 0
    saved = db.restore(path, copy)
    assert saved is not None and saved.exists()
    with Library.open(path) as lib:
        assert lib.search.count() == 1
        assert lib.check() == []


def test_restore_refuses_junk(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    Library.open(path).close()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(LibraryError, match="not a SpineLib library"):
        db.restore(path, junk)


def test_automatic_backups_keep_seven(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    Library.open(path).close()
    for _ in range(10):
        db.automatic_backup(path, "test")
    from spinelib.paths import backup_dir
    assert len(list(backup_dir(path).glob("lib-*.sqlite"))) == db.BACKUPS_KEPT


def test_unwritable_directory_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(LibraryError, match="cannot create"):
        Library.open(blocker / "lib.sqlite")
