"""Many DOIs from Crossref in few requests: ``/works?filter=doi:A,doi:B,...`` (issue 19).

Crossref's list endpoint takes the ``doi`` filter repeatedly (filters of one name are OR'ed:
Crossref's REST API documentation, "Filters", and its answer in
https://github.com/CrossRef/rest-api-doc/issues/301), so :data:`FILTER_BATCH` DOIs cost one
request instead of one each. The answer is a list envelope (``message.items``, each item a
work shaped like ``/works/{doi}``'s ``message``, ``message.total-results``,
``message.next-cursor`` when asked with ``cursor=*``), parsed item by item with
:func:`spinelib.formats.crossref_json.parse_work`.

Limits: list requests are charged to the ``crossref_list`` service (3/s and 3 in flight in
the polite pool, 1/s and 1 in the public pool: :mod:`spinelib.sources.limits`); ``rows`` is
at most 1,000 (Crossref's documented maximum); a request's filter is kept under
:data:`MAX_FILTER_CHARS` so the URL stays well inside what servers and proxies accept.

Promises of :func:`fetch_works`: one answer per DOI asked (a record, or a reason); DOIs are
matched case-insensitively; a DOI the list leaves out is simply absent from ``records`` (not
known to Crossref); a refused batch (HTTP 400 for one odd DOI) is split in halves until the
culprit is alone, and a lone DOI goes through ``/works/{doi}``, so one bad DOI never costs
the others (only an HTTP 400 is split: a wrong address or an unreadable answer is not);
a network failure ends the run (the service is down) and every DOI not yet
answered carries that error. Retries, back-off and ``Retry-After`` are the client's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import requests

from spinelib.errors import NetworkError, NotFound, ServiceError, SpineLibError
from spinelib.formats.crossref_json import parse_work
from spinelib.formats.crossref_updates import cited_by_count
from spinelib.records import ArticleRecord
from spinelib.sources.http import HttpClient, json_body
from spinelib.sources.parallel import run_each

log = logging.getLogger(__name__)

#: DOIs per list request (also its ``rows``: one page holds them all).
FILTER_BATCH = 100
#: Characters of ``filter=`` per request at most (DOIs run 20-60 characters).
MAX_FILTER_CHARS = 6000
#: Pages followed at most for one batch (a bound against a server that never says "done").
MAX_PAGES = 5


class BatchRefused(ServiceError):
    """Crossref refused a list request as invalid (HTTP 400): one of its DOIs is odd."""


@dataclass
class CrossrefAnswers:
    """What Crossref said about a set of DOIs (keys are lower-case DOIs)."""

    records: dict[str, ArticleRecord] = field(default_factory=dict)
    #: DOIs whose look-up failed, with the error (NetworkError, ServiceError, ...).
    failures: dict[str, SpineLibError] = field(default_factory=dict)
    #: Crossref's ``is-referenced-by-count`` of the works answered (issue 17), by DOI.
    counts: dict[str, int] = field(default_factory=dict)
    #: Requests sent (list and single), for reports and benchmarks.
    requests: int = 0


@dataclass
class KeyedAnswers:
    """What a list query said about keys other than DOIs (Elsevier PIIs, ISBNs): the work
    found for each key, the citation counts of the works answered, the requests sent."""

    records: dict[str, ArticleRecord] = field(default_factory=dict)
    #: Crossref's ``is-referenced-by-count`` of the works answered, by lower-case DOI.
    counts: dict[str, int] = field(default_factory=dict)
    #: Requests sent, for reports and tests.
    requests: int = 0


def filterable(doi: str) -> bool:
    """True when ``doi`` can stand in a ``filter=`` list: a comma would split it in two."""
    return "," not in doi and bool(doi.strip())


def batches(dois: Sequence[str]) -> Iterator[list[str]]:
    """``dois`` in runs of at most FILTER_BATCH whose filter text fits MAX_FILTER_CHARS."""
    batch: list[str] = []
    size = 0
    for doi in dois:
        cost = len("doi:") + len(doi) + 1
        if batch and (len(batch) >= FILTER_BATCH or size + cost > MAX_FILTER_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(doi)
        size += cost
    if batch:
        yield batch


def fetch_works(client: HttpClient, dois: Sequence[str]) -> CrossrefAnswers:
    """Crossref's records for ``dois``; see the module docstring for the promises.

    The first requests run side by side, as many as Crossref's list class allows in flight
    (the client's gate holds them to it); splitting a refused batch happens afterwards.
    """
    wanted = list(dict.fromkeys(d.strip().lower() for d in dois if d.strip()))
    answers = CrossrefAnswers()
    first = [tuple(b) for b in batches([d for d in wanted if filterable(d)])]
    first += [(d,) for d in wanted if not filterable(d)]
    workers = client.gates["crossref_list"].limit
    retry: list[list[str]] = []
    for batch, outcome in run_each(partial(_attempt, client), first, workers=workers,
                                   cancelled=lambda: False):
        if isinstance(outcome, CrossrefAnswers):
            _absorb(answers, outcome)
        else:
            retry.append(list(batch))
            answers.failures.update(dict.fromkeys(batch, outcome))
    if any(isinstance(answers.failures[b[0]], NetworkError) for b in retry):
        return answers  # the service is down: no point asking again
    # Only a refused list is worth splitting (a wrong address or a bad answer is not).
    pending = [b for b in retry if isinstance(answers.failures[b[0]], BatchRefused)]
    while pending:
        part = pending.pop(0)
        again = _attempt(client, tuple(part))
        if isinstance(again, CrossrefAnswers):
            _absorb(answers, again)
            for doi in part:
                answers.failures.pop(doi, None)
        elif not isinstance(again, BatchRefused) or len(part) == 1:
            answers.failures.update(dict.fromkeys(part, again))
            if isinstance(again, NetworkError):
                return answers
        else:  # one odd DOI refused: find it, keep the others' answers
            log.info("Crossref refused a batch of %d DOIs (%s); splitting it",
                     len(part), again)
            half = len(part) // 2
            pending[:0] = [part[:half], part[half:]]
    return answers


def _absorb(answers: CrossrefAnswers, part: CrossrefAnswers) -> None:
    answers.records.update(part.records)
    answers.counts.update(part.counts)
    answers.requests += part.requests


def _attempt(client: HttpClient, batch: tuple[str, ...]) -> CrossrefAnswers | SpineLibError:
    """One batch's answers, or the error that ended it (never raises a SpineLibError)."""
    part = CrossrefAnswers()
    try:
        _fetch(client, list(batch), part)
    except SpineLibError as exc:
        return exc
    return part


def _fetch(client: HttpClient, batch: list[str], answers: CrossrefAnswers) -> None:
    """One batch: a list query, or ``/works/{doi}`` for a lone DOI (a cheaper request)."""
    if len(batch) == 1:
        from spinelib.sources.crossref import fetch_work_counted

        answers.requests += 1
        try:
            record, count = fetch_work_counted(client, batch[0])
        except NotFound:
            return
        answers.records[batch[0]] = record
        if count is not None:
            answers.counts[batch[0]] = count
        return
    for record, count in _list_query(client, batch, answers):
        answers.records[record.doi.lower()] = record
        if count is not None:
            answers.counts[record.doi.lower()] = count


def _list_query(client: HttpClient, batch: list[str],
                answers: CrossrefAnswers) -> Iterator[tuple[ArticleRecord, int | None]]:
    wanted = set(batch)
    params = {"filter": ",".join(f"doi:{d}" for d in batch), "rows": str(len(batch))}
    for items in list_pages(client, params, f"{len(batch)} DOIs"):
        answers.requests += 1
        for item in items:
            record = usable_work(item)
            if record is not None and record.doi.lower() in wanted:
                yield record, cited_by_count(item)


def list_pages(client: HttpClient, params: Mapping[str, str], what: str) -> Iterator[list[Any]]:
    """The items of a ``/works`` list query (``what`` names them in messages), a page at a
    time: ``next-cursor`` is followed until ``total-results`` are seen, at most
    :data:`MAX_PAGES` pages. An HTTP 400 raises BatchRefused (Crossref refused the filter)."""
    query = {**params, "cursor": "*"}
    seen = 0
    for _ in range(MAX_PAGES):
        response = list_request(client, query, also_ok=frozenset({400}))
        if response.status_code == 400:
            raise BatchRefused(f"Crossref refused a list of {what} (HTTP 400)")
        message = list_message(json_body(response, f"Crossref (a list of {what})"))
        items = message["items"]
        seen += len(items)
        yield items
        cursor = message.get("next-cursor")
        total = message.get("total-results")
        if not items or not isinstance(cursor, str) or not isinstance(total, int) \
                or seen >= total:
            return
        query["cursor"] = cursor


def list_request(client: HttpClient, params: Mapping[str, str], *,
                 also_ok: frozenset[int] = frozenset()) -> requests.Response:
    """One request to Crossref's ``/works`` list (``crossref_list``, its own limits), with
    the polite pool's ``mailto`` when the settings give a contact; ServiceError when the
    address is not found (a wrong Crossref URL in the settings)."""
    if client.settings.email:
        params = {**params, "mailto": client.settings.email}  # a contact on abuse
    url = f"{client.settings.crossref_url.rstrip('/')}/works"
    response = client.get("crossref_list", url, params=params,
                          headers={"Accept": "application/json"}, also_ok=also_ok)
    if response.status_code == 404:
        raise ServiceError("Crossref's works address answered 'not found' (HTTP 404); "
                           "check the Crossref URL in the settings")
    return response


def list_message(payload: Any) -> Mapping[str, Any]:
    """The ``message`` of a list envelope; ServiceError when it is not one."""
    message = payload.get("message") if isinstance(payload, Mapping) else None
    if not isinstance(message, Mapping) or not isinstance(message.get("items"), list):
        raise ServiceError("Crossref's answer is not a list of works (no message.items)")
    return message


def usable_work(item: Any) -> ArticleRecord | None:
    """One list item as a record; an unusable item is skipped (logged), not fatal."""
    try:
        record = parse_work(item)
    except ServiceError as exc:
        log.info("skipped a Crossref list item: %s", exc)
        return None
    return record if record.doi else None
