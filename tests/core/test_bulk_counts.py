"""A bulk run counts once what the schema's triggers count row by row (issue 19, item 1:
count tables filled per batch): the same tag, facet, subtree and change counts as with the
triggers firing, the same schema afterwards, and a failed run that leaves the counts and
the triggers as they were."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.records import ArticleRecord, MeshHeading
from spinelib.store.bulk import COUNTING_TRIGGERS, BulkSql

from .helpers import make_record

COUNTS = {
    "tag_count": "SELECT tag_id, n FROM tag_count WHERE n != 0 ORDER BY tag_id",
    "facet_count": "SELECT facet, value, n FROM facet_count WHERE n != 0 ORDER BY 1, 2",
    "change_counter": "SELECT n FROM change_counter",
    "tag_cover": "SELECT * FROM tag_cover ORDER BY 1, 2",
    "tag_tree_count": "SELECT * FROM tag_tree_count ORDER BY 1",
    "tag_cover_dirty": "SELECT * FROM tag_cover_dirty ORDER BY 1",
    "triggers": "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
}
#: Counts kept by the triggers, as a recount from the rows finds them.
RECOUNT = {
    "tag_count": "SELECT tag_id, count(*) FROM article_tag WHERE origin != 'rejected' "
                 "GROUP BY tag_id ORDER BY tag_id",
    "facet_count": "SELECT facet, value, count(*) FROM article_facet GROUP BY 1, 2 "
                   "ORDER BY 1, 2",
}


def records(n: int, start: int = 0) -> list[ArticleRecord]:
    """Records whose texts suggest techniques and facets (several per record)."""
    out = []
    for i in range(start, start + n):
        out.append(make_record(
            doi=f"10.5555/count{i}", pmid=str(7300000 + i), pmcid="",
            title=(f"Balloon kyphoplasty versus vertebroplasty for myeloma fractures, "
                   f"cohort {i}" if i % 2 else
                   f"Separation surgery followed by stereotactic body radiotherapy for "
                   f"renal cell carcinoma metastases, series {i}"),
            abstract="METHODS: A retrospective cohort of 40 patients underwent the procedure."
                     " RESULTS: Pain improved.",
            mesh=[MeshHeading("D013131", "Spinal Neoplasms", major=True)]))
    return out


def snapshot(path: Path, queries: dict[str, str]) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        conn.close()


@contextlib.contextmanager
def triggers_count(_self: BulkSql, _conn: object, _first: int, _last: int) -> Iterator[None]:
    yield  # the reference: nothing paused, the triggers count row by row


def import_twice(lib: Library) -> None:
    """Two imports of several batches each, with a user tag, into one library."""
    lib.tags.create("journal club")
    lib.articles.add_records(records(30), tags=["journal club"], batch=8)
    lib.articles.add_records(records(25, start=30), batch=10)


def test_a_bulk_run_counts_as_the_triggers_do(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with Library.open(tmp_path / "counted.sqlite") as lib:
        import_twice(lib)
    with monkeypatch.context() as m:
        m.setattr(BulkSql, "counted_run", triggers_count)
        with Library.open(tmp_path / "triggers.sqlite") as lib:
            import_twice(lib)
    counted = snapshot(tmp_path / "counted.sqlite", COUNTS)
    assert counted == snapshot(tmp_path / "triggers.sqlite", COUNTS)
    # Not vacuous: there were tags, facets and covers to count, and the triggers are back.
    assert len(counted["tag_count"]) >= 3 and len(counted["facet_count"]) >= 2
    assert counted["tag_cover"] and counted["change_counter"][0][0] >= 55
    assert set(COUNTING_TRIGGERS) <= {name for name, _ in counted["triggers"]}
    recount = snapshot(tmp_path / "counted.sqlite", RECOUNT)
    assert counted["tag_count"] == recount["tag_count"]
    assert counted["facet_count"] == recount["facet_count"]


def test_the_triggers_count_again_after_a_bulk_run(tmp_path: Path) -> None:
    """The re-created triggers work: tags added by hand afterwards are counted by them."""
    with Library.open(tmp_path / "lib.sqlite") as lib:
        ids = [r.article_id for r in lib.articles.add_records(records(12), batch=5)]
        assert all(ids)
        tag_id = lib.tags.create("journal club")
        lib.tags.add(ids[:3], [tag_id])
    counts = snapshot(tmp_path / "lib.sqlite", COUNTS)
    assert (tag_id, 3) in counts["tag_count"]
    assert counts["tag_count"] == snapshot(tmp_path / "lib.sqlite", RECOUNT)["tag_count"]


def test_a_failed_run_leaves_counts_and_triggers_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure inside the run rolls back its rows and the triggers' absence with them;
    its records are then stored one by one, the triggers counting them."""
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records(records(6), batch=6)
        before = snapshot(tmp_path / "lib.sqlite", COUNTS)

        def broken(*_args: object) -> None:
            raise sqlite3.OperationalError("disk I/O error (simulated)")

        monkeypatch.setattr(BulkSql, "insert_facets", broken)
        results = lib.articles.add_records(records(6, start=6), batch=6)
        assert [r.status for r in results] == ["imported"] * 6
    after = snapshot(tmp_path / "lib.sqlite", COUNTS)
    recount = snapshot(tmp_path / "lib.sqlite", RECOUNT)
    assert after["triggers"] == before["triggers"]
    assert after["tag_count"] == recount["tag_count"] != before["tag_count"]
    assert after["facet_count"] == recount["facet_count"] != before["facet_count"]
    assert after["change_counter"][0][0] > before["change_counter"][0][0]
