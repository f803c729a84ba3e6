"""Scopus's BibTeX export (its entries end ``source = {Scopus}``) read as its RIS and CSV
exports are (:mod:`spinelib.formats.scopus`), not as a hand-kept ``.bib``.

Scopus writes fields of its own: ``type`` (its document type: "Review", "Conference
paper", "Retracted"…), ``author_keywords`` beside ``keywords`` (its index terms), both
joined by "; " (a term may hold a comma), ``references`` (the cited works, joined by "; "),
``abbrev_source_title``, ``art_number``, ``publication_stage``, ``issn`` without its
hyphen, a conference paper's proceedings in ``journal``, and ``note = {Cited by: 3; All
Open Access, Gold Open Access}``, which is bookkeeping, not the surgeon's note.
"""

from __future__ import annotations

from collections.abc import Callable

from spinelib.formats.bibtex.decode import decode_line
from spinelib.formats.scopus import (
    BOOKKEEPING_RE,
    document_type,
    in_its_journal,
    is_retracted,
    merged_keywords,
    pubstate_of,
    reference_entries,
    scopus_issn,
)
from spinelib.records import ArticleRecord

#: How an entry reader gives a field's value as written (the first of several names).
Getter = Callable[..., str]


def is_scopus(get: Getter) -> bool:
    """Whether the entry is from Scopus's export."""
    return decode_line(get("source")).casefold() == "scopus"


def read_scopus_fields(rec: ArticleRecord, get: Getter) -> None:
    """Put what Scopus's own fields say into ``rec``, read as any BibTeX entry first."""
    kind = decode_line(get("type"))
    rec.type, in_book = document_type(kind, rec.type)
    rec.retracted = rec.retracted or is_retracted(kind)
    if in_book and not rec.book_title and rec.journal:
        rec.book_title, rec.journal = rec.journal, ""
    rec.journal_abbrev = rec.journal_abbrev or decode_line(get("abbrev_source_title"))
    rec.pages = rec.pages or decode_line(get("art_number"))
    rec.issn = scopus_issn(rec.issn) or rec.issn
    rec.pubstate = rec.pubstate or pubstate_of(decode_line(get("publication_stage")))
    rec.keywords = merged_keywords(_items(get("author_keywords")), _items(get("keywords")))
    rec.references = reference_entries(_items(get("references")))
    if BOOKKEEPING_RE.match(rec.notes):
        rec.notes = ""
    in_its_journal(rec)


def _items(value: str) -> list[str]:
    """A field's "; "-joined values, decoded."""
    return [item for item in decode_line(value).split("; ") if item.strip()]
