"""Ovid's tagged export, as Ovid MEDLINE, Embase and Ovid's other databases write it.

It is what Export > "Citavi", "EndNote" or "Reference Manager" saves (fields "Complete
Reference"); the browser names the download ``ovidweb.cgi`` or ``*.ovd``, and a librarian's
systematic search arrives so, a thousand records a file.

Each record starts with its number in angle brackets ("<1. >"; "<1>" in an AutoAlert
e-mail, which may leave out the vendor line), and every line is a two-letter tag,
two spaces, ``- `` and the value. A value goes on over the lines after it: indented six
spaces where a long value wraps, or not indented where an abstract starts its next section
(the "EndNote" export)::

    <1. >
    VN  - Ovid Technologies
    DB  - Embase
    UI  - 2004312345
    TI  - Separation surgery and stereotactic radiotherapy for epidural compression.
    SO  - Journal of Neurosurgery: Spine. 33 (4) (pp 501-508), 2020. Date of Publication: 2020.
    AU  - Lucas J.S.
    AB  - Background: ...
    Method(s): ...
    DO  - http://dx.doi.org/10.3171/2020.4.SPINE20123
    YR  - 2020

Read: TI, AU (Embase's "Lucas J.S.", MEDLINE's "Patchell RA") with FA (the full names, when
given), SO (the journal; volume, issue and pages when no VO/VI, IP or PG gives them; the
date of publication), JN, AS (the journal's abbreviation, out of the abbreviated source),
AB (its sections as paragraphs), DO (the DOI), PM (the PubMed ID; UI or AN too in a MEDLINE
database, where they are the PMID; Embase's are its own accession numbers, not PMIDs),
IS/ES (ISSN), YR/DP, LG, PT (publication types: a review, an erratum), PB, KW; MH as MeSH
headings from a MEDLINE database ("*Spinal Neoplasms/sc [Secondary]"), as keywords from
Embase (Emtree is not MeSH).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spinelib.formats.bylines import author_in
from spinelib.formats.common import ReadResult, RecordReading, record_place
from spinelib.formats.entities import decode_entities
from spinelib.formats.medline import REVIEW_TYPES, TaggedRecord, strip_title_period
from spinelib.formats.sniff import OVID_NUMBER_LINE
from spinelib.issn import pick_issn
from spinelib.records import ArticleRecord, Author, MeshHeading
from spinelib.text import expand_page_range, iter_lines, one_line, parse_month, valid_day

_RECORD_NUMBER_RE = re.compile(rf"{OVID_NUMBER_LINE}$")
_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}- ?(.*)$")
#: SO's journal: the text before the first ". " that a volume, a conference or the end
#: follows ("Spine (Phila Pa 1976). 45(3):…", "BMC Proceedings. Conference: …"); else,
#: in a source written without that full stop, the text before its first number.
_SO_JOURNAL_RE = re.compile(
    r"(.+?)\.\s+(?=\d|Conference:|Vol|\()|([^\d]+?)[\s,.;:]+\d|(.+?)\.?\s*$")
#: Embase's SO: "33 (4) (pp 501-508), 2020", "12 (Supplement 3) (no pagination), 2018",
#: "130 (Article Number: e123), 2019".
_EMBASE_PARTS_RE = re.compile(
    r"(?<![\w-])(\d+[A-Za-z]?)\s*(?:\(([^()]+)\))?\s*\((?:pp\s*([^()]+)|no pagination|"
    r"Article Number:\s*([^()]+))\)")
#: Ovid MEDLINE's SO: "366(9486):643-8, 2005 Aug 20-26."
_MEDLINE_PARTS_RE = re.compile(r"(?<![\w-])(\d+[A-Za-z]?)\s*(?:\(([^()]+)\))?:\s*([\w\-–]+)")
_DATE_OF_PUBLICATION_RE = re.compile(r"Date of Publication:\s*([^.]+)")
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SUPPLEMENT_RE = re.compile(r"(?i)\bsupplement\b")
_DOI_LINK_RE = re.compile(r"(?i)^https?://(?:dx\.)?doi\.org/")


def _split(text: str) -> Iterator[TaggedRecord]:
    """The records, each yielded when the next starts: at its "<N. >" line, or at a second
    "VN" line in an export without the numbers."""
    current: TaggedRecord | None = None
    for lineno, line in enumerate(iter_lines(text.lstrip("\ufeff")), 1):
        if _RECORD_NUMBER_RE.match(line):
            if current is not None and current.tags:
                yield current
            current = TaggedRecord(lineno)
            continue
        m = _TAG_RE.match(line)
        if m is None:
            if line.strip() and current is not None and current.tags:
                tag, value = current.tags[-1]
                # Wrapped (indented) text goes on; an unindented line starts a paragraph.
                glue = " " if line[:1] in " \t" else "\n\n"
                current.tags[-1] = (tag, f"{value}{glue}{decode_entities(line.strip())}")
            continue
        tag, value = m.group(1), decode_entities(m.group(2).strip())
        if current is None or (tag == "VN" and current.first("VN")):
            if current is not None:
                yield current
            current = TaggedRecord(lineno)
        current.tags.append((tag, value))
    if current is not None and current.tags:
        yield current


def _is_medline(raw: TaggedRecord) -> bool:
    """Whether the record is from one of Ovid's MEDLINE (PubMed) databases."""
    database = raw.first("DB").upper()
    return "MEDLINE" in database or "PUBMED" in database


def _people(values: list[str]) -> list[Author]:
    """AU or FA names ("Patchell RA", "Lucas J.S.", "Walsdorf, Neill B. [Inventor]"), read
    as RIS names are (:func:`~spinelib.formats.bylines.author_in`) without BIOSIS's roles."""
    found = (author_in(re.sub(r"\s*\[[^\]]*\]\s*$", "", v)) for v in values)
    return [a for a in found if a is not None]


def _authors(raw: TaggedRecord) -> list[Author]:
    """FA's full names with AU's initials (the same authors, in order), else AU alone."""
    short = _people(raw.all("AU"))
    full = _people(raw.all("FA"))
    if not full:
        return short
    if len(short) == len(full):
        for person, initialled in zip(full, short, strict=True):
            if person.family and not person.initials:
                person.initials = initialled.initials
    return full


def _mesh(value: str) -> MeshHeading:
    """MeSH as Ovid writes it: "*Spinal Neoplasms/sc [Secondary]" (the qualifier's code and
    name; its name is kept, in lower case as PubMed writes it)."""
    head, *qualifiers = value.split("/")
    names = []
    for q in qualifiers:
        m = re.search(r"\[([^\]]+)\]", q)
        names.append((m.group(1) if m else q).strip(" *").lower())
    return MeshHeading(ui="", name=head.strip(" *"), major="*" in value,
                       qualifiers=[n for n in names if n])


def _date(raw: TaggedRecord, source: str) -> tuple[int | None, int | None, int | None]:
    """YR, else the year in DP or SO; the month and day from DP ("2005 Aug 20-26") or
    Embase's "Date of Publication: 01 Feb 2020"."""
    stated = _DATE_OF_PUBLICATION_RE.search(source)
    words = (raw.first("DP") or (stated.group(1) if stated else "")).replace(",", " ").split()
    year_text = raw.first("YR") or next((w for w in words if _YEAR_RE.fullmatch(w)), "")
    found = _YEAR_RE.search(year_text or source)
    year = int(found.group(1)) if found else None
    month = next((m for w in words if w[:1].isalpha()
                  and (m := parse_month(re.split(r"[-/]", w)[0]))), None)
    day_word = next((w for w in words if re.fullmatch(r"\d{1,2}(?:-\d{1,2})?", w)), "")
    day = int(day_word.split("-")[0]) if month and day_word else None
    return year, month, valid_day(year, month, day)


def _journal_in(source: str) -> str:
    """The journal a source line ("Spine. 45(3):123-30, 2020.") names; '' for none."""
    m = _SO_JOURNAL_RE.match(source)
    return next((g for g in m.groups() if g), "").strip() if m else ""


def _source_parts(source: str) -> tuple[str, str, str]:
    """(volume, issue, pages) in SO, in Embase's or Ovid MEDLINE's layout."""
    embase = _EMBASE_PARTS_RE.search(source)
    if embase:
        return embase.group(1), embase.group(2) or "", (embase.group(3) or
                                                          embase.group(4) or "").strip()
    medline = _MEDLINE_PARTS_RE.search(source)
    if medline:
        return medline.group(1), medline.group(2) or "", medline.group(3)
    return "", "", ""


class _RecordReader(RecordReading[TaggedRecord]):
    def record(self) -> ArticleRecord | None:
        raw = self.raw
        medline = _is_medline(raw)
        rec = ArticleRecord(source="ovid")
        rec.title = strip_title_period(raw.first("TI"))
        rec.authors = _authors(raw)
        source = one_line(raw.first("SO"))
        so_journal = _journal_in(source)
        rec.journal = raw.first("JN") or so_journal
        # AS, the "abbreviated source", is a whole citation ("Lancet. 366(9486):643-8,
        # 2005"): its journal part; MEDLINE's SO names the journal by NLM's abbreviation.
        rec.journal_abbrev = _journal_in(one_line(raw.first("AS"))) or (
            so_journal if medline else "")
        volume, issue, pages = _source_parts(source)
        rec.volume = raw.first("VO", "VI") or volume
        # Embase spells a supplement out; PubMed's "Suppl 2" is what the styles cite.
        rec.issue = _SUPPLEMENT_RE.sub("Suppl", raw.first("IP") or issue)
        rec.pages = expand_page_range(raw.first("PG") or pages)
        rec.year, rec.month, rec.day = _date(raw, source)
        rec.abstract = raw.first("AB")
        doi = _DOI_LINK_RE.sub("", raw.first("DO", "DI"))
        rec.doi = self.ident("doi", doi) if doi else ""
        pmid = raw.first("PM") or (raw.first("UI", "AN") if medline else "")
        rec.pmid = self.ident("pmid", pmid) if pmid else ""
        rec.issn = pick_issn(raw.all("IS") + raw.all("ES"))
        rec.language = raw.first("LG", "LA")
        rec.publication_types = raw.all("PT")
        rec.publisher = raw.first("PB")
        keywords = [k.strip() for v in raw.all("KW") for k in v.split(";") if k.strip()]
        if medline:
            rec.mesh = [_mesh(v) for v in raw.all("MH")]
        else:
            keywords += [v.strip(" *") for v in raw.all("MH")]
        rec.keywords = list(dict.fromkeys(keywords))
        kinds = {p.casefold() for p in rec.publication_types}
        if kinds & REVIEW_TYPES:
            rec.type = "review"
        elif "erratum" in kinds or "published erratum" in kinds:
            rec.type = "erratum"
        rec.retracted = "retracted publication" in kinds
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: neither a title nor a DOI or PMID (skipped)")
            return None
        return rec


def read_ovid(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse Ovid's tagged export into records; unusable records are reported by number."""
    return ReadResult.of_records(
        (_RecordReader(raw, record_place(source_name, number, raw.line)).read()
         for number, raw in enumerate(_split(text), 1)),
        f"{source_name} has no Ovid records")
