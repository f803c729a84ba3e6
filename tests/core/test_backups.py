"""Promise 2, backups: ``spinelib backup`` writes a consistent copy (SQLite's online-backup API)
while another connection or process is writing; a backup is made once a day on open (and
before any migration, see test_migrations.py), keeping the newest seven; ``spinelib restore
FILE`` asks for confirmation, refuses anything that is not a sound SpineLib library, and keeps
the library it replaces.
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.paths import backup_dir
from spinelib.store import sqlite as db
from spinelib.store.sqlite import files as db_files
from tests.waiting import wait_until

from .helpers import make_record

REPO = Path(__file__).resolve().parents[2]
DAY = 24 * 3600

#: A second process that keeps writing (one short transaction per article, then a tag on it)
#: until told to stop, the way the desktop app writes while the user works.
WRITER = r"""
import sys, time
from pathlib import Path
from spinelib.library import Library
from tests.core.helpers import make_record

path, ready, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
with Library.open(path) as lib:
    tag = lib.tags.create("Written meanwhile")
    n = 0
    while not stop.exists() and n < 5000:
        res = lib.articles.add_record(make_record(doi=f"10.5555/w{n}", pmid=str(5_000_000 + n),
                                         title=f"Writer paper {n} on separation surgery"))
        lib.tags.add([res.article_id], [tag])
        n += 1
        if n == 5:
            ready.touch()
print(n)
"""


def make_library(path: Path, n: int = 3) -> Path:
    with Library.open(path) as lib:
        for i in range(n):
            lib.articles.add_record(make_record(doi=f"10.5555/b{i}", pmid=str(7_000_000 + i),
                                       title=f"Backed up paper {i} on spinal metastases"))
    return path


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])
    finally:
        conn.close()


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def backups(path: Path) -> list[Path]:
    folder = backup_dir(path)
    return sorted(folder.glob(f"{path.stem}-*.sqlite")) if folder.is_dir() else []


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib.sqlite")


# -- spinelib backup while others write -----------------------------------------------------

def test_backup_while_another_connection_holds_an_open_write_transaction(
        lib_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    committed = dump(lib_path)
    other = sqlite3.connect(lib_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE article SET title = 'Changed, not committed'")
    other.execute("DELETE FROM author")
    # No patience at all: a command that needed the writer's lock would now fail at once
    # instead of after the 15 s busy timeout, so two successful backups (taken while the lock
    # is still held, until the finally below) prove that neither waited for it.
    monkeypatch.setattr(db_files, "BUSY_TIMEOUT_MS", 0)
    try:
        assert main(["--library", str(lib_path), "backup", str(tmp_path / "copy.sqlite")]) == 0
        assert main(["--library", str(lib_path), "backup"]) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "backed up to" in capsys.readouterr().out
    manual = [b for b in backups(lib_path) if b.name.endswith("-manual.sqlite")]
    for copy in (tmp_path / "copy.sqlite", *manual):
        # What was committed, without any of the open transaction's changes.
        assert dump(copy) == committed
        assert db.integrity_problems(copy) == []
    assert len(manual) == 1


@pytest.mark.e2e
def test_backups_taken_while_another_process_writes_are_consistent(
        lib_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ready, stop = tmp_path / "ready", tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(lib_path), str(ready),
                               str(stop)], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_until(ready.exists, what="the writer's first five articles", process=writer)
        copies: list[Path] = []
        for n in range(4):
            if copies:
                # Each backup is taken after the writer has written more: the copies then
                # show it at work (in the order written) however busy the machine is.
                last = count(copies[-1])
                wait_until(lambda last=last: count(lib_path) > last or writer.poll() is not None,
                           what="the writer's next article")
            dest = tmp_path / f"during-{n}.sqlite"
            assert main(["--library", str(lib_path), "backup", str(dest)]) == 0
            copies.append(dest)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    counts = [count(c) for c in copies]
    assert counts == sorted(counts) and counts[-1] > 3 + 5
    for copy in copies:
        assert db.integrity_problems(copy) == []
        conn = sqlite3.connect(copy)
        # Whole articles only: every one has all its authors and, for the writer's, its tag.
        assert conn.execute("SELECT count(*) FROM article a WHERE author_count != "
                            "(SELECT count(*) FROM author WHERE article_id = a.id)"
                            ).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM article a WHERE doi LIKE '10.5555/w%' AND "
                            "NOT EXISTS (SELECT 1 FROM article_tag t WHERE t.article_id = a.id "
                            "AND t.tag_id = 'Written meanwhile')").fetchone()[0] <= 1
        conn.close()
    assert count(lib_path) == 3 + int(out)


# -- automatic backups ----------------------------------------------------------------------

def test_a_daily_backup_is_made_on_open_once_a_day(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    Library.open(empty, daily_backup=True).close()
    assert backups(empty) == []  # nothing to protect yet

    path = make_library(tmp_path / "lib.sqlite")
    Library.open(path, daily_backup=True).close()
    [first] = backups(path)
    assert first.name.endswith("-daily.sqlite") and dump(first) == dump(path)
    Library.open(path, daily_backup=True).close()
    assert backups(path) == [first]  # not again the same day
    Library.open(path).close()  # a plain open (tests, scripts) never backs up
    assert backups(path) == [first]

    old = time.time() - DAY - 60
    os.utime(first, (old, old))
    with Library.open(path, daily_backup=True) as lib:
        lib.articles.add_record(make_record(doi="10.5555/new", pmid="7999999", title="Added today"))
    assert len(backups(path)) == 2 and backups(path)[0] == first


def test_daily_backups_through_the_cli_keep_the_newest_seven(
        lib_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(db.BACKUPS_KEPT):
        db.automatic_backup(lib_path, "daily")
    old = time.time() - 2 * DAY
    for b in backups(lib_path):
        os.utime(b, (old, old))
    oldest = backups(lib_path)[0]
    assert main(["--library", str(lib_path), "list"]) == 0  # any command opens the library
    kept = backups(lib_path)
    assert len(kept) == db.BACKUPS_KEPT
    assert oldest not in kept
    assert kept[-1].stat().st_mtime > old + DAY  # the new one is today's
    assert db.newest_backup(lib_path) == kept[-1]


# -- restore ----------------------------------------------------------------------------------

@pytest.fixture
def backed_up(lib_path: Path, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A library, a backup of it, and then changes made after the backup."""
    copy = tmp_path / "saved.sqlite"
    with Library.open(lib_path) as lib:
        lib.backup(copy)
        lib.articles.delete([lib.articles.resolve_key("7000000")])
        lib.articles.add_record(make_record(doi="10.5555/after", pmid="7100000",
                                   title="Added after the backup"))
    yield lib_path, copy


def test_restore_with_yes_replaces_the_library_and_keeps_the_old_one(
        backed_up: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    path, copy = backed_up
    replaced = dump(path)
    assert main(["--library", str(path), "restore", str(copy), "--yes"]) == 0
    assert "restored" in capsys.readouterr().out
    assert dump(path) == dump(copy)
    [saved] = [b for b in backups(path) if b.name.endswith("-before-restore.sqlite")]
    assert dump(saved) == replaced
    assert main(["--library", str(path), "check"]) == 0
    with Library.open(path) as lib:
        assert lib.articles.resolve_key("7000000") and lib.search.count() == 3


def test_restore_while_the_app_has_the_library_open(
        backed_up: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    path, copy = backed_up
    with Library.open(path) as app:
        assert app.search.count() == 3 and app.search.matching("added after the backup")
        assert main(["--library", str(path), "restore", str(copy), "--yes"]) == 0
        # The open app sees the restored library on its next query, not a mix of both.
        assert app.search.matching("added after the backup") == []
        assert app.articles.resolve_key("7000000") and app.search.count() == 3
        assert app.check() == []


def test_restore_without_yes_and_without_a_terminal_is_a_usage_error(
        backed_up: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, copy = backed_up
    before = fingerprint(path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # piped input is not a consent
    assert main(["--library", str(path), "restore", str(copy)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert fingerprint(path) == before


@pytest.mark.parametrize("answer,code", [("n\n", 1), ("\n", 1), ("yes\n", 0)])
def test_restore_asks_for_confirmation_on_a_terminal(
        backed_up: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], answer: str, code: int) -> None:
    path, copy = backed_up
    before = dump(path)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert main(["--library", str(path), "restore", str(copy)]) == code
    out = capsys.readouterr().out
    assert "[y/N]" in out
    assert dump(path) == (dump(copy) if code == 0 else before)


def _junk(kind: str, tmp_path: Path, good: Path) -> Path:
    dest = tmp_path / f"{kind}.sqlite"
    data = good.read_bytes()
    if kind == "png":
        dest.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    elif kind == "text":
        dest.write_text("these are my notes, not a library\n" * 20)
    elif kind == "empty":
        dest.write_bytes(b"")
    elif kind == "truncated":
        dest.write_bytes(data[: len(data) // 2])
    elif kind == "overwritten":
        rng = random.Random(2)
        middle = len(data) // 2
        dest.write_bytes(data[:middle] + bytes(rng.randrange(256) for _ in range(16384))
                         + data[middle + 16384:])
    elif kind == "foreign":
        conn = sqlite3.connect(dest)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        dest.write_bytes(data)
        conn = sqlite3.connect(dest)
        conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    elif kind == "folder":
        dest.mkdir()
    return dest


@pytest.fixture(scope="module")
def big_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sound backup of 150 articles: the middle of the file is article and index pages."""
    folder = tmp_path_factory.mktemp("big")
    with Library.open(folder / "big.sqlite") as lib:
        lib.articles.add_records([make_record(doi=f"10.5555/m{i}", pmid=str(7_200_000 + i),
                                     title=f"Middle paper {i} on vertebral augmentation")
                         for i in range(150)])
        return lib.backup(folder / "good.sqlite")


@pytest.mark.parametrize("kind", ["png", "text", "empty", "truncated", "overwritten", "foreign",
                                  "newer", "folder", "missing"])
def test_restore_refuses_anything_but_a_sound_library(
        lib_path: Path, tmp_path: Path, kind: str, big_backup: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    junk = _junk(kind, tmp_path, big_backup)
    before = fingerprint(lib_path)
    assert main(["--library", str(lib_path), "restore", str(junk), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("spinelib: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err
    assert fingerprint(lib_path) == before
    assert not [b for b in backups(lib_path) if "before-restore" in b.name]


@pytest.mark.parametrize("kind", ["text", "empty", "foreign", "newer", "missing"])
def test_restore_refuses_a_wrong_file_before_asking(
        lib_path: Path, tmp_path: Path, kind: str, big_backup: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --yes the user is asked only about a file that could be restored: a wrong
    one gets its reason, not a question (or "confirm with --yes") first."""
    junk = _junk(kind, tmp_path, big_backup)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    before = fingerprint(lib_path)
    assert main(["--library", str(lib_path), "restore", str(junk)]) == 1
    out, err = capsys.readouterr()
    assert "[y/N]" not in out and err.startswith("spinelib: ") and "--yes" not in err
    assert junk.name in err and fingerprint(lib_path) == before


def test_backup_to_a_folder_names_a_new_file_and_never_onto_the_library(
        lib_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    assert main(["--library", str(lib_path), "backup", str(folder)]) == 0
    assert main(["--library", str(lib_path), "backup", str(folder), "--with-files"]) == 0
    out = capsys.readouterr().out
    made = sorted(p.name for p in folder.iterdir())
    assert len(made) == 2 and made[0].endswith("-manual.sqlite") and made[1].endswith(
        "-with-files.zip") and all(name in out for name in made)
    assert dump(folder / made[0]) == dump(lib_path)
    before = fingerprint(lib_path)
    assert main(["--library", str(lib_path), "backup", str(lib_path)]) == 2
    assert "is the library itself" in capsys.readouterr().err
    assert fingerprint(lib_path) == before

