"""A large import sets the reference identifier indexes aside and makes them again at the end
(issue 19: spinelib/store/sqlite/deferred_indexes.py): same library, the indexes back in
every ending (done, cancelled, failed, killed), and never for a small import into a big
library."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from benchmarks import corpus
from benchmarks.generate import write_pubmed_xml
from spinelib import fileimport
from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.library import articles as articles_room
from spinelib.store.sqlite import deferred_indexes

from .test_bulk_import import DUMPS, dump

RECORDS = 25
NAMES = tuple(deferred_indexes.DEFERRED)


def pubmed_file(path: Path, first: int = 0, count: int = RECORDS) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_pubmed_xml(out, corpus.articles(1, first, first + count))
    return path


def index_sql(path: Path) -> dict[str, str]:
    """The reference identifier indexes the file holds now, name -> stored definition (read
    through a connection of its own, as another process would)."""
    conn = sqlite3.connect(path)
    try:
        return {str(n): str(s) for n, s in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
            f"({', '.join('?' * len(NAMES))})", NAMES)}
    finally:
        conn.close()


@pytest.fixture
def fresh_sql(tmp_path: Path) -> dict[str, str]:
    """The three definitions as a new library stores them (the schema's own)."""
    with Library.open(tmp_path / "fresh.sqlite"):
        pass
    sql = index_sql(tmp_path / "fresh.sqlite")
    assert sorted(sql) == sorted(NAMES)
    return sql


def large_from(monkeypatch: pytest.MonkeyPatch, records: int) -> None:
    """Imports of ``records`` or more count as large; batches of 10."""
    monkeypatch.setattr(articles_room, "LARGE_IMPORT", records)
    monkeypatch.setattr(fileimport, "FILE_BATCH", 10)


def test_a_large_import_builds_them_at_the_end_and_gives_the_same_library(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_sql: dict[str, str]) -> None:
    xml = pubmed_file(tmp_path / "big.xml")
    with Library.open(tmp_path / "kept.sqlite") as lib:  # below the threshold: kept
        kept = run_import(lib, [str(xml)], client=None)
    large_from(monkeypatch, 20)
    seen: list[tuple[str, dict[str, str]]] = []
    with Library.open(tmp_path / "deferred.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None, progress=lambda _d, _t, what: seen.append(
            (what, index_sql(tmp_path / "deferred.sqlite"))))
    assert report.items == kept.items and report.counts() == {"imported": RECORDS}
    # Set aside for every batch; the user is told when the build (at the end) begins.
    assert seen == [("big.xml", {})] * 3 + [("big.xml (indexing references)", {})]
    assert index_sql(tmp_path / "deferred.sqlite") == fresh_sql  # back, byte for byte
    a, b = dump(tmp_path / "kept.sqlite"), dump(tmp_path / "deferred.sqlite")
    for table in DUMPS:
        assert a[table] == b[table], table
    assert a["reference"]


def test_a_cancelled_import_puts_them_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          fresh_sql: dict[str, str]) -> None:
    large_from(monkeypatch, 20)
    xml = pubmed_file(tmp_path / "big.xml")
    batches: list[int] = []
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None,
                            progress=lambda done, *_: batches.append(done),
                            cancelled=lambda: len(batches) >= 1)
        assert lib.search.count() == 10
    assert report.counts() == {"imported": 10, "cancelled": 1}
    assert index_sql(tmp_path / "lib.sqlite") == fresh_sql


def test_an_import_that_fails_midway_puts_them_back_and_keeps_its_batches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_sql: dict[str, str]) -> None:
    large_from(monkeypatch, 20)
    xml = pubmed_file(tmp_path / "big.xml")

    def broken(done: int, *_: object) -> None:
        if done >= 20:
            raise OSError("disk gone")

    with Library.open(tmp_path / "lib.sqlite") as lib:
        with pytest.raises(OSError, match="disk gone"):
            run_import(lib, [str(xml)], client=None, progress=broken)
        assert lib.search.count() == 20
    assert index_sql(tmp_path / "lib.sqlite") == fresh_sql


def test_a_killed_import_leaves_them_to_the_next_open(
        tmp_path: Path, fresh_sql: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        run_import(lib, [str(pubmed_file(tmp_path / "some.xml"))], client=None)
        deferred = lib.store.reference_lookups_deferred()
        deferred.__enter__()  # set aside; the process "dies" before the block ends
    assert index_sql(path) == {}
    with caplog.at_level(logging.WARNING), Library.open(path) as lib:
        assert index_sql(path) == fresh_sql  # made before anything could read the library
        assert lib.search.count() == RECORDS
    assert "interrupted import" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING), Library.open(path):
        pass
    assert "interrupted import" not in caplog.text  # nothing to make: no write at all


def test_a_small_import_into_a_bigger_library_keeps_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    large_from(monkeypatch, 5)
    seen: list[dict[str, str]] = []
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        run_import(lib, [str(pubmed_file(tmp_path / "first.xml"))], client=None)
        # 10 records (above the threshold) into a library of 25: rebuilding costs more.
        report = run_import(lib, [str(pubmed_file(tmp_path / "more.xml", RECORDS, 10))],
                            client=None, progress=lambda *_: seen.append(index_sql(path)))
    assert report.counts() == {"imported": 10}
    assert seen and all(sorted(s) == sorted(NAMES) for s in seen)


def test_reads_made_meanwhile_give_the_same_answers(tmp_path: Path) -> None:
    """Cited-by lists asked for while they are set aside (the GUI during an import) scan
    the reference table, and agree with the indexed answers."""
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        run_import(lib, [str(pubmed_file(tmp_path / "some.xml", 0, 200))], client=None)
        ids = range(1, 201)
        indexed = {i: lib.articles.cited_by(i) for i in ids}
        with lib.store.reference_lookups_deferred():
            assert index_sql(path) == {}
            scanned = {i: lib.articles.cited_by(i) for i in ids}
    assert scanned == indexed and any(indexed.values())
