"""Checks on the vocabulary file's shape, shared by every part that reads it.

Each helper either returns the value asked for or raises :class:`SchemaError` with a plain
one-line message; :func:`~spinelib.vocabulary.loader.load_taxonomy` adds the file name and
turns it into a :class:`~spinelib.errors.SpineLibError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from spinelib.vocabulary.folding import WORD

#: The vocabulary file format this code understands.
SUPPORTED_VERSION = 1


class SchemaError(Exception):
    """A problem in the vocabulary file; wrapped into SpineLibError with the file name."""


def check_version(data: Mapping[str, Any]) -> None:
    """Accept a top-level object whose integer 'version' this code understands."""
    if not isinstance(data, Mapping):
        raise SchemaError("the top level must be a JSON object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SchemaError("'version' must be an integer")
    if version > SUPPORTED_VERSION:
        raise SchemaError(f"version {version} is newer than this SpineLib understands "
                          f"({SUPPORTED_VERSION}); update SpineLib")
    if version < 1:
        raise SchemaError(f"version {version} is not a valid vocabulary version")


def as_list(value: Any, what: str) -> list[Any]:
    """``value`` itself when it is a list."""
    if not isinstance(value, list):
        raise SchemaError(f"{what} must be a list")
    return value


def str_list(node: Mapping[str, Any], key: str, where: str) -> list[Any]:
    """``node[key]`` when it is a list, or an empty list when the key is absent."""
    value = node.get(key, [])
    if not isinstance(value, list):
        raise SchemaError(f"{where}: {key!r} must be a list")
    return value


def term_text(item: Any, where: str) -> str:
    """The text of a synonym / term, written as a string or as ``{"term": ...}``."""
    text = item.get("term") if isinstance(item, Mapping) else item
    if not isinstance(text, str) or not text.strip():
        raise SchemaError(f"{where}: a synonym is empty or not text")
    return text


def abbr_text(item: Any, where: str) -> str:
    """The text of an abbreviation, written as a string or as ``{"abbr": ...}``."""
    text = item.get("abbr") if isinstance(item, Mapping) else item
    if not isinstance(text, str) or not WORD.search(text):
        raise SchemaError(f"{where}: an abbreviation is empty or not text")
    return text


def mesh_uis(mesh: Mapping[str, Any], kind: str, where: str) -> tuple[str, ...]:
    """The descriptor UIs listed under ``mesh[kind]`` ('specific', 'broad' or 'support')."""
    out = []
    for entry in str_list(mesh, kind, where):
        ui = entry.get("ui") if isinstance(entry, Mapping) else None
        if not isinstance(ui, str) or not re.fullmatch(r"D\d{6,9}", ui):
            raise SchemaError(f"{where}: MeSH {kind} entry {entry!r} has no valid UI")
        out.append(ui)
    return tuple(out)
