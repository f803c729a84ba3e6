"""Issue 17's timed scenarios: matching the Retraction Watch table against a library and
its reference lists, loading the 60 MB data set, and the requests a watch run makes.

``retraction_check_100k``
    a 65,000-row Retraction Watch table (some rows naming library articles, some naming
    works the library's reference lists cite) matched against the cached library: the flags
    recomputed, the flagged works rebuilt, and every citing article listed. Floor: raw
    sqlite3 counting the references whose DOI or PMID is in the table (two indexed joins).
``retraction_load``
    a generated ~60 MB CSV in the documented layout (65,000 rows, long notes and author
    lists as in the real file, missing ids written blank, ``0`` or ``unavailable``) streamed
    into an empty library in one transaction. No floor.
``watch_run``
    one watch whose window holds 500 new papers, from a local fake E-utilities: the samples
    are times, the target is the number of requests (``extra.requests``).

Every scenario checks its work (rows loaded, articles flagged and citing, papers in the
inbox) and raises RuntimeError when it did not happen.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import corpus, generate
from benchmarks.fake_eutils import EFETCH, ESEARCH, FakeEutils

if TYPE_CHECKING:
    from benchmarks.scenarios import Measurement

RW_ROWS = 65_000
WATCH_PAPERS = 500
COLUMNS = ["Record ID", "Title", "Subject", "Institution", "Journal", "Publisher", "Country",
           "Author", "URLS", "ArticleType", "RetractionDate", "RetractionDOI",
           "RetractionPubMedID", "OriginalPaperDate", "OriginalPaperDOI",
           "OriginalPaperPubMedID", "RetractionNature", "Reason", "Paywalled", "Notes"]
NATURES = ["Retraction"] * 8 + ["Expression of concern", "Correction"]


def _measurement(samples: list[float], floors: list[float] | None = None,
                 extra: dict[str, Any] | None = None) -> Measurement:
    from benchmarks.scenarios import Measurement as Result

    return Result(samples, floors or [], extra or {})


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def write_csv(path: Path, rows: int, seed: int, dois: list[str], pmids: list[str]) -> None:
    """A data set of ``rows`` rows; the first ids come from ``dois`` and ``pmids`` (matches),
    the rest are works the library does not hold."""
    rng = random.Random(seed)
    words = ("spinal metastases separation surgery vertebroplasty kyphoplasty stereotactic "
             "radiotherapy chordoma myeloma fracture instability outcome cohort randomised "
             "trial pedicle screw fixation decompression").split()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(rows):
            doi = dois[i] if i < len(dois) else (
                f"10.{4000 + i % 900}/rw.{i}" if i % 7 else "unavailable")
            pmid = pmids[i] if i < len(pmids) else (str(20_000_000 + i) if i % 3 else "0")
            if i < len(dois):
                pmid = "0"
            elif i < len(pmids):
                doi = ""
            title = " ".join(rng.choice(words) for _ in range(14)).capitalize()
            authors = ";".join(f"Author{rng.randrange(10**6)} {chr(65 + j)}" for j in range(8))
            notes = ("See the notice; the journal's investigation found " +
                     " ".join(rng.choice(words) for _ in range(36)))
            w.writerow([
                str(100_000 + i), title, "(HSC) Medicine - Oncology;(HSC) Medicine - Surgery;",
                "Department of Orthopaedic Surgery, University Hospital, City, Country; "
                "Institute of Oncology, City, Country",
                "Spine Oncology Journal", "Example Publisher", "China", authors,
                f"https://retractionwatch.com/{2010 + i % 15}/notice-{i}/",
                "Research Article;", f"{1 + i % 12}/{1 + i % 28}/{2005 + i % 20} 0:00",
                f"10.{4000 + i % 900}/notice.{i}", "0" if i % 2 else str(30_000_000 + i),
                f"{1 + i % 12}/{1 + i % 28}/{2000 + i % 20} 0:00", doi, pmid,
                NATURES[i % len(NATURES)],
                "+Concerns/Issues About Data;+Duplication of Image;+Investigation by "
                "Journal/Publisher;", "No", notes])


def retraction_check(library: Path, seed: int, repeat: int = 3,
                     rows: int = RW_ROWS) -> Measurement:
    from spinelib.formats.retraction_watch import read_rows
    from spinelib.library import Library

    samples: list[float] = []
    floors: list[float] = []
    extra: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="spinelib-bench-") as tmp:
        copy = Path(tmp) / "lib.sqlite"
        shutil.copyfile(library, copy)
        raw = sqlite3.connect(copy)
        articles = raw.execute("SELECT count(*) FROM article").fetchone()[0]
        references = raw.execute('SELECT count(*) FROM "reference"').fetchone()[0]
        own = [r[0] for r in raw.execute(
            "SELECT doi FROM article WHERE doi IS NOT NULL ORDER BY id LIMIT ?",
            (max(1, articles // 200),))]
        cited_dois = [r[0] for r in raw.execute(
            'SELECT DISTINCT doi FROM "reference" WHERE doi IS NOT NULL LIMIT 3000')]
        cited_pmids = [r[0] for r in raw.execute(
            'SELECT DISTINCT pmid FROM "reference" WHERE pmid IS NOT NULL AND doi IS NULL '
            "LIMIT 2000")]
        raw.close()
        csv_path = Path(tmp) / "rw.csv"
        write_csv(csv_path, rows, seed, own + cited_dois, [""] * len(own + cited_dois)
                  + cited_pmids)
        with Library.open(copy) as lib, open(csv_path, encoding="utf-8", newline="") as fh:
            loaded, _ = lib.retractions.load(read_rows(fh, []))
            _check(loaded == rows, f"retraction_check: loaded {loaded}")
            cpu: list[float] = []
            for _ in range(repeat):
                start, cpu_start = time.perf_counter(), time.process_time()
                lib.retractions.recompute()
                citing = lib.retractions.citing()
                flagged = lib.retractions.flagged()
                samples.append(time.perf_counter() - start)
                # CPU seconds too: on a machine shared by several jobs the wall clock
                # measures the queue for the cores as much as the work.
                cpu.append(round(time.process_time() - cpu_start, 3))
            _check(len(flagged) >= len(own) * 0.8 and len(citing) > 0,
                   f"retraction_check: {len(flagged)} flagged, {len(citing)} citing")
        raw = sqlite3.connect(copy)
        for _ in range(repeat):
            start = time.perf_counter()
            n = raw.execute(
                'SELECT count(*) FROM retraction_watch w JOIN "reference" r ON r.doi = '
                "w.original_doi WHERE w.original_doi != ''").fetchone()[0]
            n += raw.execute(
                'SELECT count(*) FROM retraction_watch w JOIN "reference" r ON r.pmid = '
                "w.original_pmid WHERE w.original_pmid != ''").fetchone()[0]
            floors.append(time.perf_counter() - start)
        raw.close()
        extra.update(articles=articles, references=references, rw_rows=rows,
                     flagged=len(flagged), citing=len(citing), floor_matches=n, cpu_s=cpu)
    return _measurement(samples, floors, extra)


def retraction_load(seed: int, repeat: int = 3, rows: int = RW_ROWS) -> Measurement:
    from spinelib.library import Library
    from spinelib.retraction_update import load_file
    from spinelib.safety_results import CheckReport

    samples: list[float] = []
    extra: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="spinelib-bench-") as tmp:
        csv_path = Path(tmp) / "retraction_watch.csv"
        write_csv(csv_path, rows, seed, [], [])
        for i in range(repeat):
            with Library.open(Path(tmp) / f"lib-{i}.sqlite") as lib:
                report = CheckReport()
                start = time.perf_counter()
                load_file(lib, csv_path, report)
                samples.append(time.perf_counter() - start)
                _check(report.loaded == rows and not report.skipped,
                       f"retraction_load: {report.loaded} rows, {len(report.skipped)} skipped")
        extra.update(rows=rows, file_mb=round(csv_path.stat().st_size / 2**20, 1))
    return _measurement(samples, [], extra)


class WatchEutils(FakeEutils):
    """The benchmarks' fake E-utilities, whose esearch finds the served PMIDs."""

    def answer(self, path: str, params: Mapping[str, list[str]]) -> tuple[int, str, bytes]:
        if path != ESEARCH:
            return super().answer(path, params)
        with self._lock:
            self.requests[path] += 1
        ids = sorted(self.records)
        return 200, "application/json", json.dumps({"header": {"type": "esearch"},
                                                    "esearchresult": {
                                                        "count": str(len(ids)),
                                                        "retmax": str(len(ids)),
                                                        "retstart": "0",
                                                        "idlist": ids}}).encode()


def watch_run(seed: int, repeat: int = 3, papers: int = WATCH_PAPERS) -> Measurement:
    from spinelib.library import Library
    from spinelib.sources.http import HttpClient
    from spinelib.watch_run import run_watches

    records = corpus.articles(seed, 0, papers)
    served = {r.pmid: generate.record_xml(r) for r in records}
    samples: list[float] = []
    extra: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="spinelib-bench-") as tmp:
        for i in range(repeat):
            with WatchEutils(served, latency=0.05) as fake, \
                    Library.open(Path(tmp) / f"w-{i}.sqlite") as lib:
                client = HttpClient(fake.settings())
                lib.watches.add("separation", '"separation surgery"[tiab]')
                start = time.perf_counter()
                [run] = run_watches(lib, client, today=lambda: date(2026, 3, 1))
                samples.append(time.perf_counter() - start)
                client.close()
                _check(run.added == papers and lib.inbox.count() == papers,
                       f"watch_run: {run}")
                extra.update(requests=fake.total_requests, esearch=fake.requests[ESEARCH],
                             efetch=fake.requests[EFETCH], ids_per_efetch=fake.efetch_batches,
                             papers=papers)
    return _measurement(samples, [], extra)
