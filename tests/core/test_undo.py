"""Undo and redo as a core service (issue 15): named operations, whole restores, refusals."""

from __future__ import annotations

import pytest

from spinelib.errors import SpineLibError
from spinelib.library import Library, Query
from spinelib.library.history import LIMIT
from spinelib.serialize import article_json

from .helpers import make_record


def test_nothing_to_undo(lib: Library) -> None:
    assert lib.history.can_undo() is None and lib.history.can_redo() is None
    with pytest.raises(SpineLibError, match="nothing to undo"):
        lib.history.undo()
    with pytest.raises(SpineLibError, match="nothing to redo"):
        lib.history.redo()


def test_undo_and_redo_an_edit(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    before = article_json(lib, a)
    lib.edits.edit(a, {"year": "2006"})
    after = article_json(lib, a)
    assert lib.history.can_undo().name == "edit of patchell2005direct"  # type: ignore[union-attr]
    assert lib.history.undo().name == "edit of patchell2005direct"
    assert article_json(lib, a) == before and lib.edits.user_edited(a) == set()
    assert lib.history.can_redo() is not None
    lib.history.redo()
    assert article_json(lib, a) == after and lib.edits.user_edited(a) == {"year"}


def test_undo_a_merge_brings_both_back(lib: Library) -> None:
    a = lib.articles.add_record(make_record(pmid="111", doi="")).article_id
    b = lib.articles.add_record(make_record(pmid="222", doi="", abstract="")).article_id
    lib.lists.create("Reading")
    lib.lists.add("Reading", [b])
    ja, jb = article_json(lib, a), article_json(lib, b)
    lib.duplicates.merge(b, [a])
    assert lib.search.count() == 1
    assert lib.history.can_undo().name == "merge of 2 articles"  # type: ignore[union-attr]
    lib.history.undo()
    assert article_json(lib, a) == ja and article_json(lib, b) == jb
    assert lib.articles.resolve_key("111") == a  # the alias went with the undo
    assert len(lib.duplicates.candidates()) == 1
    lib.history.redo()
    assert lib.search.count() == 1 and lib.articles.resolve_key("111") == b


def test_undo_a_delete_and_tag_and_list_changes_in_order(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.tags.create("journal club")
    lib.lists.create("Reading")
    lib.tags.add([a], ["journal club"])
    lib.lists.add("Reading", [a])
    lib.articles.delete([a])
    names = [o.name for o in lib.history.operations()]
    assert names == ["delete of 1 article", "addition to list Reading", "tagging of 1 article"]
    lib.history.undo()
    assert lib.search.count() == 1 and lib.trash.entries() == []
    lib.history.undo()
    assert lib.lists.items("Reading") == []
    lib.history.undo()
    assert "journal club" not in lib.articles.record(a).tags
    lib.history.redo()
    assert "journal club" in lib.articles.record(a).tags
    # A new operation drops the redo branch.
    lib.articles.set_rating(a, 4)
    assert lib.history.can_redo() is None


def test_undo_tag_rename_and_list_delete(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.tags.create("jc")
    lib.tags.create("jc child", parent="jc")
    lib.tags.add([a], ["jc"])
    lib.tags.rename("jc", "journal club")
    assert lib.search.ids(Query(search='tag:"journal club"')) == [a]
    lib.history.undo()
    assert "jc" in lib.articles.record(a).tags
    assert {t.id: t.parent for t in lib.tags.counts()}["jc child"] == "jc"
    lib.lists.create("Reading")
    lib.lists.add("Reading", [a])
    lib.lists.delete("Reading")
    lib.history.undo()
    assert lib.lists.items("Reading") == [a]


def test_undo_refuses_when_the_articles_changed_since(lib: Library) -> None:
    a = lib.articles.add_record(make_record(abstract="")).article_id
    lib.edits.edit(a, {"year": "2006"})
    lib.articles.add_record(make_record(abstract="Filled by a re-import."))  # not logged
    with pytest.raises(SpineLibError, match="changed since"):
        lib.history.undo()
    assert lib.articles.record(a).year == 2006


def test_the_log_keeps_the_last_operations(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    for i in range(LIMIT + 5):
        lib.articles.set_rating(a, 1 + i % 2)  # each call changes it
    assert len(lib.history.operations()) == LIMIT
    for _ in range(LIMIT):
        lib.history.undo()
    with pytest.raises(SpineLibError, match="nothing to undo"):
        lib.history.undo()


def test_undo_a_1000_article_delete(lib: Library) -> None:
    records = [make_record(pmid=str(1000 + i), doi=f"10.5555/x{i}", title=f"Trial {i} of SBRT "
                           "for spinal metastases") for i in range(1000)]
    lib.articles.add_records(records)
    ids = lib.search.ids(Query())
    lib.articles.delete(ids)
    assert lib.search.count() == 0 and len(lib.trash.entries()) == 1000
    assert lib.history.undo().name == "delete of 1,000 articles"
    assert sorted(lib.search.ids(Query())) == sorted(ids) and lib.trash.entries() == []
    assert lib.search.matching("trial 999") != []


def test_undo_redo_undo_of_a_delete_keeps_list_positions(lib: Library) -> None:
    """Articles restored together go back to their exact places (any id order)."""
    ids = [lib.articles.add_record(make_record(pmid=str(500 + i), doi="", title=f"Trial {i} of "
                                               "SBRT for spinal metastases")).article_id
           for i in range(5)]
    lib.lists.create("Reading")
    lib.lists.add("Reading", list(reversed(ids)))
    before = lib.lists.items("Reading")
    lib.articles.delete([ids[0], ids[2], ids[4]])
    for _ in range(3):
        lib.history.undo()
        assert lib.lists.items("Reading") == before
        lib.history.redo()
    lib.history.undo()
    assert lib.lists.items("Reading") == before


def _dump(lib: Library) -> dict[str, list[tuple[object, ...]]]:
    """Every row an undo writes back, without the surrogate ids of child rows."""
    queries = {
        "article": "SELECT * FROM article ORDER BY id",
        "author": "SELECT article_id, position, family, given, initials, collective, orcid, "
                  "suffix FROM author ORDER BY article_id, position",
        "reference": 'SELECT article_id, position, citation, doi, pmid, pmcid FROM "reference" '
                     "ORDER BY article_id, position",
        "tags": "SELECT * FROM article_tag ORDER BY article_id, tag_id",
        "facets": "SELECT * FROM article_facet ORDER BY article_id, facet, value",
        "lists": "SELECT * FROM reading_list_item ORDER BY list_id, position",
        "fts": "SELECT rowid, * FROM article_fts ORDER BY rowid",
        "counts": "SELECT * FROM tag_tree_count WHERE every > 0 ORDER BY tag_id",
        "cover": "SELECT * FROM tag_cover ORDER BY article_id, tag_id",
    }
    with lib.store.reading() as conn:
        return {k: [tuple(r) for r in conn.execute(q)] for k, q in queries.items()}


def test_undo_of_a_big_delete_writes_back_every_row(lib: Library) -> None:
    """200 articles (staged bulk inserts) come back row for row; a tag deleted while they
    were in the trash is skipped, and the kept tag counts stay exact."""
    records = [make_record(pmid=str(3000 + i), doi=f"10.5555/big{i}",
                           title=f"Cohort {i} of separation surgery for spinal metastases")
               for i in range(200)]
    lib.articles.add_records(records)
    ids = sorted(lib.search.ids(Query()))
    keep = lib.tags.create("Keep me")
    gone = lib.tags.create("Gone soon")
    lib.tags.add(ids[::2], [keep])
    lib.tags.add(ids[::3], [gone])
    lib.lists.create("Reading")
    lib.lists.add("Reading", ids[::5])
    before = _dump(lib)
    lib.articles.delete(ids)
    lib.history.undo()
    assert _dump(lib) == before
    lib.history.redo()
    lib.tags.delete(gone)  # while its articles are in the trash
    assert lib.history.undo().name == "delete of 200 articles"
    after = _dump(lib)
    assert after["tags"] == [t for t in before["tags"] if t[1] != gone]
    assert {k: v for k, v in after.items() if k not in ("tags", "fts", "counts", "cover")} == \
        {k: v for k, v in before.items() if k not in ("tags", "fts", "counts", "cover")}
    assert after["cover"] == [c for c in before["cover"] if c[0] != gone]
    with lib.store.reading() as conn:
        kept = lib.store.tagcounts.tree_counts(conn) or {}
        assert {t: c for t, c in kept.items() if c.every} == lib.store.tagcounts.recompute(conn)
