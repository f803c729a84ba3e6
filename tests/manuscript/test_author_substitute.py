"""A repeated author in a reference list is the style's dash (``subsequent-author-substitute``),
and a sort key's names cut short by et-al sort without "et al." (``spinelib.cite``'s
``authorsubstitute`` and ``mends``): citeproc-py printed every name again and sorted "et al."
as a word, so MLA's and Chicago 17th's lists differed from pandoc's and from the handbooks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite import Citer, format_bibliography, format_reference
from spinelib.records import ArticleRecord, Author
from tests.manuscript.golden_records import golden_records
from tests.manuscript.test_golden_pandoc import pandoc_entries

LAUFER = ("Laufer", "Ilya")
BILSKY = ("Bilsky", "Mark H")
FISHER = ("Fisher", "Charles G")
RUBIN = ("Rubin", "David G")


def _work(key: str, authors: list[tuple[str, str]], year: int, title: str) -> ArticleRecord:
    rec = ArticleRecord(**{**golden_records()[0].__dict__, "citekey": key})
    rec.authors = [Author(family=family, given=given) for family, given in authors]
    rec.year, rec.title = year, title
    rec.doi = rec.pmid = rec.pmcid = ""
    return rec


def repeated_authors() -> list[ArticleRecord]:
    """One author's works alone, with one co-author, with another, and with three (cut to
    "et al." by MLA), and another author's work sorted before them."""
    return [_work("a1", [LAUFER], 2013, "Alpha one"), _work("a2", [LAUFER], 2015, "Alpha two"),
            _work("a3", [LAUFER, BILSKY], 2016, "Alpha three"),
            _work("a4", [LAUFER, BILSKY], 2017, "Alpha four"),
            _work("a5", [LAUFER, FISHER], 2018, "Alpha five"),
            _work("a6", [LAUFER, BILSKY, FISHER, RUBIN], 2019, "Alpha six"),
            _work("a7", [LAUFER, BILSKY, FISHER, RUBIN], 2020, "Alpha seven"),
            _work("b1", [BILSKY], 2012, "Beta")]


def _heads(entries: list[str]) -> list[str]:
    """Each entry up to its title's opening quotation mark (or its year)."""
    return [e.split("“")[0].strip() for e in entries]


@pytest.mark.parametrize("style", ["modern-language-association",
                                   "chicago-author-date-17th-edition",
                                   "chicago-notes-bibliography-17th-edition"])
def test_repeated_authors_print_as_in_pandoc(style: str, tmp_path: Path) -> None:
    recs = repeated_authors()
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    assert any(e.startswith("———") for e in ours)


def test_mla_sorts_et_al_under_the_first_author_and_keeps_it_after_the_dash() -> None:
    heads = _heads(format_bibliography(repeated_authors(),
                                       "modern-language-association").splitlines())
    assert heads == ["Bilsky, Mark H.", "Laufer, Ilya.", "Laufer, Ilya, et al.", "———, et al.",
                     "Laufer, Ilya.", "Laufer, Ilya, and Mark H. Bilsky.", "———.",
                     "Laufer, Ilya, and Charles G. Fisher."]


def test_chicago_17_dashes_only_the_same_whole_list() -> None:
    heads = [e.split(". 20")[0] for e in format_bibliography(
        repeated_authors(), "chicago-author-date-17th-edition").splitlines()]
    assert heads == ["Bilsky, Mark H", "Laufer, Ilya", "———", "Laufer, Ilya, and Mark H. Bilsky",
                     "———", "Laufer, Ilya, Mark H. Bilsky, Charles G. Fisher, and David G. Rubin",
                     "———", "Laufer, Ilya, and Charles G. Fisher"]


def test_partial_each_dashes_every_name_matching_from_the_first() -> None:
    """CSL 1.0.2: each name that matches the entry before's, up to the first that does not
    (the American Meteorological Society's rule)."""
    heads = [e.split(", 20")[0] for e in format_bibliography(
        repeated_authors(), "american-meteorological-society").splitlines()]
    assert heads == ["Bilsky, M. H.", "Laufer, I.", "——", "——, and M. H. Bilsky",
                     "——, and ——", "——, and C. G. Fisher",
                     "——, M. H. Bilsky, C. G. Fisher, and D. G. Rubin",
                     "——, ——, ——, and ——"]


def test_partial_first_dashes_the_first_name_only() -> None:
    entries = format_bibliography(repeated_authors(),
                                  "mhra-author-date-no-url").splitlines()
    four = next(e for e in entries if "Alpha Four" in e)
    assert four.startswith("——, and Mark H. Bilsky. 2017")


def test_complete_each_dashes_each_name_of_the_same_list() -> None:
    entries = format_bibliography(repeated_authors(), "im-gesprach").splitlines()
    seven = next(e for e in entries if "Alpha seven" in e)
    six = next(e for e in entries if "Alpha six" in e)
    five = next(e for e in entries if "Alpha five" in e)
    assert {six.split(":")[0], seven.split(":")[0]} == {
        "Ilya Laufer/Mark H Bilsky/Charles G Fisher/David G Rubin", "-/-/-/-"}
    assert five.startswith("Ilya Laufer/Charles G Fisher:")


def test_an_entry_without_authors_breaks_the_run() -> None:
    """The dash stands for the names just above it: after an entry that printed none (a
    title in the author's place), the names are printed again. (Revista Matéria lists in
    the order cited, so the anonymous work stands between the two.)"""
    one, two = repeated_authors()[:2]
    anonymous = _work("anon", [], 2014, "Anonymous work")
    assert [e.split(",")[0] for e in format_bibliography(
        [one, two], "revista-materia").splitlines()] == ["[1] LAUFER", "[2] ———"]
    assert [e.split(",")[0] for e in format_bibliography(
        [one, anonymous, two], "revista-materia").splitlines()] == [
        "[1] LAUFER", "[2] Anonymous work", "[3] LAUFER"]


def test_one_reference_and_the_citations_keep_the_names() -> None:
    recs = repeated_authors()
    assert format_reference(recs[1], "modern-language-association").startswith("Laufer, Ilya.")
    citer = Citer.for_style("modern-language-association", {r.citekey: r for r in recs})
    assert citer.cite(["a1"]) == "(Laufer, “Alpha One”)"
    assert citer.cite(["a2"]) == "(Laufer, “Alpha Two”)"
    bibliography = citer.bibliography()
    assert bibliography[0].startswith("Laufer, Ilya. “Alpha One.”")
    assert bibliography[1].startswith("———. “Alpha Two.”")


def test_the_html_list_carries_the_dash() -> None:
    recs = repeated_authors()[:2]
    citer = Citer.for_style("modern-language-association", {r.citekey: r for r in recs})
    citer.cite(["a1", "a2"])
    entries = citer.bibliography(html=True)
    assert entries[0].startswith("Laufer, Ilya.") and entries[1].startswith("———.")
    assert "<i>Lancet</i>" in entries[1]


def test_styles_without_the_option_print_every_name() -> None:
    for style in ("apa", "vancouver", "chicago-author-date"):
        text = format_bibliography(repeated_authors(), style)
        assert "—" not in text and text.count("Laufer") == 7
