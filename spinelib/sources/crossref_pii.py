"""Elsevier PIIs -> Crossref's works, found by the ``alternative-id`` Elsevier deposits.

A ScienceDirect or journal-site link names its article by PII (:mod:`spinelib.pii`), not by
DOI. Crossref keeps the PII Elsevier deposits with each DOI as the work's ``alternative-id``
(compact: ``"alternative-id": ["S0022231315005475"]``), and its ``/works`` list filters on it:
``filter=alternative-id:S…`` (Crossref's REST API documentation, "REST API filters", works
endpoint; the value must be written as the work displays it, which is why the compact form is
asked). Filters of one name are OR'ed, as :mod:`spinelib.sources.crossref_batch` relies on
for ``doi:``, so :data:`PII_BATCH` PIIs cost one request.

Limits: list requests are charged to ``crossref_list`` (3/s and 3 in flight in the polite
pool, 1/s and 1 in the public pool: :mod:`spinelib.sources.limits`); retries, back-off and
``Retry-After`` are the client's.

Promise of :func:`works_by_pii`: a record for each PII Crossref knows (the work whose
``alternative-id`` holds it; when several do, an Elsevier DOI, ``10.1016/``, first); a PII it
does not know is absent from the answer. A failed request raises (NetworkError when the
service is unreachable, ServiceError for an unreadable answer): the caller decides what
becomes of every PII it asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.formats.crossref_updates import cited_by_count
from spinelib.pii import compact_pii
from spinelib.sources.crossref_batch import KeyedAnswers, list_pages, usable_work
from spinelib.sources.http import HttpClient
from spinelib.sources.parallel import chunks

#: PIIs per list request (17 characters each: a filter of ~3,000 characters).
PII_BATCH = 100
#: The DOI prefix Elsevier registers under: preferred when two works claim one PII.
ELSEVIER_PREFIX = "10.1016/"


#: What Crossref said about a set of PIIs (keys are compact, upper-case PIIs).
PiiAnswers = KeyedAnswers


def works_by_pii(client: HttpClient, piis: Sequence[str]) -> PiiAnswers:
    """Crossref's works for ``piis`` (compact PIIs); see the module docstring."""
    wanted = list(dict.fromkeys(p.upper() for p in piis if p.strip()))
    answers = PiiAnswers()
    for batch in chunks(wanted, PII_BATCH):
        _ask(client, batch, answers)
    return answers


def _ask(client: HttpClient, batch: list[str], answers: PiiAnswers) -> None:
    """One batch: a list query (two rows a PII: one PII may be claimed by two works)."""
    wanted = set(batch)
    params = {"filter": ",".join(f"alternative-id:{p}" for p in batch),
              "rows": str(2 * len(batch))}
    for items in list_pages(client, params, f"works by {len(batch)} Elsevier PIIs"):
        answers.requests += 1
        for item in items:
            _take(item, wanted, answers)


def _take(item: Any, wanted: set[str], answers: PiiAnswers) -> None:
    """Keep ``item`` for each wanted PII it claims, unless an Elsevier DOI already has it."""
    claimed = item.get("alternative-id") if isinstance(item, dict) else None
    if not isinstance(claimed, list):
        return
    piis = {compact_pii(a) for a in claimed if isinstance(a, str)} & wanted
    if not piis:
        return
    record = usable_work(item)
    if record is None:
        return
    for pii in piis:
        held = answers.records.get(pii)
        if held is not None and (held.doi.lower().startswith(ELSEVIER_PREFIX)
                                 or not record.doi.lower().startswith(ELSEVIER_PREFIX)):
            continue
        answers.records[pii] = record
    count = cited_by_count(item)
    if count is not None:
        answers.counts[record.doi.lower()] = count
