"""A year typed among the words of a search, as a paper is recalled ("patchell 2005",
"fisher 2010 instability"): the articles of that year, or with that number in their text.

Why: a year was searched as a word of the text, and an article's year is no word of its
title or abstract, so "patchell 2005" found nothing, though the library held Patchell's
2005 trial (Zotero's "Title, Creator, Year" search and PubMed's both take it). A title that
holds the number ("2016 WHO classification") is still found by it.

Promises of :func:`years_as_either`: only a plain, unquoted year (1800-2099) standing among
words is read so, and an excluded one (``-2013``, ``NOT 2013``) leaves out the articles of
that year as well as those with the number in their text; a quoted "2005", sought or
excluded (``-"2013"``), stays a word of the text, ``year:`` terms are the parser's, and a
year beside ``OR`` or inside parentheses is left to the full-text query as written, where
it is one side of a group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spinelib.curation_results import FieldTerm

#: A year as a paper's year is written: four digits, 1800-2099.
_BARE_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def years_as_either(items: Sequence[FieldTerm | str]) -> list[FieldTerm | str]:
    """``items`` (the parser's terms and free tokens, in the order typed) with each bare
    year standing among words as an ``any`` term: that year, or that number in the text."""
    out: list[FieldTerm | str] = []
    depth = 0
    for at, item in enumerate(items):
        if not isinstance(item, str):
            # A quoted exclusion keeps its quotes (-"2013": the number in the text only).
            excluded = item.kind == "text" and item.negated and _BARE_YEAR.fullmatch(item.text)
            out.append(_either(item.text, negated=True) if excluded else item)
            continue
        depth += item.count("(") - item.count(")")
        beside_or = "OR" in (items[at - 1] if at else None, items[at + 1]
                             if at + 1 < len(items) else None)
        if depth or beside_or or not _BARE_YEAR.fullmatch(item):
            out.append(item)
            continue
        out.append(_either(item))
    return out


def sought_years(terms: Sequence[FieldTerm]) -> list[str]:
    """The bare years ``terms`` seek (not those excluded), as typed: the words a search's
    places are found by when it has no other free text ("2015" alone)."""
    return [t.alternatives[-1].text for t in terms
            if t.kind == "any" and not t.negated and len(t.alternatives) == 2
            and _BARE_YEAR.fullmatch(t.alternatives[-1].text)
            and t == _either(t.alternatives[-1].text)]


def _either(year: str, negated: bool = False) -> FieldTerm:
    """The articles of ``year`` or with it in their text (``negated``: neither)."""
    return FieldTerm("any", alternatives=(FieldTerm("year", year, int(year), int(year)),
                                          FieldTerm("text", year)), negated=negated)
