"""The fields of a .bib entry: which ones each entry type has, in order, and their encoded values.

:func:`fields` is the specification of an entry's content for both writers (see
:mod:`spinelib.formats.bibtex.write` for the two dialects' rules): (name, encoded value)
pairs in the order they are written, blank ones left out except the date and type fields.
:mod:`spinelib.formats.bibtex.article` writes ``@article`` entries faster from the same
helpers; it must write exactly what these pairs lay out as.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, partial

from spinelib.accessed import valid_accessed
from spinelib.edition import edition_words
from spinelib.formats.bibtex.decode import decode_latex
from spinelib.formats.bibtex.emit import Memo
from spinelib.formats.bibtex.encode import (
    MONTH_MACROS,
    encode_file_field,
    encode_long_text,
    encode_text,
    encode_title,
    encode_verbatim,
    escape_latex,
)
from spinelib.journalnames import title_case
from spinelib.pubstate import in_place_of_year, stored_state
from spinelib.records import ArticleRecord, any_named
from spinelib.text import expand_page_range, one_line, valid_day

#: Record types with an entry type of their own: (BibTeX, BibLaTeX).
_OWN_TYPES = {"conference": ("inproceedings", "inproceedings"),
              "proceedings": ("proceedings", "proceedings"),
              "report": ("techreport", "report"), "webpage": ("misc", "online")}


def entry_type(record: ArticleRecord, biblatex: bool) -> str:
    """The entry type a record is written as (see the module docstring)."""
    if record.type == "book":
        # An edited book: biblatex's @collection (its @book requires an author); classic
        # BibTeX's @book takes an author or an editor.
        edited = biblatex and record.editors and not any_named(record.authors)
        return "collection" if edited else "book"
    if record.type == "chapter":
        # biblatex's @incollection requires the book's editor; without one, @inbook.
        return "inbook" if biblatex and not record.editors else "incollection"
    if record.type in _OWN_TYPES:
        return _OWN_TYPES[record.type][biblatex]
    if record.type == "thesis":
        if biblatex:
            return "thesis"
        return "mastersthesis" if _is_masters(record) else "phdthesis"
    if record.journal.strip() or record.type in ("article", "review", "erratum"):
        return "article"
    return "misc"


def _is_masters(record: ArticleRecord) -> bool:
    return any("master" in p.casefold() for p in record.publication_types)


def fields(record: ArticleRecord, biblatex: bool, abstracts: bool,
            memo: Memo | None = None) -> list[tuple[str, str]]:
    """(name, encoded value) pairs for one entry, in the order they are written (``memo``:
    the export's cache of encoded strings)."""
    ascii_only = not biblatex
    memo = memo or new_memo(biblatex)
    kind = entry_type(record, biblatex)
    text = memo.text
    # Blank fields are left out, except the date and type fields, always written as made
    # (two filters per entry, not one per group: issue 19).
    head = author_fields(record, biblatex, memo)
    head.append(("title", encode_title(record.title, ascii_only=ascii_only)))
    head += _container_fields(record, kind, biblatex, memo)
    tail = _locator_fields(record, kind, biblatex, text)
    tail += _publisher_fields(record, kind, biblatex, text)
    tail += _identifier_fields(record, kind, biblatex, text)
    tail += _text_fields(record, memo, abstracts)
    return [*_nonblank(head), *date_fields(record.year, record.month, record.day,
                                             date_text_of(record, biblatex), biblatex),
            *_other_type_fields(record, kind, biblatex, text), *_nonblank(tail)]


def new_memo(biblatex: bool) -> Memo:
    """A fresh cache of encoded strings for one export."""
    return Memo(partial(encode_text, ascii_only=not biblatex), not biblatex)


def _nonblank(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs whose value is not blank: an empty field is not written."""
    return [(name, value) for name, value in pairs if value.strip()]


def _misc_extras(kind: str, biblatex: bool) -> bool:
    """True for a BibTeX @misc, which keeps booktitle, volume, number and pages.

    Classic BibTeX ignores fields a style does not use; biblatex's data model forbids them
    in @misc (biber rejects them).
    """
    return kind == "misc" and not biblatex


def author_fields(record: ArticleRecord, biblatex: bool, memo: Memo) -> list[tuple[str, str]]:
    """The author list, the editors (a chapter's book's) and, for BibTeX, a ``key`` when no
    author has a name."""
    text = memo.text
    names = memo.authors(record.authors)
    out = [("author", names)]
    if record.editors:
        out.append(("editor", memo.authors(record.editors)))
    # (A written name means some author has one: the check runs only for an empty field.)
    if not biblatex and not names and not any_named(record.authors):
        # BibTeX's documented field for sorting and labelling an entry without an author
        # (plain.bst otherwise stops at "to sort, need author or key").
        out.append(("key", text(sort_key(record))))
    return out


def _container_fields(record: ArticleRecord, kind: str, biblatex: bool,
                      memo: Memo) -> list[tuple[str, str]]:
    """Where the work appears: booktitle, journal (howpublished, organization), shortjournal."""
    text = memo.text
    out: list[tuple[str, str]] = []
    if kind in ("incollection", "inbook", "inproceedings") or _misc_extras(kind, biblatex):
        out.append(("booktitle", encode_title(record.book_title, ascii_only=not biblatex)))
    if kind == "article":
        out.append(("journaltitle" if biblatex else "journal",
                    memo.journal(record.journal, journal_title_case)))
    elif kind == "misc":
        out.append(("howpublished", memo.journal(record.journal, journal_title_case)))
    elif kind == "online":
        # biblatex's @online has neither publisher nor howpublished: the site's owner is
        # its organization (read back as the publisher).
        out.append(("organization", text(record.publisher or record.journal)))
    if kind in ("article", "misc"):
        out.append(("shortjournal", text(record.journal_abbrev)))
    return out


def _locator_fields(record: ArticleRecord, kind: str, biblatex: bool,
                    text: Callable[[str], str]) -> list[tuple[str, str]]:
    """Volume, number and pages, for the entry types that have them."""
    misc_extras = _misc_extras(kind, biblatex)
    if kind in ("misc", "online") and not misc_extras:
        return []
    out = [("volume", text(record.volume))]
    if kind in ("article", "inproceedings", "proceedings", "book", "collection",
                "incollection", "inbook") or misc_extras:
        out.append(("number", text(record.issue)))
    out.append(("pages", page_range(record.pages, text)))
    return out


#: expand_page_range, cached: page ranges recur across a library.
_expanded_pages = lru_cache(maxsize=65536)(expand_page_range)


def page_range(pages: str, text: Callable[[str], str]) -> str:
    """The page range written out in full, with BibTeX's ``--`` for its dash."""
    return text(_expanded_pages(pages)).replace("-", "--") if pages else ""


def _publisher_fields(record: ArticleRecord, kind: str, biblatex: bool,
                      text: Callable[[str], str]) -> list[tuple[str, str]]:
    """A book's edition, publisher and place (not for articles) and biblatex's publication
    state. The edition as biblatex wants it (a number: "4th ed."), or as classic BibTeX's
    styles print it ("Fourth edition")."""
    out: list[tuple[str, str]] = []
    if kind in ("book", "collection", "inbook", "incollection"):  # the types with one
        out.append(("edition", text(record.edition if biblatex else edition_words(
            record.edition))))
    if kind != "article" and (kind not in ("misc", "online") or not biblatex):
        out.append(("publisher", text(record.publisher)))
    if kind != "article":
        out.append(("location" if biblatex else "address", text(record.place)))
    if biblatex and (record.pubstate or record.type == "preprint"):
        out.append(("pubstate", text(stored_state(record.pubstate) or "prepublished")))
    return out


#: The entry types whose data model (biblatex's, which BibTeX's styles accept) has an ISBN.
_WITH_ISBN = ("book", "collection", "inbook", "incollection", "proceedings", "inproceedings")


def _identifier_fields(record: ArticleRecord, kind: str, biblatex: bool,
                       text: Callable[[str], str]) -> list[tuple[str, str]]:
    """DOI, PMID and PMCID (biblatex's ``eprint`` or BibTeX's own fields), ISSN and URL."""
    out = [("doi", encode_verbatim(record.doi))]
    if biblatex:
        out += eprint_fields(record)
    else:
        out += [("pmid", encode_verbatim(record.pmid)), ("pmcid", encode_verbatim(record.pmcid))]
    if kind == "article":
        out.append(("issn", text(record.issn)))
    elif kind in _WITH_ISBN:
        out.append(("isbn", text(record.isbn)))
    out.append(("url", encode_verbatim(record.url)))
    out.append(("urldate", valid_accessed(record.accessed)))
    return out


def eprint_fields(record: ArticleRecord) -> list[tuple[str, str]]:
    """biblatex's PMID (else PMCID) as ``eprint``; a PMCID beside a PMID goes to ``addendum``."""
    if record.pmid:
        return [("eprint", encode_verbatim(record.pmid)), ("eprinttype", "pubmed"),
                ("addendum", f"PMCID: {encode_verbatim(record.pmcid)}" if record.pmcid else "")]
    if record.pmcid:
        return [("eprint", encode_verbatim(record.pmcid)), ("eprinttype", "pmcid")]
    return []


def _text_fields(record: ArticleRecord, memo: Memo,
                 abstracts: bool) -> list[tuple[str, str]]:
    """Keywords, the abstract (when asked for), the note and the attached files (when the
    export filled ``record.files``)."""
    ascii_only = memo.ascii_only
    out = [("keywords", memo.merged_keywords(record.tags, record.keywords))]
    if abstracts:
        out.append(("abstract", encode_long_text(record.abstract, ascii_only=ascii_only)))
    # `annote`, not `note`: the reader's notes, which BibTeX's styles would print.
    out.append(("annote", encode_long_text(record.notes, ascii_only=ascii_only)))
    out.append(("file", encode_file_field(record.files)))  # only an export that asks
    return out


_LEADING_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)


def sort_key(record: ArticleRecord) -> str:
    """The ``key`` of an entry without an author: its title's first words (no leading
    article), else the journal or publisher."""
    words = _LEADING_ARTICLE_RE.sub("", one_line(record.title)).split()[:5]
    return " ".join(words) or one_line(record.journal) or one_line(record.publisher)


@lru_cache(maxsize=1024)
def _capital(ch: str) -> str:
    """The capital a title-cased journal name gives the small letter ``ch``, or ``ch`` when
    capitalising would change the letter in the ASCII export: in Latin script only (a Greek
    letter's capital has no LaTeX form of its own: capital epsilon is written E), one letter
    only (not "ß" as "SS"), and only a capital the export spells exactly (the capital of
    "ƒ", U+0191, would be written "?")."""
    up = ch.upper()
    if len(up) != 1 or not unicodedata.name(ch, "").startswith("LATIN"):
        return ch
    if up.isascii() or decode_latex(escape_latex(up, ascii_only=True)) == up:
        return up
    return ch


def journal_title_case(name: str) -> str:
    """:func:`spinelib.journalnames.title_case` with the capitals the ASCII export can
    spell (:func:`_capital`); the stored name is never changed, only the export."""
    return title_case(name, _capital)


def _other_type_fields(record: ArticleRecord, kind: str, biblatex: bool,
                       text: Callable[[str], str]) -> list[tuple[str, str]]:
    """The report number, the institution (school, organisation) and the thesis kind."""
    out: list[tuple[str, str]] = []
    if record.report_number.strip() and kind in ("techreport", "report"):
        # BibTeX's techreport and biblatex's report keep the report number in "number".
        out.append(("number", text(record.report_number)))
    if record.institution.strip():
        name = {"phdthesis": "school", "mastersthesis": "school"}.get(
            kind, "institution" if kind in ("techreport", "report", "thesis") else
            "organization")
        if kind != "article":
            out.append((name, text(record.institution)))
    if kind == "thesis":
        out.append(("type", "mathesis" if _is_masters(record) else "phdthesis"))
    elif kind == "report":
        out.append(("type", "techreport"))
    return out


def date_text_of(record: ArticleRecord, biblatex: bool) -> str:
    """The text :func:`date_fields` gets beside the year: biblatex's date as kept (its
    state has a field of its own); for classic BibTeX, what stands where its year would
    (the date as kept, else "in press": :func:`~spinelib.pubstate.in_place_of_year`)."""
    if biblatex:
        return record.date_text
    return in_place_of_year(record.year, record.date_text, record.pubstate)


def date_fields(year: int | None, month: int | None, day: int | None, date_text: str,
                biblatex: bool) -> list[tuple[str, str]]:
    """``date = {2005-08-20}`` for biblatex; ``year``, ``month = aug``, ``day`` for BibTeX
    (a function of the date alone, so an export can lay out each distinct date once).

    A date kept as EDTF (``date_text``: BCE, uncertain, a range) is biblatex's ``date`` as
    it came; classic BibTeX gets the year, or the EDTF text when there is no plain year.
    """
    if date_text.strip():
        if biblatex:
            return [("date", encode_verbatim(date_text))]
        if not year:
            return [("year", encode_verbatim(date_text))]
    if not year:
        return []
    month = month if month and 1 <= month <= 12 else None
    day = valid_day(year, month, day)
    if biblatex:
        date = f"{year:04d}" + (f"-{month:02d}" if month else "")
        return [("date", date + (f"-{day:02d}" if day else ""))]
    out = [("year", str(year))]
    if month:
        out.append(("month", MONTH_MACROS[month - 1]))
    if day:
        out.append(("day", str(day)))
    return out
