"""Writing RIS as EndNote, Zotero and Mendeley read it.

One ``TAG  - value`` line per field (two spaces, hyphen, space), LF line ends, a blank line
between records, each record closed by ``ER  -``. Tags used:

=====  ===============================================================================
TY     JOUR (articles, reviews, errata, preprints), BOOK, CHAP, CPAPER (a conference
       paper: T2 is the proceedings), CONF (proceedings), RPRT (SN the report number, PB
       the institution), THES (PB the institution, M3 the degree), ELEC (a web page),
       GEN (anything else)
ID     the citekey (JabRef and Zotero keep it)
AU     one per author, ``Family, Given``; a group author as ``Name,`` (EndNote's mark for
       a corporate name, which Zotero also reads as a single-field name)
TI     title; T2 the journal (the book for a chapter); J2 the journal abbreviation
PY/DA  ``2005`` and ``2005/03/19/`` (DA only when the month is known)
VL IS  volume, issue; SP/EP first and last page (an article number goes in SP alone)
SN DO  ISSN, DOI; UR the record's URL when it has one
AN DB  the PMID as accession number with ``DB  - PubMed`` (EndNote's PubMed filters do
       this; Zotero keeps it as the archive location), so it survives a round trip
C2     the PMCID (EndNote's "PMCID" custom field for journal articles)
PB LA  publisher, language; CY the place
       (``&`` of text that reads as an HTML character reference is written ``&amp;``, as
       every SpineLib reader decodes references)
AB     abstract; each further paragraph on its own continuation line
KW     one line per tag, then per keyword
N1     the user's notes (a note that would read as HTML has its first ``<`` escaped)
=====  ===============================================================================
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spinelib.formats.common import export_keys, merged_keywords, missing_basics
from spinelib.formats.entities import protect_entities
from spinelib.formats.richtext import escape_markup
from spinelib.pubstate import status_text
from spinelib.records import ArticleRecord, Author
from spinelib.text import one_line, paragraphs, split_page_range, valid_day

#: An N1 note that starts like this is HTML (Zotero writes its notes so): readers take the
#: tags out. A user's note that starts so ("<pre-op MRI> showed…") is written "&lt;pre-op".
HTML_NOTE_RE = re.compile(r"\s*<(?:p|div|h[1-6]|ul|ol|blockquote|pre)\b", re.I)
#: Tags whose text may hold Zotero's and Crossref's inline markup (``<i>``, ``<sup>``...),
#: which the reader takes out (:mod:`spinelib.formats.richtext`); text that would read as
#: such a tag is written with its ``<`` escaped.
RICH_TEXT_TAGS = frozenset("TI T1 CT BT ST T2 T3 JF JO AB N2".split())
#: Lines that would read as a tag; a paragraph starting like this is written indented.
_LOOKS_LIKE_TAG_RE = re.compile(r"^[ \t]*[A-Z][A-Z0-9] {1,2}-(?: |$)")


#: Record types with an RIS type of their own.
_OWN_TYPES = {"book": "BOOK", "chapter": "CHAP", "conference": "CPAPER", "proceedings": "CONF",
              "report": "RPRT", "thesis": "THES", "webpage": "ELEC"}


def _type_out(record: ArticleRecord) -> str:
    if record.type in _OWN_TYPES:
        return _OWN_TYPES[record.type]
    if record.journal.strip() or record.type in ("article", "review", "erratum", "preprint"):
        return "JOUR"
    return "GEN"


def _author_out(a: Author) -> str:
    if a.is_collective:
        return one_line(a.collective) + ","
    family, given, suffix = one_line(a.family), one_line(a.given), one_line(a.suffix)
    if suffix:
        return f"{family}, {given}, {suffix}"  # the RIS specification's "Last, First, Suffix"
    return f"{family}, {given}" if given else family


def _long_lines(tag: str, text: str) -> list[str]:
    """A long text as a tag line plus one continuation line per further paragraph."""
    paras = paragraphs(text)
    if not paras:
        return []
    paras = [_protected(tag, p) for p in paras]
    lines = [f"{tag}  - {paras[0]}"]
    for p in paras[1:]:
        lines.append(" " + p if _LOOKS_LIKE_TAG_RE.match(p) else p)
    return lines


def as_written(tag: str, value: str) -> str:
    """A value as this writer puts it in a file, so a reader gives ``value`` back: what
    reads as a character reference escaped, and the first ``<`` of a note that would read
    as HTML."""
    value = _protected(tag, value)
    return _not_html(value) if tag == "N1" else value


def _protected(tag: str, value: str) -> str:
    """``value`` with what the reader would decode or take out escaped: character
    references, and in a :data:`RICH_TEXT_TAGS` field, text that reads as markup."""
    value = protect_entities(value)
    return escape_markup(value) if tag in RICH_TEXT_TAGS else value


def _not_html(note: str) -> str:
    """A note with its first ``<`` escaped when it would read as HTML (:data:`HTML_NOTE_RE`)."""
    return note.replace("<", "&lt;", 1) if HTML_NOTE_RE.match(note) else note


def _note_lines(notes: str) -> list[str]:
    """N1: the notes as :func:`_long_lines` writes them, their first ``<`` escaped when the
    note would otherwise read as HTML (:data:`HTML_NOTE_RE`)."""
    lines = _long_lines("N1", notes)
    if lines:
        head = "N1  - "
        lines[0] = head + _not_html(lines[0][len(head):])
    return lines


def _named_authors(record: ArticleRecord, editors: bool = False) -> list[str]:
    """The AU values, in byline order, of the authors that have a name (``editors``: the
    editors' values, as A2 or ED write them)."""
    return [_author_out(a) for a in (record.editors if editors else record.authors)
            if one_line(a.family) or one_line(a.collective)]


def _people(record: ArticleRecord, ty: str) -> list[tuple[str, str]]:
    """AU for each author, then the book's editors: a chapter's are its A2 (the RIS
    specification's "Editor" of CHAP, as Zotero and EndNote write and read them), anything
    else's ED (every reader's editor)."""
    editor = "A2" if ty in ("CHAP", "CPAPER") else "ED"
    return ([("AU", name) for name in _named_authors(record)]
            + [(editor, name) for name in _named_authors(record, editors=True)])


def _date_values(record: ArticleRecord) -> tuple[str, str]:
    """PY and DA: the year, and ``YYYY/MM/DD/`` when the month is known ('' when absent).
    Without a year, PY says the state where EndNote keeps it ("In press")."""
    if not record.year:
        return status_text(record.pubstate, capital=True), ""
    if not (record.month and 1 <= record.month <= 12):
        return str(record.year), ""
    day = valid_day(record.year, record.month, record.day)
    return (str(record.year),
            f"{record.year:04d}/{record.month:02d}/{f'{day:02d}' if day else ''}/")


def _serial_number(record: ArticleRecord, ty: str) -> str:
    """SN (RIS: "ISBN/ISSN/report number"): a report's number, a book's (or a chapter's or a
    proceedings') ISBN, else the ISSN."""
    if ty == "RPRT":
        return record.report_number
    return (record.isbn if ty in ("BOOK", "CHAP", "CONF", "CPAPER") else "") or record.issn


def _publisher_out(record: ArticleRecord, ty: str) -> str:
    """PB: the institution of a report or thesis (else its publisher), else the publisher."""
    if ty in ("RPRT", "THES"):
        return record.institution or record.publisher
    return record.publisher


def _record_lines(record: ArticleRecord, key: str, abstracts: bool) -> list[str]:
    lines: list[str] = []

    def add(tag: str, value: str) -> None:
        value = _protected(tag, one_line(value))
        if value:
            lines.append(f"{tag}  - {value}")

    ty = _type_out(record)
    add("TY", ty)
    add("ID", key)
    for tag, name in _people(record, ty):
        add(tag, name)
    add("TI", record.title)
    add("T2", record.book_title if ty in ("CHAP", "CPAPER") else record.journal)
    add("J2", record.journal_abbrev)
    year, date = _date_values(record)
    add("PY", year)
    add("DA", date)
    add("VL", record.volume)
    add("IS", record.issue)
    start, end = split_page_range(record.pages)
    add("SP", start)
    add("EP", end)
    add("SN", _serial_number(record, ty))
    add("PB", _publisher_out(record, ty))
    add("CY", record.place)
    add("ET", record.edition)
    if ty == "THES":
        add("M3", next(iter(record.publication_types), ""))
    add("DO", record.doi)
    if record.pmid:
        add("AN", record.pmid)
        add("DB", "PubMed")
    add("C2", record.pmcid)
    add("UR", record.url)
    add("Y2", record.accessed)  # the access date, as Zotero writes it (ISO)
    for path in record.files:  # attached files, when the export filled them
        # As it is (add() collapses runs of spaces, which would lose "My  Papers"); a path
        # with a line break cannot be one RIS line and is left out.
        if path.strip() and "\n" not in path and "\r" not in path:
            lines.append(f"L1  - {protect_entities(path)}")
    add("LA", record.language)
    if abstracts:
        lines.extend(_long_lines("AB", record.abstract))
    for word in merged_keywords(record):
        add("KW", word)
    lines.extend(_note_lines(record.notes))
    lines.append("ER  - ")
    return lines


def write_ris(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """RIS text for the records (see the module docstring); '' for no records."""
    blocks = []
    for record, (key, _note) in zip(records, export_keys(records)):
        blocks.append("\n".join(_record_lines(record, key, abstracts)) + "\n")
    return "\n".join(blocks)


def export_problems(records: Sequence[ArticleRecord]) -> list[str]:
    """Records an RIS consumer would import badly: no title, no author, no year."""
    return missing_basics(records)
