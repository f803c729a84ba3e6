"""The benchmark corpus's quicker draws (:class:`benchmarks.corpus._Draws`) return exactly
what :class:`random.Random` returns from the same seed, call after call: the generated
libraries and files must not change with them (their cache key says they do not)."""

from __future__ import annotations

import random

import pytest

from benchmarks import corpus


@pytest.mark.parametrize("seed", ["spinelib-bench:1:0:core", "spinelib-bench:7:99:body", "x"])
def test_draws_match_the_standard_generator_call_for_call(seed: str) -> None:
    ours, standard = corpus._Draws(seed), random.Random(seed)
    sizes = [1, 2, 3, 5, 7, 8, 9, 17, 31, 32, 33, 100, 1000, 2**20 + 1]
    for size in sizes * 40:
        seq = tuple(range(size))
        assert ours.choice(seq) == standard.choice(seq)
        assert ours.randint(-3, size) == standard.randint(-3, size)
        assert ours.randrange(size) == standard.randrange(size)
        assert ours.randrange(5, size + 6) == standard.randrange(5, size + 6)
        # the draws the corpus leaves to the standard methods stay in step too
        assert ours.random() == standard.random()
        assert ours.sample(seq, min(2, size)) == standard.sample(seq, min(2, size))


def test_draws_refuse_what_the_standard_generator_refuses() -> None:
    with pytest.raises(IndexError):
        corpus._Draws(1).choice(())
    with pytest.raises(ValueError):
        corpus._Draws(1).randint(5, 3)
    with pytest.raises(ValueError):
        corpus._Draws(1).randrange(0)
    assert corpus._Draws(3).randrange(0, 10, 3) == random.Random(3).randrange(0, 10, 3)


def test_a_generated_article_is_the_same_through_either_generator(
        monkeypatch: pytest.MonkeyPatch) -> None:
    quick = corpus.articles(2, 40, 43)
    monkeypatch.setattr(corpus, "_Draws", random.Random)
    assert corpus.articles(2, 40, 43) == quick
