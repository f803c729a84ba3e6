"""The full-text scenarios of issue 14, each beside its floor.

``pdf_extract``
    pages per second reading generated 20-page PDFs with :func:`spinelib.formats.pdf.read_pdf`
    (the one PDFium thread, caps, metadata); floor: pypdfium2's own text extraction of the
    same pages in this thread, nothing else.
``fulltext_search_10k``
    ``Library.search`` over 10,000 articles with ~10 pages of text each (100,000 pages in
    the full-text index); floor: the same FTS5 query on the metadata index alone in raw
    sqlite3. ``extra.metadata_p95_ms_before`` / ``..._after`` time the metadata-only search
    (``article_fts``) before and after the pages are added: the metadata index is separate,
    so it must not change.
``pdf_find_1000``
    "Find available PDFs" for 1,000 articles with DOIs against an in-process stand-in of
    Europe PMC and Unpaywall (no sockets, no waiting): the requests made, Europe PMC searches
    batched 25 DOIs a request, printed beside the one-request-per-article count of tools
    that ask per article (``extra.peer_requests``).
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import corpus, generate
from benchmarks.madeahead import made_ahead
from benchmarks.pdfgen import pdf_bytes
from benchmarks.scenarios import QUERIES, Measurement, _check, _timed

PAGES_PER_PDF = 20
PAGES_PER_ARTICLE = 10
#: Bump when PageWriter's text changes: the cached paged library is keyed by it.
PAGES_VERSION = 1
WORDS_PER_PAGE = 220
FIND_COUNT = 1_000


def _words(seed: int) -> list[str]:
    """The running prose of the corpus's sentences (no placeholders): the domain words."""
    text = " ".join(corpus.BACKGROUND + corpus.METHODS + corpus.RESULTS + corpus.CONCLUSIONS
                    + corpus.OUTCOMES + corpus.COMPARATORS)
    return re.findall(r"[A-Za-z][A-Za-z-]+", re.sub(r"\{[^}]*\}", " ", text))


#: Syllables of the filler vocabulary: 20,000 made-up words stand for the long tail of a
#: paper's vocabulary, drawn with Zipf's law like real prose (rank r with weight 1/r).
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "de", "pa", "qui", "ber", "con",
              "dis", "ent", "for", "gra", "hel", "ist", "jun")
FILLER_WORDS = 20_000


def _filler(seed: int) -> tuple[list[str], list[float]]:
    """The filler words and their *cumulative* Zipf weights: ``random.choices`` given plain
    weights sums all 20,000 again on every call (100,000 pages: 60 of the 95 s the paged
    library took to build); given the sums, it draws exactly the same words."""
    rng = random.Random(seed)
    words = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                    for _ in range(FILLER_WORDS * 2)})[:FILLER_WORDS]
    rng.shuffle(words)
    return words, list(itertools.accumulate(1.0 / r for r in range(1, len(words) + 1)))


class PageWriter:
    """Pages of a paper about two of the search topics (QUERIES): each page mixes Zipf-drawn
    filler, the corpus's domain sentences and its topics' words, so a topic's words are
    found in about a fifth of the articles, as a subject is in a real library; the other
    topics' words never appear in it."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.filler, self.cum_weights = _filler(seed)
        query_words = {w.lower() for q in QUERIES for w in re.findall(r"\w+", q)}
        self.domain = [w for w in _words(seed) if w.lower() not in query_words]
        self.topics = [re.findall(r"\w+", q) for q in QUERIES]

    def article(self, pages: int) -> list[str]:
        chosen = self.rng.sample(self.topics, 2)
        topic_words = [w for t in chosen for w in t]
        return [self.page(topic_words) for _ in range(pages)]

    def page(self, topic_words: list[str]) -> str:
        rng = self.rng
        words = rng.choices(self.filler, cum_weights=self.cum_weights, k=WORDS_PER_PAGE - 60)
        words += rng.choices(self.domain, k=50)
        words += rng.choices(topic_words, k=10)
        rng.shuffle(words)
        return " ".join(words)


def _page(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(WORDS_PER_PAGE))


def pdf_extract(seed: int, repeat: int = 5) -> Measurement:
    import pypdfium2 as pdfium

    from spinelib.formats.pdf import read_pdf

    rng = random.Random(seed)
    words = _words(seed)
    m = Measurement([])
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in range(repeat):
            path = Path(tmp) / f"paper{n}.pdf"
            pages = ["\n".join(_page(rng, words)[i:i + 90] for i in range(0, 1500, 90))
                     for _ in range(PAGES_PER_PDF)]
            path.write_bytes(pdf_bytes(pages))
            paths.append(path)

        def floor(path: Path) -> int:
            doc = pdfium.PdfDocument(str(path))
            chars = 0
            for page in doc:
                tp = page.get_textpage()
                chars += len(tp.get_text_range())
                tp.close()
                page.close()
            doc.close()
            return chars

        read_pdf(paths[0])  # warm-up: the PDFium thread and library are loaded
        for path in paths:
            t, got = _timed(lambda p=path: read_pdf(p))
            _check(got.pages == PAGES_PER_PDF and len(got.texts) == PAGES_PER_PDF
                   and got.has_text, "pdf_extract: pages or text missing")
            m.samples.append(t)
            m.floor_samples.append(_timed(lambda p=path: floor(p))[0])
    median = sorted(m.samples)[len(m.samples) // 2]
    m.extra["pages_per_s"] = round(PAGES_PER_PDF / median, 1)
    m.extra["floor_pages_per_s"] = round(PAGES_PER_PDF / sorted(m.floor_samples)[
        len(m.floor_samples) // 2], 1)
    return m


def _p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2)


def _metadata_search(con: sqlite3.Connection, repeat: int) -> list[float]:
    from spinelib.store.sqlite.dialect import fts5_query

    out = []
    for _ in range(repeat):
        for q in QUERIES:
            out.append(_timed(lambda q=q: con.execute(
                "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank",
                (fts5_query(q),)).fetchall())[0])
    return out


def paged_library_path(articles: int, seed: int, cache: Path) -> Path:
    """Where the cached library of ``articles`` with its generated pages lives (keyed as the
    library is, plus the pages per article and :data:`PAGES_VERSION`)."""
    return cache / (f"fulltext-{generate.cache_key(articles, seed)}-p{PAGES_PER_ARTICLE}"
                    f"-w{PAGES_VERSION}.sqlite")


#: Articles whose pages the page worker makes per request (about 1.6 MB of text): chunks
#: of 1,000 took this process's peak from 44 to 144 MB (the chunk, its pickle, the next),
#: chunks of 100 to 48 MB, and were no quicker (16.9 s against 15.4 s at 10,000).
PAGE_CHUNK = 100
#: The page worker's own writer (made by :func:`_start_page_worker` in the worker process).
_worker_writer: PageWriter | None = None


def _start_page_worker(seed: int) -> None:
    global _worker_writer
    _worker_writer = PageWriter(seed)


def _worker_pages(count: int) -> list[list[str]]:
    """The next ``count`` articles' pages from the worker's writer (requests are answered
    in order by the one worker, so the pages are those of one writer drawing them all)."""
    assert _worker_writer is not None
    return [_worker_writer.article(PAGES_PER_ARTICLE) for _ in range(count)]


def _page_chunks(seed: int, articles: int) -> Iterator[list[list[str]]]:
    """Every article's pages, PAGE_CHUNK articles at a time, made one chunk ahead in a
    forked worker process: drawing them is pure Python (10 s for 10,000 articles) and
    indexing them is SQLite's (14 s), so each runs on its own core (the paged library's
    build took 25 s of a fresh ``make bench``). The same pages as one writer drawing them
    all here: article *i* is the writer's *i*-th."""
    sizes = [min(PAGE_CHUNK, articles - start) for start in range(0, articles, PAGE_CHUNK)]
    return made_ahead(_worker_pages, [(size,) for size in sizes], workers=1,
                      initializer=_start_page_worker, initargs=(seed,))


def _add_pages(lib: Any, ids: list[int], seed: int) -> None:
    """Every article's generated pages into the full-text index, one transaction."""
    from spinelib.results_files import FulltextPart

    chunks = _page_chunks(seed, len(ids))
    with lib.store.writing() as conn:
        done = 0
        for chunk in chunks:
            for aid, pages in zip(ids[done:done + len(chunk)], chunk):
                parts = [FulltextPart(p, "page", "", text)
                         for p, text in enumerate(pages, start=1)]
                lib.store.attachments.add_parts(conn, aid, None, parts)
            done += len(chunk)


def fulltext_search(seed: int, repeat: int = 5, articles: int = 10_000,
                    cache: Path | None = None) -> Measurement:
    """Search the library with ~10 generated pages an article in its index.

    The paged library is data, like the library itself (issue 19: it took 50 s of every
    ``make bench``): built here on a copy of the cached library the first time
    (``extra.index_build_s``) and saved to the cache (``Library.backup``, renamed when
    complete); later runs copy it (``extra.index_cached``). The searches are timed on the
    copy either way; the metadata index alone (``metadata_p95_ms_before``) is searched on
    the plain library."""
    from spinelib.library import Library, Query
    from spinelib.store.sqlite.dialect import fts5_query

    cache = generate.CACHE if cache is None else cache
    source = generate.cached_library(articles, seed, cache=cache)
    paged = paged_library_path(articles, seed, cache)
    if paged.exists() and paged.stat().st_mtime < source.stat().st_mtime:
        paged.unlink()  # made from a library rebuilt since
    m = Measurement([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lib.sqlite"
        shutil.copyfile(source, path)
        con = sqlite3.connect(path)
        _metadata_search(con, 1)
        before = _metadata_search(con, repeat)
        con.close()
        if paged.exists():
            shutil.copyfile(paged, path)
        con = sqlite3.connect(path)
        lib = Library.open(path)
        ids = lib.search.ids()
        m.extra["index_cached"] = paged.exists()
        if not paged.exists():
            started = time.perf_counter()
            _add_pages(lib, ids, seed)
            m.extra["index_build_s"] = round(time.perf_counter() - started, 1)
            partial_copy = paged.with_name(paged.name + ".partial")
            partial_copy.unlink(missing_ok=True)  # an interrupted save
            lib.backup(partial_copy)
            partial_copy.replace(paged)
        _metadata_search(con, 1)
        after = _metadata_search(con, repeat)
        hits: dict[str, int] = {}
        for q in QUERIES:  # warm-up, and proof the pages are searched
            hits[q] = len(lib.search.ids(Query(search=q)))
        _check(hits["separation surgery"] > 0, "fulltext_search: the pages are not searched")
        for _ in range(repeat):
            for q in QUERIES:
                m.samples.append(_timed(lambda q=q: lib.search.ids(Query(search=q)))[0])
                m.floor_samples.append(_timed(lambda q=q: con.execute(
                    "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank",
                    (fts5_query(q),)).fetchall())[0])
        pages = lib.store.engine.reading
        with pages() as conn:
            m.extra["pages_indexed"] = int(conn.scalar("SELECT count(*) FROM fulltext_part"))
        lib.close()
        con.close()
    m.extra.update(hits=hits, articles=len(ids), metadata_p95_ms_before=_p95_ms(before),
                   metadata_p95_ms_after=_p95_ms(after))
    return m


class _StubSession:
    """A requests.Session stand-in answering like Europe PMC and Unpaywall: every tenth DOI
    is in PMC (its render is a PDF), every third of the rest has a repository copy."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.count: Counter[str] = Counter()
        self.pdf = pdf_bytes(["An open-access paper about separation surgery"])

    def request(self, method: str, url: str, params: Any = None, **_kw: Any) -> Any:
        import requests

        r = requests.models.Response()
        r.status_code, r.url = 200, url
        r.headers["Content-Type"] = "application/json"
        if url.endswith("/search"):
            self.count["europepmc search"] += 1
            dois = re.findall(r'DOI:"([^"]+)"', params["query"])
            hits = [{"doi": d, "pmcid": f"PMC{int(d.rsplit('.', 1)[1]) + 1}",
                     "isOpenAccess": "Y", "inEPMC": "Y", "hasPDF": "Y", "license": "cc by"}
                    for d in dois if int(d.rsplit(".", 1)[1]) % 10 == 0]
            r._content = json.dumps({"hitCount": len(hits),
                                     "resultList": {"result": hits}}).encode()
        elif "pdf=render" in url or url.endswith(".pdf"):
            self.count["pdf download"] += 1
            r.headers["Content-Type"] = "application/pdf"
            r._content = self.pdf
        elif "/fullTextXML" in url:
            self.count["europepmc fullTextXML"] += 1
            r.status_code, r._content = 404, b""
        else:
            self.count["unpaywall"] += 1
            n = int(url.rsplit(".", 1)[1])
            locs = [{"url_for_pdf": f"https://repo.example/{n}.pdf",
                     "version": "acceptedVersion", "host_type": "repository"}] if n % 3 == 0 \
                else []
            r._content = json.dumps({"doi": url, "is_oa": bool(locs), "oa_locations": locs,
                                     "best_oa_location": locs[0] if locs else None}).encode()
        return r

    def close(self) -> None:
        pass


def pdf_find(seed: int, repeat: int = 1, count: int = FIND_COUNT) -> Measurement:
    from spinelib.library import Library
    from spinelib.pdffind import PdfFinder
    from spinelib.records import ArticleRecord
    from spinelib.settings import Settings
    from spinelib.sources.http import HttpClient
    from spinelib.sources.openaccess import HostGate

    m = Measurement([])
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            lib = Library.open(Path(tmp) / "lib.sqlite")
            lib.articles.add_records([ArticleRecord(title=f"Trial number {n}",
                                                    doi=f"10.5555/find.{n}", year=2020)
                                      for n in range(count)], suggest_tags=False)
            session = _StubSession()
            client = HttpClient(Settings(email="bench@example.org"), session=session,  # type: ignore[arg-type]
                                sleep=lambda _s: None)
            gate = HostGate(sleep=lambda _s: None)
            finder = PdfFinder(lib, client, gate=gate)
            ids = lib.search.ids()
            t, outcomes = _timed(partial(finder.run, ids))
            lib.close()
        m.samples.append(t)
        statuses = Counter(o.status for o in outcomes)
        _check(len(outcomes) == count and statuses["downloaded"] > 0,
               "pdf_find: no article was answered")
    m.extra.update(requests=sum(session.count.values()), by_kind=dict(session.count),
                   outcomes=dict(statuses), peer_requests=count,
                   europepmc_searches=session.count["europepmc search"])
    return m


def run(name: str, *, seed: int, repeat: int) -> Measurement:
    if name == "pdf_extract":
        return pdf_extract(seed, max(repeat, 3))
    if name == "fulltext_search_10k":
        return fulltext_search(seed, repeat)
    if name == "pdf_find_1000":
        return pdf_find(seed, 1)
    raise ValueError(f"unknown scenario {name!r}")
