"""ISBNs as the files write them: a book's (and its chapters') number, kept so a library
moved in from Zotero, EndNote or JabRef goes out again with it, and so a colleague can
order the right edition.

Files write ISBNs hyphenated ("978-1-4511-9385-1"), bare ("9781451193851"), labelled
("ISBN 978-1-4511-9385-1 (hardcover)"), several in one field ("9781451193851;
9780323400305") or beside an ISSN or a report number in RIS's one ``SN``. :func:`first_isbn`
takes the first one whose check digit holds, as it is written (the hyphens say where the
group and publisher parts end, which cannot be worked out again without the ISBN
agency's ranges); anything else is no ISBN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A run of digits with hyphens or spaces that could be an ISBN-10 or ISBN-13.
_CANDIDATE_RE = re.compile(r"(?<![\dXx-])\d(?:[\d -]{8,15})[\dXx](?![\dXx-])")


def checked_isbn(value: str) -> str:
    """``value`` (stripped) when it is an ISBN-10 or ISBN-13 whose check digit holds;
    '' otherwise."""
    text = value.strip()
    digits = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return text if total % 11 == 0 else ""
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return text if total % 10 == 0 else ""
    return ""


def first_isbn(values: Sequence[str]) -> str:
    """The first valid ISBN written in any of ``values``, as written ('' for none)."""
    for value in values:
        for m in _CANDIDATE_RE.finditer(value):
            isbn = checked_isbn(m.group(0))
            if isbn:
                return isbn
    return ""
