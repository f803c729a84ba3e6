"""Author names as the line-based formats (RIS, Ovid) give them, one a value: "Family,
Given", "Family Initials", a group's name (:func:`author_in`).

MEDLINE and most RIS exports write "Patchell RA"; Embase (on embase.com and on Ovid) writes
"Behan L." and "Lucas J.S.", the initials each followed by a full stop. Both are one person
with a family name and initials, never a group: a reader that took "Lucas J.S." for a
collective name printed it whole in a reference list, sorted it under "L" with its group
word, and braced it as a corporate name in BibTeX.
"""

from __future__ import annotations

import re

from spinelib.records import Author
from spinelib.text import one_line

#: "Family AB", "Family A.B.", "de la Cruz M.", "Dupont J.-P.": the family name (any words),
#: then one to four capital initials (a Dutch name often has four: "van der Heijden GJMG"),
#: each optionally followed by a full stop or a hyphen.
_INITIALLED_RE = re.compile(r"(.+?)\s+((?:[A-Z](?:\.-?|-)?\s?){1,4})")


def initialled_name(value: str) -> Author | None:
    """The author a "Family Initials" name is ("Lucas J.S." -> Lucas, initials "JS"), or
    None when ``value`` is not of that form (a group's name, "Family, Given")."""
    m = _INITIALLED_RE.fullmatch(value.strip())
    if m is None or "," in value:
        return None
    return Author(family=m.group(1).strip(), initials=re.sub(r"[^A-Z]", "", m.group(2)))


def author_in(value: str) -> Author | None:
    """The author one byline value names (RIS's ``AU``, Ovid's ``AU``/``FA``), None for an
    empty one: "Family, Given, Suffix" (the RIS specification's form: "Hicks, Michael,
    III"), "Family Initials" (:func:`initialled_name`), a lone word as a family name; any
    other name with a space, or one ending in a comma, is a group's."""
    value = one_line(value)
    if not value:
        return None
    if value.endswith(","):
        return Author(collective=value.rstrip(", "))
    if "," in value:
        parts = [p.strip() for p in value.split(",")]
        family, given = parts[0], parts[1]
        suffix = " ".join(p for p in parts[2:] if p)
        if not family:
            return Author(family=given, suffix=suffix) if given else None
        return Author(family=family, given=given, suffix=suffix)
    initialled = initialled_name(value)
    if initialled is not None:  # "Patchell RA" (MEDLINE's way), "Lucas J.S." (Embase's)
        return initialled
    if " " in value:
        return Author(collective=value)
    return Author(family=value)
