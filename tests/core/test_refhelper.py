"""The first copy's reference helper (:mod:`spinelib.store.refhelper`, issue 19): the rows it
ships are exactly the rows made in process, in batch order; a helper that cannot start,
dies, or meets a malformed list only means the lists are written here, where a malformed
one fails as it always did."""

from __future__ import annotations

import json
import logging
import subprocess
from typing import Any

import pytest

from spinelib.library import Library
from spinelib.store import refhelper
from spinelib.store.refhelper import ReferenceHelper, ReferenceWriter, reference_rows


def _lists(start: int, n: int) -> list[tuple[int, str]]:
    """n articles' lists from id ``start``: full, short (NULLs), empty and odd entries."""
    out = []
    for aid in range(start, start + n):
        refs: list[list[Any]] = [[0, f"Cited {aid}, [1]", f"10.1/{aid}", str(aid), None],
                                 [1, "Text only \u00e9 \"q\""], [2, "DOI", "10.2/x"]]
        out.append((aid, json.dumps(refs[:aid % 4])))
    return out


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper from the first batch, an image every two, on any machine."""
    monkeypatch.setattr(refhelper, "HELPER_AFTER", 0)
    monkeypatch.setattr(refhelper, "SHIP_EVERY", 2)
    monkeypatch.setattr(ReferenceHelper, "worth_it", staticmethod(lambda: True))


def _stored(lib: Library) -> list[tuple[Any, ...]]:
    with lib.store.reading() as conn:
        return [tuple(r) for r in conn.all(
            'SELECT article_id, position, citation, doi, pmid, pmcid FROM "reference" '
            "ORDER BY id")]


def _write(lib: Library, batches: list[list[tuple[int, str]]]) -> ReferenceWriter:
    with lib.store.bulk_writing() as conn:
        writer = ReferenceWriter(conn)
        try:
            for lists in batches:
                writer.add(lists)
            writer.finish()
        finally:
            writer.close()
    return writer


@pytest.mark.usefixtures("eager")
def test_shipped_rows_equal_rows_made_here_in_batch_order(lib: Library) -> None:
    batches = [_lists(1 + 10 * k, 10) for k in range(5)]
    writer = _write(lib, batches)
    expected = reference_rows([x for b in batches for x in b])
    assert writer.shipped == len(expected) > 0 and writer.written_here == 0
    assert _stored(lib) == expected
    # The scratch schema is gone with the write, and the library is sound.
    with lib.store.reading() as conn:
        assert [r[1] for r in conn.all("PRAGMA database_list")] == ["main"]
        assert conn.scalar("PRAGMA integrity_check") == "ok"


def test_small_copies_and_single_cores_never_start_it(lib: Library,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a))
    batches = [_lists(1 + 10 * k, 10) for k in range(refhelper.HELPER_AFTER)]
    writer = _write(lib, batches)
    assert started == [] and writer.shipped == 0
    monkeypatch.setattr(refhelper, "HELPER_AFTER", 0)
    monkeypatch.setattr(ReferenceHelper, "worth_it", staticmethod(lambda: False))
    writer = _write(lib, [_lists(100, 10)])
    assert started == [] and writer.shipped == 0
    assert _stored(lib) == reference_rows([x for b in batches for x in b] + _lists(100, 10))


@pytest.mark.usefixtures("eager")
def test_a_helper_that_cannot_start_or_dies_is_replaced_by_writing_here(
        lib: Library, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    batches = [_lists(1 + 10 * k, 10) for k in range(7)]
    real_request = ReferenceHelper.request_ship
    calls: list[int] = []

    def dies_before_the_second_image(self: ReferenceHelper) -> None:
        calls.append(1)
        if len(calls) == 2:  # the first image is in; the helper dies with lists unshipped
            assert self._proc is not None
            self._proc.kill()
            self._proc.wait()
        real_request(self)

    monkeypatch.setattr(ReferenceHelper, "request_ship", dies_before_the_second_image)
    with caplog.at_level(logging.WARNING, logger="spinelib.store.refhelper"):
        writer = _write(lib, batches)
    assert writer.shipped > 0 and writer.written_here > 0
    assert "reference helper process failed" in caplog.text
    assert _stored(lib) == reference_rows([x for b in batches for x in b])

    with lib.store.writing() as conn:
        conn.execute('DELETE FROM "reference"')

    def cannot_start(*_a: object, **_k: object) -> None:
        raise OSError("no such file")

    monkeypatch.setattr(subprocess, "Popen", cannot_start)
    writer = _write(lib, batches)
    assert writer.shipped == 0 and writer.written_here == len(_stored(lib)) > 0
    assert _stored(lib) == reference_rows([x for b in batches for x in b])


@pytest.mark.parametrize("helped", [False, True])
@pytest.mark.parametrize(("bad", "error"), [('{"a": 1}', TypeError), ("[1]", TypeError),
                                            ("[[0, \"x\"]] [", ValueError)])
def test_a_malformed_list_fails_the_write_alike_with_or_without_the_helper(
        lib: Library, monkeypatch: pytest.MonkeyPatch, helped: bool, bad: str,
        error: type[Exception]) -> None:
    if helped:
        monkeypatch.setattr(refhelper, "HELPER_AFTER", 0)
        monkeypatch.setattr(refhelper, "SHIP_EVERY", 2)
        monkeypatch.setattr(ReferenceHelper, "worth_it", staticmethod(lambda: True))
    batches = [_lists(1, 10), _lists(11, 10), [(21, bad)], _lists(22, 10)]
    with pytest.raises(error):
        _write(lib, batches)
    assert _stored(lib) == []  # the whole write rolled back


def test_a_frozen_build_starts_no_helper_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a frozen build ``sys.executable`` is SpineLib itself: ``-m`` would start the app
    (a window, for the desktop build), not a helper. Both helpers write in process there."""
    import sys

    from spinelib.bulkvocab import HelperVocabulary

    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert ReferenceHelper.worth_it() and HelperVocabulary.worth_it(5000, 1000)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert not ReferenceHelper.worth_it()
    assert not HelperVocabulary.worth_it(5000, 1000)
