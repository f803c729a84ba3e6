"""Confirmed tags versus open suggestions: counts, filters and judging a whole selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.errors import SpineLibError
from spinelib.library import Library, Query, TagMatch

from .helpers import make_record


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def _three_suggested(lib: Library) -> list[int]:
    """Three articles the vocabulary suggests SBRT for (by their titles)."""
    ids = []
    for n in range(3):
        rec = make_record(title=f"Stereotactic body radiotherapy for spinal metastases {n}",
                          doi=f"10.1234/srt{n}", pmid=str(900 + n))
        ids.append(lib.articles.add_record(rec).article_id)
    for a in ids:
        assert {t.id for t in lib.tags.state(a).suggested} == {"sbrt_srs"}
    return ids


def _count(lib: Library, tag: str, q: Query | None = None) -> tuple[int, int, int]:
    c = {t.id: t for t in lib.tags.counts(q)}[tag]
    return c.count, c.confirmed, c.suggested


def test_counts_split_confirmed_from_suggested(lib: Library) -> None:
    ids = _three_suggested(lib)
    before = _count(lib, "sbrt_srs")
    assert before[1] == 0 and before[2] == before[0] >= 3
    lib.tags.accept(ids[0], "sbrt_srs")
    lib.tags.reject(ids[1], "sbrt_srs")
    total, confirmed, suggested = _count(lib, "sbrt_srs")
    assert confirmed == 1
    assert suggested == before[2] - 2
    assert total == confirmed + suggested
    # Scoped counts follow the same rule.
    scoped = _count(lib, "sbrt_srs", Query(ids=ids[:2]))
    assert scoped == (1, 1, 0)
    # A parent counts its subtree, split the same way.
    assert _count(lib, "radiotherapy", Query(ids=ids)) == (2, 1, 1)


def test_tag_filter_confirmed_or_with_suggestions(lib: Library) -> None:
    ids = _three_suggested(lib)
    lib.tags.accept(ids[2], "sbrt_srs")
    confirmed = lib.search.ids(Query(tags=["sbrt_srs"], tag_match=TagMatch.CONFIRMED))
    assert confirmed == [ids[2]]
    every = lib.search.ids(Query(tags=["sbrt_srs"], tag_match=TagMatch.WITH_SUGGESTIONS))
    assert set(ids) <= set(every)
    # The sidebar's numbers equal what the filter shows, both ways.
    total, n_confirmed, _ = _count(lib, "sbrt_srs")
    assert n_confirmed == len(confirmed) and total == len(every)


def test_judge_many_accepts_only_open_suggestions_in_one_go(lib: Library) -> None:
    ids = _three_suggested(lib)
    lib.tags.reject(ids[0], "sbrt_srs")          # a rejection stays a rejection
    plain = lib.articles.add_record(make_record(title="Sacral chordoma resection",
                                                doi="10.1234/x", pmid="77")).article_id
    judged = lib.tags.judge_many([*ids, plain], "sbrt_srs", accept=True)
    assert judged == 2
    assert {t.id for t in lib.tags.state(ids[0]).rejected} == {"sbrt_srs"}
    assert all("sbrt_srs" in {t.id for t in lib.tags.state(a).tags} for a in ids[1:])
    assert "sbrt_srs" not in {t.id for t in lib.tags.state(plain).tags}
    assert lib.tags.judge_many(ids, "sbrt_srs", accept=False) == 0
    with pytest.raises(SpineLibError):
        lib.tags.judge_many(ids, "no such tag at all", accept=True)


def test_judging_suggestions_keeps_the_search_in_step(lib: Library) -> None:
    """A rejected suggestion's tag is no longer searchable text of the article; an accepted
    one still is, and the rest of the article's text stays found (only the tags' text of
    its index row is rewritten)."""
    ids = _three_suggested(lib)
    title = lib.search.rows([ids[1]])[ids[1]].title
    assert set(ids) <= set(lib.search.ids(Query(search="sbrt_srs")))
    assert lib.tags.judge_many(ids[:2], "sbrt_srs", accept=False) == 2
    lib.tags.accept(ids[2], "sbrt_srs")
    found = set(lib.search.ids(Query(search="sbrt_srs")))
    assert ids[2] in found and not found & set(ids[:2])
    assert ids[1] in lib.search.ids(Query(search=f'"{title}"'))
    lib.history.undo()  # the acceptance undone: still a suggestion, still searchable
    assert ids[2] in lib.search.ids(Query(search="sbrt_srs"))
    assert lib.check() == []


def test_delete_and_move_user_tags(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    parent = lib.tags.create("Teaching")
    child = lib.tags.create("Teaching 2026", parent=parent)
    lib.tags.add([a], [parent])
    with pytest.raises(SpineLibError, match="itself"):
        lib.tags.move(parent, child)
    with pytest.raises(SpineLibError, match="vocabulary"):
        lib.tags.delete("radiotherapy")
    assert lib.tags.delete(parent) == 1
    tags = {t.id: t for t in lib.tags.counts()}
    assert parent not in tags and tags[child].parent is None
    assert lib.tags.state(a).tags == []
    assert lib.tags.move(child, "radiotherapy") == "radiotherapy"
    assert {t.id: t.parent for t in lib.tags.counts()}[child] == "radiotherapy"
