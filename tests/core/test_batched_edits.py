"""Ratings and notes for many articles at once (``lib.articles.set_ratings`` and
``set_notes_many``, issue 19): one transaction and one undo step each, the notes searchable,
bad input refused with nothing changed; the one-article calls behave as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import corpus
from spinelib.errors import SpineLibError
from spinelib.library import Library


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    library.articles.add_records(corpus.articles(4, 0, 6))
    return library


def _ratings(lib: Library, ids: list[int]) -> list[int]:
    return [lib.articles.state(i).rating for i in ids]


def test_set_ratings_rates_a_selection_in_one_undo_step(lib: Library) -> None:
    ids = lib.search.ids()
    lib.articles.set_rating(ids[0], 2)
    steps = len(lib.history.operations())
    lib.articles.set_ratings(ids[:4], 5)
    assert _ratings(lib, ids) == [5, 5, 5, 5, 0, 0]
    assert len(lib.history.operations()) == steps + 1
    lib.history.undo()  # one step back: every article of the selection as it was
    assert _ratings(lib, ids) == [2, 0, 0, 0, 0, 0]


def test_a_bad_rating_is_refused_and_changes_nothing(lib: Library) -> None:
    ids = lib.search.ids()
    steps = len(lib.history.operations())
    with pytest.raises(SpineLibError, match="0 to 5 stars"):
        lib.articles.set_ratings(ids, 6)
    with pytest.raises(SpineLibError, match="0 to 5 stars"):
        lib.articles.set_rating(ids[0], -1)
    assert _ratings(lib, ids) == [0] * len(ids)
    assert len(lib.history.operations()) == steps


def test_set_notes_many_writes_every_note_searchable_in_one_undo_step(lib: Library) -> None:
    ids = lib.search.ids()
    steps = len(lib.history.operations())
    lib.articles.set_notes_many({ids[1]: "zygomorphic follow-up", ids[3]: "ask zygomorphic"})
    assert lib.articles.record(ids[1]).notes == "zygomorphic follow-up"
    assert lib.articles.record(ids[3]).notes == "ask zygomorphic"
    assert sorted(lib.search.matching("zygomorphic")) == sorted([ids[1], ids[3]])
    assert len(lib.history.operations()) == steps + 1
    lib.history.undo()
    assert lib.articles.record(ids[1]).notes == "" and lib.search.matching("zygomorphic") == []
    lib.articles.set_notes(ids[2], "single zygomorphic")  # the one-article call, unchanged
    assert lib.search.matching("zygomorphic") == [ids[2]]
