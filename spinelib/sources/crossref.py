"""Crossref REST ``/works/{doi}`` -> :class:`~spinelib.records.ArticleRecord` with its references.

Two layers, as for every source: :func:`parse_work` is a pure function from the decoded JSON
reply to a record (so it is tested on recorded replies without a network), and
:func:`fetch_work` asks Crossref through the shared :class:`~spinelib.sources.http.HttpClient`.

Everything in a Crossref reply is publisher-deposited text and is treated as untrusted:
titles and abstracts carry HTML/JATS markup (``<i>``, ``<jats:p>``, MathML) that is flattened
to plain text by a small tag tokenizer (:func:`plain_text`, :func:`jats_to_text`). The
tokenizer never evaluates anything, never resolves external entities and runs in linear time;
it is used instead of an XML parser because Crossref fragments are rarely well-formed XML
(undeclared ``jats:`` prefixes, HTML entities such as ``&nbsp;``, a bare ``<`` in "p < 0.05").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import requests

from spinelib.errors import InvalidIdentifier, NotFound, ServiceError
from spinelib.identifiers import normalise_doi
from spinelib.records import ArticleRecord, Author, ReferenceEntry

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: Name of this source in records and reports.
SOURCE = "crossref"

#: Crossref work ``type`` -> ArticleRecord ``type``. Anything not listed becomes "other".
#: (Vocabulary: https://api.crossref.org/types.)
CROSSREF_TYPES: dict[str, str] = {
    "journal-article": "article",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "chapter",
    "posted-content": "preprint",
    "proceedings-article": "conference",
    "dissertation": "thesis",
    "report": "report",
    "dataset": "dataset",
}

#: Crossmark update types (``update-to`` / ``updated-by`` ``type``) meaning "this is withdrawn".
RETRACTION_UPDATES = frozenset({"retraction", "withdrawal", "removal"})
#: Update types meaning "a correction notice exists for this work".
CORRECTION_UPDATES = frozenset({"correction", "corrigendum", "erratum", "partial_retraction"})

#: PubMed's publication-type words, reused so the Library sees one vocabulary for these facts.
PT_RETRACTED = "Retracted Publication"
PT_RETRACTION_NOTICE = "Retraction of Publication"
PT_ERRATUM = "Published Erratum"

#: Fallback order for the publication date when ``issued`` is absent or empty.
DATE_FIELDS = ("issued", "published-print", "published-online", "published")

#: Block-level JATS/HTML elements: their boundaries separate words and paragraphs.
_PARAGRAPH_TAGS = frozenset({
    "p", "list-item", "li", "def-item", "disp-quote", "caption", "statement", "boxed-text",
    "table-wrap", "fig", "abstract", "trans-abstract", "div", "blockquote", "ul", "ol", "list",
})
_SECTION_TAGS = frozenset({"sec"})
_TITLE_TAGS = frozenset({"title", "label", "h1", "h2", "h3", "h4", "h5", "h6"})
_BREAK_TAGS = frozenset({"break", "br"})
#: Tags that separate words when a fragment is flattened to one line.
_SPACING_TAGS = _PARAGRAPH_TAGS | _SECTION_TAGS | _TITLE_TAGS | _BREAK_TAGS

#: One start, end or empty tag: optional ``prefix:``, a name, ``name="value"`` attributes only.
#: Requiring quoted attribute values keeps prose such as "x<y and z>w" from reading as a tag;
#: each repeated part is anchored by a character the next part cannot start with, so a match
#: attempt never backtracks more than linearly (tested on hostile input).
_TAG_RE = re.compile(
    r"<(/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)"
    r"((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\s*(/?)>"
)
#: Titles that merely announce "here is the abstract" and are not section labels.
_NOT_A_LABEL = frozenset({"abstract", "summary", "graphical abstract"})

_ORCID_RE = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])\s*/?\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------- markup to text


def _tokens(markup: str) -> Iterator[tuple[str, str, bool, bool]]:
    """Split markup into ``(text, tag_name, is_end, is_empty)``: exactly one of text/tag set."""
    pos = 0
    for m in _TAG_RE.finditer(markup):
        if m.start() > pos:
            yield html.unescape(markup[pos:m.start()]), "", False, False
        yield "", m.group(2).lower(), bool(m.group(1)), bool(m.group(4))
        pos = m.end()
    if pos < len(markup):
        yield html.unescape(markup[pos:]), "", False, False


def _squash(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces) to one space."""
    return " ".join(text.split())


def plain_text(markup: Any) -> str:
    """Flatten inline markup (``<i>``, ``<sub>``, ``<scp>``, MathML, entities) to one line.

    Inline elements join without a space (``H<sub>2</sub>O`` -> ``H2O``); block elements and
    line breaks become a space. Anything that is not a string gives ``""``.
    """
    if not isinstance(markup, str):
        return ""
    out: list[str] = []
    for text, tag, _end, _empty in _tokens(markup):
        if tag:
            if tag in _SPACING_TAGS:
                out.append(" ")
        else:
            out.append(text)
    return _squash("".join(out))


class _AbstractWriter:
    """Collects paragraphs while :func:`jats_to_text` walks the tokens of an abstract."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.title: list[str] | None = None
        self.pending_label = ""

    def text(self, text: str) -> None:
        (self.title if self.title is not None else self.buffer).append(text)

    def flush(self) -> None:
        """End the current paragraph; a pending section label is attached to it."""
        body = _squash("".join(self.buffer))
        self.buffer = []
        if not body:
            return
        if self.pending_label:
            body = f"{self.pending_label}: {body}"
            self.pending_label = ""
        self.paragraphs.append(body)

    def open_title(self) -> None:
        self.flush()
        self.title = []

    def close_title(self) -> None:
        if self.title is None:
            return
        label = _squash("".join(self.title)).rstrip(":.").strip()
        self.title = None
        if label.casefold() in _NOT_A_LABEL:
            return
        if self.pending_label:  # a heading with no text of its own still says something
            self.paragraphs.append(self.pending_label)
        self.pending_label = label

    def finish(self) -> str:
        self.close_title()
        self.flush()
        if self.pending_label:
            self.paragraphs.append(self.pending_label)
        return "\n\n".join(self.paragraphs)


def jats_to_text(markup: Any) -> str:
    """A Crossref JATS abstract as plain text, per the ArticleRecord promise.

    Paragraphs are separated by blank lines; a ``<jats:sec>`` with a ``<jats:title>`` becomes
    ``"Label: text"`` on its first paragraph. A bare "Abstract" heading is dropped. Inline
    markup and entities are flattened as in :func:`plain_text`.
    """
    if not isinstance(markup, str):
        return ""
    writer = _AbstractWriter()
    for text, tag, is_end, is_empty in _tokens(markup):
        if not tag:
            writer.text(text)
        elif tag in _TITLE_TAGS:
            if is_end:
                writer.close_title()
            elif not is_empty:
                writer.open_title()
        elif tag in _PARAGRAPH_TAGS or tag in _SECTION_TAGS:
            if writer.title is not None:  # a block inside a title: keep words apart
                writer.text(" ")
            else:
                writer.flush()
        elif tag in _BREAK_TAGS:
            writer.text(" ")
    return writer.finish()


# --------------------------------------------------------------------------- small readers


def scalar_text(value: Any) -> str:
    """A JSON scalar as stripped text; lists, dicts, None and booleans give ``""``."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return ""


def _strings(value: Any) -> list[str]:
    """The non-empty strings of a Crossref list field (a lone string counts as a list of one)."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [text for text in (scalar_text(item) for item in items) if text]


def _first(value: Any) -> str:
    """The first non-empty string of a Crossref list field (or the field itself if a string)."""
    strings = _strings(value)
    return strings[0] if strings else ""


def _doi_or_empty(value: Any) -> str:
    """A normalised DOI, or ``""`` when the text is not one (reference lists hold junk)."""
    text = scalar_text(value)
    if not text:
        return ""
    try:
        return normalise_doi(text)
    except InvalidIdentifier:
        return ""


def normalise_orcid(value: Any) -> str:
    """Bare ``0000-0000-0000-000X`` from a URL or bare ORCID iD; ``""`` if the checksum fails."""
    m = _ORCID_RE.search(scalar_text(value))
    if not m:
        return ""
    digits = "".join(m.groups()).upper()
    # ISO 7064 MOD 11-2, as ORCID specifies; a typo'd iD is worse than none.
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        return ""
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def _initials(given: str) -> str:
    """'Brooks B.' -> 'BB', 'Jean-Paul' -> 'JP' (first letter of each part of the given name)."""
    parts = given.replace("-", " ").replace(".", " ").split()
    return "".join(p[0].upper() for p in parts if p[0].isalpha())


def _authors(raw: Any) -> list[Author]:
    out: list[Author] = []
    if not isinstance(raw, list):
        return out
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        family = plain_text(item.get("family"))
        given = plain_text(item.get("given"))
        name = plain_text(item.get("name"))
        orcid = normalise_orcid(item.get("ORCID"))
        if family:
            out.append(Author(family=family, given=given, initials=_initials(given), orcid=orcid))
        elif name:  # Crossref puts organisations (consortia, groups) in "name"
            out.append(Author(collective=name, orcid=orcid))
        elif given:  # a mononym deposited as given name only
            out.append(Author(family=given, orcid=orcid))
    return out


def _date(message: Mapping[str, Any]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from the first date field that has a usable year."""
    for key in DATE_FIELDS:
        block = message.get(key)
        if not isinstance(block, Mapping):
            continue
        parts = block.get("date-parts")
        if not (isinstance(parts, list) and parts and isinstance(parts[0], list)):
            continue
        nums: list[int | None] = []
        for piece in parts[0][:3]:
            text = scalar_text(piece)
            nums.append(int(text) if text.isdigit() else None)
        nums += [None] * (3 - len(nums))
        year, month, day = nums
        if year is None or not 1000 <= year <= 9999:
            continue
        month = month if month is not None and 1 <= month <= 12 else None
        day = day if month is not None and day is not None and 1 <= day <= 31 else None
        return year, month, day
    return None, None, None


def _issn(message: Mapping[str, Any]) -> str:
    """The print ISSN when Crossref says which is which, else the first ISSN listed."""
    typed = message.get("issn-type")
    if isinstance(typed, list):
        by_type = {
            scalar_text(t.get("type")): scalar_text(t.get("value"))
            for t in typed if isinstance(t, Mapping)
        }
        for kind in ("print", "electronic"):
            if by_type.get(kind):
                return by_type[kind]
    return _first(message.get("ISSN"))


def _update_types(raw: Any) -> set[str]:
    """The ``type`` of each entry of an ``update-to`` / ``updated-by`` list, lower-case."""
    if not isinstance(raw, list):
        return set()
    return {scalar_text(u.get("type")).lower().replace("-", "_")
            for u in raw if isinstance(u, Mapping)}


# --------------------------------------------------------------------------- references


def reference_citation(ref: Mapping[str, Any]) -> str:
    """The citation text of one Crossref ``reference`` item.

    ``unstructured`` (the publisher's own text) wins; otherwise the pieces are assembled
    Vancouver-like: ``"Author. Article title. Journal. 2010;12:345."``. Missing pieces are
    left out, so a reference with only a year gives ``"2010."`` and one with nothing ``""``.
    """
    unstructured = plain_text(ref.get("unstructured"))
    if unstructured:
        return unstructured
    heads = [
        plain_text(ref.get(key)).rstrip(" .")
        for key in ("author", "article-title", "journal-title")
    ]
    if not heads[2]:  # a book or proceedings reference names its container differently
        heads[2] = plain_text(ref.get("volume-title") or ref.get("series-title")).rstrip(" .")
    year, volume, page = (scalar_text(ref.get(k)) for k in ("year", "volume", "first-page"))
    tail = year
    if volume:
        tail += (";" if tail else "") + volume
    if page:
        tail += (":" if tail else "") + page
    pieces = [p for p in (*heads, tail) if p]
    return ". ".join(pieces) + "." if pieces else ""


def _references(raw: Any) -> list[ReferenceEntry]:
    """Every item of the ``reference`` array, in order, numbered from 1.

    Items are kept even when they carry little, so that position N is the article's own
    reference N (what the text's "[N]" points at).
    """
    if not isinstance(raw, list):
        return []
    items = [r for r in raw if isinstance(r, Mapping)]
    return [
        ReferenceEntry(position=i, citation=reference_citation(r), doi=_doi_or_empty(r.get("DOI")))
        for i, r in enumerate(items, start=1)
    ]


# --------------------------------------------------------------------------- the work


def _message(payload: Any) -> Mapping[str, Any]:
    """The work object inside a reply: the envelope's ``message``, or the payload itself."""
    if not isinstance(payload, Mapping):
        raise ServiceError(f"Crossref reply is not a JSON object (got {type(payload).__name__})")
    if "message" not in payload and "message-type" not in payload:
        return payload  # a bare work object (as saved by some tools)
    status = scalar_text(payload.get("status"))
    if status and status != "ok":
        raise ServiceError(f"Crossref reply has status {status!r}, not 'ok'")
    kind = scalar_text(payload.get("message-type"))
    if kind and kind != "work":
        raise ServiceError(f"Crossref reply is a {kind!r}, not a work")
    message = payload.get("message")
    if not isinstance(message, Mapping):
        raise ServiceError("Crossref reply has no work object in its 'message'")
    return message


def _container(record: ArticleRecord, message: Mapping[str, Any]) -> None:
    """Journal (or book) title, abbreviation and ISSN, by work type."""
    titles = [t for t in map(plain_text, _strings(message.get("container-title"))) if t]
    if record.type == "chapter":
        # Chapters list [series, book] or just [book]: the book is the last one.
        record.book_title = titles[-1] if titles else ""
    elif record.type != "book" and titles:
        record.journal = titles[0]
    record.journal_abbrev = plain_text(_first(message.get("short-container-title")))
    record.issn = _issn(message)


def _updates(record: ArticleRecord, message: Mapping[str, Any]) -> None:
    """Retraction / correction facts from Crossmark: ``updated-by`` on the original work,
    ``update-to`` on the notice that retracts or corrects it."""
    updated_by = _update_types(message.get("updated-by"))
    updates_to = _update_types(message.get("update-to"))
    if updated_by & RETRACTION_UPDATES:
        record.retracted = True
        record.publication_types.append(PT_RETRACTED)
    if updated_by & CORRECTION_UPDATES:
        record.has_erratum = True
    if updates_to & RETRACTION_UPDATES:
        record.publication_types.append(PT_RETRACTION_NOTICE)
    elif updates_to & CORRECTION_UPDATES:
        record.publication_types.append(PT_ERRATUM)
        record.type = "erratum"


def parse_work(payload: Any) -> ArticleRecord:
    """Turn a Crossref ``/works/{doi}`` reply (envelope or bare ``message``) into a record.

    Raises :class:`~spinelib.errors.ServiceError` for anything that is not a work: not a
    JSON object, an envelope without a work ``message``, or a work with neither title nor DOI.
    """
    message = _message(payload)
    doi = _doi_or_empty(message.get("DOI"))
    title = plain_text(_first(message.get("title")))
    if not title and not doi:
        raise ServiceError("Crossref reply is not a usable work: it has neither title nor DOI")
    crossref_type = scalar_text(message.get("type")).lower()
    year, month, day = _date(message)
    record = ArticleRecord(
        title=title,
        authors=_authors(message.get("author")),
        year=year,
        month=month,
        day=day,
        volume=scalar_text(message.get("volume")),
        issue=scalar_text(message.get("issue")),
        # "page" is the printed range; e-only journals give an article number instead.
        pages=scalar_text(message.get("page")) or scalar_text(message.get("article-number")),
        doi=doi,
        abstract=jats_to_text(message.get("abstract")),
        language=scalar_text(message.get("language")),
        type=CROSSREF_TYPES.get(crossref_type, "other"),
        references=_references(message.get("reference")),
        publisher=plain_text(message.get("publisher")),
        url=scalar_text(message.get("URL")),
        source=SOURCE,
    )
    _container(record, message)
    _updates(record, message)
    return record


# --------------------------------------------------------------------------- network


def quote_doi(doi: str) -> str:
    """The DOI as a URL path: every reserved or unsafe character percent-encoded except '/'.

    Crossref asks for DOIs to be URL-encoded; SICI-style DOIs hold ``< > ; # ?`` that
    would otherwise end the path or be read as a parameter (Jetty treats ``;`` as one).
    Slashes stay literal because ``/works/10.1371/x`` is what Crossref routes; only a
    trailing slash (part of a handful of real DOIs) is encoded so it is not dropped.
    """
    quoted = quote(doi, safe="/")
    stripped = quoted.rstrip("/")
    return stripped + "%2F" * (len(quoted) - len(stripped))


def work_url(base_url: str, doi: str) -> str:
    """The ``/works/{doi}`` address under a Crossref base URL (mirror-friendly)."""
    return f"{base_url.rstrip('/')}/works/{quote_doi(doi)}"


def json_body(response: requests.Response, what: str) -> Any:
    """Decode a JSON body or raise ServiceError naming ``what`` answered and what came instead.

    Shared by the JSON sources: an HTML error page, a truncated body or bad bytes all give a
    one-line message such as "Crossref (DOI 10.1/x) answered with something that is not
    JSON (text/html, 1234 bytes)".
    """
    try:
        return response.json()
    except ValueError:  # requests' JSONDecodeError is a ValueError; so is bad UTF-8
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0].strip()
        raise ServiceError(
            f"{what} answered with something that is not JSON ({kind}, "
            f"{len(response.content)} bytes)"
        ) from None


def fetch_work(client: HttpClient, doi: str) -> ArticleRecord:
    """Ask Crossref for one DOI and return its record (with the reference list).

    Raises InvalidIdentifier for text that is not a DOI, NotFound when Crossref has no such
    work (404), ServiceError for a reply that is not a Crossref work, and whatever the
    client raises for network failures (NetworkError) or other HTTP errors (ServiceError).
    """
    bare = normalise_doi(doi)
    # "mailto" puts the request in Crossref's polite pool (better service, a contact on abuse).
    params = {"mailto": client.settings.email} if client.settings.email else None
    response = client.get(
        "crossref",
        work_url(client.settings.crossref_url, bare),
        params=params,
        headers={"Accept": "application/json"},
    )
    if response.status_code == 404:
        raise NotFound(f"Crossref has no record of DOI {bare}")
    return parse_work(json_body(response, f"Crossref (DOI {bare})"))
