"""A team library's field values as a reader reads them: the two sides of a conflict and the
old and new values of an article's history, in the CLI and the GUI alike.

A conflict holds a field's value as the library stores it, which for several fields is no
text a surgeon should have to read: MeSH, keywords, publication types and a book's editors are
JSON text in their columns (``[{"ui": "D013120", "name": "Spinal Neoplasms", …}]``), authors and
references are rows of columns (``["Bilsky", "Mark H", "MH", "", ""]``). Here each becomes a
list of lines in the form the rest of SpineLib shows it: names "Family, Given", MeSH headings
as ``spinelib show`` lists them ("*Spinal Neoplasms/surgery", MEDLINE's asterisk for a major
topic), a reference by its citation.

Promises: nothing is dropped (a value this module cannot read is shown as it is, never as
empty), and an empty value reads "(empty)" in :func:`value_text`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from spinelib.store.mapping import editors_from_json

#: What a field is called in a sentence ("alice changed the MeSH terms"), where its column's
#: name ("mesh", "journal_abbrev") would not do; any other is its name in words.
FIELD_WORDS: dict[str, str] = {
    "title": "the title", "authors": "the authors", "journal": "the journal",
    "year": "the year", "abstract": "the abstract", "doi": "the DOI", "pmid": "the PMID",
    "pmcid": "the PMCID", "tags": "the tags", "lists": "the reading lists",
    "facets": "the facets", "citekey": "the citation key", "deleted": "the deletion",
    "mesh": "the MeSH terms", "publication_types": "the publication types",
    "journal_abbrev": "the journal abbreviation", "editors": "the book's editors",
    "book_title": "the book", "isbn": "the ISBN", "url": "the URL", "issn": "the ISSN",
    "pubstate": "the publication state", "has_erratum": "the erratum mark",
    "retracted": "the retraction mark", "list": "a reading list", "tag": "a tag",
}
#: Columns holding a JSON list of plain texts.
_TEXT_LISTS = ("keywords", "publication_types")
#: Columns holding JSON text (a list, "[]" or '' for none).
_JSON_COLUMNS = ("editors", "mesh", *_TEXT_LISTS)
#: Columns holding 0 or 1.
_FLAGS = ("retracted", "has_erratum")
EMPTY = "(empty)"


def value_lines(field: str, value: Any) -> list[str]:
    """``value`` of ``field`` as lines a reader reads; [] for an empty value."""
    if value is None or value == "" or value == []:
        return []
    listed = _listed(value) if field in _JSON_COLUMNS and isinstance(value, str) else None
    if listed is not None:
        return _json_lines(field, value, listed)
    if field == "authors" and isinstance(value, list):
        return [_author_row(r) for r in value]
    if field == "references" and isinstance(value, list):
        return [_reference_row(r) for r in value]
    if field in _FLAGS and isinstance(value, int):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).splitlines()
    return [str(value)]


def field_words(field: str) -> str:
    """``field`` in a sentence: "the MeSH terms", "the book's editors", "the volume"."""
    return FIELD_WORDS.get(field, f"the {field.replace('_', ' ')}")


def field_label(field: str) -> str:
    """``field`` as a column's or a label's text: "MeSH terms", "Book's editors"."""
    words = field_words(field)
    words = words.split(" ", 1)[1] if words.startswith(("the ", "a ")) else words
    return words[:1].upper() + words[1:]


def value_text(field: str, value: Any) -> str:
    """:func:`value_lines`, one per line, or "(empty)"."""
    return "\n".join(value_lines(field, value)) or EMPTY


def one_line(field: str, value: Any) -> str:
    """:func:`value_lines` on one line ("; " between them, a line's own breaks as spaces),
    for the CLI's one line per conflict; "(empty)" for none."""
    lines = [" ".join(line.split()) for line in value_lines(field, value)]
    return "; ".join(lines) or EMPTY


def _json_lines(field: str, text: str, listed: list[Any]) -> list[str]:
    """The lines of a JSON list column ``text`` (``listed``, its items): names, headings or
    terms; [] for none ("[]"); the text itself when it holds nothing readable."""
    if not listed:
        return []
    if field == "editors":
        lines = [_name(e.family, e.given, e.collective) for e in editors_from_json(text)]
    elif field == "mesh":
        lines = [_heading(m) for m in listed if isinstance(m, dict) and m.get("name")]
    else:
        lines = [str(v) for v in listed if v not in (None, "")]
    return lines or [text]


def _listed(text: str) -> list[Any] | None:
    """A JSON list column's items; None for text that is no JSON list (shown as it is)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def _name(family: str, given: str, collective: str) -> str:
    if collective:
        return collective
    return f"{family}, {given}" if given else family


def _author_row(row: Any) -> str:
    """An author row as the team document holds it: family, given, initials, collective,
    ORCID."""
    if not isinstance(row, Sequence) or isinstance(row, str) or len(row) < 4:
        return str(row)
    return _name(str(row[0] or ""), str(row[1] or ""), str(row[3] or "")) or str(row)


def _reference_row(row: Any) -> str:
    """A reference row: position, citation, DOI, PMID, PMCID; its citation, else what
    identifies it."""
    if not isinstance(row, Sequence) or isinstance(row, str) or len(row) < 5:
        return str(row)
    citation = str(row[1] or "")
    ids = [f"{label}{v}" for label, v in (("doi:", row[2]), ("PMID ", row[3]), ("", row[4])) if v]
    return citation or "; ".join(ids) or str(row)


def _heading(mesh: dict[str, Any]) -> str:
    """A MeSH heading as ``spinelib show`` lists it, MEDLINE's way: "*Spinal Neoplasms/surgery",
    the asterisk on a major topic."""
    qualifiers = "".join(f"/{q}" for q in mesh.get("qualifiers") or [])
    return ("*" if mesh.get("major") else "") + str(mesh["name"]) + qualifiers
