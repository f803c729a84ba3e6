"""Batched DOIs (issue 19): OR'ed esearch terms, Crossref ``/works?filter=doi:...`` lists.

Every service is served by ``responses`` in the real shapes: esearch JSON
(``esearchresult.idlist``), efetch XML from :func:`tests.fakeserver.pubmed_article`, and
Crossref work-list envelopes (``message.items`` holding works shaped like our recorded
``/works/{doi}`` sample, ``total-results``, ``next-cursor``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
import responses

from spinelib.identifiers import parse_identifier
from spinelib.settings import Settings
from spinelib.sources import crossref_batch, pubmed
from spinelib.sources.http import HttpClient
from spinelib.sources.resolve import resolve_many
from tests.fakeserver import article_set, pubmed_article

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
EUTILS = "http://eutils.test/eutils"
CROSSREF = "http://crossref.test"
EUROPEPMC = "http://epmc.test/rest"
EFETCH = f"{EUTILS}/efetch.fcgi"
ESEARCH = f"{EUTILS}/esearch.fcgi"
ECITMATCH = f"{EUTILS}/ecitmatch.cgi"
CROSSREF_LIST = re.compile(r"^http://crossref\.test/works\?")
CROSSREF_ONE = re.compile(r"^http://crossref\.test/works/.+")
WORK = json.loads((DATA / "crossref_work_pone_0123456.json").read_text())

#: PMIDs PubMed holds; their DOIs are 10.5555/spine.<pmid> (written in upper case by PubMed
#: here, to prove matching ignores case).
IN_PUBMED = {str(50_000_000 + i) for i in range(0, 1000, 2)}


def form(request: requests.PreparedRequest) -> dict[str, list[str]]:
    if request.method == "POST":
        return parse_qs(str(request.body))
    return parse_qs(urlsplit(str(request.url)).query)


def esearch_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    dois = re.findall(r'"([^"]+)"\[doi\]', form(request)["term"][0])
    hits = [d.rsplit(".", 1)[1] for d in dois
            if d.startswith("10.5555/spine.") and d.rsplit(".", 1)[1] in IN_PUBMED]
    result = {"count": str(len(hits)), "retmax": str(len(hits)), "retstart": "0",
              "idlist": hits, "translationset": [], "querytranslation": ""}
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result})


def efetch_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    pmids = [i for v in form(request)["id"] for i in v.split(",")]
    articles = [pubmed_article(p).replace("10.5555/spine.", "10.5555/SPINE.")
                for p in pmids if p in IN_PUBMED]
    return 200, {"Content-Type": "text/xml; charset=UTF-8"}, article_set(articles)


def crossref_item(doi: str) -> dict[str, object] | None:
    """Crossref's work for ``doi`` (DOI in upper case, as some members deposit it)."""
    if "nowhere" in doi:
        return None
    item = json.loads(json.dumps(WORK["message"]))
    item.update(DOI=doi.upper(), title=[f"Crossref work {doi}"])
    return item  # type: ignore[no-any-return]


def crossref_list_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    dois = [f.removeprefix("doi:") for f in query["filter"][0].split(",")]
    items = [i for i in map(crossref_item, dois) if i is not None]
    envelope = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": len(items), "items": items,
                            "items-per-page": int(query["rows"][0]),
                            "query": {"start-index": 0, "search-terms": None},
                            "next-cursor": "DnF1ZXJ5VGhlbkZldGNoBQAAAAAA"}}
    return 200, {"Content-Type": "application/json"}, json.dumps(envelope)


def serve() -> None:
    for method in (responses.GET, responses.POST):
        responses.add_callback(method, ESEARCH, callback=esearch_reply)
        responses.add_callback(method, EFETCH, callback=efetch_reply)
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=crossref_list_reply)


class FakeClock:
    """Time that moves only when a request waits (shared by the client's threads)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(clock: FakeClock | None = None) -> HttpClient:
    settings = Settings(email="tests@example.org", eutils_url=EUTILS, crossref_url=CROSSREF,
                        europepmc_url=EUROPEPMC, max_retries=2)
    clock = clock or FakeClock()
    return HttpClient(settings, sleep=clock.sleep, clock=lambda: clock.now)


def thousand_dois() -> list[str]:
    """500 in PubMed, 490 only in Crossref, 10 nowhere; mixed case as users paste them."""
    dois = [f"10.5555/Spine.{50_000_000 + i}" for i in range(0, 1000, 2)]
    dois += [f"10.5555/CR.only.{i}" for i in range(490)]
    dois += [f"10.5555/nowhere.{i}" for i in range(10)]
    return dois


@responses.activate
def test_thousand_dois_in_at_most_25_requests() -> None:
    serve()
    dois = thousand_dois()
    results = resolve_many(make_client(), [parse_identifier(d) for d in dois])
    assert len(responses.calls) <= 25
    paths = [urlsplit(str(c.request.url)).path for c in responses.calls]
    assert paths.count("/eutils/esearch.fcgi") == 5  # 200 DOIs OR'ed per search
    assert paths.count("/eutils/efetch.fcgi") == 3  # 500 PMIDs in 200s
    assert paths.count("/works") == 10  # 100 DOIs per Crossref list (all 1,000 are asked)
    status = {r.identifier.value: r for r in results}
    assert [r.status for r in results].count("found") == 990
    in_pubmed = status["10.5555/spine.50000000"].record
    assert in_pubmed is not None and in_pubmed.source == "pubmed"
    assert in_pubmed.pmid == "50000000"
    assert in_pubmed.references[0].citation.startswith("Ref 1 of 50000000")  # PubMed's
    assert in_pubmed.publisher == "Public Library of Science (PLoS)"  # Crossref filled it
    crossref_only = status["10.5555/cr.only.7"].record
    assert crossref_only is not None and crossref_only.source == "crossref"
    assert crossref_only.title == "Crossref work 10.5555/cr.only.7"
    assert crossref_only.doi == "10.5555/cr.only.7"
    nowhere = status["10.5555/nowhere.3"]
    assert nowhere.status == "not_found" and nowhere.record is None
    assert nowhere.message == "neither PubMed nor Crossref knows DOI 10.5555/nowhere.3"


@responses.activate
def test_long_searches_go_by_post_with_every_doi_quoted() -> None:
    serve()
    dois = [f"10.5555/spine.{50_000_000 + i}" for i in range(0, 400, 2)]
    found = pubmed.search_dois(make_client(), dois)
    assert sorted(found) == sorted(d.rsplit(".", 1)[1] for d in dois)
    (call,) = responses.calls
    assert call.request.method == "POST"
    term = form(call.request)["term"][0]
    assert term.count("[doi]") == 200 and term.count(" OR ") == 199
    assert form(call.request)["tool"] == ["spinelib"]


@responses.activate
def test_a_429_mid_batch_is_retried_after_retry_after() -> None:
    calls = {"n": 0}

    def limited(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        calls["n"] += 1
        if calls["n"] == 2:  # the second list request is told to wait
            return 429, {"Retry-After": "4", "Content-Type": "application/json"}, \
                '{"status":"failed","message":"rate limit"}'
        return crossref_list_reply(request)

    responses.add_callback(responses.GET, CROSSREF_LIST, callback=limited)
    clock = FakeClock()
    answers = crossref_batch.fetch_works(make_client(clock),
                                         [f"10.5555/cr.only.{i}" for i in range(300)])
    assert len(answers.records) == 300 and not answers.failures
    assert calls["n"] == 4  # three lists, one of them twice
    # The wait Crossref asked for, not a guess.
    assert any(s == pytest.approx(4.0) for s in clock.sleeps)


@responses.activate
def test_one_refused_doi_does_not_cost_the_others() -> None:
    def picky(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if "doi:10.5555/bad" in parse_qs(urlsplit(str(request.url)).query)["filter"][0]:
            failure = {"status": "failed", "message-type": "validation-failure",
                       "message": [{"type": "filter-invalid", "value": "doi",
                                    "message": "Invalid DOI"}]}
            return 400, {"Content-Type": "application/json"}, json.dumps(failure)
        return crossref_list_reply(request)

    responses.add_callback(responses.GET, CROSSREF_LIST, callback=picky)
    def one(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        doi = unquote(urlsplit(str(request.url)).path.removeprefix("/works/"))
        if doi == "10.5555/bad":
            return 400, {"Content-Type": "text/plain"}, "Bad DOI"
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {**WORK, "message": crossref_item(doi)})

    responses.add_callback(responses.GET, CROSSREF_ONE, callback=one)
    dois = [f"10.5555/cr.only.{i}" for i in range(15)] + ["10.5555/bad"]
    answers = crossref_batch.fetch_works(make_client(), dois)
    assert sorted(answers.records) == sorted(dois[:-1])
    assert list(answers.failures) == ["10.5555/bad"]
    assert "HTTP 400" in str(answers.failures["10.5555/bad"])
    assert len(responses.calls) <= 1 + 2 * 4 + 1  # a few halvings, not one per DOI


@responses.activate
def test_crossref_down_queues_what_only_crossref_could_give() -> None:
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    dois = ["10.5555/spine.50000000", "10.5555/cr.only.1", "10.5555/cr.only.2",
            "10.5555/cr.only.3"]
    results = resolve_many(make_client(), [parse_identifier(d) for d in dois])
    assert [r.status for r in results] == ["found", "offline", "offline", "offline"]
    assert results[0].record is not None and results[0].record.source == "pubmed"
    assert results[1].message == "cannot reach Crossref: connection refused"
    lists = [c for c in responses.calls if "/works?" in str(c.request.url)]
    assert len(lists) == 3  # one list request, max_retries=2: never asked again


def test_dois_with_commas_are_never_put_in_a_filter() -> None:
    assert not crossref_batch.filterable("10.1002/(sici)1097-0142(19990101)85:1,<1::aid>")
    assert crossref_batch.filterable("10.1097/brs.0000000000001234")
    runs = list(crossref_batch.batches([f"10.5555/{'x' * 50}.{i}" for i in range(250)]))
    assert all(len(r) <= crossref_batch.FILTER_BATCH for r in runs)
    assert all(sum(len(d) + 5 for d in r) <= crossref_batch.MAX_FILTER_CHARS for r in runs)
    assert sum(len(r) for r in runs) == 250


@responses.activate
def test_a_list_answered_in_pages_is_followed_by_its_cursor() -> None:
    cursors: list[str] = []

    def paged(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlsplit(str(request.url)).query)
        cursors.append(query["cursor"][0])
        dois = [f.removeprefix("doi:") for f in query["filter"][0].split(",")]
        page = len(cursors) - 1
        items = [crossref_item(d) for d in dois[page * 2:page * 2 + 2]]
        envelope = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                    "message": {"facets": {}, "total-results": len(dois), "items": items,
                                "items-per-page": 2, "next-cursor": f"cursor-{page + 1}"}}
        return 200, {"Content-Type": "application/json"}, json.dumps(envelope)

    responses.add_callback(responses.GET, CROSSREF_LIST, callback=paged)
    dois = [f"10.5555/cr.only.{i}" for i in range(5)]
    answers = crossref_batch.fetch_works(make_client(), dois)
    assert sorted(answers.records) == dois
    assert cursors == ["*", "cursor-1", "cursor-2"]


#: The esearch terms :func:`serve_one_article`'s PubMed was asked.
ESEARCH_TERMS: list[str] = []


def serve_one_article(pmid: str, doi: str, crossref: Callable[..., object],
                      aid: str = "") -> None:
    """PubMed holding one article, ``pmid`` with ``doi`` (esearch finds it by that DOI, or by
    the article identifier ``aid`` when given; efetch gives it), and Crossref's list and
    search answered by ``crossref``. Every esearch term is kept in ``ESEARCH_TERMS``."""
    ESEARCH_TERMS.clear()

    def esearch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        term = form(request)["term"][0]
        ESEARCH_TERMS.append(term)
        by_aid = bool(aid) and f'"{aid}"[aid]' in term
        hits = [pmid] if doi.lower() in term.lower() or by_aid else []
        result = {"count": str(len(hits)), "retmax": str(len(hits)), "retstart": "0",
                  "idlist": hits, "translationset": [], "querytranslation": ""}
        return 200, {"Content-Type": "application/json"}, json.dumps({"esearchresult": result})

    def efetch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        asked = [i for v in form(request)["id"] for i in v.split(",")]
        articles = [pubmed_article(p).replace(f"10.5555/spine.{p}", doi)
                    for p in asked if p == pmid]
        return 200, {"Content-Type": "text/xml; charset=UTF-8"}, article_set(articles)

    def ecitmatch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        # PubMed's citation matcher finds none of the citations these tests paste.
        lines = [line for line in form(request)["bdata"][0].split("\r") if line]
        return 200, {"Content-Type": "text/plain"}, "\n".join(f"{line}NOT_FOUND"
                                                              for line in lines)

    for method in (responses.GET, responses.POST):
        responses.add_callback(method, ESEARCH, callback=esearch)
        responses.add_callback(method, EFETCH, callback=efetch)
    responses.add_callback(responses.GET, ECITMATCH, callback=ecitmatch)
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=crossref)  # type: ignore[arg-type]
