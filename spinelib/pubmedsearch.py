"""A PubMed search run from SpineLib: its results listed, marked where the library holds them,
and the chosen ones imported (``spinelib pubmed QUERY``, File ▸ Search PubMed…), as JabRef's
web search and Zotero's connector on a results page do.

The search is typed as on PubMed (its words, field tags such as ``[ti]`` or ``[mh]``, AND,
OR, NOT) or pasted as the address of a PubMed results page
(``https://pubmed.ncbi.nlm.nih.gov/?term=…&filter=years.2015-2024&sort=pubdate``): its words,
its filters and its order are read from the address (:func:`read_query`), so the list is the
one the page showed. A filter SpineLib cannot write as search words is refused by name
rather than dropped: a list without it would hold other papers than the page.

One esearch (PubMed's count and the first ``limit`` PMIDs, at most :data:`MOST`: esearch
gives no more), then esummary, 200 a request (:mod:`spinelib.sources.pubmed_summaries`),
within NCBI's published limits as every PubMed request (:mod:`spinelib.sources.limits`).
The results come as :class:`~spinelib.sharedrefs.SharedWorks` (direction "search"), so the
command line and the window list and import them as they do similar or citing articles.
Nothing is written here: the chosen works go through the identifier import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from spinelib.errors import SpineLibError
from spinelib.pubmedpages import PUBMED_HOSTS, linked_list, with_scheme

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
#: PubMed's results pages, as pasted from the browser's address bar: the current site, and
#: the legacy one's PubMed (its /pmc/?term=… searches another database).
_HOSTS = frozenset(PUBMED_HOSTS)
#: The orders a search may be listed in, by the name a user gives (the command line's
#: ``--sort``, the window's list, in PubMed's own words) -> (label, esearch's sort; "Most
#: recent" is esearch's own default, written as no sort).
ORDERS = {"best": ("Best match", "relevance"), "recent": ("Most recent", ""),
          "pubdate": ("Publication date", "pub_date"), "author": ("First author", "Author"),
          "journal": ("Journal", "JournalName")}
#: A results address's ``sort`` -> its order in :data:`ORDERS` (none: the page's Best match).
_ADDRESS_SORTS = {"": "best", "relevance": "best", "date": "recent", "pubdate": "pubdate",
                  "fauth": "author", "jour": "journal"}
#: Article-type filters (``filter=pubt.…``) -> PubMed publication types.
_ARTICLE_TYPES = {
    "review": "review", "systematicreview": "systematic review",
    "meta-analysis": "meta-analysis", "randomizedcontrolledtrial": "randomized controlled trial",
    "clinicaltrial": "clinical trial", "casereports": "case reports",
    "observationalstudy": "observational study", "comparativestudy": "comparative study",
    "multicenterstudy": "multicenter study", "guideline": "guideline",
    "practiceguideline": "practice guideline", "editorial": "editorial", "letter": "letter",
    "comment": "comment", "clinicaltrialphaseiii": "clinical trial, phase iii",
}
#: Text-availability and species/language filters -> their search words.
_WORDS = {"simsearch1.fha": "hasabstract", "simsearch2.ffrft": "free full text[sb]",
          "simsearch3.fft": "full text[sb]", "hum_ani.humans": "humans[mh]",
          "hum_ani.animal": "animals[mh] NOT humans[mh]", "lang.english": "english[la]"}
_YEARS = re.compile(r"years\.(\d{4})-(\d{4})")
_DATES = re.compile(r"dates\.(\d{4}(?:/\d{1,2}){0,2})-(\d{4}(?:/\d{1,2}){0,2})")
_LAST_YEARS = re.compile(r"datesearch\.y_(1|5|10)")


class PubMedSearchError(SpineLibError):
    """A search that cannot be run as asked (nothing to search, a filter SpineLib cannot
    write as search words), with what to do."""


@dataclass(frozen=True)
class PubMedQuery:
    """A PubMed search: ``term`` as esearch takes it (the filters written in), ``sort`` as
    esearch takes it ("" = most recent first), and ``typed``: what the user gave."""

    term: str
    sort: str = "relevance"
    typed: str = ""


def in_order(query: PubMedQuery, order: str) -> PubMedQuery:
    """``query`` listed in ``order`` (a key of :data:`ORDERS`), whatever order it had."""
    return replace(query, sort=ORDERS[order][1])


def order_of(query: PubMedQuery) -> str:
    """The key of :data:`ORDERS` that ``query`` is listed in."""
    return next(name for name, (_label, sort) in ORDERS.items() if sort == query.sort)


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


def read_query(text: str) -> PubMedQuery:
    """The search in ``text``: a PubMed results address (its words, filters and order), or
    words typed as on PubMed. :class:`PubMedSearchError` when there is nothing to search or
    the address holds a filter or an order SpineLib cannot apply."""
    typed = " ".join(_plain(text).split())
    bare = with_scheme(typed)  # "pubmed.ncbi.nlm.nih.gov/?term=…", copied without https://
    address = bare if bare and _on_pubmed(bare) else typed
    parts = urlsplit(address)
    if _on_pubmed(address):
        if listed := linked_list(parts.query):  # its filters narrow that list, not PubMed
            raise PubMedSearchError(f"{typed!r} is {listed}")
        return _from_address(parse_qs(parts.query), typed)
    if parts.scheme.lower() in ("http", "https"):
        raise PubMedSearchError(f"{typed!r} is not a PubMed search address (one starts "
                                "with https://pubmed.ncbi.nlm.nih.gov/?term=)")
    if not typed:
        raise PubMedSearchError("nothing to search: give words as typed on PubMed, or a "
                                "PubMed results page's address")
    return PubMedQuery(typed, "relevance", typed)


def technique_search(taxonomy: Taxonomy, technique: str, words: str = "") -> PubMedQuery:
    """The search for a technique of the vocabulary (its id, label, synonym or abbreviation):
    the query ``spinelib watch suggest`` writes (its synonyms and abbreviations in title or
    abstract, its specific MeSH headings), narrowed by ``words`` when given. What PubMed
    holds on a technique beside the library's own holdings shows the papers a reference
    list lacks. SpineLibError names close matches of an unknown technique."""
    from spinelib.vocabulary.watch_query import technique_query

    _tag_id, query = technique_query(taxonomy, technique)
    narrowed = " ".join(_plain(words).split())
    term = f"({query}) AND ({narrowed})" if narrowed else query
    return PubMedQuery(term, "relevance", term)


def is_search_address(text: str) -> bool:
    """Whether ``text`` is a PubMed results page's address (a search, not one article's
    page: ``?term=16112300`` names that PMID and is imported as it)."""
    address = with_scheme(text.strip()) or text.strip()  # copied without its https://
    query = parse_qs(urlsplit(address).query)
    return (_on_pubmed(address) and ("filter" in query or "term" in query)
            and not re.fullmatch(r"\d{1,8}", " ".join(query.get("term", [])).strip())
            and linked_list(urlsplit(address).query) is None)


def _on_pubmed(address: str) -> bool:
    """Whether ``address`` is a page of PubMed's site (the legacy site: under /pubmed)."""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower()
    return (parts.scheme.lower() in ("http", "https") and host in _HOSTS
            and (host.startswith("pubmed.") or parts.path.startswith("/pubmed")))


def _plain(text: str) -> str:
    """``text``, or :class:`PubMedSearchError` when it holds a control character (an
    escape sequence would drive the terminal it is echoed to; PubMed has no use for it)."""
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        raise PubMedSearchError("the search holds a control character; type or copy it "
                                "again")
    return text


def _from_address(params: dict[str, list[str]], typed: str) -> PubMedQuery:
    params = {key: [_plain(v) for v in values] for key, values in params.items()}
    words = " ".join(" ".join(params.get("term", [])).split())
    groups: dict[str, list[str]] = {}
    refused: list[str] = []
    for value in params.get("filter", []):
        written = _filter_words(value)
        if written is None:
            refused.append(value)
        else:
            groups.setdefault(value.split(".", 1)[0], []).append(written)
    if refused:
        raise PubMedSearchError(
            "SpineLib cannot apply this PubMed filter: " + ", ".join(refused) + "; remove "
            "it on PubMed's page and copy the address again, or write it into the search "
            "words (as PubMed's Advanced search shows it)")
    sort = (params.get("sort") or [""])[-1]
    if sort not in _ADDRESS_SORTS or (params.get("sort_order") or ["desc"])[-1] != "desc":
        raise PubMedSearchError(f"SpineLib cannot list PubMed's results in this order "
                                f"({sort or 'ascending'}); choose Best match, Most recent, "
                                "Publication date, First author or Journal on the page")
    # Filters of one kind are any of them (PubMed ORs them); kinds must all hold.
    conditions = [f"({' OR '.join(g)})" if len(g) > 1 else g[0] for g in groups.values()]
    if not words and not conditions:
        raise PubMedSearchError(f"{typed!r} holds no search (no words in its term=, no "
                                "filter)")
    searched = ([f"({words})" if conditions else words] if words else []) + conditions
    return PubMedQuery(" AND ".join(searched), ORDERS[_ADDRESS_SORTS[sort]][1], typed)


def _filter_words(value: str) -> str | None:
    """One ``filter=`` value as search words, or None when SpineLib has none for it."""
    if value in _WORDS:
        return _WORDS[value]
    if value.startswith("pubt.") and value[5:] in _ARTICLE_TYPES:
        return f"{_ARTICLE_TYPES[value[5:]]}[pt]"
    if match := _YEARS.fullmatch(value):
        return f"{match[1]}:{match[2]}[dp]"
    if match := _DATES.fullmatch(value):
        return f"{match[1]}:{match[2]}[dp]"
    if match := _LAST_YEARS.fullmatch(value):
        return f'"last {match[1]} year{"s" if match[1] != "1" else ""}"[dp]'
    return None


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
