"""Network calls for staying safe and current: the Retraction Watch download, Crossref's
update notices in batches, PubMed's notices, and the dated searches of literature watches.

Every call goes through :class:`~spinelib.sources.http.HttpClient` (timeouts, retries with
back-off on 429/5xx honouring Retry-After, and the per-service rate limits: Crossref's
polite pool 5 requests/s with ``x-concurrency-limit: 1``; NCBI 3/s, 10/s with a key). The
replies are parsed by pure functions in :mod:`spinelib.formats`.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spinelib.errors import FormatError, NetworkError, ServiceError
from spinelib.formats.crossref_updates import WorkStatus, parse_work_list
from spinelib.formats.pubmed_notices import (
    NoticeRecord,
    dated,
    notice_pmid,
    notice_records,
    parse_notices,
)
from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.records import ArticleRecord
from spinelib.safety_results import Notice
from spinelib.sources.crossref_batch import list_request
from spinelib.sources.http import HttpClient, json_body
from spinelib.sources.parallel import chunks
from spinelib.sources.pubmed import EFETCH_BATCH, ncbi_params, search_ids

log = logging.getLogger(__name__)

#: DOIs per Crossref ``filter=doi:…`` request. Crossref ORs repeated ``doi`` filters; 50
#: keeps the URL far below common 8 kB limits even for long DOIs.
CROSSREF_BATCH = 50
#: Largest esearch page: one request returns every new PMID of a watch (NCBI allows 10,000).
ESEARCH_MAX = 10_000
#: Bytes per read while streaming the Retraction Watch file to disk.
CHUNK = 1 << 16


@dataclass(frozen=True)
class Download:
    """A conditional download: the file (None when unchanged) and the validators to send
    next time."""

    path: Path | None
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.path is None


def download_retraction_watch(client: HttpClient, url: str, folder: Path, *, etag: str = "",
                              last_modified: str = "") -> Download:
    """Stream the data set at ``url`` into a temporary file in ``folder``, or learn that it
    is unchanged (HTTP 304 to ``If-None-Match``/``If-Modified-Since``: one small request).

    The caller deletes the file. Raises NetworkError/ServiceError as the client does; a
    connection lost mid-body raises NetworkError and leaves no file behind.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    # The file is hosted by Crossref (api.labs.crossref.org / its GitLab mirror): charged
    # to Crossref's rate limit.
    response = client.get("crossref", url, headers=headers, stream=True,
                          also_ok=frozenset({304}))
    try:
        if response.status_code == 304:
            return Download(None, etag, last_modified)
        if response.status_code == 404:
            raise ServiceError("the Retraction Watch address answered 'not found' (HTTP 404);"
                               " check SPINELIB_RETRACTIONWATCH_URL")
        fd, name = tempfile.mkstemp(prefix=".retraction-watch-", suffix=".csv", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                for block in response.iter_content(CHUNK):
                    fh.write(block)
        except Exception as exc:
            Path(name).unlink(missing_ok=True)
            raise NetworkError("the Retraction Watch download broke off "
                               f"({type(exc).__name__}); try again later") from None
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Download(Path(name), response.headers.get("ETag", ""),
                        response.headers.get("Last-Modified", ""))
    finally:
        response.close()


def crossref_statuses(client: HttpClient, dois: Sequence[str]) -> dict[str, WorkStatus]:
    """Crossref's notices and citation count for ``dois`` (normalised), many per request.

    DOIs Crossref does not know are absent from the result. A DOI holding a comma cannot be
    put in a filter list and is skipped (absent too)."""
    wanted = [d for d in dict.fromkeys(dois) if d and "," not in d]
    out: dict[str, WorkStatus] = {}
    for batch in chunks(wanted, CROSSREF_BATCH):
        # A list request: Crossref limits these apart from single records (3/s, 3 at once
        # in the polite pool; spinelib.sources.limits).
        response = list_request(client, {
            "filter": ",".join(f"doi:{d}" for d in batch), "rows": str(len(batch)),
            "select": "DOI,updated-by,is-referenced-by-count"})
        found = parse_work_list(json_body(response, "Crossref (update check)"))
        out.update({d: s for d, s in found.items() if d in set(batch)})
    return out


def _efetch(client: HttpClient, pmids: list[str]) -> bytes:
    url = f"{client.settings.eutils_url.rstrip('/')}/efetch.fcgi"
    # POST: NCBI asks for it beyond a couple of hundred ids, and it keeps the key off URLs.
    response = client.post("ncbi", url, data={"db": "pubmed", "retmode": "xml",
                                              "id": ",".join(pmids), **ncbi_params(client)})
    if response.status_code == 404:
        raise ServiceError("PubMed's efetch address answered 'not found' (HTTP 404); "
                           "check the E-utilities URL in the settings")
    return response.content


def pubmed_notices(client: HttpClient, pmids: Sequence[str]) -> dict[str, list[Notice]]:
    """PubMed's retraction / concern notices for ``pmids``, :data:`EFETCH_BATCH` per request;
    a PMID PubMed did not return is absent.

    The notices PubMed names by PMID are then fetched themselves (the same batches: one
    more request per 200 notices, none when nothing is flagged) for their own date and DOI;
    if that fails, each keeps the date its RefSource citation gave."""
    out: dict[str, list[Notice]] = {}
    for batch in chunks(list(dict.fromkeys(p for p in pmids if p)), EFETCH_BATCH):
        try:
            out.update(parse_notices(_efetch(client, batch)))
        except FormatError as exc:
            raise ServiceError(str(exc)) from None
    wanted = [p for found in out.values() for n in found if (p := notice_pmid(n))]
    records: dict[str, NoticeRecord] = {}
    try:
        for batch in chunks(list(dict.fromkeys(wanted)), EFETCH_BATCH):
            records.update(notice_records(_efetch(client, batch)))
    except (FormatError, NetworkError, ServiceError) as exc:
        log.info("PubMed notices not fetched for their dates: %s", exc)
    return {pmid: dated(found, records) for pmid, found in out.items()}


def search_window(client: HttpClient, query: str, mindate: str, maxdate: str) -> list[str]:
    """PMIDs matching ``query`` that entered PubMed between ``mindate`` and ``maxdate``
    (``YYYY/MM/DD``, inclusive), in one esearch request.

    ``datetype=edat`` with explicit dates, never ``reldate``: a laptop offline for weeks
    asks for the whole gap. A query PubMed rejects raises ServiceError with its text.
    """
    url = f"{client.settings.eutils_url.rstrip('/')}/esearch.fcgi"
    params = {"db": "pubmed", "term": query, "datetype": "edat", "mindate": mindate,
              "maxdate": maxdate, "retmax": str(ESEARCH_MAX), "retmode": "json",
              **ncbi_params(client)}
    return search_ids(client.post("ncbi", url, data=params))


def fetch_records(client: HttpClient, pmids: Sequence[str]) -> list[ArticleRecord]:
    """Full PubMed records (title, abstract, MeSH) for ``pmids``, 200 per request."""
    out: list[ArticleRecord] = []
    for batch in chunks(list(dict.fromkeys(pmids)), EFETCH_BATCH):
        try:
            out.extend(parse_pubmed_xml(_efetch(client, batch), origin="PubMed's answer"))
        except FormatError as exc:
            raise ServiceError(str(exc)) from None
    return out
