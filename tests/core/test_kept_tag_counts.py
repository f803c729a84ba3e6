"""Subtree counts kept by the store (issue 19): after every kind of write the kept
``tag_tree_count`` equals a recomputation from ``article_tag`` and the tag tree, and the
sidebar's counts equal what the slower direct count finds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.store.outbox import apply_server_article, snapshot
from spinelib.store.sqlite import schema_v10_query
from spinelib.store.tagcounts import TreeCount, covers

from .helpers import make_record

TITLES = ("Stereotactic body radiotherapy for spinal metastases",
          "Percutaneous vertebroplasty for osteoporotic and myeloma fractures",
          "Balloon kyphoplasty versus vertebroplasty in multiple myeloma",
          "Separation surgery followed by SBRT for metastatic epidural compression",
          "En bloc spondylectomy for chordoma of the mobile spine",
          "Conventional radiotherapy for spinal cord compression")


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def _add(lib: Library, n: int = 6) -> list[int]:
    return [lib.articles.add_record(make_record(
        title=f"{TITLES[i % len(TITLES)]} ({i})", doi=f"10.1234/kc{i}", pmid=str(5000 + i),
    )).article_id for i in range(n)]


def assert_exact(lib: Library) -> dict[str, TreeCount]:
    """Kept counts == recomputed counts, and the sidebar == the direct (scoped) count."""
    with lib.store.reading() as conn:
        kept = lib.store.tagcounts.tree_counts(conn)
        fresh = lib.store.tagcounts.recompute(conn)
    assert kept is not None
    assert {t: c for t, c in kept.items() if c.every or c.confirmed} == fresh
    every_id = lib.search.ids()
    sidebar = {(t.id, t.count, t.confirmed, t.suggested) for t in lib.tags.counts()}
    direct = {(t.id, t.count, t.confirmed, t.suggested)
              for t in lib.tags.counts(Query(ids=every_id))} if every_id else {
        (t, 0, 0, 0) for t, *_ in sidebar}
    assert sidebar == direct
    return kept


def test_adding_records_counts_their_suggestions_up_the_tree(lib: Library) -> None:
    _add(lib)
    kept = assert_exact(lib)
    assert kept["radiotherapy"].every >= 2  # a parent counts its subtree's articles once


def test_tag_edits_keep_counts_exact(lib: Library) -> None:
    ids = _add(lib)
    teaching = lib.tags.create("Teaching")
    lib.tags.add(ids[:3], [teaching, "radiotherapy"])
    assert_exact(lib)
    lib.tags.accept(ids[0], "sbrt_srs")
    lib.tags.reject(ids[3], "sbrt_srs")
    assert_exact(lib)
    lib.tags.judge_many(ids, "vertebroplasty", accept=True)
    assert_exact(lib)
    lib.tags.remove(ids[:2], [teaching, "radiotherapy"])
    kept = assert_exact(lib)
    assert kept[teaching] == TreeCount(1, 1)


def test_moving_renaming_merging_and_deleting_tags_keep_counts_exact(lib: Library) -> None:
    ids = _add(lib)
    parent = lib.tags.create("Teaching")
    child = lib.tags.create("Teaching 2026", parent=parent)
    grandchild = lib.tags.create("Week 1", parent=child)
    lib.tags.add(ids[:2], [grandchild])
    lib.tags.add(ids[1:4], [child])
    kept = assert_exact(lib)
    assert kept[parent] == TreeCount(4, 4)
    lib.tags.move(child, "radiotherapy")           # a subtree moves under the vocabulary
    kept = assert_exact(lib)
    assert parent not in kept or kept[parent].every == 0
    renamed = lib.tags.rename(child, "Teaching 2027")
    assert_exact(lib)
    lib.tags.move(renamed, parent)
    other = lib.tags.create("Journal club")
    lib.tags.add(ids[4:], [other])
    lib.tags.merge(other, renamed)
    kept = assert_exact(lib)
    assert kept[parent].every == 6
    lib.tags.delete(renamed)                        # its child comes up to its parent
    kept = assert_exact(lib)
    assert kept[grandchild] == TreeCount(2, 2) and kept[parent].every == 2


def test_deleting_trashing_restoring_and_merging_articles_keep_counts_exact(
        lib: Library) -> None:
    ids = _add(lib)
    lib.tags.add(ids, [lib.tags.create("Teaching")])
    lib.trash.delete(ids[:2])
    kept = assert_exact(lib)
    assert kept["Teaching"].every == 4
    lib.trash.restore(ids[:1])
    assert assert_exact(lib)["Teaching"].every == 5
    lib.trash.empty()
    lib.articles.delete(ids[2:3])
    assert assert_exact(lib)["Teaching"].every == 4
    lib.duplicates.merge(ids[3], [ids[4]])
    assert assert_exact(lib)["Teaching"].every == 3


def test_undo_and_redo_keep_counts_exact(lib: Library) -> None:
    ids = _add(lib)
    lib.tags.add(ids[:3], [lib.tags.create("Teaching")])
    lib.trash.delete(ids[:1])
    assert assert_exact(lib)["Teaching"].every == 2
    lib.history.undo()
    assert assert_exact(lib)["Teaching"].every == 3
    lib.history.undo()
    assert assert_exact(lib).get("Teaching", TreeCount(0, 0)).every == 0
    lib.history.redo()
    assert assert_exact(lib)["Teaching"].every == 3


def test_a_team_pull_keeps_counts_exact(lib: Library, tmp_path: Path) -> None:
    """A pulled article's tags replace the replica's (the pull's own write path)."""
    ids = _add(lib, 2)
    lib.tags.add(ids, [lib.tags.create("Teaching")])
    with lib.store.reading() as conn:
        shared, private = snapshot(conn, ids[0]) or ({}, {})
    pulled = dict(shared, doi="10.1234/pulled", pmid="999", citekey="pulled2026",
                  tags=[t for t in shared["tags"] if json.loads(t)[0] != "Teaching"]
                  + [json.dumps(["Server tag", "Server tag", "user", "user", ""])])
    with lib.store.writing() as conn:
        apply_server_article(conn, "uuid-1", 1, pulled, False, private)
    kept = assert_exact(lib)
    assert kept["Server tag"] == TreeCount(1, 1) and kept["Teaching"].every == 2


def test_the_schema_step_fills_the_counts_of_an_existing_library(lib: Library) -> None:
    """An older library's counts are filled by the step itself (same numbers)."""
    ids = _add(lib)
    child = lib.tags.create("Week 1", parent=lib.tags.create("Teaching"))
    lib.tags.add(ids[:3], [child])
    with lib.store.reading() as conn:
        before = lib.store.tagcounts.tree_counts(conn)
    raw = sqlite3.connect(lib.path)
    with raw:
        raw.execute("DELETE FROM tag_cover")
        raw.execute("DELETE FROM tag_tree_count")
        for statement in schema_v10_query.DDL:
            if statement.startswith("INSERT"):
                raw.execute(statement)
    raw.close()
    assert assert_exact(lib) == before


def test_a_read_inside_an_unsettled_write_counts_directly(lib: Library) -> None:
    ids = _add(lib, 2)
    teaching = lib.tags.create("Teaching")
    with lib.store.writing() as conn:
        lib.store.tags.assign(conn, [(ids[0], teaching)], "user")
        assert lib.store.tagcounts.tree_counts(conn) is None
        assert {t.id: t.count for t in lib.tags.counts()}[teaching] == 1
    assert assert_exact(lib)[teaching] == TreeCount(1, 1)


def test_recount_is_idempotent_for_a_bulk_path(lib: Library) -> None:
    ids = _add(lib)
    with lib.store.writing() as conn:
        lib.store.tagcounts.recount(conn, ids)
        lib.store.tagcounts.recount(conn, ids + [10_000])  # an id with no article
    assert_exact(lib)


def test_covers_walk_up_once_and_survive_a_cycle() -> None:
    parents: dict[str, str | None] = {"a": "b", "b": "a", "c": "a", "root": None}
    got = covers([(1, "c", False), (1, "a", True), (2, "root", False)], parents)
    assert got == {1: {"c": False, "a": True, "b": True}, 2: {"root": False}}
