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
from collections.abc import Iterable

from spinelib.formats.entities import decode_entities
from spinelib.identifiers import DOI_IN_TEXT_RE, identifier_or_empty
from spinelib.records import ReferenceEntry
from spinelib.text import one_line

#: A record exported by Scopus, by its DB (or DP) line.
SCOPUS_RE = re.compile(r"\bscopus\b", re.I)
#: Document types that are SpineLib article types of their own.
DOCUMENT_TYPES = {"review": "review", "erratum": "erratum"}
#: N1 values that are Scopus's bookkeeping.
_BOOKKEEPING_RE = re.compile(r"^\s*(?:Export Date\s*:|Cited By\s*:?\s*\d)", re.I)
_REFERENCES_RE = re.compile(r"^\s*References\s*:\s*", re.I)


def scopus_notes(values: list[str]) -> tuple[list[str], list[ReferenceEntry]]:
    """Scopus's N1 values as (the notes to keep, the cited references)."""
    notes: list[str] = []
    references: list[ReferenceEntry] = []
    for value in values:
        m = _REFERENCES_RE.match(value)
        if m:
            references += reference_entries(value[m.end():].split("\n"), len(references))
        elif not _BOOKKEEPING_RE.match(value):
            notes.append(value)
    return notes, references


def reference_entries(citations: Iterable[str], before: int = 0) -> list[ReferenceEntry]:
    """Scopus's cited works as reference entries numbered after ``before``: each citation
    as Scopus writes it ("A, (1986) J, 56, p. 1;", "B, … , https://doi.org/10.…"), with the
    DOI it links; blank ones left out. Its RIS gives them one a line, its CSV joined by
    "; "."""
    out: list[ReferenceEntry] = []
    for line in citations:
        citation = one_line(decode_entities(line)).rstrip(";").strip()
        if not citation:
            continue
        m = DOI_IN_TEXT_RE.search(citation)
        doi = identifier_or_empty("doi", m.group(0).rstrip(".,;")) if m else ""
        out.append(ReferenceEntry(before + len(out) + 1, citation, doi))
    return out
