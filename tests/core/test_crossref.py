"""Crossref source: markup flattening, parse_work branches and fetch_work over HTTP.

Handwritten replies live in tests/data/crossref/ (real /works shapes); HTTP is served by
``responses`` to the real HttpClient with sleeping disabled.
"""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path
from typing import Any

import pytest
import responses
from hypothesis import given
from hypothesis import strategies as st

from spinelib.errors import InvalidIdentifier, NetworkError, NotFound, ServiceError
from spinelib.formats.crossref_json import normalise_orcid, parse_work, reference_citation
from spinelib.formats.jats_text import jats_to_text, plain_text
from spinelib.records import Author
from spinelib.settings import Settings
from spinelib.sources.crossref import fetch_work, quote_doi
from spinelib.sources.http import HttpClient

DATA = Path(__file__).resolve().parent.parent / "data" / "crossref"
BASE = "http://127.0.0.1:9/crossref"  # what tests/conftest.py points SPINELIB_CROSSREF_URL at


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def structured() -> dict[str, Any]:
    return _load("work_spine_structured_abstract.json")


@pytest.fixture
def client() -> HttpClient:
    settings = Settings().with_env()
    assert settings.crossref_url == BASE
    return HttpClient(settings, sleep=lambda s: None)


# --------------------------------------------------------------------------- markup


@pytest.mark.parametrize(("markup", "text"), [
    ("<i>En bloc</i> resection", "En bloc resection"),
    ("H<sub>2</sub>O<sub>2</sub> and Ca<sup>2+</sup>", "H2O2 and Ca2+"),
    ("<scp>MRI</scp> &amp; CT &lt;3 &#x3B1;&#946;", "MRI & CT <3 αβ"),
    ("Survival at 10&nbsp;years", "Survival at 10 years"),
    ("p < 0.05 and x<y and z>w", "p < 0.05 and x<y and z>w"),  # prose, not tags
    ('<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>T</mml:mi>'
     "<mml:mn>12</mml:mn></mml:math> fracture", "T12 fracture"),
    ("Line one<br/>line two", "Line one line two"),
    ("  spaced \n\t out  ", "spaced out"),
    ("<jats:italic>unclosed", "unclosed"),
])
def test_plain_text_flattens_inline_markup(markup: str, text: str) -> None:
    assert plain_text(markup) == text


@pytest.mark.parametrize("value", [None, 12, ["<i>x</i>"], {"a": 1}])
def test_plain_text_of_non_text_is_empty(value: object) -> None:
    assert plain_text(value) == ""


@given(st.text())
def test_plain_text_returns_escaped_text_unchanged(text: str) -> None:
    # Whatever a publisher writes, escaped text comes back as the text itself (spaces folded).
    assert plain_text(html.escape(text)) == " ".join(text.split())


def test_tag_tokenizer_copes_with_hostile_input() -> None:
    # Unclosed tags and bare '<' by the ten thousand: handled as text, without error.
    # (A tokenizer that backtracked would not finish here; no timing is asserted.)
    hostile = ("<a " + "x" * 50 + " ") * 2000 + "<" * 5000 + '<b c="' * 2000
    # None of it is a complete tag, so all of it is text, kept whole (spaces folded).
    as_text = " ".join(hostile.split())
    assert plain_text(hostile) == as_text
    assert jats_to_text(hostile) == as_text


def test_jats_abstract_keeps_section_labels_as_paragraphs(structured: dict[str, Any]) -> None:
    text = jats_to_text(structured["message"]["abstract"])
    assert text.split("\n\n") == [
        "Background: Chordoma of the thoracolumbar spine is rare; en bloc resection (Tomita) "
        "is standard.",
        "Methods: We reviewed 42 patients treated 2000–2010 (p < 0.05 taken as significant).",
        "Follow-up was at least 10 years.",
        "Results: Local control was 85% at 10 years; CO2 laser margins were tested1.",
        "No deaths.",
        "Two revisions.",
        "Conclusions: Wide margins matter.",
    ]


def test_jats_plain_paragraphs_and_heading_without_text() -> None:
    markup = ("<jats:p>First.</jats:p>\n<jats:p>Second <jats:bold>bold</jats:bold>.</jats:p>"
              "<jats:sec><jats:title>Trial registration</jats:title></jats:sec>")
    assert jats_to_text(markup) == "First.\n\nSecond bold.\n\nTrial registration"


def test_jats_text_outside_any_paragraph_is_kept() -> None:
    assert jats_to_text("Just text, no markup &amp; all.") == "Just text, no markup & all."
    assert jats_to_text(None) == ""


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(("raw", "bare"), [
    ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("http://orcid.org/0000-0002-1694-233x", "0000-0002-1694-233X"),
    ("0000000151093700", "0000-0001-5109-3700"),
    ("orcid.org/0000-0001-5109-3700/", "0000-0001-5109-3700"),
    ("0000-0002-1825-0098", ""),  # checksum fails: a typo, not an iD
    ("not an orcid", ""),
    (None, ""),
])
def test_normalise_orcid(raw: object, bare: str) -> None:
    assert normalise_orcid(raw) == bare


@pytest.mark.parametrize(("doi", "path"), [
    ("10.1371/journal.pone.0033693", "10.1371/journal.pone.0033693"),
    ("10.1002/(sici)1522-2594(199911)42:5<952::aid-mrm16>3.0.co;2-s",
     "10.1002/%28sici%291522-2594%28199911%2942%3A5%3C952%3A%3Aaid-mrm16%3E3.0.co%3B2-s"),
    ("10.1021/ja003055+", "10.1021/ja003055%2B"),
    ("10.1000/a#b?c d", "10.1000/a%23b%3Fc%20d"),
    ("10.36652/0042-4633-2023-102-5-404-413/", "10.36652/0042-4633-2023-102-5-404-413%2F"),
])
def test_quote_doi_encodes_everything_but_inner_slashes(doi: str, path: str) -> None:
    assert quote_doi(doi) == path


# --------------------------------------------------------------------------- parse_work


def test_parse_work_fields(structured: dict[str, Any]) -> None:
    rec = parse_work(structured)
    assert rec.source == "crossref"
    assert rec.title == "En bloc resection of T12 chordoma: SINS & outcomes at 10 years"
    assert rec.journal == "Spine Oncology Reports"
    assert rec.journal_abbrev == "Spine Oncol Rep"
    assert rec.issn == "1111-2222"  # the print ISSN, though the electronic one is listed first
    assert (rec.year, rec.month, rec.day) == (2019, 11, None)  # issued is [[null]]
    assert (rec.volume, rec.issue) == ("12", "4")
    assert rec.pages == "e0042"  # article-number: the work has no page range
    assert rec.doi == "10.5555/spine.2019.0042"
    assert rec.type == "article"
    assert rec.language == "en"
    assert rec.publisher == "Example Spine Press & Partners"
    assert rec.url == "https://doi.org/10.5555/spine.2019.0042"
    assert rec.abstract.startswith("Background: Chordoma")
    assert "<" not in rec.abstract.replace("p < 0.05", "")
    assert not rec.retracted and not rec.has_erratum and rec.publication_types == []


def test_parse_work_authors(structured: dict[str, Any]) -> None:
    assert parse_work(structured).authors == [
        Author(family="García-López", given="José María", initials="JM",
               orcid="0000-0002-1825-0097"),
        Author(family="Müller", given="Anna-Lena", initials="AL", orcid="0000-0001-5109-3700"),
        Author(family="O'Neill", given="R. J.", initials="RJ", orcid="0000-0002-1694-233X"),
        Author(collective="Spine Oncology Study Group"),
        Author(family="Zhang", given="Wei", initials="W", orcid=""),
    ]


def test_parse_work_references_in_order(structured: dict[str, Any]) -> None:
    refs = parse_work(structured).references
    assert [r.position for r in refs] == [1, 2, 3, 4, 5, 6, 7]
    assert refs[0].citation == ("Fisher CG, Schouten R, Versteeg AL. A novel classification "
                                "system for spinal instability. Spine. 2010;35:E1221–E1229.")
    assert refs[1].citation == ("Boriani S. Chordoma of the mobile spine: fifty years of "
                                "experience. Spine. 2006;31:493.")
    assert (refs[2].citation, refs[2].doi) == ("", "10.5555/abc.123")
    assert refs[3].citation == "Tomita K. 2001."
    assert refs[4].citation == "Enneking WF. Musculoskeletal tumor surgery. 1983:69."
    assert (refs[5].doi, refs[5].citation) == ("", "An entry whose DOI field is junk. 1999.")
    assert (refs[6].citation, refs[6].doi) == ("", "")  # kept so numbering matches the paper


@pytest.mark.parametrize(("ref", "text"), [
    ({"volume": "12", "first-page": "345"}, "12:345."),
    ({"author": "Smith J", "article-title": "Title", "journal-title": "J",
      "year": "2010", "volume": "12", "first-page": "345"}, "Smith J. Title. J. 2010;12:345."),
    ({"series-title": "Methods Mol Biol", "year": 2015}, "Methods Mol Biol. 2015."),
    ({"unstructured": "  As   printed.  ", "author": "ignored"}, "As printed."),
    ({}, ""),
])
def test_reference_citation_from_pieces(ref: dict[str, Any], text: str) -> None:
    assert reference_citation(ref) == text


def test_envelope_and_bare_message_parse_alike(structured: dict[str, Any]) -> None:
    assert parse_work(structured["message"]) == parse_work(structured)


def test_page_range_wins_over_article_number(structured: dict[str, Any]) -> None:
    structured["message"]["page"] = "101-118"
    assert parse_work(structured).pages == "101-118"
    del structured["message"]["page"], structured["message"]["article-number"]
    assert parse_work(structured).pages == ""


def test_date_falls_back_in_order(structured: dict[str, Any]) -> None:
    msg = structured["message"]
    msg["issued"] = {"date-parts": [[2018, 13, 40]]}  # bad month: keep only the year
    assert (parse_work(msg).year, parse_work(msg).month, parse_work(msg).day) == (2018, None, None)
    for key in ("issued", "published-print"):
        del msg[key]
    assert (parse_work(msg).year, parse_work(msg).month, parse_work(msg).day) == (2019, 10, 1)
    for key in ("published-online", "published"):
        del msg[key]
    assert parse_work(msg).year is None


def test_book_chapter_uses_the_book_not_the_series() -> None:
    rec = parse_work(_load("work_book_chapter_message.json"))
    assert rec.type == "chapter"
    assert rec.book_title == "Spinal Oncology: A Practical Guide"
    assert rec.journal == ""
    assert (rec.pages, rec.publisher, rec.year, rec.month, rec.day) == (
        "101-118", "Example Medical Books", 2018, 3, 15)


@pytest.mark.parametrize(("crossref_type", "ours"), [
    ("journal-article", "article"), ("book", "book"), ("monograph", "book"),
    ("book-chapter", "chapter"), ("posted-content", "preprint"),
    ("proceedings-article", "conference"), ("dissertation", "thesis"),
    ("peer-review", "other"), ("", "other"),
])
def test_type_mapping(structured: dict[str, Any], crossref_type: str, ours: str) -> None:
    structured["message"]["type"] = crossref_type
    rec = parse_work(structured)
    assert rec.type == ours
    # A book's container title is a series, never a journal.
    assert rec.journal == ("" if ours in ("book", "chapter") else "Spine Oncology Reports")


def test_retracted_work(structured: dict[str, Any]) -> None:
    structured["message"]["updated-by"] = [
        {"DOI": "10.5555/retraction.1", "type": "retraction", "label": "Retraction",
         "source": "retraction-watch", "updated": {"date-parts": [[2022, 1, 5]]}},
        {"DOI": "10.5555/correction.1", "type": "correction", "source": "publisher"},
    ]
    rec = parse_work(structured)
    assert rec.retracted and rec.has_erratum
    assert rec.publication_types == ["Retracted Publication"]
    assert rec.type == "article"


def test_retraction_notice_is_not_itself_retracted(structured: dict[str, Any]) -> None:
    structured["message"]["update-to"] = [{"DOI": "10.5555/original", "type": "retraction"}]
    rec = parse_work(structured)
    assert not rec.retracted
    assert rec.publication_types == ["Retraction of Publication"]


def test_correction_notice_is_an_erratum(structured: dict[str, Any]) -> None:
    structured["message"]["update-to"] = [{"DOI": "10.5555/original", "type": "corrigendum"}]
    rec = parse_work(structured)
    assert (rec.type, rec.publication_types, rec.has_erratum) == (
        "erratum", ["Published Erratum"], False)


def test_odd_field_types_are_ignored(structured: dict[str, Any]) -> None:
    msg = structured["message"]
    msg.update({"author": "not a list", "reference": {"key": "x"}, "volume": ["12"],
                "container-title": "A Journal Given As A String", "ISSN": None,
                "issn-type": "junk", "language": 7, "abstract": ["x"]})
    rec = parse_work(structured)
    assert (rec.authors, rec.references, rec.volume) == ([], [], "")
    assert (rec.journal, rec.issn, rec.language, rec.abstract) == (
        "A Journal Given As A String", "", "7", "")


@pytest.mark.parametrize(("payload", "message"), [
    ([], "not a JSON object"),
    ("Resource not found.", "not a JSON object"),
    (None, "not a JSON object"),
    ({"status": "ok", "message-type": "work-list", "message": {"items": []}}, "'work-list'"),
    ({"status": "failed", "message-type": "validation-failure", "message": []}, "'failed'"),
    ({"status": "ok", "message-type": "work"}, "no work object"),
    ({"status": "ok", "message-type": "work", "message": {"type": "journal-article"}},
     "neither title nor DOI"),
    ({"title": [], "DOI": "not-a-doi"}, "neither title nor DOI"),
])
def test_bad_payloads_raise_service_error(payload: object, message: str) -> None:
    with pytest.raises(ServiceError, match="Crossref") as info:
        parse_work(payload)
    assert message in str(info.value)


def test_parse_work_does_not_modify_its_input(structured: dict[str, Any]) -> None:
    before = copy.deepcopy(structured)
    parse_work(structured)
    assert structured == before


# --------------------------------------------------------------------------- fetch_work


@responses.activate
def test_fetch_work_sends_mailto_and_accept(client: HttpClient, structured: dict) -> None:
    responses.get(
        f"{BASE}/works/10.5555/spine.2019.0042", json=structured,
        match=[responses.matchers.query_param_matcher({"mailto": "tests@example.org"}),
               responses.matchers.header_matcher({"Accept": "application/json"})])
    rec = fetch_work(client, "https://doi.org/10.5555/SPINE.2019.0042")
    assert rec.doi == "10.5555/spine.2019.0042"
    assert len(rec.references) == 7


@responses.activate
def test_fetch_work_without_email_sends_no_mailto(structured: dict) -> None:
    client = HttpClient(Settings(crossref_url=BASE), sleep=lambda s: None)
    responses.get(f"{BASE}/works/10.5555/spine.2019.0042", json=structured)
    fetch_work(client, "10.5555/spine.2019.0042")
    assert "mailto" not in str(responses.calls[0].request.url)


@responses.activate
def test_fetch_work_quotes_special_characters(client: HttpClient, structured: dict) -> None:
    doi = "10.1002/(SICI)1097-0274(199909)36:1+<1::AID-AJIM2>3.0.CO;2-0"
    responses.get(f"{BASE}/works/{quote_doi(doi.lower())}", json=structured)
    fetch_work(client, doi)
    sent = str(responses.calls[0].request.url)
    assert sent.startswith(
        f"{BASE}/works/10.1002/%28sici%291097-0274%28199909%2936%3A1%2B%3C1%3A%3Aaid-ajim2"
        "%3E3.0.co%3B2-0?")
    assert sent.endswith("mailto=tests%40example.org")


@responses.activate
def test_fetch_work_404_text_plain_is_not_found(client: HttpClient) -> None:
    responses.get(f"{BASE}/works/10.1371/notarealdoi", status=404,
                  body="Resource not found.", content_type="text/plain")
    with pytest.raises(NotFound, match=r"^Crossref has no record of DOI 10\.1371/notarealdoi$"):
        fetch_work(client, "10.1371/notarealdoi")


@responses.activate
def test_fetch_work_html_page_is_service_error(client: HttpClient) -> None:
    page = (DATA / "proxy_error_page.html").read_text(encoding="utf-8")
    responses.get(f"{BASE}/works/10.5555/x", body=page, content_type="text/html")
    with pytest.raises(ServiceError, match=r"not JSON \(text/html"):
        fetch_work(client, "10.5555/x")


@responses.activate
def test_fetch_work_truncated_json_is_service_error(client: HttpClient) -> None:
    body = (DATA / "work_spine_structured_abstract.json").read_bytes()
    responses.get(f"{BASE}/works/10.5555/x", body=body[: len(body) // 2],
                  content_type="application/json")
    with pytest.raises(ServiceError, match="not JSON"):
        fetch_work(client, "10.5555/x")


@responses.activate
def test_fetch_work_json_that_is_not_a_work(client: HttpClient) -> None:
    responses.get(f"{BASE}/works/10.5555/x", json={"status": "ok", "message-type": "work-list",
                                                   "message": {"items": []}})
    with pytest.raises(ServiceError, match="not a work"):
        fetch_work(client, "10.5555/x")


@responses.activate
def test_fetch_work_rejects_non_doi_without_asking(client: HttpClient) -> None:
    with pytest.raises(InvalidIdentifier):
        fetch_work(client, "12345678")
    assert len(responses.calls) == 0


@responses.activate
def test_fetch_work_server_down_is_network_error(client: HttpClient) -> None:
    responses.get(f"{BASE}/works/10.5555/x", status=503)
    with pytest.raises(NetworkError):
        fetch_work(client, "10.5555/x")
    assert len(responses.calls) == client.settings.max_retries + 1


def test_an_author_suffix_keeps_its_own_place() -> None:
    work = parse_work({"DOI": "10.1000/x", "title": ["T"], "author": [
        {"given": "Richard J", "family": "Kryscio", "suffix": "Jr", "sequence": "first"}]})
    assert work.authors == [Author(family="Kryscio", given="Richard J", initials="RJ",
                                   suffix="Jr")]
