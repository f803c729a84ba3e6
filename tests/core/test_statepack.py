"""The undo log's state format (:mod:`spinelib.store.statepack`): trashed articles' packed
payloads stored as raw bytes beside the state's JSON, round-tripping exactly; states logged
before it still read; a damaged step refused with a plain message; and an undo, redo and
undo of a delete through the Library keep the trash's blobs byte for byte."""

from __future__ import annotations

import base64
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from spinelib.errors import LibraryError
from spinelib.library import Library, Query
from spinelib.library.history import _payload, _trash_blob
from spinelib.store.snapshots import pack, unpack
from spinelib.store.statepack import MAGIC, pack_state, unpack_state

from .helpers import make_record


def _trashed_state(n: int, seed: int = 19) -> dict[str, Any]:
    rng = random.Random(seed)
    articles: dict[str, Any] = {
        str(i): {"sha": f"{i:064x}", "deleted_at": "2026-12-03T02:00:00Z",
                 "trash": rng.randbytes(rng.randrange(0, 3000))} for i in range(n)}
    articles["live"] = {"live": {"article": {"title": "Separation surgery"}, "authors": []}}
    articles["gone"] = None
    return {"a": articles, "l": {"4": None}, "t": {"Teaching": ["Teaching", None]},
            "m": {"7": {"read": 1}}}


def test_a_state_with_1000_payloads_round_trips_exactly() -> None:
    state = _trashed_state(1000)
    blob = pack_state(state)
    assert blob.startswith(MAGIC)
    back = unpack_state(blob)
    assert back == state
    assert all(isinstance(back["a"][str(i)]["trash"], bytes) for i in range(1000))
    # The payloads are stored as they are, not as text: the blob is barely larger.
    assert len(blob) < sum(len(state["a"][str(i)]["trash"]) for i in range(1000)) + 60_000


def test_packing_leaves_the_callers_state_alone() -> None:
    state = _trashed_state(3)
    first = state["a"]["0"]["trash"]
    pack_state(state)
    assert state["a"]["0"]["trash"] is first


def test_a_state_without_payloads_keeps_the_plain_format() -> None:
    state = {"a": {"1": {"live": {"article": {"year": 2017}}}, "2": None}, "l": {}, "t": {}}
    assert pack_state(state) == pack(state)
    assert unpack_state(pack_state(state)) == state


def test_states_logged_before_the_format_still_unpack() -> None:
    snap = {"article": {"citekey": "laufer2013"}, "authors": [[1, "Laufer", "I"]]}
    old = {"a": {"5": {"sha": "ab", "deleted_at": "2026-11-01T00:00:00Z",
                       "trash": base64.b64encode(pack(snap)).decode("ascii")},
                 "6": {"sha": "cd", "deleted_at": "2026-11-01T00:00:00Z", "trash": snap}},
           "l": {}, "t": {}}
    back = unpack_state(pack(old))
    assert back == old
    assert _payload(back["a"]["5"]) == snap and _payload(back["a"]["6"]) == snap


def test_every_payload_form_gives_the_trash_rows_own_blob() -> None:
    snap = {"article": {"citekey": "k"}, "authors": []}
    blob = pack(snap)
    assert _trash_blob({"trash": blob}) is blob
    assert _trash_blob({"trash": base64.b64encode(blob).decode("ascii")}) == blob
    assert unpack(_trash_blob({"trash": snap})) == snap
    assert _payload({"trash": blob}) == snap


@pytest.mark.parametrize("cut", [1, 7, 40, 5000])
def test_a_cut_short_step_is_refused_plainly(cut: int) -> None:
    blob = pack_state(_trashed_state(20))
    with pytest.raises(LibraryError, match="cut short"):
        unpack_state(blob[:-cut])


def test_a_step_with_bytes_to_spare_is_refused_plainly() -> None:
    with pytest.raises(LibraryError, match="cut short"):
        unpack_state(pack_state(_trashed_state(5)) + b"\0")


def _trash_rows(path: Path) -> dict[int, bytes]:
    con = sqlite3.connect(path)
    try:
        return {int(a): bytes(p) for a, p in con.execute(
            "SELECT article_id, payload FROM article_trash")}
    finally:
        con.close()


def test_undo_redo_undo_of_a_delete_keeps_the_trash_blobs_byte_for_byte(
        lib: Library) -> None:
    lib.articles.add_records([make_record(pmid=str(7000 + i), doi=f"10.5555/s{i}",
                                          title=f"Separation surgery series {i}")
                              for i in range(120)])
    ids = sorted(lib.search.ids(Query()))
    lib.articles.delete(ids[:110])
    trashed = _trash_rows(lib.path)
    assert len(trashed) == 110
    con = sqlite3.connect(lib.path)
    after = bytes(con.execute("SELECT after_state FROM undo_log ORDER BY id DESC").fetchone()[0])
    con.close()
    assert after.startswith(MAGIC)  # the new format is what a delete logs
    lib.history.undo()
    assert _trash_rows(lib.path) == {} and lib.search.count() == 120
    lib.history.redo()
    assert _trash_rows(lib.path) == trashed and lib.search.count() == 10
    lib.history.undo()  # the digests still match: the redo put back the same bytes
    assert lib.search.count() == 120


def test_an_undo_step_logged_in_the_old_format_still_undoes(lib: Library) -> None:
    """A library whose last step was logged before this format (base64 payloads)."""
    lib.articles.add_records([make_record(pmid=str(8000 + i), doi=f"10.5555/o{i}",
                                          title=f"Kyphoplasty cohort {i}") for i in range(3)])
    ids = sorted(lib.search.ids(Query()))
    lib.articles.delete(ids)
    con = sqlite3.connect(lib.path)
    op, after = con.execute(
        "SELECT id, after_state FROM undo_log ORDER BY id DESC").fetchone()
    state = unpack_state(bytes(after))
    for unit in state["a"].values():
        unit["trash"] = base64.b64encode(unit["trash"]).decode("ascii")
    con.execute("UPDATE undo_log SET after_state = ? WHERE id = ?", (pack(state), op))
    con.commit()
    con.close()
    assert lib.history.undo().name == "delete of 3 articles"
    assert lib.search.count() == 3
    lib.history.redo()
    assert lib.search.count() == 0 and len(lib.trash.entries()) == 3
