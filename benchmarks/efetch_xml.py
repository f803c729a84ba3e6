"""The synthetic articles as PubMed efetch XML (``PubmedArticleSet``), in the shape SpineLib's
parser reads back into equal records: one article's XML, a whole file, and several sizes of
file written in one pass (each a prefix of the largest)."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO, TextIO
from xml.sax.saxutils import escape, quoteattr

from benchmarks import corpus
from benchmarks.madeahead import made_ahead
from spinelib.records import ArticleRecord

#: Articles generated and serialised per chunk when no library build supplies them (the
#: output does not depend on it: tests/core/test_benchmark_builds.py).
XML_CHUNK = 5000
#: Worker processes synthesising the XML a file needs beyond what a library build supplied
#: (the machine's cores; the writing process mostly waits on them).
XML_WORKERS = 2
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: PublicationType name -> UI, for the types the corpus uses.
PUBLICATION_TYPE_UI = {d[1][1]: d[1][0] for d in corpus.DESIGNS} | {
    "Journal Article": "D016428", "Comparative Study": "D003160",
    "Multicenter Study": "D016448", "Retracted Publication": "D016441"}
QUALIFIER_UI = {name: ui for ui, name in corpus.QUALIFIERS.items()}
NLM_CATEGORIES = {"BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS", "OBJECTIVE"}
XML_HEAD = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
            'PubMedArticle, 1st January 2025//EN" '
            '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
XML_TAIL = "</PubmedArticleSet>\n"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ PubMed XML
def _el(tag: str, text: str, **attrs: str) -> str:
    attr = "".join(f" {k}={_quoted(v)}" for k, v in attrs.items()) if attrs else ""
    # Most texts hold nothing to escape: three scans instead of escape's three replaces.
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    return f"<{tag}{attr}>{text}</{tag}>"


@cache
def _quoted(value: str) -> str:
    """``quoteattr(value)``, once a value: attribute values here are a few hundred UIs and
    flags, written millions of times in a 100,000-article file."""
    return quoteattr(value)


def _abstract_xml(abstract: str) -> str:
    if not abstract:
        return ""
    parts = []
    for para in abstract.split("\n\n"):
        label, sep, text = para.partition(": ")
        if sep and label.isupper():
            category = label if label in NLM_CATEGORIES else "UNASSIGNED"
            parts.append(_el("AbstractText", text, Label=label, NlmCategory=category))
        else:
            parts.append(_el("AbstractText", para))
    return "<Abstract>" + "".join(parts) + "</Abstract>"


def _author_xml(rec: ArticleRecord) -> str:
    if not rec.authors:
        return ""
    out = ['<AuthorList CompleteYN="Y">']
    for a in rec.authors:
        if a.is_collective:
            out.append('<Author ValidYN="Y">' + _el("CollectiveName", a.collective) + "</Author>")
        else:
            out.append('<Author ValidYN="Y">' + _el("LastName", a.family)
                       + _el("ForeName", a.given) + _el("Initials", a.initials) + "</Author>")
    out.append("</AuthorList>")
    return "".join(out)


def _mesh_xml(rec: ArticleRecord) -> str:
    if not rec.mesh:
        return ""
    out = ["<MeshHeadingList>"]
    for m in rec.mesh:
        out.append("<MeshHeading>" + _el("DescriptorName", m.name, UI=m.ui,
                                         MajorTopicYN="Y" if m.major else "N"))
        out.extend(_el("QualifierName", q, UI=QUALIFIER_UI.get(q, ""), MajorTopicYN="N")
                   for q in m.qualifiers)
        out.append("</MeshHeading>")
    out.append("</MeshHeadingList>")
    return "".join(out)


def _ids_xml(pmid: str, doi: str, pmcid: str) -> str:
    ids = [_el("ArticleId", v, IdType=k) for k, v in (("pubmed", pmid), ("doi", doi),
                                                      ("pmc", pmcid)) if v]
    return "<ArticleIdList>" + "".join(ids) + "</ArticleIdList>" if ids else ""


def _references_xml(rec: ArticleRecord) -> str:
    if not rec.references:
        return ""
    refs = "".join("<Reference>" + _el("Citation", r.citation) + _ids_xml(r.pmid, r.doi, r.pmcid)
                   + "</Reference>" for r in rec.references)
    return f"<ReferenceList>{refs}</ReferenceList>"


def _pages_xml(pages: str) -> str:
    if pages.startswith("e"):
        return _el("ELocationID", pages, EIdType="pii", ValidYN="Y")
    first, _, last = pages.partition("-")
    return ("<Pagination>" + _el("StartPage", first) + (_el("EndPage", last) if last else "")
            + _el("MedlinePgn", pages) + "</Pagination>")


def record_xml(rec: ArticleRecord) -> str:
    """One ``<PubmedArticle>`` element for ``rec``, as efetch writes it."""
    month = f"<Month>{MONTH_ABBR[rec.month - 1]}</Month>" if rec.month else ""
    pub_types = list(rec.publication_types)
    if rec.retracted:
        pub_types.append("Retracted Publication")
    types = "".join(_el("PublicationType", p, UI=PUBLICATION_TYPE_UI.get(p, ""))
                    for p in pub_types)
    erratum = ('<CommentsCorrectionsList><CommentsCorrections RefType="ErratumIn">'
               '<RefSource>Erratum in: same journal.</RefSource></CommentsCorrections>'
               '</CommentsCorrectionsList>') if rec.has_erratum else ""
    keywords = ('<KeywordList Owner="NOTNLM">' + "".join(
        _el("Keyword", k, MajorTopicYN="N") for k in rec.keywords) + "</KeywordList>") \
        if rec.keywords else ""
    doi = _el("ELocationID", rec.doi, EIdType="doi", ValidYN="Y") if rec.doi else ""
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        + _el("PMID", rec.pmid, Version="1")
        + '<Article PubModel="Print"><Journal>' + _el("ISSN", rec.issn, IssnType="Print")
        + '<JournalIssue CitedMedium="Print">' + _el("Volume", rec.volume)
        + _el("Issue", rec.issue) + f"<PubDate><Year>{rec.year}</Year>{month}</PubDate>"
        + "</JournalIssue>" + _el("Title", rec.journal)
        + _el("ISOAbbreviation", rec.journal_abbrev) + "</Journal>"
        # PubMed ends every title with a period (SpineLib's parser strips it again).
        + _el("ArticleTitle", rec.title if rec.title.endswith("?") else rec.title + ".")
        + _pages_xml(rec.pages) + doi
        + _abstract_xml(rec.abstract) + _author_xml(rec) + _el("Language", rec.language or "eng")
        + f"<PublicationTypeList>{types}</PublicationTypeList></Article>"
        + "<MedlineJournalInfo><Country>United States</Country>"
        + _el("MedlineTA", rec.journal_abbrev) + _el("ISSNLinking", rec.issn)
        + "</MedlineJournalInfo>" + erratum + _mesh_xml(rec) + keywords + "</MedlineCitation>"
        + "<PubmedData><PublicationStatus>ppublish</PublicationStatus>"
        + _ids_xml(rec.pmid, rec.doi, rec.pmcid) + _references_xml(rec)
        + "</PubmedData></PubmedArticle>\n"
    )


def write_pubmed_xml(out: TextIO, records: Iterable[ArticleRecord]) -> int:
    """Write ``records`` as one efetch ``PubmedArticleSet``; returns how many were written."""
    out.write(XML_HEAD)
    n = 0
    for rec in records:
        out.write(record_xml(rec))
        n += 1
    out.write(XML_TAIL)
    return n


def pubmed_xml_file(path: Path, articles: int, seed: int, *, batch: int = XML_CHUNK) -> Path:
    """Write generated articles ``0 .. articles-1`` to ``path`` as efetch XML (atomically)."""
    return pubmed_xml_files({articles: path}, seed, batch=batch)[articles]


def pubmed_xml_files(paths: dict[int, Path], seed: int, *, batch: int = XML_CHUNK
                     ) -> dict[int, Path]:
    """Write several sizes in one pass: the smaller files are prefixes of the larger (article
    *i* is the same in each), so every article is generated and serialised once."""
    sink = XmlSink(paths)
    try:
        sink.finish(seed, batch=batch)
    finally:
        sink.close()
    return dict(paths)


class XmlSink:
    """Missing efetch XML files of several sizes, filled in article order (each file a prefix
    of the largest) by whoever generates the articles: a library build's synthesiser writes
    its chunks' XML here (:func:`build_library`, ``xml``), and :meth:`finish` generates the
    articles no build covered. Written under ``.partial`` names, renamed by :meth:`finish`
    only when complete; :meth:`close` (after a failure) leaves no complete-looking file."""

    def __init__(self, paths: dict[int, Path]) -> None:
        self.paths = dict(paths)
        #: The next article the files need (all before it are written).
        self.next = 0
        self.largest = max(paths, default=0)
        self._tmps = {n: p.with_name(p.name + ".partial") for n, p in paths.items()}
        self._handles: dict[int, BinaryIO] = {}
        for n, tmp in self._tmps.items():
            tmp.parent.mkdir(parents=True, exist_ok=True)
            self._handles[n] = tmp.open("wb")
            self._handles[n].write(XML_HEAD.encode())

    def write(self, start: int, texts: Sequence[str]) -> None:
        """The XML of articles ``start ..`` (``start`` must be :attr:`next`)."""
        self._expect(start)
        for n, fh in self._handles.items():
            if start < n:
                fh.write("".join(texts[:n - start]).encode("utf-8"))
        self.next = start + len(texts)

    def write_chunk(self, start: int, chunk: Path, ends: Sequence[int]) -> None:
        """The XML of articles ``start ..`` from the file ``chunk`` (UTF-8), whose article
        *i* ends at byte ``ends[i]``; copied by the kernel, never read into this process."""
        self._expect(start)
        with chunk.open("rb", buffering=0) as src:
            for n, fh in self._handles.items():
                if start < n:
                    src.seek(0)
                    _copy_bytes(src, fh, ends[min(n - start, len(ends)) - 1])
        self.next = start + len(ends)

    def _expect(self, start: int) -> None:
        if start != self.next:
            raise ValueError(f"XML for article {start} while article {self.next} is next")

    def finish(self, seed: int, *, batch: int = XML_CHUNK) -> None:
        """Generate and write the articles still missing, then complete and rename the files."""
        started, cpu, first = time.perf_counter(), time.process_time(), self.next
        if self.largest > self.next:
            folder = Path(tempfile.mkdtemp(prefix="xml-chunks-",
                                           dir=self.paths[self.largest].parent))
            try:
                for start, (chunk, ends) in _synthesised(
                        seed, range(self.next, self.largest, batch), batch, self.largest,
                        folder):
                    self.write_chunk(start, chunk, ends)
                    chunk.unlink()
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        for fh in self._handles.values():
            fh.write(XML_TAIL.encode())
        self.close()
        for n, tmp in self._tmps.items():
            tmp.replace(self.paths[n])
        if self.paths and self.largest > first:
            _say(f"wrote PubMed XML of {self.largest - first} articles in "
                 f"{time.perf_counter() - started:.0f} s (CPU {time.process_time() - cpu:.0f} s)")

    def close(self) -> None:
        for fh in self._handles.values():
            fh.close()
        self._handles = {}


def _copy_bytes(src: BinaryIO, dst: BinaryIO, count: int) -> None:
    """Append the next ``count`` bytes of ``src`` (unbuffered) to ``dst``: in the kernel
    where it can (``copy_file_range``), else, for what is left, through a buffer."""
    dst.flush()
    try:
        while count > 0:
            copied = os.copy_file_range(src.fileno(), dst.fileno(), count)
            if copied <= 0:
                break
            count -= copied
    except OSError:  # a file system or kernel without it; both offsets moved as copied
        pass
    while count > 0:
        block = src.read(min(count, 1 << 20))
        if not block:
            raise OSError(f"{src.name} ended {count} bytes early")
        dst.write(block)
        count -= len(block)


def _chunk_file(seed: int, start: int, stop: int, folder: Path) -> tuple[Path, list[int]]:
    """Write the efetch XML of generated articles ``start .. stop-1`` to a file of its own in
    ``folder`` (a worker's job); returns it and where each article ends in it. The worker
    encodes and writes the bytes itself: handing 80 MB of text a chunk back to the parent
    cost the parent 16 s of CPU on the 100,000-article file, taken from the workers' cores."""
    path = folder / f"chunk-{start}.xml"
    ends: list[int] = []
    size = 0
    with path.open("wb") as out:
        for rec in corpus.articles(seed, start, stop):
            data = record_xml(rec).encode("utf-8")
            out.write(data)
            size += len(data)
            ends.append(size)
    return path, ends


def _synthesised(seed: int, starts: range, batch: int, end: int, folder: Path
                 ) -> Iterator[tuple[int, tuple[Path, list[int]]]]:
    """(start, the chunk file of articles start .. start+batch-1) in order. Pure Python, 0.9
    ms an article, so a file of more than two chunks is made by :data:`XML_WORKERS` forked
    worker processes, a few chunks ahead, while this process copies (issue 19: the
    100,000-record file was 90 s of one core on a fresh ``make bench``). The output does not
    depend on it: article *i* depends only on the seed and *i*."""
    chunks = [(start, min(end, start + batch)) for start in starts]
    if len(chunks) <= 2:
        for start, stop in chunks:
            yield start, _chunk_file(seed, start, stop, folder)
        return
    # Bounded: a chunk of 5,000 is about 80 MB on disk until it is copied.
    # The workers draw without the cycle collector: a chunk's records hold no cycles, and
    # each collection would walk the worker's growing memo of cited articles.
    made = made_ahead(_chunk_file, [(seed, start, stop, folder) for start, stop in chunks],
                      workers=XML_WORKERS, initializer=gc.disable)
    yield from zip((start for start, _stop in chunks), made)
