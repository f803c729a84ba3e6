"""Which PubMed articles Europe PMC holds a reference list for, many per request (issue 19).

A reference list can only be asked of Europe PMC one article at a time
(``/MED/{pmid}/references``), but its ``search`` answers for many articles at once and each
``lite`` result says ``hasReferences`` ``"Y"`` or ``"N"`` (recorded shape:
/work/shared/fixtures/europepmc/lagotto_cassette_search_ext_id_17183658.yml). One search per
:data:`SEARCH_BATCH` PMIDs (``(EXT_ID:1 OR EXT_ID:2 ...) AND SRC:MED``) spares a request for
every article without a list, which are most of those PubMed and Crossref had none for.
Requests are charged to ``europepmc`` (its published 10/s and 500/min:
:mod:`spinelib.sources.limits`); retries and ``Retry-After`` are the client's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spinelib.errors import ServiceError
from spinelib.sources.http import HttpClient, json_body
from spinelib.sources.parallel import chunks
from spinelib.text import scalar_text

#: PMIDs per search (the query stays near 2 KB; one page holds every hit).
SEARCH_BATCH = 100


def with_reference_lists(client: HttpClient, pmids: Sequence[str]) -> set[str]:
    """The PMIDs among ``pmids`` whose Europe PMC record has a reference list.

    A PMID Europe PMC does not know is simply absent. Raises NetworkError (unreachable) or
    ServiceError (refused, or an answer that is not a search result).
    """
    wanted = list(dict.fromkeys(p for p in pmids if p.isdigit()))
    found: set[str] = set()
    url = f"{client.settings.europepmc_url.rstrip('/')}/search"
    for batch in chunks(wanted, SEARCH_BATCH):
        query = "(" + " OR ".join(f"EXT_ID:{p}" for p in batch) + ") AND SRC:MED"
        response = client.get(
            "europepmc", url, headers={"Accept": "application/json"},
            params={"query": query, "format": "json", "resultType": "lite",
                    "pageSize": str(len(batch))})
        if response.status_code == 404:
            raise ServiceError("Europe PMC's search address answered 'not found' (HTTP 404)")
        asked = set(batch)
        for hit in _results(json_body(response, f"Europe PMC (search for {len(batch)} PMIDs)")):
            pmid = scalar_text(hit.get("pmid")) or scalar_text(hit.get("id"))
            if pmid in asked and scalar_text(hit.get("hasReferences")).upper() == "Y":
                found.add(pmid)
    return found


def _results(payload: Any) -> list[Mapping[str, Any]]:
    result_list = payload.get("resultList") if isinstance(payload, Mapping) else None
    raw = result_list.get("result") if isinstance(result_list, Mapping) else None
    if raw is None and isinstance(payload, Mapping) and str(payload.get("hitCount")) == "0":
        return []
    if not isinstance(raw, list):
        raise ServiceError("Europe PMC's search answer has no result list")
    return [hit for hit in raw if isinstance(hit, Mapping)]
