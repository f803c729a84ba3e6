"""A manuscript cited with Zotero's or Mendeley Desktop's Word plug-in is formatted by
SpineLib: their citation fields are read as the placeholders they stand for.

Before: their fields' results ("(1)", "(Patchell et al., 2005)") were plain text to SpineLib,
so such a manuscript had nothing to format; a surgeon moving from Zotero had to retype every
citation. The field codes below are in the shape those plug-ins write (CSL JSON after
``ADDIN ZOTERO_ITEM CSL_CITATION`` and ``ADDIN CSL_CITATION``; ``ADDIN ZOTERO_BIBL …
CSL_BIBLIOGRAPHY`` and ``ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.parser import parse_xml

from spinelib.library import Library
from spinelib.manuscript import format_manuscript
from spinelib.manuscript.otherfields import placeholder_for
from spinelib.manuscript.wordfile import paragraph_text, paragraphs

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

PATCHELL = {"id": 11, "type": "article-journal", "title": "Direct decompressive surgical "
            "resection", "container-title": "Lancet", "DOI": "10.1016/S0140-6736(05)66954-1",
            "author": [{"family": "Patchell", "given": "Roy A"}],
            "issued": {"date-parts": [["2005", 8, 20]]}}
LAUFER = {"id": 12, "type": "article-journal", "title": "The NOMS framework",
          "note": "PMID: 23709750\nPMCID: PMC3699852",
          "author": [{"family": "Laufer", "given": "Ilya"}], "issued": {"date-parts": [[2013]]}}
BILSKY = {"id": 13, "type": "article-journal", "title": "Reliability analysis of the ESCC",
          "author": [{"family": "Bilsky", "given": "Mark H"}],
          "issued": {"date-parts": [[2010]]}}


def zotero(*items: dict[str, Any], **first: str) -> str:
    citation = {"citationID": "a8cbd9d2", "properties": {"formattedCitation": "(1)",
                "plainCitation": "(1)", "noteIndex": 0},
                "citationItems": [{"id": item["id"], "uris": [
                    f"http://zotero.org/users/local/abc/items/X{item['id']}"],
                    "itemData": item} for item in items],
                "schema": "https://github.com/citation-style-language/schema/raw/master/"
                          "csl-citation.json"}
    citation["citationItems"][0].update(first)  # type: ignore[index]
    return f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(citation)} "


def mendeley(*items: dict[str, Any]) -> str:
    citation = {"citationItems": [{"id": f"ITEM-{n}", "itemData": item, "uris": [
        f"http://www.mendeley.com/documents/?uuid={n}"]} for n, item in enumerate(items, 1)],
        "mendeley": {"formattedCitation": "(1)", "plainTextFormattedCitation": "(1)"},
        "properties": {"noteIndex": 0}, "schema": "https://github.com/citation-style-language/"
        "schema/raw/master/csl-citation.json"}
    return f" ADDIN CSL_CITATION {json.dumps(citation)} "


def field_runs(code: str, result: str) -> str:
    quoted = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{quoted}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t xml:space="preserve">{result}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def paragraph_xml(before: str, code: str, result: str, after: str) -> Any:
    return parse_xml(f'<w:p xmlns:w="{W_NS}"><w:r><w:t xml:space="preserve">{before}</w:t>'
                     f"</w:r>{field_runs(code, result)}<w:r><w:t xml:space=\"preserve\">"
                     f"{after}</w:t></w:r></w:p>")


def manuscript(path: Path, citations: list[tuple[str, str, str, str]], bibliography: str) -> Path:
    document = docx.Document()
    body = document.element.body
    for before, code, result, after in citations:
        body.sectPr.addprevious(paragraph_xml(before, code, result, after))
    bib = parse_xml(f'<w:p xmlns:w="{W_NS}">{field_runs(bibliography, "1. Old entry")}</w:p>')
    body.sectPr.addprevious(bib)
    document.save(str(path))
    return path


def texts(path: Path) -> list[str]:
    return [paragraph_text(p) for p in paragraphs(docx.Document(str(path)))]


@pytest.mark.parametrize(("code", "typed"), [
    (zotero(PATCHELL), "[doi:10.1016/S0140-6736(05)66954-1]"),
    (zotero(PATCHELL, LAUFER), "[doi:10.1016/S0140-6736(05)66954-1; PMID:23709750]"),
    (zotero(LAUFER, locator="746", label="page", prefix="see"),
     "[see PMID:23709750, page 746]"),
    (zotero(BILSKY), "{Bilsky, 2010}"),
    (zotero(PATCHELL, BILSKY), "[doi:10.1016/S0140-6736(05)66954-1]{Bilsky, 2010}"),
    (mendeley(PATCHELL, {**LAUFER, "PMID": "23709750", "note": ""}),
     "[doi:10.1016/S0140-6736(05)66954-1; PMID:23709750]"),
    (' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
     "{Bibliography}"),
    (" ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY ", "{Bibliography}"),
])
def test_their_codes_read_as_placeholders(code: str, typed: str) -> None:
    assert placeholder_for(code) == typed


@pytest.mark.parametrize("code", [
    " ADDIN ZOTERO_ITEM CSL_CITATION {not json ",
    ' ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems": [{"itemData": {"title": "x"}}]} ',
    " ADDIN EN.CITE <EndNote><Cite><Author>Patchell</Author></Cite></EndNote> ",
    " PAGE ", " REF _Ref123 \\h ",
])
def test_what_names_no_work_is_left_alone(code: str) -> None:
    assert placeholder_for(code) is None


def test_a_zotero_manuscript_is_formatted_by_spinelib(libpath: Path, tmp_path: Path) -> None:
    src = manuscript(tmp_path / "zotero.docx", [
        ("Surgery first", zotero(PATCHELL), " (1)", "."),
        ("Decisions follow NOMS ", zotero(LAUFER, PATCHELL, locator="746", label="page"),
         "(2, p. 746; 1)", "."),
        ("Compression is graded ", zotero(BILSKY), "(3)", " first."),
    ], ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ')
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, tmp_path / "spine.docx", "vancouver")
    assert report.converted == 4 and report.read_back == 0 and report.ok
    assert report.cited == ["patchell2005direct", "laufer2013noms", "bilsky2010escc"]
    shown = texts(tmp_path / "spine.docx")
    # Zotero's result " (1)" held the space before it: kept.
    assert shown[:3] == ["Surgery first (1).", "Decisions follow NOMS (1,2).",
                         "Compression is graded (3) first."]
    assert [t[:10] for t in shown[3:]] == ["1. Patchel", "2. Laufer ", "3. Bilsky "]
    assert "1. Old entry" not in shown  # Zotero's reference list is replaced, not kept
    assert "Zotero or Mendeley" in report.read_back_text
    # Formatted by SpineLib now, so it formats again as SpineLib's own.
    with Library.open(libpath) as lib:
        again = format_manuscript(lib, tmp_path / "spine.docx", tmp_path / "apa.docx", "apa")
    assert (again.read_back, again.converted) == (4, 0)


def test_a_cited_work_not_in_the_library_is_named(libpath: Path, tmp_path: Path) -> None:
    stranger = {**PATCHELL, "DOI": "10.9999/not.here", "title": "Elsewhere"}
    src = manuscript(tmp_path / "m.docx", [("A", mendeley(stranger), " (1)", ".")],
                     " ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY ")
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, tmp_path / "out.docx", "vancouver")
    assert not report.ok and any("10.9999/not.here" in u for u in report.unmatched)
    # Left as the placeholder, so the author sees what to import, and formats again after.
    assert texts(tmp_path / "out.docx")[0] == "A [doi:10.9999/not.here]."


# ---- EndNote


def endnote_xml(*cites: str) -> str:
    return f"<EndNote>{''.join(cites)}</EndNote>"


def endnote_cite(author: str, year: str, record: str = "", **extra: str) -> str:
    words = "".join(f"<{k}>{v}</{k}>" for k, v in extra.items())
    return (f"<Cite><Author>{author}</Author><Year>{year}</Year><RecNum>7</RecNum>{words}"
            f"<DisplayText>(1)</DisplayText><record><rec-number>7</rec-number>{record}"
            "</record></Cite>")


DOI_RECORD = ('<electronic-resource-num><style face="normal" font="default" size="100%">'
              "10.1016/S0140-6736(05)66954-1</style></electronic-resource-num>")
PUBMED_RECORD = "<accession-num>23709750</accession-num><remote-database-name>PubMed"


def endnote_field_runs(xml: str, result: str) -> str:
    """EndNote's usual field: its records base64-encoded in a nested EN.CITE.DATA field."""
    import base64

    data = base64.b64encode(xml.encode("utf-8")).decode("ascii")
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> ADDIN EN.CITE </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="begin"><w:fldData xml:space="preserve">{data}'
            "</w:fldData></w:fldChar></w:r>"
            '<w:r><w:instrText xml:space="preserve"> ADDIN EN.CITE.DATA </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>{result}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


@pytest.mark.parametrize(("xml", "typed"), [
    (endnote_xml(endnote_cite("Patchell", "2005", DOI_RECORD)),
     "[doi:10.1016/S0140-6736(05)66954-1]"),
    (endnote_xml(endnote_cite("Laufer", "2013", PUBMED_RECORD + "</remote-database-name>",
                              Pages="746", Prefix="see ")),
     "[see PMID:23709750, page 746]"),
    (endnote_xml(endnote_cite("Bilsky", "2010"), endnote_cite("Patchell", "2005", DOI_RECORD)),
     "[doi:10.1016/S0140-6736(05)66954-1]{Bilsky, 2010}"),
])
def test_endnotes_records_read_as_placeholders(xml: str, typed: str) -> None:
    import base64

    # After the code itself, and (EndNote's usual way) as the field's base64 data.
    assert placeholder_for(f" ADDIN EN.CITE {xml} ") == typed
    assert placeholder_for(" ADDIN EN.CITE ", base64.b64encode(xml.encode()).decode()) == typed
    assert placeholder_for(" ADDIN EN.CITE.DATA ", base64.b64encode(xml.encode()).decode()) \
        is None  # the nested field alone is not a citation
    assert placeholder_for(" ADDIN EN.REFLIST ") == "{Bibliography}"


@pytest.mark.parametrize("xml", [
    '<!DOCTYPE EndNote [<!ENTITY doi "10.1016/S0140-6736(05)66954-1">]>'
    "<EndNote><Cite><record><electronic-resource-num>&doi;</electronic-resource-num>"
    "</record></Cite></EndNote>",
    "<EndNote><Cite><record>",
    "<EndNote><Cite><Author/><Year/></Cite></EndNote>",
])
def test_endnote_xml_that_is_hostile_broken_or_empty_is_left_alone(xml: str) -> None:
    import base64

    assert placeholder_for(f" ADDIN EN.CITE {xml} ") is None
    assert placeholder_for(" ADDIN EN.CITE ", base64.b64encode(xml.encode()).decode()) is None
    assert placeholder_for(" ADDIN EN.CITE ", "not base64 !") is None


def test_an_endnote_manuscript_is_formatted_by_spinelib(libpath: Path, tmp_path: Path) -> None:
    document = docx.Document()
    body = document.element.body
    first = endnote_xml(endnote_cite("Patchell", "2005", DOI_RECORD))
    second = endnote_xml(endnote_cite("Laufer", "2013", PUBMED_RECORD +
                                      "</remote-database-name>"),
                         endnote_cite("Patchell", "2005", DOI_RECORD))
    for before, xml, result in (("Surgery first", first, "1"), ("NOMS decides", second, "2,1")):
        body.sectPr.addprevious(parse_xml(
            f'<w:p xmlns:w="{W_NS}"><w:r><w:t xml:space="preserve">{before}</w:t></w:r>'
            f'{endnote_field_runs(xml, result)}<w:r><w:t>.</w:t></w:r></w:p>'))
    body.sectPr.addprevious(parse_xml(
        f'<w:p xmlns:w="{W_NS}">{field_runs(" ADDIN EN.REFLIST ", "1. Old entry")}</w:p>'))
    document.save(str(tmp_path / "endnote.docx"))
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, tmp_path / "endnote.docx", tmp_path / "out.docx", "ama")
    assert (report.converted, report.ok) == (3, True)
    assert report.cited == ["patchell2005direct", "laufer2013noms"]
    shown = texts(tmp_path / "out.docx")
    assert shown[:2] == ["Surgery first1.", "NOMS decides1,2."]
    assert [t[:10] for t in shown[2:]] == ["1. Patchel", "2. Laufer "]
