"""Work made ahead in forked worker processes and handed out in order: the benchmark's data
that is pure Python to draw (the PubMed XML's articles, the paged library's pages), so the
drawing runs on the other core while this process writes what was drawn before."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

_T = TypeVar("_T")


def made_ahead(work: Callable[..., _T], jobs: Iterable[tuple[Any, ...]], *, workers: int,
               initializer: Callable[..., object] | None = None,
               initargs: tuple[Any, ...] = ()) -> Iterator[_T]:
    """``work(*job)`` of every job, in the jobs' order, each made in one of ``workers``
    forked processes (``initializer(*initargs)`` run once in each), at most ``workers`` jobs
    ahead of the one handed out, so memory stays bounded. With one worker the jobs also
    run in order, one after the other, in the same process (state it keeps carries over)."""
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("fork"),
                             initializer=initializer, initargs=initargs) as pool:
        ahead: deque[Future[_T]] = deque()
        for job in jobs:
            ahead.append(pool.submit(work, *job))
            if len(ahead) > workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
