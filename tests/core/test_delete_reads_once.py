"""A delete reads its articles once: the trash takes the snapshots the operation's undo
step captured when it began (``HistoryManager.snapshots_as_captured``), and stores
byte for byte what a second read would have given. Only while nothing has been written
in between; otherwise the trash reads them again (issue 19: a delete of 1,000 articles at
100,000 read them twice)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spinelib.library import Library
from spinelib.library import history as history_mod
from spinelib.library import trash as trash_mod
from spinelib.library.history import HistoryManager
from spinelib.store.snapshots import SnapshotSql, unpack
from tests.core.helpers import make_record
from tests.core.test_trash_files import with_pdf

WHEN = "2026-12-03T12:00:00Z"


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    # One clock for every run, so two deletes of the same articles store the same bytes.
    monkeypatch.setattr(trash_mod, "utcnow", lambda: WHEN)
    monkeypatch.setattr(history_mod, "utcnow", lambda: WHEN)
    with Library.open(tmp_path / "lib.sqlite") as library:
        yield library


def _articles(lib: Library, tmp_path: Path) -> list[int]:
    """Three articles, one with a copied PDF and a linked note (the trash plans a file
    move for it), one with tags; returned in no particular order."""
    with_file, _copy = with_pdf(lib, tmp_path, pmid="11", doi="10.1/file",
                                title="Separation surgery and stereotactic radiosurgery")
    rest = [r.article_id for r in lib.articles.add_records([
        make_record(pmid="12", doi="10.1/b", title="Balloon kyphoplasty in myeloma"),
        make_record(pmid="13", doi="10.1/c", title="Percutaneous pedicle screw fixation")])]
    lib.tags.add([rest[0]], ["balloon_kyphoplasty"])
    return [rest[1], with_file, rest[0]]


def _stored(lib: Library) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
    """The trash rows and the newest undo step, as stored."""
    with lib.store.reading() as conn:
        trash = [tuple(r) for r in conn.all("SELECT * FROM article_trash ORDER BY article_id")]
        step = tuple(conn.first("SELECT name, created_at, before_state, after_state "
                                "FROM undo_log ORDER BY id DESC LIMIT 1"))
    return trash, step


def _counting_captures(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = SnapshotSql.capture

    def counted(self: SnapshotSql, conn: Any, ids: Any) -> Any:
        calls.append(len(ids))
        return real(self, conn, ids)

    monkeypatch.setattr(SnapshotSql, "capture", counted)
    return calls


def test_a_delete_reads_once_and_stores_what_two_reads_stored(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _articles(lib, tmp_path)
    calls = _counting_captures(monkeypatch)
    assert lib.articles.delete(ids) == 3
    once = _stored(lib)
    assert calls == [3, 3]  # the undo step's before and after; none for the trash
    lib.history.undo()
    assert lib.search.count() == 3

    calls.clear()
    with monkeypatch.context() as m:  # the trash reads them itself, as before
        m.setattr(HistoryManager, "snapshots_as_captured", lambda *_a: None)
        assert lib.articles.delete(ids) == 3
    assert calls == [3, 3, 3]
    twice = _stored(lib)
    assert once == twice
    trashed = {int(row[0]): unpack(row[-1]) for row in once[0]}
    assert set(trashed) == set(ids)
    assert any(snap.get("files") for snap in trashed.values())  # the planned file move


def test_the_undo_step_keeps_no_trace_of_the_trash_plan(
        lib: Library, tmp_path: Path) -> None:
    ids = _articles(lib, tmp_path)
    with lib.history.recording("probe", articles=ids) as conn:
        first = lib.history.snapshots_as_captured(conn, ids)
        assert first is not None and list(first) == ids
        for snap in first.values():
            snap["files"] = {"1": "planted.pdf"}  # what the trash's plan does
        again = lib.history.snapshots_as_captured(conn, ids)
        assert again is not None
        assert all("files" not in snap for snap in again.values())


def test_after_a_write_in_between_the_trash_reads_the_articles_again(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _articles(lib, tmp_path)
    moves: list[Any] = []
    with lib.history.recording("edit then delete", articles=ids) as conn:
        assert lib.history.snapshots_as_captured(conn, ids) is not None
        conn.execute("UPDATE article SET title = 'Retitled before the delete' "
                     "WHERE id = :a", {"a": ids[0]})
        assert lib.history.snapshots_as_captured(conn, ids) is None
        lib.trash.trash_in(conn, ids, moves)
    with lib.store.reading() as conn:
        found = lib.store.trash.get(conn, ids[0])
    assert found is not None
    assert unpack(found[1])["article"]["title"] == "Retitled before the delete"


def test_only_the_running_operations_own_articles_are_given(
        lib: Library, tmp_path: Path) -> None:
    ids = _articles(lib, tmp_path)
    with lib.store.writing() as conn:  # no operation running
        assert lib.history.snapshots_as_captured(conn, ids) is None
    with lib.history.recording("narrow", articles=ids[:1]) as conn:
        assert lib.history.snapshots_as_captured(conn, ids) is None  # two not captured
        assert lib.history.snapshots_as_captured(conn, ids[:1]) is not None
    with lib.history.recording("gone", articles=[ids[0], 999_999]) as conn:
        found = lib.history.snapshots_as_captured(conn, [ids[0], 999_999])
        assert found is not None and list(found) == [ids[0]]  # no such article: absent
