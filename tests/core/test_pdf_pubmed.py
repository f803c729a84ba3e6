"""A PDF without a DOI whose paper Crossref does not know (a classic from before its
journal's DOIs) is found in PubMed by its title, the answer taken only when its first page
plainly is the paper's (spinelib/sources/page_pubmed.py), on import and by *Identify*.

Crossref is served by ``responses`` in the real work-list shape (tests.core.test_cited_dois),
PubMed's esearch and esummary as tests.core.test_journal_pages serves them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses

from spinelib.library import Library
from spinelib.pdfidentify import identify_pdfs
from spinelib.pdfimport import run_import
from spinelib.sources import page_pubmed
from spinelib.sources.page_pubmed import find_pmid_on_page, title_term
from spinelib.sources.pubmed_summaries import PubMedSummary
from tests.core.test_cited_dois import SEARCH, envelope, work
from tests.core.test_journal_pages import DECOY_PMID, FISHER_PMID, TERMS, serve
from tests.core.test_pdf_heading import HEADING, LAYOUT
from tests.core.test_resolve_batched import make_client
from tests.pdfmaker import make_pdf

PAGE = "\n".join(text for _size, text in LAYOUT)
TERM = ("novel[ti] AND classification[ti] AND system[ti] AND spinal[ti] AND instability[ti] "
        "AND neoplastic[ti] AND disease[ti]")


def crossref_knows_another(_request: requests.PreparedRequest
                           ) -> tuple[int, dict[str, str], str]:
    return 200, {"Content-Type": "application/json"}, envelope([
        work("10.1000/decoy", "Spinal instability neoplastic score", "Fourney", 2011)])


def test_the_term_is_the_titles_words_in_pubmeds_titles() -> None:
    assert title_term(HEADING) == TERM
    assert title_term("Spinal instability") == ""  # too short to search by
    assert title_term("") == ""


@responses.activate
def test_import_finds_in_pubmed_what_crossref_does_not_know(lib: Library,
                                                           tmp_path: Path) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=crossref_knows_another)
    # The title's words find the paper and a decoy whose title holds them in another order.
    serve({"classification[ti]": [DECOY_PMID, FISHER_PMID]})
    path = make_pdf(tmp_path / "fisher.pdf", [LAYOUT, "Results. Six components."])
    [item] = run_import(lib, [str(path)], client=make_client()).items
    assert item.status == "imported", item.message
    assert f"PMID {FISHER_PMID} found in PubMed, by page 1's title and authors" in item.message
    assert lib.articles.record(item.article_id or 0).pmid == FISHER_PMID
    assert lib.attachments.unidentified() == []
    assert TERMS[0] == TERM


@responses.activate
def test_no_pubmed_request_without_a_title_to_search_by(lib: Library, tmp_path: Path) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=crossref_knows_another)
    serve({"classification[ti]": [FISHER_PMID]})
    # A page of one size and no metadata title: no heading, so nothing to search PubMed by.
    [item] = run_import(lib, [str(make_pdf(tmp_path / "flat.pdf", [PAGE]))],
                        client=make_client()).items
    assert "kept as unidentified" in item.message
    assert TERMS == []


def test_two_answers_the_page_could_be_are_none(monkeypatch: pytest.MonkeyPatch) -> None:
    twins = {p: PubMedSummary(p, "", HEADING, 2010, first_author="Fisher")
             for p in ("1", "2")}
    monkeypatch.setattr(page_pubmed, "search", lambda _c, _t, retmax: list(twins))
    monkeypatch.setattr(page_pubmed, "fetch_summaries", lambda _c, pmids: twins)
    assert find_pmid_on_page(None, PAGE, HEADING) == ""  # type: ignore[arg-type]
    del twins["2"]
    assert find_pmid_on_page(None, PAGE, HEADING) == "1"  # type: ignore[arg-type]
    # Another first author, or a year far off: not the paper.
    twins["1"] = PubMedSummary("1", "", HEADING, 2010, first_author="Laufer")
    assert find_pmid_on_page(None, PAGE, HEADING) == ""  # type: ignore[arg-type]
    twins["1"] = PubMedSummary("1", "", HEADING, 2016, first_author="Fisher")
    assert find_pmid_on_page(None, PAGE, HEADING) == ""  # type: ignore[arg-type]


@responses.activate
def test_identify_finds_a_kept_pdf_in_pubmed(lib: Library, tmp_path: Path) -> None:
    kept = run_import(lib, [str(make_pdf(tmp_path / "f.pdf", [LAYOUT]))],
                      client=None).items[0].article_id or 0
    old_key = lib.articles.citekey(kept)
    responses.add_callback(responses.GET, SEARCH, callback=crossref_knows_another)
    serve({"classification[ti]": [DECOY_PMID, FISHER_PMID]})
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified", outcome.message
    assert outcome.line() == f"{old_key}: identified as {outcome.now_key} (PMID {FISHER_PMID})"
    [now] = lib.search.ids()
    assert lib.articles.record(now).pmid == FISHER_PMID
    assert [a.kind for a in lib.attachments.of(now)] == ["pdf"]
    assert TERMS == [TERM]  # searched by the kept article's title, its heading


@responses.activate
def test_a_pdf_kept_before_headings_is_searched_by_its_files_heading(
        lib: Library, tmp_path: Path) -> None:
    """Kept by an import that titled it by its first line (the running head): Identify
    reads the heading from the file itself."""
    from tests.core.test_pdf_heading import RUNNING_HEAD

    kept = run_import(lib, [str(make_pdf(tmp_path / "f.pdf", [LAYOUT]))],
                      client=None).items[0].article_id or 0
    lib.edits.edit(kept, {"title": RUNNING_HEAD})  # as the older import named it
    responses.add_callback(responses.GET, SEARCH, callback=crossref_knows_another)
    serve({"classification[ti]": [FISHER_PMID]})
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified", outcome.message
    assert TERMS == [TERM]
