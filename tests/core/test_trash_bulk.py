"""``trash restore`` of many articles at once (one bulk write): every row back, the same
refusals and fresh keys as restoring them one by one, all or nothing."""

from __future__ import annotations

import pytest

from spinelib.errors import NoMatch, SpineLibError
from spinelib.library import Library, Query

from .helpers import make_record
from .test_undo import _dump


def test_restoring_200_articles_brings_back_every_row(lib: Library) -> None:
    lib.articles.add_records([make_record(pmid=str(4000 + i), doi=f"10.5555/r{i}",
                                          title=f"Series {i} of vertebral augmentation")
                              for i in range(200)])
    ids = sorted(lib.search.ids(Query()))
    lib.tags.add(ids[::4], [lib.tags.create("Augmentation")])
    lib.lists.create("Reading")
    lib.lists.add("Reading", ids[::7])
    before = _dump(lib)
    lib.trash.delete(ids)
    results = lib.trash.restore(list(reversed(ids)))
    assert [r.article_id for r in results] == list(reversed(ids))
    assert all(r.messages == [] for r in results)
    assert _dump(lib) == before and lib.trash.entries() == []
    assert lib.history.undo().name == "restore of 200 articles"
    assert lib.search.count() == 0 and len(lib.trash.entries()) == 200


def test_two_trashed_articles_with_one_key_restore_with_a_fresh_second_key(
        lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.trash.delete([a])
    b = lib.articles.add_record(make_record(doi="10.9999/x", pmid="9", pages="1-2")).article_id
    lib.trash.delete([b])  # both keys are now 'patchell2005direct', both in the trash
    first, second = lib.trash.restore([a, b])
    assert first.citekey == "patchell2005direct" and first.messages == []
    assert second.citekey != first.citekey and "restored as" in second.messages[0]
    assert lib.search.count() == 2


def test_a_clash_refuses_the_whole_restore(lib: Library) -> None:
    a = lib.articles.add_record(make_record(doi="")).article_id
    b = lib.articles.add_record(make_record(doi="10.9999/b", pmid="77",
                                            title="Another SBRT series")).article_id
    lib.trash.delete([a, b])
    other = lib.articles.add_record(make_record(doi="10.9999/x", pmid="", title="Unrelated"))
    with lib.store.writing() as conn:  # another writer stored a's PMID on a live article
        lib.store.articles.update(conn, [other.article_id], {"pmid": "16112300"})
    with pytest.raises(SpineLibError, match="now belongs to"):
        lib.trash.restore([b, a])
    assert sorted(e.article_id for e in lib.trash.entries()) == sorted([a, b])
    assert lib.search.count() == 1
    with pytest.raises(NoMatch, match="not in the trash"):
        lib.trash.restore([b, other.article_id])
    assert len(lib.trash.entries()) == 2
