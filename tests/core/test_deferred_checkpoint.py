"""A bulk write (undo, redo, a delete or restore of many articles) commits without copying
the WAL into the database file; a checkpoint on its own thread does that afterwards
(issue 15: the copy cost a 1,000-article undo at 100k 0.3 s of CPU inside its COMMIT)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.store.sqlite.checkpoint import DeferredCheckpoint

from .helpers import make_record
from .test_undo import _dump


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        library.articles.add_records([make_record(
            pmid=str(7000 + i), doi=f"10.5555/ck{i}",
            title=f"Cohort {i} of stereotactic radiosurgery for spinal metastases")
            for i in range(150)])
        yield library


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checkpoint_now(lib: Library) -> None:
    with lib.store.reading() as conn:
        conn.execute("PRAGMA wal_autocheckpoint = 1")  # any commit would copy the WAL
    con = sqlite3.connect(lib.path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Deferred checkpoints record their start instead of running (the test runs them)."""
    calls: list[Path] = []
    monkeypatch.setattr(DeferredCheckpoint, "start", lambda self: calls.append(self.path))
    return calls


def test_an_undo_commits_without_touching_the_database_file(lib: Library,
                                                            started: list[Path]) -> None:
    ids = lib.search.ids(Query())
    before = _dump(lib)
    lib.articles.delete(ids)
    assert started == [lib.path]  # 150 articles: a bulk write
    _checkpoint_now(lib)
    file_before = _digest(lib.path)
    lib.history.undo()
    # Every row is back for readers, from the WAL; the file itself is as it was.
    assert _dump(lib) == before
    assert _digest(lib.path) == file_before
    assert started == [lib.path, lib.path]
    with lib.store.reading() as conn:
        assert conn.scalar("PRAGMA wal_autocheckpoint") == 1  # the setting is back
    DeferredCheckpoint(lib.path)._run()  # what the thread does
    assert _digest(lib.path) != file_before
    assert _dump(lib) == before


def test_a_small_write_still_checkpoints_in_its_commit(lib: Library,
                                                       started: list[Path]) -> None:
    """The control: the same check sees an ordinary commit copy the WAL into the file."""
    _checkpoint_now(lib)
    file_before = _digest(lib.path)
    lib.tags.add(lib.search.ids(Query())[:1], [lib.tags.create("Radiosurgery")])
    assert started == []
    assert _digest(lib.path) != file_before


def test_a_rolled_back_bulk_write_starts_no_checkpoint(lib: Library,
                                                       started: list[Path]) -> None:
    with pytest.raises(RuntimeError), lib.store.writing_checkpoint_later() as conn:
        conn.execute("DELETE FROM article")
        raise RuntimeError("boom")
    assert started == [] and lib.search.count() == 150
    with lib.store.reading() as conn:
        assert conn.scalar("PRAGMA wal_autocheckpoint") == 1000


def test_a_nested_bulk_write_joins_the_outer_one(lib: Library, started: list[Path]) -> None:
    with lib.store.writing() as conn, lib.store.writing_checkpoint_later() as inner:
        assert inner.raw is conn.raw
        assert inner.scalar("PRAGMA wal_autocheckpoint") == 1000
    assert started == []


def test_the_checkpoint_thread_runs_and_close_waits_for_it(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite")
    library.articles.add_records([make_record(pmid=str(8000 + i), doi="", title=f"Series {i}")
                                  for i in range(120)])
    library.articles.delete(library.search.ids(Query()))
    library.history.undo()
    checkpoints = library.store.engine.checkpoints  # type: ignore[attr-defined]
    library.close()
    assert checkpoints.completed >= 1
    assert checkpoints._thread is not None and not checkpoints._thread.is_alive()
    with Library.open(tmp_path / "lib.sqlite") as again:
        assert again.search.count() == 120


def test_a_failing_checkpoint_never_raises(tmp_path: Path) -> None:
    checkpoints = DeferredCheckpoint(tmp_path / "missing" / "lib.sqlite")
    checkpoints.start()
    checkpoints.wait()
    assert checkpoints.completed == 0
