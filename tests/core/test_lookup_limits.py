"""Concurrent look-ups stay within each service's published limits (issue 19, item 3).

Two kinds of proof, neither reading a clock:

* in flight: a local server on 127.0.0.1 counts the requests it is answering at once, per
  service, and holds each answer until the service's limit is reached (or a short while has
  passed), so a client that runs side by side reaches exactly its limit and one that would
  exceed it is seen doing so;
* spacing: the client gets a fake clock whose time moves only when a request waits, so the
  waits the rate limit imposed, and the Retry-After a 429 asked for, are counted exactly.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.identifiers import parse_identifier
from spinelib.settings import Settings
from spinelib.sources import crossref_batch, limits
from spinelib.sources.http import HttpClient
from spinelib.sources.resolve import resolve_many
from tests.fakeserver import article_set, pubmed_article

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
REFERENCES = (DATA / "europepmc_references_31000003.json").read_bytes()
WORK = json.loads((DATA / "crossref_work_pone_0123456.json").read_text())


def bare_article(pmid: str) -> str:
    """A PubMed article with neither references nor a DOI: only Europe PMC can add a list."""
    xml = re.sub(r"<ReferenceList>.*?</ReferenceList>", "", pubmed_article(pmid), flags=re.S)
    xml = re.sub(r"<ELocationID[^>]*>[^<]*</ELocationID>", "", xml)
    return re.sub(r'<ArticleId IdType="doi">[^<]*</ArticleId>', "", xml)


def work_list(dois: list[str]) -> bytes:
    items = [{**WORK["message"], "DOI": d, "title": [f"Work {d}"]} for d in dois]
    return json.dumps({"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                       "message": {"facets": {}, "total-results": len(items), "items": items,
                                   "items-per-page": len(items),
                                   "next-cursor": "DnF1ZXJ5VGhlbkZldGNo"}}).encode()


def search_reply(query: str, has_list: Any) -> bytes:
    """A Europe PMC ``lite`` search answer (recorded shape) for the EXT_IDs in ``query``."""
    hits = [{"id": p, "source": "MED", "pmid": p, "title": f"Article {p}",
             "isOpenAccess": "N", "inEPMC": "N", "inPMC": "N", "hasPDF": "N",
             "citedByCount": 0, "hasReferences": "Y" if has_list(p) else "N",
             "hasTextMinedTerms": "N"} for p in re.findall(r"EXT_ID:(\d+)", query)]
    return json.dumps({"version": "6.9", "hitCount": len(hits),
                       "request": {"query": query, "resultType": "lite", "page": 1},
                       "resultList": {"result": hits}}).encode()


class CountingServer:
    """Answers efetch, Europe PMC references and Crossref lists; counts requests in flight
    per service (the first path segment) and holds each answer until ``hold_until`` of that
    service are in flight, or ``patience`` seconds passed (a sequential client)."""

    def __init__(self, hold_until: dict[str, int], patience: float = 1.0) -> None:
        self.hold_until = hold_until
        self.patience = patience
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.served: Counter[str] = Counter()
        self.cond = threading.Condition()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                service = urlsplit(self.path).path.strip("/").split("/")[0]
                with owner.cond:
                    owner.in_flight[service] += 1
                    owner.served[service] += 1
                    owner.peak[service] = max(owner.peak[service], owner.in_flight[service])
                    owner.cond.notify_all()
                    owner.cond.wait_for(lambda: owner.in_flight[service]
                                        >= owner.hold_until.get(service, 1),
                                        timeout=owner.patience)
                body = owner.answer(self.path)
                with owner.cond:
                    owner.in_flight[service] -= 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json" if body[:1] == b"{"
                                 else "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path: str) -> bytes:
        parts = urlsplit(path)
        if parts.path.endswith("efetch.fcgi"):
            ids = parse_qs(parts.query)["id"][0].split(",")
            return article_set(bare_article(p) for p in ids)
        if parts.path.endswith("/references"):
            return REFERENCES
        if parts.path.endswith("/search"):  # every article has a list (hasReferences Y)
            return search_reply(parse_qs(parts.query)["query"][0], lambda pmid: True)
        dois = [f.removeprefix("doi:") for f in parse_qs(parts.query)["filter"][0].split(",")]
        return work_list(dois)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def client(self, email: str = "tests@example.org") -> HttpClient:
        return HttpClient(Settings(email=email, eutils_url=f"{self.url}/eutils",
                                   europepmc_url=f"{self.url}/europepmc",
                                   crossref_url=f"{self.url}/crossref", max_retries=1))


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[CountingServer]:
    srv = CountingServer(**request.param)
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.mark.parametrize("server", [{"hold_until": {"europepmc": limits.EUROPEPMC.concurrency}}],
                         indirect=True)
def test_europe_pmc_lookups_run_side_by_side_up_to_its_limit(server: CountingServer) -> None:
    pmids = [str(41_000_000 + i) for i in range(12)]
    client = server.client()
    results = resolve_many(client, [parse_identifier(p) for p in pmids])
    assert all(r.status == "found" and r.record and len(r.record.references) == 2
               for r in results)
    assert server.served["europepmc"] == 1 + 12  # which have lists, then each list
    assert server.peak["europepmc"] == limits.EUROPEPMC.concurrency == 4
    assert client.gates["europepmc"].peak == 4
    assert server.peak["eutils"] == 1


@pytest.mark.parametrize("server", [{"hold_until": {"crossref": 3}}], indirect=True)
def test_crossref_lists_polite_pool_three_at_once(server: CountingServer) -> None:
    dois = [f"10.5555/work.{i}" for i in range(300)]
    answers = crossref_batch.fetch_works(server.client(), dois)
    assert len(answers.records) == 300 and not answers.failures
    assert server.served["crossref"] == 3
    assert server.peak["crossref"] == limits.CROSSREF_LIST_POLITE.concurrency == 3


@pytest.mark.parametrize("server", [{"hold_until": {"crossref": 3}, "patience": 0.3}],
                         indirect=True)
def test_crossref_lists_public_pool_one_at_a_time(server: CountingServer) -> None:
    # No email: Crossref's public pool allows one list request in flight (and 1/s).
    client = server.client(email="")
    answers = crossref_batch.fetch_works(client, [f"10.5555/work.{i}" for i in range(300)])
    assert len(answers.records) == 300
    assert server.served["crossref"] == 3
    assert server.peak["crossref"] == 1
    assert client.interval("crossref_list") == pytest.approx(1.0)


# -- spacing and Retry-After, on a fake clock ---------------------------------------------------

EUTILS = "http://eutils.test/eutils"
EPMC_REFS = re.compile(r"^http://epmc\.test/rest/MED/(\d+)/references")
EPMC_SEARCH = re.compile(r"^http://epmc\.test/rest/search\?")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds


def fake_clock_client(clock: FakeClock) -> HttpClient:
    settings = Settings(email="tests@example.org", eutils_url=EUTILS,
                        europepmc_url="http://epmc.test/rest", max_retries=2)
    return HttpClient(settings, sleep=clock.sleep, clock=lambda: clock.now)


def serve_bare_pubmed() -> None:
    def efetch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        ids = parse_qs(urlsplit(str(request.url)).query)["id"][0].split(",")
        return 200, {"Content-Type": "text/xml"}, article_set(bare_article(p) for p in ids)

    responses.add_callback(responses.GET, f"{EUTILS}/efetch.fcgi", callback=efetch)

    def search(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        query = parse_qs(urlsplit(str(request.url)).query)["query"][0]
        # Europe PMC has lists for the even PMIDs only.
        return 200, {"Content-Type": "application/json"}, search_reply(
            query, lambda pmid: int(pmid) % 2 == 0)

    responses.add_callback(responses.GET, EPMC_SEARCH, callback=search)


@responses.activate
def test_europe_pmc_starts_are_spaced_at_its_published_rate() -> None:
    serve_bare_pubmed()
    responses.add(responses.GET, EPMC_REFS, body=REFERENCES, content_type="application/json")
    clock = FakeClock()
    pmids = [str(41_000_000 + i) for i in range(10)]
    results = resolve_many(fake_clock_client(clock), [parse_identifier(p) for p in pmids])
    assert [r.status for r in results] == ["found"] * 10
    assert [bool(r.record and r.record.references) for r in results] == [True, False] * 5
    asked = [c for c in responses.calls if "/MED/" in str(c.request.url)]
    assert len(asked) == 5  # only the articles Europe PMC said it has a list for
    # One search and five lists on threads: five intervals of 1/8 s, nothing ran early.
    assert sum(clock.sleeps) == pytest.approx(5 / limits.EUROPEPMC.rate)


@responses.activate
def test_a_429_holds_the_service_for_retry_after_across_threads() -> None:
    serve_bare_pubmed()
    clock = FakeClock()
    seen: dict[str, list[float]] = {}

    def refs(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        match = EPMC_REFS.match(str(request.url))
        assert match is not None
        times = seen.setdefault(match.group(1), [])
        times.append(clock.now)
        if match.group(1) == "41000004" and len(times) == 1:
            return 429, {"Retry-After": "5", "Content-Type": "application/json"}, b"{}"
        return 200, {"Content-Type": "application/json"}, REFERENCES

    responses.add_callback(responses.GET, EPMC_REFS, callback=refs)
    pmids = [str(41_000_000 + i) for i in range(0, 16, 2)]
    results = resolve_many(fake_clock_client(clock), [parse_identifier(p) for p in pmids])
    assert all(r.status == "found" and r.record and r.record.references for r in results)
    first, again = seen["41000004"]
    assert again - first >= 5.0  # the retry waited what Europe PMC asked for
    assert sum(clock.sleeps) >= 5.0
    assert max(len(t) for t in seen.values()) == 2  # only the limited one was asked twice


@responses.activate
def test_a_refused_search_falls_back_to_asking_each_record() -> None:
    serve_bare_pubmed()
    responses.replace(responses.GET, EPMC_SEARCH, status=400,  # type: ignore[arg-type]
                      json={"errCode": 400, "errMsg": "query too long"})
    responses.add(responses.GET, EPMC_REFS, body=REFERENCES, content_type="application/json")
    pmids = [str(41_000_000 + i) for i in range(5)]
    results = resolve_many(fake_clock_client(FakeClock()), [parse_identifier(p) for p in pmids])
    assert all(r.status == "found" and r.record and r.record.references for r in results)
    assert len([c for c in responses.calls if "/MED/" in str(c.request.url)]) == 5


@responses.activate
def test_cancel_during_the_side_by_side_lookups_starts_no_more() -> None:
    serve_bare_pubmed()
    stop = threading.Event()

    def refs(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        stop.set()  # the user presses Cancel as the first list arrives
        return 200, {"Content-Type": "application/json"}, REFERENCES

    responses.add_callback(responses.GET, EPMC_REFS, callback=refs)
    pmids = [str(41_000_000 + i) for i in range(0, 40, 2)]  # 20 with lists
    results = resolve_many(fake_clock_client(FakeClock()), [parse_identifier(p) for p in pmids],
                           cancelled=stop.is_set)
    asked = [c for c in responses.calls if "/MED/" in str(c.request.url)]
    assert 1 <= len(asked) <= limits.EUROPEPMC.concurrency  # those already under way
    assert {r.status for r in results} == {"cancelled"}
