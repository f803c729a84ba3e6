"""Web of Science's tagged text: the "Plain text file" export (``savedrecs.txt``) and the
"EndNote Desktop" one (``.ciw``), which are the same layout; and the "Tab delimited file"
export, a header row of the same tags and a row a record (multi-valued fields such as the
authors and cited references separated by "; ").

A file starts ``FN Clarivate Analytics Web of Science`` and ``VR 1.0``, then one record per
``PT`` … ``ER`` block, and ends ``EF``. A line is a two-letter tag, a space and the value;
a value goes on over lines indented three spaces. Authors (``AU``, ``AF``), addresses and
cited references (``CR``) give one value a line; the other fields wrap their text::

    PT J
    AU Laufer, I
       Rubin, DG
    AF Laufer, Ilya
       Rubin, David G.
    TI The NOMS framework: approach to the treatment of spinal metastatic
       tumors
    SO ONCOLOGIST
    JI Oncologist
    ...
    CR Bilsky MH, 2010, J NEUROSURG-SPINE, V13, P324, DOI 10.3171/2010.3.SPINE09459
    ER

Read: PT/DT (journal article, review, correction; book and chapter, proceedings paper; a
retracted publication flagged), AF (full names; AU fills the initials, or the names when
there is no AF), CA/GP (group authors), OI (ORCIDs by name), TI, SO (the journal, which Web
of Science writes in capitals: title-cased, keeping the acronyms its ISO abbreviation JI
keeps, "IEEE"), JI/J9, PY (else the early-access EY/EA), PD (month and day), VL, IS, BP-EP
or AR (article number), DI, PM (PMID), SN/EI, LA, AB, DE (author keywords), PU, and CR as
the article's own reference list, each cited work with the DOI Web of Science gives it. A
last record without ``ER`` (a tab row short of cells) was cut short and is not imported,
as an RIS reader does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spinelib.formats.common import ReadResult, RecordReading, record_place
from spinelib.formats.entities import decode_entities
from spinelib.identifiers import DOI_IN_TEXT_RE, identifier_or_empty
from spinelib.isbn import first_isbn
from spinelib.issn import pick_issn
from spinelib.records import ArticleRecord, Author, ReferenceEntry, initials_of
from spinelib.text import (
    TITLE_SMALL_WORDS,
    expand_page_range,
    iter_lines,
    one_line,
    parse_month,
    valid_day,
)

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
#: A Web of Science accession number (UT), which its BibTeX export also uses as the key.
WOS_ID_RE = re.compile(r"(?i)^(?:WOS|ISI):\d+$")
#: File-level lines, outside any record.
_FILE_TAGS = frozenset({"FN", "VR", "EF"})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")


@dataclass
class _Raw:
    """One record's fields, each as its lines: one value a line for the authors and cited
    references (:meth:`values`), one text wrapped over them for the rest (:meth:`text`)."""

    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)
    ended: bool = False
    #: What shows the record is not whole when it is not ``ended``.
    unended: str = "has no ER line"

    def values(self, tag: str) -> list[str]:
        return self.tags.get(tag, [])

    def text(self, tag: str) -> str:
        """The field's text, its wrapped lines joined."""
        return one_line(" ".join(self.tags.get(tag, [])))


def _split(text: str) -> Iterator[_Raw]:
    """The records of the file, each as its tags' lines; the last one may lack its ER."""
    current: _Raw | None = None
    last_tag = ""
    for lineno, line in enumerate(iter_lines(text.lstrip("\ufeff")), 1):
        if line.startswith("   ") and current is not None and last_tag:
            current.tags[last_tag].append(decode_entities(line.strip()))
            continue
        m = _TAG_RE.match(line.rstrip())
        if m is None or m.group(1) in _FILE_TAGS:
            continue  # blank lines between records, the file's header and end
        tag, value = m.group(1), decode_entities((m.group(2) or "").strip())
        if tag == "ER":
            if current is not None:
                current.ended = True
                yield current
            current, last_tag = None, ""
            continue
        if current is None:
            current = _Raw(lineno)
        current.tags.setdefault(tag, []).append(value)
        last_tag = tag
    if current is not None:
        yield current


#: Fields the tab-delimited export gives with "; " between values (the tagged text gives
#: them a line each).
_LISTED = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR"})


def _split_tabbed(text: str) -> Iterator[_Raw]:
    """The records of the "Tab delimited file" export: a header row of the same tags, then
    a row a record. A row with fewer cells than the header was cut short."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t",
                      quoting=csv.QUOTE_NONE)
    header = [tag.strip() for tag in next(rows, [])]
    for lineno, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        raw = _Raw(lineno, ended=len(row) >= len(header) - 1,
                   unended=f"has {len(row)} of the header's {len(header)} columns")
        for tag, cell in zip(header, row):
            value = decode_entities(cell.strip())
            if value:
                raw.tags[tag] = ([v.strip() for v in value.split(";") if v.strip()]
                                 if tag in _LISTED else [value])
        yield raw


def journal_from_capitals(source: str, iso: str) -> str:
    """The journal as it is printed: Web of Science's capitals title-cased ("JOURNAL OF
    NEUROSURGERY-SPINE" -> "Journal of Neurosurgery-Spine"), keeping in capitals the words
    the ISO abbreviation keeps so ("IEEE"). A name not all in capitals is left as it is."""
    if not source or source != source.upper():
        return source
    acronyms = {w for w in re.findall(r"[A-Za-z]+", iso) if len(w) > 1 and w.isupper()}

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if w in acronyms:
            return w
        lower = w.lower()
        if m.start() > 0 and lower in TITLE_SMALL_WORDS and source[m.start() - 1] == " ":
            return lower
        return lower[:1].upper() + lower[1:]

    return _WORD_RE.sub(word, source)


def _date(raw: _Raw) -> tuple[int | None, int | None, int | None]:
    """PY, and PD "MAY 15", "JUL-SEP", "SPR" -> (year, month, day). An article online
    before its issue has no PY yet: its early-access date (EY, EA "MAR 2021") stands in."""
    py = raw.text("PY") or raw.text("EY")
    year = int(py) if re.fullmatch(r"\d{4}", py) else None
    words = raw.text("PD").split()
    early = re.fullmatch(r"(?:([A-Z]{3})\w*\s+)?(?:\d{1,2}\s+)?(\d{4})", raw.text("EA").upper())
    if year is None and early:
        year, words = int(early.group(2)), [early.group(1)] if early.group(1) else []
    month = parse_month(re.split(r"[-/]", words[0])[0]) if words else None
    day = int(words[1]) if month and len(words) > 1 and words[1].isdigit() else None
    return year, month, valid_day(year, month, day)


def _authors(raw: _Raw) -> list[Author]:
    """AF's full names with AU's initials (the same authors, in the same order), or AU's
    "Family, AB" alone; a name without a comma is a group, in its byline place, named as
    CA names it in full ("Spine Oncology Study Grp" is the Spine Oncology Study Group);
    ORCIDs from OI "Family, Given/0000-…"."""
    full, short = raw.values("AF"), raw.values("AU")
    groups = [g for g in raw.values("CA") + raw.values("GP") if g]
    authors: list[Author] = []
    for n, name in enumerate(full or short):
        if "," not in name:
            authors.append(Author(collective=groups.pop(0) if groups else name))
            continue
        family, _, given = (p.strip() for p in name.partition(","))
        if full:
            initials = short[n].partition(",")[2].strip() if len(short) == len(full) else ""
            authors.append(Author(family=family, given=given, initials=initials))
        else:
            authors.append(Author(family=family, initials=given.replace(".", "").replace(" ", "")))
    authors += [Author(collective=g) for g in groups]
    _orcids(raw, authors)
    return authors


def _editors(raw: _Raw) -> list[Author]:
    """BE, a book's editors: "Family, Given" (or "Family, AB"); without a comma, a group."""
    out = []
    for name in raw.values("BE"):
        family, comma, given = (p.strip() for p in name.partition(","))
        out.append(Author(family=family, given=given, initials=initials_of(given))
                   if comma and family else Author(collective=name.strip()))
    return [a for a in out if a.family or a.collective]


def _orcids(raw: _Raw, authors: list[Author]) -> None:
    orcids = {}
    for pair in raw.text("OI").split(";"):
        name, _, orcid = pair.strip().rpartition("/")
        if re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid.strip()):
            orcids[name.strip().casefold()] = orcid.strip()
    for a in authors:
        if a.family:
            a.orcid = orcids.get(f"{a.family}, {a.given}".casefold(), "")


def _references(raw: _Raw) -> list[ReferenceEntry]:
    """CR: one cited work a line, "Bilsky MH, 2010, J NEUROSURG-SPINE, V13, P324, DOI 10.…";
    a work given two DOIs ("DOI [10.a, 10.A]", a case variant) keeps the first."""
    out: list[ReferenceEntry] = []
    for line in raw.values("CR"):
        citation = one_line(line)
        if not citation:
            continue
        m = DOI_IN_TEXT_RE.search(citation.partition(" DOI ")[2].strip("[]"))
        doi = identifier_or_empty("doi", m.group(0).rstrip(",];")) if m else ""
        out.append(ReferenceEntry(len(out) + 1, citation, doi))
    return out


def _kind(raw: _Raw) -> tuple[str, bool]:
    """(article type, whether SO is the book the work appears in) from PT and DT."""
    pt, dt = raw.text("PT").upper(), raw.text("DT").casefold()
    if pt == "B":
        return ("chapter", True) if raw.text("SO") and raw.text("SO") != raw.text("TI") \
            else ("book", False)
    if pt in ("S", "C") and "proceedings paper" in dt:
        return "conference", True
    if pt == "P":
        return "other", False
    if "correction" in dt or "erratum" in dt:
        return "erratum", False
    if "review" in dt:
        return "review", False
    return "article", False


class _RecordReader(RecordReading[_Raw]):
    def record(self) -> ArticleRecord | None:
        raw = self.raw
        if not raw.ended:
            self.problems.append(f"{self.where}: the record {raw.unended} (the file was "
                                 "cut short); it was not imported")
            return None
        rec = ArticleRecord(source="wos")
        rec.type, in_book = _kind(raw)
        # "Article; Retracted Publication": flagged as PubMed's records are, never cited
        # unawares (the retraction check confirms it when it runs).
        rec.retracted = "retracted publication" in raw.text("DT").casefold()
        rec.title = raw.text("TI")
        iso = raw.text("JI") or raw.text("J9")
        source = journal_from_capitals(raw.text("SO"), iso)
        if in_book:
            rec.book_title = source
        else:
            rec.journal, rec.journal_abbrev = source, iso
        rec.authors = _authors(raw)
        rec.editors, rec.isbn = _editors(raw), first_isbn(raw.values("BN"))
        rec.year, rec.month, rec.day = _date(raw)
        rec.volume, rec.issue = raw.text("VL"), raw.text("IS")
        bp, ep = raw.text("BP"), raw.text("EP")
        rec.pages = expand_page_range(f"{bp}-{ep}" if bp and ep else bp) or raw.text("AR")
        rec.doi = self.ident("doi", raw.text("DI"))
        rec.pmid = self.ident("pmid", raw.text("PM"))
        rec.issn = pick_issn([raw.text("SN"), raw.text("EI")])
        rec.language = raw.text("LA")
        rec.abstract = raw.text("AB")
        rec.keywords = [k.strip() for k in raw.text("DE").split(";") if k.strip()]
        rec.publisher = raw.text("PU")
        rec.references = _references(raw)
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: neither a title nor a DOI or PMID (skipped)")
            return None
        return rec


def read_wos(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse Web of Science tagged text into records; unusable records are reported by
    number and line."""
    tabbed = text.lstrip("\ufeff").startswith("PT\t")  # the "Tab delimited file" export
    records = _split_tabbed(text) if tabbed else _split(text)
    return ReadResult.of_records(
        (_RecordReader(raw, record_place(source_name, number, raw.line)).read()
         for number, raw in enumerate(records, 1)),
        f"{source_name} has no Web of Science records")
