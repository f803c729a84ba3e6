"""CSL-JSON in: Zotero/pandoc/citeproc items to records (the writer is
:mod:`spinelib.formats.csljson`). Item ids become citation keys; HTML entities and inline
markup are decoded the way every reader decodes them; a DOI given only as a doi.org URL is
taken.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from spinelib.accessed import iso_of
from spinelib.citekeys import is_valid_citekey
from spinelib.edition import edition_of
from spinelib.errors import FormatError, InvalidIdentifier
from spinelib.formats.common import ReadResult, RecordReading
from spinelib.formats.csljson import _IN_BOOK, ABSTRACT_MARKUP_RE, TYPE_IN
from spinelib.formats.entities import decode_entities
from spinelib.formats.richtext import strip_inline_markup
from spinelib.identifiers import is_identifier_link, parse_identifier
from spinelib.isbn import first_isbn
from spinelib.pubstate import state_key, stored_state
from spinelib.records import ArticleRecord, Author
from spinelib.text import expand_page_range, one_line, tidy_long_text, valid_day


def _flat(value: Any) -> str:
    """A CSL string, or the first of a Crossref list, with any markup flattened."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float) and str(v).strip()),
                     "")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return one_line(_plain(str(value)))


def _plain(text: str) -> str:
    """Text without CSL/Crossref inline markup; HTML entities decoded. Other ``<``/``&``
    (as in "p < 0.05 & more") are ordinary characters and stay."""
    return decode_entities(strip_inline_markup(text))


def jats_to_text(markup: str) -> str:
    """Plain abstract from Crossref's JATS (``<jats:p>``...): sections as 'Title: text'."""
    s = re.sub(r"(?is)<(?:jats:)?title>\s*abstract\s*</(?:jats:)?title>", "", markup)
    s = re.sub(r"(?is)<(?:jats:)?title>(.*?)</(?:jats:)?title>\s*", r"\1: ", s)
    s = re.sub(r"(?i)</(?:jats:)?(?:p|sec)>|<br\s*/?>", "\n\n", s)
    s = re.sub(r"<[^>]+>", "", s)
    return tidy_long_text(html.unescape(s))


def _date(obj: Any) -> tuple[int | None, int | None, int | None]:
    if not isinstance(obj, dict):
        return None, None, None
    parts = obj.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        nums: list[int | None] = []
        for p in parts[0][:3]:
            try:
                nums.append(int(str(p)))
            except (TypeError, ValueError):
                nums.append(None)
        nums += [None] * (3 - len(nums))
        year, month, day = nums[0], nums[1], nums[2]
        if month is not None and not 1 <= month <= 12:
            month = None
        return year, month, valid_day(year, month, day)
    text = str(obj.get("raw") or obj.get("literal") or "")
    if text.lstrip().startswith("-"):
        return None, None, None  # a BCE date (EDTF): kept as text by the reader
    m = re.search(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        return None, None, None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
    day = int(m.group(3)) if m.group(3) else None
    return year, month, valid_day(year, month, day)


def _author_in(obj: Any) -> Author | None:
    if not isinstance(obj, dict):
        return None
    literal = _flat(obj.get("literal") or obj.get("name"))
    family = _flat(obj.get("family"))
    if not family:
        return Author(collective=literal) if literal else None
    particle = _flat(obj.get("non-dropping-particle"))
    suffix = _flat(obj.get("suffix"))
    family = " ".join(p for p in (particle, family) if p)
    given = " ".join(p for p in (_flat(obj.get("given")), _flat(obj.get("dropping-particle")))
                     if p)
    orcid = _flat(obj.get("ORCID"))
    m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", orcid)
    return Author(family=family, given=given, orcid=m.group(1) if m else "", suffix=suffix)


def _names(value: Any) -> list[Author]:
    """A CSL name list (``author``, ``editor``); anything but a list holds none."""
    return [a for a in map(_author_in, value if isinstance(value, list) else []) if a is not None]


def _unwrap(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        data = data["message"]  # Crossref's envelope
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return list(data["items"])
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    return []


def _type_in(o: dict[str, Any]) -> str:
    """The record type an item's ``type`` (and a ``subtype`` of preprint) stands for."""
    if str(o.get("subtype", "")).lower() == "preprint":
        return "preprint"
    return TYPE_IN.get(str(o.get("type", "")).lower(), "other")


def _apply_genre(rec: ArticleRecord, genre: str) -> None:
    """A book whose genre says proceedings becomes proceedings; a thesis keeps its degree."""
    if rec.type == "book" and "proceedings" in genre.casefold():
        rec.type = "proceedings"
    elif rec.type == "thesis" and genre:
        rec.publication_types = [genre]


def _apply_dates(rec: ArticleRecord, o: dict[str, Any]) -> None:
    """Year, month and day from the first dated field; ``date_text`` for EDTF or free text."""
    for key in ("issued", "published-print", "published-online", "published"):
        year, month, day = _date(o.get(key))
        if year:
            rec.year, rec.month, rec.day = year, month, day
            break
    issued = o.get("issued")
    if isinstance(issued, dict) and "date-parts" not in issued:
        text = _flat(issued.get("raw") or issued.get("literal"))
        if text and (state := state_key(text)):
            rec.pubstate = state  # a date of "in press", as Zotero keeps it
        elif text and not re.fullmatch(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?", text):
            rec.date_text = text  # EDTF or free text a plain date cannot hold


def _pages_in(o: dict[str, Any], rtype: str) -> str:
    """The page range; an article's article number (or number) when it has no pages."""
    page = _flat(o.get("page"))
    if not page and rtype in ("article", "review", "preprint"):
        page = _flat(o.get("article-number")) or _flat(o.get("number"))
    return expand_page_range(page)


def _apply_publisher(rec: ArticleRecord, o: dict[str, Any]) -> None:
    """``publisher`` as a report's or thesis' institution (a report's number too), else as is."""
    if rec.type in ("report", "thesis"):
        rec.institution = _flat(o.get("publisher"))
        if rec.type == "report":
            rec.report_number = _flat(o.get("number"))
    else:
        rec.publisher = _flat(o.get("publisher"))


def _abstract_in(abstract: str) -> str:
    """Plain abstract text, from JATS/HTML markup or from text with inline markup."""
    if ABSTRACT_MARKUP_RE.search(abstract):
        return jats_to_text(abstract)
    return tidy_long_text(_plain(abstract))


def _keywords_in(keyword: Any) -> list[str]:
    """Keywords from a ``keyword`` string (split on ";" if present, else ",") or a list."""
    if isinstance(keyword, list):  # not CSL, but some tools write a list
        words = [_flat(k) for k in keyword]
    elif isinstance(keyword, str):
        words = [one_line(k) for k in keyword.split(";" if ";" in keyword else ",")]
    else:
        words = []
    return [w for w in words if w]


def _citekey_in(o: dict[str, Any]) -> str:
    """The item's ``id`` when it is a usable citekey (not a link), else ''."""
    key = _flat(o.get("id"))
    if is_valid_citekey(key) and not key.startswith(("http://", "https://")):
        return key
    return ""


class _ItemReader(RecordReading[dict[str, Any]]):
    def ident(self, kind: str, value: Any, *, quiet: bool = False) -> str:
        """:meth:`RecordReading.ident` of a CSL value, which may be a number or a list."""
        return super().ident(kind, _flat(value), quiet=quiet)

    def _apply_identifiers(self, rec: ArticleRecord) -> None:
        """DOI, PMID, PMCID (a DOI also from a doi.org URL); a URL that is the DOI link goes."""
        o = self.raw
        rec.doi = self.ident("doi", o.get("DOI"))
        rec.pmid = self.ident("pmid", o.get("PMID"))
        rec.pmcid = self.ident("pmcid", o.get("PMCID"))
        if rec.url and not rec.doi:
            # A DOI given only as its link (URL: https://doi.org/...), as BibTeX and RIS do.
            rec.doi = _doi_in_link(rec.url)
        if rec.url and rec.doi and rec.url.lower().rstrip("/").endswith(rec.doi):
            rec.url = ""  # Crossref's URL is the DOI link

    def record(self) -> ArticleRecord | None:
        o = self.raw
        rec = ArticleRecord(source="csljson")
        rec.type = _type_in(o)
        rec.title = _flat(o.get("title"))
        rec.authors, rec.editors = _names(o.get("author")), _names(o.get("editor"))
        rec.edition = edition_of(_flat(o.get("edition")))
        _apply_genre(rec, _flat(o.get("genre")))
        container = _flat(o.get("container-title"))
        if rec.type in _IN_BOOK:
            rec.book_title = container
        else:
            rec.journal = container
        rec.journal_abbrev = _flat(o.get("container-title-short")
                                   or o.get("short-container-title")
                                   or o.get("journalAbbreviation"))
        _apply_dates(rec, o)
        rec.pubstate = stored_state(_flat(o.get("status"))) or rec.pubstate
        rec.place = _flat(o.get("publisher-place") or o.get("event-place"))
        rec.volume = _flat(o.get("volume"))
        rec.issue = _flat(o.get("issue"))
        rec.pages = _pages_in(o, rec.type)
        _apply_publisher(rec, o)
        rec.language = _flat(o.get("language"))
        rec.issn = _flat(o.get("ISSN"))
        rec.isbn = first_isbn([_flat(o.get("ISBN"))])
        rec.url = _flat(o.get("URL"))
        year, month, day = _date(o.get("accessed"))
        rec.accessed = iso_of(year, month, day) if year else ""
        abstract = o.get("abstract")
        if isinstance(abstract, str):
            rec.abstract = _abstract_in(abstract)
        # SpineLib writes notes as `annote`; Zotero, pandoc and others as `note`.
        note = o.get("note") or o.get("annote")
        rec.notes = tidy_long_text(decode_entities(note)) if isinstance(note, str) else ""
        rec.keywords = _keywords_in(o.get("keyword"))
        self._apply_identifiers(rec)
        rec.citekey = _citekey_in(o)
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: neither a title nor a DOI, PMID or PMCID "
                                 "(skipped)")
            return None
        return rec


def _doi_in_link(url: str) -> str:
    """The DOI of a doi.org link, '' for any other URL."""
    if not is_identifier_link(url):
        return ""
    try:
        found = parse_identifier(url)
    except InvalidIdentifier:
        return ""
    return found.value if found.kind == "doi" else ""


def read_csljson(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse CSL-JSON (a list or one item, Crossref's envelope too) into records.

    Raises FormatError when the text is not JSON at all; items that are not objects or
    carry nothing usable are reported by their 1-based position.
    """
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"{source_name} is not valid JSON (line {exc.lineno}, "
                          f"column {exc.colno}: {exc.msg})") from None
    result = ReadResult()
    items = _unwrap(data)
    if not items and not isinstance(data, list):
        raise FormatError(f"{source_name} is JSON but not CSL-JSON (expected a list of "
                          "items or one item)")
    for number, obj in enumerate(items, 1):
        where = f"{source_name} item {number}"
        if not isinstance(obj, dict):
            result.problems.append(f"{where}: not a JSON object (skipped)")
            continue
        result.add(_ItemReader(obj, where).read())
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no CSL-JSON items")
    return result
