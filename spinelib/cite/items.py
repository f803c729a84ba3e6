"""One work in an in-text citation as an author wrote it: the key and the words around it
that pandoc's citation syntax allows, a prefix, a locator and a suffix.

In ``[see @doe99, pp. 33-35 and passim]`` they are "see", pages 33-35 and "and passim".

:class:`CitedItem` carries a prefix ("see"), a locator with its CSL label ("33-35",
"page") and a suffix ("and passim"). :func:`split_locator` reads what follows a key the way
pandoc does: a locator term (``p.``, ``pp.``, ``chap.``, ``fig.``, ``sec.``, ``vol.``…) and
its value, or a bare number (a page), then the rest as the suffix. The style decides how
the locator is printed, or whether at all (Vancouver and Spine print none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The locator terms an author types (pandoc's list, CSL 1.0.1's locator types), lower case
#: and without their period, to the CSL label citeproc-py looks up in the locale. "sub
#: verbo", whose value is a word, is left to the suffix.
LOCATOR_TERMS: dict[str, str] = {
    **dict.fromkeys(("bk", "bks", "book", "books"), "book"),
    **dict.fromkeys(("ch", "chap", "chaps", "chapter", "chapters"), "chapter"),
    **dict.fromkeys(("col", "cols", "column", "columns"), "column"),
    **dict.fromkeys(("fig", "figs", "figure", "figures"), "figure"),
    **dict.fromkeys(("fol", "fols", "folio", "folios"), "folio"),
    **dict.fromkeys(("no", "nos", "number", "numbers"), "issue"),
    **dict.fromkeys(("l", "ll", "line", "lines"), "line"),
    **dict.fromkeys(("n", "nn", "note", "notes"), "note"),
    **dict.fromkeys(("op", "opp", "opus", "opera"), "opus"),
    **dict.fromkeys(("p", "pp", "page", "pages"), "page"),
    **dict.fromkeys(("para", "paras", "paragraph", "paragraphs", "¶", "¶¶"), "paragraph"),
    **dict.fromkeys(("pt", "pts", "part", "parts"), "part"),
    **dict.fromkeys(("sec", "secs", "section", "sections", "§", "§§"), "section"),
    **dict.fromkeys(("v", "vv", "verse", "verses"), "verse"),
    **dict.fromkeys(("vol", "vols", "volume", "volumes"), "volume"),
}
_TERM = "|".join(sorted((re.escape(t) for t in LOCATOR_TERMS), key=len, reverse=True))
# A locator value: numbers (with a letter: "12a"), or small roman numerals after a term,
# joined by dashes, commas, "&" or "and" ("33, 35-37"; "iv-vi").
_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PART = rf"(?:\d+[a-z]?|{_ROMAN})"
_JOIN = r"(?:\s*[-–—&]\s*|\s*,\s*|\s+and\s+)"
_END = r"(?=$|[\s,;.)])"
_LABELLED_RE = re.compile(rf"(?P<term>{_TERM})(?:\.\s*|\s+|(?<=[¶§])\s*)"
                          rf"(?P<value>{_PART}(?:{_JOIN}{_PART})*){_END}", re.I)
_BARE_RE = re.compile(rf"(?P<value>\d+[a-z]?(?:{_JOIN}\d+[a-z]?)*){_END}")


@dataclass(frozen=True)
class CitedItem:
    """One cited work: its citation ``key`` and, as typed, a ``prefix`` ("see"), a
    ``locator`` ("33–35") with its CSL ``label`` ("page") and a ``suffix`` ("and passim")."""

    key: str
    locator: str = ""
    label: str = ""
    prefix: str = ""
    suffix: str = ""

    @property
    def plain(self) -> bool:
        """Nothing but the key: a numeric style may fold it into a range ("1–3")."""
        return not (self.locator or self.prefix or self.suffix)


def split_locator(rest: str) -> tuple[str, str, str]:
    """(label, locator, suffix) of the text after a key, as pandoc reads it.

    ``", pp. 33-35 and passim"`` gives ``("page", "33-35", " and passim")``; a bare number
    is a page (``", 89"``); text that starts with no locator is all suffix, kept with its
    comma (``", with suffix"``) so the style's output reads as typed.
    """
    text = rest.lstrip()
    if text.startswith(","):
        text = text[1:].lstrip()
    m = _LABELLED_RE.match(text)
    if m:
        label = LOCATOR_TERMS[m.group("term").lower()]
    else:
        m = _BARE_RE.match(text)
        label = "page"
    if not m:
        return "", "", rest.rstrip()
    return label, m.group("value"), text[m.end():].rstrip()
