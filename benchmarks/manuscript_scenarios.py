"""The issue-16 scenarios: a reference list in a journal style, a Word manuscript, a kept
export, each beside its floor.

``csl_bibliography_1000``
    1,000 generated articles in the Spine style through SpineLib (records → CSL-JSON →
    citeproc-py with SpineLib's memo of its style-tree searches → tidy entries). Floor:
    citeproc-py as published (``fastpath.disabled()``) on the same CSL-JSON items built
    outside the timer, style already loaded: so the ratio is below 1 when the memo pays.
    ``extra`` adds the CPU time of both (the machine may be shared; wall time is not).
``manuscript_200``
    a ~30-page .docx (300 paragraphs) with 200 citation placeholders, split across runs,
    formatted in Spine into a new file. Floor: python-docx opening and saving the same file.
``keep_updated``
    one article's notes edited in a 1,000-article library with its .bib kept up to date,
    then ``lib.exports.sync()``. Floor: writing the same 1,000 records as BibTeX to a file.
    The scenario checks that exactly one file was written and that it holds the edit.

Sizes are fixed (the issue's); every scenario raises RuntimeError when the work did not
happen, so a broken feature never looks fast.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import corpus

BIB_COUNT = 1_000
CITATIONS = 200
PARAGRAPHS = 300
KEPT_COUNT = 1_000


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def csl_bibliography(seed: int, repeat: int, count: int = BIB_COUNT) -> Any:
    import statistics

    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    from benchmarks.scenarios import Measurement
    from spinelib.cite import StyleEngine, fastpath, format_bibliography
    from spinelib.formats.csljson import item
    from spinelib.styles import resolve

    records = corpus.articles(seed, 0, count)
    for i, rec in enumerate(records):
        rec.citekey = f"k{i}"
    m = Measurement([])
    path, info = resolve("spine")
    plain = StyleEngine(info, path)  # its own tree: nothing the memo holds
    items = [item(r, r.citekey) for r in records]
    cpu: list[float] = []
    cpu_floor: list[float] = []
    for _ in range(repeat):
        c = time.process_time()
        t, text = _timed(lambda: format_bibliography(records, "spine"))
        cpu.append(time.process_time() - c)
        m.samples.append(t)
        _check(text.count("\n") == count, "csl_bibliography: wrong number of entries")

        def floor() -> int:
            with fastpath.disabled():
                bib = CitationStylesBibliography(plain.style, CiteProcJSON(items),
                                                 formatter.plain)
                for rec in records:
                    bib.register(Citation([CitationItem(rec.citekey)]))
                bib.sort()
                return len([str(e) for e in bib.bibliography()])

        c = time.process_time()
        f, n = _timed(floor)
        cpu_floor.append(time.process_time() - c)
        m.floor_samples.append(f)
        _check(n == count, "csl_bibliography floor: wrong number of entries")
    m.extra.update(entries=count, style="spine", cpu_median_s=statistics.median(cpu),
                   floor_cpu_median_s=statistics.median(cpu_floor))
    return m


def _library(root: Path, count: int, seed: int) -> tuple[Path, list[str]]:
    from spinelib.library import Library

    path = root / "lib.sqlite"
    records = corpus.articles(seed, 0, count)
    with Library.open(path) as lib:
        lib.articles.add_records(records)
        keys = [lib.articles.citekey(i) for i in lib.search.ids()]
    _check(len(keys) == count, "library: not every article was stored")
    return path, keys


def _manuscript(path: Path, keys: list[str], seed: int) -> None:
    import docx

    rng = random.Random(seed)
    d = docx.Document()
    sentence = ("Separation surgery followed by stereotactic radiosurgery achieves durable "
                "local control in patients with metastatic epidural spinal cord compression, ")
    spots = sorted(rng.sample(range(PARAGRAPHS), k=min(PARAGRAPHS, CITATIONS)))
    for n in range(PARAGRAPHS):
        p = d.add_paragraph(sentence * 3)
        if n in spots:
            key = rng.choice(keys)
            half = len(key) // 2
            p.add_run(f"[@{key[:half]}")  # split across runs, as Word does
            p.add_run(f"{key[half:]}]")
            p.add_run(" as reported.")
    d.add_paragraph("{Bibliography}")
    d.save(str(path))


def manuscript(seed: int, repeat: int) -> Any:
    import docx

    from benchmarks.scenarios import Measurement
    from spinelib.library import Library
    from spinelib.manuscript import format_manuscript

    m = Measurement([])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lib_path, keys = _library(root, 400, seed)
        src = root / "paper.docx"
        _manuscript(src, keys, seed)
        with Library.open(lib_path) as lib:
            for i in range(repeat):
                out = root / f"out{i}.docx"
                t, report = _timed(lambda out=out: format_manuscript(lib, src, out, "spine"))
                m.samples.append(t)
                _check(report.citations == CITATIONS and report.ok,
                       f"manuscript: {report.citations} citations formatted")

                def floor(i: int = i) -> None:
                    docx.Document(str(src)).save(str(root / f"floor{i}.docx"))

                m.floor_samples.append(_timed(floor)[0])
        m.extra.update(citations=CITATIONS, paragraphs=PARAGRAPHS, cited=len(report.cited))
    return m


def keep_updated(seed: int, repeat: int, count: int = KEPT_COUNT) -> Any:
    from benchmarks.scenarios import Measurement
    from spinelib import formats
    from spinelib.library import ExportScope, Library

    m = Measurement([])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lib_path, _keys = _library(root, count, seed)
        target = root / "refs.bib"
        with Library.open(lib_path) as lib:
            ids = lib.search.ids()
            lib.exports.register(target, "bibtex", ExportScope(), written=False)
            lib.exports.sync()
            for i in range(repeat):
                note = f"edited {i}"
                lib.articles.set_notes(ids[i % len(ids)], note)  # the edit, before the timer
                t, outcomes = _timed(lib.exports.sync)
                m.samples.append(t)
                written = [o for o in outcomes if o.status == "written"]
                _check(len(written) == 1 and note in target.read_text(encoding="utf-8"),
                       f"keep_updated: {len(written)} writes, edit present: "
                       f"{note in target.read_text(encoding='utf-8')}")
                records = lib.articles.records(ids, with_references=False)

                def floor(records: list[Any] = records) -> None:
                    formats.write_atomic(root / "floor.bib", formats.WRITERS["bibtex"](records))

                m.floor_samples.append(_timed(floor)[0])
        m.extra.update(entries=count, writes_per_edit=1)
    return m


def run(name: str, *, seed: int, repeat: int) -> Any:
    if name == "csl_bibliography_1000":
        return csl_bibliography(seed, repeat)
    if name == "manuscript_200":
        return manuscript(seed, repeat)
    if name == "keep_updated":
        return keep_updated(seed, repeat)
    raise ValueError(f"unknown scenario {name!r}")


NAMES = ("csl_bibliography_1000", "manuscript_200", "keep_updated")
