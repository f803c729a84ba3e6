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


def _digits(text: str) -> str:
    """An ISBN's characters without its hyphens and spaces, an ISBN-10's X in capitals."""
    return re.sub(r"[\s-]", "", text).upper()


def _check13(first12: str) -> str:
    """The ISBN-13 check digit of its first twelve digits (weights 1, 3, 1, 3…)."""
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return str(-total % 10)


def checked_isbn(value: str) -> str:
    """``value`` (stripped) when it is an ISBN-10 or ISBN-13 whose check digit holds;
    '' otherwise."""
    text = value.strip()
    digits = _digits(text)
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return text if total % 11 == 0 else ""
    if re.fullmatch(r"97[89]\d{10}", digits):
        return text if digits[12] == _check13(digits[:12]) else ""
    return ""


def first_isbn(values: Sequence[str]) -> str:
    """The first valid ISBN written in any of ``values``, as written ('' for none)."""
    for value in values:
        for m in _CANDIDATE_RE.finditer(value):
            isbn = checked_isbn(m.group(0))
            if isbn:
                return isbn
    return ""


def isbn13(isbn: str) -> str:
    """The ISBN-13 of a valid ISBN, digits only ("0-306-40615-2" -> "9780306406157"), as
    Crossref files books; '' for anything that is not a valid ISBN."""
    if not checked_isbn(isbn):
        return ""
    digits = _digits(isbn)
    if len(digits) == 13:
        return digits
    body = "978" + digits[:9]
    return body + _check13(body)


_LABEL_RE = re.compile(r"^\s*ISBN(?:-1[03])?\s*[:#]?\s*", re.IGNORECASE)


def _unlabelled(text: str) -> tuple[bool, str]:
    """(whether ``text`` is labelled "ISBN", its value without the label and the
    punctuation a line may end it with)."""
    label = _LABEL_RE.match(text)
    return bool(label), (text[label.end():] if label else text).strip().rstrip(".,;")


def isbn_input(text: str) -> str:
    """The ISBN-13 digits of text that is an ISBN alone, as an import takes it: labelled
    ("ISBN 978-0-323-40030-5", "ISBN-10: 0-306-40615-2"), or unlabelled when it cannot be
    another number (thirteen digits starting 978 or 979; an ISBN-10 with its hyphens); ''
    otherwise (a bare ten-digit number is no ISBN here)."""
    label, value = _unlabelled(text)
    if not checked_isbn(value):
        return ""
    if label or len(_digits(value)) == 13 or "-" in value:
        return isbn13(value)
    return ""


def isbn_typo(text: str) -> str:
    """Why text written as an ISBN (labelled, or thirteen digits from 978/979, or hyphens
    in an ISBN's places) is none: its check digit does not fit; '' for other text."""
    label, value = _unlabelled(text)
    digits = _digits(value)
    shaped = re.fullmatch(r"97[89]\d{10}", digits) or (
        re.fullmatch(r"\d{9}[\dX]", digits) and (label or "-" in value))
    if shaped and not checked_isbn(value):
        return (f"{text.strip()!r} is not an ISBN: its last digit, the check digit, does not "
                "fit the others (a digit mistyped?)")
    if label and not shaped:
        return f"{text.strip()!r} is not an ISBN (10 or 13 digits)"
    return ""


#: A DOI whose suffix starts with the book's ISBN-13, as several publishers build their
#: chapters' and books' DOIs: Elsevier "10.1016/B978-0-323-40030-5.00120-4", Springer
#: "10.1007/978-3-319-33037-2_97", Wiley "10.1002/9781118445112.ch1", Taylor & Francis
#: "10.1201/9781315152547-3".
_DOI_ISBN_RE = re.compile(r"^10\.\d{4,9}/B?(97[89](?:-?\d){10})(?!\d)", re.IGNORECASE)


def isbn_in_doi(doi: str) -> str:
    """The ISBN-13 a book's or chapter's DOI is built from, as written there, when its
    check digit holds; '' for any other DOI."""
    m = _DOI_ISBN_RE.match(doi.strip())
    return checked_isbn(m.group(1)) if m else ""
