"""The articles that cite one article, as Europe PMC lists them: forward citation chasing
(a resident who has the key paper finds what was written since, the way PubMed's and
Europe PMC's "Cited by" do).

The reply of ``/{source}/{id}/citations?format=json`` (source ``MED`` with a PMID, ``PMC``
with a PMCID; Europe PMC's REST API, the sibling of ``references``) looks like::

    {"version": "6.9", "hitCount": 23, "request": {...},
     "citationList": {"citation": [{"id": "19749171", "source": "MED", "title": "...",
        "authorString": "...", "journalAbbreviation": "Pharmacol. Rev.", "pubYear": 2009,
        "volume": "61", "issue": "3", "pageInfo": "228-261", "citedByCount": 31}]}}

An item from ``MED`` is a PubMed article (its ``id`` the PMID), from ``PMC`` a PMC one; a
preprint (``PPR``) or an item of another source has no identifier SpineLib can fetch by
unless the item carries a DOI. Parsing is pure (:func:`parse_citing`); fetching goes through
the shared :class:`~spinelib.sources.http.HttpClient` (timeouts, retries on 429/5xx honouring
Retry-After, and Europe PMC's published rate: :mod:`spinelib.sources.limits`), one page of
up to 1,000 items a request (:func:`spinelib.sources.europepmc.fetch_list`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinelib.formats.jats_text import plain_text
from spinelib.identifiers import Identifier, carried
from spinelib.sources.europepmc import (
    MAX_PAGES,
    PAGE_SIZE,
    PMC_SOURCE,
    PUBMED_SOURCE,
    citation_text,
    cited_by_of,
    fetch_list,
    item_identifiers,
    list_items,
)
from spinelib.sources.http import HttpClient
from spinelib.text import scalar_text

#: The most citing works one search brings (Europe PMC's page size times the pages read).
MOST_CITING = PAGE_SIZE * MAX_PAGES


@dataclass(frozen=True)
class CitingWork:
    """One work that cites the article asked about, as Europe PMC lists it."""

    citation: str
    title: str
    year: int | None
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    #: How many works cite this one, by Europe PMC's count (None: not given).
    cited_by: int | None = None
    #: Europe PMC's source code and its id there ("PPR", "PPR123456" for a preprint).
    source: str = ""
    source_id: str = ""

    def identifier(self) -> Identifier | None:
        """What an import fetches it by: its PMID, else its DOI, else its PMCID."""
        return next(iter(self.identifiers()), None)

    def identifiers(self) -> list[Identifier]:
        """Every identifier it carries (to find it in the library by any of them)."""
        return carried(self.pmid, self.doi, self.pmcid)

    @property
    def key(self) -> str:
        """What tells it from the other works of a list: Europe PMC's ``source:id`` (its
        citation for an item without an id); a citation watch remembers works by it."""
        return f"{self.source}:{self.source_id or self.citation}"


@dataclass(frozen=True)
class CitingWorks:
    """The citing works of one article: ``works`` oldest first (a work added to Europe PMC
    later most often comes last, so a listing's numbers hold), ``total`` its count."""

    works: list[CitingWork]
    #: Europe PMC's count (``hitCount``); more than ``len(works)`` when the list was cut
    #: at :data:`MOST_CITING`.
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.works)


def _work(item: Mapping[str, Any]) -> CitingWork:
    pmid, pmcid, doi = item_identifiers(item)
    year = scalar_text(item.get("pubYear"))
    return CitingWork(
        citation=citation_text(item), title=plain_text(item.get("title")).rstrip(" ."),
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        pmid=pmid, pmcid=pmcid, doi=doi, cited_by=cited_by_of(item),
        source=scalar_text(item.get("source")).upper(), source_id=scalar_text(item.get("id")))


def _oldest_first(work: CitingWork) -> tuple[int, int, str]:
    # Within a year a PMID's number follows the order PubMed received the articles.
    return (work.year or 0, int(work.pmid) if work.pmid else 0, work.source_id)


def citing_from_items(items: Sequence[Mapping[str, Any]], total: int) -> CitingWorks:
    """The works of a citations reply's items, oldest first, each once (pages can overlap
    when the list changes between requests)."""
    works: dict[str, CitingWork] = {}
    for item in items:
        work = _work(item)
        works.setdefault(work.key, work)
    ordered = sorted(works.values(), key=_oldest_first)
    return CitingWorks(ordered, max(total, len(ordered)))


def parse_citing(payload: Any) -> CitingWorks:
    """The citing works of one citations JSON reply (ServiceError for a reply that is not
    one; "no citations" is an empty list)."""
    items, total = list_items(payload, "citations")
    return citing_from_items(items, total)


@dataclass(frozen=True)
class EuropePmcId:
    """The article whose citing works are asked for, as Europe PMC names it."""

    #: Europe PMC's source code: ``MED`` (a PMID), ``PMC`` (a PMCID), ``PPR`` (a preprint)…
    source: str
    id: str

    @classmethod
    def of(cls, ident: Identifier) -> EuropePmcId:
        """The article with this PMID or PMCID."""
        if ident.kind not in ("pmid", "pmcid"):
            raise ValueError(f"Europe PMC lists citations by PMID or PMCID, not {ident.kind}")
        return cls(PUBMED_SOURCE if ident.kind == "pmid" else PMC_SOURCE, ident.value)

    @classmethod
    def from_key(cls, key: str) -> EuropePmcId:
        """The article a :attr:`key` names ("MED:16112300")."""
        source, _, ident = key.partition(":")
        return cls(source, ident)

    @property
    def key(self) -> str:
        """``source:id`` ("MED:16112300"), as a citation watch stores the paper it watches."""
        return f"{self.source}:{self.id}"

    def __str__(self) -> str:
        return {PUBMED_SOURCE: f"PMID {self.id}", PMC_SOURCE: f"PMCID {self.id}"}.get(
            self.source, f"Europe PMC {self.source} {self.id}")


def fetch_citing(client: HttpClient, asked: EuropePmcId) -> CitingWorks:
    """The works Europe PMC lists as citing ``asked`` (an empty list when it knows none,
    or does not know the article: its 404)."""
    items, total = fetch_list(client, asked.source, asked.id, "citations",
                              f"articles citing {asked}")
    return citing_from_items(items, total)


__all__ = ["MOST_CITING", "EuropePmcId", "CitingWork", "CitingWorks", "fetch_citing",
           "parse_citing"]
