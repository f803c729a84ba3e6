"""Crossref REST ``/works/{doi}``: the network client.

:func:`fetch_work` asks Crossref through the shared :class:`~spinelib.sources.http.HttpClient`
(which owns retries, rate limits and timeouts) and hands the JSON to the pure mapping
:func:`spinelib.formats.crossref_json.parse_work`.
"""

from __future__ import annotations

from urllib.parse import quote

from spinelib.errors import NotFound
from spinelib.formats.crossref_json import parse_work
from spinelib.formats.crossref_updates import cited_by_count
from spinelib.identifiers import normalise_doi
from spinelib.records import ArticleRecord
from spinelib.sources.http import HttpClient, json_body


def quote_doi(doi: str) -> str:
    """The DOI as a URL path: every reserved or unsafe character percent-encoded except '/'.

    Crossref asks for DOIs to be URL-encoded; SICI-style DOIs hold ``< > ; # ?`` that
    would otherwise end the path or be read as a parameter (Jetty treats ``;`` as one).
    Slashes stay literal because ``/works/10.1371/x`` is what Crossref routes; only a
    trailing slash (part of a handful of real DOIs) is encoded so it is not dropped.
    """
    quoted = quote(doi, safe="/")
    stripped = quoted.rstrip("/")
    return stripped + "%2F" * (len(quoted) - len(stripped))


def work_url(base_url: str, doi: str) -> str:
    """The ``/works/{doi}`` address under a Crossref base URL (mirror-friendly)."""
    return f"{base_url.rstrip('/')}/works/{quote_doi(doi)}"


def fetch_work(client: HttpClient, doi: str) -> ArticleRecord:
    """Ask Crossref for one DOI and return its record (with the reference list).

    Raises InvalidIdentifier for text that is not a DOI, NotFound when Crossref has no such
    work (404), ServiceError for a reply that is not a Crossref work, and whatever the
    client raises for network failures (NetworkError) or other HTTP errors (ServiceError).
    """
    return fetch_work_counted(client, doi)[0]


def fetch_work_counted(client: HttpClient, doi: str) -> tuple[ArticleRecord, int | None]:
    """:func:`fetch_work`, plus the work's ``is-referenced-by-count`` read from the same
    reply (None when Crossref gave none): the citation count costs no extra request."""
    bare = normalise_doi(doi)
    # "mailto" puts the request in Crossref's polite pool (better service, a contact on abuse).
    params = {"mailto": client.settings.email} if client.settings.email else None
    response = client.get(
        "crossref",
        work_url(client.settings.crossref_url, bare),
        params=params,
        headers={"Accept": "application/json"},
    )
    if response.status_code == 404:
        raise NotFound(f"Crossref has no record of DOI {bare}")
    body = json_body(response, f"Crossref (DOI {bare})")
    return parse_work(body), cited_by_count(body)
