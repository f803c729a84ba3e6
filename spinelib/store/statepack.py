"""The undo log's stored form of a history state: the state's JSON, packed, followed by the
trashed articles' payloads as the raw bytes they already are.

A state names each article as live (its snapshot), trashed (the trash row's digest, its
time and its packed payload) or absent. Until this format the payloads went into the JSON
as base64 text, so a 1,000-article delete coded 6.5 MB of base64 with Huffman on every
delete and decoded it on every undo. Measured at 100k, unpacking that "after" state took
0.08 s of CPU of an undo that must finish in under a second, though an undo of a delete
only compares the payloads' digests.

Promises:
- :func:`unpack_state` gives back exactly the state :func:`pack_state` was given, the
  payloads as ``bytes``.
- States logged before this format (a plain :func:`~spinelib.store.snapshots.pack`
  stream, payloads as base64 text or as plain snapshots) unpack as they always did: a
  packed stream starts with zlib's header byte, never with :data:`MAGIC`.
- A state with no trashed payload is stored in the plain format.
"""

from __future__ import annotations

import struct
from typing import Any

from spinelib.errors import LibraryError
from spinelib.store.snapshots import pack, unpack

#: The first bytes of a state stored with its payloads apart. A zlib stream's first byte
#: has 8 (deflate) in its low four bits; "S" (0x53) has 3, so no old state starts so.
MAGIC = b"SLS\x02"
_HEAD = struct.Struct("<4sQI")  # magic, packed JSON's length, number of payloads
_LENGTH_SIZE = struct.calcsize("<I")  # each payload's length

State = dict[str, Any]


def pack_state(state: State) -> bytes:
    """``state`` as stored: trashed articles' ``bytes`` payloads apart from the JSON, which
    holds each one's index in their place."""
    payloads: list[bytes] = []
    articles: dict[str, Any] = {}
    for key, unit in state["a"].items():
        trash = None if unit is None else unit.get("trash")
        if isinstance(trash, bytes):
            unit = {**unit, "trash": len(payloads)}
            payloads.append(trash)
        articles[key] = unit
    if not payloads:
        return pack(state)
    body = pack({**state, "a": articles})
    lengths = struct.pack(f"<{len(payloads)}I", *map(len, payloads))
    return b"".join((_HEAD.pack(MAGIC, len(body), len(payloads)), lengths, body, *payloads))


def unpack_state(blob: bytes) -> State:
    """The state :func:`pack_state` (or, for old logs, ``pack``) stored in ``blob``."""
    if not blob.startswith(MAGIC):
        found: State = unpack(blob)
        return found
    if len(blob) < _HEAD.size:
        raise LibraryError("a stored undo step is cut short; it cannot be undone")
    _magic, body_length, count = _HEAD.unpack_from(blob, 0)
    offset = _HEAD.size + count * _LENGTH_SIZE
    lengths = struct.unpack_from(f"<{count}I", blob, _HEAD.size) if offset <= len(blob) else ()
    if offset + body_length + sum(lengths) != len(blob):
        raise LibraryError("a stored undo step is cut short; it cannot be undone")
    state: State = unpack(blob[offset:offset + body_length])
    payloads: list[bytes] = []
    start = offset + body_length
    for length in lengths:
        payloads.append(blob[start:start + length])
        start += length
    for unit in state["a"].values():
        if unit is not None and isinstance(unit.get("trash"), int):
            unit["trash"] = payloads[unit["trash"]]
    return state
