"""Finding the identifiers of an article's cited works that have none, so a resident can
import them from its reference list (the Refs tab's *Find identifiers*, ``spinelib refs KEY
--find-dois``).

The search is :func:`spinelib.sources.citation_match.find_dois` (Crossref's bibliographic
query, each answer checked against the citation), then, for the citations Crossref names
nothing for, :func:`spinelib.sources.pubmed_citmatch.find_pmids` (PubMed's citation
matcher, held to the same check: the classics without a DOI get their PMID). What it finds
is stored as one undo step
(:meth:`spinelib.library.articles.ArticlesManager.set_reference_identifiers`), only on
references that still have no identifier. A network failure or a cancel keeps what was
found before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spinelib.errors import NetworkError, SpineLibError
from spinelib.library import Library
from spinelib.sources.citation_match import DoiSearch, find_dois
from spinelib.sources.http import HttpClient
from spinelib.sources.pubmed_citmatch import find_pmids


@dataclass
class CitedDois:
    """What a search for an article's cited works' DOIs did."""

    #: Cited works without any identifier (and with a citation to search by).
    without: int = 0
    #: Of those, how many were asked about before the search ended.
    asked: int = 0
    #: (position, citation, DOI) of each found and stored, in reference order.
    found: list[tuple[int, str, str]] = field(default_factory=list)
    #: (position, citation, PMID) of each PubMed found where Crossref found nothing.
    found_pmids: list[tuple[int, str, str]] = field(default_factory=list)
    #: Why the search ended early ('' when it asked about every one, or was stopped).
    error: str = ""
    #: The user stopped it before it asked about every one.
    stopped: bool = False

    def summary(self) -> str:
        """One line: what was found of what was looked for."""
        if not self.without:
            return "every cited work has an identifier already"
        pmids = f" and the PMID of {len(self.found_pmids)}" if self.found_pmids else ""
        line = (f"found the DOI of {len(self.found)}{pmids} of {self.without} cited works "
                "without an identifier")
        if self.error and self.asked < self.without:
            line += f" (stopped after {self.asked}: {self.error})"
        elif self.error:  # a look-up failed, the others were made
            line += f" (a look-up failed: {self.error})"
        elif self.stopped:
            line += f" (stopped after {self.asked})"
        return line


def find_cited_dois(library: Library, article_id: int, client: HttpClient, *,
                    cancelled: Callable[[], bool] = lambda: False) -> CitedDois:
    """Look up, and store, the DOIs of the article's cited works that have no identifier."""
    result = search_cited_dois(client, cited_without_identifiers(library, article_id),
                               cancelled=cancelled)
    store_cited_dois(library, article_id, result)
    return result


def cited_without_identifiers(library: Library, article_id: int) -> dict[int, str]:
    """The article's cited works with no DOI, PMID or PMCID: their citations by position."""
    return {r.position: r.citation for r in library.articles.references(article_id)
            if not r.has_identifier and r.citation.strip()}


def search_cited_dois(client: HttpClient, cited: dict[int, str], *,
                      cancelled: Callable[[], bool] = lambda: False,
                      progress: Callable[[int, int], None] | None = None) -> CitedDois:
    """Look the citations up (no library: the GUI runs this on its network worker and
    stores on its write worker, :func:`store_cited_dois`); ``progress(asked, total)``.
    A cancel keeps what was found before it (``stopped`` says so)."""
    result = CitedDois(without=len(cited))
    if not cited:
        return result
    search = find_dois(client, sorted(cited.items()), cancelled=cancelled, progress=progress)
    result.asked = search.asked
    result.found = [(p, cited[p], search.found[p]) for p in sorted(search.found)]
    result.error = str(search.error) if search.error is not None else ""
    result.stopped = not result.error and search.asked < len(cited) and cancelled()
    if not result.stopped and not isinstance(search.error, NetworkError):
        _in_pubmed(client, cited, search, result)
    return result


def _in_pubmed(client: HttpClient, cited: dict[int, str], search: DoiSearch,
               result: CitedDois) -> None:
    """The PMIDs of the citations Crossref was asked about and named nothing for."""
    unnamed = [(p, c) for p, c in sorted(cited.items())
               if p not in search.found and p not in search.failures]
    if not unnamed:
        return
    try:
        pmids = find_pmids(client, unnamed)
    except SpineLibError as exc:
        result.error = result.error or f"PubMed's citation matcher: {exc}"
        return
    result.found_pmids = [(p, cited[p], pmids[p]) for p in sorted(pmids)]


def store_cited_dois(library: Library, article_id: int, result: CitedDois) -> int:
    """Store what a search found (one undo step); how many references gained an
    identifier."""
    return library.articles.set_reference_identifiers(
        article_id, {position: doi for position, _citation, doi in result.found},
        {position: pmid for position, _citation, pmid in result.found_pmids})
