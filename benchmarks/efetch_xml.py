"""The synthetic articles as PubMed efetch XML (``PubmedArticleSet``), in the shape SpineLib's
parser reads back into equal records: one article's XML, a whole file, and several sizes of
file written in one pass (each a prefix of the largest)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO
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
    attr = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{attr}>{escape(text)}</{tag}>"


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
        self._handles: dict[int, TextIO] = {}
        for n, tmp in self._tmps.items():
            tmp.parent.mkdir(parents=True, exist_ok=True)
            self._handles[n] = tmp.open("w", encoding="utf-8")
            self._handles[n].write(XML_HEAD)

    def write(self, start: int, texts: Sequence[str]) -> None:
        """The XML of articles ``start ..`` (``start`` must be :attr:`next`)."""
        if start != self.next:
            raise ValueError(f"XML for article {start} while article {self.next} is next")
        for n, fh in self._handles.items():
            if start < n:
                fh.write("".join(texts[:n - start]))
        self.next = start + len(texts)

    def finish(self, seed: int, *, batch: int = XML_CHUNK) -> None:
        """Generate and write the articles still missing, then complete and rename the files."""
        started, cpu, first = time.perf_counter(), time.process_time(), self.next
        for start, texts in _synthesised(seed, range(self.next, self.largest, batch), batch,
                                         self.largest):
            self.write(start, texts)
        for fh in self._handles.values():
            fh.write(XML_TAIL)
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


def _chunk_xml(seed: int, start: int, stop: int) -> list[str]:
    """The efetch XML of generated articles ``start .. stop-1`` (a worker's job)."""
    return [record_xml(rec) for rec in corpus.articles(seed, start, stop)]


def _synthesised(seed: int, starts: range, batch: int, end: int
                 ) -> Iterator[tuple[int, list[str]]]:
    """(start, the XML of articles start .. start+batch-1) in order. Pure Python, 0.9 ms an
    article, so a file of more than two chunks is made by :data:`XML_WORKERS` forked worker
    processes, a few chunks ahead, while this process writes (issue 19: the 100,000-record
    file was 90 s of one core on a fresh ``make bench``). The output does not depend on
    it: article *i* depends only on the seed and *i*."""
    chunks = [(start, min(end, start + batch)) for start in starts]
    if len(chunks) <= 2:
        for start, stop in chunks:
            yield start, _chunk_xml(seed, start, stop)
        return
    # Bounded: a chunk of 5,000 is about 80 MB.
    made = made_ahead(_chunk_xml, [(seed, start, stop) for start, stop in chunks],
                      workers=XML_WORKERS)
    yield from zip((start for start, _stop in chunks), made)
