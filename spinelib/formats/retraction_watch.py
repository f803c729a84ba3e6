"""The Retraction Watch data set (the CSV Crossref publishes), read as a stream of rows.

Pure: :func:`read_rows` takes an open text stream and yields
:class:`~spinelib.safety_results.RetractionWatchRow` one at a time, so the real file
(~60 MB, ~65,000 rows) is never held in memory. The layout is Crossref's documented one
(Record ID, Title, Subject, Institution, Journal, Publisher, Country, Author, URLS,
ArticleType, RetractionDate, RetractionDOI, RetractionPubMedID, OriginalPaperDate,
OriginalPaperDOI, OriginalPaperPubMedID, RetractionNature, Reason, Paywalled, Notes).

Promises:
- a file whose header lacks the columns we read is refused at once
  (:class:`~spinelib.errors.FormatError`) before a single row is yielded;
- a malformed row (wrong number of fields, no Record ID, an unknown nature) is not yielded
  but recorded in ``skipped`` as (line number, reason), and reading goes on;
- missing identifiers, written as blank, ``0`` or ``unavailable``, become "".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from typing import TextIO

from spinelib.errors import FormatError
from spinelib.identifiers import identifier_or_empty
from spinelib.safety_results import Nature, RetractionWatchRow

#: Every column of the documented layout, in the published order.
COLUMNS: tuple[str, ...] = (
    "Record ID", "Title", "Subject", "Institution", "Journal", "Publisher", "Country",
    "Author", "URLS", "ArticleType", "RetractionDate", "RetractionDOI", "RetractionPubMedID",
    "OriginalPaperDate", "OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature",
    "Reason", "Paywalled", "Notes",
)
#: The columns this reader needs; a header without them is not the Retraction Watch layout.
REQUIRED: tuple[str, ...] = (
    "Record ID", "Title", "Journal", "RetractionDate", "RetractionDOI", "RetractionPubMedID",
    "OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature", "Reason",
)
#: How the data set writes "no identifier".
MISSING = frozenset({"", "0", "unavailable", "na", "n/a", "none", "null"})

_NATURES = {n.value.casefold(): n for n in Nature}
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# The Reason column can hold long texts; csv's default field limit (128 kB) is kept, a row
# beyond it is reported as malformed rather than read.


def _identifier(kind: str, text: str) -> str:
    text = text.strip()
    if text.casefold() in MISSING:
        return ""
    return identifier_or_empty(kind, text)


def iso_date(text: str) -> str | None:
    """``3/29/2024 0:00`` (the data set's form) or ``2024-03-29`` as ``2024-03-29``; None
    for an empty or impossible date."""
    text = text.strip()
    m = _US_DATE.match(text)
    parts = (m.group(3), m.group(1), m.group(2)) if m else None
    if parts is None and (m := _ISO_DATE.match(text)):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


def reasons(text: str) -> tuple[str, ...]:
    """``+Concerns/Issues About Data;+Duplication of Image;`` as its reasons, in order."""
    out = [r.strip().lstrip("+").strip() for r in text.split(";")]
    return tuple(dict.fromkeys(r for r in out if r))


def check_header(header: list[str]) -> dict[str, int]:
    """Column name -> index; FormatError when a required column is missing."""
    names = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FormatError(
            "this is not the Retraction Watch data set (its header lacks "
            f"{', '.join(missing)}); expected the CSV Crossref publishes")
    return {name: i for i, name in enumerate(names)}


def read_rows(stream: TextIO, skipped: list[tuple[int, str]]) -> Iterator[RetractionWatchRow]:
    """Rows of the data set in ``stream``; malformed ones are appended to ``skipped``.

    The header is checked when the iterator is first advanced, before any row is yielded.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("the Retraction Watch file is empty") from None
    except csv.Error as exc:
        raise FormatError(f"the Retraction Watch file is not readable CSV: {exc}") from None
    index = check_header(header)
    width = len(header)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            skipped.append((reader.line_num, f"unreadable CSV: {exc}"))
            continue
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != width:
            skipped.append((line, f"{len(fields)} fields, expected {width}"))
            continue
        row = _row(fields, index)
        if isinstance(row, str):
            skipped.append((line, row))
        else:
            yield row


def _row(fields: list[str], index: dict[str, int]) -> RetractionWatchRow | str:
    """The row, or the reason it cannot be read."""
    def get(name: str) -> str:
        return fields[index[name]].strip()

    record = get("Record ID")
    if not record.isdigit():
        return f"Record ID {record!r} is not a number"
    nature_text = get("RetractionNature")
    nature = _NATURES.get(nature_text.casefold())
    if nature is None:
        return f"unknown RetractionNature {nature_text!r}"
    original_doi = _identifier("doi", get("OriginalPaperDOI"))
    original_pmid = _identifier("pmid", get("OriginalPaperPubMedID"))
    return RetractionWatchRow(
        record_id=int(record), title=get("Title"), journal=get("Journal"), nature=nature,
        date=iso_date(get("RetractionDate")), reasons=reasons(get("Reason")),
        notice_doi=_identifier("doi", get("RetractionDOI")),
        notice_pmid=_identifier("pmid", get("RetractionPubMedID")),
        original_doi=original_doi, original_pmid=original_pmid)
