"""Reading RIS as EndNote, Zotero, Mendeley, RefMan and the databases write it.

Accepted: A1/AU, TI/T1/CT/BT, T2/JF/JO/JA/J1/J2, PY/Y1/DA with ``2005/03/19/`` forms, SP with
a whole range, DO or a DOI in M3 or a doi.org UR, AN as PMID (unless DB names another
database), C2 as PMCID, N2 as abstract, Zotero's HTML notes, continuation lines, a
byte-order mark and CRLF. Records are counted from 1 in problem messages; a record without
TY, or a last record without ER, is reported rather than guessed at.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spinelib.citekeys import is_valid_citekey
from spinelib.edition import edition_of
from spinelib.errors import InvalidIdentifier
from spinelib.formats.bylines import author_in
from spinelib.formats.common import (
    ReadResult,
    RecordRead,
    RecordReading,
    keep_accessed,
    keep_state,
    record_place,
)
from spinelib.formats.entities import decode_entities
from spinelib.formats.linkpaths import ris_file_paths
from spinelib.formats.richtext import strip_inline_markup
from spinelib.formats.ris.accession import pmid_in_accession
from spinelib.formats.ris.scopus import SCOPUS_RE, scopus_notes
from spinelib.formats.ris.write import HTML_NOTE_RE, RICH_TEXT_TAGS
from spinelib.formats.scopus import document_type, in_its_journal, is_retracted
from spinelib.formats.wos import WOS_ID_RE, journal_from_capitals
from spinelib.identifiers import is_identifier_link, parse_identifier
from spinelib.isbn import first_isbn
from spinelib.issn import pick_issn
from spinelib.records import ArticleRecord
from spinelib.text import (
    expand_page_range,
    iter_lines,
    normalise_pages,
    one_line,
    parse_month,
    tidy_long_text,
    valid_day,
)

#: RIS types we read, mapped to ArticleRecord.type (anything else: "other").
TYPE_IN = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "ABST": "article",
    "INPR": "article", "MGZN": "article", "NEWS": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CLSWK": "book",
    "CHAP": "chapter", "ECHAP": "chapter",
    "CPAPER": "conference", "CONF": "conference", "PCOMM": "other",
    "RPRT": "report", "GOVDOC": "report", "THES": "thesis",
    "ELEC": "webpage", "WEB": "webpage", "BLOG": "webpage",
}
#: Types whose T2 (or BT) is the book the work appears in.
_IN_BOOK = ("chapter", "conference")
#: Tags from the RIS specification and the common exporters; a one-space separator
#: ("TY - JOUR") is accepted only for these, so text in an abstract is not mistaken for one.
_KNOWN = ("TY ER ID AU A1 A2 A3 A4 ED TI T1 T2 T3 CT BT JF JO JA J1 J2 PY Y1 Y2 DA VL IS CP "
          "SP EP SN DO M1 M2 M3 UR L1 L2 L3 L4 LK AN DB DP C1 C2 C3 C4 C5 C6 C7 C8 AB N1 N2 "
          "KW LA PB CY ET NV OP RP SE ST TT U1 U2 U3 U4 U5 AD CA CN RN")
KNOWN_TAGS = frozenset(_KNOWN.split())
_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|)$")


@dataclass
class _Raw:
    """One record's tag values in file order, and where it started."""

    number: int
    line: int
    typed: bool
    tags: list[tuple[str, str]] = field(default_factory=list)

    def all(self, *names: str) -> list[str]:
        return [v for t, v in self.tags if t in names and v.strip()]

    def first(self, *names: str) -> str:
        """The first non-empty value among the tags, in the order the names are given."""
        for name in names:
            for t, v in self.tags:
                if t == name and v.strip():
                    return v
        return ""


def _tag_match(line: str) -> re.Match[str] | None:
    """The tag line's tag and value (see _TAG_RE, _KNOWN); None for a continuation line."""
    m = _TAG_RE.match(line)
    if m is None and line[:8].lstrip().startswith(("TY  -", "ER  -")):
        m = _TAG_RE.match(line.lstrip())
    if m and " -" in line[2:4] and m.group(1) not in KNOWN_TAGS:
        return None  # "XY - text" with one space: only known tags count
    return m


def _continue_value(current: _Raw | None, line: str) -> None:
    """Add a continuation line to the last value of the record being read, if there is one."""
    if current is None or not current.tags:
        return
    tag, value = current.tags[-1]
    current.tags[-1] = (tag, f"{value}\n{line.strip()}" if line.strip() else f"{value}\n")


def _keep_unended(current: _Raw, source: str, result: ReadResult) -> bool:
    """Whether a last record lacking ER is imported (untyped), else report it (typed)."""
    if current.typed:
        result.problems.append(f"{source}: last record (line {current.line}) has no ER "
                               "line; it was not imported")
        return False
    return True


def _split_records(text: str, source: str, result: ReadResult) -> Iterator[_Raw]:
    """Group tag lines into records, yielding each as it ends; report the malformed ones."""
    current: _Raw | None = None
    count = 0
    for lineno, line in enumerate(iter_lines(text), 1):
        m = _tag_match(line)
        if m is None:
            _continue_value(current, line)
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                result.warnings.append(
                    f"{source} record {current.number} (line {current.line}) has no ER line "
                    "before the next TY; it was imported as it stands")
                yield current
            count += 1
            current = _Raw(count, lineno, True, [("TY", value)])
        elif tag == "ER":
            if current is not None:
                yield current
            current = None
        else:
            if current is None:
                count += 1
                current = _Raw(count, lineno, False)
            current.tags.append((tag, value))
    if current is not None and _keep_unended(current, source, result):
        yield current


_DATE_SLASH_RE = re.compile(r"^\s*(\d{4})?\s*/\s*(\d{0,2})\s*(?:/\s*(\d{0,2}))?")
_DATE_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _parse_date(value: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from '2005/03/19/', '2005///', '2005-03-19', 'Mar 19 2005', '2005'."""
    value = value.strip()
    year_m = _YEAR_RE.search(value)
    year = int(year_m.group(1)) if year_m else None
    month = day = None
    m = _DATE_SLASH_RE.match(value)
    if m and "/" in value:
        if m.group(2):
            month = parse_month(m.group(2))
        if m.group(3):
            day = int(m.group(3))
    elif (iso := _DATE_ISO_RE.search(value)) is not None:
        month = parse_month(iso.group(2))
        day = int(iso.group(3)) if iso.group(3) else None
    else:
        for word in re.findall(r"[A-Za-z]+", value):
            month = parse_month(word)
            if month:
                break
        d = re.search(r"(?<!\d)(\d{1,2})(?!\d)", value)
        day = int(d.group(1)) if d and month else None
    return year, month, valid_day(year, month, day)


def _long(value: str) -> str:
    """Abstract/notes text: every continuation line starts a paragraph (as writers mean it)."""
    return tidy_long_text(value.replace("\n", "\n\n"))


def _note(value: str) -> str:
    """An N1 note as written (character references not yet decoded); Zotero writes its
    notes as HTML, which becomes plain paragraphs."""
    if HTML_NOTE_RE.match(value):
        value = re.sub(r"(?i)</(?:p|div|h[1-6]|li|blockquote|pre)>|<br\s*/?>", "\n\n", value)
        value = html.unescape(re.sub(r"<[^>]+>", "", value))
        return tidy_long_text(value)
    return _long(decode_entities(value))


class _RecordReader(RecordReading[_Raw]):
    #: Exported by Scopus (its DB line), whose fields say more in places of their own.
    scopus = False
    #: ``ArticleRecord.source`` of what it reads: a format read as RIS says its own name.
    source = "ris"

    def _line(self, *tags: str) -> str:
        """The first of these tags' values, on one line."""
        return one_line(self.raw.first(*tags))

    def record(self) -> ArticleRecord | None:
        raw = self.raw
        line = self._line
        if not raw.typed:
            self.problems.append(f"{self.where}: no TY tag (skipped)")
            return None
        self.scopus = SCOPUS_RE.search(" ".join(raw.all("DB", "DP"))) is not None
        n1, cited = scopus_notes(raw.all("N1")) if self.scopus else (raw.all("N1"), [])
        # Notes are judged HTML or text as written ("&lt;pre-op" is text), then decoded.
        notes = "\n\n".join(_note(v) for v in n1)
        # Scopus and Embase write "P &lt; 0.0001": every value is decoded alike, after
        # Zotero's rich text (a title's <i>, <sup>) is taken out of the fields that hold it.
        raw.tags = [(t, decode_entities(strip_inline_markup(v) if t in RICH_TEXT_TAGS else v))
                    for t, v in raw.tags]
        ty = line("TY").upper()
        rec = ArticleRecord(source=self.source)
        rec.type = TYPE_IN.get(ty, "other")
        if ty == "CONF" and not line("T2", "BT", "C3"):
            rec.type = "proceedings"  # EndNote's CONF: a paper in a book, or the book itself
        rec.authors = [a for a in map(author_in, raw.all("AU", "A1")) if a is not None]
        self._editors(rec, ty)
        rec.title = (line("TI", "T1", "CT") or (line("BT") if rec.type == "book" else "")
                     or line("ST"))
        self._source(rec)
        self._other_types(rec)
        if ty == "GEN" and rec.journal:
            rec.type = "article"
        y1 = _parse_date(line("PY", "Y1"))
        da = _parse_date(line("DA"))
        rec.year = y1[0] or da[0]
        keep_state(rec, line("PY", "Y1"), self.where, self.warnings)
        keep_accessed(rec, line("Y2"), "Y2", self.where, self.warnings)
        if da[1] and (da[0] is None or da[0] == rec.year):
            rec.month, rec.day = da[1], da[2]
        else:
            rec.month, rec.day = y1[1], y1[2]
        rec.volume = line("VL")
        rec.issue = line("IS", "CP")
        rec.pages = self._pages(rec.type)
        rec.issn = pick_issn(raw.all("SN"))
        # (A report's SN is its number, which may be ten digits that pass as an ISBN.)
        rec.isbn = first_isbn(raw.all("SN")) if rec.type not in ("report", "article") else ""
        if rec.type in ("report", "thesis"):
            rec.institution = line("PB")  # Zotero and EndNote keep the institution in PB
        else:
            rec.publisher = line("PB")
        rec.language = line("LA")
        rec.abstract = _long(raw.first("AB") or raw.first("N2"))
        rec.notes = notes
        rec.references = cited
        rec.keywords = [w for w in (one_line(k) for k in raw.all("KW")) if w]
        self._identifiers(rec)
        key = line("ID")
        # EndNote writes its record numbers here; only a real key becomes the citekey.
        if key and is_valid_citekey(key) and not key.isdigit():
            rec.citekey = key
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: neither a title nor a DOI, PMID or PMCID "
                                 "(skipped)")
            return None
        return rec

    def _source(self, rec: ArticleRecord) -> None:
        """The book a chapter is in, or the journal and its abbreviation."""
        line = self._line
        t2 = line("T2")
        if rec.type in _IN_BOOK:
            # C3 is a conference paper's "Proceedings Title" (Scopus puts it there alone).
            rec.book_title = t2 or line("BT") or (line("C3") if rec.type == "conference" else "")
        full = (t2 if rec.type not in _IN_BOOK else "") or line("JF")
        jo = line("JO")
        abbrev = line("J2", "JA", "J1")
        # A journal given only by its abbreviation (JA/J2) is still the journal.
        rec.journal = full or jo or abbrev
        rec.journal_abbrev = abbrev or (jo if jo and jo != rec.journal else "")
        if WOS_ID_RE.match(line("AN")):  # Web of Science's RIS: its journals in capitals
            rec.journal_abbrev = rec.journal_abbrev or line("JI")
            rec.journal = journal_from_capitals(rec.journal, line("JI") or rec.journal_abbrev)

    def _editors(self, rec: ArticleRecord, ty: str) -> None:
        """ED is an editor in any record; A2 a chapter's or a conference paper's (the book's
        editors: Zotero, EndNote), elsewhere a series editor, left out. An edited book
        (EDBOOK) names its editors as its authors, as Zotero reads it."""
        tags = ("ED", "A2") if rec.type in _IN_BOOK else ("ED",)
        rec.editors = [a for a in map(author_in, self.raw.all(*tags)) if a is not None]
        if ty == "EDBOOK" and not rec.editors:
            rec.editors, rec.authors = rec.authors, []

    def _pages(self, kind: str) -> str:
        """SP-EP; for an article without them, its number: EndNote's and Scopus's C7."""
        sp, ep = normalise_pages(self._line("SP")), normalise_pages(self._line("EP"))
        pages = expand_page_range(f"{sp}-{ep}" if sp and ep and "-" not in sp else (sp or ep))
        if not pages and kind in ("article", "review", "erratum"):
            return normalise_pages(self._line("C7"))
        return pages

    def _other_types(self, rec: ArticleRecord) -> None:
        """Reports (number in SN or M1), theses (degree in M3), the place (CY) and a
        book's edition (ET)."""
        rec.place = self._line("CY")
        rec.edition = edition_of(self._line("ET"))
        if rec.type == "report":
            number = self._line("SN") or self._line("M1")
            rec.report_number = "" if pick_issn([number]) else number
        elif rec.type == "thesis":
            kind = self._line("M3")
            if kind and not kind.startswith("10."):
                rec.publication_types = [kind]

    def _scopus(self, rec: ArticleRecord) -> None:
        """What Scopus's export says in its own places (:mod:`.scopus`): the PubMed ID (a
        wrong PMID would merge the record with another article, so only Scopus's C2 is
        read so), the document type."""
        c2 = self._line("C2")
        if not rec.pmid and re.fullmatch(r"\d{1,8}", c2):
            rec.pmid = self.ident("pmid", c2)
        kind = self._line("M3")
        # TY says a chapter or a conference paper itself; "SER" (a book series: "other")
        # holds chapters, articles and conference papers, which M3 tells apart.
        if rec.type in ("article", "other"):
            rec.type, in_book = document_type(kind, "article" if kind else rec.type)
            if in_book and not rec.book_title:
                rec.book_title, rec.journal = rec.journal, ""
        in_its_journal(rec)
        rec.retracted = is_retracted(kind)

    def _identifiers(self, rec: ArticleRecord) -> None:
        raw = self.raw
        rec.doi = self.ident("doi", raw.first("DO"))
        if not rec.doi:
            # Old EndNote exports put the DOI in M3 ("type of work"); take it only if valid.
            rec.doi = self.ident("doi", raw.first("M3"), quiet=True)
        pmid = pmid_in_accession(self._line("AN"), raw.all("DB"), raw.all("DP"))
        if pmid:
            rec.pmid = self.ident("pmid", pmid)
        if self.scopus:
            self._scopus(rec)
        pmc = re.search(r"\bPMC\d+\b", " ".join(raw.all("C2", "C1", "M2")), re.I)
        if pmc:
            rec.pmcid = self.ident("pmcid", pmc.group(0))
        rec.files = ris_file_paths(raw.all("L1"))
        self._links(rec)

    def _links(self, rec: ArticleRecord) -> None:
        """Identifiers a link gives that no field did, and the first other link as the URL."""
        for url in self.raw.all("UR", "L1", "L2", "L3", "LK"):
            for piece in url.split():
                if not piece.lower().startswith(("http://", "https://")):
                    continue
                try:
                    found = parse_identifier(piece)
                except InvalidIdentifier:
                    found = None
                if found is not None and not getattr(rec, found.kind):
                    setattr(rec, found.kind, found.value)
                if not rec.url and not is_identifier_link(piece):
                    rec.url = piece


def record_from_tags(tags: list[tuple[str, str]], where: str, source: str) -> RecordRead:
    """One record given as RIS tag values (``TY`` first), read by the rules of an RIS file:
    for a format whose fields are RIS's under other names (EndNote XML). Values are as an
    RIS file holds them: character references are decoded and a note that reads as HTML is
    flattened, so a caller with plain text escapes it first
    (:func:`spinelib.formats.ris.write.as_written`). Returns the record (None when skipped)
    with its problems and warnings, each starting with ``where``; ``source`` is the record's
    ``ArticleRecord.source``, the format's name."""
    reader = _RecordReader(_Raw(0, 0, bool(tags) and tags[0][0] == "TY", list(tags)), where)
    reader.source = source
    return reader.read()


def read_ris(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse RIS text; complete records import, malformed ones are reported by number/line."""
    result = ReadResult()
    for raw in _split_records(text, source_name, result):
        result.add(_RecordReader(raw, record_place(source_name, raw.number, raw.line)).read())
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no RIS records")
    return result
