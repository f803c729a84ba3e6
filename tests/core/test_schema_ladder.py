"""The schema ladder: every released version's DDL is frozen, so a library created at any
historical version and migrated ends with exactly the schema of a library created new; and a
new step (a test migration adding a column) runs on both kinds of library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.store.sqlite import MIGRATIONS, migrate, read_schema_version, target_version
from spinelib.store.sqlite.schema_v1 import V1_DDL

V1_FILE = Path(__file__).resolve().parent.parent / "data" / "library-v1.sqlite"


def schema(path: Path) -> list[tuple[str, str, str]]:
    """Every schema object (type, name, SQL text), sorted: what 'identical' compares."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                            "ORDER BY type, name").fetchall()
    finally:
        conn.close()
    return [(str(t), str(n), str(s)) for t, n, s in rows]


def created_at(version: int, path: Path) -> Path:
    path.touch()
    migrate(path, 0, target=version)
    assert read_schema_version(path) == version
    return path


def test_schema_1_is_frozen_as_released() -> None:
    """Step 1 is the released file's own DDL, not anything compiled from today's code."""
    # immutable: the committed file must not gain -wal/-shm companions from being read.
    conn = sqlite3.connect(V1_FILE.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        released = [r[0] for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
            "'article_fts_%' ORDER BY rowid")]
    finally:
        conn.close()
    assert list(V1_DDL) == released


@pytest.mark.parametrize("version", sorted(MIGRATIONS))
def test_every_historical_version_migrates_to_the_new_schema(tmp_path: Path,
                                                             version: int) -> None:
    old = created_at(version, tmp_path / f"v{version}.sqlite")
    Library.open(old).close()
    Library.open(tmp_path / "new.sqlite").close()
    assert read_schema_version(old) == target_version()
    assert schema(old) == schema(tmp_path / "new.sqlite")


def test_the_released_v1_file_migrates_to_the_new_schema(tmp_path: Path) -> None:
    copy = tmp_path / "released.sqlite"
    copy.write_bytes(V1_FILE.read_bytes())
    Library.open(copy).close()
    Library.open(tmp_path / "new.sqlite").close()
    assert schema(copy) == schema(tmp_path / "new.sqlite")


def test_a_new_step_runs_on_a_new_and_on_an_old_library(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A future step adding a column: applied to a library created at the previous top and
    to one created from nothing, with the same result and the data kept."""
    top = target_version()

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE article ADD COLUMN checked_at TEXT NOT NULL DEFAULT ''")

    old = tmp_path / "old.sqlite"
    with Library.open(old) as lib:
        from tests.core.helpers import make_record

        lib.articles.add_record(make_record())
    monkeypatch.setitem(MIGRATIONS, top + 1, add_column)
    with Library.open(old) as lib:
        assert lib.search.count() == 1
        assert lib.schema_version() == top + 1
    with Library.open(tmp_path / "new.sqlite") as lib:
        assert lib.schema_version() == top + 1
    for path in (old, tmp_path / "new.sqlite"):
        cols = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(article)")]
        assert "checked_at" in cols
    assert schema(old) == schema(tmp_path / "new.sqlite")
