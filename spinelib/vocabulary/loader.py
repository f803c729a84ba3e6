"""Reading the vocabulary file: :func:`load_taxonomy`, cached per file version."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from spinelib import paths
from spinelib.errors import SpineLibError
from spinelib.vocabulary.schema import SchemaError
from spinelib.vocabulary.taxonomy import Taxonomy


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The vocabulary in ``path`` (default: the shipped ``taxonomy.json``), compiled.

    Cached per file (path, size and modification time), so callers may call it freely. A
    missing, unreadable or malformed file raises :class:`~spinelib.errors.SpineLibError` with a
    one-line message naming the file and the problem.
    """
    target = Path(path) if path is not None else paths.resource("taxonomy.json")
    try:
        stat = target.stat()
    except FileNotFoundError:
        raise SpineLibError(f"taxonomy file {target} not found") from None
    except OSError as exc:
        raise SpineLibError(f"cannot read taxonomy file {target}: {exc.strerror or exc}") from None
    return _load_cached(str(target), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, _mtime_ns: int, _size: int) -> Taxonomy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpineLibError(f"cannot read taxonomy file {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpineLibError(f"taxonomy file {path} is not valid JSON "
                            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    try:
        return Taxonomy(data)
    except SchemaError as exc:
        raise SpineLibError(f"taxonomy file {path}: {exc}") from None
    except (KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise SpineLibError(f"taxonomy file {path} has an unexpected structure "
                            f"({type(exc).__name__}: {exc})") from None
