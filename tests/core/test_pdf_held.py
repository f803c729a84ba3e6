"""A PDF that prints no DOI or PMID goes to the article the library already holds whose first
page it plainly is, with no look-up and offline too (spinelib/pdfheld.py, pdfimport.py); a
PDF kept unidentified before its record was imported is merged into it by *Identify*
(pdfidentify.py). Never a wrong paper: the whole title, first author and year must be on
the page, and one paper alone must fit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses

from spinelib.library import Library
from spinelib.pdfheld import MAX_SEARCHES, held_article
from spinelib.pdfidentify import identify_pdfs
from spinelib.pdfimport import run_import
from spinelib.records import ArticleRecord, Author
from tests.core.test_cited_dois import SEARCH
from tests.core.test_pdf_first_page import FISHER_PMID, PAGE, TITLE
from tests.core.test_pdf_heading import HEADING, LAYOUT
from tests.core.test_resolve_batched import make_client
from tests.pdfmaker import make_pdf


def paper(title: str = TITLE, family: str = "Fisher", year: int = 2010,
          pmid: str = FISHER_PMID) -> ArticleRecord:
    return ArticleRecord(title=title, authors=[Author(family, "Charles G", "CG")], year=year,
                         journal="Spine", volume="35", pages="E1221-9", pmid=pmid,
                         source="pubmed")


def hold(lib: Library, *records: ArticleRecord) -> list[int]:
    return [r.article_id for r in lib.articles.add_records(list(records), suggest_tags=False)]


def test_offline_a_pdf_without_a_doi_goes_to_the_paper_the_library_holds(
        lib: Library, tmp_path: Path) -> None:
    [fisher] = hold(lib, paper())
    pdf = make_pdf(tmp_path / "BRS_2010_E1221.pdf", [LAYOUT, "Results. Six components."])
    report = run_import(lib, [str(pdf)], client=None)
    [item] = report.items
    # Its article is not new, but it has a file more: the summary says so.
    assert report.summary() == "1 unchanged, 1 file attached"
    assert run_import(lib, [str(pdf)], client=None).summary() == "1 unchanged"
    assert (item.status, item.article_id) == ("unchanged", fisher), item.message
    assert item.message.startswith("attached to the article already in the library; its "
                                   "page 1 holds that article's whole title, first author "
                                   "and year")
    assert lib.search.ids() == [fisher] and lib.attachments.unidentified() == []
    assert [a.kind for a in lib.attachments.of(fisher)] == ["pdf"]
    assert lib.attachments.text(fisher)[0].body.startswith("SPINE Volume 35")


@responses.activate
def test_online_the_library_is_asked_first_and_crossref_not_at_all(
        lib: Library, tmp_path: Path) -> None:
    [fisher] = hold(lib, paper())
    # A page of one size (no heading) is matched by its lines: the title is the third.
    pdf = make_pdf(tmp_path / "fisher.pdf", [PAGE])
    [item] = run_import(lib, [str(pdf)], client=make_client()).items
    assert item.article_id == fisher, item.message
    assert len(responses.calls) == 0


def test_never_a_wrong_paper(lib: Library, tmp_path: Path) -> None:
    head = PAGE[:2000]
    others = hold(
        lib,
        paper(family="Laufer", pmid="1"),                      # another first author
        paper(year=2016, pmid="2"),                            # another year
        paper(title=TITLE + " revisited", pmid="3"),           # a longer title, not on it
        paper(title="Spinal instability", pmid="4"),           # too short to be sure
        paper(title="Correction to: " + TITLE, pmid="5"),      # its correction notice
    )
    assert held_article(lib, head, [HEADING]) is None
    # The paper itself, beside its correction notice: the paper.
    [fisher] = hold(lib, paper())
    assert held_article(lib, head, [HEADING]) == fisher
    assert held_article(lib, head, [HEADING], exclude=fisher) is None
    # The paper twice (a duplicate not merged yet): neither, rather than a guess.
    hold(lib, paper(pmid="6"))
    assert held_article(lib, head, [HEADING]) is None
    assert len(others) == 5


def test_a_page_the_library_has_no_paper_of_costs_a_few_title_searches(
        lib: Library, tmp_path: Path) -> None:
    hold(lib, paper())
    page = "\n".join(f"Line {n} of a page about sacral chordoma resection in 2010"
                     for n in range(40))
    calls: list[str] = []
    search_ids = lib.search.ids

    def counted(q: object = None) -> list[int]:
        calls.append(str(getattr(q, "search", "")))
        return search_ids(q)  # type: ignore[arg-type]

    lib.search.ids = counted  # type: ignore[method-assign]
    assert held_article(lib, page, ["Sacral chordoma: a review", "Sacral chordoma - a "
                                    "review"]) is None
    # The title offered first, once however spelt, then the page's lines, up to the cap.
    assert len(calls) == MAX_SEARCHES
    assert calls[:2] == ['title:"sacral chordoma a review"', 'title:"line 0 of a page about"']


@responses.activate
def test_identify_merges_a_kept_pdf_into_the_record_imported_since(
        lib: Library, tmp_path: Path) -> None:
    """Kept offline before the record was in the library; identified offline, by the
    library, even once Crossref has proved unreachable for another PDF of the run."""

    def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        raise requests.exceptions.ConnectionError("Connection refused")

    responses.add_callback(responses.GET, SEARCH, callback=unreachable)
    other_page = PAGE.replace("Fisher", "Smith").replace(TITLE, "Outcomes of sacral "
                                                          "chordoma resection in adults")
    other = run_import(lib, [str(make_pdf(tmp_path / "o.pdf", [other_page]))],
                       client=None).items[0].article_id or 0
    kept = run_import(lib, [str(make_pdf(tmp_path / "f.pdf", [LAYOUT]))],
                      client=None).items[0].article_id or 0
    assert sorted(lib.attachments.unidentified()) == sorted([other, kept])
    old_key = lib.articles.citekey(kept)
    [fisher] = hold(lib, paper())
    outcomes = identify_pdfs(lib, [other, kept], make_client())
    assert [o.status for o in outcomes] == ["offline", "identified"]
    assert outcomes[1].line() == (f"{old_key}: identified as {lib.articles.citekey(fisher)} "
                                  "(the library's own: page 1 holds its whole title, first "
                                  "author and year)")
    assert sorted(lib.search.ids()) == sorted([other, fisher])
    assert [a.kind for a in lib.attachments.of(fisher)] == ["pdf"]
    assert lib.attachments.unidentified() == [other]
    # One undo step, named for what the surgeon did, puts the kept article back.
    assert lib.history.undo().name == f"identification of {old_key}"
    assert sorted(lib.attachments.unidentified()) == sorted([other, kept])


@pytest.mark.parametrize(("heading", "expected"), [
    ("", True),                                                   # no heading known
    ("A Novel Classification System for Spinal Instability", True),  # the paper's own
    ("ORIGINAL ARTICLE A novel classification system", True),     # a label in its size
    ("Re: A novel classification system for spinal instability", False),
    ("Comment on: A novel classification system for spinal instability", False),
    ("Erratum: A novel classification system for spinal instability", False),
    ("Reply to the letter on spinal instability in neoplastic disease", False),
    # A commentary under a title of its own, naming the paper in its text.
    ("Scoring spinal instability: a word of caution", False),
    # The paper's title with the subtitle its record lacks, in the same type.
    ("A novel classification system for spinal instability in neoplastic disease: an "
     "evidence-based approach and expert consensus", True),
])
def test_a_page_headed_as_about_another_work_is_not_its_page(heading: str,
                                                             expected: bool) -> None:
    """A commentary's or a letter's first page names the work it answers, its first author
    and its year, as the work's own does: its heading tells them apart."""
    from spinelib.sources.page_match import is_page_of

    head = PAGE[:2000]
    assert is_page_of(head, paper(), heading) is expected
    # A work whose own title opens so (a reply's record) keeps its page.
    reply = paper(title="Reply to the letter on spinal instability in neoplastic disease")
    assert is_page_of(head.replace(TITLE, reply.title), reply,
                      "Reply to the letter on spinal instability in neoplastic disease")


@pytest.mark.parametrize("heading", [
    "Re: A novel classification system for spinal instability in neoplastic disease",
    "Scoring spinal instability in metastatic disease: a word of caution"])
def test_a_commentary_pdf_is_not_attached_to_the_paper_it_answers(
        lib: Library, tmp_path: Path, heading: str) -> None:
    hold(lib, paper())
    letter = [(18, heading),
              (10, "To the Editor: we read with interest the article by Fisher et al. (2010),"),
              (10, f"{TITLE}, Spine 35:E1221. Its authors propose a score; we ask whether")]
    [item] = run_import(lib, [str(make_pdf(tmp_path / "letter.pdf", [letter]))],
                        client=None).items
    assert item.status == "imported" and "kept as unidentified" in item.message
