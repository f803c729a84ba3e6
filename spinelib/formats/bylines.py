"""Author names written "Family Initials", as the line-based formats give them.

MEDLINE and most RIS exports write "Patchell RA"; Embase (on embase.com and on Ovid) writes
"Behan L." and "Lucas J.S.", the initials each followed by a full stop. Both are one person
with a family name and initials, never a group: a reader that took "Lucas J.S." for a
collective name printed it whole in a reference list, sorted it under "L" with its group
word, and braced it as a corporate name in BibTeX.
"""

from __future__ import annotations

import re

from spinelib.records import Author

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
