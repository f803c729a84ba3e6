"""Journal abbreviations the library already knows, lent to the articles it cites without one.

Vancouver, AMA, Spine and most medical styles cite a journal by its abbreviation (CSL's
``container-title`` in its short form: "J Neurosurg Spine"); when an article has none the style
prints the full name ("Journal of Neurosurgery: Spine"), which a journal's copy-editor sends
back. Articles imported from PubMed, MEDLINE, Crossref or Web of Science carry NLM's or the
publisher's abbreviation; a ``.bib`` from JabRef, Google Scholar or Mendeley, or a RIS file
without ``J2``, usually does not. Zotero abbreviates such journals when it cites them (from
the MEDLINE list it ships); SpineLib, which ships no list, lends each one the abbreviation its
own library holds for the same journal, found by its name folded (letter case, accents,
punctuation, a leading "The", "&" for "and"), so "Journal of Neurosurgery: Spine" finds
PubMed's "Journal of neurosurgery. Spine". A journal the library holds only under other
words (BBA's "Biochimica et Biophysica Acta (BBA) - Molecular Cell Research" beside PubMed's
"Biochimica et biophysica acta. Molecular cell research") is not matched: that takes a list
of every journal's names, which SpineLib does not ship.

Only citing borrows (reference lists, in-text citations, Word manuscripts); the stored article
is not changed, and exports of the data (BibTeX, RIS, CSL JSON) write what is stored.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spinelib.records import ArticleRecord

#: Record types whose container is a book, not a journal: they never borrow.
_IN_BOOK = frozenset(("book", "chapter", "conference", "proceedings", "thesis", "report",
                      "webpage"))
_NOT_WORD = re.compile(r"[\W_]+")


def journal_key(name: str) -> str:
    """``name`` folded for matching one journal's spellings: lower case, no accents, words
    only, "&" read as "and", a leading "The" dropped ("" when no word is left)."""
    plain = unicodedata.normalize("NFKD", name.replace("&", " and "))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", plain.casefold()).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def issn_key(issn: str) -> str:
    """An ISSN as digits and check character ("15475654"; "" when it is not eight of them)."""
    key = re.sub(r"[^0-9Xx]", "", issn).upper()
    return key if len(key) == 8 else ""


@dataclass(frozen=True)
class KnownAbbreviation:
    """One (journal, abbreviation, ISSN) the library holds, on ``count`` articles."""

    journal: str
    abbreviation: str
    issn: str
    count: int


class JournalAbbreviations:
    """The abbreviations a library knows for journals, by folded name (and ISSN).

    A name with the ISSN asked for answers first: two journals may share a name ("Spine" is
    also a Japanese journal's), an ISSN tells them apart. Where articles of one journal
    disagree (Crossref's "Spine" beside PubMed's "Spine (Phila Pa 1976)"), the abbreviation
    on more of them wins, then the longer (the fuller form), then the first in alphabetical
    order, so the choice never depends on the order of the rows.
    """

    def __init__(self, known: Iterable[KnownAbbreviation]) -> None:
        by_pair: dict[tuple[str, str], Counter[str]] = {}
        by_name: dict[str, Counter[str]] = {}
        for row in known:
            abbreviation = " ".join(row.abbreviation.split())
            name = journal_key(row.journal)
            if not abbreviation or not name or row.count <= 0:
                continue
            by_name.setdefault(name, Counter())[abbreviation] += row.count
            issn = issn_key(row.issn)
            if issn:
                by_pair.setdefault((name, issn), Counter())[abbreviation] += row.count
        self._by_pair = {k: _winner(c) for k, c in by_pair.items()}
        self._by_name = {k: _winner(c) for k, c in by_name.items()}

    def __len__(self) -> int:
        return len(self._by_name)

    def lookup(self, journal: str, issn: str = "") -> str:
        """The abbreviation of the journal of this name ("" when none is known): the one
        held with this ISSN when there is one, else the one held under the name."""
        name = journal_key(journal)
        if not name:
            return ""
        return self._by_pair.get((name, issn_key(issn)), "") or self._by_name.get(name, "")

    def lend(self, records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
        """``records`` in order, each journal article without an abbreviation given a copy with
        the one known for its journal; the others (and every given record) are unchanged."""
        out: list[ArticleRecord] = []
        for rec in records:
            abbreviation = ""
            if not rec.journal_abbrev and rec.journal and rec.type not in _IN_BOOK:
                abbreviation = self.lookup(rec.journal, rec.issn)
            out.append(dataclasses.replace(rec, journal_abbrev=abbreviation)
                       if abbreviation else rec)
        return out


def _winner(counts: Counter[str]) -> str:
    return min(counts, key=lambda a: (-counts[a], -len(a), a))
