"""A trashed article's reference rows stay parked in place (schema step 16, issue 15): no
reader by identifier sees them, a restore or undo keeps them instead of writing them again,
and they go when the article leaves the trash for good."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.records import ReferenceEntry
from spinelib.store.snapshots import unpack
from spinelib.store.sqlite import migrations

from .helpers import make_record
from .test_retractions import libpath, load_offline  # noqa: F401  (the fixture)
from .test_undo import _dump


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        library.articles.add_records([make_record(
            pmid=str(9000 + i), doi=f"10.5555/p{i}",
            title=f"Series {i} of separation surgery for spinal metastases",
            references=[ReferenceEntry(1, f"Cited work {i}", doi=f"10.7777/c{i}",
                                       pmid=str(5000 + i)),
                        ReferenceEntry(2, "No identifiers. 1999."),
                        ReferenceEntry(3, "Shared", doi="10.7777/shared")])
            for i in range(120)])
        yield library


def _rows(lib: Library) -> list[tuple[object, ...]]:
    """Every reference row with its surrogate id: a row written again gets a new id."""
    with lib.store.reading() as conn:
        return [tuple(r) for r in conn.execute('SELECT * FROM "reference" ORDER BY id')]


def _orphans(lib: Library) -> int:
    """Reference rows whose article is neither live nor in the trash."""
    with lib.store.reading() as conn:
        return int(conn.scalar(
            'SELECT count(*) FROM "reference" r WHERE NOT EXISTS (SELECT 1 FROM article a '
            "WHERE a.id = r.article_id) AND NOT EXISTS (SELECT 1 FROM article_trash t "
            "WHERE t.article_id = r.article_id)"))


def test_delete_parks_and_restore_and_undo_keep_the_same_rows(lib: Library) -> None:
    ids = sorted(lib.search.ids(Query()))
    rows, before = _rows(lib), _dump(lib)
    lib.articles.delete(ids)
    assert _rows(lib) == rows  # nothing deleted from the big indexes
    assert lib.articles.references(ids[0]) == []  # not listed while trashed
    lib.history.undo()
    assert _rows(lib) == rows and _dump(lib) == before  # kept, not written again
    lib.history.redo()
    lib.trash.restore(ids[:50])
    lib.trash.restore(ids[50:])
    assert _rows(lib) == rows and _dump(lib) == before
    assert [r.citation for r in lib.articles.references(ids[0])][0] == "Cited work 0"


def test_trashed_references_are_never_cited_by(lib: Library) -> None:
    citing = lib.articles.add_record(make_record(
        pmid="77", doi="10.7777/c0", title="The cited work itself")).article_id
    holder = lib.articles.add_record(make_record(pmid="78", doi="10.5555/holder", title="x",
                                                 references=[])).article_id
    [first] = lib.articles.cited_by(citing)  # "Series 0"
    assert lib.articles.references(first)[0].citation == "Cited work 0"
    with lib.store.reading() as conn:
        shared = conn.scalar('SELECT count(DISTINCT article_id) FROM "reference" '
                             "WHERE doi = '10.7777/shared'")
    assert shared == 120
    lib.articles.delete([first])
    assert lib.articles.cited_by(citing) == []
    lib.trash.restore([first])
    assert lib.articles.cited_by(citing) == [first]
    assert holder not in lib.articles.cited_by(citing)


def test_trashed_references_are_never_in_a_retraction_check(
        libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    load_offline(libpath, capsys)
    with Library.open(libpath) as lib:
        by_title = {r.title[0]: a for a, r in lib.search.rows(lib.search.ids()).items()}
        a, e = by_title["A"], by_title["E"]
        assert sorted(c.article_id for c in lib.retractions.citing()) == sorted([a, e])
        assert [c.position for c in lib.retractions.cites(e)] == [1]
        lib.articles.delete([e])
        assert [c.article_id for c in lib.retractions.citing()] == [a]
        assert lib.retractions.cites(e) == []
        lib.history.undo()
        assert sorted(c.article_id for c in lib.retractions.citing()) == sorted([a, e])


def test_emptying_the_trash_deletes_parked_rows(lib: Library) -> None:
    ids = sorted(lib.search.ids(Query()))
    lib.articles.delete(ids[:10])
    assert lib.trash.empty(older_than_days=1) == 0
    with lib.store.reading() as conn:
        assert conn.scalar('SELECT count(*) FROM "reference" WHERE article_id IN '
                           f"({', '.join(map(str, ids[:10]))})") == 30
    assert lib.trash.empty() == 10
    with lib.store.reading() as conn:
        assert conn.scalar('SELECT count(*) FROM "reference" WHERE article_id IN '
                           f"({', '.join(map(str, ids[:10]))})") == 0
        assert conn.scalar('SELECT count(*) FROM "reference"') == 110 * 3
    assert _orphans(lib) == 0


def test_deletes_for_good_leave_no_rows(lib: Library) -> None:
    """A merge's other articles (also when redone) and a team pull's delete (the store's
    delete) are gone for good, with their reference rows."""
    ids = sorted(lib.search.ids(Query()))
    lib.duplicates.merge(ids[0], [ids[1]])
    assert _orphans(lib) == 0
    with lib.store.reading() as conn:
        assert conn.scalar('SELECT count(*) FROM "reference" WHERE article_id = :a',
                           {"a": ids[1]}) == 0
    lib.history.undo()  # the merged article comes back with its references
    assert [r.citation for r in lib.articles.references(ids[1])][0] == "Cited work 1"
    with lib.store.writing() as conn:
        lib.store.articles.delete(conn, [ids[2]])
    assert _orphans(lib) == 0
    lib.history.redo()  # the merge again: an undo step whose target has no ids[1]
    assert _orphans(lib) == 0
    with lib.store.reading() as conn:
        assert conn.scalar('SELECT count(*) FROM "reference" WHERE article_id = :a',
                           {"a": ids[1]}) == 0


def test_a_snapshot_made_before_parking_restores_its_references(lib: Library) -> None:
    """Trash made before schema 16 (the cascade deleted the rows): the snapshot writes
    them back; parked rows that differ from the snapshot are replaced by it."""
    ids = sorted(lib.search.ids(Query()))
    before = _dump(lib)
    lib.articles.delete(ids[:3])
    with lib.store.writing() as conn:
        conn.execute(f'DELETE FROM "reference" WHERE article_id IN ({ids[0]}, {ids[1]})')
        conn.execute("UPDATE \"reference\" SET citation = 'changed' WHERE article_id = :a",
                     {"a": ids[2]})
    lib.trash.restore(ids[:3])
    assert _dump(lib) == before
    lib.articles.delete(ids[:3])
    with lib.store.writing() as conn:
        conn.execute(f'DELETE FROM "reference" WHERE article_id IN ({ids[0]}, {ids[1]})')
    lib.history.undo()
    assert _dump(lib) == before


def test_step_16_drops_the_cascade_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([make_record(pmid=str(600 + i), doi=f"10.5555/o{i}",
                                              title=f"Old {i}") for i in range(20)])
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 15")  # as a library written before step 16 ...
    con.execute("PRAGMA writable_schema = ON")
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'reference'").fetchone()[0]
    old_sql = sql.replace("PRIMARY KEY (id)\n)", "PRIMARY KEY (id), \n\tFOREIGN KEY"
                          "(article_id) REFERENCES article (id) ON DELETE CASCADE\n)")
    assert old_sql != sql  # ... with the cascade it had
    con.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'reference'", (old_sql,))
    con.execute(f"PRAGMA schema_version = {con.execute('PRAGMA schema_version').fetchone()[0] + 1}")
    con.execute("PRAGMA writable_schema = OFF")
    con.commit()
    con.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA foreign_key_list(reference)").fetchall() != []
    dump = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
            for t in ("article", "reference", "author")}
    con.close()
    migrations.migrate(path, 15)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert con.execute("PRAGMA foreign_key_list(reference)").fetchall() == []
        assert con.execute("SELECT sql FROM sqlite_master WHERE name = 'reference'"
                           ).fetchone()[0] == sql
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                for t in ("article", "reference", "author")} == dump
    finally:
        con.close()


def test_a_live_article_with_a_trashed_articles_id_keeps_its_references(lib: Library) -> None:
    """A team pull can give a new article the id of a trashed one: that article's own rows
    count (cited by), and the trashed one restores under a new id with its snapshot's list."""
    cited = lib.articles.add_record(make_record(pmid="77", doi="10.7777/c5",
                                                title="The cited work itself")).article_id
    [x] = lib.articles.cited_by(cited)  # "Series 5"
    lib.articles.delete([x])
    assert lib.articles.cited_by(cited) == []
    with lib.store.writing() as conn:  # what the pull does: a new article under id x
        snap = lib.store.trash.get_many(conn, [x])[x][1]
        other = unpack(snap)
        other["article"].update(citekey="pulled2024", doi="10.5555/pulled", pmid="424242")
        other["references"] = [[1, "Pulled list", "10.7777/c5", None, None]]
        lib.store.snapshots.write(conn, x, other)
    assert lib.articles.cited_by(cited) == [x]
    assert [r.citation for r in lib.articles.references(x)] == ["Pulled list"]
    restored = lib.trash.restore([x])[0]
    assert restored.article_id != x
    assert [r.citation for r in lib.articles.references(restored.article_id)] == [
        "Cited work 5", "No identifiers. 1999.", "Shared"]
    assert lib.articles.cited_by(cited) == sorted([x, restored.article_id])
    assert _orphans(lib) == 0
