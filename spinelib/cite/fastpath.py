"""citeproc-py's one expensive path, remembered: its style-tree searches.

Profiling a 1,000-entry reference list in the Spine style (cProfile, issue 16) showed about
half of citeproc-py's time in ``CitationStylesElement.xpath_search``: some 40,000 XPath
evaluations (the enclosing ``<bibliography>`` of a name, a macro by name, a locale term), each
compiling and running its expression on the style tree again for every entry, although the
answer never changes for one element and one expression (a style tree is not rebuilt while
it formats; citeproc-py only copies attributes onto date parts, which no search selects on).

:func:`install` wraps that method once per process with a memo keyed by (element,
expression): the same elements come back, so citeproc-py renders exactly what it renders
without the memo (``tests/manuscript/test_cite_speed.py`` compares both, entry by entry, in
several styles). The memo holds its elements alive, which is what keeps lxml handing out the
same proxy objects (and so the same keys) for them; styles are loaded once per process
(:mod:`spinelib.cite.engine` keeps them), so it stays small, and it is emptied whole if it
ever grows past :data:`MEMO_LIMIT`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: Entries the memo may hold before it is emptied (a style needs a few hundred at most).
MEMO_LIMIT = 200_000

_memo: dict[tuple[Any, str], Any] = {}
_lock = threading.Lock()
_installed = False
_enabled = True


def install() -> None:
    """Wrap citeproc-py's ``xpath_search`` with the memo (once; later calls do nothing)."""
    global _installed
    with _lock:
        if _installed:
            return
        from citeproc import model

        original: Callable[[Any, str], Any] = model.CitationStylesElement.xpath_search

        def xpath_search(self: Any, expression: str) -> Any:
            if not _enabled:
                return original(self, expression)
            key = (self, expression)
            found = _memo.get(key)
            if found is None:
                found = original(self, expression)
                if len(_memo) >= MEMO_LIMIT:
                    _memo.clear()
                _memo[key] = found
            # a fresh list each time: callers index it, and none may change the memo's copy
            return list(found)

        xpath_search.__doc__ = original.__doc__
        model.CitationStylesElement.xpath_search = xpath_search
        _installed = True


def memo_size() -> int:
    """How many (element, expression) answers are remembered (for tests and benchmarks)."""
    return len(_memo)


@contextmanager
def disabled() -> Iterator[None]:
    """citeproc-py exactly as published inside the block (the reference the tests compare
    against); the memo is neither read nor filled meanwhile. Not for concurrent use."""
    global _enabled
    previous, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = previous
