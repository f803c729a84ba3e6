"""Numbering in order of first citation, collapsed ranges, superscripts, and the style
catalogue's dependent→parent resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite import CitationLayout, Citer, Numbering, collapse, format_numeric, number_text
from spinelib.errors import NotFound
from spinelib.records import ArticleRecord, Author
from spinelib.styles import resolve
from tests.core.helpers import make_record
from tests.manuscript.golden_records import golden_records
from tests.manuscript.test_golden_pandoc import pandoc_citations


def test_numbers_follow_first_citation_and_ranges_collapse() -> None:
    n = Numbering()
    assert n.cite(["c", "a"]) == [1, 2]
    assert n.cite(["a", "b", "d", "e", "c"]) == [1, 2, 3, 4, 5]
    assert n.order() == ["c", "a", "b", "d", "e"]
    assert collapse([5, 1, 2, 3]) == [(1, 3), (5, 5)]
    assert collapse([1, 2]) == [(1, 1), (2, 2)]  # a pair is not a range (CSL's collapse)
    assert number_text([1, 2, 3, 5], ", ") == "1–3, 5"
    assert number_text([4, 6, 7, 8, 9, 11], ",") == "4,6–9,11"


def test_superscripts_plain_and_html() -> None:
    sup = CitationLayout(numeric=True, delimiter=",", superscript=True)
    assert format_numeric([1, 2, 3, 5], sup) == "¹⁻³,⁵"
    assert format_numeric([1, 2, 3, 5], sup, html=True) == "<sup>1–3,5</sup>"
    brackets = CitationLayout(numeric=True, prefix="[", suffix="]", delimiter=", ")
    assert format_numeric([2, 3, 4, 7], brackets) == "[2–4, 7]"


def test_dependent_styles_resolve_to_their_parent() -> None:
    path, info = resolve("journal-of-neurosurgery-spine")
    assert path.stem == "american-medical-association"
    assert info.parent == "american-medical-association"
    assert resolve("european-spine-journal")[0].stem == "springer-basic-brackets"
    assert resolve("the-spine-journal")[0].stem == "elsevier-vancouver"
    assert resolve("spine")[0].stem == "spine"
    with pytest.raises(NotFound, match="unknown style"):
        resolve("no-such-style")
    with pytest.raises(NotFound):
        resolve("../../etc/passwd")


def test_citer_numbers_a_document_in_spine() -> None:
    recs = {k: make_record(citekey=k, title=f"Title {k}", pmid="", doi="") for k in "abcde"}
    citer = Citer.for_style("spine", recs)
    assert citer.numeric
    assert citer.cite(["c"]) == "¹"
    assert citer.cite(["a", "b", "c"]) == "¹⁻³"
    assert citer.cite(["e", "a"]) == "²,⁴"  # c=1, a=2, b=3, e=4
    entries = citer.bibliography()
    assert [e.split(".")[0] for e in entries] == ["1", "2", "3", "4"]
    assert "Title c" in entries[0] and "Title e" in entries[3]


def test_author_date_style_uses_citeproc() -> None:
    recs = {"patchell2005direct": make_record(citekey="patchell2005direct")}
    citer = Citer.for_style("apa", recs)
    assert not citer.numeric
    assert citer.cite(["patchell2005direct"]) == "(Patchell et al., 2005)"


def test_references_for_the_clipboard_as_html_keep_the_styles_italics() -> None:
    from spinelib.cite import format_references

    one = make_record()
    other = make_record(title="Another trial", pmid="16112301", doi="10.1/other",
                        authors=[])
    text = format_references([one], "ama")
    html = format_references([one], "ama", html=True)
    assert "<i>Lancet</i>" in html and "<i>" not in text and not html.startswith("<p>")
    assert html.replace("<i>", "").replace("</i>", "") == text.replace("&", "&amp;")
    several = format_references([one, other], "ama", html=True)
    assert several.count("<p>") == 2 and several.index("Patchell") < several.index("Another")


def _alphabet_records() -> dict[str, ArticleRecord]:
    """Five cited works whose first authors' order is not the order they are cited in."""
    base = golden_records()[0]
    families = ["Williams", "Yang", "Zhou", "Åberg", "Bilsky"]
    return {f"k{at}": ArticleRecord(**{**base.__dict__, "citekey": f"k{at}",
                                       "authors": [Author(family, "Ann")],
                                       "title": f"Study {at}", "year": 2010 + at,
                                       "doi": f"10.1234/k{at}", "pmid": str(900 + at),
                                       "pmcid": ""})
            for at, family in enumerate(families)}


@pytest.mark.parametrize("style", ["clinical-orthopaedics-and-related-research",
                                   "nlm-citation-name"])
def test_a_list_sorted_by_author_numbers_the_citations(style: str, tmp_path: Path) -> None:
    """Clinical Orthopaedics and Related Research lists its references by author and
    numbers them so: Williams, cited first, is [4] (Åberg, Bilsky, Williams…: Å sorts
    under A), and each citation's number is its work's in the list. SpineLib numbered the
    citations by first citation, [1] for Williams, whose entry was then the list's third."""
    records = _alphabet_records()
    groups = [["k0"], ["k1", "k2"], ["k3"], ["k4", "k0"]]
    citer = Citer.for_style(style, records)
    cited = [citer.cite(keys) for keys in groups]
    assert cited == pandoc_citations(style, tmp_path, list(records.values()), groups)
    listed = citer.bibliography()
    number = int("".join(ch for ch in cited[0] if ch.isdigit()))
    assert "Williams" in listed[number - 1]
    assert [entry.split()[1] for entry in listed] == ["Åberg", "Bilsky", "Williams", "Yang",
                                                     "Zhou"]


def test_a_list_in_citation_order_keeps_first_citation_numbers() -> None:
    citer = Citer.for_style("vancouver", _alphabet_records())
    assert citer.cite(["k0"]) == "(1)" and citer.cite(["k3"]) == "(2)"
    assert citer.bibliography()[0].startswith("1. Williams")


def test_a_style_that_does_not_collapse_lists_every_number(tmp_path: Path) -> None:
    """The American Journal of Cancer Research sets no ``collapse="citation-number"``:
    "[2,3,4]", as pandoc prints it (SpineLib printed "[2–4]" for every numeric style)."""
    cited = _cited_as_pandoc("american-journal-of-cancer-research", tmp_path,
                             [["k0"], ["k1", "k2", "k3"], ["k4"]])
    assert cited[1] == "[2,3,4]"
    assert Citer.for_style("vancouver", _alphabet_records()).cite(["k0", "k1", "k2"]) == "(1–3)"


def test_numbers_each_in_parentheses_are_listed_unless_the_style_collapses(
        tmp_path: Path) -> None:
    """The Revista da Sociedade Brasileira de Medicina Tropical sets each number in its own
    parentheses and asks no collapse: "⁽²⁾ ⁽³⁾ ⁽⁴⁾", as pandoc prints it (SpineLib took any
    number's own affixes for IEEE's and printed "⁽²⁾⁻⁽⁴⁾"). IEEE's brackets still collapse,
    as its manual writes a run."""
    cited = _cited_as_pandoc("revista-da-sociedade-brasileira-de-medicina-tropical",
                             tmp_path, [["k0"], ["k1", "k2", "k3"]])
    assert cited[1] == "⁽²⁾ ⁽³⁾ ⁽⁴⁾"
    assert Citer.for_style("ieee", _alphabet_records()).cite(["k0", "k1", "k2"]) == "[1]–[3]"


def _cited_as_pandoc(style: str, tmp_path: Path, groups: list[list[str]]) -> list[str]:
    """The alphabet records cited in ``groups`` in ``style``, each citation checked equal
    to pandoc's."""
    records = _alphabet_records()
    citer = Citer.for_style(style, records)
    cited = [citer.cite(keys) for keys in groups]
    assert cited == pandoc_citations(style, tmp_path, list(records.values()), groups)
    return cited


def test_superscript_parentheses_in_plain_text() -> None:
    sup = CitationLayout(numeric=True, prefix="(", suffix=")", superscript=True)
    assert format_numeric([1], sup) == "⁽¹⁾"
    assert format_numeric([1], sup, html=True) == "<sup>(1)</sup>"


def test_a_word_manuscript_in_corr_cites_each_work_by_its_place_in_the_list(
        tmp_path: Path) -> None:
    """The author cites Williams, then Zhou and Åberg: CORR's list is alphabetical, so the
    text reads [2], then [1, 3], and the list's 2 is Williams."""
    import docx

    from spinelib.library import Library
    from spinelib.manuscript import format_manuscript

    records = _alphabet_records()
    with Library.open(tmp_path / "lib.sqlite") as lib:
        for rec in records.values():
            lib.articles.add_record(rec)
        key_of = {lib.articles.record(i).authors[0].family: lib.articles.citekey(i)
                  for i in lib.search.ids()}
        src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
        document = docx.Document()
        document.add_paragraph(f"First [@{key_of['Williams']}], then "
                               f"[@{key_of['Zhou']}; @{key_of['Åberg']}].")
        document.save(str(src))
        format_manuscript(lib, src, out, "clinical-orthopaedics-and-related-research")
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == "First [2], then [1, 3]."
    listed = [p for p in paragraphs[1:] if p[:2] in ("1.", "2.", "3.")]
    assert [entry.split()[1] for entry in listed] == ["Åberg", "Williams", "Zhou"]


def test_works_a_sorted_list_ties_keep_their_numbers() -> None:
    """Two works CORR's sort cannot tell apart (one author, one year): each citation's
    number is still its own entry's."""
    records = {k: r for k, r in _alphabet_records().items() if k in ("k0", "k1", "k2")}
    for key in ("k0", "k1"):
        records[key].authors = [Author("Same", "Ann")]
        records[key].year = 2015
    citer = Citer.for_style("clinical-orthopaedics-and-related-research", records)
    cited = {key: citer.cite([key]) for key in ("k2", "k1", "k0")}
    listed = citer.bibliography()
    for key, cited_as in cited.items():
        number = int(cited_as.strip("[]"))
        assert records[key].title in listed[number - 1]
