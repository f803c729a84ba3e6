"""A Library tells changes made by someone else (another process, another Library on the
same file) from its own: what lets the window show a command's import without reopening
(spinelib/store/sqlite/changewatch.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from spinelib.errors import LibraryError
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author


def _record(i: int) -> ArticleRecord:
    return ArticleRecord(title=f"Separation surgery and SBRT for epidural compression, part {i}",
                         authors=[Author("Laufer", "Ilya")], year=2013,
                         pmid=str(23_000_000 + i), journal="J Neurosurg Spine")


@pytest.fixture
def two(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as seed:
        seed.articles.add_records([_record(i) for i in range(3)])
    window, other = Library.open(path), Library.open(path)
    yield window, other
    window.close()
    other.close()


def test_another_librarys_write_is_seen_once(two: tuple[Library, Library]) -> None:
    window, other = two
    assert window.changed_elsewhere() is False  # the first look only starts watching
    assert window.changed_elsewhere() is False
    other.articles.add_records([_record(10)])
    assert window.changed_elsewhere() is True
    assert window.changed_elsewhere() is False  # seen now


def test_own_writes_do_not_count(two: tuple[Library, Library]) -> None:
    window, _other = two
    window.changed_elsewhere()
    article = window.search.ids()[0]
    tag = window.tags.create("Tumour board")
    window.tags.add([article], [tag])
    window.articles.set_notes(article, "discuss on Monday")
    window.articles.add_records([_record(11)])
    assert window.changed_elsewhere() is False


def test_a_write_elsewhere_before_an_own_write_is_still_seen(
        two: tuple[Library, Library]) -> None:
    window, other = two
    window.changed_elsewhere()
    other.tags.create("From the command line")
    window.tags.create("From the window")  # its commit must not swallow the other one
    assert window.changed_elsewhere() is True


def test_reads_and_rolled_back_writes_elsewhere_do_not_count(
        two: tuple[Library, Library]) -> None:
    window, other = two
    window.changed_elsewhere()
    other.search.ids()
    with pytest.raises(RuntimeError), other.store.writing() as conn:
        conn.execute("UPDATE article SET rating = 5")
        raise RuntimeError("changed my mind")
    assert window.changed_elsewhere() is False
    assert {window.articles.state(a).rating for a in window.search.ids()} == {0}


def test_a_command_in_another_process_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as window:
        window.articles.add_records([_record(1)])
        window.changed_elsewhere()
        done = subprocess.run([sys.executable, "-m", "spinelib", "--library", str(path),
                               "tag", "add", "23000001", "sbrt_srs"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert window.changed_elsewhere() is True
        assert window.changed_elsewhere() is False


def test_a_library_that_never_looks_opens_no_watch(tmp_path: Path) -> None:
    # A command never looks: its writes must not pay for the watch.
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records([_record(1)])
        lib.tags.create("Read later")
        assert lib.store.engine._watch._conn is None  # type: ignore[attr-defined]


def test_a_bulk_write_still_has_the_file_to_itself(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.changed_elsewhere()
        with lib.store.engine.bulk_writing() as conn:
            # The watch connection would have kept the rollback journal from being used.
            assert str(conn.scalar("PRAGMA journal_mode")).lower() == "delete"
        # What happened while it was not watching cannot be known: say changed, once.
        assert lib.changed_elsewhere() is True
        assert lib.changed_elsewhere() is False


def test_looking_at_a_closed_library_is_an_error(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib.sqlite")
    lib.changed_elsewhere()
    lib.close()
    with pytest.raises(LibraryError, match="closed"):
        lib.changed_elsewhere()


def test_a_watch_that_cannot_read_never_fails_a_write(
        two: tuple[Library, Library], monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from spinelib.store.sqlite.changewatch import ChangeWatch

    window, _other = two
    window.changed_elsewhere()
    real = ChangeWatch._version

    def broken(self: ChangeWatch) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ChangeWatch, "_version", broken)
    tag = window.tags.create("Written all the same")
    assert window.tags.resolve("Written all the same") == tag
    monkeypatch.setattr(ChangeWatch, "_version", real)
    # Its commit could not be told apart: the next look errs on the side of a reload.
    assert window.changed_elsewhere() is True
