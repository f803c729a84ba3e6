"""The DOI of a PDF's paper found from its first page, when the file names no DOI or PMID:
Crossref's bibliographic query, each answer checked against the page.

Why: a PDF saved from an older issue, a congress handout or a colleague's e-mail often
prints no DOI, and was kept as an unidentified article for the surgeon to fix by hand. Its
first page holds what a citation holds, and more: the whole title, the authors, the year
(the running head, the copyright line, "Received … 2009"). So the page is searched like a
citation (:mod:`spinelib.sources.citation_match`), with the PDF's own title, when its
metadata has one, first.

Promises:

- **Never a wrong DOI on a guess.** An answer is taken only when the page plainly is it:
  the work's whole title, word for word, on the page (a word hyphenated at a line's end
  counts whole too; a title of four words or more: a short one could be a heading of
  another paper); its first author's family name on the
  page; and its year, one either way, among the page's years. A correction notice's title
  repeats the work's: such a notice is taken only for a page that says "correction". A
  page whose heading (its largest type) opens as being about another work ("Re: …",
  "Comment on …", "Erratum: …", "Reply …"), or is a title of its own, is not that work's,
  though it names its title, first author and year as a commentary or a letter does.
- A page too short to be a paper's first page (fewer than :data:`MIN_WORDS` words) or
  without a year is not looked up: no request at all.
- One request (Crossref's list class, its limits, timeouts, retries and ``Retry-After``:
  :mod:`spinelib.sources.limits`); NetworkError or ServiceError as the client raises them.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

from spinelib.citationtext import YEAR_RE, folded_words, plainly_names
from spinelib.records import ArticleRecord
from spinelib.sources.citation_match import first_agreeing

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: Fewest words a first page has to be searched by.
MIN_WORDS = 30
#: Fewest words of a title taken as the page's own (a short title could be anything's).
MIN_TITLE_WORDS = 4
#: A word the page hyphenated at a line's end ("neo-" / "plastic"): read whole as well.
_LINE_END_HYPHEN = re.compile(r"(\w)[-\u2010\u00ad][ \t]*\r?\n[ \t]*(\w)")
#: Share of a heading's words a work's title holds, at least, when their first words
#: differ (a label set in the title's size before it, a subtitle the work's record lacks).
HEADING_SHARE = 0.6
#: A heading's first word that makes the page about another work than the one it names.
_ABOUT_ANOTHER = frozenset({
    "re", "regarding", "comment", "comments", "commentary", "reply", "response", "letter",
    "erratum", "errata", "correction", "corrigendum", "retraction", "retracted",
    "withdrawn", "editorial", "expression"})
#: Characters of the page read (its head: title, authors, abstract, the running head).
PAGE_HEAD_CHARS = 4000


def on_page(page: str, work: ArticleRecord, heading: str = "") -> bool:
    """Whether ``page`` (a first page's text) plainly is ``work``'s, a service's answer with
    its DOI (see the promises)."""
    return bool(work.doi) and is_page_of(page, work, heading)


def is_page_of(page: str, work: ArticleRecord, heading: str = "") -> bool:
    """Whether ``page`` plainly is ``work``'s first page, by the page alone: its whole title
    (of :data:`MIN_TITLE_WORDS` words or more), first author and year, as the promises say;
    a work the library holds is held to it with or without an identifier. ``heading``: the
    page's own title in its largest type, when known; a page headed as being about another
    work ("Re: …", "Comment on …", "Erratum: …") is not that work's."""
    title = folded_words(work.title)
    if len(title) < MIN_TITLE_WORDS or _about_another(heading, title):
        return False
    wanted = f" {' '.join(title)} "
    if not any(wanted in f" {' '.join(folded_words(text))} "
               for text in (page, _LINE_END_HYPHEN.sub(r"\1\2", page))):
        return False
    family = next((a.family for a in work.authors if a.family), "")
    # plainly_names: the year, the author, a correction notice; the title is on the page.
    return bool(family) and plainly_names(page, year=work.year, family=family,
                                          title=work.title, volume=work.volume,
                                          pages=work.pages)


def _about_another(heading: str, title: list[str]) -> bool:
    """Whether a page's ``heading`` says the page is another work's than the one titled
    ``title`` (folded words): it opens with a word such as "Re", "Comment", "Reply" or
    "Erratum" that the title does not, or it is a title of its own (its first words are not
    the title's, and fewer than :data:`HEADING_SHARE` of its words are in it). A
    commentary's or a letter's first page names the work it answers, its first author and
    its year, as the work's own first page does; its heading is its own."""
    words = folded_words(heading)
    if len(words) < MIN_TITLE_WORDS:
        return False  # no heading to go by
    if words[0] in _ABOUT_ANOTHER and title[:1] != words[:1]:
        return True
    known = set(title)
    return (words[:3] != title[:3]
            and sum(w in known for w in words) < HEADING_SHARE * len(words))


def page_head(page: str) -> str:
    """The part of ``page`` a search reads (its first :data:`PAGE_HEAD_CHARS` characters),
    or '' when it is not worth asking a service about: too short to be a paper's first page
    (fewer than :data:`MIN_WORDS` words) or without a year. Crossref's and PubMed's
    first-page searches both ask only this."""
    head = page[:PAGE_HEAD_CHARS]
    return head if len(head.split()) >= MIN_WORDS and YEAR_RE.search(head) else ""


def find_doi_on_page(client: HttpClient, page: str, title_hint: str = "",
                     heading: str = "") -> str:
    """The DOI of the paper whose first page ``page`` is, '' when Crossref has none the page
    plainly is (or the page is not worth asking about); ``title_hint``: the PDF's title
    from its metadata, searched first; ``heading``: the page's own title in its largest
    type, when known (:func:`is_page_of`)."""
    head = page_head(page)
    if not head:
        return ""
    return first_agreeing(client, " ".join(f"{title_hint} {head}".split()),
                          partial(on_page, head, heading=heading), "a PDF's first page")
