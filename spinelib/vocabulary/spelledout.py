"""What the vocabulary's abbreviations stand for, as words a search can look for: "SINS" is
"spinal instability neoplastic score", "PVP" "vertebroplasty" and "percutaneous
vertebroplasty".

Why: a surgeon types the abbreviation ("SINS", "BKP", "LITT") where the paper spells it out
in its title and abstract, and a search for the abbreviation alone found nothing. The
library's "Did you mean …?" (:mod:`spinelib.library.spelling`) offers the abbreviation
together with these words.

Promises of :func:`spelled_out_table`: each abbreviation of a technique (its tag's names:
label and synonyms) or of a facet value (a score's, a histology's: its terms), matched as
written (abbreviations are case-sensitive: "MISt" is not "MIS"); at most :data:`MOST`
phrases each, in the vocabulary's order of what they find, none holding the abbreviation
itself or anything but letters, digits, spaces and hyphens (a search's words, no
pattern), nor another of them ("vertebroplasty" finds what "percutaneous vertebroplasty"
finds).
Where two entries share an abbreviation, the first in vocabulary order keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from spinelib.vocabulary.model import TagDef
from spinelib.vocabulary.schema import abbr_text

#: Phrases given for one abbreviation (the first are the commonest spellings).
MOST = 3
_PLAIN = re.compile(r"[\w\- ]+")


def spelled_out_table(tags: Sequence[TagDef], facets: Mapping[str, Any]
                      ) -> dict[str, tuple[str, ...]]:
    """abbreviation -> the phrases it stands for (the module's promises)."""
    table: dict[str, tuple[str, ...]] = {}
    for tag in tags:
        for abbr in tag.abbreviations:
            table.setdefault(abbr, _phrases(abbr, tag.synonyms or (tag.label,)))
    for name, facet in facets.items():
        values = facet.get("values", ()) if isinstance(facet, Mapping) else ()
        for value in values:
            for item in value.get("abbreviations", ()):
                abbr = abbr_text(item, f"facet {name!r}")
                table.setdefault(abbr, _phrases(abbr, value.get("terms", ())))
    return {abbr: phrases for abbr, phrases in table.items() if phrases}


def _phrases(abbr: str, names: Iterable[str]) -> tuple[str, ...]:
    plain: list[str] = []
    for name in names:
        words = " ".join(str(name).split())
        if (words and _PLAIN.fullmatch(words) and abbr.casefold() not in words.casefold().split()
                and words.casefold() not in (o.casefold() for o in plain)):
            plain.append(words)
    # A phrase holding a shorter one finds nothing more ("percutaneous vertebroplasty"
    # beside "vertebroplasty"): left out, so the search stays short.
    kept = [p for p in plain if not any(o != p and _within(o, p) for o in plain)]
    # Each in the place of the commonest spelling it stands for: "spinal instability
    # neoplastic" where "spinal instability neoplastic score" stood, first.
    kept.sort(key=lambda p: min(at for at, o in enumerate(plain) if _within(p, o)))
    return tuple(kept[:MOST])


def _within(short: str, long: str) -> bool:
    """Whether ``short``'s words stand together in ``long`` (letter case aside)."""
    return f" {short.casefold()} " in f" {long.casefold()} "
