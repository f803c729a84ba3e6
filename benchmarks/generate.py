"""Build a synthetic library for the benchmarks, and the same articles as PubMed efetch XML.

Usage::

    python -m benchmarks.generate --articles 10000 --seed 1 --out /tmp/bench.sqlite \\
        [--pubmed-xml /tmp/bench.xml]

The library is built the way a user's grows: every article goes through
``lib.articles.add_records``, the public bulk import path of issue 19
(:mod:`spinelib.library.bulk`: dedupe, citation keys, tag suggestions, facets, full-text
index, 1,000 articles a transaction), then user tags, reading lists, read status, ratings and
notes go through the Library's own methods. Nothing is written with SQL behind the facade's
back, so what the benchmarks time is what a real library of that size looks like on disk.

Promises:

- Deterministic for a seed: the same ``--articles``/``--seed`` give the same articles, tags,
  lists and states (timestamps aside). See :mod:`benchmarks.corpus` for the records.
- :func:`cached_library` and :func:`cached_pubmed_xml` keep results under
  ``benchmarks/.cache/`` keyed by size, seed, corpus version and schema version, built
  under a temporary name and renamed when complete, so an interrupted build is never
  mistaken for a finished one.
- The XML is a ``PubmedArticleSet`` shaped like real efetch output (MedlineCitation +
  PubmedData with ArticleIdList and ReferenceList) that SpineLib's own parser reads back into
  the same records.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks import corpus
from benchmarks.efetch_xml import (  # noqa: F401 (generate.record_xml etc., as before)
    XML_HEAD,
    XML_TAIL,
    XmlSink,
    pubmed_xml_file,
    pubmed_xml_files,
    record_xml,
    write_pubmed_xml,
)
from spinelib.records import ArticleRecord

ROOT = Path(__file__).resolve().parent
#: The cache folder; ``python -m benchmarks --cache DIR`` hands its choice to the scenario
#: children through ``SPINELIB_BENCH_CACHE`` (a scenario that needs a library of its own
#: size, ``fulltext_search_10k``, must not build another one in the default folder).
CACHE = Path(os.environ.get("SPINELIB_BENCH_CACHE") or ROOT / ".cache")
#: Articles merged per Library.add_records call (one transaction each). Larger than an
#: import's 1,000: each commit rewrites every index page its rows touched, and in a big
#: library nearly every leaf page of the reference indexes is touched by any batch, so fewer
#: commits write far less (20k articles, loaded machine: 4.0 GB written with 1,000, 1.7 GB
#: with 5,000, 10% less CPU; peak RSS 195 -> 500 MB). The library is the same either way
#: (tests/core/test_bulk_import.py: the result does not depend on the batch size).
BUILD_BATCH = 5000

Progress = Callable[[str], None]

def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ the library
def build_library(path: Path, articles: int, seed: int, *, batch: int = BUILD_BATCH,
                  progress: Progress | None = _say, start_from: Path | None = None,
                  checkpoint: Path | None = None, xml: XmlSink | None = None
                  ) -> dict[str, Any]:
    """Build a library of ``articles`` generated articles at ``path`` (which must not exist).

    ``start_from``: a checkpoint written by an earlier, smaller build of the same seed (its
    articles ``0 .. k-1`` and nothing else); it is copied to ``path`` and only articles
    ``k ..`` are added, so building 10,000 then 100,000 adds the first 10,000 once. The
    result is the library a build from nothing gives (article *i* depends only on the seed
    and *i*, and the bulk path's result does not depend on how the records are batched:
    tests/core/test_bulk_import.py, tests/core/test_benchmarks_smoke.py), timestamps aside.
    ``checkpoint``: where to save such a copy (``Library.backup``) once the articles are
    in, before the user state. ``xml``: XML files being written; when this build's first
    article is the next one they need, the synthesiser writes its chunks' XML too, so each
    article is generated once for both (:class:`XmlSink`).

    Returns timings per phase (seconds) and counts. Raises RuntimeError when the Library did
    not store every article as a new one (a dedupe collision or a failure), because a
    benchmark on a library of the wrong size would be silently wrong.
    """
    import shutil

    from spinelib.library import Library

    if path.exists():
        raise FileExistsError(f"{path} exists; refusing to add to it")
    say = progress or (lambda _m: None)
    stats: dict[str, Any] = {"articles": articles, "seed": seed}
    started = time.perf_counter()
    cpu = time.process_time()
    if start_from is not None:
        shutil.copyfile(start_from, path)
    first = _count_articles(path)
    if first > articles or (start_from is None and first):
        raise RuntimeError(f"{path} starts with {first} articles; cannot build {articles}")
    chunks = [(s, min(articles, s + batch)) for s in range(first, articles, batch)]
    # The worker is forked before this process opens the library (no connection crosses
    # the fork; fork, not spawn, so a caller's script needs no __main__ guard).
    feeds_xml = xml is not None and xml.next == first
    with _Synthesiser(seed, chunks, xml.largest if xml and feeds_xml else 0) as synthesised:
        lib = Library.open(path)
        try:
            added = _add_articles(lib, synthesised, articles, say, xml if feeds_xml else None)
            ids = [*range(1, first + 1), *added]
        except BaseException:
            lib.close()
            raise
    try:
        if ids != list(range(1, articles + 1)):
            raise RuntimeError("the articles did not get the ids 1..N in order")
        stats["add_records_s"] = round(time.perf_counter() - started, 2)
        stats["continued_from"] = first
        if checkpoint is not None:
            lib.backup(checkpoint)
        count = add_user_state_counted(lib, ids, seed, stats)
    finally:
        lib.close()
    if count != articles:
        raise RuntimeError(f"the library holds {count} articles, expected {articles}")
    stats["total_s"] = round(time.perf_counter() - started, 2)
    stats["cpu_s"] = round(time.process_time() - cpu, 2)  # this process; the corpus worker apart
    stats["articles_per_s"] = round((articles - first) / max(stats["add_records_s"], 1e-9), 1)
    say(f"built {articles} articles in {stats['total_s']} s "
        f"({stats['articles_per_s']} articles/s through Library.add_records"
        + (f", continuing from {first}" if first else "") + ")")
    return stats


def _count_articles(path: Path) -> int:
    """Articles in a library file (0 when it does not exist yet), read without opening it
    as a Library (that happens after the worker is forked)."""
    import sqlite3

    if not path.exists():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM article").fetchone()[0])
    finally:
        con.close()


def _synthesise(seed: int, start: int, stop: int, xml_upto: int
                ) -> tuple[list[ArticleRecord], list[str] | None]:
    """Articles ``start .. stop-1`` and, for those below ``xml_upto``, their efetch XML."""
    records = corpus.articles(seed, start, stop)
    if start >= xml_upto:
        return records, None
    return records, [record_xml(rec) for rec in records[:xml_upto - start]]


class _Synthesiser:
    """Chunks of generated records, each synthesised one chunk ahead in a worker process
    (pure Python, 0.66 ms an article, plus 0.21 ms for its XML when ``xml_upto`` asks for
    it), so on two cores that work overlaps with ``add_records``; the records are the same
    (article *i* depends only on the seed and *i*)."""

    def __init__(self, seed: int, chunks: Sequence[tuple[int, int]], xml_upto: int = 0
                 ) -> None:
        self.seed = seed
        self.chunks = list(chunks)
        self.xml_upto = xml_upto

    def __enter__(self) -> _Synthesiser:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=1,
                                        mp_context=multiprocessing.get_context("fork"))
        self.ahead = (self.pool.submit(_synthesise, self.seed, *self.chunks[0], self.xml_upto)
                      if self.chunks else None)
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(cancel_futures=True)

    def __iter__(self) -> Iterator[tuple[int, int, list[ArticleRecord], list[str] | None]]:
        """(start, stop, records, their XML or None) per chunk, in order."""
        for i, (start, stop) in enumerate(self.chunks):
            assert self.ahead is not None
            records, xml = self.ahead.result()
            if i + 1 < len(self.chunks):
                self.ahead = self.pool.submit(_synthesise, self.seed, *self.chunks[i + 1],
                                              self.xml_upto)
            yield start, stop, records, xml


def _add_articles(lib: Any, synthesised: _Synthesiser, articles: int, say: Progress,
                  xml: XmlSink | None) -> list[int]:
    """Add the synthesised chunks in order; the new articles' ids in order.

    As a file import does (:func:`spinelib.fileimport.import_file`), the tag suggestions and
    facets of chunk N+1 are found in SpineLib's vocabulary helper process while chunk N is
    written (the same answers: tests/core/test_bulk_vocab.py), so this process does only
    the writes: 11.8 -> 6.8 s of its CPU for 10,000 articles. A chunk's XML, when the
    synthesiser made it, goes to ``xml`` as the chunk arrives."""
    from spinelib.bulkvocab import HelperVocabulary

    chunks = synthesised.chunks
    total = sum(stop - start for start, stop in chunks)
    helper = (HelperVocabulary(lib.taxonomy)
              if HelperVocabulary.worth_it(total, max((b - a for a, b in chunks), default=1))
              else None)
    ids: list[int] = []
    started = time.perf_counter()
    waiting: tuple[int, int, list[ArticleRecord], Callable[[], Any]] | None = None
    try:
        for start, stop, records, text in synthesised:
            if xml is not None and text is not None:
                xml.write(start, text)
            answers = helper.submit(records, True) if helper else (lambda: None)
            if waiting is not None:
                ids.extend(_add_chunk(lib, *waiting))
                _progress(say, waiting[1], articles, len(ids), started)
            waiting = (start, stop, records, answers)
        if waiting is not None:
            ids.extend(_add_chunk(lib, *waiting))
            _progress(say, waiting[1], articles, len(ids), started)
    finally:
        if helper is not None:
            helper.close()
    return ids


def _add_chunk(lib: Any, start: int, stop: int, records: list[ArticleRecord],
               answers: Callable[[], Any]) -> list[int]:
    """One chunk through ``add_records`` (one transaction); its ids. Raises RuntimeError
    unless every record was stored as a new article."""
    results = lib.articles.add_records(records, batch=max(1, stop - start), known=answers())
    bad = [r for r in results if r.status != "imported"]
    if bad:
        raise RuntimeError(f"article {start + results.index(bad[0])} was "
                           f"{bad[0].status}: {'; '.join(bad[0].messages) or bad[0].label}")
    return [r.article_id for r in results]


def _progress(say: Progress, stop: int, articles: int, done: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    say(f"  {stop}/{articles} articles ({rate:.0f}/s)")


def add_user_state_counted(lib: Any, ids: Sequence[int], seed: int,
                           stats: dict[str, Any]) -> int:
    """The last step of every library build (the generator's and the import-built one's):
    the user state added, its counts and wall and CPU seconds put in ``stats``; returns the
    library's article count after it, for the caller to check."""
    started, cpu = time.perf_counter(), time.process_time()
    stats.update(_add_user_state(lib, ids, seed))
    stats["user_state_s"] = round(time.perf_counter() - started, 2)
    stats["user_state_cpu_s"] = round(time.process_time() - cpu, 2)
    return int(lib.search.count())


def _add_user_state(lib: Any, ids: Sequence[int], seed: int) -> dict[str, int]:
    """User tags, reading lists, read status, ratings and notes, as a year of use leaves."""
    rng = random.Random(f"spinelib-bench:{seed}:user-state")
    tagged = 0
    for tag in corpus.USER_TAGS:
        lib.tags.create(tag)
        chosen = rng.sample(ids, max(1, int(len(ids) * rng.uniform(0.01, 0.05))))
        lib.tags.add(chosen, [tag])
        tagged += len(chosen)
    listed = 0
    for name, size in corpus.READING_LISTS:
        lib.lists.create(name)
        listed += lib.lists.add(name, rng.sample(ids, min(size, len(ids))))
    shuffled = list(ids)
    rng.shuffle(shuffled)
    n_read, n_reading = int(len(ids) * 0.3), int(len(ids) * 0.05)
    lib.articles.set_read_status(shuffled[:n_read], 2)
    lib.articles.set_read_status(shuffled[n_read:n_read + n_reading], 1)
    # One call per rating and one for all notes, as a user rates a selection, instead of
    # 7,000 one-article transactions and undo steps at 100k. Measured: a small part of the
    # user state (0.5 s of 6.1 s CPU at 10k); most of it is the undo snapshots of the tag
    # and read-status changes above. The random draws are in the same order as before.
    rated = shuffled[:max(1, len(ids) // 20)]
    by_rating: dict[int, list[int]] = {}
    for article_id in rated:
        by_rating.setdefault(rng.randint(1, 5), []).append(article_id)
    for rating, group in sorted(by_rating.items()):
        lib.articles.set_ratings(group, rating)
    noted = rng.sample(ids, max(1, len(ids) // 50))
    lib.articles.set_notes_many({article_id: _note(rng) for article_id in noted})
    return {"user_tag_assignments": tagged, "list_items": listed, "read": n_read,
            "reading": n_reading, "rated": len(rated), "with_notes": len(noted)}


def _note(rng: random.Random) -> str:
    bits = ("Compare with our series.", "Good figure on SINS components for teaching.",
            "Check follow-up length before citing.", "Key paper for the grant background.",
            "Dose: 24 Gy/2 fx; local control 83% at 1 y.", "Discussed at journal club; "
            "selection bias (only ambulatory patients).", "Ask the authors for raw data?")
    return " ".join(rng.sample(bits, rng.randint(1, 3)))


# ------------------------------------------------------------------------------ the cache
def cache_key(articles: int, seed: int) -> str:
    """Size, seed, corpus version and schema version. The taxonomy is deliberately not part
    of it: a vocabulary edit changes a few suggested tags, not the library's size or shape,
    and must not silently trigger a half-hour rebuild (``--rebuild`` forces one)."""
    from spinelib.store import sqlite as db

    return f"n{articles}-s{seed}-c{corpus.CORPUS_VERSION}-v{db.SCHEMA_VERSION}"


def cached_library(articles: int, seed: int, *, rebuild: bool = False,
                   progress: Progress | None = _say, cache: Path = CACHE) -> Path:
    """The cached library of this size and seed, built first when missing (or ``rebuild``).

    Its build statistics sit beside it as ``<name>.json``.
    """
    return cached_libraries([articles], seed, rebuild=rebuild, progress=progress,
                            cache=cache)[articles]


def library_path(articles: int, seed: int, cache: Path = CACHE) -> Path:
    """Where the cached library of this size and seed lives."""
    return cache / f"library-{cache_key(articles, seed)}.sqlite"


def cached_libraries(sizes: Iterable[int], seed: int, *, rebuild: bool = False,
                     progress: Progress | None = _say, cache: Path = CACHE,
                     xml: XmlSink | None = None) -> dict[int, Path]:
    """The cached libraries of these sizes, the missing ones built smallest first.

    A build that a larger missing one follows saves its articles (before the user state) as
    a checkpoint, and the larger build continues from it instead of adding those articles
    again (:func:`build_library`); the checkpoint is deleted once used. ``xml``: XML files
    the builds write as they generate the articles (the runner builds missing
    libraries by importing XML instead: :mod:`benchmarks.import_build`).
    """
    out: dict[int, Path] = {}
    missing: list[int] = []
    for n in sorted(set(sizes)):
        path = library_path(n, seed, cache)
        if not rebuild and not path.exists():
            _upgrade_older(path, n, seed, cache, progress)
        if path.exists() and not rebuild:
            prepare(path)
            out[n] = path
        else:
            missing.append(n)
    checkpoints = [cache / f"articles-{cache_key(n, seed)}.sqlite" for n in missing[:-1]]
    try:
        for i, n in enumerate(missing):
            out[n] = _build_cached(n, seed, cache, progress,
                                   checkpoints[i - 1] if i else None,
                                   checkpoints[i] if i < len(checkpoints) else None, xml)
            if i:
                checkpoints[i - 1].unlink(missing_ok=True)
    finally:
        for checkpoint in checkpoints:
            checkpoint.unlink(missing_ok=True)
    return out


def _build_cached(articles: int, seed: int, cache: Path, progress: Progress | None,
                  start_from: Path | None, checkpoint: Path | None,
                  xml: XmlSink | None = None) -> Path:
    """Build one library under a temporary name and rename it into the cache."""
    path = library_path(articles, seed, cache)
    cache.mkdir(parents=True, exist_ok=True)
    building = cache / f"building-{path.name}"
    for old in (path, building):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{old}{suffix}").unlink(missing_ok=True)
    if progress:
        progress(f"building a {articles}-article library (seed {seed}) in {building} ...")
    stats = build_library(building, articles, seed, progress=progress, start_from=start_from,
                          checkpoint=checkpoint, xml=xml)
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    building.replace(path)
    path.with_suffix(".json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return path


def _upgrade_older(path: Path, articles: int, seed: int, cache: Path,
                   progress: Progress | None) -> None:
    """Move a cached library of an older schema (same size, seed and corpus) to ``path``; the
    next open upgrades it through SpineLib's own migration ladder, as a user's library is."""
    from spinelib.store import sqlite as db

    older = sorted(cache.glob(f"library-n{articles}-s{seed}-c{corpus.CORPUS_VERSION}-v*.sqlite"))
    for old in reversed(older):  # the newest older schema first
        if old == path or Path(f"{old}-wal").exists():
            continue
        if progress:
            progress(f"upgrading {old.name} to schema {db.SCHEMA_VERSION} instead of rebuilding")
        old.replace(path)
        if old.with_suffix(".json").exists():
            old.with_suffix(".json").replace(path.with_suffix(".json"))
        return


def prepare(path: Path) -> None:
    """Open and close a cached library once before anything is timed, so a schema upgrade
    (and its safety backup) never happens inside a measurement. The ladder's backup of a
    cached library is dropped: the cache can always be rebuilt."""
    import shutil

    from spinelib.library import Library
    from spinelib.paths import backup_dir

    Library.open(path).close()
    shutil.rmtree(backup_dir(path), ignore_errors=True)


def cached_pubmed_xml(articles: int, seed: int, *, cache: Path = CACHE) -> Path:
    """The cached efetch XML of generated articles ``0 .. articles-1``."""
    return cached_pubmed_xmls([articles], seed, cache=cache)[articles]


def cached_pubmed_xmls(sizes: Iterable[int], seed: int, *, cache: Path = CACHE
                       ) -> dict[int, Path]:
    """The cached efetch XML files of these sizes; the missing ones written in one pass."""
    paths = {n: xml_path(n, seed, cache) for n in sizes}
    pubmed_xml_files({n: p for n, p in paths.items() if not p.exists()}, seed)
    return paths


def xml_path(articles: int, seed: int, cache: Path = CACHE) -> Path:
    """Where the cached efetch XML of articles ``0 .. articles-1`` lives."""
    return cache / f"pubmed-n{articles}-s{seed}-c{corpus.CORPUS_VERSION}.xml"


def build_stats(articles: int, seed: int, *, cache: Path = CACHE) -> dict[str, Any] | None:
    """The statistics saved when the cached library was built, if any."""
    path = (cache / f"library-{cache_key(articles, seed)}.sqlite").with_suffix(".json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ------------------------------------------------------------------------------ command line
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Build a synthetic spine-oncology library through the Library API.")
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help="library file to create (default: the benchmark cache)")
    parser.add_argument("--pubmed-xml", type=Path, metavar="FILE",
                        help="also write the same articles as PubMed efetch XML")
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if args.out is None:
        print(cached_library(args.articles, args.seed, rebuild=args.force))
    else:
        if args.out.exists():
            if not args.force:
                parser.error(f"{args.out} exists (use --force to replace it)")
            for p in (args.out, Path(f"{args.out}-wal"), Path(f"{args.out}-shm")):
                p.unlink(missing_ok=True)
        stats = build_library(args.out, args.articles, args.seed)
        print(json.dumps(stats, indent=2))
    if args.pubmed_xml is not None:
        if args.pubmed_xml.exists() and not args.force:
            parser.error(f"{args.pubmed_xml} exists (use --force to replace it)")
        pubmed_xml_file(args.pubmed_xml, args.articles, args.seed)
        print(f"wrote {args.articles} PubMed records to {args.pubmed_xml}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
