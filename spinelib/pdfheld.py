"""The article the library already holds whose first page a PDF's is, found by the page
alone: no identifier, no network.

Why: a surgeon imports a reading list by PMID, then drops the publisher's PDFs of the older
papers, which print no DOI, onto the window, on a plane. Each PDF was kept as an
unidentified article of its own beside the very record it belongs to (online, Crossref was
asked for a DOI the library could have told); and a PDF kept so before its record was
imported stayed apart from it until merged by hand.

Promises:

- **Candidates** are the library's articles whose title holds the first
  :data:`PHRASE_WORDS` words of a line the PDF offers as its title: its heading (the largest
  type on page 1), its metadata title, its stored title, then the page's first lines of
  :data:`~spinelib.sources.page_match.MIN_TITLE_WORDS` words or more; one title search
  each, :data:`MAX_SEARCHES` at most.
- **Never a wrong paper**: a candidate is taken only when the page plainly is its first page
  (:func:`~spinelib.sources.page_match.is_page_of`: its whole title word for word, its first
  author, its year one either way). When several are, the one whose title is longest wins
  only if no other's is as long (a paper and its correction notice, say); else none is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spinelib.citationtext import folded_words
from spinelib.library import Library
from spinelib.results import Query
from spinelib.sources.page_match import MIN_TITLE_WORDS, PAGE_HEAD_CHARS, is_page_of

#: Words of a title line searched (a phrase of the title's words, in order).
PHRASE_WORDS = 6
#: Title searches made for one page, at most.
MAX_SEARCHES = 6
#: Candidates read per search (a phrase this long names few papers).
PER_SEARCH = 20


def held_article(library: Library, page: str, titles: Sequence[str] = (), *,
                 exclude: int | None = None, heading: str = "") -> int | None:
    """The live article ``page`` (a PDF's first page) plainly is the first page of, or None
    (see the promises); ``titles``: what the PDF offers as its title, most likely first;
    ``exclude``: an article never to answer (the PDF's own kept article); ``heading``: the
    page's own title in its largest type, when known (a commentary's is about another)."""
    head = page[:PAGE_HEAD_CHARS]
    seen: set[int] = set() if exclude is None else {exclude}
    taken: list[tuple[int, int]] = []  # (title words, article id)
    for phrase in _phrases([*titles, *head.splitlines()]):
        ids = [i for i in library.search.ids(Query(search=f'title:"{phrase}"'))[:PER_SEARCH]
               if i not in seen]
        seen.update(ids)
        for article_id in ids:
            for record in library.articles.records([article_id], with_references=False):
                if is_page_of(head, record, heading):
                    taken.append((len(folded_words(record.title)), article_id))
    taken.sort(reverse=True)
    if len(taken) == 1 or (len(taken) > 1 and taken[0][0] > taken[1][0]):
        return taken[0][1]
    return None


def _phrases(lines: Iterable[str]) -> list[str]:
    """The first words of each line long enough to be a title, once each, in order."""
    out: list[str] = []
    for line in lines:
        words = folded_words(line)
        if len(words) < MIN_TITLE_WORDS:
            continue
        phrase = " ".join(words[:PHRASE_WORDS])
        if phrase not in out:
            out.append(phrase)
        if len(out) == MAX_SEARCHES:
            break
    return out
