"""The bulk path's larger page cache (issue 19) is the batch's alone: it is in force while a
batch is written and the connection has its usual size again afterwards, also after a
failed batch (the GUI's memory is measured with the default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.library.bulk import BulkMerger
from spinelib.store.sqlite.dialect import ROOMY_CACHE_KIB, SqliteDialect

from .helpers import make_record


def _cache_size(lib: Library) -> int:
    with lib.store.reading() as conn:
        return int(conn.scalar("PRAGMA cache_size"))


def test_a_batch_runs_with_the_roomy_cache_and_gives_it_back(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    seen: list[int] = []
    real = SqliteDialect.fulltext_insert_new

    def spy(self: SqliteDialect, conn: object, docs: list[object]) -> None:
        seen.extend([int(conn.scalar("PRAGMA cache_size"))] * len(docs))  # type: ignore[attr-defined]
        real(self, conn, docs)  # type: ignore[arg-type]

    monkeypatch.setattr(SqliteDialect, "fulltext_insert_new", spy)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        before = _cache_size(lib)
        assert before != ROOMY_CACHE_KIB
        records = [make_record(title=f"Spinal metastasis series number {i}",
                               pmid=str(40_000_000 + i), doi=f"10.1000/bench.{i}", pmcid="")
                   for i in range(3)]
        results = lib.articles.add_records(records)
        assert [r.status for r in results] == ["imported"] * 3
        assert seen == [ROOMY_CACHE_KIB] * 3  # every article's rows written inside the batch
        assert _cache_size(lib) == before


def test_the_cache_comes_back_after_a_failed_batch(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, conn: object, recs: object, *rest: object) -> None:
        raise RuntimeError("boom")

    with Library.open(tmp_path / "lib.sqlite") as lib:
        before = _cache_size(lib)
        monkeypatch.setattr(BulkMerger, "_write_batch", broken)
        with pytest.raises(RuntimeError, match="boom"):
            lib.articles.add_records([make_record()])
        assert _cache_size(lib) == before
        assert lib.search.count() == 0


def test_an_import_keeps_its_cache_at_the_import_ceiling_where_a_restore_grows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore's cache grows with the library (up to ROOMY_CACHE_MAX_KIB); an import's
    stays at IMPORT_CACHE_MAX_KIB, so a 100,000-record file imports under 300 MB. The share
    is shrunk so that this small library counts as a big one."""
    from spinelib.store import bulk as store_bulk
    from spinelib.store.sqlite import dialect as sqlite_dialect

    monkeypatch.setattr(sqlite_dialect, "ROOMY_CACHE_SHARE", 1e-4)
    seen: list[int] = []
    real = SqliteDialect.fulltext_insert_new

    def spy(self: SqliteDialect, conn: object, docs: list[object]) -> None:
        seen.append(int(conn.scalar("PRAGMA cache_size")))  # type: ignore[attr-defined]
        real(self, conn, docs)  # type: ignore[arg-type]

    monkeypatch.setattr(SqliteDialect, "fulltext_insert_new", spy)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records([make_record(title="Cement leakage after kyphoplasty",
                                              pmid="40000001", doi="10.1000/cap.1", pmcid="")])
        assert seen == [-store_bulk.IMPORT_CACHE_MAX_KIB]
        with lib.store.writing() as conn, lib.store.bulk.dialect.roomy_cache(conn):
            assert int(conn.scalar("PRAGMA cache_size")) == -sqlite_dialect.ROOMY_CACHE_MAX_KIB
    assert store_bulk.IMPORT_CACHE_MAX_KIB < sqlite_dialect.ROOMY_CACHE_MAX_KIB
