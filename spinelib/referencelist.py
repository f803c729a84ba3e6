"""An article's own reference list read from text: what a user pastes from the paper (its
PDF, its journal page) when PubMed and Crossref hold no list for it, or what SpineLib finds
under the "References" heading of the article's stored full text.

Why: reference chasing (the References tab, ``spinelib refs``) needs the list, and many
papers have none at PubMed or Crossref (an older paper, a publisher that deposits none, a
guideline typed in by hand). With the list stored, its entries are marked when in the
library, their DOIs and PMIDs found (``refs --find-dois``) and imported as any list's.

Promises of :func:`read_reference_list`: one entry per reference, in the text's order,
numbered from 1, its citation as written (its list number taken off), with the DOI, PMID
and PMCID written in it; a reference wrapped over several lines (a PDF's columns, a narrow
window) is one entry, joined as the import joins pasted references
(:func:`~spinelib.identifiertext.reference_lines`). A line that is neither a citation nor
holds an identifier (a heading, a page number, a running head) is no entry: it is returned
among ``skipped``, so nothing read is dropped unsaid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spinelib.citationtext import LIST_NUMBER_RE, citation_in
from spinelib.identifiertext import identifiers_in_line, reference_lines
from spinelib.records import ReferenceEntry
from spinelib.results_files import FulltextPart

#: Section names that mean the reference list (compared case-folded, spaces squashed; a
#: colon after one and a section number before it allowed): a PDF's heading, a manuscript's.
HEADINGS = frozenset({"references", "reference list", "references cited", "bibliography",
                      "literature", "literature cited", "cited literature", "works cited"})
#: A page number a PDF's page ended with, joined to the last reference on it (a number
#: alone after a reference is read as its PMID's line by the import's joining).
_PAGE_NUMBER_AFTER = re.compile(r"(?<=\.)\s+(\d{1,4})$")
#: A section number typed before a heading: "5. References", "7 Literature cited", "VI.".
SECTION_NUMBER = re.compile(r"(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.)\s+")


@dataclass
class ReadReferences:
    """A reference list read from text: its entries, and the lines that were none."""

    entries: list[ReferenceEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def identified(self) -> int:
        """How many entries carry a DOI, PMID or PMCID."""
        return sum(1 for e in self.entries if e.has_identifier)


def heading_name(text: str) -> str:
    """``text`` as a heading is compared with :data:`HEADINGS`: spaces squashed, a colon
    after it and a section number before it taken off, case-folded."""
    name = " ".join(text.split()).rstrip(":").rstrip()
    number = SECTION_NUMBER.match(name)
    return (name[number.end():] if number else name).casefold()


def read_reference_list(text: str) -> ReadReferences:
    """The references in ``text`` (see the module's promises)."""
    read = ReadReferences()
    for line in reference_lines(text):
        identifiers = identifiers_in_line(line)
        if heading_name(line) in HEADINGS or not (identifiers or citation_in(line)):
            read.skipped.append(line)
            continue
        page = _PAGE_NUMBER_AFTER.search(line)
        if page:
            read.skipped.append(page.group(1))
            line = line[:page.start()]
        number = LIST_NUMBER_RE.match(line)
        entry = ReferenceEntry(len(read.entries) + 1,
                               line[number.end():].strip() if number else line)
        for ident in identifiers:
            # The first of each kind: a reference names one work.
            if ident.kind in ("doi", "pmid", "pmcid") and not getattr(entry, ident.kind):
                setattr(entry, ident.kind, ident.value)  # a DOI lower-cased by its parser
        read.entries.append(entry)
    return read


def references_in_fulltext(parts: Sequence[FulltextPart]) -> str:
    """The text of the reference list in an article's stored full text, '' when it has
    none: an open-access text's references one per line, numbered, else what follows the
    last "References" heading (:data:`HEADINGS`, alone on its line) of its PDF's pages."""
    cited = [p.body for p in parts if p.kind == "reference" and p.body.strip()]
    if cited:
        return "\n".join(f"{n}. {' '.join(body.split())}" for n, body in enumerate(cited, 1))
    lines = [line for p in parts if p.kind == "page" for line in p.body.splitlines()]
    for at in range(len(lines) - 1, -1, -1):
        if heading_name(lines[at]) in HEADINGS:
            return "\n".join(lines[at + 1:]).strip()
    return ""
