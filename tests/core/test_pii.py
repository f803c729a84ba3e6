"""Elsevier PIIs: a ScienceDirect, Lancet or Spine Journal link imports through Crossref.

Crossref is served by ``responses`` in the real list shape (``message.items`` of works shaped
like our recorded ``/works/{doi}`` sample, each carrying ``alternative-id`` as Elsevier
deposits it: the compact PII), PubMed by efetch XML from :func:`tests.fakeserver.pubmed_article`
and esearch JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import Identifier, parse_fetchable, parse_identifier
from spinelib.identifiertext import find_identifiers
from spinelib.importer import import_identifiers, plan, retry_pending, run_import
from spinelib.library import Library
from spinelib.pii import compact_pii, pii_in, printed_pii
from spinelib.records import ArticleRecord
from spinelib.sources.resolve_indirect import resolve_indirect
from tests.core.test_resolve_batched import (
    CROSSREF_LIST,
    ESEARCH_TERMS,
    make_client,
    serve_one_article,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
WORK = json.loads((DATA / "crossref_work_pone_0123456.json").read_text())

#: Patchell et al., Lancet 2005 (the MESCC trial): in PubMed and Crossref.
LANCET_PII, LANCET_DOI, LANCET_PMID = ("S0140673605669541", "10.1016/s0140-6736(05)66954-1",
                                       "16112300")
#: An article of The Spine Journal (ISSN 1529-9430) known to Crossref only.
SPINE_PII, SPINE_DOI = "S1529943020300012", "10.1016/j.spinee.2020.01.001"
LANCET_LINK = ("https://www.thelancet.com/journals/lancet/article/"
               "PIIS0140-6736(05)66954-1/fulltext")
SPINE_LINK = "https://www.sciencedirect.com/science/article/pii/S1529943020300012?via%3Dihub"


@pytest.mark.parametrize("text", [
    SPINE_LINK,
    "https://www.sciencedirect.com/science/article/abs/pii/S1529943020300012",
    "https://linkinghub.elsevier.com/retrieve/pii/S1529-9430(20)30001-2",
    "https://www.thespinejournalonline.com/article/S1529-9430(20)30001-2/fulltext",
    "https://www.thespinejournalonline.com/article/S1529-9430%2820%2930001-2/pdf",
    "PII: S1529-9430(20)30001-2",
    "pii s1529943020300012",
    "S1529-9430(20)30001-2",
    "S1529943020300012.",
    "https://www.thespinejournalonline.com/action/showPdf?pii=S1529-9430%2820%2930001-2",
    "https://www.sciencedirect.com/science/article/pii/S1529943020300012/pdfft?md5=0a1b&pid=1",
])
def test_every_shape_of_a_pii_gives_the_compact_form(text: str) -> None:
    assert parse_fetchable(text) == Identifier("pii", SPINE_PII)


def test_a_pii_reads_as_journals_print_it_and_links_to_elsevier() -> None:
    ident = parse_fetchable(LANCET_LINK)
    assert ident == Identifier("pii", LANCET_PII)
    assert str(ident) == "PII S0140-6736(05)66954-1"
    assert ident.url == f"https://linkinghub.elsevier.com/retrieve/pii/{LANCET_PII}"
    assert printed_pii(LANCET_PII) == "S0140-6736(05)66954-1"


@pytest.mark.parametrize("text, reason", [
    # ISSN 0140-6737 fails its check digit: a typo, said as one
    ("S0140673705669541", "S0140673705669541 is shaped like an Elsevier PII, but the journal "
     "ISSN in it, 0140-6737, fails its check digit: a character is mistyped"),
    ("https://www.sciencedirect.com/science/article/pii/S0140673705669541",
     "the journal ISSN in it, 0140-6737, fails its check digit"),
    ("PII: S0140-6737(05)66954-1", "ISSN in it, 0140-6737, fails"),
    ("S014067360566954", "is not a DOI, PMID or PMCID"),  # one character short
    ("https://www.sciencedirect.com/search?qs=S0140673605669541",  # a search, not an article
     "web address without a DOI, PMID or PMCID"),
    ("https://example.org/S0140673605669541-notes", "web address without"),  # part of a step
    ("see S0140673605669541", "is not a DOI"),  # compact in prose: printed or labelled only
])
def test_what_is_not_a_pii_is_refused_with_the_reason(text: str, reason: str) -> None:
    assert pii_in(text) == ""
    with pytest.raises(InvalidIdentifier) as refused:
        parse_fetchable(text)
    assert reason in str(refused.value)


def test_readers_and_lookups_never_see_a_pii() -> None:
    # A .bib url field or a search token is read by parse_identifier: a PII is no field of
    # a record, so a ScienceDirect link stays a link there.
    with pytest.raises(InvalidIdentifier, match="web address without a DOI"):
        parse_identifier(SPINE_LINK)
    assert compact_pii("S1529-9430(20)30001-2") == SPINE_PII


def test_pasted_text_finds_piis_but_not_inside_a_doi() -> None:
    text = ("Patchell RA, et al. Lancet. 2005;366:643-8. PII: S0140-6736(05)66954-1\n"
            f"the spine paper: {SPINE_LINK} (read first)\n"
            "Cell. 2000;100:57-70. doi: 10.1016/S0092-8674(00)81683-9\n")
    found = [f.identifier for f in find_identifiers(text)]
    assert found == [Identifier("pii", LANCET_PII), Identifier("pii", SPINE_PII),
                     Identifier("doi", "10.1016/s0092-8674(00)81683-9")]


def test_a_reference_with_pmid_and_pii_is_fetched_by_its_pmid() -> None:
    [found] = find_identifiers("Lancet. 2005;366:643-8. PII: S0140-6736(05)66954-1. "
                               "PMID: 16112300.")
    assert found.identifier == Identifier("pmid", LANCET_PMID)


def test_plan_recognises_a_pii_link() -> None:
    [planned] = plan([LANCET_LINK])
    assert planned.kind == "identifier"
    assert planned.describe() == "PII S0140-6736(05)66954-1"


# -- resolving through Crossref ----------------------------------------------------------

def crossref_item(doi: str, pii: str) -> dict[str, object]:
    item = json.loads(json.dumps(WORK["message"]))
    item.update(DOI=doi.upper(), title=[f"Crossref work {doi}"], publisher="Elsevier BV")
    item["alternative-id"] = [pii]
    return item  # type: ignore[no-any-return]


#: What Crossref files under each PII (one of them claimed by two works).
FILED = {LANCET_PII: [crossref_item(LANCET_DOI, LANCET_PII)],
         SPINE_PII: [crossref_item("10.9999/aggregator.copy", SPINE_PII),
                     crossref_item(SPINE_DOI, SPINE_PII)]}


def alternative_ids(request: requests.PreparedRequest) -> list[str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    return [f.removeprefix("alternative-id:") for f in query["filter"][0].split(",")]


def crossref_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    items = [i for pii in alternative_ids(request) for i in FILED.get(pii, [])]
    message = {"facets": {}, "total-results": len(items), "items": items,
               "items-per-page": len(items), "next-cursor": "DnF1ZXJ5VGhlbkZldGNo"}
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
         "message": message})


def serve() -> None:
    serve_one_article(LANCET_PMID, "10.1016/S0140-6736(05)66954-1", crossref_reply)


def crossref_calls() -> list[str]:
    return [str(c.request.url) for c in responses.calls if "crossref.test" in str(c.request.url)]


@responses.activate
def test_piis_resolve_through_crossref_in_one_request_and_pubmed_is_preferred() -> None:
    serve()
    asked = [parse_fetchable(LANCET_LINK), parse_identifier("PMID: 16112300"),
             parse_fetchable(SPINE_LINK), parse_fetchable("S0022231315005475")]
    results = resolve_indirect(make_client(), asked)
    assert [r.identifier for r in results] == asked  # each under what was given
    assert [r.status for r in results] == ["found", "found", "found", "not_found"]
    lancet, by_pmid, spine, unknown = (r.record for r in results)
    assert lancet is not None and lancet.source == "pubmed" and lancet.pmid == LANCET_PMID
    assert lancet.doi == LANCET_DOI
    assert lancet.publisher == "Elsevier BV"  # Crossref's answer filled PubMed's gaps
    assert by_pmid is not None and by_pmid.pmid == LANCET_PMID
    assert spine is not None and spine.source == "crossref" and spine.doi == SPINE_DOI
    assert unknown is None
    assert results[3].message == ("neither Crossref nor PubMed files a work under "
                                  "Elsevier's PII S0022-2313(15)00547-5; paste the article's "
                                  "DOI or PMID instead")
    # One list request for the three PIIs; Crossref's answer for the DOIs is not asked again.
    [call] = crossref_calls()
    assert sorted(alternative_ids(call_request(call))) == sorted(
        [LANCET_PII, SPINE_PII, "S0022231315005475"])
    assert results[0].citation_counts == {"crossref": WORK["message"]["is-referenced-by-count"]}


def call_request(url: str) -> requests.PreparedRequest:
    return requests.Request("GET", url).prepare()


@responses.activate
def test_crossref_unreachable_leaves_piis_offline_and_others_found() -> None:
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    results = resolve_indirect(make_client(), [parse_fetchable(SPINE_LINK),
                                                parse_identifier(LANCET_PMID)])
    assert [r.status for r in results] == ["offline", "found"]
    assert results[0].message == "cannot reach Crossref: connection refused"


@responses.activate
def test_a_pii_link_imports_once_and_says_so_the_second_time(lib: Library) -> None:
    serve()
    report = run_import(lib, [SPINE_LINK, LANCET_LINK], client=make_client())
    assert [(i.given, i.status) for i in report.items] == [
        (SPINE_LINK, "imported"), (LANCET_LINK, "imported")]
    spine = lib.articles.record(report.items[0].article_id or 0)
    assert spine.doi == SPINE_DOI and spine.title == f"Crossref work {SPINE_DOI}"
    again = run_import(lib, ["PII: S1529-9430(20)30001-2"], client=make_client())
    assert [i.status for i in again.items] == ["unchanged"]
    assert again.items[0].article_id == report.items[0].article_id
    assert lib.search.count() == 2


@responses.activate
def test_an_offline_pii_is_queued_and_imported_when_crossref_is_back(lib: Library) -> None:
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    tag = lib.tags.create("Read before clinic")
    [item] = import_identifiers(lib, [parse_fetchable(SPINE_LINK)], client=make_client(),
                                tags=[tag], given={parse_fetchable(SPINE_LINK): SPINE_LINK})
    assert (item.given, item.status) == (SPINE_LINK, "queued")
    assert [(e.identifier, e.tags) for e in lib.pending.all()] == [(SPINE_PII, [tag])]
    # The queue lists it as journals print it, not as its compact value.
    assert lib.pending.label(SPINE_PII) == "PII S1529-9430(20)30001-2"
    responses.remove(responses.GET, CROSSREF_LIST)  # type: ignore[arg-type]
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=crossref_reply)
    report = retry_pending(lib, make_client())
    assert [i.status for i in report.items] == ["imported"]
    assert lib.pending.all() == []
    article_id = report.items[0].article_id or 0
    assert lib.articles.record(article_id).doi == SPINE_DOI
    assert [t.id for t in lib.tags.state(article_id).tags] == [tag]


def test_the_library_knows_a_pii_by_the_doi_elsevier_built_from_it(lib: Library) -> None:
    # Offline: the preview and the queue can tell the Lancet paper is held already, because
    # its DOI is 10.1016/ + the printed PII; The Spine Journal's DOI is not built so.
    [added] = lib.articles.add_records([ArticleRecord(
        title="Direct decompressive surgical resection", year=2005, doi=LANCET_DOI,
        journal="Lancet")])
    lancet, spine = parse_fetchable(LANCET_LINK), parse_fetchable(SPINE_LINK)
    doi = parse_identifier(LANCET_DOI)
    held = lib.articles.holding([lancet, spine, doi])
    assert sorted(held, key=str) == [doi, lancet]
    assert held[lancet].article_id == held[doi].article_id == added.article_id


@responses.activate
def test_offline_a_held_pii_is_named_not_queued(lib: Library) -> None:
    lib.articles.add_records([ArticleRecord(title="Direct decompressive surgical resection",
                                            year=2005, doi=LANCET_DOI, journal="Lancet")])
    responses.add(responses.GET, CROSSREF_LIST,
                  body=requests.exceptions.ConnectionError("Connection refused"))
    report = run_import(lib, [LANCET_LINK, SPINE_LINK], client=make_client())
    assert [(i.status, i.message) for i in report.items] == [
        ("unchanged", "already in the library; not refreshed while offline"),
        ("queued", "cannot reach Crossref: connection refused")]
    assert [e.identifier for e in lib.pending.all()] == [SPINE_PII]


@responses.activate
def test_a_pii_crossref_lacks_is_found_in_pubmeds_article_identifiers() -> None:
    def nothing(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        FILED.pop(LANCET_PII, None)  # Elsevier deposited no alternative-id for it
        return crossref_reply(request)

    serve_one_article(LANCET_PMID, "10.1016/S0140-6736(05)66954-1", nothing,
                      aid="S0140-6736(05)66954-1")
    try:
        [res] = resolve_indirect(make_client(), [parse_fetchable(LANCET_LINK)])
    finally:
        FILED[LANCET_PII] = [crossref_item(LANCET_DOI, LANCET_PII)]
    assert res.status == "found" and res.record is not None
    assert res.record.pmid == LANCET_PMID and res.record.doi == LANCET_DOI
    assert res.identifier == Identifier("pii", LANCET_PII)
    assert ESEARCH_TERMS[0] == '"S0140-6736(05)66954-1"[aid] OR "S0140673605669541"[aid]'
