"""CSV text as databases and spreadsheets write it: a header row, then one row a record.

Shared by the readers of CSV exports: a Scopus export read as records
(:mod:`spinelib.formats.scopus_csv`) and the CSVs read for their identifier columns
(:mod:`spinelib.identifierfiles`). Promises: a byte-order mark and Excel's ``sep=`` hint
line are dropped; the separator is the one the hint names, else the one of comma,
semicolon and tab the header uses most (a European Excel saves with semicolons); every row
knows the line it starts on (a quoted abstract spans several), for messages; a field as
long as a review's whole reference list is read (the csv module stops at 128 KB).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from spinelib.errors import FormatError

#: The longest field read (the csv module's own limit is 131,072 characters, which a
#: Scopus row's "References" of a long review can pass).
FIELD_LIMIT = 1 << 24
_SEP_HINT_RE = re.compile(r"sep=(.)\r?")


@dataclass
class CsvTable:
    """A CSV's header and rows; ``text`` is the CSV without its BOM and ``sep=`` line."""

    text: str
    header: list[str]
    #: (the line the row starts on, its cells), blank rows left out.
    rows: list[tuple[int, list[str]]]


def separator_and_body(text: str) -> tuple[str, str, int]:
    """(the separator, the text from the header on, lines dropped before it)."""
    text = text.lstrip("\ufeff")
    first, _, rest = text.partition("\n")
    hint = _SEP_HINT_RE.fullmatch(first)
    if hint:  # Excel's hint line: "sep=;"
        return hint.group(1), rest, 1
    return max(",;\t", key=first.count), text, 0


def read_csv_table(text: str, source_name: str) -> CsvTable:
    """The table in ``text``; FormatError naming ``source_name`` when it cannot be parsed."""
    separator, body, skipped = separator_and_body(text)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(body), delimiter=separator)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    ended = 0  # the line the previous row ended on
    try:
        for cells in reader:
            start, ended = ended + 1, reader.line_num
            if not header and not rows:
                header = cells
            elif any(cell.strip() for cell in cells):
                rows.append((start + skipped, cells))
    except csv.Error as exc:
        raise FormatError(f"{source_name} is not a CSV file that can be read ({exc})") from None
    return CsvTable(body, header, rows)
