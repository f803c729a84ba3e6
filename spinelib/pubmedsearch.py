"""A PubMed search run from SpineLib: its results listed, marked where the library holds them,
and the chosen ones imported (``spinelib pubmed QUERY``, File ▸ Search PubMed…), as JabRef's
web search and Zotero's connector on a results page do.

The search is typed as on PubMed (its words, field tags such as ``[ti]`` or ``[mh]``, AND,
OR, NOT) or pasted as the address of a PubMed results page
(``https://pubmed.ncbi.nlm.nih.gov/?term=…&filter=years.2015-2024&sort=pubdate``): its words,
its filters and its order are read from the address (:func:`read_query`, in
:mod:`spinelib.pubmedquery`), so the list is the one the page showed.

One esearch (PubMed's count and the first ``limit`` PMIDs, at most :data:`MOST`: esearch
gives no more), then esummary, 200 a request (:mod:`spinelib.sources.pubmed_summaries`),
within NCBI's published limits as every PubMed request (:mod:`spinelib.sources.limits`).
The results come as :class:`~spinelib.sharedrefs.SharedWorks` (direction "search"), so the
command line and the window list and import them as they do similar or citing articles.
Nothing is written here: the chosen works go through the identifier import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinelib.pubmedquery import (
    ORDERS,
    PubMedQuery,
    PubMedSearchError,
    in_order,
    is_search_address,
    order_of,
    read_query,
    search_words,
)

if TYPE_CHECKING:  # the command line's parser reads this module's limits: it stays light
    from spinelib.library import Library
    from spinelib.sharedrefs import SharedWorks
    from spinelib.sources.http import HttpClient
    from spinelib.vocabulary.taxonomy import Taxonomy

#: esearch returns at most the first 10,000 PMIDs of a PubMed search (NCBI's E-utilities
#: documentation, ESearch's ``retmax``).
MOST = 10_000
#: Results listed when no number is asked for: one esummary request.
DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class PubMedResults:
    """A search's answer: PubMed's count of every match, the first ones listed (with the
    library's holdings marked), and the words PubMed could not use."""

    query: PubMedQuery
    count: int
    shared: SharedWorks
    not_found: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: how many PubMed finds, how many are listed, how many are held."""
        listed = len(self.shared.works)
        held = sum(1 for w in self.shared.works if w.in_library)
        if not self.count:
            line = "PubMed finds no article for this search"
        else:
            line = f"PubMed finds {self.count:,} article{'s' if self.count != 1 else ''}"
            if listed < self.count:
                line += f"; the first {listed:,} listed"
            line += f", {held:,} of them in your library"
        if self.not_found:
            line += " (PubMed did not use: " + "; ".join(self.not_found) + ")"
        return line


def technique_search(taxonomy: Taxonomy, technique: str, words: str = "") -> PubMedQuery:
    """The search for a technique of the vocabulary (its id, label, synonym or abbreviation):
    the query ``spinelib watch suggest`` writes (its synonyms and abbreviations in title or
    abstract, its specific MeSH headings), narrowed by ``words`` when given. What PubMed
    holds on a technique beside the library's own holdings shows the papers a reference
    list lacks. SpineLibError names close matches of an unknown technique."""
    from spinelib.vocabulary.watch_query import technique_query

    _tag_id, query = technique_query(taxonomy, technique)
    narrowed = search_words(words)
    term = f"({query}) AND ({narrowed})" if narrowed else query
    return PubMedQuery(term, "relevance", term)


def search_pubmed(library: Library, client: HttpClient, query: PubMedQuery,
                  limit: int = DEFAULT_LIMIT, start: int = 0) -> PubMedResults:
    """Run ``query``: PubMed's count and ``limit`` of its results from the ``start``-th (0:
    the first; none past :data:`MOST`) in its order, numbered from ``start + 1``, each with
    its citation and identifiers, marked where the library holds it. A PMID esearch gives
    but esummary no longer has (withdrawn since) is left out."""
    from spinelib.citingacross import with_holdings
    from spinelib.sharedrefs import SharedWork, SharedWorks
    from spinelib.sources.pubmed import search_page
    from spinelib.sources.pubmed_summaries import fetch_summaries

    if not 1 <= limit <= MOST:
        raise PubMedSearchError(f"a PubMed search lists 1 to {MOST:,} results, not {limit:,}")
    if start >= MOST:
        raise PubMedSearchError(f"PubMed gives only the first {MOST:,} results of a search; "
                                "narrow it to see the others")
    found = search_page(client, query.term, min(limit, MOST - start), query.sort, start)
    ids = found.ids
    summaries = fetch_summaries(client, ids) if ids else {}
    # Numbered by PubMed's place (a withdrawn PMID's number is skipped, not reused), so a
    # page's numbers go on from the one before.
    works = [SharedWork(start + place, s.citation, s.doi, pmid, s.pmcid, None, (),
                        year=s.year)
             for place, pmid in enumerate(ids, 1) if (s := summaries.get(pmid)) is not None]
    shared = with_holdings(library, SharedWorks((), works, (), "search"))
    return PubMedResults(query, found.count, shared, tuple(found.not_found))


def more_results(results: PubMedResults, page: PubMedResults) -> PubMedResults:
    """``results`` with the next ``page`` of the same search after them (its count the
    newer one: PubMed may have added papers meanwhile)."""
    from spinelib.sharedrefs import SharedWorks

    seen = {w.pmid for w in results.shared.works}
    works = [*results.shared.works, *(w for w in page.shared.works if w.pmid not in seen)]
    return PubMedResults(results.query, page.count,
                         SharedWorks((), works, (), "search"), results.not_found)


__all__ = ["DEFAULT_LIMIT", "MOST", "PubMedQuery", "PubMedResults", "PubMedSearchError",
           "ORDERS", "in_order", "is_search_address", "more_results", "order_of",
           "read_query", "search_pubmed", "technique_search"]
