"""Promise 3, migrations: a library written by the first released schema (``tests/data/
library-v1.sqlite``, built by ``tests/data/make_library_v1.py`` at commit 5eb7aa1) opens in
this version with every article, tag, note, list and queued identifier intact; a migration
step is preceded by an automatic backup; a library from a newer schema is refused without a
single byte (or its modification time) changing.

The committed file is never opened in place: each test works on a copy.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from spinelib.cli import main
from spinelib.errors import LibraryError
from spinelib.library import Library, Query
from spinelib.paths import backup_dir
from spinelib.store import sqlite as db

DATA = Path(__file__).resolve().parent.parent / "data"
V1 = DATA / "library-v1.sqlite"


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_library_v1", DATA / "make_library_v1.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


v1 = _load_builder()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "library-v1.sqlite"
    shutil.copyfile(V1, dest)
    return dest


def dump(path: Path) -> list[str]:
    """Every schema statement and row, as SQL text (content, not page layout)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_v1_content(lib: Library) -> None:
    """What make_library_v1.py put in, checked field by field."""
    assert lib.search.count() == len(v1.RECORDS)
    ids = {}
    for rec in v1.RECORDS:
        key = v1.key_of(rec)
        found = lib.search.ids(Query(search=f'"{rec.title}"'))
        assert len(found) == 1, key
        ids[key] = found[0]
        stored = lib.articles.record(found[0])
        for name in ("title", "journal", "journal_abbrev", "issn", "year", "month", "day",
                     "volume", "issue", "pages", "doi", "pmid", "pmcid", "abstract",
                     "language", "type", "publication_types", "keywords", "book_title",
                     "publisher", "mesh", "authors", "references"):
            assert getattr(stored, name) == getattr(rec, name), f"{key}: {name}"
        assert stored.citekey == v1.CITEKEYS[key]
        assert sorted(stored.tags) == sorted(v1.TAGS.get(key, []) + (
            [v1.REVIEWED[1][0]] if key == v1.REVIEWED[0] else []))
        assert stored.notes == v1.NOTES.get(key, "")
        state = lib.articles.state(found[0])
        assert state.read_status == v1.READ_STATUS.get(key, 0)
        assert state.rating == v1.RATING.get(key, 0)
    rejected = lib.tags.state(ids[v1.REVIEWED[0]]).rejected
    assert [t.id for t in rejected] == [v1.REVIEWED[1][1]]
    parents = {t.id: t.parent for t in lib.tags.counts()}
    for label, parent in v1.USER_TAGS.items():
        assert parents[label] == parent
    name, members = v1.READING_LIST
    assert lib.lists.items(name) == [ids[k] for k in members]
    [pending] = lib.pending.all()
    assert (pending.identifier, pending.reason) == v1.PENDING
    laufer = ids["23709750"]
    assert [r.in_library for r in lib.articles.references(laufer)] == [True, True, False]
    assert lib.articles.cited_by(ids["20809724"]) == [laufer]
    # The full-text index came along: diacritics folded, notes and user tags searchable.
    assert lib.search.matching("nguyen") == lib.search.matching("Ødegaard") == [ids[v1.CHAPTER.title]]
    assert lib.search.matching("SBRT dose levels") == [laufer]
    assert lib.search.matching("presented 2026") == [ids["16112300"]]
    assert lib.check() == []


def test_the_committed_v1_library_is_schema_1_and_healthy(copy: Path) -> None:
    # Read from the header (user_version is the big-endian int at offset 60): even a
    # read-only SQLite connection would leave -wal/-shm files beside the committed file.
    header = V1.read_bytes()[:100]
    assert header.startswith(db.SQLITE_MAGIC)
    assert int.from_bytes(header[60:64], "big") == v1.SCHEMA == 1
    assert not Path(str(V1) + "-wal").exists()  # everything is in the file itself
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_v1_library_opens_in_this_version_with_its_data_intact(
        copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Library.open(copy) as lib:
        assert_v1_content(lib)
    assert db.read_schema_version(copy) == db.SCHEMA_VERSION
    # An upgrade (once this SpineLib has a schema past 1) was preceded by a backup of v1.
    migrated = list(backup_dir(copy).glob("library-v1-*-before-v*.sqlite"))
    assert len(migrated) == (1 if db.SCHEMA_VERSION > 1 else 0)
    # And through the command line, as a user would see it.
    assert main(["--library", str(copy), "show", "NOMS:2013", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["pmcid"] == "PMC3695335" and shown["read_status"] == "reading"
    assert shown["notes"] == v1.NOTES["23709750"]
    assert main(["--library", str(copy), "list", "--list", v1.READING_LIST[0], "--json"]) == 0
    assert [a["pmid"] for a in json.loads(capsys.readouterr().out)] == v1.READING_LIST[1]


def test_v1_library_upgraded_by_a_new_migration_is_backed_up_first(
        copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ladder runs on the real old file: backup first (identical content), then the step."""
    before = dump(copy)
    old_version = db.read_schema_version(copy)
    new = db.SCHEMA_VERSION + 1
    ran: list[int] = []

    def add_retraction_checked(conn: sqlite3.Connection) -> None:
        ran.append(new)
        conn.execute("ALTER TABLE article ADD COLUMN retraction_checked_at TEXT DEFAULT ''")
        conn.execute("CREATE TABLE hypothetical_step (id INTEGER PRIMARY KEY, query TEXT NOT NULL)")

    monkeypatch.setattr(db, "SCHEMA_VERSION", new)
    monkeypatch.setitem(db.MIGRATIONS, new, add_retraction_checked)
    with Library.open(copy) as lib:
        assert_v1_content(lib)
    assert ran == [new] and db.read_schema_version(copy) == new
    [backup] = backup_dir(copy).glob(f"library-v1-*-before-v{new}.sqlite")
    assert db.read_schema_version(backup) == old_version
    if old_version == 1:
        assert dump(backup) == before
    with Library.open(copy) as lib:  # opening again migrates nothing and backs up nothing
        assert lib.search.count() == len(v1.RECORDS)
    assert ran == [new]
    assert len(list(backup_dir(copy).glob("library-v1-*.sqlite"))) == 1


def test_newer_schema_is_refused_by_every_command_without_being_touched(
        copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(copy)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = copy.read_bytes()
    # A moment in the past, so that any write (even of identical bytes) would show.
    os.utime(copy, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    mtime = copy.stat().st_mtime_ns

    with pytest.raises(LibraryError, match="newer SpineLib"):
        Library.open(copy, daily_backup=True)
    for command in (["list"], ["check"], ["backup"], ["import", "16112300"],
                    ["tag", "list"], ["pending", "--retry"]):
        assert main(["--library", str(copy), *command]) == 1, command
        out, err = capsys.readouterr()
        assert err.startswith("spinelib: ") and "newer SpineLib" in err, command
        assert "Traceback" not in err and err.count("\n") == 1
    assert copy.read_bytes() == before
    assert copy.stat().st_mtime_ns == mtime
    assert not backup_dir(copy).exists()  # not even a backup was written from it
    wal = Path(str(copy) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
