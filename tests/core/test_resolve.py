"""resolve_many: batching, PubMed-first merging with Crossref and Europe PMC, per-item outcomes.

Every service is served by ``responses`` from our own samples in tests/data/pubmed: efetch
replies are the edge-case sample renumbered per requested PMID, so batches can be checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
import responses

from spinelib.identifiers import Identifier, parse_identifier
from spinelib.settings import Settings
from spinelib.sources.http import HttpClient
from spinelib.sources.resolve import Resolution, resolve_many

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
EUTILS = "http://eutils.test/eutils"
IDCONV = "http://idconv.test/idconv/"
CROSSREF = "http://crossref.test"
EUROPEPMC = "http://epmc.test/rest"
EFETCH = f"{EUTILS}/efetch.fcgi"
ESEARCH = f"{EUTILS}/esearch.fcgi"
CROSSREF_WORKS = re.compile(r"^http://crossref\.test/works/.+")
CROSSREF_LIST = re.compile(r"^http://crossref\.test/works\?")
EPMC_REFS = re.compile(r"^http://epmc\.test/rest/MED/\d+/references")

SAMPLE = (DATA / "efetch_edge_cases.xml").read_text(encoding="utf-8")
ARTICLES = {m.group(1): m.group(0) for m in re.finditer(
    r"<PubmedArticle>\s*<MedlineCitation[^>]*>\s*<PMID Version=\"1\">(\d+)</PMID>.*?"
    r"</PubmedArticle>", SAMPLE, re.S)}
CROSSREF_WORK = json.loads((DATA / "crossref_work_pone_0123456.json").read_text())


def ids(*texts: str) -> list[Identifier]:
    return [parse_identifier(t) for t in texts]


def make_client(**changes: object) -> HttpClient:
    settings = Settings(email="tests@example.org", eutils_url=EUTILS, idconv_url=IDCONV,
                        crossref_url=CROSSREF, europepmc_url=EUROPEPMC, max_retries=1)
    for key, value in changes.items():
        setattr(settings, key, value)
    return HttpClient(settings, sleep=lambda s: None)


def request_ids(request: requests.PreparedRequest) -> list[str]:
    form = parse_qs(str(request.body)) if request.method == "POST" else parse_qs(
        urlsplit(str(request.url)).query)
    return form["id"][0].split(",")


def efetch_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    """Serve the sample's articles by PMID; other PMIDs get article 31000003 renumbered,
    except those starting 3999 which efetch (like the real one) silently leaves out."""
    parts = []
    for pmid in request_ids(request):
        if pmid in ARTICLES:
            parts.append(ARTICLES[pmid])
        elif not pmid.startswith("3999"):
            parts.append(ARTICLES["31000003"].replace("31000003", pmid))
    body = f'<?xml version="1.0" ?>\n<PubmedArticleSet>{"".join(parts)}</PubmedArticleSet>'
    return 200, {"Content-Type": "text/xml; charset=UTF-8"}, body


ESEARCH_HITS = {"10.1371/journal.pone.0123456": "31000002",
                "10.1097/brs.0000000000009999": "31000001",
                "10.5555/wrong.pmid": "31000001"}


def esearch_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    """esearch for ``"A"[doi] OR "B"[doi]``: the PMIDs of ESEARCH_HITS among the DOIs."""
    form = parse_qs(str(request.body)) if request.method == "POST" else parse_qs(
        urlsplit(str(request.url)).query)
    dois = re.findall(r'"([^"]+)"\[doi\]', form["term"][0])
    if any(doi.startswith("10.5555/pubmed.chokes") for doi in dois):
        return 400, {"Content-Type": "application/json"}, '{"error":"Invalid query"}'
    hits = [ESEARCH_HITS[d] for d in dois if d in ESEARCH_HITS]
    result = {"count": str(len(hits)), "retmax": str(len(hits)), "retstart": "0",
              "idlist": hits}
    return 200, {"Content-Type": "application/json"}, json.dumps({"esearchresult": result})


def crossref_list_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    """``/works?filter=doi:A,doi:B``: a work-list envelope of the works known (real shape:
    message.items, total-results, next-cursor); a 400 validation failure for a refused DOI."""
    query = parse_qs(urlsplit(str(request.url)).query)
    dois = [f.removeprefix("doi:") for f in query["filter"][0].split(",")]
    if any(d.startswith("10.5555/unreachable") for d in dois):
        raise requests.exceptions.ConnectionError("Connection refused")
    if any(d.startswith("10.5555/refused") for d in dois):
        failure = {"status": "failed", "message-type": "validation-failure", "message": [
            {"type": "filter-invalid", "value": "doi", "message": "Invalid DOI"}]}
        return 400, {"Content-Type": "application/json"}, json.dumps(failure)
    items = [work["message"] for work in map(crossref_work, dois) if work is not None]
    envelope = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": len(items), "items": items,
                            "items-per-page": int(query["rows"][0]),
                            "query": {"start-index": 0, "search-terms": None},
                            "next-cursor": "DnF1ZXJ5VGhlbkZldGNo"}}
    return 200, {"Content-Type": "application/json"}, json.dumps(envelope)


def crossref_work(doi: str) -> dict[str, object] | None:
    """The /works/{doi} envelope Crossref holds for ``doi`` (None: not known)."""
    if doi == "10.1371/journal.pone.0123456":
        return CROSSREF_WORK  # type: ignore[no-any-return]
    if doi.startswith("10.5555/nowhere"):
        return None
    work = json.loads(json.dumps(CROSSREF_WORK))
    work["message"].update(DOI=doi, title=[f"Crossref-only work {doi}"], reference=[])
    return work  # type: ignore[no-any-return]


def crossref_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    doi = unquote(urlsplit(str(request.url)).path.removeprefix("/works/")).lower()
    if doi == "10.1371/journal.pone.0123456":
        return 200, {"Content-Type": "application/json"}, json.dumps(CROSSREF_WORK)
    if doi.startswith("10.5555/nowhere"):
        return 404, {"Content-Type": "text/plain"}, "Resource not found."
    if doi.startswith("10.5555/refused"):
        return 400, {"Content-Type": "text/plain"}, "Bad request."
    if doi.startswith("10.5555/unreachable"):
        raise requests.exceptions.ConnectionError("Connection refused")
    work = json.loads(json.dumps(CROSSREF_WORK))
    work["message"].update(DOI=doi, title=[f"Crossref-only work {doi}"], reference=[])
    return 200, {"Content-Type": "application/json"}, json.dumps(work)


def serve_all(*, epmc: bool = True) -> None:
    responses.add_callback(responses.GET, EFETCH, callback=efetch_reply)
    responses.add_callback(responses.POST, EFETCH, callback=efetch_reply)
    responses.add_callback(responses.GET, ESEARCH, callback=esearch_reply)
    responses.add_callback(responses.POST, ESEARCH, callback=esearch_reply)
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=crossref_list_reply)
    responses.add(responses.GET, IDCONV, body=(DATA / "idconv_pmcids.json").read_bytes(),
                  content_type="application/json")
    responses.add_callback(responses.GET, CROSSREF_WORKS, callback=crossref_reply)
    if epmc:
        responses.add(responses.GET, EPMC_REFS,
                      body=(DATA / "europepmc_references_31000003.json").read_bytes(),
                      content_type="application/json")


def calls_to(prefix: str) -> list[responses.Call]:
    return [c for c in responses.calls if str(c.request.url).startswith(prefix)]


def by_value(results: list[Resolution]) -> dict[str, Resolution]:
    return {r.identifier.value: r for r in results}


# -- the mixed batch ----------------------------------------------------------------------------

@responses.activate
def test_mixed_batch_gives_one_outcome_per_identifier_in_order() -> None:
    serve_all()
    inputs = ids("31000001", "39999999", "10.1371/journal.pone.0123456",
                 "10.5555/crossref.only", "10.5555/nowhere", "10.5555/refused",
                 "PMC7000001", "PMC7000005", "PMC9999999")
    results = resolve_many(make_client(), inputs)
    assert [r.identifier for r in results] == inputs
    got = {r.identifier.value: (r.status, r.message) for r in results}
    assert {k: v[0] for k, v in got.items()} == {
        "31000001": "found", "39999999": "not_found",
        "10.1371/journal.pone.0123456": "found", "10.5555/crossref.only": "found",
        "10.5555/nowhere": "not_found", "10.5555/refused": "failed",
        "PMC7000001": "found", "PMC7000005": "found", "PMC9999999": "not_found"}
    assert got["39999999"][1] == "PubMed has no record for PMID 39999999"
    assert "neither PubMed nor Crossref knows DOI 10.5555/nowhere" in got["10.5555/nowhere"][1]
    assert "Crossref refused the request (HTTP 400" in got["10.5555/refused"][1]
    assert "PMC9999999" in got["PMC9999999"][1]
    assert all(r.record is None for r in results if r.status != "found")
    # PMIDs from every route share one efetch request.
    assert len(calls_to(EFETCH)) == 1
    assert sorted(request_ids(calls_to(EFETCH)[0].request)) == [
        "31000001", "31000002", "39999999"]


@responses.activate
def test_doi_in_pubmed_is_the_pubmed_record_filled_by_crossref() -> None:
    serve_all()
    (res,) = resolve_many(make_client(), ids("https://doi.org/10.1371/journal.pone.0123456"))
    rec = res.record
    assert res.status == "found" and rec is not None
    assert rec.source == "pubmed" and rec.pmid == "31000002"
    assert rec.publication_types == ["Journal Article", "Retracted Publication"]  # PubMed's
    assert rec.abstract == "An unstructured abstract about SBRT."  # PubMed wins
    assert len(rec.references) == 2  # PubMed had none: Crossref's list
    assert rec.references[0].doi == "10.1016/s0140-6736(05)66954-1"
    assert rec.authors[0].orcid == "0000-0002-1825-0097"  # ORCID copied from Crossref
    assert not calls_to(EUROPEPMC)


@responses.activate
def test_crossref_only_doi_and_pmcid_keep_learned_identifiers() -> None:
    serve_all()
    results = by_value(resolve_many(make_client(), ids("10.5555/crossref.only", "PMC7000005",
                                                       "PMC7000001")))
    only = results["10.5555/crossref.only"].record
    assert only is not None and only.source == "crossref" and only.pmid == ""
    assert only.doi == "10.5555/crossref.only"
    pmc_doi = results["PMC7000005"].record
    assert pmc_doi is not None
    assert (pmc_doi.doi, pmc_doi.pmcid) == ("10.5555/pmc.only.7000005", "PMC7000005")
    pmc_pmid = results["PMC7000001"].record
    assert pmc_pmid is not None and pmc_pmid.source == "pubmed"
    assert (pmc_pmid.pmid, pmc_pmid.pmcid, pmc_pmid.doi) == (
        "31000001", "PMC7000001", "10.1097/brs.0000000000009999")
    query = parse_qs(urlsplit(str(calls_to(IDCONV)[0].request.url)).query)
    assert query["idtype"] == ["pmcid"] and query["ids"] == ["PMC7000005,PMC7000001"]


@responses.activate
def test_pubmed_doi_that_disagrees_falls_back_to_crossref() -> None:
    serve_all()
    (res,) = resolve_many(make_client(), ids("10.5555/wrong.pmid"))
    assert res.status == "found" and res.record is not None
    assert res.record.source == "crossref" and res.record.doi == "10.5555/wrong.pmid"
    assert res.record.pmid == ""  # the PMID esearch gave belongs to another article


@responses.activate
def test_pubmed_search_refusal_still_tries_crossref() -> None:
    serve_all()
    (res,) = resolve_many(make_client(), ids("10.5555/pubmed.chokes"))
    assert res.status == "found" and res.record is not None
    assert res.record.source == "crossref"


# -- references ---------------------------------------------------------------------------------

@responses.activate
def test_pmid_with_pubmed_references_needs_no_other_source() -> None:
    serve_all()
    (res,) = resolve_many(make_client(), ids("31000001"))
    assert res.record is not None and len(res.record.references) == 3
    assert not calls_to(CROSSREF) and not calls_to(EUROPEPMC)


@responses.activate
def test_pmid_with_doi_but_no_references_asks_crossref() -> None:
    serve_all()
    (res,) = resolve_many(make_client(), ids("31000002"))
    assert res.record is not None and len(res.record.references) == 2
    assert len(calls_to(CROSSREF)) == 1 and not calls_to(EUROPEPMC)


@responses.activate
def test_no_references_anywhere_asks_europe_pmc() -> None:
    serve_all()
    (res,) = resolve_many(make_client(), ids("31000003"))  # no DOI, no ReferenceList
    rec = res.record
    assert rec is not None and [r.position for r in rec.references] == [1, 2]
    assert rec.references[0].pmid == "16112300"
    assert len(calls_to(EUROPEPMC)) == 1 and not calls_to(CROSSREF)


@responses.activate
def test_filler_sources_failing_never_lose_the_record() -> None:
    responses.add_callback(responses.GET, EFETCH, callback=efetch_reply)
    responses.add(responses.GET, CROSSREF_WORKS,
                  body=requests.exceptions.ConnectionError("Connection refused"))
    responses.add(responses.GET, EPMC_REFS, status=503)
    results = resolve_many(make_client(), ids("31000002", "31000003"))
    assert [r.status for r in results] == ["found", "found"]
    assert all(r.record is not None and r.record.references == [] for r in results)
    # Crossref proved unreachable once and was not asked again for the second record.
    assert len(calls_to(CROSSREF)) == 2  # max_retries=1 -> two attempts, one identifier


@responses.activate
def test_without_references_no_extra_calls_and_empty_lists() -> None:
    serve_all()
    results = resolve_many(make_client(), ids("31000001", "31000002", "31000003",
                                              "10.1371/journal.pone.0123456"),
                           with_references=False)
    assert all(r.status == "found" and r.record is not None for r in results)
    assert all(r.record.references == [] for r in results if r.record)
    assert not calls_to(EUROPEPMC)
    # Only the DOI input asks Crossref (to fill gaps), and its references are dropped.
    assert len(calls_to(CROSSREF)) == 1
    doi_record = results[3].record
    assert doi_record is not None and doi_record.authors[0].orcid == "0000-0002-1825-0097"


# -- batching, progress, cancel, duplicates -----------------------------------------------------

@responses.activate
def test_thousand_pmids_five_efetch_requests() -> None:
    responses.add_callback(responses.POST, EFETCH, callback=efetch_reply)
    pmids = [str(40000000 + i) for i in range(999)] + ["39990001"]
    seen: list[tuple[int, int]] = []
    results = resolve_many(make_client(), ids(*pmids), with_references=False,
                           progress=lambda done, total: seen.append((done, total)))
    assert len(responses.calls) == 5
    assert all(c.request.method == "POST" for c in responses.calls)
    assert [r.status for r in results].count("found") == 999
    assert results[-1].status == "not_found"
    assert seen[-1] == (1000, 1000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@responses.activate
def test_progress_counts_identifiers_and_moves_during_searches() -> None:
    serve_all()
    seen: list[tuple[int, int]] = []
    resolve_many(make_client(), ids("10.5555/a.one", "10.5555/b.two", "31000001", "PMC7000001"),
                 progress=lambda done, total: seen.append((done, total)))
    assert {total for _, total in seen} == {4}
    dones = [done for done, _ in seen]
    assert dones == sorted(dones) and dones[-1] == 4
    assert 0 < dones[1] < 4  # something shown before the records are assembled


@responses.activate
def test_pubmed_unreachable_makes_items_offline_fast() -> None:
    responses.add(responses.POST, EFETCH,
                  body=requests.exceptions.ConnectionError("Connection refused"))
    responses.add(responses.GET, ESEARCH,
                  body=requests.exceptions.ConnectionError("Connection refused"))
    pmids = [str(40000000 + i) for i in range(400)]
    results = resolve_many(make_client(), ids(*pmids, "10.1000/xyz"))
    assert {r.status for r in results} == {"offline"}
    assert results[0].message == "cannot reach PubMed: connection refused"
    # Two attempts for the first request; nothing more once PubMed is known to be down.
    assert len(responses.calls) == 2


@responses.activate
def test_unreadable_pubmed_answer_fails_that_batch_only() -> None:
    responses.add(responses.GET, EFETCH, body=(DATA / "error_page.html").read_bytes(),
                  content_type="text/html")
    serve_all()
    results = resolve_many(make_client(), ids("31000001", "10.5555/crossref.only"))
    assert results[0].status == "failed"
    assert "web page" in results[0].message
    assert results[1].status == "found"


@responses.activate
def test_unexpected_parser_bug_is_failed_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    serve_all()

    def broken(payload: object) -> object:
        raise KeyError("message")

    from spinelib.sources import crossref
    monkeypatch.setattr(crossref, "parse_work", broken)
    results = resolve_many(make_client(), ids("10.5555/crossref.only", "31000001"))
    assert results[0].status == "failed" and "KeyError" in results[0].message
    assert results[1].status == "found"


@responses.activate
def test_cancel_stops_and_reports_the_rest() -> None:
    serve_all()
    asked = iter([False, False, True])
    results = resolve_many(make_client(), ids("10.5555/a.one", "10.5555/b.two", "31000001"),
                           cancelled=lambda: next(asked, True))
    assert [r.status for r in results] == ["cancelled"] * 3
    assert all("cancelled" in r.message for r in results)


@responses.activate
def test_duplicates_share_work_but_not_records() -> None:
    serve_all()
    results = resolve_many(make_client(), ids("31000001", "PMID: 31000001"))
    assert len(results) == 2 and len(calls_to(EFETCH)) == 1
    first, second = (r.record for r in results)
    assert first is not None and second is not None and first is not second
    assert first == second


def test_empty_input() -> None:
    assert resolve_many(make_client(), []) == []
