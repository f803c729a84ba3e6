"""Schema step 17 (issue 19): the reference identifier indexes are partial (``IS NOT NULL``).

They must hold exactly the references that have that identifier, and every reader by
identifier (cited by, the retraction check, both join orders) must still search them: a
reader whose statement SQLite cannot prove implies ``IS NOT NULL`` would silently scan 2.85
million rows at 100k instead, and still give the right answer, so the plans are checked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.records import ReferenceEntry
from spinelib.store.sqlite import migrations
from spinelib.store.sqlite.schema_v17_sparse_reference_ids import DDL

from .helpers import make_record, traced_sql
from .test_retractions import libpath, load_offline  # noqa: F401  (the fixture)

INDEXES = {"ix_reference_doi": "doi", "ix_reference_pmid": "pmid",
           "ix_reference_pmcid": "pmcid"}


def _index_rows(con: sqlite3.Connection, index: str) -> int:
    """The entries the index holds (read through it alone)."""
    return int(con.execute(f'SELECT count(*) FROM "reference" INDEXED BY {index} '
                           f"WHERE {INDEXES[index]} IS NOT NULL").fetchone()[0])


def _plans(lib: Library, call: Callable[[], object]) -> list[list[str]]:
    """The query plan of every statement reading ``reference`` that ``call`` runs."""
    seen = traced_sql(lib, call)
    with lib.store.reading() as conn:
        return [[str(r[3]) for r in conn.raw.execute(f"EXPLAIN QUERY PLAN {sql}")]
                for sql in seen if sql.lstrip().upper().startswith("SELECT")
                and '"reference" r' in sql]


def test_new_libraries_index_only_references_with_the_identifier(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records([make_record(
            pmid=str(700 + i), doi=f"10.5555/s{i}", title=f"Sparse {i}", references=[
                ReferenceEntry(1, "All three", doi=f"10.7777/a{i}", pmid=str(100 + i),
                               pmcid=f"PMC{900 + i}"),
                ReferenceEntry(2, "PMID only", pmid=str(300 + i)),
                ReferenceEntry(3, "Nothing but text. 1988."),
                ReferenceEntry(4, "DOI only", doi=f"10.7777/d{i}")]) for i in range(6)])
        with lib.store.reading() as conn:
            raw = conn.raw
            assert isinstance(raw, sqlite3.Connection)
            partial = {str(r[1]): int(r[4]) for r in raw.execute(
                "PRAGMA index_list('reference')")}
            assert {name: partial[name] for name in INDEXES} == dict.fromkeys(INDEXES, 1)
            assert [_index_rows(raw, name) for name in INDEXES] == [12, 12, 6]
            assert raw.execute('SELECT count(*) FROM "reference"').fetchone()[0] == 24
            assert [tuple(r) for r in raw.execute("PRAGMA integrity_check")] == [("ok",)]


def test_cited_by_searches_each_identifier_index(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        cited = lib.articles.add_record(make_record(
            pmid="4242", doi="10.7777/cited", pmcid="PMC4242", title="The cited work",
            references=[])).article_id
        citing = [lib.articles.add_record(make_record(
            pmid=str(50 + i), doi=f"10.5555/c{i}", title=f"Citer {i}", references=[
                ReferenceEntry(1, "By DOI", doi="10.7777/cited") if i == 0 else
                ReferenceEntry(1, "By PMID", pmid="4242") if i == 1 else
                ReferenceEntry(1, "By PMCID", pmcid="PMC4242"),
                ReferenceEntry(2, "Text only. 2001.")])).article_id for i in range(3)]
        assert lib.articles.cited_by(cited) == sorted(citing)
        plans = _plans(lib, lambda: lib.articles.cited_by(cited))
        assert len(plans) == 3
        for plan, index in zip(plans, INDEXES, strict=True):
            assert any(f"INDEX {index} " in step for step in plan), plan
            assert not any(step.startswith("SCAN r") for step in plan), plan


def test_the_retraction_check_searches_the_identifier_indexes(
        libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    load_offline(libpath, capsys)
    with Library.open(libpath) as lib:
        found = lib.retractions.citing()
        assert len(found) == 2
        # The whole library: every flagged work probes the reference indexes.
        [whole] = _plans(lib, lib.retractions.citing)
        assert any("INDEX ix_reference_doi " in s for s in whole), whole
        assert any("INDEX ix_reference_pmid " in s for s in whole), whole
        assert not any(s.startswith("SCAN r") for s in whole), whole
        # One article: its own rows by article id, never a scan of the references.
        [one] = _plans(lib, lambda: lib.retractions.cites(found[0].article_id))
        assert not any(s.startswith("SCAN r") for s in one), one


def test_step_17_makes_the_indexes_partial_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([make_record(
            pmid=str(600 + i), doi=f"10.5555/o{i}", title=f"Old {i}", references=[
                ReferenceEntry(1, "With ids", doi=f"10.7777/o{i}", pmid=str(800 + i)),
                ReferenceEntry(2, "Without. 1990.")]) for i in range(10)])
    con = sqlite3.connect(path)
    # As a library written before step 17: the full indexes of steps 2 and 9.
    for name, column in INDEXES.items():
        columns = {"doi": "doi, article_id, position, pmid",
                   "pmid": "pmid, article_id, position, doi", "pmcid": "pmcid"}[column]
        con.execute(f"DROP INDEX {name}")
        con.execute(f'CREATE INDEX {name} ON "reference" ({columns})')
    con.execute("PRAGMA user_version = 16")
    con.commit()
    assert [_index_rows(con, n) for n in INDEXES] == [10, 10, 0]
    full = con.execute('SELECT count(*) FROM "reference" INDEXED BY ix_reference_pmcid'
                       ).fetchone()[0]
    assert full == 20  # every row, NULLs included
    rows = con.execute('SELECT * FROM "reference" ORDER BY id').fetchall()
    con.close()
    migrations.migrate(path, 16)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        sql = {str(r[0]): str(r[1]) for r in con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
            "('ix_reference_doi', 'ix_reference_pmid', 'ix_reference_pmcid')")}
        assert sorted(sql.values()) == sorted(s for s in DDL if s.startswith("CREATE"))
        assert [_index_rows(con, n) for n in INDEXES] == [10, 10, 0]
        assert {str(r[1]) for r in con.execute("PRAGMA index_list('reference')")
                if r[4]} == set(INDEXES)  # partial
        assert con.execute('SELECT * FROM "reference" ORDER BY id').fetchall() == rows
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
