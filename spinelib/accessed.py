"""When a web page was read: the date the citation styles print for online sources
("[cited 2026 Dec 5]" in Vancouver, "Accessed December 5, 2026" in AMA), kept as an ISO date.

Files write it in their own ways: BibTeX's ``urldate`` as ``2026-12-05``, Zotero's RIS ``Y2``
as ``2026-12-05 09:14:03``, EndNote's as ``2026/12/05/`` or "December 5, 2026", CSL-JSON's
``accessed`` as date parts. :func:`iso_accessed` reads each into one form; the writers and
the citation engine read it back with :func:`accessed_parts`.
"""

from __future__ import annotations

import re

from spinelib.text import parse_month, valid_day

_ISO_RE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[/T\s].*)?$")
_WORDS_RE = re.compile(r"^\s*(?:(\d{1,2})\s+)?([A-Za-z]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})\s*$")


def iso_accessed(text: str) -> str:
    """``text`` as ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``); '' when it is no date."""
    if not text:
        return ""  # most records have none
    m = _ISO_RE.match(text)
    if m:
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
    else:
        w = _WORDS_RE.match(text)  # "5 December 2026", "Dec 5, 2026", "December 2026"
        if w is None or parse_month(w.group(2)) is None or (w.group(1) and w.group(3)):
            return ""
        year, month, day = int(w.group(4)), str(parse_month(w.group(2))), w.group(1) or w.group(3)
    return iso_of(year, int(month) if month else None, int(day) if day else None)


def iso_of(year: int, month: int | None, day: int | None) -> str:
    """The ISO form of a year, month and day (given as far as known); '' when any given
    part cannot be (month 13, 30 February): a date half right is not kept as if right."""
    if not 1000 <= year <= 9999 or (month is not None and not 1 <= month <= 12) or (
            day is not None and (month is None or valid_day(year, month, day) != day)):
        return ""
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def accessed_parts(iso: str) -> list[int]:
    """[year, month, day] (as many as known) of a stored date; [] when there is none."""
    return [int(p) for p in iso.split("-")] if re.fullmatch(r"\d{4}(-\d{2}){0,2}", iso) else []


def valid_accessed(stored: str) -> str:
    """``stored`` when it is an ISO date as :func:`iso_accessed` makes them, else '' (what a
    writer may put in a file as it is)."""
    return stored if accessed_parts(stored) else ""
