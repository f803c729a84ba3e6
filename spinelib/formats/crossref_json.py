"""Crossref's work JSON -> :class:`~spinelib.records.ArticleRecord` with its references.

A pure mapping from the decoded ``/works/{doi}`` reply (the envelope or the bare
``message``) to a record: the client in :mod:`spinelib.sources.crossref` calls
:func:`parse_work` on what Crossref sends, and tests call it on recorded replies. Everything
in a reply is publisher-deposited and untrusted: markup is flattened by
:mod:`spinelib.formats.jats_text`, identifiers are validated, ORCID iDs checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from spinelib.edition import edition_of
from spinelib.errors import InvalidIdentifier, ServiceError
from spinelib.formats.jats_text import jats_to_text, plain_text
from spinelib.identifiers import normalise_doi, orcid_from_digits
from spinelib.isbn import first_isbn, isbn_in_doi
from spinelib.records import ArticleRecord, Author, ReferenceEntry, initials_of
from spinelib.text import scalar_text

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

_ORCID_RE = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])\s*/?\s*$", re.IGNORECASE)


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
    return orcid_from_digits("".join(m.groups()).upper())


def _authors(raw: Any) -> list[Author]:
    """An ``author`` (or ``editor``) list: persons, organisations (``name``) and mononyms,
    in order."""
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
            out.append(Author(family=family, given=given, initials=initials_of(given), orcid=orcid,
                              suffix=plain_text(item.get("suffix"))))
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
        # A chapter's book editors (Springer and Elsevier deposit them with the chapter).
        editors=_authors(message.get("editor")),
        edition=edition_of(scalar_text(message.get("edition-number"))),
        isbn=first_isbn(_strings(message.get("ISBN"))),
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
    if not record.isbn and record.type in ("book", "chapter"):
        # Elsevier, Springer, Wiley build a book's DOIs from its ISBN; some deposit no ISBN.
        record.isbn = isbn_in_doi(doi)
    return record
