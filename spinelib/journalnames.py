"""Journal names as citations print them: in title case, and abbreviated where the library
knows the abbreviation an article lacks.

**Title case.** PubMed gives journal names in sentence case ("Journal of neurosurgery.
Spine", "Global spine journal"); a style that prints the full name and leaves its case alone
(Harvard, Cite Them Right) printed them so. :func:`title_case` gives the name its title
case for citing, as the BibTeX export has done for LaTeX; the stored name, and the CSL-JSON
export that SpineLib and Zotero read back, stay as PubMed gave it.

**Abbreviations.**
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

Only citing borrows (reference lists, in-text citations, Word manuscripts), and the article
table's Journal column, which shows a journal as the citations print it; the stored article
is not changed, and exports of the data (BibTeX, RIS, CSL JSON) and the command line's
``list`` give what is stored.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spinelib.records import ArticleRecord
from spinelib.text import TITLE_SMALL_WORDS, accent_fold

#: Record types whose container is a book, not a journal: they never borrow.
IN_BOOK_TYPES = frozenset(("book", "chapter", "conference", "proceedings", "thesis", "report",
                           "webpage"))
_NOT_WORD = re.compile(r"[\W_]+")
#: A word of a journal name (letters first; "3D" and "21st" are not words to capitalise).
_WORD = re.compile(r"[^\W\d_][\w'’]*")


def _upper_one(ch: str) -> str:
    """``ch`` as a capital, or as it is when its capital is not one letter ("ß")."""
    up = ch.upper()
    return up if len(up) == 1 else ch


def title_case(name: str, capital: Callable[[str], str] = _upper_one) -> str:
    """"Global Spine Journal" for PubMed's sentence-case "Global spine journal".

    Only a name in sentence case is changed (no capital after its first word, except
    all-capital acronyms and words after "." or ":"), so "BMJ Open" or "eLife" stay as
    they are. A parenthesised qualifier is PubMed's own and left as it is: "Journal of
    medical imaging (Bellingham, Wash.)" becomes "Journal of Medical Imaging (Bellingham,
    Wash.)". ``capital`` gives a small letter's capital (the BibTeX export passes one that
    keeps letters its ASCII form cannot spell).
    """
    words = [m for m in _WORD.finditer(name)
             if name.count("(", 0, m.start()) <= name.count(")", 0, m.start())]
    if len(words) < 2:
        return name
    for m in words[1:]:
        w = m.group(0)
        before = name[:m.start()].rstrip()
        if w[0].isupper() and not w.isupper() and not before.endswith((".", ":")):
            return name  # already title case (or deliberately mixed)
        if not w[0].isupper() and not w.islower():
            return name  # "eLife", "mBio": leave the name alone
    out = list(name)
    for n, m in enumerate(words):
        w = m.group(0)
        before = name[:m.start()].rstrip()
        if w.islower() and (n == 0 or w not in TITLE_SMALL_WORDS or before.endswith((".", ":"))):
            out[m.start()] = capital(w[0])
    return "".join(out)


def journal_key(name: str) -> str:
    """``name`` folded for matching one journal's spellings: lower case, no accents, words
    only, "&" read as "and", a leading "The" dropped ("" when no word is left)."""
    words = _NOT_WORD.sub(" ", accent_fold(name.replace("&", " and "))).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def phrase_in(phrase: str, name: str) -> bool:
    """Whether ``name`` holds the words of ``phrase`` in a row, the last as a prefix, letter
    case and accents aside: how the search index reads a ``journal:`` phrase, for the
    abbreviation a journal article without one is shown by (``journal:"J Neurosurg"``
    finds "J Neurosurg Spine", ``journal:"Spine J"`` does not)."""
    want, have = _index_words(phrase), _index_words(name)
    if not want:
        return False
    n = len(want)
    return any(have[i:i + n - 1] == want[:-1] and have[i + n - 1].startswith(want[-1])
               for i in range(len(have) - n + 1))


def _index_words(text: str) -> list[str]:
    return re.findall(r"\w+", accent_fold(text).lower())


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
            if not rec.journal_abbrev and rec.journal and rec.type not in IN_BOOK_TYPES:
                abbreviation = self.lookup(rec.journal, rec.issn)
            out.append(dataclasses.replace(rec, journal_abbrev=abbreviation)
                       if abbreviation else rec)
        return out


def _winner(counts: Counter[str]) -> str:
    return min(counts, key=lambda a: (-counts[a], -len(a), a))
