"""Python's cycle collector paused for a bulk job (a team library's first copy)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while millions of acyclic rows are made: each full
    collection walks every object alive, and a whole library's documents are alive until the
    clone ends, so its cost grew faster than the library (measured: a 100k clone's Python
    work was 10 times a 20k one's). Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
