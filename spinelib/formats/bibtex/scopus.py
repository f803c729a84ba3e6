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
from spinelib.formats.scopus import ScopusFields, read_scopus_fields, scopus_issn
from spinelib.records import ArticleRecord

#: How an entry reader gives a field's value as written (the first of several names).
Getter = Callable[..., str]
#: Scopus's own fields as its BibTeX names them.
FIELDS = ScopusFields(document_type="type", abbreviation="abbrev_source_title",
                      article_number="art_number", stage="publication_stage",
                      author_keywords="author_keywords", index_keywords="keywords",
                      references="references")


def is_scopus(get: Getter) -> bool:
    """Whether the entry is from Scopus's export."""
    return decode_line(get("source")).casefold() == "scopus"


def scopus_entry_fields(rec: ArticleRecord, get: Getter) -> None:
    """Put what Scopus's own fields say into ``rec``, read as any BibTeX entry first."""
    rec.issn = scopus_issn(rec.issn) or rec.issn
    read_scopus_fields(rec, lambda name: decode_line(get(name)), FIELDS)
