"""A title's italics and superscripts as other programs put them into a .bib file.

Mendeley Desktop and Zotero's BibTeX export before 2017 spell the HTML tags they keep in a
title with text commands (``{\\textless}i{\\textgreater}In vitro{\\textless}/i{\\textgreater}``);
Crossref's and doi.org's BibTeX write them as they are (``<i>In vitro</i>``). Before, the
tags stayed in the title ("<i>In vitro</i> effects of <sup>125</sup>I seeds"), in the
table, in every citation and in every export. SpineLib keeps plain text (its PubMed and
Crossref readers flatten the same tags), so the reader takes them out; and SpineLib's own
writer spells the ``<`` of a title that only looks like markup so that it reads back.
"""

from __future__ import annotations

import pytest

from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
from spinelib.records import ArticleRecord, Author

MENDELEY = r"""@article{Smith2020,
abstract = {Dose of {\textless}sup{\textgreater}125{\textless}/sup{\textgreater}I with {\textless}i{\textgreater}p{\textless}/i{\textgreater} {\textless} 0.05.},
author = {Smith, John},
doi = {10.1002/(SICI)1097-0142(19980915)83:6<1114::AID-CNCR9>3.0.CO;2-#},
journal = {Spine},
keywords = {{\textless}i{\textgreater}in vitro{\textless}/i{\textgreater}, SINS {\textless}7},
title = {{{\textless}i{\textgreater}In vitro{\textless}/i{\textgreater} effects of {\textless}sup{\textgreater}125{\textless}/sup{\textgreater}I seeds: {\textless}span class="nocase"{\textgreater}pH{\textless}/span{\textgreater} and SINS {\textless}7}},
year = {2020}
}
"""

CROSSREF = r"""@article{Doe_2021, title={<i>Ex vivo</i> cement augmentation of T<sub>12</sub> with <span style="font-variant:small-caps;">Pmma</span>}, volume={46}, DOI={10.1097/brs.0000000000001234}, journal={Spine}, author={Doe, Jane}, year={2021}, pages={1-8} }
"""


def _one(text: str) -> ArticleRecord:
    result = read_bibtex(text, "t.bib")
    assert len(result.records) == 1, result.problems
    return result.records[0]


def test_mendeley_and_old_zotero_markup_is_taken_out_and_the_text_kept() -> None:
    rec = _one(MENDELEY)
    assert rec.title == "In vitro effects of 125I seeds: pH and SINS <7"
    assert rec.abstract == "Dose of 125I with p < 0.05."
    assert rec.keywords == ["in vitro", "SINS <7"]
    # A DOI is read as written: its "<1114::…>" is not markup.
    assert rec.doi == "10.1002/(sici)1097-0142(19980915)83:6<1114::aid-cncr9>3.0.co;2-#"


def test_crossref_bibtex_tags_written_as_they_are_are_taken_out() -> None:
    rec = _one(CROSSREF)
    assert rec.title == "Ex vivo cement augmentation of T12 with Pmma"
    assert rec.doi == "10.1097/brs.0000000000001234"


@pytest.mark.parametrize("text", [
    "SINS {\\textless}7 and {\\textless}{\\textless}x{\\textgreater}{\\textgreater}",
    "a {\\textless}img{\\textgreater} tag, p<0.05 and x {\\textless} y {\\textgreater} z",
    "{\\textless}bx{\\textgreater} and {\\textless}i x",
])
def test_angle_brackets_that_are_no_tag_stay(text: str) -> None:
    rec = _one("@article{k, title = {" + text + "}, year = {2020}}\n")
    assert "<" in rec.title
    assert rec.title == (text.replace("{\\textless}", "<").replace("{\\textgreater}", ">"))


@pytest.mark.parametrize("writer", [write_bibtex, write_biblatex])
@pytest.mark.parametrize("title", [
    "The <b> element of HTML",
    "Markup as text: <i>x</i>, <sup>2</sup> and <span class=\"nocase\">SBRT</span>",
    "Nested <b x<i>> and SINS <7 <<x>>",
])
def test_a_title_that_looks_like_markup_reads_back_as_written(writer, title: str) -> None:
    rec = ArticleRecord(citekey="k2020", title=title, abstract=f"Abstract: {title}",
                        journal="Spine", year=2020,
                        authors=[Author(family="Smith", given="John")])
    text = writer([rec], abstracts=True)
    # Written so that no reader takes it for Zotero's markup, and LaTeX prints a "<".
    assert "{\\textless}b{\\textgreater}" not in text and "{\\textless}i{\\textgreater}" not in text
    assert "\\textless{}" in text and "<" not in text.split("title = ", 1)[1].split("\n")[0]
    back = _one(text)
    assert back.title == title
    assert back.abstract == f"Abstract: {title}"
