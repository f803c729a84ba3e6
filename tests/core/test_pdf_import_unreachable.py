"""An import of several PDFs asks a service that proved unreachable once, not once a PDF.

Each ask waits out the client's retries (about 17 s a service when the connection is
refused, minutes when it times out), so a folder of forty PDFs imported behind a hospital
firewall used to wait that forty times over. Now the first PDF that finds Crossref, PubMed
or a fetch unreachable says so, and the rest of the same import are kept and queued in
``pending`` at once with the same reason, as the first was, for a retry of the pending
imports to finish (spinelib/pdfimport.py).

Crossref is served by ``responses`` (tests.core.test_cited_dois); every other address is
unregistered there, so asking it fails as a refused connection does.
"""

from __future__ import annotations

from pathlib import Path

import requests
import responses

from spinelib.library import Library
from spinelib.pdfimport import run_import, scan_watched_folder
from tests.core.test_cited_dois import SEARCH
from tests.core.test_pdf_heading import LAYOUT
from tests.core.test_resolve_batched import make_client
from tests.pdfmaker import make_pdf, paper_pages


def refused(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    raise requests.exceptions.ConnectionError("Connection refused")


def folder_of_unidentified(tmp_path: Path, n: int) -> Path:
    """A folder of ``n`` PDFs printing no DOI or PMID (one paper's first page, each file
    with a line of its own so that they are ``n`` files)."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for i in range(n):
        make_pdf(folder / f"paper{i}.pdf", [[*LAYOUT, (10, f"File {i}.")]])
    return folder


def searches() -> int:
    """Crossref's bibliographic searches asked (every attempt of every request)."""
    return sum("query.bibliographic" in str(c.request.url) for c in responses.calls)


@responses.activate
def test_a_folder_asks_unreachable_crossref_and_pubmed_once(lib: Library,
                                                            tmp_path: Path) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=refused)
    folder = folder_of_unidentified(tmp_path, 3)
    report = run_import(lib, [str(folder)], client=make_client())
    items = report.items
    assert [i.status for i in items] == ["imported"] * 3
    # Kept, so "imported", but each waits for the network to be identified: counted.
    assert report.waiting == 3
    assert report.summary() == "3 imported, 3 PDFs to identify when online"
    assert searches() == 3  # one request's three attempts (max_retries=2), not nine
    assert len(responses.calls) == 6  # and PubMed's one request, three attempts
    first, *rest = items
    assert "not searched in Crossref by its first page: cannot reach" in first.message
    assert "not asked again" not in first.message
    for item in rest:
        assert "kept as unidentified" in item.message
        assert "not searched in Crossref by its first page: cannot reach" in item.message
        assert "not searched in PubMed by its first page: cannot reach" in item.message
        assert "not asked again: an earlier PDF of this import found it so" in item.message
        assert "its first page is searched again by a retry of the pending imports" \
            in item.message
    # All three are queued for the retry, as the first one always was.
    assert sorted(e.identifier for e in lib.pending.all()) == sorted(
        f"pdf:page:{i.article_id}" for i in items)
    assert sorted(lib.attachments.unidentified()) == sorted(i.article_id for i in items)


@responses.activate
def test_a_pdf_whose_doi_cannot_be_fetched_spares_the_next_the_wait(lib: Library,
                                                                   tmp_path: Path) -> None:
    # Both print their DOI: nothing to search, but each DOI's fetch fails (nothing serves
    # PubMed or Crossref here). The first is asked and queued; the second only queued.
    dois = ["10.1016/j.spinee.2020.01.001", "10.1016/j.spinee.2020.01.002"]
    paths = [make_pdf(tmp_path / f"p{n}.pdf", paper_pages(doi, f"Paper {n}", [], n=1))
             for n, doi in enumerate(dois)]
    report = run_import(lib, [str(p) for p in paths], client=make_client())
    items = report.items
    assert report.waiting == 2  # kept with their DOIs, the fetches queued
    asked = len(responses.calls)
    assert asked > 0 and [i.status for i in items] == ["imported", "imported"]
    assert "look-up queued (cannot reach" in items[0].message
    assert "not asked again" not in items[0].message
    assert "look-up queued (cannot reach" in items[1].message
    assert "not asked again: an earlier PDF of this import found it so" in items[1].message
    # Kept with its DOI, and the DOI queued, for each: the retry fetches and completes them.
    assert [lib.articles.record(i.article_id or 0).doi for i in items] == dois
    assert sorted(e.identifier for e in lib.pending.all()) == dois
    # A new import is a new run: the network is asked again (it may be back).
    third = make_pdf(tmp_path / "p2.pdf", paper_pages("10.1016/j.spinee.2020.01.003",
                                                      "Paper 2", [], n=1))
    run_import(lib, [str(third)], client=make_client())
    assert len(responses.calls) == 2 * asked


@responses.activate
def test_the_watched_folder_asks_once_too(lib: Library, tmp_path: Path) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=refused)
    folder = folder_of_unidentified(tmp_path, 2)
    report = scan_watched_folder(lib, folder, client=make_client())
    assert [i.status for i in report.items] == ["imported", "imported"]
    assert searches() == 3
    assert "not asked again" in report.items[1].message
    assert len(lib.pending.all()) == 2


def test_the_summary_can_leave_what_waits_for_the_window_to_say_first() -> None:
    from spinelib.import_results import ImportItem, ImportReport

    report = ImportReport(items=[ImportItem("a", "queued"), ImportItem("b", "imported"),
                                 ImportItem("c", "unchanged"),
                                 ImportItem("d", "imported", waits=True),
                                 ImportItem("e", "imported", waits=True)], attached=1)
    assert report.summary() == ("3 imported, 1 unchanged, 1 queued, 2 PDFs to identify "
                                "when online, 1 file attached")
    assert report.summary(offline_apart=True) == "3 imported, 1 unchanged, 1 file attached"
    only_waits = ImportReport(items=[ImportItem("a", "queued")])
    assert only_waits.summary(offline_apart=True) == ""
    assert ImportReport().summary() == "nothing to import"
