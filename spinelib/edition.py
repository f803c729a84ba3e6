"""A book's edition, kept as its number where it has one, so every style prints it its way
("4th ed." in Vancouver and AMA, "(4th ed., pp. …)" in APA).

Files write it in their own ways: JabRef and Crossref ``4``, EndNote and PubMed ``4th``,
classic BibTeX's documentation ``Fourth``, others ``4th ed.`` or ``4th edition``. The CSL
processors print an ordinal and "ed." only for a number, so "Fourth" came out as "Benzel's
Spine Surgery. Fourth." :func:`edition_of` reads each of these as ``4``; any other text
("Rev. ed.", "2nd rev. ed.") is kept as written. :func:`edition_words` gives classic BibTeX
the capitalised ordinal its styles expect (``edition = {Fourth}``: plain.bst prints
"Fourth edition").
"""

from __future__ import annotations

import re

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")
#: "4", "4th", "4th ed.", "4th edn", "4th edition", "4. Aufl." (German: "4. Auflage").
_NUMBER_RE = re.compile(r"^(\d{1,3})(?:st|nd|rd|th|\.)?(?:\s*(?:ed|edn|edition|aufl|auflage)"
                        r"\.?)?$", re.IGNORECASE)
_WORD_RE = re.compile(r"^([a-z]+)(?:\s+(?:ed|edn|edition)\.?)?$", re.IGNORECASE)


def edition_of(text: str) -> str:
    """The edition's number as text ("4") when ``text`` names one, else ``text`` with its
    runs of white space collapsed ('' for none)."""
    text = " ".join(text.split())
    if not text:
        return ""
    m = _NUMBER_RE.match(text)
    if m:
        return str(int(m.group(1))) if int(m.group(1)) else text
    w = _WORD_RE.match(text)
    if w and w.group(1).lower() in _ORDINALS:
        return str(_ORDINALS.index(w.group(1).lower()) + 1)
    return text


def edition_words(edition: str) -> str:
    """Classic BibTeX's form of a stored edition: "Fourth" for ``4`` (up to the twentieth;
    beyond, "21st"), anything else as it is."""
    if not edition.isdigit():
        return edition
    n = int(edition)
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1].capitalize()
    return _ordinal(n)


def edition_label(edition: str) -> str:
    """How the Details tab names an edition: "4th ed." for ``4``, other text as it is."""
    if not edition.isdigit():
        return edition
    return f"{_ordinal(int(edition))} ed."


def _ordinal(n: int) -> str:
    """"1st", "2nd", "3rd", "4th", "11th", "21st"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
