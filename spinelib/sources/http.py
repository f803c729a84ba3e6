"""The one HTTP client every source uses: contact details, timeouts, retries and rate limits.

What :class:`HttpClient` promises (see docs/ARCHITECTURE.md):

* one :class:`requests.Session` per client, TLS verification on, a ``User-Agent`` naming
  SpineLib and the user's contact address (``mailto:``) so Crossref and NCBI can reach us;
* a ``(connect, read)`` timeout on every call;
* a per-service rate limit (a minimum interval between starts) and concurrency limit (at
  most so many in flight), the published figures of :mod:`spinelib.sources.limits`, adapted
  to ``x-rate-limit-*`` / ``x-concurrency-limit`` headers when a service sends them;
* retries with bounded exponential back-off plus jitter on 429 and 5xx (honouring
  ``Retry-After``) and on connection errors and timeouts, up to ``settings.max_retries``;
* no retry when the machine is offline for that host (its name cannot be looked up, or
  there is no route to it): :class:`~spinelib.errors.Offline` at the first failure, so a
  batch is queued in about a second instead of after ~17 s of back-off per service;
* a plain outcome: the response for 2xx and 404 (callers map 404 to ``NotFound``),
  :class:`~spinelib.errors.NetworkError` when the service stayed unreachable or overloaded
  (worth queueing), :class:`~spinelib.errors.ServiceError` for any other refusal.

The NCBI API key travels in query strings, so every URL or body text that could reach a
message or a log line goes through :meth:`HttpClient.redact` first, and exceptions from
``requests`` (whose text contains the full URL) are never chained onto ours.

One client may be shared by threads (the resolver's concurrent look-ups do): the limits are
per client and guarded by locks, so together the threads stay within them.
"""

from __future__ import annotations

import email.utils
import errno
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from spinelib import __version__
from spinelib.errors import NetworkError, Offline, ServiceError
from spinelib.settings import Settings
from spinelib.sources.limits import NCBI_RATE, NCBI_RATE_WITH_KEY, ConcurrencyGate, published_limits
from spinelib.sources.ncbi_replies import KEY_REFUSED, refuses_api_key

__all__ = ["NCBI_RATE", "NCBI_RATE_WITH_KEY", "HttpClient", "RateLimiter", "json_body"]

log = logging.getLogger(__name__)

#: The services a request can be charged to; each has its own rate and concurrency limit
#: (their published figures, with sources, are in spinelib.sources.limits). "crossref_list"
#: is Crossref's list class (``/works?filter=...``), limited apart from single records.
SERVICES = {"ncbi", "crossref", "crossref_list", "europepmc", "unpaywall", "download"}

#: Names shown to users in messages.
SERVICE_NAMES = {"ncbi": "PubMed", "crossref": "Crossref", "crossref_list": "Crossref",
                 "europepmc": "Europe PMC", "unpaywall": "Unpaywall",
                 "download": "the PDF's host"}

#: Back-off: BASE * 2**attempt seconds, at most MAX_BACKOFF, plus up to JITTER of that.
BACKOFF_BASE = 1.0
MAX_BACKOFF = 30.0
JITTER = 0.25
#: A Retry-After longer than this is not waited for in full (a desktop user is waiting).
MAX_RETRY_AFTER = 60.0
#: Bounds for an interval learned from rate-limit headers, so a bad header cannot stall us
#: for minutes or let us hammer a service.
MIN_INTERVAL = 0.02
MAX_INTERVAL = 10.0

_API_KEY_IN_TEXT = re.compile(r"(api_key=)[^&\s\"']+", re.I)


class RateLimiter:
    """Keeps successive requests at least ``interval`` seconds apart (thread-safe).

    Time comes from the injected ``clock`` and waiting goes through the injected ``sleep``,
    so tests can check the spacing without waiting.
    """

    def __init__(self, interval: float, *, sleep: Callable[[float], None],
                 clock: Callable[[], float]) -> None:
        self.interval = interval
        self._sleep = sleep
        self._clock = clock
        #: When the previous request was allowed to start (None before the first).
        self._last: float | None = None
        #: No request starts before this time (a service's Retry-After; see hold()).
        self._not_before: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until a request may start; return how long we slept."""
        with self._lock:
            now = self._clock()
            # Measured from the last start with the *current* interval, so a rate learned
            # from the previous response applies to the very next request.
            delay = 0.0 if self._last is None else max(0.0, self._last + self.interval - now)
            if self._not_before is not None:
                delay = max(delay, self._not_before - now)
            if delay > 0:
                self._sleep(delay)
            self._last = now + delay
            return delay

    def hold(self, seconds: float) -> None:
        """Let no request start for ``seconds`` from now (a Retry-After applies to every
        thread using this service, not only to the one that was told)."""
        with self._lock:
            until = self._clock() + max(0.0, seconds)
            self._not_before = max(until, self._not_before or until)

    def set_rate(self, limit: float, per_seconds: float) -> None:
        """Adopt a rate a service announced (``limit`` requests per ``per_seconds``)."""
        if limit <= 0 or per_seconds <= 0:
            return
        interval = min(MAX_INTERVAL, max(MIN_INTERVAL, per_seconds / limit))
        with self._lock:
            self.interval = interval


def parse_interval(text: str) -> float | None:
    """Seconds in an ``x-rate-limit-interval`` value such as ``1s``, ``500ms``, ``1m``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", text or "")
    if not m:
        return None
    value = float(m.group(1))
    unit = m.group(2) or "s"
    return value * {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), capped.

    Returns ``None`` when the header is missing or unreadable (the caller backs off instead).
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return min(max(0.0, (when - now).total_seconds()), MAX_RETRY_AFTER)


def user_agent(email_address: str) -> str:
    """``SpineLib/<version> (mailto:<email>)``, or without the contact when none is set."""
    if email_address.strip():
        return f"SpineLib/{__version__} (mailto:{email_address.strip()})"
    return f"SpineLib/{__version__}"


class HttpClient:
    """HTTP for the sources: see the module docstring for what every call promises."""

    def __init__(self, settings: Settings, *, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = user_agent(settings.email)
        self._sleep = sleep
        self._random = random.Random()
        limits = published_limits(polite=bool(settings.email.strip()),
                                  ncbi_key=bool(settings.ncbi_api_key))
        self._limiters = {name: RateLimiter(1.0 / limit.rate, sleep=sleep, clock=clock)
                          for name, limit in limits.items()}
        #: At most so many requests in flight per service (threads may share this client).
        self.gates = {name: ConcurrencyGate(limit.concurrency)
                      for name, limit in limits.items()}
        #: Responses received, any status: a run reached a service (the badge's "online").
        self.answers = 0

    # -- public -------------------------------------------------------------------------

    def get(self, service: str, url: str, *, params: Mapping[str, str] | None = None,
            headers: Mapping[str, str] | None = None, stream: bool = False,
            also_ok: frozenset[int] = frozenset()) -> requests.Response:
        """GET ``url`` charged to ``service``; see the module docstring for the outcome.
        ``stream`` leaves the body unread (large downloads); ``also_ok`` names more statuses
        returned as they are (304 for a conditional download)."""
        return self._request("GET", service, url, params=params, headers=headers,
                             stream=stream, also_ok=also_ok)

    def post(self, service: str, url: str, *, data: Mapping[str, str] | None = None,
             params: Mapping[str, str] | None = None) -> requests.Response:
        """POST form ``data`` to ``url`` charged to ``service`` (same promises as ``get``)."""
        return self._request("POST", service, url, params=params, data=data)

    def interval(self, service: str) -> float:
        """The current minimum spacing between requests to ``service``, in seconds."""
        return self._limiters[self._check_service(service)].interval

    def redact(self, text: str) -> str:
        """``text`` with the NCBI API key (plain or URL-encoded) replaced by ``***``."""
        key = self.settings.ncbi_api_key
        for form in {key, quote(key, safe="")} if key else ():
            text = text.replace(form, "***")
        return _API_KEY_IN_TEXT.sub(r"\1***", text)

    def close(self) -> None:
        """Release the session's connections."""
        self._session.close()

    # -- the retry loop -----------------------------------------------------------------

    def _request(self, method: str, service: str, url: str, *,
                 params: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None,
                 data: Mapping[str, str] | None = None, stream: bool = False,
                 also_ok: frozenset[int] = frozenset()) -> requests.Response:
        name = SERVICE_NAMES[self._check_service(service)]
        limiter, gate = self._limiters[service], self.gates[service]
        attempts = max(0, int(self.settings.max_retries)) + 1
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                with gate:  # the slot first, then the spacing: starts stay spaced
                    limiter.wait()
                    response = self._session.request(
                        method, url, params=params, data=data, headers=headers,
                        timeout=timeout, verify=True, stream=stream)
            except requests.exceptions.SSLError:
                # A certificate problem will not fix itself by retrying (a proxy rewriting
                # TLS, a wrong clock): say so at once.
                raise NetworkError(
                    f"cannot reach {name}: the secure connection failed "
                    "(certificate check; is a proxy intercepting HTTPS?)") from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                reason = _plain_reason(exc, timeout)
                log.info("%s %s: %s (attempt %d of %d)", method, self.redact(url), reason,
                         attempt + 1, attempts)
                if is_offline(exc):
                    # DNS failed or no route: the machine is offline for this host, and
                    # back-off would only make the user wait (issue 18).
                    raise Offline(f"cannot reach {name}: {reason}") from None
                if last:
                    raise NetworkError(f"cannot reach {name}: {reason}") from None
                self._sleep(self._backoff(attempt))
                continue
            except requests.exceptions.RequestException as exc:
                # Not a network condition: a malformed URL, a redirect loop, a bad encoding.
                raise ServiceError(f"request to {name} could not be made: "
                                   f"{self.redact(str(exc))[:200]}") from None
            self.answers += 1
            self._adapt_rate(limiter, response)
            self._adapt_concurrency(gate, response)
            status = response.status_code
            if 200 <= status < 300 or status == 404 or status in also_ok:
                return response
            if status == 429 or status >= 500:
                log.info("%s %s: HTTP %d (attempt %d of %d)", method,
                         self.redact(response.url or url), status, attempt + 1, attempts)
                if last:
                    what = "is limiting requests" if status == 429 else "is not working"
                    raise NetworkError(
                        f"{name} {what} (HTTP {status}, {attempts} attempts); "
                        "try again later")
                self._pause(limiter, response, attempt)
                continue
            raise self._refused(service, status, response)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _check_service(service: str) -> str:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}; expected one of {sorted(SERVICES)}")
        return service

    def _pause(self, limiter: RateLimiter, response: requests.Response, attempt: int) -> None:
        """Before a retry: this thread waits the service's Retry-After (or backs off), and a
        Retry-After also holds every other thread using the service until it has passed."""
        wait = parse_retry_after(response.headers.get("Retry-After"))
        if wait is not None:
            limiter.hold(wait)
        self._sleep(wait if wait is not None else self._backoff(attempt))

    def _backoff(self, attempt: int) -> float:
        """Exponential back-off with jitter, never more than MAX_BACKOFF * (1 + JITTER)."""
        base: float = min(MAX_BACKOFF, BACKOFF_BASE * (2 ** attempt))
        return base + self._random.uniform(0, base * JITTER)

    @staticmethod
    def _adapt_rate(limiter: RateLimiter, response: requests.Response) -> None:
        limit = response.headers.get("x-rate-limit-limit")
        interval = response.headers.get("x-rate-limit-interval")
        if not limit or not interval:
            return
        try:
            count = float(limit)
        except ValueError:
            return
        seconds = parse_interval(interval)
        if seconds:
            limiter.set_rate(count, seconds)

    @staticmethod
    def _adapt_concurrency(gate: ConcurrencyGate, response: requests.Response) -> None:
        announced = response.headers.get("x-concurrency-limit", "").strip()
        if announced.isdigit():
            gate.set_limit(int(announced))

    def _refused(self, service: str, status: int, response: requests.Response) -> ServiceError:
        """A refusal in words; NCBI's of the API key says what to do about the key."""
        detail = self._detail(response)
        if service == "ncbi" and refuses_api_key(status, detail):
            return ServiceError(KEY_REFUSED.format(detail=f"HTTP {status}{detail}"))
        return ServiceError(f"{SERVICE_NAMES[service]} refused the request (HTTP {status}{detail})")

    def _detail(self, response: requests.Response) -> str:
        """A short, redacted excerpt of a refusal's text body ('' for HTML or binary)."""
        ctype = response.headers.get("Content-Type", "").lower()
        if "html" in ctype or not ("text" in ctype or "json" in ctype or "xml" in ctype):
            return f": {response.reason}" if response.reason else ""
        text = " ".join(response.text.split())[:200]
        return f": {self.redact(text)}" if text else ""


#: errno values of "this machine has no way there" (not "the server said no").
_OFFLINE_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})
#: The same conditions as they appear in urllib3's messages when no errno survives.
_OFFLINE_TEXTS = ("name or service not known", "nodename nor servname",
                  "temporary failure in name resolution", "getaddrinfo failed",
                  "failed to resolve", "no address associated", "network is unreachable",
                  "no route to host")


def is_offline(exc: BaseException) -> bool:
    """True when a connection error means the host cannot be reached from here at all: a
    failed name lookup or no route. Refused connections, resets and timeouts are not
    (the server or a busy network may recover within the retries)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, socket.gaierror):
            return True
        if isinstance(e, OSError) and e.errno in _OFFLINE_ERRNOS:
            return True
        stack.extend([e.__cause__, e.__context__, getattr(e, "reason", None)])
        stack.extend(a for a in e.args if isinstance(a, BaseException))
    text = str(exc).lower()
    return any(t in text for t in _OFFLINE_TEXTS)


def _plain_reason(exc: Exception, timeout: tuple[float, float]) -> str:
    """A short reason for a failed connection, never containing the URL."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"no connection within {timeout[0]:g} s"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"no answer within {timeout[1]:g} s"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection broke off mid-answer"
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if any(s in text for s in ("name or service not known", "nodename nor servname",
                               "temporary failure in name resolution", "getaddrinfo failed",
                               "name resolution", "no address associated")):
        return "the server name could not be looked up (offline?)"
    if "reset" in text or "aborted" in text:
        return "the connection was reset"
    if "unreachable" in text:
        return "the network is unreachable"
    return "the connection failed"


def json_body(response: requests.Response, what: str) -> Any:
    """Decode a JSON body or raise ServiceError naming ``what`` answered and what came instead.

    Shared by the JSON sources: an HTML error page, a truncated body or bad bytes all give a
    one-line message such as "Crossref (DOI 10.1/x) answered with something that is not
    JSON (text/html, 1234 bytes)".
    """
    try:
        return response.json()
    except ValueError:  # requests' JSONDecodeError is a ValueError; so is bad UTF-8
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0].strip()
        raise ServiceError(
            f"{what} answered with something that is not JSON ({kind}, "
            f"{len(response.content)} bytes)"
        ) from None
