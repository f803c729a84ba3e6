"""Citation counts asked for when the user refreshes articles (issue 17: "taken from calls
SpineLib already makes and on refresh"): Crossref's ``is-referenced-by-count`` and Europe
PMC's ``citedByCount``, many articles per request.

An import never calls this: it keeps the counts found in the replies it fetches anyway
(:mod:`spinelib.sources.resolve`). Every request goes through the shared
:class:`~spinelib.sources.http.HttpClient` (timeouts, retries with back-off on 429/5xx
honouring Retry-After, per-service rate limits: Crossref's polite pool 5/s; Europe PMC
publishes no figure and asks for moderation, so 5/s as everywhere in SpineLib).
"""

from __future__ import annotations

from collections.abc import Sequence

from spinelib.sources.europepmc import PUBMED_SOURCE, parse_cited_by
from spinelib.sources.http import HttpClient, json_body
from spinelib.sources.parallel import chunks
from spinelib.sources.safety import crossref_statuses

#: Identifiers ORed in one Europe PMC search; the reply's page holds every hit (pageSize is
#: twice the batch: a DOI may match a preprint and its article).
EPMC_BATCH = 50


def crossref_counts(client: HttpClient, dois: Sequence[str]) -> dict[str, int]:
    """DOI -> Crossref's citation count, 50 DOIs per request (``filter=doi:…``); DOIs
    Crossref does not know, or gives no count for, are absent."""
    return {doi: s.cited_by for doi, s in crossref_statuses(client, dois).items()
            if s.cited_by is not None}


def europepmc_counts(client: HttpClient, pmids: Sequence[str],
                     dois: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Europe PMC's citation counts: (PMID -> count, DOI -> count). PMIDs are asked as
    ``SRC:MED AND (EXT_ID:1 OR …)``, DOIs (of articles without a PMID) as ``DOI:"…" OR …``;
    only a hit whose identifier was asked for is kept, so a fuzzy match never gives one
    article another's count."""
    by_pmid: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    wanted_pmids = [p for p in dict.fromkeys(pmids) if p.isdigit()]
    wanted_dois = [d for d in dict.fromkeys(d.lower() for d in dois) if d and '"' not in d]
    for batch in chunks(wanted_pmids, EPMC_BATCH):
        query = f"SRC:{PUBMED_SOURCE} AND (" + " OR ".join(f"EXT_ID:{p}" for p in batch) + ")"
        for pmid, _doi, count in _search(client, query, len(batch)):
            if pmid in batch:
                by_pmid[pmid] = count
    for batch in chunks(wanted_dois, EPMC_BATCH):
        query = " OR ".join(f'DOI:"{d}"' for d in batch)
        for _pmid, doi, count in _search(client, query, len(batch)):
            if doi in batch:
                by_doi[doi] = max(count, by_doi.get(doi, 0))
    return by_pmid, by_doi


def _search(client: HttpClient, query: str, n: int) -> list[tuple[str, str, int]]:
    url = f"{client.settings.europepmc_url.rstrip('/')}/search"
    response = client.get("europepmc", url,
                          params={"query": query, "resultType": "lite", "format": "json",
                                  "pageSize": str(2 * n)},
                          headers={"Accept": "application/json"})
    if response.status_code == 404:
        return []
    return parse_cited_by(json_body(response, "Europe PMC (citation counts)"))
