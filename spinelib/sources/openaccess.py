"""Open-access copies of articles: Europe PMC (search, PDF render, JATS full text) and
Unpaywall, with the download rules every PDF fetch follows.

Replies are parsed by pure functions (:func:`parse_core_search`, :func:`parse_unpaywall`);
fetching goes through the shared :class:`~spinelib.sources.http.HttpClient` (timeouts,
retries with back-off on 429/5xx honouring Retry-After) and, on top of it, a
:class:`HostGate`: at most one request per second per host, and a host that failed five
times in a row is skipped for the rest of the run. Publisher pages are never scraped: only
Europe PMC's own render of PMC articles and Unpaywall's ``url_for_pdf`` are fetched, and a
body is accepted only when it starts with ``%PDF-`` (HTML challenge pages are often served
as ``application/pdf``).

Shapes read (Europe PMC REST 6.x ``search?resultType=core&format=json``)::

    {"hitCount": 2, "resultList": {"result": [{"id": "17183658", "source": "MED",
      "pmid": "17183658", "pmcid": "PMC1762313", "doi": "10.1371/journal.pone.0000030",
      "isOpenAccess": "Y", "inEPMC": "Y", "inPMC": "N", "hasPDF": "Y", "license": "cc by",
      "fullTextUrlList": {"fullTextUrl": [{"availabilityCode": "OA", "documentStyle": "pdf",
        "site": "Europe_PMC", "url": "https://europepmc.org/articles/PMC1762313?pdf=render"}]}}]}}

and Unpaywall v2 ``/{doi}?email=…``::

    {"doi": "10.1/x", "is_oa": true, "oa_status": "green",
     "best_oa_location": {"url_for_pdf": "https://repo/x.pdf", "version": "acceptedVersion",
       "license": "cc-by", "host_type": "repository", ...},
     "oa_locations": [{...same keys...}]}
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from spinelib.errors import NetworkError, ServiceError
from spinelib.sources.europepmc import _doi, _pmcid, _pmid, cited_by_of
from spinelib.sources.http import HttpClient, RateLimiter, json_body
from spinelib.sources.parallel import chunks
from spinelib.text import scalar_text

#: DOIs asked in one Europe PMC search (``DOI:"a" OR DOI:"b" …``): one request instead of 25.
SEARCH_BATCH = 25
#: One request per second per host (issue 14: the polite rate for PDF hosts and APIs alike).
HOST_INTERVAL = 1.0
#: A host failing this many times in a row is skipped for the rest of the run. A host the
#: network did not reach (refused, timed out, no route) is skipped after its first failure:
#: the client already tried that request again with back-off, so each further article
#: would wait out the same retries (15 articles behind a refusing firewall took 85 s).
HOST_FAILURES = 5
PDF_MAGIC = b"%PDF-"
#: Unpaywall's version words -> ours (``show --json``'s ``"version"``).
VERSIONS = {"publishedVersion": "published", "acceptedVersion": "accepted",
            "submittedVersion": "submitted"}
_VERSION_RANK = {"published": 0, "accepted": 1, "submitted": 2}


@dataclass(frozen=True)
class EpmcHit:
    """What Europe PMC's core search says about one article."""

    doi: str
    pmcid: str
    pmid: str
    open_access: bool
    in_epmc: bool
    has_pdf: bool
    license: str
    #: ``citedByCount``: Europe PMC's count of citing articles, kept by "Find available
    #: PDFs" since the reply carries it anyway (issue 17); None when absent.
    cited_by: int | None = None


@dataclass(frozen=True)
class OpenCopy:
    """A PDF that may be downloaded: where, from whom, which version under which licence."""

    url: str
    source: str  # "europepmc" | "unpaywall"
    version: str | None
    license: str | None
    host_type: str = ""


class DownloadRefused(ServiceError):
    """A body that is not a usable PDF (a challenge page served as PDF, too big, empty), or
    a skipped host."""


class NotThere(DownloadRefused):
    """No PDF at that address (404, or an honest HTML page): "no open copy", not a failure."""


def _yes(value: Any) -> bool:
    return scalar_text(value).upper() in ("Y", "TRUE")


def parse_core_search(payload: Any) -> list[EpmcHit]:
    """Hits of a ``resultType=core`` search; [] for "nothing found"; ServiceError if the reply
    is not a search reply."""
    if not isinstance(payload, Mapping):
        raise ServiceError("Europe PMC search reply is not a JSON object")
    result_list = payload.get("resultList")
    if not isinstance(result_list, Mapping):
        if scalar_text(payload.get("hitCount")) == "0":
            return []
        raise ServiceError("Europe PMC search reply has no result list")
    raw = result_list.get("result", [])
    if not isinstance(raw, list):
        raise ServiceError("Europe PMC search reply has a malformed result list")
    hits = []
    for item in raw:
        if isinstance(item, Mapping):
            hits.append(EpmcHit(_doi(item.get("doi")), _pmcid(item.get("pmcid")),
                                _pmid(item.get("pmid")), _yes(item.get("isOpenAccess")),
                                _yes(item.get("inEPMC")), _yes(item.get("hasPDF")),
                                scalar_text(item.get("license")), cited_by_of(item)))
    return hits


def search_dois(client: HttpClient, dois: Sequence[str], gate: HostGate | None = None
                ) -> dict[str, EpmcHit]:
    """DOI -> Europe PMC's hit, asking :data:`SEARCH_BATCH` DOIs per request. Only hits whose
    DOI is one asked for are kept (a fuzzy match never swaps articles)."""
    url = f"{client.settings.europepmc_url.rstrip('/')}/search"
    wanted = list(dict.fromkeys(d.lower() for d in dois))
    found: dict[str, EpmcHit] = {}
    for batch in chunks(wanted, SEARCH_BATCH):
        query = " OR ".join(f'DOI:"{d}"' for d in batch)
        params = {"query": query, "resultType": "core", "format": "json",
                  "pageSize": str(2 * len(batch))}

        def ask(params: dict[str, str] = params) -> Any:
            return client.get("europepmc", url, params=params,
                              headers={"Accept": "application/json"})

        response = gate.call(url, ask) if gate is not None else ask()
        if response.status_code == 404:
            continue
        for hit in parse_core_search(json_body(response, "Europe PMC (search by DOI)")):
            if hit.doi in batch and (hit.doi not in found or hit.pmcid):
                found[hit.doi] = hit
    return found


def render_url(client: HttpClient, pmcid: str) -> str:
    """Europe PMC's PDF render of a PMC article."""
    return f"{client.settings.europepmc_site_url.rstrip('/')}/articles/{pmcid}?pdf=render"


def fulltext_xml_url(client: HttpClient, pmcid: str) -> str:
    return f"{client.settings.europepmc_url.rstrip('/')}/{pmcid}/fullTextXML"


def parse_unpaywall(payload: Any) -> list[OpenCopy]:
    """The PDF copies an Unpaywall record names, best first: the published version from the
    publisher when open, else repository copies (published, then accepted, then submitted)."""
    if not isinstance(payload, Mapping):
        raise ServiceError("Unpaywall reply is not a JSON object")
    raw = payload.get("oa_locations")
    locations = [loc for loc in raw if isinstance(loc, Mapping)] if isinstance(raw, list) else []
    best = payload.get("best_oa_location")
    if isinstance(best, Mapping) and best not in locations:
        locations.insert(0, best)
    copies: list[OpenCopy] = []
    for loc in locations:
        url = scalar_text(loc.get("url_for_pdf"))
        if not url.lower().startswith(("http://", "https://")):
            continue
        version = VERSIONS.get(scalar_text(loc.get("version")))
        copies.append(OpenCopy(url, "unpaywall", version,
                               scalar_text(loc.get("license")) or None,
                               scalar_text(loc.get("host_type"))))

    def rank(c: OpenCopy) -> tuple[int, int]:
        return (_VERSION_RANK.get(c.version or "", 3), 0 if c.host_type == "publisher" else 1)

    unique = list({c.url: c for c in copies}.values())
    return sorted(unique, key=rank)


def unpaywall_copies(client: HttpClient, doi: str) -> list[OpenCopy]:
    """Unpaywall's PDF copies of ``doi`` ([] when it knows none or not the DOI). Unpaywall
    requires a contact email on every request: without one, ServiceError says so."""
    email = client.settings.email.strip()
    if not email:
        raise ServiceError("Unpaywall needs your contact email (set it in Preferences or "
                           "SPINELIB_EMAIL)")
    url = f"{client.settings.unpaywall_url.rstrip('/')}/{quote(doi, safe='/')}"
    response = client.get("unpaywall", url, params={"email": email},
                          headers={"Accept": "application/json"})
    if response.status_code == 404:
        return []
    return parse_unpaywall(json_body(response, f"Unpaywall (DOI {doi})"))


class HostGate:
    """One request per second per host; a host skipped after five failures in a row, or
    after one when the network did not reach it (:data:`HOST_FAILURES`).

    ``sleep`` and ``clock`` are injected so tests check the spacing without waiting.
    """

    def __init__(self, *, sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] | None = None,
                 interval: float = HOST_INTERVAL) -> None:
        self._sleep = sleep or time.sleep
        self._clock = clock or time.monotonic
        self._interval = interval
        self._limiters: dict[str, RateLimiter] = {}
        self._failures: dict[str, int] = {}
        #: Hosts the network did not reach in this run, with why (never asked again).
        self._unreached: dict[str, str] = {}

    @staticmethod
    def host(url: str) -> str:
        return urlsplit(url).netloc.lower()

    def skipped(self, url: str) -> bool:
        host = self.host(url)
        return host in self._unreached or self._failures.get(host, 0) >= HOST_FAILURES

    def call(self, url: str, fetch: Callable[[], Any]) -> Any:
        """Run ``fetch`` (a request to ``url``) under the host's rules."""
        host = self.host(url)
        if host in self._unreached:
            raise NetworkError(f"{self._unreached[host]} (not asked again in this run)")
        if self.skipped(url):
            raise DownloadRefused(f"{host} skipped after {HOST_FAILURES} failures in a row")
        limiter = self._limiters.setdefault(
            host, RateLimiter(self._interval, sleep=self._sleep, clock=self._clock))
        limiter.wait()
        try:
            result = fetch()
        except NetworkError as exc:
            self._unreached[host] = str(exc)
            raise
        except ServiceError:
            self._failures[host] = self._failures.get(host, 0) + 1
            raise
        self._failures[host] = 0
        return result


def download_pdf(client: HttpClient, gate: HostGate, url: str, *, service: str,
                 max_bytes: int) -> bytes:
    """The PDF at ``url``: refused (DownloadRefused) unless the body starts with ``%PDF-``,
    is not empty and not over ``max_bytes``; a 404 is "not there"."""

    def fetch() -> bytes:
        response = client.get(service, url, headers={"Accept": "application/pdf"})
        if response.status_code == 404:
            raise NotThere("the PDF is not there (HTTP 404)")
        body = response.content
        if len(body) > max_bytes:
            raise DownloadRefused(f"the PDF is larger than {max_bytes // 1_000_000} MB")
        if not body:
            raise DownloadRefused("the server sent an empty body")
        if body.lstrip()[:5] != PDF_MAGIC:
            kind = response.headers.get("Content-Type", "unknown").split(";")[0].strip()
            if kind.lower() in ("text/html", "application/xhtml+xml"):
                raise NotThere(f"no PDF there (an HTML page, {len(body)} bytes)")
            raise DownloadRefused(f"the server sent a page that is not a PDF ({kind}, "
                                  f"{len(body)} bytes)")
        return body

    result: bytes = gate.call(url, fetch)
    return result


def fetch_fulltext_xml(client: HttpClient, gate: HostGate, pmcid: str) -> bytes | None:
    """Europe PMC's JATS full text of an open-access PMC article (None when it has none)."""
    url = fulltext_xml_url(client, pmcid)

    def fetch() -> bytes | None:
        response = client.get("europepmc", url, headers={"Accept": "application/xml"})
        if response.status_code == 404 or not response.content.strip():
            return None
        return response.content

    result: bytes | None = gate.call(url, fetch)
    return result
