"""What Scopus's exports share, whichever format they are in (RIS, CSV, BibTeX): its
document types, its cited works, and the bookkeeping it writes among a record's notes.

The readers of each format (:mod:`spinelib.formats.ris.scopus`,
:mod:`spinelib.formats.scopus_csv`, :mod:`spinelib.formats.bibtex.scopus`) take them from
here, so the same search exported in any of them gives the same records; its CSV and its
BibTeX name the same fields two ways, read by one function (:func:`read_scopus_fields`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spinelib.formats.entities import decode_entities
from spinelib.identifiers import DOI_IN_TEXT_RE, identifier_or_empty
from spinelib.issn import checked_issn
from spinelib.records import ArticleRecord, ReferenceEntry
from spinelib.text import one_line, parse_month, unique_texts

#: Scopus's "Document Type" values that are SpineLib types of their own (the rest, such as
#: "Article", "Letter", "Note", "Editorial", are articles), and whether the work's "source
#: title" is then the book or proceedings it appears in.
DOCUMENT_TYPES: dict[str, tuple[str, bool]] = {
    "review": ("review", False), "erratum": ("erratum", False),
    "book chapter": ("chapter", True), "book": ("book", False),
    "conference paper": ("conference", True), "conference review": ("other", False),
}
#: Scopus's document type for a retracted paper (flagged, and an article).
RETRACTED = "retracted"
#: A note that is Scopus's bookkeeping, not the surgeon's: "Export Date: …", "Cited By :12"
#: (RIS), "Cited by: 3; All Open Access, Gold Open Access" (BibTeX).
BOOKKEEPING_RE = re.compile(r"^\s*(?:Export Date\s*:|Cited By\s*:?\s*\d)", re.I)


def document_type(value: str, default: str = "article") -> tuple[str, bool]:
    """(SpineLib's type, whether the source title is a book or proceedings) of Scopus's
    document type ``value`` (any letter case); ``default`` for an article or an unknown one."""
    return DOCUMENT_TYPES.get(value.strip().casefold(), (default, False))


def in_its_journal(rec: ArticleRecord) -> None:
    """A conference paper with an issue number was published in a journal's issue (a
    meeting's papers in IEEE Transactions on Magnetics, a supplement of a spine journal):
    it is cited as an article of that journal, so it becomes one. Scopus types it a
    conference paper and gives the journal as its source, where a proceedings volume
    (Proceedings of SPIE, AIP Conference Proceedings) has a volume and no issue, or one that
    is no journal's: a part ("PART 1") or a month ("June", beside a volume "2015-June")."""
    if rec.type == "conference" and _journal_issue(rec.issue):
        rec.type = "article"
        if rec.book_title:  # the journal's full name (an RIS may give its abbreviation too)
            rec.journal, rec.book_title = rec.book_title, ""


def _journal_issue(issue: str) -> bool:
    issue = issue.strip()
    if not issue or _PART_RE.fullmatch(issue):
        return False
    return issue.isdigit() or parse_month(issue) is None


_PART_RE = re.compile(r"part\s*\w+", re.I)


def is_retracted(value: str) -> bool:
    """Whether Scopus's document type ``value`` marks a retracted paper."""
    return value.strip().casefold() == RETRACTED


def pubstate_of(stage: str) -> str:
    """SpineLib's publication state of Scopus's "Publication Stage" ("Article in press" is
    "inpress"; "Final" is none)."""
    return "inpress" if stage.strip().casefold() == "article in press" else ""


def reference_entries(citations: Iterable[str], before: int = 0) -> list[ReferenceEntry]:
    """Scopus's cited works as reference entries numbered after ``before``: each citation
    as Scopus writes it ("A, (1986) J, 56, p. 1;", "B, … , https://doi.org/10.…"), with the
    DOI it links; blank ones left out. Its RIS gives them one a line, its CSV and BibTeX
    joined by "; "."""
    out: list[ReferenceEntry] = []
    for line in citations:
        citation = one_line(decode_entities(line)).rstrip(";").strip()
        if not citation:
            continue
        m = DOI_IN_TEXT_RE.search(citation)
        doi = identifier_or_empty("doi", m.group(0).rstrip(".,;")) if m else ""
        out.append(ReferenceEntry(before + len(out) + 1, citation, doi))
    return out


def scopus_issn(value: str) -> str:
    """The first ISSN of a Scopus ISSN value ("14639076", "1463-9076"; several joined by
    "; ") whose check digit holds, hyphenated; '' when none does."""
    return next((issn for candidate in re.split(r"[;,\s]+", value)
                 if (issn := checked_issn(candidate))), "")


def joined_values(text: str) -> list[str]:
    """A field's values as Scopus joins them, with "; " (keywords, cited works)."""
    return [value.strip() for value in text.split("; ") if value.strip()]


@dataclass(frozen=True)
class ScopusFields:
    """The names an export gives Scopus's own fields (its CSV's columns, its BibTeX's
    fields)."""

    document_type: str
    abbreviation: str
    article_number: str
    stage: str
    author_keywords: str
    index_keywords: str
    references: str


def read_scopus_fields(rec: ArticleRecord, value: Callable[[str], str],
                       names: ScopusFields) -> None:
    """Put what Scopus's own fields say into ``rec``, whose common fields are read already
    (the source title as its journal); ``value(name)`` is a field's text on one line, ''
    when the export lacks it. The type comes from Scopus's document type (the entry's own,
    ``rec.type``, when Scopus's is an article's or none), the source title becomes the book
    of a chapter or conference paper, and a conference paper in a journal issue an article
    (:func:`in_its_journal`)."""
    kind = value(names.document_type)
    rec.type, in_book = document_type(kind, rec.type)
    rec.retracted = rec.retracted or is_retracted(kind)
    if in_book and not rec.book_title and rec.journal:
        rec.book_title, rec.journal = rec.journal, ""
    rec.journal_abbrev = rec.journal_abbrev or value(names.abbreviation)
    rec.pages = rec.pages or value(names.article_number)
    rec.pubstate = rec.pubstate or pubstate_of(value(names.stage))
    rec.keywords = unique_texts([*joined_values(value(names.author_keywords)),
                                 *joined_values(value(names.index_keywords))])
    rec.references = reference_entries(joined_values(value(names.references)))
    if BOOKKEEPING_RE.match(rec.notes):
        rec.notes = ""
    in_its_journal(rec)
