"""The services' published request limits, and the gate that keeps concurrent requests within them.

:class:`~spinelib.sources.http.HttpClient` charges every request to a service; this module
says, per service, how many requests may *start* per second (the rate, kept by
:class:`~spinelib.sources.http.RateLimiter`) and how many may be *in flight* at once (the
concurrency, kept by :class:`ConcurrencyGate`). The figures and where they were published:

* **NCBI E-utilities**: 3 requests/s without an API key, 10/s with one ("E-utilities usage
  policy", https://support.nlm.nih.gov/kbArticle/?pn=KA-05510; also
  https://www.ncbi.nlm.nih.gov/books/NBK25497/). NCBI publishes no concurrency figure; the
  rate alone bounds us, and the importer sends its efetch batches one after another anyway.
* **Crossref REST API** (from 1 December 2025, "Announcing changes to REST API rate limits",
  https://www.crossref.org/blog/announcing-changes-to-rest-api-rate-limits/, and
  https://www.crossref.org/documentation/retrieve-metadata/rest-api/access-and-authentication/):

  ======================  ===================  ====================
  pool                    single DOI record    list (``/works?filter=…``)
  ======================  ===================  ====================
  public (no contact)     5/s, 1 concurrent    1/s, 1 concurrent
  polite (``mailto``)     10/s, 3 concurrent   3/s, 3 concurrent
  ======================  ===================  ====================

  We are in the polite pool when the user gave an email address (sent as ``mailto``); the
  service ``crossref`` is the single-record class, ``crossref_list`` the list class. Crossref
  also announces the limits on every answer (``x-rate-limit-limit``,
  ``x-rate-limit-interval``, ``x-concurrency-limit``): the client adopts a lower announced
  concurrency at once and the announced rate, within bounds.
* **Europe PMC REST API**: "throttling of 10 requests per second and 500 requests per
  minute" (Europe PMC developer forum, answer by the Europe PMC team, February 2026,
  https://groups.google.com/a/ebi.ac.uk/g/epmc-webservices/c/FHexaNdSXJg). 500 a minute is
  8.3 a second sustained, so we start at most 8 a second. No concurrency figure is
  published; we keep at most 4 in flight, well under what 8/s needs at normal latency.
* **Unpaywall** asks for at most 100,000 calls a day (no per-second figure); PDF downloads
  ("download") go to many hosts. Both are further held to one request per second per host by
  :mod:`spinelib.sources.openaccess` (issue 14); one in flight each.

A 429 or 503 with ``Retry-After`` holds back the whole service, not only the request that got
it (:meth:`~spinelib.sources.http.RateLimiter.hold`), so concurrent workers pause together.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class ServiceLimit:
    """What a service allows one client: request starts per second, requests in flight."""

    rate: float
    concurrency: int


NCBI_RATE = 3.0
NCBI_RATE_WITH_KEY = 10.0

CROSSREF_POLITE = ServiceLimit(rate=10.0, concurrency=3)
CROSSREF_PUBLIC = ServiceLimit(rate=5.0, concurrency=1)
CROSSREF_LIST_POLITE = ServiceLimit(rate=3.0, concurrency=3)
CROSSREF_LIST_PUBLIC = ServiceLimit(rate=1.0, concurrency=1)
EUROPEPMC = ServiceLimit(rate=8.0, concurrency=4)
#: NCBI publishes a rate only; three in flight at 3/s is what the rate itself allows.
NCBI_CONCURRENCY = 3


def published_limits(*, polite: bool, ncbi_key: bool) -> dict[str, ServiceLimit]:
    """Service -> its limit for a client in the polite pool (``polite``: an email is set)
    and with or without an NCBI API key; see the module docstring for the sources."""
    return {
        "ncbi": ServiceLimit(NCBI_RATE_WITH_KEY if ncbi_key else NCBI_RATE, NCBI_CONCURRENCY),
        "crossref": CROSSREF_POLITE if polite else CROSSREF_PUBLIC,
        "crossref_list": CROSSREF_LIST_POLITE if polite else CROSSREF_LIST_PUBLIC,
        "europepmc": EUROPEPMC,
        "unpaywall": ServiceLimit(1.0, 1),
        "download": ServiceLimit(1.0, 1),
    }


class ConcurrencyGate:
    """At most ``limit`` holders at once (a semaphore whose limit can be lowered later).

    Used as a context manager around one request. :meth:`set_limit` adopts a limit a service
    announced (``x-concurrency-limit``) but never rises above the ceiling given at creation,
    the published figure. :attr:`peak` records the most holders seen at once (for reports).
    """

    def __init__(self, limit: int) -> None:
        self.ceiling = max(1, limit)
        self.limit = self.ceiling
        self.active = 0
        self.peak = 0
        self._cond = threading.Condition()

    def set_limit(self, limit: int) -> None:
        """Adopt ``limit`` (bounded to 1..ceiling); waiting holders re-check at once."""
        with self._cond:
            self.limit = min(self.ceiling, max(1, limit))
            self._cond.notify_all()

    def __enter__(self) -> ConcurrencyGate:
        with self._cond:
            while self.active >= self.limit:
                self._cond.wait()
            self.active += 1
            self.peak = max(self.peak, self.active)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        with self._cond:
            self.active -= 1
            self._cond.notify_all()
