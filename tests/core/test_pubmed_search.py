"""A PubMed search from SpineLib (spinelib/pubmedsearch.py, ``spinelib pubmed``): a results
page's address read into the search it ran (its words, filters and order), a filter SpineLib
cannot write refused by name, the esearch asked in PubMed's order with the first N, esummary's
citations listed and marked where the library holds them, the words PubMed did not use said,
and the chosen ones imported through the ordinary identifier import. Every request is served
by ``responses`` in the E-utilities' JSON shapes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import parse_fetchable
from spinelib.library import Library
from spinelib.pubmedsearch import (
    MOST,
    PubMedQuery,
    PubMedSearchError,
    is_search_address,
    more_results,
    read_query,
    search_pubmed,
)
from spinelib.sources.http import HttpClient
from tests.core.test_import_pipeline import EUTILS, cli, efetch, fast_settings
from tests.core.test_similar_articles import ESEARCH, ESUMMARY, _library, client, esummary

__all__ = ["client", "fast_settings"]  # fixtures, used by name

PAGE = "https://pubmed.ncbi.nlm.nih.gov/"
#: Three results in PubMed's order: Sahgal, the NOMS paper (held), Berenson.
FOUND = ["34126044", "23709750", "21333599"]


def esearch_reply(ids: list[str], count: int, *, not_found: tuple[str, ...] = ()) -> str:
    """An esearch JSON reply (``retmode=json``), with an errorlist when words were unused."""
    result: dict[str, object] = {
        "count": str(count), "retmax": str(len(ids)), "retstart": "0", "idlist": ids,
        "translationset": [], "querytranslation": "kyphoplasty[All Fields]"}
    if not_found:
        result["errorlist"] = {"phrasesnotfound": list(not_found), "fieldsnotfound": []}
        result["warninglist"] = {"phrasesignored": [], "quotedphrasesnotfound": [],
                                 "outputmessages": []}
    return json.dumps({"header": {"type": "esearch", "version": "0.3"},
                       "esearchresult": result})


@pytest.mark.parametrize(("address", "term", "sort"), [
    (PAGE + "?term=kyphoplasty+metastases", "kyphoplasty metastases", "relevance"),
    (PAGE + "?term=kyphoplasty%20AND%20myeloma&filter=years.2015-2024&filter=pubt.review"
     "&filter=pubt.systematicreview&filter=simsearch2.ffrft&sort=pubdate",
     "(kyphoplasty AND myeloma) AND 2015:2024[dp] AND (review[pt] OR systematic review[pt]) "
     "AND free full text[sb]", "pub_date"),
    (PAGE + "?term=separation+surgery&filter=datesearch.y_5&sort=date",
     '(separation surgery) AND "last 5 years"[dp]', ""),
    (PAGE + "?term=sbrt&filter=dates.2020/1/1-2021/6/30&filter=lang.english&sort=fauth",
     "(sbrt) AND 2020/1/1:2021/6/30[dp] AND english[la]", "Author"),
    (PAGE + "?filter=pubt.randomizedcontrolledtrial&filter=hum_ani.humans",
     "randomized controlled trial[pt] AND humans[mh]", "relevance"),
    ("  vertebroplasty[ti] AND   cement leakage ", "vertebroplasty[ti] AND cement leakage",
     "relevance"),
])
def test_a_pasted_address_is_the_search_it_ran(address: str, term: str, sort: str) -> None:
    query = read_query(address)
    assert (query.term, query.sort) == (term, sort)
    assert query.typed == " ".join(address.split())


@pytest.mark.parametrize(("text", "words"), [
    (PAGE + "?term=kyphoplasty&filter=sex.female&filter=pubt.review&filter=age.aged",
     "cannot apply this PubMed filter: sex.female, age.aged; remove it on PubMed's page"),
    (PAGE + "?term=kyphoplasty&sort=pubdate&sort_order=asc", "in this order"),
    (PAGE + "?term=kyphoplasty&sort=citations", "in this order (citations)"),
    (PAGE + "?filter=&term=", "holds no search"),
    (PAGE, "holds no search (no words in its term=, no filter)"),
    ("https://scholar.google.com/scholar?q=kyphoplasty", "is not a PubMed search address"),
    ("https://www.ncbi.nlm.nih.gov/pmc/?term=kyphoplasty", "is not a PubMed search address"),
    ("   ", "nothing to search"),
    # An escape sequence, typed or percent-encoded, never reaches PubMed or the terminal.
    ("kyphoplasty \x1b[31m", "holds a control character"),
    (PAGE + "?term=kyphoplasty%1B%5B31m", "holds a control character"),
    ("https://example.org/\u202eevil", "'https://example.org/\\u202eevil' is not a PubMed"),
])
def test_a_search_that_cannot_be_run_as_asked_is_refused(text: str, words: str) -> None:
    with pytest.raises(PubMedSearchError, match=re.escape(words)):
        read_query(text)


def test_a_results_address_given_to_import_names_the_search_command() -> None:
    with pytest.raises(InvalidIdentifier, match="is a PubMed search, not one article: list "
                       "its results with spinelib pubmed ADDRESS"):
        parse_fetchable(PAGE + "?term=kyphoplasty&filter=years.2015-2024")
    # An address naming one PMID is still that article.
    assert str(parse_fetchable(PAGE + "?term=16112300")) == "PMID 16112300"
    assert [is_search_address(t) for t in (
        PAGE + "?term=kyphoplasty", PAGE + "?filter=pubt.review", PAGE + "?term=16112300",
        PAGE + "16112300/", "https://example.org/?term=kyphoplasty", "kyphoplasty",
        "https://www.ncbi.nlm.nih.gov/pubmed/?term=kyphoplasty",
        "https://www.ncbi.nlm.nih.gov/pmc/?term=kyphoplasty")] == [
        True, True, False, False, False, False, True, False]


def test_the_results_in_pubmeds_order_marked_where_held(tmp_path: Path,
                                                        client: HttpClient) -> None:
    lib, *_ = _library(tmp_path / "lib.sqlite")
    asked: list[dict[str, list[str]]] = []

    def search(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        asked.append(parse_qs(urlsplit(request.url).query))
        return 200, {}, esearch_reply([*FOUND, "99999999"], 412, not_found=("xyzzyq",))

    with responses.RequestsMock() as rsps:
        rsps.add_callback(responses.GET, ESEARCH, callback=search)
        rsps.add_callback(responses.POST, ESUMMARY, callback=esummary)
        results = search_pubmed(lib, client, read_query(
            PAGE + "?term=kyphoplasty+xyzzyq&filter=years.2010-2024&sort=pubdate"), limit=4)
        # One esearch (the first 4, in the page's order), one esummary for them.
        assert [urlsplit(c.request.url).path.rsplit("/", 1)[1] for c in rsps.calls] == [
            "esearch.fcgi", "esummary.fcgi"]
    assert asked[0]["term"] == ["(kyphoplasty xyzzyq) AND 2010:2024[dp]"]
    assert (asked[0]["retmax"], asked[0]["sort"], asked[0]["db"]) == (["4"], ["pub_date"],
                                                                       ["pubmed"])
    works = results.shared.works
    # 99999999 has no summary (withdrawn since): left out.
    assert [(w.number, w.pmid, w.in_library) for w in works] == [
        (1, "34126044", False), (2, "23709750", True), (3, "21333599", False)]
    assert works[2].doi == "10.1016/s1470-2045(11)70008-0" and works[0].year == 2021
    assert results.summary() == ("PubMed finds 412 articles; the first 3 listed, 1 of them in "
                                 "your library (PubMed did not use: xyzzyq)")
    with pytest.raises(PubMedSearchError, match="1 to 10,000 results, not 10,001"):
        search_pubmed(lib, client, PubMedQuery("kyphoplasty"), limit=MOST + 1)
    with responses.RequestsMock() as rsps:  # nothing found: no esummary asked
        rsps.get(ESEARCH, body=esearch_reply([], 0, not_found=("kyphoplastyy",)))
        none = search_pubmed(lib, client, PubMedQuery("kyphoplastyy"))
    assert none.summary() == ("PubMed finds no article for this search (PubMed did not use: "
                              "kyphoplastyy)")
    with pytest.raises(PubMedSearchError, match="only the first 10,000 results"):
        search_pubmed(lib, client, PubMedQuery("kyphoplasty"), start=MOST)
    lib.close()


def test_a_long_search_string_goes_by_post(tmp_path: Path, client: HttpClient) -> None:
    """A systematic review's search string runs to thousands of characters: sent in the
    body, as NCBI asks for long queries, not in a URL a server may refuse."""
    lib, *_ = _library(tmp_path / "lib.sqlite")
    long_term = " OR ".join(f'"vertebral metastasis {i}"[tiab]' for i in range(80))
    with responses.RequestsMock() as rsps:
        rsps.post(ESEARCH, body=esearch_reply([], 0))
        search_pubmed(lib, client, PubMedQuery(long_term, "pub_date"))
        sent = parse_qs(str(rsps.calls[0].request.body))
        url = str(rsps.calls[0].request.url)
    assert len(long_term) > 1500 and sent["term"] == [long_term]
    assert sent["sort"] == ["pub_date"] and "term" not in url
    lib.close()


def test_the_next_page_goes_on_in_pubmeds_order(tmp_path: Path, client: HttpClient) -> None:
    lib, *_ = _library(tmp_path / "lib.sqlite")
    asked: list[tuple[str, str]] = []

    def search(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlsplit(request.url).query)
        asked.append((query["retstart"][0], query["retmax"][0]))
        first = query["retstart"] == ["0"]
        # The second page repeats one of the first (PubMed added a paper in between).
        return 200, {}, esearch_reply(FOUND[:2] if first else FOUND[1:], 9_990)

    query = PubMedQuery("kyphoplasty")
    with responses.RequestsMock() as rsps:
        rsps.add_callback(responses.GET, ESEARCH, callback=search)
        rsps.add_callback(responses.POST, ESUMMARY, callback=esummary)
        first = search_pubmed(lib, client, query, limit=200)
        page = search_pubmed(lib, client, query, limit=200, start=9_900)
    # esearch is never asked past its 10,000th result.
    assert asked == [("0", "200"), ("9900", "100")]
    assert [w.number for w in page.shared.works] == [9_901, 9_902]
    both = more_results(first, page)
    assert [(w.number, w.pmid) for w in both.shared.works] == [
        (1, "34126044"), (2, "23709750"), (9_902, "21333599")]
    assert both.summary() == ("PubMed finds 9,990 articles; the first 3 listed, 1 of them in "
                              "your library")
    lib.close()


def test_cli_lists_and_imports(tmp_path: Path, fast_settings: None,
                               capsys: pytest.CaptureFixture[str]) -> None:
    lib, *_ = _library(tmp_path / "lib.sqlite")
    lib.close()
    path = tmp_path / "lib.sqlite"
    address = PAGE + "?term=kyphoplasty&filter=pubt.review"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.GET, ESEARCH, callback=lambda r: (
            200, {}, esearch_reply(FOUND, 57)))
        rsps.add_callback(responses.POST, ESUMMARY, callback=esummary)
        for method in (responses.GET, responses.POST):
            rsps.add_callback(method, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                              callback=efetch)
        rsps.get(re.compile(r"http://127\.0\.0\.1:9/europepmc/.*"), json={
            "version": "6.9", "hitCount": 0, "referenceList": {"reference": []}})
        code, out, _err = cli(capsys, path, "pubmed", address)
        assert code == 0
        lines = out.splitlines()
        assert lines[0].startswith("     1. Sahgal A. Stereotactic body radiotherapy")
        assert lines[0].endswith("[PMID 34126044]")
        assert lines[1].startswith("●    2. Laufer I, Rubin DG")
        assert lines[4:] == [
            "PubMed finds 57 articles; the first 3 listed, 1 of them in your library (marked ●)",
            "searched: (kyphoplasty) AND review[pt]",
            f"import with: spinelib pubmed '{address}' --import N [N ...] (or --all: every "
            "one not in your library)",
            "new papers later: spinelib watch add NAME '(kyphoplasty) AND review[pt]'"]
        code, out, _err = cli(capsys, path, "pubmed", "kyphoplasty", "myeloma", "--json",
                              "--max", "3")
        listed = json.loads(out)
        assert (listed["query"], listed["searched"], listed["count"]) == (
            "kyphoplasty myeloma", "kyphoplasty myeloma", 57)
        assert [(r["number"], r["pmid"], r["in_library"], r["key"])
                for r in listed["results"]][:2] == [(1, "34126044", False, None),
                                                    (2, "23709750", True, "patchell2005noms")]
        assert cli(capsys, path, "lists", "create", "Kyphoplasty reviews")[0] == 0
        code, out, err = cli(capsys, path, "pubmed", address, "--import", "3",
                             "--list", "Kyphoplasty reviews")
        assert code == 0, err
        # --all: only those not held now (Berenson imported, NOMS held before); Sahgal is
        # one this fake PubMed has no record for, said as any import says it.
        code, out, err = cli(capsys, path, "pubmed", address, "--all")
        assert code == 1 and "PMID 34126044: not found" in err
        assert "21333599" not in err + out and "23709750" not in err + out
    with Library.open(path) as reopened:
        berenson = reopened.articles.resolve_key("21333599")
        listed = reopened.lists.all()
        assert [(n.name, n.count) for n in listed] == [("Kyphoplasty reviews", 1)]
        assert reopened.lists.items("Kyphoplasty reviews") == [berenson]
    # A technique of the vocabulary: its query, narrowed by the words given.
    with responses.RequestsMock() as rsps:
        rsps.get(ESEARCH, body=esearch_reply([], 0))
        code, out, _err = cli(capsys, path, "pubmed", "--technique", "Kyphoplasty", "myeloma",
                              "--json")
        term = parse_qs(urlsplit(rsps.calls[0].request.url).query)["term"][0]
    assert code == 0 and term.startswith("(") and term.endswith(" AND (myeloma)")
    assert '"kyphoplasty"[tiab]' in term and '"Kyphoplasty"[MeSH Terms]' in term
    assert json.loads(out)["searched"] == term
    # --sort lists a typed search (or overrides an address's order) in PubMed's orders.
    with responses.RequestsMock() as rsps:
        rsps.get(ESEARCH, body=esearch_reply([], 0))
        assert cli(capsys, path, "pubmed", "kyphoplasty", "--sort", "author")[0] == 0
        assert cli(capsys, path, "pubmed", address, "--sort", "recent")[0] == 0
        asked = [parse_qs(urlsplit(c.request.url).query) for c in rsps.calls]
    assert asked[0]["sort"] == ["Author"] and "sort" not in asked[1]
    code, _out, err = cli(capsys, path, "pubmed", "kyphoplasty", "--sort", "cited")
    assert code == 2 and "invalid choice: 'cited'" in err
    code, _out, err = cli(capsys, path, "pubmed", "--technique", "kyphoplastyy")
    assert code == 1 and "unknown technique 'kyphoplastyy'; did you mean" in err
    code, _out, err = cli(capsys, path, "pubmed")
    assert code == 2 and "give the search (QUERY), or --technique TAG" in err
    code, _out, err = cli(capsys, path, "pubmed", PAGE + "?term=x&filter=sex.female")
    assert code == 1 and "cannot apply this PubMed filter: sex.female" in err
    with responses.RequestsMock() as rsps:
        rsps.get(ESEARCH, body=requests.ConnectionError("offline"))
        code, _out, err = cli(capsys, path, "pubmed", "kyphoplasty")
    assert code == 1 and "cannot reach" in err.lower()


def test_a_results_address_is_watched_as_its_search(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """``watch add NAME ADDRESS`` stores the search the page ran (its filters as words), not
    the address, which PubMed would search as text and find nothing for."""
    path = tmp_path / "lib.sqlite"
    Library.open(path).close()
    code, out, _err = cli(capsys, path, "watch", "add", "Kyphoplasty reviews",
                          PAGE + "?term=kyphoplasty&filter=pubt.review&sort=date")
    assert code == 0
    assert out.splitlines()[0] == "watching: (kyphoplasty) AND review[pt]"
    code, _out, err = cli(capsys, path, "watch", "add", "Women", PAGE + "?term=x&filter=sex.female")
    assert code == 1 and "cannot apply this PubMed filter: sex.female" in err
    with Library.open(path) as lib:
        assert [(w.name, w.query) for w in lib.watches.all()] == [
            ("Kyphoplasty reviews", "(kyphoplasty) AND review[pt]")]


def test_a_watch_made_in_the_window_stores_the_search_an_address_ran(lib: Library) -> None:
    """The window's New watch form stores through the same room as the command line: a
    results address pasted there is its search (it was stored as the address, which every
    run then searched PubMed for as words), and what the command line refuses is refused."""
    watch = lib.watches.add("Kyphoplasty reviews",
                            PAGE + "?term=kyphoplasty&filter=pubt.review&sort=date")
    assert watch.query == "(kyphoplasty) AND review[pt]"
    assert lib.watches.add("SBRT", "  sbrt[tiab]\n AND spine ").query == "sbrt[tiab] AND spine"
    for refused, words in ((PAGE + "?term=x&filter=sex.female", "sex.female"),
                           ("#1 AND #2", "#1, #2 are searches in your PubMed History")):
        with pytest.raises(PubMedSearchError, match=re.escape(words)):
            lib.watches.add("Refused", refused)
    assert [w.name for w in lib.watches.all()] == ["Kyphoplasty reviews", "SBRT"]


@pytest.mark.parametrize("text", [
    "#3 AND sbrt", "(#1) OR (#2)", PAGE + "?term=%233+AND+sbrt", "sbrt AND #12[tiab]"])
def test_a_search_of_the_pubmed_history_is_refused_with_what_to_copy(text: str) -> None:
    """"#3" names a search of the user's PubMed History, kept in the browser's session: run
    through the E-utilities it would search other words than the page did."""
    with pytest.raises(PubMedSearchError, match="in your PubMed History, which SpineLib cannot "
                       "see: copy the words each stands for from the History's Details"):
        read_query(text)


def test_a_strategy_copied_from_word_keeps_its_phrases() -> None:
    """Word turns a protocol's straight quotes into curly ones; PubMed's phrase is the
    straight quote, so they are searched as written on PubMed."""
    assert read_query("“separation surgery”[tiab] AND „hybrid therapy“").term == (
        '"separation surgery"[tiab] AND "hybrid therapy"')
    assert read_query(PAGE + "?term=%E2%80%9Cspinal+metastases%E2%80%9D").term == (
        '"spinal metastases"')


def test_a_hash_inside_quotes_or_a_word_is_searched_as_typed() -> None:
    for text in ('"stage #2" sbrt', "C#1 sbrt", "spine #metastasis"):
        assert read_query(text).term == text


def test_an_address_copied_without_https_is_the_search_it_ran() -> None:
    """A results address as cited or mailed ("pubmed.ncbi.nlm.nih.gov/?term=…") is read as
    the address, not searched for as words; other text with a dot and a slash stays words."""
    query = read_query("pubmed.ncbi.nlm.nih.gov/?term=kyphoplasty&filter=years.2015-2024")
    assert (query.term, query.sort) == ("(kyphoplasty) AND 2015:2024[dp]", "relevance")
    assert read_query("www.ncbi.nlm.nih.gov/pubmed/?term=sbrt").term == "sbrt"
    assert read_query("pubmed.gov/?term=vertebroplasty").term == "vertebroplasty"
    assert read_query("spine.org/guidelines").term == "spine.org/guidelines"
    assert [is_search_address(t) for t in (
        "pubmed.ncbi.nlm.nih.gov/?term=kyphoplasty", "pubmed.ncbi.nlm.nih.gov/16112300/",
        "www.ncbi.nlm.nih.gov/pmc/?term=kyphoplasty")] == [True, False, False]
    with pytest.raises(InvalidIdentifier, match="is a PubMed search, not one article"):
        parse_fetchable("pubmed.ncbi.nlm.nih.gov/?term=kyphoplasty")


@pytest.mark.parametrize(("linkname", "words"), [
    ("pubmed_pubmed", "is PubMed's Similar articles of PMID 38856741: import that article "
                      "(spinelib import 38856741), then list them with spinelib similar "
                      "38856741"),
    ("pubmed_pubmed_citedin", "is PubMed's list of the articles citing PMID 38856741: import "
                              "that article (spinelib import 38856741), then list them with "
                              "spinelib citing 38856741"),
    ("pubmed_pubmed_refs", "is PubMed's list of the references of PMID 38856741: import that "
                           "article (spinelib import 38856741) and its reference list comes "
                           "with it"),
    ("pubmed_pubmed_reviews", "is PubMed's list of articles linked to PMID 38856741: import "
                              "that article itself with spinelib import 38856741"),
])
def test_pubmeds_lists_linked_to_one_article_name_the_command_that_lists_them(
        linkname: str, words: str) -> None:
    """PubMed's Similar articles, Cited by and References pages are neither one article nor
    a search: pasted into import or search, each names its PMID and SpineLib's command
    (with a filter, the filter narrows that list: it is never run over all of PubMed)."""
    for address in (f"{PAGE}?linkname={linkname}&from_uid=38856741",
                    f"{PAGE}?linkname={linkname}&from_uid=38856741&filter=years.2020-2024",
                    f"pubmed.ncbi.nlm.nih.gov/?linkname={linkname}&from_uid=38856741"):
        with pytest.raises(PubMedSearchError, match=re.escape(words)):
            read_query(address)
        with pytest.raises(InvalidIdentifier, match=re.escape(words)):
            parse_fetchable(address)
        assert not is_search_address(address)  # the Import dialog says so, not a search


def test_the_words_narrowing_a_techniques_search_are_read_as_a_typed_search() -> None:
    """``--technique TAG QUERY``'s QUERY, and the sidebar's, are read as a typed search is:
    a phrase in Word's quotes stays a phrase, a History search is refused."""
    from spinelib.pubmedsearch import technique_search
    from spinelib.vocabulary.loader import load_taxonomy

    taxonomy = load_taxonomy()
    query = technique_search(taxonomy, "kyphoplasty", "“cement leakage”")
    assert query.term.endswith(' AND ("cement leakage")')
    with pytest.raises(PubMedSearchError, match="in your PubMed History"):
        technique_search(taxonomy, "kyphoplasty", "#2")
