"""A line that reads as a reference's citation: what a reference list pasted from a paper, a
Word manuscript or a PDF gives for works that carry no DOI or PMID.

Why: a resident handed a reference list ("1. Patchell RA, Tibbs PA, Regine WF, et al. Direct
decompressive surgical resection… Lancet. 2005;366(9486):643-8.") could import only the
lines with an identifier; the rest were "not recognised". Such a line is looked up in
Crossref's bibliographic search (:mod:`spinelib.sources.citation_match`), whose answer is
taken only when the citation plainly agrees with it, so a wrong line costs a "not found",
never a wrong article.

The promise of :func:`citation_in`: the line, its list number taken off and its spaces
normalised, when it reads as a citation: it starts with an author as reference styles write
one ("Patchell RA", "van der Berg J", "Patchell, R. A.", Chicago's and MLA's "Patchell, Roy
A."; "Spine Oncology Study Group." is not taken: a group's name alone says too little), holds
a year, and is long enough to name a work (eight words or more); '' for anything else (a
heading, prose, a lone title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinelib.text import accent_fold, split_page_range

#: A list number before a reference: "1.", "12)", "[3]", "(4)".
_NUMBER_RE = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])\s*")
#: A year a citation gives (as the look-ups read it).
YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
#: The first author as reference styles write one: a family name (its particles and a
#: hyphen or apostrophe allowed) and initials, Vancouver's "Patchell RA" or APA's
#: "Patchell, R. A." / "Patchell, R.", or the given name Chicago and MLA write out
#: ("Patchell, Roy A.", "Laufer, Ilya, et al."; its initials' dots left to end the author),
#: then what ends an author in a byline.
_FIRST_AUTHOR_RE = re.compile(
    r"^(?P<family>(?:(?:van|von|de|der|den|del|della|di|da|dos|du|la|le|ten|ter)\s+)*"
    # A second word of the name has a small letter: "Costa Matos", never initials ("MH").
    r"[A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]*[a-zß-ÿ][\w'’-]*)?)"
    r"(?:\s+[A-Z]{1,3}\b|,\s+(?:[A-Z]\.\s?){1,3}"
    r"|,\s+(?P<given>[A-ZÀ-Þ][a-zß-ÿ]+(?:[ -][A-ZÀ-Þ][a-zß-ÿ]+)?(?:\s+[A-Z](?=\.))*))"
    # ...then the next author, "et al", the end of the authors or APA's "(2011)": not a word
    # of prose.
    r"\s*(?:[,.;:&(]|et\s+al\b|and\b)")
#: A quoted title, as Chicago and MLA write an article's: "…" or “…”.
_QUOTED_RE = re.compile(r'"[^"]{10,}"|“[^”]{10,}”')
#: Fewest words a citation has (authors, title, source).
MIN_WORDS = 8
#: Longest line taken (a paragraph of prose is no citation).
MAX_CHARS = 700


def citation_in(line: str) -> str:
    """The citation ``line`` is (see the module's promise), or ''."""
    text = " ".join(_NUMBER_RE.sub("", line, count=1).split())
    if not text or len(text) > MAX_CHARS or len(text.split()) < MIN_WORDS:
        return ""
    author = _FIRST_AUTHOR_RE.match(text)
    if not YEAR_RE.search(text) or not author:
        return ""
    # A given name written out reads like prose too ("Surgery, Radiotherapy and …"): such a
    # line is a citation only with the quoted article title Chicago and MLA give.
    if author.group("given") and not _QUOTED_RE.search(text):
        return ""
    return text


#: Where a style puts the year of publication: "(2011)" (APA), "2005;366" (Vancouver, AMA).
_PUBLISHED_RE = re.compile(r"\((1[89]\d\d|20\d\d)[a-z]?\)|(?<!\d)(1[89]\d\d|20\d\d);")


@dataclass(frozen=True)
class CitedWork:
    """What a citation says of its work before any look-up: its first author and year."""

    family: str
    year: int


def cited_work(text: str) -> CitedWork | None:
    """The first author's family name and the year of a citation (see :func:`citation_in`),
    the year where the style puts it ("(2011)", "2005;") before any other year in it (a
    title may name one); None for text that is no citation."""
    cited = citation_in(text)
    author = _FIRST_AUTHOR_RE.match(cited) if cited else None
    if author is None:
        return None
    published = _PUBLISHED_RE.search(cited)
    year = (published.group(1) or published.group(2)) if published else \
        YEAR_RE.findall(cited)[0]
    return CitedWork(author.group("family"), int(year))


@dataclass(frozen=True)
class CitedSource:
    """Where a citation says its work was published: what PubMed's citation matcher asks by
    (with :class:`CitedWork`'s first author and year)."""

    journal: str
    #: '' for a journal that numbers its issues only.
    volume: str
    first_page: str


#: Where the journal's name begins: the line's start, or after the sentence before it (the
#: title's end, its closing quote included).
_AFTER_SENTENCE = r"(?:^|[.?!][”\"]?\s)"
#: A journal's name (no sentence inside), then the volume and first page as styles write
#: them: Vancouver and AMA "J Neurosurg Spine. 2010;13(3):324-8." ("Lancet 2005 Aug
#: 20;366(9486):643-8"); APA "J Clin Oncol, 29(22), 3072-3077."; MLA "The Oncologist, vol.
#: 18, no. 6, 2013, pp. 744–51."; Chicago "Journal of Neurosurgery: Spine 13, no. 3 (2010):
#: 324–28." and "The Oncologist 18 (6): 744–51."; Springer's (Eur Spine J's reference
#: lists, as Crossref gives them) "Bilsky MH, … (2010) Reliability … J Neurosurg Spine
#: 13:324–328".
_SOURCE_RES = [re.compile(_AFTER_SENTENCE + pattern) for pattern in (
    # (A journal numbering issues only, as Clin Orthop Relat Res did: "1988;(233):177-97".)
    r"(?P<journal>[^.?!;]{2,120}?)\.?\s+(?:1[89]|20)\d\d\b[^;:()]{0,16};\s*"
    r"(?:(?P<volume>\d{1,5})\s*(?:\([^)]{0,30}\))?|\(\d{1,5}\))\s*:\s*"
    r"(?P<page>[A-Za-z]?\d{1,6})",
    r"(?P<journal>[^.?!;,]{2,120}?),\s*(?:vol\.\s*)?(?P<volume>\d{1,5})\s*"
    r"(?:\([^)]{0,30}\)|,\s*no\.\s*\d{1,5})?"
    r"(?:,\s*(?:1[89]|20)\d\d)?,\s*"
    r"(?:(?:pp?\.|pages)\s*)?(?P<page>[A-Za-z]?\d{1,6})",
    r"(?P<journal>[^.?!;,]{2,120}?)\s+(?P<volume>\d{1,5})(?:,\s*no\.\s*\d{1,5})?\s*"
    r"\([^)]{1,30}\)\s*:\s*(?P<page>[A-Za-z]?\d{1,6})",
    r"(?P<journal>[^.?!;,]{2,120}?)\s+(?P<volume>\d{1,5})(?:\s*\([^)]{0,30}\))?:\s*"
    r"(?P<page>[A-Za-z]?\d{1,6})")]


def cited_source(text: str) -> CitedSource | None:
    """The journal, volume and first page a citation (see :func:`citation_in`) gives, as
    the styles above write them; None when it gives no such thing (a book, a web page) or
    is no citation. Only a look-up's key: whatever a service answers by it is held to
    :func:`plainly_names`."""
    cited = citation_in(text)
    for pattern in _SOURCE_RES if cited else ():
        found = pattern.search(cited)
        if found:
            journal = found.group("journal").strip(" .,:")
            if any(c.isalpha() for c in journal):
                return CitedSource(journal, found.group("volume") or "", found.group("page"))
    return None


#: A list number that starts a reference: "1.", "12)", "[3]", "(4)", alone or before it.
LIST_NUMBER_RE = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])(?:\s|$)")


def byline_start(line: str) -> str:
    """How ``line`` (its list number aside) begins as a reference's byline does: "initials"
    ("Patchell RA", "Patchell, R. A."), "given" (a given name written out, as Chicago and MLA
    do: "Patchell, Roy A."), or '' when it does not."""
    author = _FIRST_AUTHOR_RE.match(_NUMBER_RE.sub("", line, count=1).lstrip())
    if author is None:
        return ""
    return "given" if author.group("given") else "initials"


#: Of a work's title words (four letters or more), the share a citation of it holds.
TITLE_SHARE = 0.8
_WORD_RE = re.compile(r"[a-z0-9]+")
#: Two parts of a word joined by a hyphen: "neo-plastic" (also "non-surgical", whose parts
#: count as words as well).
_HYPHENATED_RE = re.compile(r"([a-z]+)[-\u2010]([a-z]+)")


def folded_words(text: str) -> list[str]:
    """The words of ``text``, accents folded and lower-cased, as citations are compared."""
    return _WORD_RE.findall(accent_fold(text))


def title_words(title: str) -> list[str]:
    """The words of a title that say something (four letters or more)."""
    return [w for w in folded_words(title) if len(w) >= 4]


def holds_title(citation: str, title: str) -> bool:
    """Whether ``citation`` holds most of ``title``'s words (:data:`TITLE_SHARE`). A word a
    PDF hyphenated at a line's end ("neo-plastic", once the lines are joined) counts whole
    too."""
    wanted = title_words(title)
    folded = accent_fold(citation)
    words = set(_WORD_RE.findall(folded))
    words.update(a + b for a, b in _HYPHENATED_RE.findall(folded))
    return bool(wanted) and sum(w in words for w in wanted) >= TITLE_SHARE * len(wanted)


def numbers_in(text: str) -> set[str]:
    """The numbers in ``text``, also those run into letters (Web of Science's "V13, P324"),
    leading zeros aside."""
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}


def holds_volume_and_page(citation: str, volume: str, pages: str) -> bool:
    """Whether a work's volume and first page are both among ``citation``'s numbers (a
    citation that abbreviates the title still gives them: "Oncologist. 2013;18:744-51")."""
    wanted_volume = numbers_in(volume)
    first_page = numbers_in(split_page_range(pages)[0])
    numbers = numbers_in(citation)
    return bool(wanted_volume and first_page and wanted_volume <= numbers
                and first_page <= numbers)


def names_work(citation: str, title: str, volume: str, pages: str) -> bool:
    """Whether ``citation``, already known to be by the work's first author and of its
    year, names this work: most of its title, or its volume and first page."""
    return holds_title(citation, title) or holds_volume_and_page(citation, volume, pages)


#: A notice's title ("Correction to: …", "Erratum: …", "Retraction notice to …"): it repeats
#: the work's title, authors and year, and a citation of the work itself lacks its first
#: word ("Correction of adult spinal deformity" is no notice: "to", ":" or "notice" follow).
_NOTICE_RE = re.compile(r"\s*(correction|erratum|corrigendum|retraction|retracted|"
                        r"expression of concern|addendum)\s*(?::|to\b|notice\b|for\b)", re.I)


def plainly_names(citation: str, *, year: int | None, family: str, title: str, volume: str,
                  pages: str) -> bool:
    """Whether ``citation`` plainly names the work a service answered with, its first
    author's ``family`` name, ``year``, ``title``, ``volume`` and ``pages`` given: the same
    year (one either way: online and print), the first author's family name in the
    citation, and either most of the title's words in it or the volume and first page among
    its numbers. A correction or retraction notice (which repeats the work's title, authors
    and year) is taken only for a citation of the notice; a work without authors (a group's
    guideline) only by a title of four words or more. Crossref's answers and PubMed's are
    held to this alike, so a look-up costs a "not found", never a wrong article."""
    years = {int(y) for y in YEAR_RE.findall(citation)}
    if year is None or not years & {year - 1, year, year + 1}:
        return False
    words = set(folded_words(citation))
    notice = _NOTICE_RE.match(title)
    if notice and notice.group(1).split()[0].casefold() not in words:
        return False  # a correction or retraction notice of the work, not the work cited
    if family and not set(folded_words(family)) <= words:
        return False
    if holds_title(citation, title):
        return bool(family) or len(title_words(title)) >= 4
    return bool(family) and holds_volume_and_page(citation, volume, pages)
