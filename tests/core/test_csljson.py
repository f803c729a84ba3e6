"""CSL-JSON writing and reading (spinelib.formats.csljson)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.errors import FormatError
from spinelib.formats import read_file
from spinelib.formats.csljson import export_problems, item, write_csljson
from spinelib.formats.csljson_read import jats_to_text, read_csljson
from spinelib.records import ArticleRecord, Author
from spinelib.text import one_line, tidy_long_text

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def record(**changes: object) -> ArticleRecord:
    rec = ArticleRecord(
        title="Balloon kyphoplasty versus non-surgical fracture management",
        authors=[Author("Berenson", "James"),
                 Author(collective="Cancer Patient Fracture Evaluation (CAFE) Investigators")],
        journal="The Lancet Oncology", journal_abbrev="Lancet Oncol", issn="1470-2045",
        year=2011, month=3, day=None, volume="12", issue="3", pages="225-35",
        doi="10.1016/s1470-2045(11)70008-0", pmid="21333599", pmcid="PMC1",
        abstract="A.\n\nB.", language="eng", citekey="berenson2011balloon",
        tags=["kyphoplasty"], keywords=["fracture"], notes="note",
    )
    for key, value in changes.items():
        setattr(rec, key, value)
    return rec


def test_write_item() -> None:
    items = json.loads(write_csljson([record()]))
    assert items == [{
        "id": "berenson2011balloon",
        "type": "article-journal",
        "title": "Balloon kyphoplasty versus non-surgical fracture management",
        "author": [{"family": "Berenson", "given": "James"},
                   {"literal": "Cancer Patient Fracture Evaluation (CAFE) Investigators"}],
        "container-title": "The Lancet Oncology",
        "container-title-short": "Lancet Oncol",
        "issued": {"date-parts": [[2011, 3]]},
        "volume": "12",
        "issue": "3",
        "page": "225-235",
        "DOI": "10.1016/s1470-2045(11)70008-0",
        "PMID": "21333599",
        "PMCID": "PMC1",
        "ISSN": "1470-2045",
        "language": "eng",
        "keyword": "kyphoplasty, fracture",
        "annote": "note",
    }]
    with_abstract = json.loads(write_csljson([record()], abstracts=True))[0]
    assert with_abstract["abstract"] == "A.\n\nB."


def test_types_and_keyword_separator() -> None:
    items = json.loads(write_csljson([
        record(type="chapter", book_title="A book", journal=""),
        record(type="book", journal=""),
        record(type="preprint"),
        ArticleRecord(title="x", type="other"),
        record(tags=["spine, lumbar"], keywords=["b"]),
    ]))
    assert [i["type"] for i in items] == ["chapter", "book", "article", "document",
                                         "article-journal"]
    assert items[0]["container-title"] == "A book"
    assert items[4]["keyword"] == "spine, lumbar; b"
    assert [i["id"] for i in items][:2] == ["berenson2011balloon", "berenson2011balloona"]


def test_non_ascii_written_as_utf8() -> None:
    text = write_csljson([record(title="α-blockers in Rīga")])
    assert "α-blockers in Rīga" in text


def test_round_trip() -> None:
    rec = record(tags=["a, b"], keywords=["c"], day=None)
    back = read_csljson(write_csljson([rec], abstracts=True), "t.json")
    assert back.problems == []
    got = back.records[0]
    assert got.title == rec.title and got.authors == rec.authors
    assert (got.journal, got.journal_abbrev, got.issn) == (rec.journal, rec.journal_abbrev,
                                                           rec.issn)
    assert (got.year, got.month, got.day) == (2011, 3, None)
    assert got.pages == "225-235"
    assert (got.doi, got.pmid, got.pmcid) == (rec.doi, rec.pmid, rec.pmcid)
    assert got.keywords == ["a, b", "c"]
    assert got.abstract == rec.abstract and got.notes == rec.notes
    assert got.citekey == rec.citekey and got.type == "article"


#: Text that reads as markup or as a character reference, as a user or a source may type it.
MARKUP_LIKE = ["The <b> element", "<i>in vivo</i> &amp; <sup>99m</sup>Tc", "x < y and <b>",
               "<title>", "a <b x<i>> b", "&lt;p&gt; kept", "<span class=\"nocase\">N</span>"]


@pytest.mark.parametrize("text", MARKUP_LIKE)
def test_text_that_looks_like_markup_comes_back_as_written(text: str) -> None:
    # Hypothesis found an abstract "<title>" read back as "" (taken for JATS) and
    # "x < y and <b>" as "x": the writer escapes what the reader would take for markup.
    rec = record(title=text, abstract=text, date_text=text, journal=text,
                 authors=[Author(text, text), Author(collective=text)])
    back = read_csljson(write_csljson([rec], abstracts=True), "t.json")
    got = back.records[0]
    assert (got.title, got.abstract, got.journal, got.date_text) == (text, text, text, text)
    assert got.authors == rec.authors


#: Pieces of markup, character references and plain text, drawn into strings.
MARKUP_PIECES = st.sampled_from(["<", ">", "/", "&", ";", "#60", " ", "x", "=", '"', "b", "i",
                                 "p", "lt", "amp", "title", "span", "sup", "jats:", "br"])


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKUP_PIECES, max_size=24).map("".join))
def test_any_mix_of_markup_pieces_comes_back(text: str) -> None:
    rec = record(title=f"T{text}", abstract=text, authors=[Author(f"F{text}", text)])
    got = read_csljson(write_csljson([rec], abstracts=True), "t.json").records[0]
    assert got.title == one_line(f"T{text}")
    assert got.abstract == tidy_long_text(text)
    assert got.authors == [Author(one_line(f"F{text}"), one_line(text))]


def test_markup_escaped_only_where_a_reader_would_take_it() -> None:
    rec = record(title="The <b> element: x < y, p<0.05", abstract="<title> and 5 <10 mm")
    obj = json.loads(write_csljson([rec], abstracts=True))[0]
    assert obj["title"] == "The &lt;b> element: x < y, p<0.05"
    assert obj["abstract"] == "&lt;title> and 5 <10 mm"


def test_citation_engine_gets_text_unescaped() -> None:
    # citeproc-py prints text as given: the object it formats keeps "<" as the user typed it.
    rec = record(title="The <b> element", authors=[Author("Smith <i>", "A")])
    obj = item(rec, "k")
    assert obj["title"] == "The <b> element"
    assert obj["author"][0]["family"] == "Smith <i>"


def test_read_zotero_export() -> None:
    result = read_file(DATA / "zotero.json")
    assert result.problems == ["zotero.json item 4: not a JSON object (skipped)",
                               "zotero.json item 5: neither a title nor a DOI, PMID or PMCID "
                               "(skipped)"]
    noms, berenson, chapter = result.records
    assert noms.citekey == ""  # Zotero's item URI is not a citation key
    assert noms.journal_abbrev == "Oncologist"  # journalAbbreviation
    assert (noms.pmid, noms.pmcid) == ("23709750", "PMC4063402")
    assert (noms.year, noms.month) == (2013, 6)  # date-parts given as strings
    assert noms.url.startswith("https://academic.oup.com/")
    assert berenson.doi == "10.1016/s1470-2045(11)70008-0"
    assert berenson.pages == "225-235"  # en dash normalised
    assert berenson.authors[1].collective.startswith("Cancer Patient Fracture")
    assert berenson.keywords == ["kyphoplasty", "vertebral compression fracture"]
    assert chapter.type == "chapter" and chapter.book_title == "A book"
    assert chapter.authors == [Author("van Beethoven", "Ludwig")]
    assert (chapter.year, chapter.month, chapter.day) == (2020, 5, 17)  # "raw" date


def test_read_crossref_csl_fixture(fixtures_dir: Path) -> None:
    path = (fixtures_dir / "doi_negotiation"
            / "habanero_csl_json_10.1126_science.169.3946.635.body.json")
    result = read_file(path)
    assert result.problems == []
    [rec] = result.records
    assert rec.doi == "10.1126/science.169.3946.635"
    assert rec.title == "The Structure of Ordinary Water"
    assert rec.journal == "Science" and rec.journal_abbrev == "Science"
    assert (rec.year, rec.month, rec.day) == (1970, 8, 14)
    assert rec.issn == "0036-8075"  # the first of Crossref's list
    assert rec.abstract.startswith("The train of thought pursued in this article")
    assert "<" not in rec.abstract
    assert rec.url == ""  # Crossref's URL is only the DOI link
    assert rec.publisher.startswith("American Association for the Advancement")
    assert rec.volume == "169" and rec.issue == "3946"
    assert rec.pages == "635-641"
    assert rec.authors == [Author("Frank", "Henry S.")]
    assert rec.type == "article"
    assert rec.citekey == ""


def test_read_crossref_works_envelope(fixtures_dir: Path) -> None:
    path = fixtures_dir / "crossref" / "habanero_works_10.1371_journal.pone.0033693.body.json"
    [rec] = read_csljson(path.read_text(encoding="utf-8"), path.name).records
    assert rec.doi == "10.1371/journal.pone.0033693"
    assert rec.journal == "PLoS ONE"
    assert rec.pages == "e33693"
    assert rec.issn


def test_jats_abstract_flattened() -> None:
    jats = ("<jats:title>Abstract</jats:title><jats:sec><jats:title>Background</jats:title>"
            "<jats:p>One &amp; two.</jats:p></jats:sec><jats:sec><jats:title>Results"
            "</jats:title><jats:p>Three <jats:italic>x</jats:italic>.</jats:p></jats:sec>")
    assert jats_to_text(jats) == "Background: One & two.\n\nResults: Three x."


def test_single_object_and_bad_json() -> None:
    one = read_csljson('{"type": "book", "title": "T", "id": "k1"}', "o.json")
    assert one.records[0].type == "book" and one.records[0].citekey == "k1"
    with pytest.raises(FormatError, match=r"b\.json is not valid JSON \(line 1"):
        read_csljson("[{", "b.json")
    with pytest.raises(FormatError, match="not CSL-JSON"):
        read_csljson('"just a string"', "s.json")
    empty = read_csljson("[]", "e.json")
    assert empty.records == [] and empty.warnings == ["e.json has no CSL-JSON items"]


def test_invalid_identifiers_dropped_with_a_warning() -> None:
    result = read_csljson('[{"title": "T", "DOI": "nope", "PMID": "PMC12"}]', "x.json")
    assert result.records[0].doi == "" and result.records[0].pmid == ""
    assert result.problems == []  # the item is imported: nothing failed
    assert result.warnings == ["x.json item 1: 'nope' is not a DOI (dropped)",
                               "x.json item 1: 'PMC12' is a PMCID, not a PMID (dropped)"]


def test_export_problems() -> None:
    assert export_problems([record()]) == []
    assert export_problems([ArticleRecord(title="T", citekey="k")]) == ["k: missing author, year"]
