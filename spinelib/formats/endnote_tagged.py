"""EndNote's tagged text (``.enw``, the Refer layout): what Google Scholar's "EndNote" link
and many publishers' "Download citation" buttons give, and EndNote's own tagged export.

A record is lines of ``%`` + one character + a space + the value, the first ``%0`` naming
the reference type in EndNote's words ("Journal Article", "Book Section"); records are
separated by blank lines, and a line without a tag goes on the value before it (an
abstract's paragraphs)::

    %0 Journal Article
    %T Direct decompressive surgical resection in the treatment of spinal cord compression
    %A Patchell, Roy A
    %J The Lancet
    %V 366
    %N 9486
    %P 643-648
    %D 2005
    %R 10.1016/S0140-6736(05)66954-1

The fields are EndNote's, the same as its RIS and XML exports carry, so each record is
turned into RIS tags and read by the RIS reader's rules
(:func:`spinelib.formats.ris.read.record_from_tags`), as EndNote XML is: types, dates, ISSNs
among ISBNs, a PMID only from PubMed, a DOI in "Electronic Resource Number".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spinelib.formats.common import ReadResult, record_place
from spinelib.formats.endnote_xml import ONE_PER_LINE, TYPE_TO_RIS
from spinelib.formats.ris.read import record_from_tags
from spinelib.formats.ris.write import as_written
from spinelib.text import iter_lines

_TAG_RE = re.compile(r"^%(.) ?(.*)$")
#: EndNote's tag -> the RIS tag its RIS export writes for the same field.
_FIELDS = {
    "A": "AU", "E": "A2", "Y": "A3", "T": "TI", "J": "JF", "B": "T2", "S": "T3", "D": "PY",
    "8": "DA", "V": "VL", "N": "IS", "P": "SP", "@": "SN", "R": "DO", "M": "AN", "~": "DB",
    "W": "DP", "U": "UR", "X": "AB", "K": "KW", "Z": "N1", "I": "PB", "C": "CY", "9": "M3",
    "G": "LA", "!": "ST", "1": "C1", "2": "C2", "7": "ET", ">": "L1", "O": "JA",
    "[": "Y2",  # the access date
}


def _split(text: str) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """(first line, [(tag, value)…]) per record: a blank line or a new ``%0`` ends one."""
    start = 0
    tags: list[tuple[str, str]] = []
    for lineno, line in enumerate(iter_lines(text.lstrip("\ufeff")), 1):
        m = _TAG_RE.match(line) if line.startswith("%") else None
        if m is None:
            if line.strip() and tags:
                tag, value = tags[-1]
                tags[-1] = (tag, f"{value}\n{line.strip()}")
            elif not line.strip() and tags:
                yield start, tags
                tags = []
            continue
        if m.group(1) == "0" and tags:
            yield start, tags
            tags = []
        if not tags:
            start = lineno
        tags.append((m.group(1), m.group(2).strip()))
    if tags:
        yield start, tags


def ris_tags(tags: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One record's EndNote tags as the RIS tag values EndNote's RIS export would write."""
    kind = next((v for t, v in tags if t == "0"), "")
    out = [("TY", TYPE_TO_RIS.get(kind.strip().casefold(), "GEN"))]
    for tag, value in tags:
        ris = _FIELDS.get(tag)
        if ris is None:
            continue
        values = value.split("\n") if ris in ONE_PER_LINE else [value]
        out.extend((ris, as_written(ris, v.strip())) for v in values if v.strip())
    return out


def read_endnote_tagged(text: str, source_name: str = "(text)") -> ReadResult:
    """The registry's reader for EndNote tagged text; a record with neither a title nor an
    identifier is named by its number and line, and skipped."""
    return ReadResult.of_records(
        (record_from_tags(ris_tags(tags), record_place(source_name, number, line), "enw")
         for number, (line, tags) in enumerate(_split(text), 1)),
        f"{source_name} has no EndNote records")
