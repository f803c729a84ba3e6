"""ISSNs as the files write them: the one to keep of a journal's several, and the forms
without a hyphen that some databases export."""

from __future__ import annotations

import re
from collections.abc import Sequence

_ISSN_RE = re.compile(r"(?<![\dXx-])(\d{4}-\d{3}[\dXx])(?![\dXx-])")
#: An ISSN written without its hyphen, alone on its line with a label: Scopus's RIS
#: "10837159 (ISSN)". Taken only labelled and when its check digit holds: eight bare
#: digits could be anything (a report's number, in the same RIS field).
_BARE_ISSN_RE = re.compile(r"^\s*(\d{7}[\dXx])\s*\([^)]*\)\s*$")


def _issn_in(line: str) -> str:
    m = _ISSN_RE.search(line)
    if m:
        return m.group(1).upper()
    bare = _BARE_ISSN_RE.match(line)
    return checked_issn(bare.group(1)) if bare is not None else ""


def checked_issn(value: str) -> str:
    """``value`` as an ISSN, hyphenated ("14639076" and "1463-9076" -> "1463-9076"), when
    it is eight characters whose check digit holds (ISO 3297); '' otherwise."""
    digits = value.strip().replace("-", "").upper()
    if not re.fullmatch(r"\d{7}[\dX]", digits):
        return ""
    check = -sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1))) % 11
    return f"{digits[:4]}-{digits[4:]}" if digits[7] == "0123456789X"[check] else ""


def pick_issn(values: Sequence[str]) -> str:
    """The ISSN to keep from values like '0140-6736 (Print)': Print, then Linking, then any.

    PubMed lists the electronic ISSN first; libraries and the PubMed XML parser keep the
    print one.
    """
    for wanted in ("print", "linking", ""):
        for v in values:
            for line in v.split("\n"):
                issn = _issn_in(line)
                if issn and wanted in line.lower():
                    return issn
    return ""
