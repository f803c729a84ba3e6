"""Evidence tables: one row per study, as CSV for Excel (UTF-8 with a BOM) or as XLSX.

Pure writers over rows of cell values in :data:`HEADER` order (the library assembles the
rows). Whoever wrote a value, no cell ever becomes a formula: in CSV a value starting with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which Excel strips before
looking) is prefixed with an apostrophe, the OWASP advice for CSV injection; in XLSX every
text cell is stored as a string, never parsed as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

Cell = str | int | None

#: The table's columns, in this order (issue 17).
HEADER: tuple[str, ...] = (
    "citekey", "first_author", "year", "journal", "pmid", "doi", "design", "level",
    "level_reason", "n", "histology", "region", "techniques", "comparator", "follow_up",
    "outcomes", "notes", "retracted", "read_status",
)
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """``value`` made inert for a spreadsheet: a leading apostrophe when it could start a
    formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _text(value: Cell) -> str:
    return "" if value is None else str(value)


def write_csv(rows: Sequence[Sequence[Cell]]) -> str:
    """The table as CSV text starting with a BOM (so Excel reads UTF-8), CRLF line ends."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([escape_formula(_text(v)) for v in row])
    return out.getvalue()


def write_xlsx(rows: Sequence[Sequence[Cell]]) -> bytes:
    """The table as an XLSX workbook (one sheet, bold header, frozen first row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Evidence"
    ws.append(list(HEADER))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, int):
                cell.value = value
            else:
                cell.value = _text(value)
                # openpyxl reads a leading "=" as a formula; a study field never is one.
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
