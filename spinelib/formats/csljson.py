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

Reading accepts a list of items or a single item, and also Crossref's flavour: the
``{"status": "ok", "message": {...}}`` envelope, list-valued ``title``/``container-title``/
``ISSN``, ``short-container-title``, ``article-number``, types like ``journal-article``,
``ORCID`` on authors and JATS markup in ``abstract``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from spinelib.citekeys import is_valid_citekey
from spinelib.errors import FormatError, InvalidIdentifier
from spinelib.formats.common import ReadResult, export_keys, merged_keywords, missing_basics
from spinelib.formats.entities import decode_entities, protect_entities
from spinelib.identifiers import is_identifier_link, parse_identifier
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
    out = {"family": family, "given": given} if given else {"family": family}
    if one_line(a.suffix):
        out["suffix"] = one_line(a.suffix)
    return out


def item(record: ArticleRecord, key: str, abstracts: bool = False) -> dict[str, Any]:
    """One CSL-JSON object for a record, under the given id."""
    out: dict[str, Any] = {"id": key, "type": _type_out(record)}

    def put(name: str, value: str) -> None:
        value = protect_entities(one_line(value))
        if value:
            out[name] = value

    put("title", record.title)
    authors = [a for a in map(_author_out, record.authors) if a is not None]
    if authors:
        out["author"] = authors
    put("container-title", record.book_title if record.type in _IN_BOOK else record.journal)
    put("container-title-short", record.journal_abbrev)
    if record.date_text.strip():
        out["issued"] = {"raw": record.date_text.strip()}  # EDTF, as citeproc-js reads it
    elif record.year:
        parts = [record.year]
        if record.month and 1 <= record.month <= 12:
            parts.append(record.month)
            day = valid_day(record.year, record.month, record.day)
            if day:
                parts.append(day)
        out["issued"] = {"date-parts": [parts]}
    put("volume", record.volume)
    put("issue", record.issue)
    put("page", expand_page_range(record.pages))
    if record.type in ("report", "thesis"):
        put("publisher", record.institution or record.publisher)  # CSL: the institution
    else:
        put("publisher", record.publisher)
    put("publisher-place", record.place)
    put("number", record.report_number)
    if record.type == "proceedings":
        put("genre", _PROCEEDINGS_GENRE)
    elif record.type == "thesis":
        put("genre", next(iter(record.publication_types), ""))
    put("status", record.pubstate)
    put("DOI", record.doi)
    put("PMID", record.pmid)
    put("PMCID", record.pmcid)
    put("ISSN", record.issn)
    put("URL", record.url)
    put("language", record.language)
    words = merged_keywords(record)
    if words:
        if any("," in w for w in words):
            # "; " separates; a lone keyword gets a trailing ";" so readers see which.
            out["keyword"] = "; ".join(words) + (";" if len(words) == 1 else "")
        else:
            out["keyword"] = ", ".join(words)
    if abstracts and record.abstract.strip():
        out["abstract"] = protect_entities(tidy_long_text(record.abstract))
    if record.notes.strip():
        out["note"] = protect_entities(tidy_long_text(record.notes))
    return out


def write_csljson(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """A CSL-JSON array (UTF-8 text, two-space indent, trailing newline)."""
    items = [item(r, key, abstracts) for r, (key, _note) in zip(records, export_keys(records))]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def export_problems(records: Sequence[ArticleRecord]) -> list[str]:
    """Items citeproc would render badly: no title, no author, no date."""
    return missing_basics(records)


# ======================================================================================
# Reading

def _flat(value: Any) -> str:
    """A CSL string, or the first of a Crossref list, with any markup flattened."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float) and str(v).strip()),
                     "")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return one_line(_plain(str(value)))


#: The inline markup CSL processors and Crossref put in text fields ("rich text").
_MARKUP_RE = re.compile(r"</?(?:i|b|em|strong|sub|sup|sc|u|span|scp|(?:jats|mml):[A-Za-z-]+)"
                        r"(?:\s[^<>]*)?/?>")
#: Markup that makes an abstract JATS/HTML rather than text.
_ABSTRACT_MARKUP_RE = re.compile(r"</?(?:jats:|mml:)?(?:p|sec|title|italic|bold|sub|sup|i|b|br"
                                 r"|list|list-item|math)\b[^<>]*>")


def _plain(text: str) -> str:
    """Text without CSL/Crossref inline markup; HTML entities decoded. Other ``<``/``&``
    (as in "p < 0.05 & more") are ordinary characters and stay."""
    if "<" in text:
        text = _MARKUP_RE.sub("", text)
    return decode_entities(text)


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


class _ItemReader:
    def __init__(self, obj: dict[str, Any], where: str) -> None:
        self.obj = obj
        self.where = where
        self.problems: list[str] = []

    def ident(self, kind: str, value: Any) -> str:
        text = _flat(value)
        if not text:
            return ""
        try:
            found = parse_identifier(text)
        except InvalidIdentifier as exc:
            self.problems.append(f"{self.where}: {exc} (dropped)")
            return ""
        if found.kind != kind:
            self.problems.append(f"{self.where}: {text!r} is not a {kind.upper()} (dropped)")
            return ""
        return found.value

    def record(self) -> ArticleRecord | None:
        o = self.obj
        rec = ArticleRecord(source="csljson")
        ctype = str(o.get("type", "")).lower()
        rec.type = TYPE_IN.get(ctype, "other")
        if str(o.get("subtype", "")).lower() == "preprint":
            rec.type = "preprint"
        rec.title = _flat(o.get("title"))
        authors = o.get("author")
        rec.authors = [a for a in map(_author_in, authors if isinstance(authors, list) else [])
                       if a is not None]
        genre = _flat(o.get("genre"))
        if rec.type == "book" and "proceedings" in genre.casefold():
            rec.type = "proceedings"
        elif rec.type == "thesis" and genre:
            rec.publication_types = [genre]
        container = _flat(o.get("container-title"))
        if rec.type in _IN_BOOK:
            rec.book_title = container
        else:
            rec.journal = container
        rec.journal_abbrev = _flat(o.get("container-title-short")
                                   or o.get("short-container-title")
                                   or o.get("journalAbbreviation"))
        for key in ("issued", "published-print", "published-online", "published"):
            year, month, day = _date(o.get(key))
            if year:
                rec.year, rec.month, rec.day = year, month, day
                break
        issued = o.get("issued")
        if isinstance(issued, dict) and "date-parts" not in issued:
            text = _flat(issued.get("raw") or issued.get("literal"))
            if text and not re.fullmatch(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?", text):
                rec.date_text = text  # EDTF or free text a plain date cannot hold
        rec.pubstate = _flat(o.get("status"))
        rec.place = _flat(o.get("publisher-place") or o.get("event-place"))
        rec.volume = _flat(o.get("volume"))
        rec.issue = _flat(o.get("issue"))
        page = _flat(o.get("page"))
        if not page and rec.type in ("article", "review", "preprint"):
            page = _flat(o.get("article-number")) or _flat(o.get("number"))
        rec.pages = expand_page_range(page)
        if rec.type in ("report", "thesis"):
            rec.institution = _flat(o.get("publisher"))
            if rec.type == "report":
                rec.report_number = _flat(o.get("number"))
        else:
            rec.publisher = _flat(o.get("publisher"))
        rec.language = _flat(o.get("language"))
        rec.issn = _flat(o.get("ISSN"))
        rec.url = _flat(o.get("URL"))
        abstract = o.get("abstract")
        if isinstance(abstract, str):
            rec.abstract = jats_to_text(abstract) if _ABSTRACT_MARKUP_RE.search(abstract) \
                else tidy_long_text(_plain(abstract))
        note = o.get("note")
        rec.notes = tidy_long_text(decode_entities(note)) if isinstance(note, str) else ""
        keyword = o.get("keyword")
        if isinstance(keyword, list):  # not CSL, but some tools write a list
            words = [_flat(k) for k in keyword]
        elif isinstance(keyword, str):
            words = [one_line(k) for k in keyword.split(";" if ";" in keyword else ",")]
        else:
            words = []
        rec.keywords = [w for w in words if w]
        rec.doi = self.ident("doi", o.get("DOI"))
        rec.pmid = self.ident("pmid", o.get("PMID"))
        rec.pmcid = self.ident("pmcid", o.get("PMCID"))
        if rec.url and not rec.doi:
            # A DOI given only as its link (URL: https://doi.org/...), as BibTeX and RIS do.
            rec.doi = _doi_in_link(rec.url)
        if rec.url and rec.doi and rec.url.lower().rstrip("/").endswith(rec.doi):
            rec.url = ""  # Crossref's URL is the DOI link
        key = _flat(o.get("id"))
        if is_valid_citekey(key) and not key.startswith(("http://", "https://")):
            rec.citekey = key
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
        reader = _ItemReader(obj, where)
        rec = reader.record()
        result.problems.extend(reader.problems)
        if rec is not None:
            result.records.append(rec)
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no CSL-JSON items")
    return result
