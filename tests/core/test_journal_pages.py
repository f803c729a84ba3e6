"""A spine journal's article address that carries no DOI or PII (spinelib/journalpages.py):
the Journal of Neurosurgery's names the article's journal, volume and first page, Wolters
Kluwer's (Spine, JBJS, Neurosurgery) its year and the first words of its title. Such an
address is recognised pasted alone or inside text, previewed, looked up in PubMed by that
place (esearch, then esummary: taken only when exactly one summary agrees), fetched by the
PMID found, queued offline and read back the same.

PubMed is served by ``responses``: esearch JSON, esummary JSON in the recorded reply's shape
(``ualib_esummary_27933103.json``), efetch from :func:`tests.fakeserver.pubmed_article`.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import FOUND_THROUGH_ANOTHER, Identifier, parse_fetchable
from spinelib.identifiertext import find_identifiers, parse_input
from spinelib.importer import retry_pending, run_import
from spinelib.journalpages import journal_page
from spinelib.library import Library
from spinelib.sources.resolve_indirect import resolve_indirect
from tests.core.test_resolve_batched import EFETCH, ESEARCH, EUTILS, make_client
from tests.fakeserver import article_set, pubmed_article

ESUMMARY = f"{EUTILS}/esummary.fcgi"
JNS = "https://thejns.org/spine/view/journals/j-neurosurg-spine/13/3/article-p324.xml"
LWW = ("https://journals.lww.com/spinejournal/Fulltext/2010/10150/"
       "A_Novel_Classification_System_for_Spinal.17.aspx")
OUP = "https://academic.oup.com/neurosurgery/article/85/3/E426/5150375"
#: The PMIDs this PubMed stand-in files the articles under (not their real ones).
BILSKY_PMID, FISHER_PMID, DECOY_PMID = "31000001", "31000002", "31000003"
OUP_PMID, OTHER_JOURNAL_PMID = "31000005", "31000006"
AJNR_PMID, BMJ_OPEN_PMID = "31000007", "31000008"
CUREUS_PMID, CUREUS_DECOY_PMID = "31000009", "31000010"
CUREUS = "https://www.cureus.com/articles/45987-metastatic-spinal-cord-compression-a-review#!/"
#: What esummary says of each: title, year, journal, volume, pages.
SUMMARIES = {
    BILSKY_PMID: ("Reliability analysis of the epidural spinal cord compression scale.",
                  "2010 Sep", "J Neurosurg Spine", "13", "324-8"),
    FISHER_PMID: ("A novel classification system for spinal instability in neoplastic "
                  "disease: an evidence-based approach and expert consensus from the Spine "
                  "Oncology Study Group.", "2010 Oct 15", "Spine (Phila Pa 1976)", "35",
                  "E1221-9"),
    # Found by the same title words, but another article (its title starts otherwise).
    DECOY_PMID: ("Spinal instability: a novel classification system for neoplastic "
                 "disease revisited.", "2010 Dec", "Spine (Phila Pa 1976)", "35", "E1300-5"),
    # Oxford's address names no journal PubMed can search by: the volume and page recur.
    OUP_PMID: ("Minimally invasive separation surgery.", "2019 Sep 1", "Neurosurgery", "85",
               "E426-E435"),
    OTHER_JOURNAL_PMID: ("Another journal's page E426.", "2019", "Pain Med", "85", "E426-30"),
    AJNR_PMID: ("Percutaneous vertebroplasty of spinal metastases.", "2020 Jan",
                "AJNR Am J Neuroradiol", "41", "123-129"),
    BMJ_OPEN_PMID: ("Radiotherapy for painful bone metastases: a protocol.", "2020 Jan 8",
                    "BMJ Open", "10", "e012345"),
    CUREUS_PMID: ("Metastatic Spinal Cord Compression: A Review.", "2023 Mar 3", "Cureus",
                  "15", "e35681"),
    # The same first words, another article (its title goes on otherwise).
    CUREUS_DECOY_PMID: ("Metastatic spinal cord compression in children.", "2021 Jan 2",
                        "Cureus", "13", "e12345"),
}
#: The full journal names esummary gives (``fulljournalname``), by abbreviation.
FULL_NAMES = {"Neurosurgery": "Neurosurgery", "Pain Med": "Pain medicine (Malden, Mass.)"}
TERMS: list[str] = []


def serve(found_by: dict[str, list[str]]) -> None:
    """PubMed answering each search whose term holds a key of ``found_by`` with its PMIDs."""
    TERMS.clear()

    def esearch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        term = parse_qs(urlsplit(str(request.url)).query)["term"][0]
        TERMS.append(term)
        hits = next((p for k, p in found_by.items() if k in term), [])
        return 200, {}, json.dumps({"esearchresult": {
            "count": str(len(hits)), "retmax": str(len(hits)), "retstart": "0",
            "idlist": hits, "translationset": [], "querytranslation": ""}})

    def esummary(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        ids = parse_qs(str(request.body))["id"][0].split(",")
        result: dict[str, object] = {"uids": ids}
        for pmid in ids:
            title, date, source, volume, pages = SUMMARIES[pmid]
            result[pmid] = {"uid": pmid, "pubdate": date, "source": source, "title": title,
                            "fulljournalname": FULL_NAMES.get(source, source),
                            "authors": [{"name": "Fisher CG", "authtype": "Author",
                                         "clusterid": ""}],
                            "volume": volume, "issue": "3", "pages": pages,
                            "articleids": [{"idtype": "pubmed", "idtypen": 1, "value": pmid}]}
        return 200, {}, json.dumps({"header": {"type": "esummary", "version": "0.3"},
                                    "result": result})

    def efetch(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        asked = parse_qs(urlsplit(str(request.url)).query)["id"][0].split(",")
        return 200, {"Content-Type": "text/xml"}, article_set(pubmed_article(p) for p in asked)

    responses.add_callback(responses.GET, ESEARCH, callback=esearch)
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)
    responses.add_callback(responses.GET, EFETCH, callback=efetch)


@pytest.mark.parametrize(("text", "described"), [
    (JNS, "J Neurosurg Spine 13(3):324"),
    ("thejns.org/focus/view/journals/neurosurg-focus/50/5/article-pE2.xml?tab_body=abstract",
     "Neurosurg Focus 50(5):E2"),
    (LWW, "Spine (Phila Pa 1976) 2010: “a novel classification system for spinal…”"),
    ("https://journals.lww.com/jbjsjournal/abstract/2005/08000/total_disc_arthroplasty.3.aspx",
     "J Bone Joint Surg Am 2005: “total disc arthroplasty…”"),
    (OUP, "Neurosurgery 85(3):E426"),
    ("academic.oup.com/neuro-oncology/article-abstract/22/8/1181/5819349?redirectedFrom=x",
     "Neuro Oncology 22(8):1181"),
    # HighWire's sites: the volume, issue and first page (or the BMJ journals' e-number).
    ("https://www.ajnr.org/content/41/1/123.long", "AJNR Am J Neuroradiol 41(1):123"),
    ("ajnr.org/content/30/3/443.full.pdf", "AJNR Am J Neuroradiol 30(3):443"),
    ("https://bmjopen.bmj.com/content/10/1/e012345", "BMJ Open 10(1):e012345"),
    ("https://spcare.bmj.com/content/12/e1/e88.abstract", "BMJ Support Palliat Care 12(e1):e88"),
    ("http://ar.iiarjournals.org/content/40/1/123.full?sid=abc", "Anticancer Res 40(1):123"),
    # Cureus's: its number and the whole title's words, no year.
    (CUREUS, "Cureus: “metastatic spinal cord compression a review…”"),
])
def test_the_addresses_and_what_they_name(text: str, described: str) -> None:
    ident = parse_fetchable(text)
    assert ident.kind == "journalpage" and "journalpage" in FOUND_THROUGH_ANOTHER
    assert str(ident) == described
    # Written one way whatever form was pasted: a queued one reads back the same.
    assert parse_fetchable(ident.value) == ident and ident.url == ident.value


@responses.activate
def test_an_oxford_address_is_matched_by_the_journals_full_name(lib: Library) -> None:
    serve({"85[vi] AND E426[pg]": [OTHER_JOURNAL_PMID, OUP_PMID]})
    report = run_import(lib, [OUP], client=make_client())
    assert [i.status for i in report.items] == ["imported"]
    assert lib.articles.record(report.items[0].article_id or 0).pmid == OUP_PMID
    assert TERMS == ["85[vi] AND E426[pg]"]  # the journal is not in the search


def test_an_oxford_address_of_a_doi_leaves_the_sites_number_out() -> None:
    assert parse_fetchable("https://academic.oup.com/neurosurgery/advance-article/doi/"
                           "10.1093/neuros/nyz123/5500000") == Identifier(
                               "doi", "10.1093/neuros/nyz123")


@pytest.mark.parametrize(("text", "doi"), [
    ("https://www.mdpi.com/2072-6694/12/3/456", "10.3390/cancers12030456"),
    ("mdpi.com/2077-0383/9/1/123/htm", "10.3390/jcm9010123"),
    ("https://www.mdpi.com/1718-7729/30/1/12/pdf?version=1672", "10.3390/curroncol30010012"),
    ("https://www.mdpi.com/1422-0067/24/20/15123", "10.3390/ijms242015123"),
    ("https://www.oncotarget.com/article/27123/text/", "10.18632/oncotarget.27123"),
    ("oncotarget.com/article/5678/pdf/", "10.18632/oncotarget.5678"),
])
def test_an_mdpi_or_oncotarget_address_spells_its_doi(text: str, doi: str) -> None:
    """MDPI's addresses name the journal by ISSN, then volume, issue and article number,
    which its DOIs spell (Cancers and J Clin Med carry much spine-oncology work);
    Oncotarget's hold the number its DOIs end in."""
    assert parse_fetchable(text) == Identifier("doi", doi)


@pytest.mark.parametrize("text", ["https://www.mdpi.com/9999-9999/12/3/456",  # not listed
                                  "https://www.mdpi.com/journal/cancers",
                                  "https://www.mdpi.com/2072-6694/12/3",        # an issue
                                  "https://www.oncotarget.com/archive/v11/i1/"])
def test_other_mdpi_and_oncotarget_pages_are_not_articles(text: str) -> None:
    with pytest.raises(InvalidIdentifier, match="web address without a DOI"):
        parse_fetchable(text)


def test_an_article_published_online_first_is_its_doi() -> None:
    online = ("https://thejns.org/spine/view/journals/j-neurosurg-spine/aop/"
              "article-10.3171-2020.1.SPINE191234/article-10.3171-2020.1.SPINE191234.xml")
    assert parse_fetchable(online) == Identifier("doi", "10.3171/2020.1.spine191234")
    pdf = "thejns.org/downloadpdf/journals/j-neurosurg-spine/13/3/article-p324.xml"
    assert str(parse_fetchable(pdf)) == "J Neurosurg Spine 13(3):324"


@pytest.mark.parametrize("text", [
    "https://thejns.org/spine",                                   # the journal's home
    "https://thejns.org/view/journals/j-neurosurg-spine/13/3/",   # an issue
    "https://journals.lww.com/spinejournal/pages/default.aspx",
    "https://journals.lww.com/spinejournal/fulltext/2010/10150/spine.17.aspx",  # no title
    "https://www.ajnr.org/content/41/1",                         # an issue
    "https://www.ajnr.org/content/early/2020/01/02/ajnr.A6400",  # online first: its DOI
    "https://www.example.org/content/41/1/123",                  # a site not known
])
def test_other_pages_of_those_sites_are_not_articles(text: str) -> None:
    assert journal_page(text) is None


def test_the_searches_they_make() -> None:
    jns, lww = journal_page(JNS), journal_page(LWW)
    assert jns is not None and lww is not None
    assert jns.term() == '"J Neurosurg Spine"[ta] AND 13[vi] AND 324[pg]'
    # Stopwords left out; the last word, which the address may have cut, as a word's start.
    assert lww.term() == ('"Spine (Phila Pa 1976)"[ta] AND novel[ti] AND classification[ti] '
                          "AND system[ti] AND spinal*[ti] AND 2010[dp]")


def test_found_inside_text_and_previewed() -> None:
    [found] = find_identifiers(f"the SINS paper: {LWW} (read before the conference)")
    assert found.identifier is not None and found.identifier.kind == "journalpage"
    from spinelib.gui.importpreview import _LOOKED_UP

    assert _LOOKED_UP["journalpage"] == "its record looked up in PubMed"


@responses.activate
def test_each_address_imports_the_one_article_it_names(lib: Library) -> None:
    serve({"13[vi]": [BILSKY_PMID], "novel[ti]": [DECOY_PMID, FISHER_PMID]})
    report = run_import(lib, [JNS, LWW], client=make_client())
    assert [i.status for i in report.items] == ["imported", "imported"]
    pmids = [lib.articles.record(i.article_id or 0).pmid for i in report.items]
    # Fisher's, not the decoy the same title words found (its title starts otherwise).
    assert pmids == [BILSKY_PMID, FISHER_PMID]
    assert [i.given for i in report.items] == [JNS, LWW]
    assert len(TERMS) == 2  # one search each
    # Pasted again: the same articles, refreshed, never a second copy.
    again = run_import(lib, [JNS], client=make_client())
    assert again.items[0].article_id == report.items[0].article_id
    assert len(lib.search.ids()) == 2


@responses.activate
def test_a_highwire_address_imports_the_article_at_its_place(lib: Library) -> None:
    serve({"AJNR": [AJNR_PMID], "BMJ Open": [BMJ_OPEN_PMID]})
    report = run_import(lib, ["www.ajnr.org/content/41/1/123.long",
                              "https://bmjopen.bmj.com/content/10/1/e012345.full"],
                        client=make_client())
    assert [i.status for i in report.items] == ["imported", "imported"]
    assert [lib.articles.record(i.article_id or 0).pmid for i in report.items] == [
        AJNR_PMID, BMJ_OPEN_PMID]
    assert TERMS == ['"AJNR Am J Neuroradiol"[ta] AND 41[vi] AND 123[pg]',
                     '"BMJ Open"[ta] AND 10[vi] AND e012345[pg]']


@responses.activate
def test_a_cureus_address_imports_the_article_its_title_starts(lib: Library) -> None:
    serve({"Cureus": [CUREUS_DECOY_PMID, CUREUS_PMID]})
    report = run_import(lib, [CUREUS], client=make_client())
    assert [i.status for i in report.items] == ["imported"]
    assert lib.articles.record(report.items[0].article_id or 0).pmid == CUREUS_PMID
    # No year in the address, none in the search; the whole title is held to by the match.
    assert TERMS == ['"Cureus"[ta] AND metastatic[ti] AND spinal[ti] AND cord[ti] AND '
                     "compression[ti] AND review*[ti]"]


@responses.activate
def test_nothing_or_too_much_agreeing_is_not_found_and_says_what_to_paste() -> None:
    serve({"13[vi]": [], "novel[ti]": [DECOY_PMID]})
    results = resolve_indirect(make_client(), [parse_input(JNS), parse_input(LWW)])
    assert [r.status for r in results] == ["not_found", "not_found"]
    assert results[0].message.startswith(
        "PubMed has no article that plainly is the one at J Neurosurg Spine 13(3):324")
    assert results[1].message.endswith("paste the DOI its page shows instead")


@responses.activate
def test_two_agreeing_are_not_a_guess() -> None:
    SUMMARIES["31000004"] = SUMMARIES[BILSKY_PMID]  # a duplicate record, say
    try:
        serve({"13[vi]": [BILSKY_PMID, "31000004"]})
        [result] = resolve_indirect(make_client(), [parse_input(JNS)])
        assert result.status == "not_found"
    finally:
        del SUMMARIES["31000004"]


@responses.activate
def test_offline_the_address_is_queued_and_imported_when_back(lib: Library) -> None:
    def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        raise requests.exceptions.ConnectionError("Connection refused")

    responses.add_callback(responses.GET, ESEARCH, callback=unreachable)
    report = run_import(lib, [JNS], client=make_client())
    assert [i.status for i in report.items] == ["queued"]
    [entry] = lib.pending.all()
    assert entry.identifier == JNS
    assert lib.pending.label(entry.identifier) == "J Neurosurg Spine 13(3):324"
    responses.reset()
    serve({"13[vi]": [BILSKY_PMID]})
    again = retry_pending(lib, make_client())
    assert [i.status for i in again.items] == ["imported"]
    assert lib.pending.all() == []
    assert Identifier("pmid", BILSKY_PMID) in {
        Identifier("pmid", lib.articles.record(i).pmid) for i in lib.search.ids()}
