"""``pack``/``unpack``: the undo log's and the trash's stored snapshots round-trip exactly,
whichever coding a payload gets (level 6 small, level 1 large text, Huffman only for large
payloads that hardly compress, such as base64 of already compressed snapshots)."""

from __future__ import annotations

import base64
import json
import random
import zlib

from spinelib.store.snapshots import FAST_PACK_BYTES, pack, unpack


def _raw_size(data: object) -> int:
    return len(json.dumps(data, separators=(",", ":")).encode("utf-8"))


def test_a_small_snapshot_round_trips() -> None:
    data = {"article": {"title": "Separation surgery", "year": 2017}, "authors": [[1, "Laufer"]]}
    assert unpack(pack(data)) == data


def test_a_large_text_state_round_trips_and_compresses_well() -> None:
    rows = [[i, f"Reference {i}: Laufer I, Bilsky MH. Spine J. 2013;{i % 40}:1-9.",
             f"10.1016/j.spinee.{i}", str(20000000 + i), None] for i in range(40000)]
    data = {"a": {"1": {"live": {"references": rows}}}, "l": {}, "t": {}}
    assert _raw_size(data) > FAST_PACK_BYTES
    blob = pack(data)
    assert unpack(blob) == data
    assert len(blob) < 0.4 * _raw_size(data)


def test_a_large_state_of_compressed_payloads_round_trips_still_smaller() -> None:
    """1,000 trashed articles as the undo log keeps them: base64 of compressed blobs."""
    rng = random.Random(15)
    data = {"a": {str(i): {"sha": f"{i:064x}", "deleted_at": "2026-12-02T02:00:00Z",
                           "trash": base64.b64encode(rng.randbytes(1500)).decode("ascii")}
                  for i in range(1000)}, "l": {}, "t": {}}
    raw = _raw_size(data)
    assert raw > FAST_PACK_BYTES
    blob = pack(data)
    assert unpack(blob) == data
    assert zlib.decompress(blob) == json.dumps(data, separators=(",", ":")).encode("utf-8")
    assert len(blob) < 0.8 * raw  # Huffman coding still takes base64's spare bits
