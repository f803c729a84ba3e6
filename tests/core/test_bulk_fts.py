"""The bulk path writes a run's full-text rows in one statement (issue 19); a row left under
a new article's id (a damaged library) is replaced, never doubled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spinelib.library import Library

from .helpers import make_record


def test_a_stale_index_row_under_a_new_id_is_replaced(tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "lib.sqlite"
    Library.open(path).close()
    raw = sqlite3.connect(path)
    with raw:  # index rows for ids 1 and 2 that no article has
        raw.executemany("INSERT INTO article_fts (rowid, title) VALUES (?, 'stale chordoma')",
                        [(1,), (2,)])
    raw.close()
    records = [make_record(title=f"Separation surgery for spinal metastases, cohort {i}",
                           pmid=str(41_000_000 + i), doi=f"10.1000/fts.{i}", pmcid="")
               for i in range(3)]
    with Library.open(path) as lib:
        results = lib.articles.add_records(records)
        assert [r.article_id for r in results] == [1, 2, 3]
    assert "one by one" not in caplog.text  # the run was written whole, not merged singly
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute("SELECT rowid, title FROM article_fts ORDER BY rowid").fetchall()
    finally:
        raw.close()
    assert rows == [(i + 1, f"Separation surgery for spinal metastases, cohort {i}")
                    for i in range(3)]
