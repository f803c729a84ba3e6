"""The bulk path pauses Python's cycle collector and runs it only once young objects have
piled up (issue 19): a batch that leaves cycles behind still has them freed, and a batch
that leaves nothing pays no pass over the next batch's records."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from spinelib.library import Library, bulk
from spinelib.records import ArticleRecord

from .helpers import make_record


class _Cyclic:
    """An object in a reference cycle with itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _records(start: int, n: int) -> list[ArticleRecord]:
    return [make_record(title=f"Spinal metastasis cohort {i}", pmid=str(41_000_000 + i),
                        doi=f"10.1000/collect.{i}", pmcid="") for i in range(start, start + n)]


def _passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    passes: list[int] = []
    real = gc.collect

    def counted(generation: int = 2) -> int:
        passes.append(generation)
        return real(generation)

    monkeypatch.setattr(bulk.gc, "collect", counted)
    return passes


def test_no_pass_while_few_objects_are_young(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    passes = _passes(monkeypatch)
    monkeypatch.setattr(bulk, "YOUNG_OBJECTS_COLLECTED", 10_000_000)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        results = lib.articles.add_records(_records(0, 6), batch=2)
        assert [r.status for r in results] == ["imported"] * 6
    assert passes == []


def test_cycles_left_by_batches_are_freed_once_they_pile_up(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    passes = _passes(monkeypatch)
    monkeypatch.setattr(bulk, "YOUNG_OBJECTS_COLLECTED", 0)  # past it after every batch
    left: list[weakref.ref[_Cyclic]] = []
    real_write = bulk.BulkMerger._write_batch

    def leaky(self: bulk.BulkMerger, *args: object, **kwargs: object) -> object:
        cycle = _Cyclic()
        left.append(weakref.ref(cycle))
        del cycle  # unreachable now, but its cycle keeps it alive until a pass
        return real_write(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk.BulkMerger, "_write_batch", leaky)
    was = gc.isenabled()
    gc.disable()  # as during an import: no automatic pass may free them instead
    try:
        with Library.open(tmp_path / "lib.sqlite") as lib:
            lib.articles.add_records(_records(0, 6), batch=2)
    finally:
        if was:
            gc.enable()
    assert passes == [1, 1, 1]
    assert len(left) == 3 and all(ref() is None for ref in left)
