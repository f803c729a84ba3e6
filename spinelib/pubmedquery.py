"""What a user gives as a PubMed search, read as esearch takes it: words typed as on PubMed
(its field tags such as ``[ti]`` or ``[mh]``, AND, OR, NOT), or the address of a PubMed
results page (``https://pubmed.ncbi.nlm.nih.gov/?term=…&filter=years.2015-2024&sort=pubdate``),
its words, filters and order read from it (:func:`read_query`), so a list is the one the
page showed. A filter SpineLib cannot write as search words, an order esearch cannot give,
or a search of the user's PubMed History is refused by name, with what to do, rather than
dropped: a list without it would hold other papers than the page. Running a search is
:mod:`spinelib.pubmedsearch`'s; watches store what this reads
(:meth:`spinelib.library.watches.WatchesManager.add`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from spinelib.errors import SpineLibError
from spinelib.pubmedpages import PUBMED_HOSTS, linked_list, with_scheme
from spinelib.searchsyntax import STRAIGHT_QUOTES

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
    return PubMedQuery(search_words(typed), "relevance", typed)


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


#: A search of PubMed's History ("#3 AND sbrt", as Advanced search writes one), outside quotes.
_HISTORY_RE = re.compile(r'"[^"]*"|(?<![\w#])(#\d{1,3})\b')


def _as_searched(words: str) -> str:
    """``words`` as esearch is to take them: typographic double quotes made straight;
    :class:`PubMedSearchError` when they name a search of PubMed's History: that lives in
    the browser's PubMed session (the E-utilities cannot see it), so the search would run
    on other words than the page's."""
    words = words.translate(STRAIGHT_QUOTES)  # a strategy copied from a Word protocol
    named = [m.group(1) for m in _HISTORY_RE.finditer(words) if m.group(1)]
    if named:
        which = (f"{named[0]} is a search" if len(named) == 1
                 else f"{', '.join(named)} are searches")
        raise PubMedSearchError(
            f"{which} in your PubMed History, which SpineLib cannot see: copy the words each "
            "stands for from the History's Details on PubMed's Advanced search page")
    return words


def search_words(text: str) -> str:
    """Words typed as on PubMed, as esearch is to take them: spaces collapsed, curly quotes
    made straight; :class:`PubMedSearchError` for a control character or a History search.
    A typed search and the words narrowing a technique's search are read alike."""
    return _as_searched(" ".join(_plain(text).split()))


def _plain(text: str) -> str:
    """``text``, or :class:`PubMedSearchError` when it holds a control character (an
    escape sequence would drive the terminal it is echoed to; PubMed has no use for it)."""
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        raise PubMedSearchError("the search holds a control character; type or copy it "
                                "again")
    return text


def _from_address(params: dict[str, list[str]], typed: str) -> PubMedQuery:
    params = {key: [_plain(v) for v in values] for key, values in params.items()}
    words = _as_searched(" ".join(" ".join(params.get("term", [])).split()))
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


__all__ = ["ORDERS", "PubMedQuery", "PubMedSearchError", "in_order", "is_search_address",
           "order_of", "read_query", "search_words"]
