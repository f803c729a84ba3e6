"""What Scopus's RIS export ("DB  - Scopus") says in its own places, read as SpineLib's
fields rather than as an EndNote file's.

Scopus writes a record's PubMed ID in C2 (where EndNote keeps a PMCID, written "PMC…") and
its document type in M3 ("Article", "Review", "Erratum", "Retracted"…); and it fills N1
with its own data: "Export Date: …" and "Cited By :N" (bookkeeping, not the surgeon's
notes: dropped) and "References: …", the cited works one a line (the article's own
reference list, with the DOIs Scopus links). Other N1 values (a correspondence address,
funding) are kept as notes, as every reader keeps N1.
"""

from __future__ import annotations

import re

from spinelib.formats.scopus import BOOKKEEPING_RE, reference_entries
from spinelib.records import ReferenceEntry

#: A record exported by Scopus, by its DB (or DP) line.
SCOPUS_RE = re.compile(r"\bscopus\b", re.I)
_REFERENCES_RE = re.compile(r"^\s*References\s*:\s*", re.I)


def scopus_notes(values: list[str]) -> tuple[list[str], list[ReferenceEntry]]:
    """Scopus's N1 values as (the notes to keep, the cited references)."""
    notes: list[str] = []
    references: list[ReferenceEntry] = []
    for value in values:
        m = _REFERENCES_RE.match(value)
        if m:
            references += reference_entries(value[m.end():].split("\n"), len(references))
        elif not BOOKKEEPING_RE.match(value):
            notes.append(value)
    return notes, references
