"""The benchmark libraries built by the timed import (issue 19: "the benchmark generator uses
the same public path", and ``make bench`` on a fresh clone within 10 minutes).

On a fresh cache the data phase only synthesises the PubMed XML files
(:func:`prepare_data`). Each missing library of N articles is then the first sample of the
``import_file`` row of that size: ``run_import`` of the cached N-record XML into an empty
library, in the scenario's own child process with its own peak RSS
(:func:`benchmarks.scenarios.timed_imports`, ``keep_first``), kept under a ``building-``
name. :func:`finish` adds the user state through the Library's public calls (as
:func:`benchmarks.generate.build_library` does after its ``add_records``) and renames the
file into the cache. A library built this way is, row for row, the one
``generate.build_library`` gives (tests/core/test_benchmark_builds.py), but for one thing:
a retracted article (0.2 %) also lists "Retracted Publication" among its publication types,
as PubMed's records do (the efetch XML carries it; the generator's records only flag it).
The cache key is unchanged. When the library is already cached the import rows run as before, into
temporary libraries.

Nothing here is timed as a row; the runner prints the user state's time in the data phase.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks import generate


def building_path(articles: int, seed: int, cache: Path) -> Path:
    """Where an import builds the library of this size before :func:`finish` renames it."""
    return cache / f"building-{generate.library_path(articles, seed, cache).name}"


def clear(path: Path) -> None:
    """Remove a library file and its SQLite side files (a build interrupted earlier)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_data(sizes: Iterable[int], xml_sizes: Iterable[int], seed: int, *, cache: Path,
                 rebuild: bool = False) -> list[int]:
    """Get the data ready for a run; the library sizes still to build, smallest first.

    Cached libraries are upgraded to the current schema and opened once
    (:func:`generate.prepare`, so no migration happens inside a measurement); with
    ``rebuild`` they are deleted instead. The XML files of ``xml_sizes`` and of every
    library still to build are written in one pass (each file a prefix of the largest,
    :func:`generate.cached_pubmed_xmls`); the libraries themselves are left to the import
    rows. Runs in a child of the runner (a Library opened in the runner itself would raise
    the peak RSS every scenario child inherits)."""
    missing: list[int] = []
    for n in sorted(set(sizes)):
        path = generate.library_path(n, seed, cache)
        if rebuild:
            clear(path)
        elif not path.exists():
            generate._upgrade_older(path, n, seed, cache, generate._say)
        if path.exists():
            generate.prepare(path)
        else:
            missing.append(n)
    cache.mkdir(parents=True, exist_ok=True)
    generate.cached_pubmed_xmls(sorted({*xml_sizes, *missing}), seed, cache=cache)
    return missing


def finish(building: Path, articles: int, seed: int, *, cache: Path,
           import_s: float | None = None) -> dict[str, Any]:
    """Add the user state to a library the import built, and move it into the cache.

    Refuses (RuntimeError, the file left where it is) a library that does not hold exactly
    the articles 1..N of the corpus's first N, in order: the user state draws article ids,
    so any other library would be silently different. Returns the build statistics, also
    saved beside the library as ``<name>.json`` (``import_s``: the import sample's time)."""
    from spinelib.library import Library
    from spinelib.paths import backup_dir

    _check_articles(building, articles, seed)
    lib = Library.open(building)
    stats: dict[str, Any] = {"articles": articles, "seed": seed,
                             "built_by": "import_file (its first sample)", "import_s": import_s}
    try:
        count = generate.add_user_state_counted(lib, list(range(1, articles + 1)), seed, stats)
    finally:
        lib.close()
    if count != articles:
        raise RuntimeError(f"{building} holds {count} articles, expected {articles}")
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    path = generate.library_path(articles, seed, cache)
    building.replace(path)
    shutil.rmtree(backup_dir(building), ignore_errors=True)
    path.with_suffix(".json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    generate._say(f"user state of the {articles}-article library in {stats['user_state_s']} s "
                  f"(CPU {stats['user_state_cpu_s']} s)")
    return stats


def _check_articles(path: Path, articles: int, seed: int) -> None:
    """The file holds articles 1..N, the first and last being the corpus's (PMID and title)."""
    from benchmarks import corpus

    if not path.exists():
        raise RuntimeError(f"{path} was not built")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count, low, high = con.execute("SELECT count(*), min(id), max(id) FROM article"
                                       ).fetchone()
        ends = con.execute("SELECT pmid, title FROM article WHERE id IN (1, ?) ORDER BY id",
                           (articles,)).fetchall()
    finally:
        con.close()
    if (count, low, high) != (articles, 1, articles):
        raise RuntimeError(f"{path} holds {count} articles with ids {low}..{high}; "
                           f"expected 1..{articles}")
    want = [(r.pmid, r.title) for r in corpus.articles(seed, 0, 1)
            + corpus.articles(seed, articles - 1, articles)][:len(ends)]
    if [tuple(e) for e in ends] != want:
        raise RuntimeError(f"{path}: the first and last articles are not the corpus's "
                           f"(seed {seed}) first and last: not the corpus in order")
