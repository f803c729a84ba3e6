"""CSL-JSON, both ways: the format citeproc-js, citeproc-py and pandoc consume.

Writing gives a JSON array, one object per record::

    {"id": "patchell2005direct", "type": "article-journal", "title": "...",
     "author": [{"family": "Patchell", "given": "Roy A"}, {"literal": "Some Group"}],
     "container-title": "Lancet", "container-title-short": "Lancet",
     "issued": {"date-parts": [[2005, 8, 20]]}, "volume": "366", "issue": "9486",
     "page": "643-648", "DOI": "...", "PMID": "...", "PMCID": "PMC...", "ISSN": "...",
     "keyword": "tag one, tag two", "abstract": "..." (only when asked), "note": "..."}

Types: article-journal (articles, reviews, errata), article (preprints, as CSL 1.0.2
defines it), book, chapter (``container-title`` is then the book), document (anything
else). ``keyword`` holds the tags then the keywords, joined with ", " (or "; " when a
keyword itself holds a comma, with a trailing ";" if it is the only one); reading splits on
";" when present, else on ",". A keyword holding both cannot survive the trip.

Readers decode character references and take inline markup (``<i>``, ``<b>``, JATS in an
abstract) out of the text, so a file escapes the ``&`` of text that reads as a reference and
the ``<`` of text that reads as markup: a title "The <b> element" comes back as written,
while "x < y" and "p<0.05" are left as they are.

Reading accepts a list of items or a single item, and also Crossref's flavour: the
``{"status": "ok", "message": {...}}`` envelope, list-valued ``title``/``container-title``/
``ISSN``, ``short-container-title``, ``article-number``, types like ``journal-article``,
``ORCID`` on authors and JATS markup in ``abstract``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from spinelib.accessed import accessed_parts
from spinelib.edition import edition_of
from spinelib.formats.common import export_keys, merged_keywords, missing_basics
from spinelib.formats.entities import protect_entities
from spinelib.formats.richtext import INLINE_MARKUP_RE, escape_markup
from spinelib.journalnames import title_case
from spinelib.pubstate import status_text
from spinelib.records import ArticleRecord, Author
from spinelib.text import expand_page_range, one_line, tidy_long_text, valid_day

TYPE_IN = {
    "article-journal": "article", "journal-article": "article", "article-magazine": "article",
    "article-newspaper": "article", "review": "review", "review-book": "review",
    "article": "preprint", "posted-content": "preprint", "preprint": "preprint",
    "book": "book", "edited-book": "book", "monograph": "book", "reference-book": "book",
    "chapter": "chapter", "book-chapter": "chapter", "book-section": "chapter",
    "book-part": "chapter", "reference-entry": "chapter",
    "paper-conference": "conference", "proceedings-article": "conference",
    "proceedings": "proceedings", "report": "report", "thesis": "thesis",
    "dissertation": "thesis", "webpage": "webpage", "post-weblog": "webpage",
}
#: Record type -> CSL type, for the types that have their own (proceedings: a book whose
#: genre says so, CSL having no proceedings type).
_OWN_TYPES = {"book": "book", "chapter": "chapter", "preprint": "article",
              "conference": "paper-conference", "proceedings": "book", "report": "report",
              "thesis": "thesis", "webpage": "webpage"}
_PROCEEDINGS_GENRE = "Conference proceedings"
_IN_BOOK = ("chapter", "conference")

#: Markup that makes an abstract JATS/HTML rather than text.
ABSTRACT_MARKUP_RE = re.compile(r"</?(?:jats:|mml:)?(?:p|sec|title|italic|bold|sub|sup|i|b"
                                r"|br|list|list-item|math)\b[^<>]*>")


# ======================================================================================
# Writing

def _type_out(record: ArticleRecord) -> str:
    if record.type in _OWN_TYPES:
        return _OWN_TYPES[record.type]
    if record.journal.strip() or record.type in ("article", "review", "erratum"):
        return "article-journal"
    return "document"


def _author_out(a: Author) -> dict[str, str] | None:
    if a.is_collective:
        name = one_line(a.collective)
        return {"literal": name} if name else None
    family, given = one_line(a.family), one_line(a.given)
    if not family:
        return None
    if not given and one_line(a.initials):
        # PubMed gives some authors initials only ("Kim JH"): CSL-JSON has no initials field,
        # so they travel as an initialized given name, which every style re-initializes.
        given = " ".join(f"{c}." for c in one_line(a.initials) if c.isalpha())
    out = {"family": family, "given": given} if given else {"family": family}
    if one_line(a.suffix):
        out["suffix"] = one_line(a.suffix)
    return out


def _issued_out(record: ArticleRecord) -> dict[str, Any] | None:
    """The CSL ``issued`` value: the date text as EDTF, else the date parts; None if undated."""
    if record.date_text.strip():
        return {"raw": record.date_text.strip()}  # EDTF, as citeproc-js reads it
    if not record.year:
        return None
    parts = [record.year]
    if record.month and 1 <= record.month <= 12:
        parts.append(record.month)
        day = valid_day(record.year, record.month, record.day)
        if day:
            parts.append(day)
    return {"date-parts": [parts]}


def _publisher_out(record: ArticleRecord) -> str:
    """The CSL ``publisher``: the institution of a report or thesis, else the publisher."""
    if record.type in ("report", "thesis"):
        return record.institution or record.publisher  # CSL: the institution
    return record.publisher


def _genre_out(record: ArticleRecord) -> str:
    """The CSL ``genre``: proceedings' mark, a thesis' degree, '' for other types."""
    if record.type == "proceedings":
        return _PROCEEDINGS_GENRE
    if record.type == "thesis":
        return next(iter(record.publication_types), "")
    return ""


def _keyword_out(words: Sequence[str]) -> str:
    """The CSL ``keyword`` string for a non-empty list of words (see the module docstring)."""
    if any("," in w for w in words):
        # "; " separates; a lone keyword gets a trailing ";" so readers see which.
        return "; ".join(words) + (";" if len(words) == 1 else "")
    return ", ".join(words)


def _text_for_file(value: str) -> str:
    """A field's text as a CSL-JSON file holds it: what reads as a character reference or
    as inline markup escaped, so :mod:`~spinelib.formats.csljson_read` reads ``value``."""
    return escape_markup(protect_entities(value), INLINE_MARKUP_RE)


def _author_for_file(name: dict[str, str]) -> dict[str, str]:
    return {part: _text_for_file(text) for part, text in name.items()}


def _put_dates(out: dict[str, Any], record: ArticleRecord, for_file: bool) -> None:
    """``issued`` (the date as published) and ``accessed`` (when a web page was read)."""
    issued = _issued_out(record)
    if issued is not None:
        if for_file and "raw" in issued:
            issued["raw"] = _text_for_file(issued["raw"])
        out["issued"] = issued
    if parts := accessed_parts(record.accessed):
        out["accessed"] = {"date-parts": [parts]}


def item(record: ArticleRecord, key: str, abstracts: bool = False, *,
         keywords: bool = True, notes: bool = True, for_file: bool = False) -> dict[str, Any]:
    """One CSL-JSON object for a record, under the given id (``keywords``, ``notes``:
    False leaves them out, as a reference list does, without working them out first).

    ``for_file``: the object goes into a file that readers (SpineLib's, Zotero's) read
    back, so names, dates and the abstract are escaped like the other fields, and text
    that looks like markup too. citeproc-py, which gets the object as it is
    (:mod:`spinelib.cite.engine`), prints text as given and would print an escape.
    """
    out: dict[str, Any] = {"id": key, "type": _type_out(record)}
    text_out = _text_for_file if for_file else protect_entities

    def put(name: str, value: str) -> None:
        value = text_out(one_line(value))
        if value:
            out[name] = value

    put("title", record.title)
    for variable, names in (("author", record.authors), ("editor", record.editors)):
        named = [a for a in map(_author_out, names) if a is not None]
        if named:
            out[variable] = [_author_for_file(a) for a in named] if for_file else named
    # Cited, PubMed's sentence-case journal names are given in title case ("Journal of
    # Neurosurgery. Spine"): styles printing the full name leave its case alone
    # (spinelib/journalnames.py). A file keeps the name as stored, to be read back as it is.
    put("container-title", record.book_title if record.type in _IN_BOOK
        else record.journal if for_file else title_case(record.journal))
    put("container-title-short", record.journal_abbrev)
    _put_dates(out, record, for_file)
    put("edition", edition_of(record.edition))  # a team document may hold any text
    put("volume", record.volume)
    put("issue", record.issue)
    put("page", expand_page_range(record.pages))
    put("publisher", _publisher_out(record))
    put("publisher-place", record.place)
    put("number", record.report_number)
    put("genre", _genre_out(record))
    put("status", status_text(record.pubstate))
    put("DOI", record.doi)
    put("PMID", record.pmid)
    put("PMCID", record.pmcid)
    put("ISSN", record.issn)
    put("ISBN", record.isbn)
    put("URL", record.url)
    put("language", record.language)
    words = merged_keywords(record) if keywords else []
    if words:
        out["keyword"] = _keyword_out(words)
    if abstracts and record.abstract.strip():
        abstract = protect_entities(tidy_long_text(record.abstract))
        if for_file:  # a reader takes JATS/HTML tags for an abstract in markup
            abstract = escape_markup(abstract, ABSTRACT_MARKUP_RE, INLINE_MARKUP_RE)
        out["abstract"] = abstract
    if notes and record.notes.strip():
        # CSL's `annote` (for annotated bibliographies): many styles print `note`.
        out["annote"] = protect_entities(tidy_long_text(record.notes))
    return out


def write_csljson(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """A CSL-JSON array (UTF-8 text, two-space indent, trailing newline)."""
    items = [item(r, key, abstracts, for_file=True)
             for r, (key, _note) in zip(records, export_keys(records))]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def export_problems(records: Sequence[ArticleRecord]) -> list[str]:
    """Items citeproc would render badly: no title, no author, no date."""
    return missing_basics(records)


# ======================================================================================
# Reading
