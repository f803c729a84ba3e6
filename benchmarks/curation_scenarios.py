"""The curation scenarios (issue 15), each beside its floor; run like every other scenario
(:mod:`benchmarks.scenarios` dispatches here, :mod:`benchmarks.runner` registers them).

``duplicates_100k``
    ``Library.duplicates.candidates()``: the full candidate scan. Floor: the raw sqlite3
    ``GROUP BY title_key HAVING count(*) > 1`` that any scan must at least run (titles
    dated a year apart are candidates too).
``field_search``
    ``Library.search.ids`` for each of :data:`FIELD_QUERIES` (every qualifier, and the
    issue's combined example). Floor: the very statement the store builds, run in raw sqlite3.
``undo``
    undoing a 1,000-article delete (``Library.history.undo``) on a copy of the library; each
    sample redoes the delete (untimed) first. Floor: raw sqlite3 copying the same articles'
    rows (article, authors, references, tags, facets, list places, full-text rows) back from
    the untouched library in one transaction, rolled back; the scenario checks every article
    came back. ``extra`` adds the undo's CPU seconds and ``trash restore`` of the same
    articles (wall and CPU seconds): the machine is shared, and CPU time shows the work
    when waiting for a core inflates the wall time. A bulk write's WAL checkpoint runs on a
    thread after its commit: the scenario waits for it (untimed) after every step, so the
    untimed redo's or delete's checkpoint never runs inside a timed sample, and reports
    the wait after each undo (``checkpoint_after_undo_s``). The row's articles are the
    1,000 added last (an import undone: ids next to each other); ``scattered_undo_s`` times
    the undo of 1,000 drawn across the whole library (a search result's selection), whose
    rows land in every page of the article table's 18 indexes: at 100,000 articles 0.85-1.36 s
    against the row's 0.55 s.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.scenarios import Measurement, _check, _raw, _timed

#: Qualified searches a curator types (tag and author names are taken from the library).
FIELD_QUERIES = (
    "author:{family}", "year:2015..2020", "year:2013", "journal:spine",
    'mesh:"spinal neoplasms"', "tag:{tag}", "type:review", "read:unread", "has:abstract",
    "author:{family} year:2013..2020 tag:{tag}", "vertebroplasty -kyphoplasty",
    '"spinal cord compression" year:2010..',
)
UNDO_COUNT = 1000


def duplicates(library: Path, repeat: int = 3) -> Measurement:
    from spinelib.library import Library
    from spinelib.library.merge import MIN_TITLE_KEY

    lib = Library.open(library)
    con = _raw(library)
    m = Measurement([])
    try:
        def floor() -> list[Any]:
            return con.execute(
                "SELECT title_key FROM article WHERE year IS NOT NULL AND "
                "length(title_key) >= ? GROUP BY title_key HAVING count(*) > 1",
                (MIN_TITLE_KEY,)).fetchall()

        groups = lib.duplicates.candidates()  # warm-up
        twins = con.execute(
            "SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM article WHERE year IS "
            "NOT NULL AND length(title_key) >= ? GROUP BY title_key HAVING count(*) > 1)",
            (MIN_TITLE_KEY,)).fetchone()[0]
        _check(sum(len(g.ids) for g in groups) <= twins,
               "more articles in candidate groups than share a title")
        for _ in range(repeat):
            t, groups = _timed(lib.duplicates.candidates)
            m.samples.append(t)
            m.floor_samples.append(_timed(floor)[0])
        m.extra["groups"] = len(groups)
        m.extra["articles"] = lib.search.count()
    finally:
        con.close()
        lib.close()
    return m


def _queries(con: sqlite3.Connection) -> list[str]:
    family = con.execute("SELECT family FROM author WHERE family != '' GROUP BY family "
                         "ORDER BY count(*) DESC LIMIT 1").fetchone()
    tag = con.execute("SELECT tag_id FROM article_tag WHERE origin IN ('user', 'accepted') "
                      "GROUP BY tag_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    fam = family[0] if family else "smith"
    tag_id = f'"{tag[0]}"' if tag else "vertebroplasty"
    return [q.format(family=fam if " " not in fam else f'"{fam}"', tag=tag_id)
            for q in FIELD_QUERIES]


def field_search(library: Path, repeat: int = 5) -> Measurement:
    from spinelib.library import Library, Query

    lib = Library.open(library)
    con = _raw(library)
    m = Measurement([])
    hits: dict[str, int] = {}
    per_query: dict[str, list[float]] = {}
    try:
        queries = _queries(con)
        raw: dict[str, tuple[str, dict[str, Any]]] = {}
        for q in queries:
            # The store's own statement (its FROM item names the index it walks).
            raw[q] = lib.store.queries.ids_statement(lib.search.resolve(Query(search=q)))
            found = lib.search.ids(Query(search=q))
            _check(found == [r[0] for r in con.execute(*raw[q])],
                   f"field search {q!r}: Library and raw SQL disagree")
            hits[q] = len(found)
            per_query[q] = []
        _check(any(hits.values()), "no field search found anything")
        for _ in range(repeat):
            for q in queries:
                t, _ids = _timed(partial(lib.search.ids, Query(search=q)))
                m.samples.append(t)
                per_query[q].append(t)
                m.floor_samples.append(_timed(partial(
                    lambda s, p: con.execute(s, p).fetchall(), *raw[q]))[0])
    finally:
        con.close()
        lib.close()
    m.extra["hits"] = hits
    m.extra["per_query_median_ms"] = {q: round(sorted(v)[len(v) // 2] * 1000, 2)
                                      for q, v in per_query.items()}
    return m


def undo(library: Path, repeat: int = 3) -> Measurement:
    from spinelib.library import Library, Query

    m = Measurement([])
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "undo.sqlite"
        src = sqlite3.connect(library)
        dst = sqlite3.connect(copy)
        src.backup(dst)  # a consistent copy: the shared library is never changed
        src.close()
        dst.close()
        lib = Library.open(copy)
        try:
            total = lib.search.count()
            ids = lib.search.ids(Query())[:UNDO_COUNT]
            done = _undos(lib, ids, total, repeat, before=lambda: m.floor_samples.append(
                _timed(partial(_raw_restore, copy, library, ids))[0]))
            m.samples.extend(done.wall)
            m.extra["articles_restored"] = len(ids)
            m.extra["operation"] = done.operation
            m.extra["undo_cpu_s"] = [round(c, 3) for c in done.cpu]
            m.extra["checkpoint_after_undo_s"] = [round(c, 3) for c in done.checkpoints]
            m.extra.update(_trash_restore(lib, ids, total, repeat))
            # Every n-th article by id: a selection spread across the library.
            every = sorted(lib.search.ids(Query()))
            spread = every[::max(1, len(every) // UNDO_COUNT)][:UNDO_COUNT]
            m.extra["scattered_undo_s"] = [
                round(w, 3) for w in _undos(lib, spread, total, repeat).wall]
        finally:
            lib.close()
        shutil.rmtree(Path(tmp) / "backups", ignore_errors=True)
    return m


def _settle(lib: Any) -> float:
    """Wait (untimed) for the WAL checkpoint a bulk write leaves to a thread after its
    commit, so it does not run inside the next timed sample; returns the seconds waited."""
    checkpoints = getattr(lib.store.engine, "checkpoints", None)
    start = time.perf_counter()
    if checkpoints is not None:
        checkpoints.wait()
    return time.perf_counter() - start


@dataclass
class _Undos:
    """The samples of :func:`_undos`: wall and CPU seconds of each undo, the checkpoint wait
    after it, and the undone operation's name."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    checkpoints: list[float] = field(default_factory=list)
    operation: str = ""


def _undos(lib: Any, ids: list[int], total: int, repeat: int,
           before: Callable[[], object] | None = None) -> _Undos:
    """``repeat`` undos of deleting ``ids`` from the library of ``total`` articles: the delete
    made here first and redone (untimed) before every undo but the first, each step's
    checkpoint waited for, every article checked gone and back. ``before`` runs just before
    each undo, untimed (the row's floor)."""
    lib.articles.delete(ids)
    _settle(lib)
    out = _Undos()
    for i in range(repeat):
        if i:
            lib.history.redo()
            _settle(lib)
        _check(lib.search.count() == total - len(ids), "the delete did not happen")
        if before is not None:
            before()
        cpu = time.process_time()
        t, op = _timed(lib.history.undo)
        out.cpu.append(time.process_time() - cpu)
        out.wall.append(t)
        out.operation = op.name
        out.checkpoints.append(_settle(lib))
        _check(lib.search.count() == total, "undo did not restore every article")
    return out


def _trash_restore(lib: Any, ids: list[int], total: int, repeat: int) -> dict[str, Any]:
    """``trash restore`` of the same 1,000 articles (the same bulk write as the undo), wall
    and CPU seconds per sample; each sample deletes them again first (untimed)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        lib.articles.delete(ids)
        _settle(lib)
        start = time.process_time()
        t, results = _timed(partial(lib.trash.restore, ids))
        cpu.append(time.process_time() - start)
        wall.append(t)
        _settle(lib)
        _check(len(results) == len(ids) and lib.search.count() == total,
               "trash restore did not bring every article back")
    return {"trash_restore_s": [round(w, 3) for w in wall],
            "trash_restore_cpu_s": [round(c, 3) for c in cpu]}


_RESTORED = ("article", "author", '"reference"', "article_tag", "article_facet",
             "reading_list_item")


def _raw_restore(copy: Path, original: Path, ids: list[int]) -> None:
    """The floor of an undo: the deleted rows written back by plain SQL, then rolled back.
    Rows still in the copy are not written again: since schema 15 a trashed article's
    reference rows stay in place (parked), and the undo keeps them."""
    con = sqlite3.connect(copy, isolation_level=None)
    try:
        con.execute("ATTACH DATABASE ? AS o", (str(original),))  # read from, never written
        in_ids = ", ".join(str(int(i)) for i in ids)
        con.execute("BEGIN IMMEDIATE")
        for table in _RESTORED:
            column = "id" if table == "article" else "article_id"
            con.execute(f"INSERT INTO main.{table} SELECT * FROM o.{table} s "
                        f"WHERE s.{column} IN ({in_ids}) AND NOT EXISTS "
                        f"(SELECT 1 FROM main.{table} m WHERE m.rowid = s.rowid)")
        con.execute("INSERT INTO main.article_fts (rowid, title, abstract, authors, journal, "
                    "keywords, mesh, notes, tags) SELECT rowid, title, abstract, authors, "
                    f"journal, keywords, mesh, notes, tags FROM o.article_fts "
                    f"WHERE rowid IN ({in_ids})")
        con.execute("ROLLBACK")
    finally:
        con.close()


def run(name: str, library: Path | None, repeat: int) -> Measurement:
    assert library is not None
    if name == "duplicates_100k":
        return duplicates(library, repeat)
    if name == "field_search":
        return field_search(library, repeat)
    if name == "undo":
        return undo(library, repeat)
    raise ValueError(f"unknown scenario {name!r}")
