"""Undo of marking (issue 19): tagging, untagging, read status, ratings and notes record
only the articles' marks (:mod:`spinelib.store.marks`), not whole articles, so marking
30,000 articles is cheap; undo and redo still restore them exactly, index included, and
still refuse when the marks changed since."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spinelib.errors import SpineLibError
from spinelib.library import Library, Query
from spinelib.serialize import article_json
from spinelib.store.snapshots import unpack

from .helpers import make_record


def _three(lib: Library) -> list[int]:
    return [lib.articles.add_record(make_record(pmid=str(100 + n), doi=f"10.1/x{n}",
                                                title=f"Trial number {n} of surgery"))
            .article_id for n in range(3)]


def _hits(lib: Library, text: str) -> list[int]:
    return sorted(lib.search.ids(Query(search=text)))


def _last_states(lib: Library) -> tuple[dict[str, object], dict[str, object], bytes]:
    with lib.store.reading() as conn:
        found = lib.store.history.last(conn, undone=False)
    assert found is not None
    return unpack(found[1]), unpack(found[2]), found[1] + found[2]


def _marked(lib: Library, ids: list[int]) -> list[dict[str, object]]:
    """The articles as exported, less ``updated_at``: writing marks back stamps the time it
    happens (see :mod:`spinelib.store.marks`), so an undo a second later differs there."""
    return [{k: v for k, v in article_json(lib, a).items() if k != "updated_at"} for a in ids]


def _stamps(lib: Library, ids: list[int]) -> list[str]:
    return [str(article_json(lib, a)["updated_at"]) for a in ids]


def test_marking_is_undone_and_redone_exactly(lib: Library) -> None:
    ids = _three(lib)
    lib.tags.create("journal club")
    before = _marked(lib, ids)
    lib.tags.add(ids, ["journal club"])
    lib.articles.set_read_status(ids, 2)
    lib.articles.set_ratings(ids[:2], 4)
    lib.articles.set_notes_many({ids[0]: "zebrafish model", ids[2]: "ask the authors"})
    lib.tags.remove([ids[1]], ["journal club"])
    after, stamped = _marked(lib, ids), _stamps(lib, ids)
    assert _hits(lib, 'tag:"journal club"') == [ids[0], ids[2]]
    assert _hits(lib, "zebrafish") == [ids[0]]
    for _ in range(5):
        lib.history.undo()
    assert _marked(lib, ids) == before
    assert all(now >= then for now, then in zip(_stamps(lib, ids), stamped))
    assert _hits(lib, 'tag:"journal club"') == [] and _hits(lib, "zebrafish") == []
    for _ in range(5):
        lib.history.redo()
    assert _marked(lib, ids) == after
    assert _hits(lib, 'tag:"journal club"') == [ids[0], ids[2]]
    assert _hits(lib, "zebrafish") == [ids[0]]


def test_a_marking_step_holds_the_marks_not_the_articles(lib: Library) -> None:
    ids = _three(lib)
    lib.tags.create("teaching")
    lib.tags.add(ids, ["teaching"])
    before, after, blobs = _last_states(lib)
    assert before["a"] == {} and after["a"] == {}
    assert set(before["m"]) == set(after["m"]) == {str(a) for a in ids}  # type: ignore[arg-type]
    assert ["teaching", "user", ""] in after["m"][str(ids[0])][-1]  # type: ignore[index]
    assert ["teaching", "user", ""] not in before["m"][str(ids[0])][-1]  # type: ignore[index]
    # Neither the references nor the authors are in the step.
    for state in (before, after):
        assert "Earlier trial" not in repr(state) and "Patchell" not in repr(state)
    assert len(blobs) < 2000
    lib.articles.set_read_status(ids, 1)
    assert _last_states(lib)[1]["a"] == {}


def test_undo_of_tagging_keeps_a_later_reimport_of_other_fields(lib: Library) -> None:
    a = lib.articles.add_record(make_record(abstract="")).article_id
    lib.tags.create("jc")
    lib.tags.add([a], ["jc"])
    lib.articles.add_record(make_record(abstract="Filled by a re-import."))  # not logged
    lib.history.undo()  # the tagging's own part (the marks) did not change since
    stored = lib.articles.record(a)
    assert "jc" not in stored.tags and stored.abstract == "Filled by a re-import."


def test_undo_of_marking_refuses_when_the_marks_changed_since(lib: Library,
                                                              tmp_path: Path) -> None:
    ids = _three(lib)
    lib.articles.set_read_status(ids, 2)
    con = sqlite3.connect(tmp_path / "lib.sqlite")  # another process marks one unread
    with con:
        con.execute("UPDATE article SET read_status = 0 WHERE id = ?", (ids[1],))
    con.close()
    with pytest.raises(SpineLibError, match="changed since"):
        lib.history.undo()
    con = sqlite3.connect(tmp_path / "lib.sqlite")
    try:  # nothing changed
        assert [r[0] for r in con.execute("SELECT read_status FROM article ORDER BY id")
                ] == [2, 0, 2]
    finally:
        con.close()


def test_undo_of_tagging_an_article_deleted_since_is_refused(lib: Library) -> None:
    ids = _three(lib)
    lib.tags.create("jc")
    lib.tags.add(ids, ["jc"])
    with lib.store.writing() as conn:  # gone without a log entry (as another process)
        lib.store.articles.delete(conn, [ids[0]])
    with pytest.raises(SpineLibError, match="changed since"):
        lib.history.undo()
    assert _hits(lib, 'tag:"jc"') == ids[1:]


def test_reindex_many_writes_what_reindex_writes(lib: Library, tmp_path: Path) -> None:
    ids = _three(lib)
    lib.tags.create("jc")
    with lib.store.writing() as conn:
        lib.store.tags.assign(conn, [(a, "jc") for a in ids], "user")
        lib.store.articles.update(conn, ids, {"notes": "a note"})

    def rows() -> list[tuple[object, ...]]:
        con = sqlite3.connect(tmp_path / "lib.sqlite")
        try:
            return con.execute("SELECT rowid, * FROM article_fts ORDER BY rowid").fetchall()
        finally:
            con.close()

    with lib.store.writing() as conn:
        lib.store.fulltext.reindex_many(conn, ids)
    many = rows()
    with lib.store.writing() as conn:
        lib.store.articles.update(conn, ids, {"notes": ""})
        lib.store.fulltext.reindex_many(conn, ids)
        lib.store.articles.update(conn, ids, {"notes": "a note"})
        for a in ids:
            lib.store.fulltext.reindex(conn, a)
    assert rows() == many and "a note" in repr(many) and "jc" in repr(many)
