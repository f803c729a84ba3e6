"""Vancouver and AMA reference lists (spinelib.formats.citation): since issue 16 these are the
CSL styles "nlm-citation-sequence" and "american-medical-association" through citeproc-py
(one source of truth; ``tests/manuscript/test_golden_pandoc.py`` holds them to pandoc)."""

from __future__ import annotations

import pytest

from spinelib import cite
from spinelib.formats import WRITERS
from spinelib.formats.citation import format_bibliography, format_citation
from spinelib.records import ArticleRecord, Author

NAMES = [("Patchell", "Roy A"), ("Tibbs", "Phillip A"), ("Regine", "William F"),
         ("Payne", "Richard"), ("Saris", "Stephen"), ("Kryscio", "Richard J"),
         ("Mohiuddin", "Mohammed"), ("Young", "Byron")]


def patchell(n_authors: int = 8, **changes: object) -> ArticleRecord:
    rec = ArticleRecord(
        title="Direct decompressive surgical resection in the treatment of spinal cord "
              "compression caused by metastatic cancer: a randomised trial",
        authors=[Author(f, g) for f, g in NAMES[:n_authors]],
        journal="Lancet", journal_abbrev="Lancet", year=2005, month=8, day=20,
        volume="366", issue="9486", pages="643-648", doi="10.1016/S0140-6736(05)66954-1",
    )
    for key, value in changes.items():
        setattr(rec, key, value)
    return rec


TITLE = ("Direct decompressive surgical resection in the treatment of spinal cord compression "
         "caused by metastatic cancer: a randomised trial.")


def test_vancouver_journal_article() -> None:
    assert format_citation(patchell(), "vancouver") == (
        "Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ, et al. " + TITLE
        + " Lancet. 2005 Aug 20;366(9486):643–8. doi:10.1016/S0140-6736(05)66954-1")


def test_ama_journal_article() -> None:
    assert format_citation(patchell(), "ama") == (
        "Patchell RA, Tibbs PA, Regine WF, et al. " + TITLE
        + " Lancet. 2005;366(9486):643-648. doi:10.1016/S0140-6736(05)66954-1")


@pytest.mark.parametrize(("n", "vancouver", "ama"), [
    (1, "Patchell RA.", "Patchell RA."),
    (6, "Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ.",
     "Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ."),
    (7, "Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ, et al.",
     "Patchell RA, Tibbs PA, Regine WF, et al."),
])
def test_author_truncation(n: int, vancouver: str, ama: str) -> None:
    assert format_citation(patchell(n), "vancouver").startswith(vancouver + " Direct")
    assert format_citation(patchell(n), "ama").startswith(ama + " Direct")


def test_collective_authors_initials_and_no_authors() -> None:
    rec = patchell(authors=[Author("Berenson", "James"), Author("Kim", "", "JH"),
                            Author(collective="CAFE Investigators")])
    assert format_citation(rec, "vancouver").startswith(
        "Berenson J, Kim JH, CAFE Investigators. ")
    no_author = format_citation(patchell(authors=[]), "ama")
    assert no_author.startswith("Direct decompressive")
    assert no_author.count("Direct decompressive") == 1  # the title substitutes, once


def test_a_suffix_follows_the_initials() -> None:
    """ "Jr" after the initials as NLM and AMA print it (kept in the given names it was
    initialised: "Kryscio RJJ")."""
    rec = patchell(authors=[Author("Kryscio", "Richard J", suffix="Jr"),
                            Author("Young", "Byron", suffix="3rd")])
    assert format_citation(rec, "vancouver").startswith("Kryscio RJ Jr, Young B 3rd. Direct")
    assert format_citation(rec, "ama").startswith("Kryscio RJ Jr, Young B 3rd. Direct")


@pytest.mark.parametrize(("pages", "vancouver", "ama"), [
    ("643-648", "643–8", "643-648"),
    ("643-8", "643–8", "643-648"),
    ("1021-1029", "1021–9", "1021-1029"),
    ("123-145", "123–45", "123-145"),
    ("e33693", "e33693", "e33693"),
])
def test_page_ranges(pages: str, vancouver: str, ama: str) -> None:
    assert f":{vancouver}. doi" in format_citation(patchell(pages=pages), "vancouver")
    assert f":{ama}. doi" in format_citation(patchell(pages=pages), "ama")


def test_partial_dates_and_locators() -> None:
    rec = patchell(month=None, day=None, issue="", doi="")
    assert format_citation(rec, "vancouver").endswith("Lancet. 2005;366:643–8.")
    rec = patchell(volume="", issue="", pages="", doi="", day=None)
    assert format_citation(rec, "vancouver").endswith("Lancet. 2005 Aug.")


def test_title_ending_in_question_mark_gets_no_period() -> None:
    rec = patchell(title="Is surgery better?")
    assert " Is surgery better? Lancet." in format_citation(rec, "vancouver")
    assert " Is surgery better? Lancet." in format_citation(rec, "ama")


def test_journal_falls_back_to_full_name() -> None:
    rec = patchell(journal_abbrev="", journal="The Lancet")
    assert " The Lancet. 2005" in format_citation(rec, "vancouver")


def test_books_and_chapters() -> None:
    book = ArticleRecord(type="book", title="Spine Oncology", authors=[Author("Bilsky", "Mark H")],
                         publisher="Thieme", year=2018)
    assert format_citation(book, "vancouver") == "Bilsky MH. Spine Oncology. Thieme; 2018."
    assert format_citation(book, "ama", html=True) == (
        "Bilsky MH. <i>Spine Oncology</i>. Thieme; 2018.")
    chapter = ArticleRecord(type="chapter", title="Separation surgery",
                            book_title="Spine Oncology", authors=[Author("Laufer", "Ilya")],
                            publisher="Thieme", year=2018, pages="201-212")
    assert format_citation(chapter, "vancouver") == (
        "Laufer I. Separation surgery. In: Spine Oncology. Thieme; 2018. p. 201–12.")
    assert format_citation(chapter, "ama", html=True) == (
        "Laufer I. Separation surgery. In: <i>Spine Oncology</i>. Thieme; 2018:201-212.")


def test_html_is_escaped_and_ama_journal_italic() -> None:
    rec = patchell(title="<script>alert('x')</script> & more", journal_abbrev="J & B <Spine>",
                   authors=[Author(collective='Group "A" & <B>')])
    html = format_citation(rec, "ama", html=True)
    assert "<script>" not in html and "&lt;script&gt;alert(’x’)&lt;/script&gt; &amp;" in html
    assert "<i>J &amp; B &lt;Spine&gt;</i>." in html
    assert html.startswith('Group "A" &amp; &lt;B&gt;.')
    vancouver = format_citation(rec, "vancouver", html=True)
    assert "<i>" not in vancouver and "J &amp; B &lt;Spine&gt;." in vancouver
    page = format_bibliography([rec], "ama", html=True)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_bibliography_text_and_html() -> None:
    recs = [patchell(1), patchell(2, title="Second")]
    text = format_bibliography(recs, "vancouver")
    lines = text.splitlines()
    assert lines[0].startswith("1. Patchell RA. Direct")
    assert lines[1].startswith("2. Patchell RA, Tibbs PA. Second.")
    html = format_bibliography(recs, "ama", html=True)
    assert html.startswith("<!DOCTYPE html>") and html.count('<div class="csl-entry">') == 2
    assert '<div class="csl-entry">1. Patchell RA. Direct' in html
    assert format_bibliography([], "ama") == "" and format_bibliography([], "ama", html=True) == ""


@pytest.mark.parametrize(("name", "style"), [("vancouver", "nlm-citation-sequence"),
                                             ("ama", "american-medical-association")])
def test_one_source_of_truth(name: str, style: str) -> None:
    """``export --format vancouver|ama`` (and their HTML forms) are exactly the CSL style's
    list, and a single citation is that list's entry without its number."""
    recs = [patchell(8), patchell(1, title="Is surgery better?", citekey="b"),
            ArticleRecord(type="book", title="Spine Oncology", publisher="Thieme", year=2018,
                          authors=[Author("Bilsky", "Mark H")])]
    listed = cite.format_bibliography(recs, style)
    assert WRITERS[name](recs) == listed
    assert WRITERS[f"{name}-html"](recs) == cite.format_bibliography(recs, style, html=True)
    for n, (rec, line) in enumerate(zip(recs, listed.splitlines()), 1):
        assert line == f"{n}. {format_citation(rec, name)}"


def test_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown citation style 'apa'"):
        format_citation(patchell(), "apa")
