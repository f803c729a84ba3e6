"""A PDF that prints no DOI or PMID is searched in Crossref by its first page
(spinelib/sources/page_match.py, spinelib/pdfimport.py): the answer taken only when the page
holds its whole title, its first author and its year; imported and attached like a PDF with
a DOI; kept unidentified, as before, when nothing agrees or Crossref cannot be asked.

Crossref is served by ``responses`` in the real work-list shape (tests.core.test_cited_dois),
PubMed as the other import tests serve it (tests.core.test_resolve_batched).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.library import Library
from spinelib.pdfimport import run_import
from spinelib.sources.page_match import find_doi_on_page, on_page
from tests.core.test_cited_dois import SEARCH, envelope, work
from tests.core.test_resolve_batched import make_client, serve_one_article
from tests.pdfmaker import make_pdf

TITLE = "A novel classification system for spinal instability in neoplastic disease"
FISHER_DOI = "10.1097/brs.0b013e3181e16ae2"
FISHER_PMID = "20479660"
#: The first page of the paper as its PDF prints it: no DOI anywhere.
PAGE = "\n".join([
    "SPINE Volume 35, Number 22, pp E1221-E1229",
    "©2010, Lippincott Williams & Wilkins",
    TITLE,
    "An Evidence-Based Approach and Expert Consensus From the Spine Oncology Study Group",
    "Charles G. Fisher, MD, MHSc, Christian P. DiPaola, MD, Timothy C. Ryken, MD",
    "Study Design. Systematic review and modified Delphi technique.",
    "Objective. To use an evidence-based medicine process using systematic review and",
    "expert opinion to develop a comprehensive classification system for spinal",
    "instability in the setting of neoplastic disease.",
])


def fisher(**changes: object) -> object:
    from spinelib.formats.crossref_json import parse_work

    fields = {"doi": FISHER_DOI, "title": TITLE, "family": "Fisher", "year": 2010,
              "volume": "35", "page": "E1221-E1229", **changes}
    return parse_work(work(**fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, True),
    ({"year": 2011}, True),                                      # online a year before print
    ({"year": 2014}, False),                                     # another year
    ({"family": "Laufer"}, False),                               # another first author
    ({"title": TITLE + " revisited"}, False),                    # not the whole title
    ({"title": "Spinal instability"}, False),                    # too short to be sure
    ({"title": "Correction to: " + TITLE}, False),               # its correction notice
])
def test_an_answer_is_taken_only_when_the_page_plainly_is_it(changes: dict[str, object],
                                                             expected: bool) -> None:
    assert on_page(PAGE, fisher(**changes)) is expected  # type: ignore[arg-type]


ASKED: list[str] = []


def crossref(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    if "query.bibliographic" in query:
        ASKED.append(query["query.bibliographic"][0])
        return 200, {"Content-Type": "application/json"}, envelope([
            work("10.1000/decoy", "Spinal instability neoplastic score", "Fourney", 2011),
            work(FISHER_DOI, TITLE, "Fisher", 2010, volume="35", page="E1221-E1229")])
    return 200, {"Content-Type": "application/json"}, envelope([])


@responses.activate
def test_the_query_is_the_pdfs_title_then_its_page() -> None:
    responses.add_callback(responses.GET, SEARCH, callback=crossref)
    ASKED.clear()
    assert find_doi_on_page(make_client(), PAGE, "Spine 2010 classification") == FISHER_DOI
    [query] = ASKED
    assert query.startswith("Spine 2010 classification SPINE Volume 35, Number 22")
    assert len(query) <= 400
    # A page that says too little (a scan's stray line, a cover without a year): no request.
    assert find_doi_on_page(make_client(), "Sacral chordoma outcomes 2010") == ""
    assert find_doi_on_page(make_client(), " ".join(["word"] * 40)) == ""
    assert len(ASKED) == 1


@responses.activate
def test_a_pdf_without_a_doi_is_identified_by_its_first_page(lib: Library,
                                                             tmp_path: Path) -> None:
    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    ASKED.clear()
    pdf = make_pdf(tmp_path / "fisher.pdf", [PAGE, "Results. Six components."])
    report = run_import(lib, [str(pdf)], client=make_client())
    [item] = report.items
    assert item.status == "imported", item.message
    assert f"DOI {FISHER_DOI} found in Crossref, by page 1's title and authors" in item.message
    record = lib.articles.record(item.article_id or 0)
    assert record.pmid == FISHER_PMID and record.doi == FISHER_DOI
    assert lib.attachments.unidentified() == []
    assert [a.name for a in lib.attachments.of(item.article_id or 0)] == [
        f"{lib.articles.citekey(item.article_id or 0)}.pdf"]
    assert len(ASKED) == 1


@responses.activate
def test_nothing_agreeing_keeps_it_unidentified(lib: Library, tmp_path: Path) -> None:
    def others(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, envelope([
            work("10.1000/decoy", "Spinal instability neoplastic score", "Fourney", 2011)])

    responses.add_callback(responses.GET, SEARCH, callback=others)
    pdf = make_pdf(tmp_path / "fisher.pdf", [PAGE])
    [item] = run_import(lib, [str(pdf)], client=make_client()).items
    assert item.ok and "kept as unidentified" in item.message
    assert lib.attachments.unidentified() == [item.article_id]
    assert lib.articles.record(item.article_id or 0).doi == ""


@responses.activate
def test_offline_it_is_kept_unidentified_and_says_why(lib: Library, tmp_path: Path) -> None:
    def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        raise requests.exceptions.ConnectionError("Connection refused")

    responses.add_callback(responses.GET, SEARCH, callback=unreachable)
    pdf = make_pdf(tmp_path / "fisher.pdf", [PAGE])
    [item] = run_import(lib, [str(pdf)], client=make_client()).items
    assert item.ok and "kept as unidentified" in item.message
    assert "not searched in Crossref by its first page: cannot reach" in item.message
    assert lib.attachments.unidentified() == [item.article_id]


def test_a_work_without_authors_is_never_taken_by_a_page() -> None:
    # A work Crossref gives without authors (a group's report) is never taken by a page.
    anonymous = fisher()
    anonymous.authors = []  # type: ignore[attr-defined]
    assert not on_page(PAGE, anonymous)  # type: ignore[arg-type]
