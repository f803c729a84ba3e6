"""PubMed's similar articles of one or several of the library's: each once, with the chosen
articles it is similar to, the most shared first, then in PubMed's ranking (``spinelib
similar KEY [KEY …]``, Article ▸ Similar articles (PubMed)…). A resident who has five key
papers on separation surgery finds the paper PubMed ranks close to four of them, whether or
not it cites them or they cite it.

Each chosen article is asked by its PMID (an article with only a DOI is first looked up in
PubMed by it); one PubMed does not hold is named, and the others are still asked. Its
neighbours come from elink (:mod:`spinelib.sources.pubmed_similar`, the best
:data:`~spinelib.sources.pubmed_similar.MOST_SIMILAR` of each), the union is listed by
esummary (:mod:`spinelib.sources.pubmed_summaries`, 200 a request), and marked where the
library holds it. A chosen article similar to another chosen one is not listed. Nothing is
written here: the chosen works go through the identifier import
(:func:`spinelib.sharedrefs.shared_identifiers`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spinelib.citingacross import with_holdings
from spinelib.library import Library
from spinelib.sharedrefs import SharedWork, SharedWorks, numbered
from spinelib.sources.http import HttpClient
from spinelib.sources.pubmed import search_doi
from spinelib.sources.pubmed_similar import fetch_similar
from spinelib.sources.pubmed_summaries import fetch_summaries


def _pmid_of(library: Library, article_id: int, client: HttpClient) -> tuple[str, str]:
    """The article's PMID, else the one PubMed files under its DOI; ('', why) when none."""
    row = library.search.rows([article_id]).get(article_id)
    if row is None:
        return "", "no longer in the library"
    if row.pmid:
        return row.pmid, ""
    if not row.doi:
        return "", "no PMID or DOI"
    return search_doi(client, row.doi) or "", "a DOI PubMed does not index"


def find_similar_across(library: Library, article_ids: Sequence[int], client: HttpClient, *,
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] = lambda: False) -> SharedWorks:
    """Ask PubMed for the articles most like each chosen one; the union, most shared first,
    then by the best place PubMed gave it; ``progress(asked, total)`` after each. Once
    ``cancelled()`` nothing more is asked (a dialog closed while it asks)."""
    sources = tuple(dict.fromkeys(article_ids))
    similar: list[tuple[int, list[str]]] = []
    chosen: set[str] = set()
    unasked: list[int] = []
    why: list[str] = []
    for done, source in enumerate(sources, 1):
        if cancelled():
            break
        pmid, reason = _pmid_of(library, source, client)
        if pmid:
            chosen.add(pmid)
            similar.append((source, fetch_similar(client, pmid)))
        else:
            unasked.append(source)
            why.append(f"{library.articles.citekey(source)}, {reason}")
        if progress is not None:
            progress(done, len(sources))
    among: dict[str, list[int]] = {}
    best: dict[str, int] = {}
    for source, pmids in similar:
        for place, pmid in enumerate(pmids):
            if pmid not in chosen:
                among.setdefault(pmid, []).append(source)
                best[pmid] = min(best.get(pmid, place), place)
    summaries = fetch_summaries(client, list(among)) if among and not cancelled() else {}
    order = {source: i for i, source in enumerate(sources)}
    # A PMID PubMed gives no summary for (withdrawn since) is left out: nothing to show or
    # import it by.
    works = [SharedWork(0, s.citation, s.doi, pmid, s.pmcid, None,
                        tuple(sorted(set(among[pmid]), key=order.__getitem__)), year=s.year)
             for pmid in among if (s := summaries.get(pmid)) is not None]
    works.sort(key=lambda w: (-len(w.among), best[w.pmid]))
    return with_holdings(library, SharedWorks(sources, numbered(works), tuple(unasked),
                                              "similar", tuple(why)))


__all__ = ["find_similar_across"]
