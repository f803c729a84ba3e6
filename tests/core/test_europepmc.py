"""Europe PMC source: reference/citation lists, paging, ext_id search, over ``responses``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import responses
from responses import matchers

from spinelib.errors import InvalidIdentifier, ServiceError
from spinelib.records import ReferenceEntry
from spinelib.settings import Settings
from spinelib.sources import europepmc
from spinelib.sources.europepmc import (
    citation_text,
    fetch_references,
    parse_references,
    parse_search,
    search_ext_id,
)
from spinelib.sources.http import HttpClient

DATA = Path(__file__).resolve().parent.parent / "data" / "europepmc"
BASE = "http://127.0.0.1:9/europepmc"  # what tests/conftest.py points SPINELIB_EUROPEPMC_URL at


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def client() -> HttpClient:
    settings = Settings().with_env()
    assert settings.europepmc_url == BASE
    return HttpClient(settings, sleep=lambda s: None)


# --------------------------------------------------------------------------- parsing


def test_references_follow_cited_order_and_carry_ids() -> None:
    refs = parse_references(_load("references_MED_30000001.json"))
    assert [r.position for r in refs] == [1, 2, 3, 4, 5]
    # citedOrder 1 is the second item in the reply.
    assert refs[0] == ReferenceEntry(
        position=1,
        citation="Sahgal A, Larson DA. Stereotactic body radiotherapy for spinal metastases: "
                 "a multicentre review. Lancet Oncol. 2012;13:395-402.",
        pmcid="PMC5000001",
    )
    assert refs[1].pmid == "90000011"
    assert refs[1].doi == "10.5555/sins.2010.e1221"
    assert refs[1].citation.endswith(". Spine (Phila Pa 1976). 2010;35(22):E1221-9.")
    # An entry Europe PMC could not match: text only.
    assert refs[2] == ReferenceEntry(position=3,
                                     citation="Enneking WF. Musculoskeletal tumor surgery. 1983.")
    assert refs[3].pmid == "90000044"
    assert refs[3].citation.endswith("Lancet. 2005;366(9486):643-648.")
    # Another database's id is not a PMID.
    assert (refs[4].pmid, refs[4].pmcid) == ("", "")


def test_reply_order_kept_when_cited_order_is_missing() -> None:
    payload = {"hitCount": 2, "referenceList": {"reference": [
        {"id": "2", "source": "MED", "title": "B", "citedOrder": 2},
        {"id": "1", "source": "MED", "title": "A"},
    ]}}
    assert [r.pmid for r in parse_references(payload)] == ["2", "1"]


def test_citation_list_is_accepted() -> None:
    payload = {"version": "3.0.1", "hitCount": 1, "request": {"id": "1", "source": "MED"},
               "citationList": {"citation": [{"id": "19308318", "source": "MED",
                                              "title": "A dynamic reinfection hypothesis.",
                                              "authorString": "Cardona PJ.",
                                              "journalAbbreviation": "Infection",
                                              "pubYear": 2009, "volume": "37", "issue": "2",
                                              "pageInfo": "80-86"}]}}
    assert parse_references(payload) == [ReferenceEntry(
        position=1, pmid="19308318",
        citation="Cardona PJ. A dynamic reinfection hypothesis. Infection. 2009;37(2):80-86.")]


def test_single_item_given_as_an_object() -> None:
    payload = {"hitCount": 1, "referenceList": {"reference": {"id": "7", "source": "MED"}}}
    assert parse_references(payload) == [ReferenceEntry(position=1, pmid="7")]


@pytest.mark.parametrize(("item", "text"), [
    ({"title": "T", "pubYear": "2001", "issue": "S1"}, "T. 2001;(S1)."),
    ({"journalTitle": "Journal of Spine", "pageInfo": "1-9"}, "Journal of Spine. 1-9."),
    ({"authorString": "A B.", "title": "<i>In vivo</i> work.", "volume": "3"},
     "A B. In vivo work. 3."),
    ({}, ""),
])
def test_citation_text_pieces(item: dict[str, Any], text: str) -> None:
    assert citation_text(item) == text


@pytest.mark.parametrize("payload", [
    {"version": "6.9", "hitCount": 0, "request": {"id": "1", "source": "MED"}},
    {"hitCount": 0, "referenceList": {"reference": []}},
    {"hitCount": 0, "citationList": {"citation": []}},
])
def test_empty_lists(payload: dict[str, Any]) -> None:
    assert parse_references(payload) == []


@pytest.mark.parametrize(("payload", "message"), [
    ([], "not a JSON object"),
    ({"hitCount": 3}, "neither a reference list nor a citation list"),
    ({"errMsg": "Invalid source"}, "neither a reference list nor a citation list"),
    ({"referenceList": {"reference": "junk"}}, "malformed referenceList"),
])
def test_bad_reference_payloads(payload: object, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        parse_references(payload)


def test_parse_search_normalises_ids() -> None:
    payload = {"version": "6.9", "hitCount": 2, "resultList": {"result": [
        {"id": "17183658", "source": "MED", "pmid": "17183658", "pmcid": "pmc1762313",
         "doi": "10.1371/JOURNAL.PONE.0000030", "title": "Triose <i>phosphate</i>"},
        {"id": "PPR1", "source": "PPR", "title": "A preprint"},
    ]}}
    assert parse_search(payload) == [
        {"id": "17183658", "source": "MED", "pmid": "17183658", "pmcid": "PMC1762313",
         "doi": "10.1371/journal.pone.0000030", "title": "Triose phosphate"},
        {"id": "PPR1", "source": "PPR", "pmid": "", "pmcid": "", "doi": "", "title": "A preprint"},
    ]


@pytest.mark.parametrize(("payload", "message"), [
    ("x", "not a JSON object"),
    ({"hitCount": 1}, "no result list"),
    ({"resultList": {"result": {}}}, "malformed result list"),
])
def test_bad_search_payloads(payload: object, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        parse_search(payload)


# --------------------------------------------------------------------------- fetching


def _page_params(page: int, size: int) -> list[Any]:
    return [matchers.query_param_matcher(
        {"format": "json", "page": str(page), "pageSize": str(size)})]


@responses.activate
def test_fetch_references_one_page(client: HttpClient) -> None:
    responses.get(f"{BASE}/MED/30000001/references", json=_load("references_MED_30000001.json"),
                  match=_page_params(1, europepmc.PAGE_SIZE))
    refs = fetch_references(client, "PMID: 30000001")
    assert len(refs) == 5 and refs[1].pmid == "90000011"
    assert len(responses.calls) == 1


@responses.activate
def test_fetch_references_follows_pages(client: HttpClient,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(europepmc, "PAGE_SIZE", 2)
    url = f"{BASE}/MED/30000002/references"
    responses.get(url, json=_load("references_MED_30000002_page1.json"), match=_page_params(1, 2))
    responses.get(url, json=_load("references_MED_30000002_page2.json"), match=_page_params(2, 2))
    refs = fetch_references(client, "30000002")
    assert [(r.position, r.pmid) for r in refs] == [
        (1, "11111111"), (2, "22222222"), (3, "33333333")]
    assert refs[2].doi == "10.5555/third"
    assert len(responses.calls) == 2


@responses.activate
def test_fetch_references_is_bounded(client: HttpClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # A server that always claims more than it sends must not keep us looping.
    monkeypatch.setattr(europepmc, "MAX_PAGES", 3)
    responses.get(f"{BASE}/MED/5/references",
                  json={"hitCount": 1000, "referenceList": {"reference": [{"id": "9"}]}})
    assert len(fetch_references(client, "5")) == 3
    assert len(responses.calls) == 3


@responses.activate
def test_fetch_references_stops_on_an_empty_page(client: HttpClient) -> None:
    responses.get(f"{BASE}/MED/5/references",
                  json={"hitCount": 50, "referenceList": {"reference": []}})
    assert fetch_references(client, "5") == []
    assert len(responses.calls) == 1


@responses.activate
def test_fetch_references_404_is_empty(client: HttpClient) -> None:
    responses.get(f"{BASE}/MED/5/references", status=404, body="Not Found",
                  content_type="text/plain")
    assert fetch_references(client, "5") == []


@responses.activate
def test_fetch_references_hit_count_zero_is_empty(client: HttpClient) -> None:
    responses.get(f"{BASE}/MED/5/references", json={"version": "6.9", "hitCount": 0})
    assert fetch_references(client, "5") == []


@responses.activate
def test_fetch_references_not_json(client: HttpClient) -> None:
    responses.get(f"{BASE}/MED/5/references", body="<html><body>Maintenance</body></html>",
                  content_type="text/html")
    with pytest.raises(ServiceError, match=r"^Europe PMC \(references of PMID 5\) .*not JSON"):
        fetch_references(client, "5")


@responses.activate
@pytest.mark.parametrize("bad", ["PMC123", "10.1/x", "abc"])
def test_fetch_references_wants_a_pmid(client: HttpClient, bad: str) -> None:
    with pytest.raises(InvalidIdentifier):
        fetch_references(client, bad)
    assert len(responses.calls) == 0


@responses.activate
def test_search_ext_id_returns_the_matching_hit(client: HttpClient) -> None:
    responses.get(f"{BASE}/search", match=[matchers.query_param_matcher(
        {"query": "ext_id:17183658 src:med", "format": "json", "resultType": "lite"})],
        json={"hitCount": 1, "resultList": {"result": [
            {"id": "17183658", "source": "MED", "pmid": "17183658", "pmcid": "PMC1762313",
             "doi": "10.1371/journal.pone.0000030"}]}})
    hit = search_ext_id(client, "17183658")
    assert hit is not None
    assert (hit["pmcid"], hit["doi"]) == ("PMC1762313", "10.1371/journal.pone.0000030")


@responses.activate
def test_search_ext_id_ignores_another_article(client: HttpClient) -> None:
    responses.get(f"{BASE}/search", json={"hitCount": 1, "resultList": {"result": [
        {"id": "999", "source": "MED", "pmid": "999"}]}})
    assert search_ext_id(client, "17183658") is None
