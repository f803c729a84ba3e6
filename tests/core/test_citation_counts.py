"""Citation counts (issue 17): Crossref's ``is-referenced-by-count`` and Europe PMC's
``citedByCount``, taken from the replies an import fetches anyway and, on refresh, in
batches; stored with their date; shown by ``show``, ``list --json`` and sorted on.

Every HTTP call is answered by ``responses``: the Europe PMC search reply is the real
recorded one (/work/shared/fixtures/europepmc, lite ``ext_id`` search, PMID 17183658,
``citedByCount`` 23) and the "nothing found" one; PubMed and Crossref bodies are this
project's samples of their real shapes (tests/data/pubmed).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
import responses
import yaml

from spinelib.cli import main
from spinelib.library import Library, Query
from spinelib.refresh import refresh
from spinelib.settings import Settings
from spinelib.sources.europepmc import parse_cited_by
from spinelib.sources.http import HttpClient

from .helpers import make_record

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
BASE = "http://127.0.0.1:9"
ESEARCH = f"{BASE}/eutils/esearch.fcgi"
EFETCH = f"{BASE}/eutils/efetch.fcgi"
CROSSREF_WORKS = re.compile(r"^http://127\.0\.0\.1:9/crossref/works/.+")
CROSSREF_LIST = f"{BASE}/crossref/works"
EPMC_SEARCH = f"{BASE}/europepmc/search"
CROSSREF_WORK = (DATA / "crossref_work_pone_0123456.json").read_text()  # count 4
SAMPLE = (DATA / "efetch_edge_cases.xml").read_text(encoding="utf-8")


def cassette_body(fixtures: Path, name: str) -> str:
    tape = yaml.safe_load((fixtures / "europepmc" / name).read_text(encoding="utf-8"))
    return str(tape["http_interactions"][-1]["response"]["body"]["string"])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_real_europe_pmc_search_replies_give_counts(fixtures_dir: Path) -> None:
    found = json.loads(cassette_body(fixtures_dir, "lagotto_cassette_search_ext_id_17183658.yml"))
    assert parse_cited_by(found) == [("17183658", "10.1371/journal.pone.0000030", 23)]
    none = json.loads(cassette_body(fixtures_dir, "lagotto_cassette_search_ext_id_not_found.yml"))
    assert parse_cited_by(none) == []
    # A hit without a count (or with junk) gives none, never a zero.
    assert parse_cited_by({"hitCount": 1, "resultList": {"result": [
        {"id": "1", "source": "MED", "citedByCount": "n/a"}, {"id": "2", "source": "MED"}]}}
    ) == []


@responses.activate
def test_import_keeps_crossrefs_count_from_the_reply_it_fetched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    responses.add(responses.GET, ESEARCH, body=(DATA / "esearch_doi_none.json").read_bytes(),
                  content_type="application/json")
    responses.add(responses.GET, CROSSREF_WORKS, body=CROSSREF_WORK,
                  content_type="application/json")
    lib = str(tmp_path / "lib.sqlite")
    code, _out, err = run(capsys, "--library", lib, "import", "10.1371/journal.pone.0123456")
    assert code == 0, err
    # One Crossref request (the record's), none added for the count, no Europe PMC.
    assert len([c for c in responses.calls if "/crossref/" in c.request.url]) == 1
    assert not [c for c in responses.calls if "/europepmc/" in c.request.url]
    shown = json.loads(run(capsys, "--library", lib, "show", "10.1371/journal.pone.0123456",
                           "--json")[1])
    [count] = shown["citation_counts"]
    assert (count["source"], count["count"]) == ("crossref", 4)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*", count["date"])
    listed = json.loads(run(capsys, "--library", lib, "list", "--json")[1])
    assert listed[0]["citations"] == 4
    text = run(capsys, "--library", lib, "show", "10.1371/journal.pone.0123456")[1]
    assert f"Citation counts: 4 (Crossref, {count['date'][:10]})" in text


def _efetch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    """Article 31000003 of the sample, renumbered to each PMID asked for (29963580 with the
    DOI 10.1000/both.1 in its ArticleIdList)."""
    body = str(request.body or "") if request.method == "POST" else urlsplit(
        str(request.url)).query
    wanted = parse_qs(body)["id"][0].split(",")
    one = re.search(r"<PubmedArticle>\s*<MedlineCitation[^>]*>\s*<PMID Version=\"1\">"
                    r"31000003</PMID>.*?</PubmedArticle>", SAMPLE, re.S)
    assert one is not None
    parts = [one.group(0).replace("31000003", p) for p in wanted]
    parts = [p.replace('<ArticleId IdType="pubmed">29963580</ArticleId>',
                       '<ArticleId IdType="pubmed">29963580</ArticleId>'
                       '<ArticleId IdType="doi">10.1000/both.1</ArticleId>') for p in parts]
    return 200, {"Content-Type": "text/xml"}, (
        f'<?xml version="1.0" ?>\n<PubmedArticleSet>{"".join(parts)}</PubmedArticleSet>')


def _crossref_list(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    """/works?filter=doi:…: every DOI asked is cited 85 times."""
    query = parse_qs(urlsplit(str(request.url)).query)
    dois = [d.removeprefix("doi:") for d in query["filter"][0].split(",")]
    items = [{"DOI": d, "is-referenced-by-count": 85} for d in dois]
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
         "message": {"facets": {}, "total-results": len(items), "items": items,
                     "items-per-page": len(items), "query": {"start-index": 0,
                                                             "search-terms": None}}})


def _client() -> HttpClient:
    return HttpClient(Settings(email="t@example.org", eutils_url=f"{BASE}/eutils",
                               crossref_url=f"{BASE}/crossref",
                               europepmc_url=f"{BASE}/europepmc", max_retries=1),
                      sleep=lambda _s: None)


@responses.activate
def test_refresh_takes_counts_in_batches(tmp_path: Path, fixtures_dir: Path) -> None:
    found = cassette_body(fixtures_dir, "lagotto_cassette_search_ext_id_17183658.yml")
    nothing = cassette_body(fixtures_dir, "lagotto_cassette_search_ext_id_not_found.yml")

    def epmc(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlsplit(str(request.url)).query)["query"][0]
        return 200, {"Content-Type": "application/json"}, (
            found if "EXT_ID:17183658" in query else nothing)

    responses.add_callback(responses.POST, EFETCH, callback=_efetch)
    responses.add_callback(responses.GET, EFETCH, callback=_efetch)
    responses.add(responses.GET, ESEARCH, body=(DATA / "esearch_doi_none.json").read_bytes(),
                  content_type="application/json")
    responses.add(responses.GET, CROSSREF_WORKS, body=CROSSREF_WORK,
                  content_type="application/json")
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=_crossref_list)
    responses.add_callback(responses.GET, EPMC_SEARCH, callback=epmc)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        ids = [r.article_id for r in lib.articles.add_records([
            make_record(title="Europe PMC counts it", pmid="17183658", doi=""),
            make_record(title="Both count it", pmid="29963580", doi="10.1000/both.1"),
            make_record(title="Crossref only", pmid="",
                        doi="10.1371/journal.pone.0123456"),
            make_record(title="Never counted", pmid="", doi="")])]
        epmc_only, both, doi_only, never = ids
        results = refresh(lib, ids[:3], client=_client())
        assert [r.status for r in results] == ["found"] * 3

        def counts(aid: int) -> list[tuple[str, int]]:
            return [(c.source, c.count) for c in lib.retractions.citation_counts(aid)]

        assert counts(epmc_only) == [("europepmc", 23)]
        assert counts(both) == [("crossref", 85)]  # Europe PMC's reply did not hold it
        assert counts(doi_only) == [("crossref", 4)]  # from the reply refresh fetched
        # One Crossref batch, only for the DOI whose count no fetched reply carried.
        [batch] = [c for c in responses.calls if c.request.url.startswith(CROSSREF_LIST + "?")]
        assert parse_qs(urlsplit(batch.request.url).query)["filter"] == ["doi:10.1000/both.1"]
        searches = [c for c in responses.calls if c.request.url.startswith(EPMC_SEARCH)]
        queries = [parse_qs(urlsplit(c.request.url).query)["query"][0] for c in searches]
        # One PMID batch and one DOI batch (the DOI-only article), lite results.
        assert len(searches) == 2
        assert "EXT_ID:17183658" in queries[0] and "EXT_ID:29963580" in queries[0]
        assert unquote(queries[1]) == 'DOI:"10.1371/journal.pone.0123456"'
        # Sorting by the best count: most cited first, never-counted last.
        order = lib.search.ids(Query(sort="citations", descending=True))
        assert order == [both, epmc_only, doi_only, never]
        rows = lib.search.rows(order)
        assert [rows[i].citations for i in order] == [85, 23, 4, None]
        # A second refresh replaces each source's count (one per source, newly dated).
        refresh(lib, [both], client=_client())
        assert counts(both) == [("crossref", 85)]


@responses.activate
def test_a_count_service_down_costs_only_its_counts(tmp_path: Path) -> None:
    responses.add_callback(responses.POST, EFETCH, callback=_efetch)
    responses.add_callback(responses.GET, EFETCH, callback=_efetch)
    responses.add(responses.GET, CROSSREF_LIST, status=503, headers={"Retry-After": "0"})
    responses.add(responses.GET, EPMC_SEARCH, status=503, headers={"Retry-After": "0"})
    with Library.open(tmp_path / "lib.sqlite") as lib:
        [aid] = [r.article_id for r in lib.articles.add_records([
            make_record(title="Both count it", pmid="29963580", doi="10.1000/both.1")])]
        lib.retractions.record_counts({aid: {"crossref": 7}})
        before = lib.retractions.citation_counts(aid)
        [result] = refresh(lib, [aid], client=_client())
        assert result.status == "found"  # the refresh itself is not lost
        assert lib.retractions.citation_counts(aid) == before  # the old count and its date
        # Retried once each (max_retries=1), honouring Retry-After.
        assert len([c for c in responses.calls if "/europepmc/" in c.request.url]) == 2
