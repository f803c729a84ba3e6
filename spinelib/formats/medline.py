"""MEDLINE/PubMed text format (.nbib, "Send to: Citation manager"; "PubMed" format .txt).

Reading only: SpineLib exports PubMed records through the other formats. The layout is a
tag padded to four characters, ``- ``, the value; long values continue on lines indented
six spaces; a blank line separates records, each starting with ``PMID-``::

    PMID- 16125588
    TI  - Direct decompressive surgical resection in the treatment of spinal cord
          compression caused by metastatic cancer: a randomised trial.
    FAU - Patchell, Roy A
    AU  - Patchell RA

Tags read: PMID, TI, BTI (book title), AB (a structured abstract's ``LABEL:`` sections become
paragraphs, as the PubMed XML parser makes them), FAU/AU/CN in byline order (AU gives the
initials of the FAU before it; AUID ``ORCID:`` the ORCID; a trailing "Jr" or "3rd" is the
name's suffix), LA, PT (publication types, which
also decide review/erratum/preprint and the retracted flag), DP, TA (journal abbreviation),
JT (journal), VI, IP, PG, LID/AID (``[doi]``), PMC, IS (Print ISSN preferred), MH (MeSH:
``*`` marks a major topic, ``/`` separates qualifiers; the text format has no descriptor
UI, so ``MeshHeading.ui`` stays empty), OT (keywords), PB (publisher), EIN/RIN (erratum,
retraction notices). HTML character references in values are decoded, as every reader does.

Records are separated by blank lines or begin at a PMID line; exports from ERIC and Ovid have
no PMID and may drop the padding (``TI  -Title``, ``PMID-123``), and their ``AU`` holds the
full "Family, Given". A record that still holds two titles or two PMIDs is reported and
not imported, never folded into one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spinelib.bookshelf import bookshelf_url
from spinelib.edition import edition_of
from spinelib.formats.common import ReadResult, RecordReading, record_place
from spinelib.formats.entities import decode_entities
from spinelib.isbn import first_isbn
from spinelib.issn import pick_issn
from spinelib.records import ArticleRecord, Author, MeshHeading
from spinelib.text import expand_page_range, iter_lines, one_line, parse_month, valid_day

#: A tag line: the tag left-justified in four columns, then "- " and the value; exports
#: from other databases drop the padding or the space ("PMID-123", "TI  -Title").
_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}- ?(.*)$")
#: MEDLINE's tags (NLM's list, plus ERIC's SO/PT use): an unpadded "XY-..." line counts as
#: a tag only for these, so a wrapped line such as "CT-guided biopsy" stays text.
_KNOWN = frozenset(
    "PMID OWN STAT DCOM LR IS VI IP DP TI PG LID AB FAU AU AD LA GR PT DEP PL TA JT JID SB MH "
    "PMC OTO OT EDAT MHDA CRDT PHST AID PST SO AUID CN BTI ED FED CI COIS EIN RIN TT CTI SI "
    "RN GN OAB OABL ORI PS FPS IR FIR IRAD PUBM SFM CON CRF UOF UIN ECF ECI EFR ROF RPF RPI "
    "RRF RRI SPIN PB ISBN CP EN MID VTI DA AB LID".split())
#: Tags a record holds once: two in one record mean two records were run together.
_ONCE = ("PMID", "TI")
_ARTICLE_NUMBER_RE = re.compile(r"^e?\d{1,8}$")
#: A structured-abstract label at the start of a section ("BACKGROUND: ", "AIMS AND SCOPE: ").
_LABEL_RE = re.compile(r"(?:^|(?<=[.?!)\]]\s))(?=[A-Z][A-Z0-9 ,&/()\-]{2,60}: )")
REVIEW_TYPES = {"review", "systematic review", "scoping review"}


@dataclass
class TaggedRecord:
    """One record of a tagged text (MEDLINE, Ovid): its tags and values in file order, and
    the line it starts on."""

    line: int
    tags: list[tuple[str, str]] = field(default_factory=list)

    def all(self, name: str) -> list[str]:
        return [v for t, v in self.tags if t == name and v]

    def first(self, *names: str) -> str:
        """The first value of the first of ``names`` that has one; '' when none has."""
        return next((v for name in names for v in self.all(name)), "")


def _split(text: str) -> Iterator[TaggedRecord]:
    """The records of a MEDLINE text, each yielded when the next begins (or at the end).

    A blank line ends a record (PubMed, ERIC and Ovid all separate records so), and a PMID
    line starts one; a file whose records start with another tag (no PMID: ERIC, Ovid) is
    split by the blank lines alone.
    """
    current: TaggedRecord | None = None
    for lineno, line in enumerate(iter_lines(text), 1):
        if not line.strip():
            if current is not None and current.tags:
                yield current
                current = None
            continue
        m = _TAG_RE.match(line) if line[:1] != " " else None
        if m is not None and line[4:6] != "- " and m.group(1) not in _KNOWN:
            m = None  # not padded the MEDLINE way, and not a MEDLINE tag: text
        if m is None:
            if current is not None and current.tags:
                tag, value = current.tags[-1]
                current.tags[-1] = (tag, f"{value} {line.strip()}")
            continue
        tag, value = m.group(1), one_line(decode_entities(m.group(2) or ""))
        if current is None or (tag == "PMID" and current.first("PMID")):
            if current is not None:
                yield current
            current = TaggedRecord(lineno)
        current.tags.append((tag, value))
    if current is not None:
        yield current


def _abstract(text: str) -> str:
    """Flat AB text; a structured abstract's sections become 'LABEL: text' paragraphs."""
    text = one_line(text)
    if not re.match(r"[A-Z][A-Z0-9 ,&/()\-]{2,60}: ", text):
        return text
    parts = [p.strip() for p in _LABEL_RE.split(text) if p.strip()]
    return "\n\n".join(parts)


def _date(dp: str) -> tuple[int | None, int | None, int | None]:
    """DP '2005 Aug 20-26', '2013 Jan-Mar', '2018 Spring', '2005' -> (year, month, day)."""
    words = dp.split()
    year = int(words[0]) if words and re.fullmatch(r"\d{4}", words[0]) else None
    month = day = None
    if len(words) > 1:
        month = parse_month(re.split(r"[-/]", words[1])[0])
    if len(words) > 2 and month:
        d = re.match(r"\d{1,2}", words[2])
        day = int(d.group(0)) if d else None
    return year, month, valid_day(year, month, day)


def _mesh(value: str) -> MeshHeading:
    parts = value.split("/")
    major = any(p.startswith("*") for p in parts)
    names = [p.lstrip("*").strip() for p in parts]
    return MeshHeading(ui="", name=names[0], major=major, qualifiers=[q for q in names[1:] if q])


#: Generational suffixes as MEDLINE writes them after the names ("FAU - Kryscio, Richard J
#: Jr", "AU  - Young B 3rd"): kept apart, as the XML's <Suffix> is, so a citation reads
#: "Kryscio RJ Jr", never "Kryscio RJJ".
NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "2nd", "3rd", "4th",
                           "5th"})


def _split_suffix(names: str) -> tuple[str, str]:
    """(names, suffix) of a given name or "Family AB" with a generational suffix last; a
    lone word is never one (it is the name)."""
    head, _, last = names.strip().rpartition(" ")
    if head.strip() and last in NAME_SUFFIXES:
        return head.strip(), last
    return names.strip(), ""


def _full_name(value: str) -> Author:
    """An author from a "Family, Given" value (FAU, or a full-name AU)."""
    family, _, given = value.partition(",")
    given, suffix = _split_suffix(given)
    return Author(family=family.strip(), given=given, suffix=suffix)


def _short_name(value: str, last_full: Author | None, authors: list[Author]) -> None:
    """An AU "Family AB": the initials of the FAU just before it, else an author of its own."""
    name, suffix = _split_suffix(value)
    if " " not in name:  # "Smith II": initials after all, not a suffix
        name, suffix = value, ""
    family, _, initials = name.rpartition(" ")
    if last_full is not None:
        if not last_full.initials and initials.isupper():
            last_full.initials = initials
    elif family and initials.isupper() and len(initials) <= 4:
        authors.append(Author(family=family, initials=initials, suffix=suffix))
    else:
        authors.append(Author(family=value))


def _auid_orcid(value: str) -> str:
    """The ORCID of an AUID value "ORCID: 0000-...", '' for any other identifier."""
    m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value)
    return m.group(1) if m and value.upper().startswith("ORCID") else ""


def _authors(raw: TaggedRecord, full: str = "FAU", short: str = "AU") -> list[Author]:
    """FAU/AU/CN in byline order; AU fills the initials of the FAU just before it. A book's
    editors are read the same way from ``full="FED", short="ED"``."""
    authors: list[Author] = []
    last_full: Author | None = None
    for tag, value in raw.tags:
        if tag == full:
            last_full = _full_name(value)
            authors.append(last_full)
        elif tag == short and "," in value:
            # "Family, Given": a full name (ERIC and Ovid write AU so, with no FAU).
            authors.append(_full_name(value))
            last_full = None
        elif tag == short:
            _short_name(value, last_full, authors)
            last_full = None
        elif tag == "CN" and short == "AU":
            authors.append(Author(collective=value))
            last_full = None
        elif tag == "AUID" and authors and short == "AU":
            orcid = _auid_orcid(value)
            if orcid:
                authors[-1].orcid = orcid
    return authors


class _RecordReader(RecordReading[TaggedRecord]):
    def _article_ids(self, rec: ArticleRecord) -> None:
        """The DOI among the LID and AID values, and a Bookshelf document's address (its
        ``AID - NBK7050 [bookaccession]``), as the PubMed XML reader gives it."""
        for value in self.raw.all("LID") + self.raw.all("AID"):
            m = re.fullmatch(r"(.+?)\s*\[doi\]", value)
            if m and not rec.doi:
                rec.doi = self.ident("doi", m.group(1))
            accession = re.fullmatch(r"(NBK\d+)\s*\[bookaccession\]", value)
            if accession:
                rec.url = bookshelf_url(accession.group(1))

    def record(self) -> ArticleRecord | None:
        raw = self.raw
        glued = [t for t in _ONCE if len(raw.all(t)) > 1]
        if glued:
            # Never fold several papers into one: say where, import none of them wrongly.
            self.problems.append(
                f"{self.where}: holds {len(raw.all(glued[0]))} {glued[0]} lines with no blank "
                "line between the records, so where one record ends cannot be told (skipped; "
                "separate the records with blank lines)")
            return None
        rec = ArticleRecord(source="medline")
        pmid = raw.first("PMID")
        rec.pmid = self.ident("pmid", pmid) if pmid else ""
        title = raw.first("TI")
        book = raw.first("BTI")
        rec.title = strip_title_period(title or book)
        rec.book_title = strip_title_period(book) if title and book else ""
        rec.abstract = _abstract(raw.first("AB"))
        rec.authors = _authors(raw)
        rec.editors = _authors(raw, "FED", "ED")
        rec.edition, rec.isbn = edition_of(raw.first("EN")), first_isbn(raw.all("ISBN"))
        rec.language = raw.first("LA")
        rec.publication_types = raw.all("PT")
        rec.year, rec.month, rec.day = _date(raw.first("DP"))
        # ERIC and Ovid give the journal only in SO ("Journal of X, v76 n4 p1021-1030 2019").
        rec.journal = raw.first("JT") or (raw.first("SO").split(",")[0].strip()
                                          if not raw.first("TA") else "")
        rec.journal_abbrev = raw.first("TA")
        rec.volume = raw.first("VI")
        rec.issue = raw.first("IP")
        rec.pages = expand_page_range(raw.first("PG"))
        rec.publisher = raw.first("PB")
        rec.mesh = [_mesh(v) for v in raw.all("MH")]
        rec.keywords = raw.all("OT")
        rec.issn = pick_issn(raw.all("IS"))
        self._article_ids(rec)
        if not rec.pages:
            # An article number or e-location, as PubMed shows it when there are no pages.
            pii = next((re.sub(r"\s*\[pii\]$", "", v) for v in raw.all("LID")
                        if v.endswith("[pii]")), "")
            rec.pages = pii if _ARTICLE_NUMBER_RE.match(pii) else ""
        pmc = raw.first("PMC")
        rec.pmcid = self.ident("pmcid", pmc) if pmc else ""
        kinds = {p.casefold() for p in rec.publication_types}
        if book and not rec.journal:
            rec.type = "chapter" if title else "book"
        elif "published erratum" in kinds:
            rec.type = "erratum"
        elif "preprint" in kinds:
            rec.type = "preprint"
        elif kinds & REVIEW_TYPES:
            rec.type = "review"
        rec.retracted = "retracted publication" in kinds or bool(raw.all("RIN"))
        rec.has_erratum = bool(raw.all("EIN"))
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: neither a title nor a PMID (skipped)")
            return None
        return rec


def strip_title_period(title: str) -> str:
    """PubMed (and Ovid) end titles with a period; the record keeps them without (as the XML
    parser does)."""
    title = one_line(title)
    return title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title


def read_medline(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse MEDLINE/.nbib text into records; unusable records are reported by number."""
    return ReadResult.of_records(
        (_RecordReader(raw, record_place(source_name, number, raw.line)).read()
         for number, raw in enumerate(_split(text), 1)),
        f"{source_name} has no MEDLINE records")
