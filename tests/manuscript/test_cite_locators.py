"""Pandoc's prefixes, locators and suffixes in manuscript placeholders ("[see @a, p. 12]"),
printed as each style lays them out; brackets that name an identifier but cannot be read are
reported, never silently left alone; a style that brackets every number (IEEE) does so."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from spinelib.cite import Citer, StyleEngine, format_numeric, number_text
from spinelib.cite.items import split_locator
from spinelib.library import Library
from spinelib.manuscript.docx_format import format_manuscript
from spinelib.manuscript.placeholders import find_placeholders, unreadable_brackets
from tests.manuscript.conftest import records


@pytest.mark.parametrize(("rest", "expected"), [
    (", p. 12", ("page", "12", "")),
    (", pp. 33-35 and passim", ("page", "33-35", " and passim")),
    (", pp. 33, 35-37, and nowhere else", ("page", "33, 35-37", ", and nowhere else")),
    (" p. 30", ("page", "30", "")),              # pandoc's form without the comma
    (", 89", ("page", "89", "")),                # a bare number is a page
    (", chap. 3", ("chapter", "3", "")),
    (", fig. 2", ("figure", "2", "")),
    (", Figures 2-4", ("figure", "2-4", "")),
    (", § 4", ("section", "4", "")),
    (", vol. iv", ("volume", "iv", "")),
    (", para 3", ("paragraph", "3", "")),
    (", with suffix", ("", "", ", with suffix")),
    (" and nowhere else", ("", "", " and nowhere else")),
    (", no significant difference", ("", "", ", no significant difference")),
    (", table 2", ("", "", ", table 2")),       # not a CSL 1.0.1 locator: kept as text
    ("", ("", "", "")),
])
def test_split_locator_reads_what_follows_a_key_as_pandoc(rest: str,
                                                          expected: tuple[str, str, str]) -> None:
    assert split_locator(rest) == expected


def _items(text: str) -> list[tuple[str, str, str, str, str, str]]:
    return [(c.kind, c.value, c.prefix, c.locator, c.locator_label, c.suffix)
            for ph in find_placeholders(text) for c in ph.cites]


def test_placeholders_carry_prefix_locator_and_suffix() -> None:
    text = "Blah [see @doe99, pp. 33-35 and passim; also PMID:16112300, fig. 2] end."
    assert _items(text) == [("citekey", "doe99", "see", "33-35", "page", " and passim"),
                            ("pmid", "16112300", "also", "2", "figure", "")]
    (ph,) = find_placeholders(text)
    assert text[ph.start:ph.end] == ph.text and ph.text.startswith("[see @doe99")
    assert _items("[e.g., doi:10.1016/j.x.2020.01.002, p. 5]") == [
        ("doi", "10.1016/j.x.2020.01.002", "e.g.,", "5", "page", "")]
    # Without the colon, as often typed.
    assert _items("[PMID 16112300; doi 10.1016/j.x.2020.01.002]") == [
        ("pmid", "16112300", "", "", "", ""), ("doi", "10.1016/j.x.2020.01.002", "", "", "", "")]
    # A DOI's trailing full stop belongs to the sentence, as before.
    assert _items("[doi:10.1016/ABC.]") == [("doi", "10.1016/abc", "", "", "", "")]


@pytest.mark.parametrize("text", ["[see Table 1]", "[write to me@example.org]", "[1]",
                                  "[n = 119]", "a [sic] b", "[PMIDs were checked]"])
def test_brackets_that_name_nothing_are_text(text: str) -> None:
    assert find_placeholders(text) == [] and unreadable_brackets(text) == []


@pytest.mark.parametrize(("text", "why"), [
    ("[@a @b]", "'@a @b' cites 2 works; separate them with ';'"),
    ("[@a; and more]", "'and more' cites nothing; each item needs one @key, PMID: or doi:"),
    ("[-@a]", "a citation without the author's name (-@) is not supported; write [@a]"),
])
def test_brackets_naming_an_identifier_that_cannot_be_read_say_why(text: str, why: str) -> None:
    assert find_placeholders(text) == []
    assert unreadable_brackets(f"x {text}") == [(2, text, why)]


def test_ieee_brackets_each_number_and_its_range() -> None:
    layout = StyleEngine.for_id("ieee").layout
    assert (layout.item_prefix, layout.item_suffix, layout.delimiter) == ("[", "]", ", ")
    assert format_numeric([1, 2, 3, 5], layout) == "[1]–[3], [5]"
    assert number_text([1, 2, 3, 5]) == "1–3,5"  # the default stays bare
    spine = StyleEngine.for_id("spine").layout
    assert (spine.item_prefix, spine.item_suffix) == ("", "")


def test_citer_locators_in_numeric_and_author_date_styles() -> None:
    from spinelib.cite.items import CitedItem

    recs = {r.citekey: r for r in records()}
    ieee = Citer.for_style("ieee", recs)
    assert ieee.cite_items([CitedItem("patchell2005direct")]) == ("[1]", False)
    # A cited page keeps its number apart: no range with a locator.
    assert ieee.cite_items([CitedItem("laufer2013noms"),
                            CitedItem("patchell2005direct", "12", "page")]) == (
        "[1, p. 12], [2]", False)
    ama = Citer.for_style("american-medical-association", recs)
    assert ama.cite_items([CitedItem("laufer2013noms", "3-5", "page")]) == ("1(pp3–5)", True)
    apa = Citer.for_style("apa", recs)
    text, sup = apa.cite_items([CitedItem("laufer2013noms", "12", "page", prefix="see",
                                          suffix=", for the grades")])
    assert (text, sup) == ("(see Laufer et al., 2013, p. 12, for the grades)", False)
    assert apa.cited_keys() == ["laufer2013noms"]


def _paper(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Decompression first [@patchell2005direct]; the grades "
                    "[see @laufer2013noms, p. 746; @patchell2005direct, pp. 643-648].")
    d.add_paragraph("Typo [@patchell2005direct @laufer2013noms] and [-@laufer2013noms].")
    d.add_paragraph("Again [@laufer2013noms].")
    d.save(str(path))


@pytest.mark.parametrize(("style", "first", "again"), [
    # Each style sorts the items as it says: IEEE by number, APA by author.
    ("ieee", "Decompression first [1]; the grades [1, pp. 643–648], see [2, p. 746].",
     "Again [2]."),
    ("apa", "Decompression first (Patchell et al., 2005); the grades (see Laufer et al., "
     "2013, p. 746; Patchell et al., 2005, pp. 643–648).", "Again (Laufer et al., 2013)."),
    # Vancouver's citations print no locator: the style decides.
    ("vancouver", "Decompression first (1); the grades (1,see 2).", "Again (2)."),
])
def test_manuscript_prints_locators_as_the_style_does(libpath: Path, tmp_path: Path,
                                                      style: str, first: str, again: str) -> None:
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    _paper(src)
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, out, style)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[0] == first and texts[2] == again
    # The unreadable placeholders are reported and left exactly as typed.
    assert texts[1] == "Typo [@patchell2005direct @laufer2013noms] and [-@laufer2013noms]."
    assert len(report.unmatched) == 2 and not report.ok
    assert report.unmatched[0] == ("[@patchell2005direct @laufer2013noms]: '@patchell2005direct "
                                   "@laufer2013noms' cites 2 works; separate them with ';'")
    assert report.cited == ["patchell2005direct", "laufer2013noms"]
    assert report.citations == 3
    # A page the style leaves out is said, never silently lost.
    assert report.unshown_locators == ([] if style != "vancouver" else [
        "@laufer2013noms, page 746: vancouver prints no page or other locator in its "
        "citations, so it is not shown",
        "@patchell2005direct, page 643-648: vancouver prints no page or other locator in its "
        "citations, so it is not shown"])


def test_superscript_style_raises_the_locator_with_the_number(libpath: Path,
                                                              tmp_path: Path) -> None:
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    d = docx.Document()
    d.add_paragraph("Decompression helps [@patchell2005direct, p. 645].")
    d.save(str(src))
    with Library.open(libpath) as lib:
        format_manuscript(lib, src, out, "american-medical-association")
    (para,) = docx.Document(str(out)).paragraphs[:1]
    assert para.text.startswith("Decompression helps1(p645).")
    assert [r.text for r in para.runs if r.font.superscript] == ["1(p645)"]


def test_a_citation_outside_brackets_is_reported_not_ignored(libpath: Path,
                                                            tmp_path: Path) -> None:
    """pandoc's narrative "@key says" has no Word form here; a key the library knows, typed
    outside brackets, is named with the fix. An @handle naming nothing is just text."""
    from spinelib.manuscript.placeholders import bare_citekeys

    assert bare_citekeys("As @a showed [@b; see @c], mail x@y.org, -@d.") == [
        (3, "a"), (41, "d")]
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    d = docx.Document()
    d.add_paragraph("As @patchell2005direct showed [@laufer2013noms]; thanks to @hospital_it.")
    d.save(str(src))
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, out, "apa")
    assert report.unmatched == ["@patchell2005direct: a citation outside brackets is not "
                                "formatted; write [@patchell2005direct]"]
    text = docx.Document(str(out)).paragraphs[0].text
    assert text == ("As @patchell2005direct showed (Laufer et al., 2013); thanks to "
                    "@hospital_it.")
