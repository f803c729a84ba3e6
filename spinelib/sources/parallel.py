"""Run one look-up per key on a few threads, handing results back on the calling thread.

The resolver's filler look-ups (Crossref records, Europe PMC reference lists) wait on the
network, not the CPU, so they run side by side. How many may be in flight at once and how
fast they may start is not decided here: every request goes through the shared
:class:`~spinelib.sources.http.HttpClient`, whose per-service gates and rate limiters hold
the threads to the published limits (:mod:`spinelib.sources.limits`). ``workers`` only has
to be at least the service's concurrency to use it fully.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

#: Returned by a worker that found the run cancelled before it started.
_SKIPPED = object()


def run_each(fn: Callable[[K], V], keys: Sequence[K], *, workers: int,
             cancelled: Callable[[], bool]) -> Iterator[tuple[K, V]]:
    """Yield ``(key, fn(key))`` for each key as each finishes (completion order).

    ``fn`` must not raise (map failures to values). Results, and so any progress or
    bookkeeping the caller does with them, come back on the calling thread. Once
    ``cancelled()`` is true, keys not yet started are never run and nothing more is
    yielded; requests already in flight finish on their own (each has a timeout).
    """
    if not keys:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(keys))),
                            thread_name_prefix="spinelib-lookup") as pool:
        futures: dict[Future[object], K] = {
            pool.submit(_unless_cancelled, fn, key, cancelled): key for key in keys}
        try:
            for future in as_completed(futures):
                value = future.result()
                if value is _SKIPPED or cancelled():
                    break
                yield futures[future], value  # type: ignore[misc]  # a V unless _SKIPPED
        finally:
            for future in futures:
                future.cancel()


def _unless_cancelled(fn: Callable[[K], V], key: K, cancelled: Callable[[], bool]) -> object:
    if cancelled():
        return _SKIPPED
    return fn(key)


def chunks(items: Sequence[K], size: int) -> Iterator[list[K]]:
    """``items`` in consecutive runs of ``size`` (the last may be shorter): one request each."""
    for start in range(0, len(items), size):
        yield list(items[start:start + size])
