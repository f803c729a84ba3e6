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
from tests.core.test_journal_pages import serve as serve_pubmed
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


# ---- identifying the PDFs kept before (spinelib/pdfidentify.py, `spinelib pdf identify`)

def _kept(lib: Library, tmp_path: Path, name: str, pages: list[str | None]) -> int:
    """A PDF imported offline: kept as an unidentified article."""
    pdf = make_pdf(tmp_path / name, pages)
    [item] = run_import(lib, [str(pdf)], client=None).items
    assert item.article_id is not None and lib.attachments.needs_identification(
        item.article_id)
    return item.article_id


@responses.activate
def test_a_kept_pdf_is_identified_and_merged_into_its_record(lib: Library,
                                                             tmp_path: Path) -> None:
    from spinelib.pdfidentify import identify_pdfs, summary

    kept = _kept(lib, tmp_path, "fisher.pdf", [PAGE, "Results. Six components."])
    old_key = lib.articles.citekey(kept)
    lib.tags.create("To read")
    lib.tags.add([kept], ["To read"])
    lib.lists.create("SINS")
    lib.lists.add("SINS", [kept])
    lib.articles.set_notes(kept, "Handout from the 2019 course")
    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified", outcome.message
    [now] = lib.search.ids()
    record = lib.articles.record(now)
    assert record.pmid == FISHER_PMID and record.doi == FISHER_DOI
    assert outcome.line() == f"{old_key}: identified as {outcome.now_key} (DOI {FISHER_DOI})"
    # What the kept article had goes with it: the PDF and its text, tags, lists, notes.
    assert [a.kind for a in lib.attachments.of(now)] == ["pdf"]
    assert lib.attachments.text(now)[0].body.startswith("SPINE Volume 35")
    assert "To read" in {t.label for t in lib.tags.state(now).tags}
    assert lib.lists.items("SINS") == [now]
    assert "Handout from the 2019 course" in record.notes
    assert lib.attachments.unidentified() == []
    assert lib.articles.resolve_key(old_key) == now  # its key is an alias of the paper
    assert summary([outcome]) == "1 identified"


@responses.activate
def test_a_paper_the_library_holds_takes_the_pdf_never_a_second_copy(
        lib: Library, tmp_path: Path) -> None:
    from spinelib.importer import run_import as import_ids
    from spinelib.pdfidentify import identify_pdfs

    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    [held] = import_ids(lib, [FISHER_PMID], client=make_client()).items
    kept = _kept(lib, tmp_path, "fisher.pdf", [PAGE])
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified"
    assert lib.search.ids() == [held.article_id]
    assert len(lib.attachments.of(held.article_id or 0)) == 1


@responses.activate
def test_a_merge_that_fails_changes_nothing_and_says_so(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.errors import SpineLibError
    from spinelib.pdfidentify import identify_pdfs

    def gone(keep: int, others: list[int]) -> None:
        raise SpineLibError("article id:9 was deleted meanwhile")

    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    kept = _kept(lib, tmp_path, "fisher.pdf", [PAGE])
    monkeypatch.setattr(lib.duplicates, "merge", gone)
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "failed"
    assert outcome.message == (f"DOI {FISHER_DOI} found, but the PDF's article not merged "
                               "into it, so nothing was changed: article id:9 was deleted "
                               "meanwhile")
    # The import and the merge are one write: the paper is not left beside the kept PDF.
    assert lib.search.ids() == [kept] and lib.attachments.unidentified() == [kept]


@responses.activate
def test_what_cannot_be_identified_says_why_and_stays(lib: Library, tmp_path: Path) -> None:
    from spinelib.pdfidentify import identify_pdfs, summary

    def others(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, envelope([
            work("10.1000/decoy", "Spinal instability neoplastic score", "Fourney", 2011)])

    responses.add_callback(responses.GET, SEARCH, callback=others)
    serve_pubmed({})  # PubMed finds nothing by its title either
    scan = _kept(lib, tmp_path, "scan.pdf", [None])
    other = _kept(lib, tmp_path, "other.pdf", [PAGE])
    outcomes = identify_pdfs(lib, [scan, other, scan], make_client())
    assert [o.status for o in outcomes] == ["no_text", "not_found"]
    assert outcomes[1].message.startswith("neither Crossref nor PubMed has a paper")
    assert "add its DOI or PMID with Edit" in outcomes[0].message
    assert summary(outcomes) == "1 no text, 1 not found"
    assert sorted(lib.attachments.unidentified()) == sorted([scan, other])


@responses.activate
def test_offline_the_first_says_so_and_the_rest_are_not_asked(lib: Library,
                                                              tmp_path: Path) -> None:
    from spinelib.pdfidentify import identify_pdfs

    def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        raise requests.exceptions.ConnectionError("Connection refused")

    responses.add_callback(responses.GET, SEARCH, callback=unreachable)
    first = _kept(lib, tmp_path, "a.pdf", [PAGE])
    second = _kept(lib, tmp_path, "b.pdf", [PAGE + "\nSupplement."])
    outcomes = identify_pdfs(lib, [first, second], make_client())
    assert [o.status for o in outcomes] == ["offline", "offline"]
    assert outcomes[0].message.startswith("not asked: cannot reach")
    assert outcomes[1].message == outcomes[0].message
    searches = [c for c in responses.calls if "query.bibliographic" in str(c.request.url)]
    assert len({c.request.url for c in searches}) == 1  # the second was not asked


@responses.activate
def test_found_but_not_fetched_offline_queues_it_and_asks_no_more(lib: Library,
                                                                  tmp_path: Path) -> None:
    from spinelib.pdfidentify import identify_pdfs

    # Crossref's search answers; PubMed (never served here) cannot be reached.
    responses.add_callback(responses.GET, SEARCH, callback=crossref)
    first = _kept(lib, tmp_path, "a.pdf", [PAGE])
    second = _kept(lib, tmp_path, "b.pdf", [PAGE + "\nSupplement."])
    outcomes = identify_pdfs(lib, [first, second], make_client())
    assert [o.status for o in outcomes] == ["offline", "offline"]
    assert outcomes[0].message.startswith(f"DOI {FISHER_DOI} found, but not fetched: ")
    reason = outcomes[0].message.split("not fetched: ", 1)[1]
    assert outcomes[1].message == f"not asked: {reason}"
    # The DOI's fetch is queued, and so are both first-page searches: once the DOI is
    # fetched, a retry finds each PDF's paper in the library and merges it in.
    assert [e.identifier for e in lib.pending.all()] == [
        FISHER_DOI, f"pdf:page:{first}", f"pdf:page:{second}"]
    assert sorted(lib.attachments.unidentified()) == sorted([first, second])


@responses.activate
def test_the_command_identifies_and_says_what_it_could_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.cli import main

    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("spinelib.cli.pdf_cmds.http_client", make_client)
    db = str(tmp_path / "lib.sqlite")
    with Library.open(db) as lib:
        kept = _kept(lib, tmp_path, "fisher.pdf", [PAGE])
        scan = _kept(lib, tmp_path, "scan.pdf", [None])
        keys = [lib.articles.citekey(kept), lib.articles.citekey(scan)]
    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    assert main(["--library", db, "pdf", "identify"]) == 1  # nothing named, as pdf find
    capsys.readouterr()
    assert main(["--library", db, "pdf", "identify", "--all"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{keys[0]}: identified as ")
    assert f"{keys[1]}: no text stored for its first page" in err
    assert err.rstrip().endswith("1 identified, 1 no text")
    assert main(["--library", db, "pdf", "identify", "--all"]) == 1  # the scan stays
