"""``retraction_check_100k`` on a synthetic 100,000-article library, for when building the
real one (:func:`benchmarks.generate.cached_library`, every article through
``Library.add_records``: about 85 articles/s on a loaded 2-core machine, so 20+ minutes) is
too slow to wait for.

The synthetic library is the cached 10,000-article library copied ``--factor`` times in
bulk (``INSERT … SELECT`` per table, one transaction): each copy's articles get their own
ids, citation keys, DOIs and PMIDs; their authors and reference lists are copied as they are,
so the works the references cite recur across copies as cited works recur across a real
literature (10,000 × 10 articles, ~2.8 million references). The flagged works then match
ten times as many references as at 10,000, which is the load the issue's target names.

Usage::

    python -m benchmarks.retraction_100k [--factor 10] [--repeat 3] [--seed 1] [--keep PATH]

``--keep PATH`` keeps the scaled library at PATH (and reuses it when it exists: scaling
copies about 2.4 GB, minutes on a loaded machine).

It prints one line of JSON: the samples, the raw-sqlite3 floor and what was matched (see
:func:`benchmarks.safety_scenarios.retraction_check`). Scaling is outside the timed part.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Columns of ``article`` rewritten per copy (the unique ones); the rest are copied as is.
_REWRITTEN = {
    "id": "id + :offset",
    "citekey": "citekey || '-x' || :k",
    "doi": "CASE WHEN doi IS NULL THEN NULL ELSE doi || '.x' || :k END",
    "pmid": "CASE WHEN pmid IS NULL THEN NULL ELSE CAST(CAST(pmid AS INTEGER) + :k * 100000000"
            " AS TEXT) END",
    "pmcid": "NULL",
}


def scale_library(base: Path, out: Path, factor: int) -> dict[str, int]:
    """Write to ``out`` the library ``base`` with its articles copied ``factor`` times in all
    (see the module docstring); returns the articles and references it then holds."""
    shutil.copyfile(base, out)
    con = sqlite3.connect(out)
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(article)")]
        top = int(con.execute("SELECT max(id) FROM article").fetchone()[0])
        select = ", ".join(_REWRITTEN.get(c, c) for c in cols)
        author_cols = [r[1] for r in con.execute("PRAGMA table_info(author)")
                       if r[1] != "id"]
        with con:
            for k in range(1, factor):
                params = {"offset": k * top, "k": k}
                con.execute(f"INSERT INTO article ({', '.join(cols)}) SELECT {select} "
                            "FROM article WHERE id <= :top", {**params, "top": top})
                con.execute(
                    'INSERT INTO "reference" (article_id, position, citation, doi, pmid, pmcid) '
                    "SELECT article_id + :offset, position, citation, doi, pmid, pmcid "
                    'FROM "reference" WHERE article_id <= :top', {**params, "top": top})
                rest = ", ".join(c for c in author_cols if c != "article_id")
                con.execute(f"INSERT INTO author (article_id, {rest}) SELECT "
                            f"article_id + :offset, {rest} FROM author "
                            "WHERE article_id <= :top", {**params, "top": top})
        articles = int(con.execute("SELECT count(*) FROM article").fetchone()[0])
        references = int(con.execute('SELECT count(*) FROM "reference"').fetchone()[0])
    finally:
        con.close()
    return {"articles": articles, "references": references}


def main(argv: Sequence[str] | None = None) -> int:
    from benchmarks import generate, safety_scenarios

    parser = argparse.ArgumentParser(prog="python -m benchmarks.retraction_100k")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="spinelib-bench-") as tmp:
        big = args.keep or Path(tmp) / "synthetic.sqlite"
        started = time.perf_counter()
        if big.exists():
            con = sqlite3.connect(big)
            built = {"articles": int(con.execute("SELECT count(*) FROM article").fetchone()[0]),
                     "references": int(con.execute('SELECT count(*) FROM "reference"')
                                       .fetchone()[0])}
            con.close()
        else:
            built = scale_library(generate.cached_library(10_000, args.seed), big, args.factor)
        scaled_s = round(time.perf_counter() - started, 1)
        cpu0 = time.process_time()
        m = safety_scenarios.retraction_check(big, args.seed, args.repeat)
        cpu = time.process_time() - cpu0
    result: dict[str, Any] = {
        "scenario": "retraction_check_100k (synthetic)", **built, "scale_s": scaled_s,
        "samples_s": [round(s, 3) for s in m.samples],
        "median_s": round(statistics.median(m.samples), 3),
        "median_cpu_s": round(statistics.median(m.extra["cpu_s"]), 3),
        "floor_median_s": round(statistics.median(m.floor_samples), 3) if m.floor_samples
        else None, "process_cpu_s_incl_setup": round(cpu, 1), "target": "< 5 s",
        "target_met": statistics.median(m.samples) < 5.0, "extra": m.extra}
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
