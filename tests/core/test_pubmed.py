"""PubMed: efetch XML parsing on our own samples, and the E-utilities calls over mocked HTTP."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.errors import FormatError, InvalidIdentifier, NetworkError, ServiceError
from spinelib.formats.pubmed_xml import iter_pubmed_file, parse_pubmed_xml
from spinelib.formats.pubmed_xml_values import element_text
from spinelib.settings import Settings
from spinelib.sources import ncbi_replies, pubmed
from spinelib.sources.http import HttpClient
from spinelib.sources.ncbi_replies import parse_esearch, parse_idconv
from spinelib.text import expand_page_ranges

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
EUTILS = "http://eutils.test/entrez/eutils"
IDCONV = "http://idconv.test/tools/idconv/api/v1/articles/"
EFETCH = f"{EUTILS}/efetch.fcgi"
ESEARCH = f"{EUTILS}/esearch.fcgi"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture(scope="module")
def edge() -> dict[str, pubmed.ArticleRecord]:
    return {r.pmid: r for r in parse_pubmed_xml(sample("efetch_edge_cases.xml"))}


def make_client(**changes: object) -> HttpClient:
    settings = Settings(email="tests@example.org", eutils_url=EUTILS, idconv_url=IDCONV,
                        max_retries=1)
    for key, value in changes.items():
        setattr(settings, key, value)
    return HttpClient(settings, sleep=lambda s: None)


# -- parsing: our own samples -----------------------------------------------------------------

def test_sample_holds_every_record_shape(edge: dict[str, pubmed.ArticleRecord]) -> None:
    # Three journal articles and one book; the DeleteCitation entry is not a record.
    assert list(edge) == ["31000001", "31000002", "31000003", "31000004"]
    assert all(r.source == "pubmed" for r in edge.values())


def test_medline_date_gives_first_year_and_month(edge: dict[str, pubmed.ArticleRecord]) -> None:
    rec = edge["31000001"]
    assert (rec.year, rec.month, rec.day) == (2019, 11, None)


def test_named_season_has_no_month(edge: dict[str, pubmed.ArticleRecord]) -> None:
    assert (edge["31000002"].year, edge["31000002"].month) == (2020, None)


def test_numeric_month_and_day(edge: dict[str, pubmed.ArticleRecord]) -> None:
    assert (edge["31000003"].year, edge["31000003"].month, edge["31000003"].day) == (2021, 9, 7)


def test_inline_markup_flattened_in_title(edge: dict[str, pubmed.ArticleRecord]) -> None:
    # <sup>125</sup>I -> 125I, CO<sub>2</sub> -> CO2, <i>in vivo</i> -> in vivo; no final period.
    assert edge["31000001"].title == ("Dosimetry of 125I seed implantation for vertebral "
                                      "metastases with in vivo CO2 monitoring")


def test_structured_abstract_keeps_labels_and_flattens_mathml(
        edge: dict[str, pubmed.ArticleRecord]) -> None:
    paragraphs = edge["31000001"].abstract.split("\n\n")
    assert [p.split(":")[0] for p in paragraphs] == ["BACKGROUND", "METHODS", "RESULTS",
                                                     "CONCLUSIONS"]
    assert paragraphs[1] == "METHODS: Dose to the cord was modelled as D2/4 Gy per seed."
    assert paragraphs[2] == "RESULTS: Pain scores fell (P < 0.01)."
    assert "©" not in edge["31000001"].abstract  # CopyrightInformation is not abstract text


def test_unstructured_abstract_is_one_paragraph(edge: dict[str, pubmed.ArticleRecord]) -> None:
    assert edge["31000002"].abstract == "An unstructured abstract about SBRT."


def test_authors_collective_suffix_orcid_and_invalid_entries(
        edge: dict[str, pubmed.ArticleRecord]) -> None:
    authors = edge["31000001"].authors
    assert [a.display() for a in authors] == ["Müller J", "Nakamura A",
                                              "Spine Oncology Study Group"]
    # The suffix keeps its own place, so citations read "Müller J Jr", not "Müller JJ".
    assert (authors[0].given, authors[0].suffix) == ("Jürgen", "Jr")
    assert authors[0].orcid == "0000-0002-1825-0097"  # from the https://orcid.org/ form
    assert authors[1].orcid == "0000-0001-5109-3700"  # from the undashed form
    assert authors[2].is_collective and authors[2].family == ""
    # ValidYN="N" names were recorded in error and are dropped; a bad check digit too.
    assert "Mistake" not in [a.family for a in authors]
    assert edge["31000002"].authors[0].orcid == ""


def test_an_authors_first_name_part_and_first_orcid_count() -> None:
    from xml.etree.ElementTree import fromstring

    from spinelib.formats.pubmed_xml_parts import parse_authors

    names = fromstring(
        "<AuthorList><Author><Identifier Source='ISNI'>0000000121032683</Identifier>"
        "<LastName>Laufer</LastName><LastName>Later</LastName><ForeName>Ilya</ForeName>"
        "<Initials>I</Initials><Identifier Source='ORCID'>0000-0002-1825-0097</Identifier>"
        "<Identifier Source='orcid'>0000-0001-5109-3700</Identifier>"
        "<AffiliationInfo><Affiliation>MSKCC</Affiliation></AffiliationInfo></Author>"
        "<Author><CollectiveName>Spine Oncology Study Group</CollectiveName>"
        "<CollectiveName>Second</CollectiveName></Author>"
        "<Author><ForeName>Nobody</ForeName></Author></AuthorList>")
    person, group = parse_authors(names)  # a name with no family or group name is dropped
    assert (person.family, person.given, person.initials, person.orcid) == (
        "Laufer", "Ilya", "I", "0000-0002-1825-0097")
    assert (group.collective, group.family) == ("Spine Oncology Study Group", "")


def test_journal_fields_and_expanded_pages(edge: dict[str, pubmed.ArticleRecord]) -> None:
    rec = edge["31000001"]
    assert (rec.journal, rec.journal_abbrev, rec.issn) == ("Spine", "Spine (Phila Pa 1976)",
                                                           "0362-2436")
    assert (rec.volume, rec.issue, rec.pages, rec.language) == ("44", "22", "1123-1129", "eng")
    assert edge["31000003"].pages == "701-710"  # Start/EndPage when MedlinePgn is absent
    assert edge["31000003"].journal == "Der Orthopäde"


def test_article_number_from_pii_only_when_it_is_one(edge: dict[str, pubmed.ArticleRecord]) -> None:
    assert edge["31000002"].pages == "e0123456"


def test_identifiers_normalised(edge: dict[str, pubmed.ArticleRecord]) -> None:
    rec = edge["31000001"]
    assert (rec.doi, rec.pmid, rec.pmcid) == ("10.1097/brs.0000000000009999", "31000001",
                                              "PMC7000001")
    # ELocationID marked ValidYN="N" is ignored; the ArticleIdList DOI is used, lower-cased.
    assert edge["31000002"].doi == "10.1371/journal.pone.0123456"
    assert edge["31000003"].doi == ""


def test_mesh_keywords_and_types(edge: dict[str, pubmed.ArticleRecord]) -> None:
    rec = edge["31000001"]
    spinal, humans = rec.mesh
    assert (spinal.ui, spinal.name, spinal.major) == ("D013123", "Spinal Neoplasms", True)
    assert spinal.qualifiers == ["secondary", "radiotherapy"]
    assert humans.major is False
    assert rec.keywords == ["brachytherapy", "spinal metastasis"]  # case-insensitive dedupe
    assert rec.type == "review"
    assert edge["31000003"].type == "article"
    assert edge["31000003"].publication_types == ["Journal Article", "English Abstract"]


def test_retraction_and_erratum_flags(edge: dict[str, pubmed.ArticleRecord]) -> None:
    assert edge["31000001"].retracted is True      # CommentsCorrections RetractionIn
    assert edge["31000001"].has_erratum is False
    assert edge["31000002"].retracted is True      # PublicationType Retracted Publication
    assert edge["31000002"].has_erratum is True    # CommentsCorrections ErratumIn
    assert edge["31000003"].retracted is False


def test_nested_reference_lists_numbered_in_order(edge: dict[str, pubmed.ArticleRecord]) -> None:
    refs = edge["31000001"].references
    assert [r.position for r in refs] == [1, 2, 3]
    assert refs[0].doi == "10.1016/s0140-6736(05)66954-1" and refs[0].pmid == "16112300"
    assert refs[0].citation.startswith("Patchell RA")
    # No ArticleIdList: the DOI is read from the citation text, trailing period dropped.
    assert refs[1].doi == "10.1097/brs.0b013e3181e16ae2"
    assert (refs[2].pmid, refs[2].pmcid) == ("20809724", "PMC3136354")


def test_bracketed_translated_title_kept(edge: dict[str, pubmed.ArticleRecord]) -> None:
    assert edge["31000003"].title == "[Percutaneous vertebroplasty for spinal metastases]"


def test_whole_book(edge: dict[str, pubmed.ArticleRecord]) -> None:
    book = edge["31000004"]
    assert (book.type, book.title, book.book_title) == ("book", "Spine Oncology Handbook", "")
    assert book.publisher == "StatPearls Publishing"
    assert (book.year, book.month) == (2022, 1)
    assert [a.family for a in book.authors] == ["Bilsky"]  # editors are not authors
    assert book.url == "https://www.ncbi.nlm.nih.gov/books/NBK999999/"


def test_expand_pages() -> None:
    assert expand_page_ranges("113-25") == "113-125"
    assert expand_page_ranges("1653-1786") == "1653-1786"
    assert expand_page_ranges("e91-e220") == "e91-e220"
    assert expand_page_ranges("R67-99") == "R67-99"
    assert expand_page_ranges("123-5, 130-2") == "123-125, 130-132"
    assert expand_page_ranges("99-1") == "99-1"  # would go backwards: keep as published


# -- parsing: what is not PubMed XML ----------------------------------------------------------

def test_empty_article_set_is_no_records() -> None:
    data = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>'
    assert parse_pubmed_xml(data) == []


@pytest.mark.parametrize(("name", "message"), [
    ("error_page.html", "is a web page, not PubMed XML"),
    ("truncated.xml", "truncated or not well-formed XML"),
    ("billion_laughs.xml", "refuses to expand"),
    ("xxe.xml", "refuses to expand"),
    ("efetch_error.xml", "PubMed answered with an error: Cannot retrieve history data"),
])
def test_bad_documents_raise_format_error(name: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_pubmed_xml(sample(name))


def test_xxe_does_not_read_local_files() -> None:
    with pytest.raises(FormatError) as info:
        parse_pubmed_xml(sample("xxe.xml"))
    assert "root:" not in str(info.value)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "is empty"),
    (b'{"error":"API rate limit exceeded","count":"4"}', "JSON, not PubMed XML: API rate"),
    (b"Resource not found.", "is not XML"),
    (b"<eSearchResult><Count>0</Count></eSearchResult>", "root element is <eSearchResult>"),
])
def test_other_non_pubmed_answers(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_pubmed_xml(data)


def test_iter_file_plain_and_gzip(tmp_path: Path) -> None:
    plain = [r.pmid for r in iter_pubmed_file(DATA / "efetch_edge_cases.xml")]
    packed = tmp_path / "saved.xml.gz"
    packed.write_bytes(gzip.compress(sample("efetch_edge_cases.xml")))
    assert [r.pmid for r in iter_pubmed_file(packed)] == plain == [
        "31000001", "31000002", "31000003", "31000004"]


def test_iter_file_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="error_page.html is a web page"):
        list(iter_pubmed_file(DATA / "error_page.html"))
    with pytest.raises(FormatError, match="cannot read"):
        list(iter_pubmed_file(tmp_path / "missing.xml"))
    fake_gz = tmp_path / "not.xml.gz"
    fake_gz.write_bytes(b"<PubmedArticleSet/>")
    with pytest.raises(FormatError, match="cannot read"):
        list(iter_pubmed_file(fake_gz))


def _template() -> str:
    text = sample("efetch_edge_cases.xml").decode()
    match = re.search(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S)
    assert match
    return match.group(0)


def efetch_document(pmids: list[str]) -> bytes:
    """A real-shaped efetch reply holding one article per PMID (our sample, renumbered)."""
    template = _template()
    body = "".join(template.replace("31000001", p) for p in pmids)
    return (f'<?xml version="1.0" ?>\n<PubmedArticleSet>\n{body}\n'
            "</PubmedArticleSet>").encode()


def test_many_records_parse_in_order() -> None:
    # Speed is measured in benchmarks/ (parse_pubmed_10k), never asserted here.
    pmids = [str(20000000 + i) for i in range(500)]
    records = parse_pubmed_xml(efetch_document(pmids))
    assert [r.pmid for r in records] == pmids
    assert all(len(r.references) == 3 for r in records)


# -- esearch and idconv parsing ---------------------------------------------------------------

def test_parse_esearch_json() -> None:
    assert parse_esearch(sample("esearch_doi_one.json")) == ncbi_replies.SearchResult(1, ["31000001"])
    # The phrase PubMed could not find is said once (in its errorlist and its warnings).
    assert parse_esearch(sample("esearch_doi_none.json")) == ncbi_replies.SearchResult(
        0, [], ['"10.5555/not.in.pubmed"[doi]'])
    with pytest.raises(FormatError, match="Invalid query"):
        parse_esearch(sample("esearch_error.json"))
    with pytest.raises(FormatError):
        parse_esearch(b"<html></html>")


def test_parse_idconv_new_api_shape() -> None:
    payload = json.loads(sample("idconv_pmcids.json"))
    got = parse_idconv(payload, ["PMC7000001", "PMC7000005", "PMC9999999"])
    assert got == {
        "PMC7000001": {"pmid": "31000001", "pmcid": "PMC7000001",
                       "doi": "10.1097/brs.0000000000009999"},
        "PMC7000005": {"pmcid": "PMC7000005", "doi": "10.5555/pmc.only.7000005"},
    }
    with pytest.raises(FormatError):
        parse_idconv({"status": "ok"}, ["PMC1"])


# -- network: efetch ----------------------------------------------------------------------------

def _ids_of(request: requests.PreparedRequest) -> list[str]:
    if request.method == "POST":
        form = parse_qs(str(request.body))
    else:
        form = parse_qs(urlsplit(str(request.url)).query)
    return form["id"][0].split(",")


@responses.activate
def test_thousand_pmids_take_five_post_requests_and_omissions_are_absent() -> None:
    pmids = [str(30000000 + i) for i in range(1000)]
    omitted = {"30000007", "30000999"}

    def reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        served = [p for p in _ids_of(request) if p not in omitted]
        return 200, {"Content-Type": "text/xml"}, efetch_document(served)

    responses.add_callback(responses.POST, EFETCH, callback=reply)
    got = pubmed.fetch_pmids(make_client(), pmids)
    assert len(responses.calls) == 5
    for call in responses.calls:
        form = parse_qs(str(call.request.body))
        assert form["db"] == ["pubmed"] and form["retmode"] == ["xml"]
        assert form["tool"] == ["spinelib"] and form["email"] == ["tests@example.org"]
        assert len(form["id"][0].split(",")) == 200
    assert set(got) == set(pmids) - omitted
    assert got["30000000"].title.startswith("Dosimetry")


@responses.activate
def test_short_batch_uses_get_with_key_and_contact() -> None:
    responses.get(EFETCH, body=efetch_document(["123", "456"]))
    got = pubmed.fetch_pmids(make_client(ncbi_api_key="k3y"), ["PMID: 123", "456", "123"])
    assert sorted(got) == ["123", "456"]
    query = parse_qs(urlsplit(str(responses.calls[0].request.url)).query)
    assert query["id"] == ["123,456"]  # normalised and de-duplicated
    assert query["api_key"] == ["k3y"] and query["tool"] == ["spinelib"]


@responses.activate
def test_empty_set_means_every_pmid_absent() -> None:
    responses.get(EFETCH, body=b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>')
    assert pubmed.fetch_pmids(make_client(), ["37909814"]) == {}


@responses.activate
def test_html_answer_is_a_service_error() -> None:
    responses.get(EFETCH, body=sample("error_page.html"), content_type="text/html")
    with pytest.raises(ServiceError, match="PubMed's answer is a web page"):
        pubmed.fetch_pmids(make_client(), ["1"])


@responses.activate
def test_unreachable_pubmed_is_a_network_error() -> None:
    responses.get(EFETCH, body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(NetworkError, match="cannot reach PubMed"):
        pubmed.fetch_pmids(make_client(), ["1"])


def test_garbage_pmid_is_rejected_before_any_request() -> None:
    with pytest.raises(InvalidIdentifier):
        pubmed.fetch_pmids(make_client(), ["10.1000/xyz"])


# -- network: esearch by DOI --------------------------------------------------------------------

@responses.activate
def test_search_doi_found() -> None:
    responses.get(ESEARCH, body=sample("esearch_doi_one.json"))
    assert pubmed.search_doi(make_client(), "https://doi.org/10.1097/BRS.0000000000009999") \
        == "31000001"
    query = parse_qs(urlsplit(str(responses.calls[0].request.url)).query)
    assert query["term"] == ['"10.1097/brs.0000000000009999"[doi]']
    assert query["retmode"] == ["json"] and query["tool"] == ["spinelib"]


@responses.activate
def test_search_doi_not_found_or_ambiguous() -> None:
    responses.get(ESEARCH, body=sample("esearch_doi_none.json"))
    assert pubmed.search_doi(make_client(), "10.5555/not.in.pubmed") is None
    responses.replace(responses.GET, ESEARCH, json={"esearchresult": {
        "count": "2", "retmax": "2", "retstart": "0", "idlist": ["1", "2"]}})
    assert pubmed.search_doi(make_client(), "10.5555/twice") is None


@responses.activate
def test_search_doi_error_reply_is_service_error() -> None:
    responses.get(ESEARCH, body=sample("esearch_error.json"))
    with pytest.raises(ServiceError, match="Invalid query"):
        pubmed.search_doi(make_client(), "10.5555/x")


# -- network: ID converter ----------------------------------------------------------------------

@responses.activate
def test_convert_ids_groups_by_kind() -> None:
    responses.get(IDCONV, body=sample("idconv_pmcids.json"),
                  match=[responses.matchers.query_param_matcher(
                      {"ids": "PMC7000001,PMC7000005,PMC9999999", "idtype": "pmcid",
                       "format": "json", "versions": "no", "tool": "spinelib",
                       "email": "tests@example.org"})])
    responses.get(IDCONV, json={"status": "ok", "records": [
        {"requested-id": "31000003", "pmid": 31000003, "pmcid": "PMC7000003"}]},
        match=[responses.matchers.query_param_matcher(
            {"ids": "31000003", "idtype": "pmid", "format": "json", "versions": "no",
             "tool": "spinelib", "email": "tests@example.org"})])
    got = pubmed.convert_ids(make_client(ncbi_api_key="secret"),
                             ["PMC7000001", "PMC7000005", "PMC9999999", "31000003"])
    assert got["PMC7000001"]["pmid"] == "31000001"
    assert got["PMC7000005"] == {"pmcid": "PMC7000005", "doi": "10.5555/pmc.only.7000005"}
    assert "PMC9999999" not in got  # an error record means "unknown"
    assert got["31000003"] == {"pmid": "31000003", "pmcid": "PMC7000003"}
    assert len(responses.calls) == 2
    assert all("secret" not in str(c.request.url) for c in responses.calls)


@responses.activate
def test_convert_ids_non_json_is_service_error() -> None:
    responses.get(IDCONV, body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(ServiceError, match="did not answer with JSON"):
        pubmed.convert_ids(make_client(), ["PMC1"])


def test_run_in_headings_become_labelled_paragraphs() -> None:
    from spinelib.formats.pubmed_xml_parts import split_run_in_headings

    text = ("Study DesignRetrospective cohort study.ObjectiveIn general, patients improve."
            "MethodsWe included 119 patients.ResultsBone density rose (P = .002)."
            "ConclusionDensity increased.")
    assert split_run_in_headings(text) == [
        "STUDY DESIGN: Retrospective cohort study.", "OBJECTIVE: In general, patients improve.",
        "METHODS: We included 119 patients.", "RESULTS: Bone density rose (P = .002).",
        "CONCLUSION: Density increased."]
    prose = "Methods were compared. Results: none. The ResultsTable was empty."
    assert split_run_in_headings(prose) == [prose]
    # Headings run in later but not at the start: the text is not split (nothing is lost).
    late = "We studied bone.MethodsWe included 119 patients.ResultsBone density rose."
    assert split_run_in_headings(late) == [late]
    # One heading alone is a title-like start, not a structure.
    assert split_run_in_headings("MethodsWe included 119 patients.") == [
        "MethodsWe included 119 patients."]


def test_grandchildren_are_the_slash_path_in_document_order() -> None:
    from xml.etree.ElementTree import fromstring

    from spinelib.formats.pubmed_xml_values import grandchildren

    parent = fromstring("<C><KeywordList><Keyword>a</Keyword><Other/><Keyword>b</Keyword>"
                        "</KeywordList><Skip><Keyword>x</Keyword></Skip>"
                        "<KeywordList><Keyword>c</Keyword></KeywordList></C>")
    found = grandchildren(parent, "KeywordList", "Keyword")
    assert [k.text for k in found] == ["a", "b", "c"]
    assert found == parent.findall("KeywordList/Keyword")
    assert grandchildren(parent, "Missing", "Keyword") == []


@pytest.mark.parametrize("text", [
    "Separation surgery", "  leading", "trailing ", "two  spaces", "line\nbreak",
    "tab\there", "cr\rhere", " \r\n\t ", "non\u00a0breaking", "\u2028separator",
    "caf\u00e9  au lait", "\u00e9 ", " ", "x", "a\x7fb",
])
def test_element_text_collapses_whitespace_as_split_and_join(text: str) -> None:
    from xml.etree.ElementTree import fromstring
    # Parsed, as every element reaches element_text: tab, CR and LF written as character
    # references, so the parser keeps them as they are.
    refs = "".join(f"&#{ord(c)};" if c in "\t\r\n" else c for c in text)
    elem = fromstring(f"<ArticleTitle>{refs}</ArticleTitle>")
    assert elem.text == text
    # The inline quick test (issue 19) must agree with the general collapse everywhere.
    assert element_text(elem) == " ".join(text.split())


@pytest.mark.parametrize("control", ["\x0b", "\x0c", "\x1c", "\x1f"])
def test_xml_holds_no_other_ascii_whitespace(control: str) -> None:
    """What element_text's ASCII quick test relies on: XML 1.0 admits no control character
    but tab, LF and CR, written or as a reference, so no other ASCII whitespace reaches it."""
    from xml.etree.ElementTree import ParseError, fromstring
    for body in (control, f"&#{ord(control)};"):
        with pytest.raises(ParseError):
            fromstring(f"<ArticleTitle>a{body}b</ArticleTitle>")
