"""A PDF kept unidentified because Crossref or PubMed could not be reached is queued in
``pending`` (``pdf:page:ID``), and a retry of the queue (spinelib/pendingretry.py: the CLI's
``pending --retry``, the window's Retry pending imports) searches its first page again:
after the queued fetches, so a paper fetched then is found in the library.

Crossref is served by ``responses`` (tests.core.test_cited_dois), PubMed as
tests.core.test_journal_pages serves it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses

from spinelib.library import Library
from spinelib.pdfidentify import identify_pdfs
from spinelib.pdfimport import run_import
from spinelib.pendingretry import retry_pending
from tests.core.test_cited_dois import SEARCH, envelope, work
from tests.core.test_journal_pages import FISHER_PMID
from tests.core.test_pdf_first_page import FISHER_DOI, crossref
from tests.core.test_pdf_heading import LAYOUT
from tests.core.test_resolve_batched import make_client, serve_one_article
from tests.pdfmaker import make_pdf


def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    raise requests.exceptions.ConnectionError("Connection refused")


def kept_offline(lib: Library, tmp_path: Path, name: str = "f.pdf",
                 layout: list[tuple[float, str]] = LAYOUT) -> int:
    """A PDF imported while neither Crossref nor PubMed answers (``name`` in its text too,
    so two are two files)."""
    responses.add_callback(responses.GET, SEARCH, callback=unreachable)
    path = make_pdf(tmp_path / name, [[*layout, (10, f"File {name}.")]])
    [item] = run_import(lib, [str(path)], client=make_client()).items
    assert "kept as unidentified" in item.message
    assert "its first page is searched again by a retry of the pending imports" \
        in item.message
    return item.article_id or 0


@responses.activate
def test_a_pdf_kept_offline_is_queued_and_identified_by_the_retry(lib: Library,
                                                                  tmp_path: Path) -> None:
    kept = kept_offline(lib, tmp_path)
    key = lib.articles.citekey(kept)
    [entry] = lib.pending.all()
    assert entry.identifier == f"pdf:page:{kept}" and "cannot reach" in entry.reason
    assert lib.pending.label(entry.identifier) == f"first-page search for {key}"
    responses.reset()
    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    retried = retry_pending(lib, make_client())
    assert [o.status for o in retried.identified] == ["identified"]
    assert retried.identified[0].message.startswith("identified as ")
    assert not retried.still_pending and lib.pending.all() == []
    assert lib.attachments.unidentified() == []


@responses.activate
def test_still_offline_it_stays_queued_one_attempt_more(lib: Library, tmp_path: Path) -> None:
    kept = kept_offline(lib, tmp_path)
    retried = retry_pending(lib, make_client())
    assert [o.status for o in retried.identified] == ["offline"] and retried.still_pending
    [entry] = lib.pending.all()
    assert (entry.identifier, entry.attempts) == (f"pdf:page:{kept}", 2)


@responses.activate
def test_the_queued_fetch_comes_first_so_the_library_identifies_the_pdf(
        lib: Library, tmp_path: Path) -> None:
    from spinelib.sources.pubmed import fetch_pmids

    pmid, doi = "33000123", "10.5555/spine.33000123"
    searched: list[str] = []

    def crossref_search(request: requests.PreparedRequest
                        ) -> tuple[int, dict[str, str], str]:
        searched.append(str(request.url))
        return 200, {}, envelope([work("10.1000/decoy", "Another", "Smith", 2001)])

    serve_one_article(pmid, doi, crossref_search)
    record = fetch_pmids(make_client(), [pmid])[pmid]  # the paper, as PubMed gives it
    responses.reset()
    first_page = [(8, "Spine Volume 43"), (18, record.title),
                  (10, ", ".join(f"{a.given} {a.family}" for a in record.authors)),
                  (10, f"Published {record.year}. " + record.abstract[:600])]
    kept = kept_offline(lib, tmp_path, layout=first_page)
    lib.pending.queue(pmid, "cannot reach PubMed")  # its PMID queued on the same trip
    responses.reset()
    serve_one_article(pmid, doi, crossref_search)
    retried = retry_pending(lib, make_client())
    assert [i.status for i in retried.report.items] == ["imported"]
    [outcome] = retried.identified
    assert outcome.status == "identified" and "the library's own" in outcome.message
    assert searched == []  # found in the library: Crossref not asked
    assert lib.pending.all() == [] and kept not in lib.search.ids()
    [paper] = lib.search.ids()
    assert [a.kind for a in lib.attachments.of(paper)] == ["pdf"]


@responses.activate
def test_identify_queues_what_the_network_stopped_and_clears_what_it_answered(
        lib: Library, tmp_path: Path) -> None:
    first = kept_offline(lib, tmp_path, "a.pdf")
    second = kept_offline(lib, tmp_path, "b.pdf")
    lib.pending.remove([f"pdf:page:{second}"])  # as if forgotten by hand
    outcomes = identify_pdfs(lib, [first, second], make_client())
    assert [o.status for o in outcomes] == ["offline", "offline"]
    assert sorted(e.identifier for e in lib.pending.all()) == sorted(
        [f"pdf:page:{first}", f"pdf:page:{second}"])
    responses.reset()
    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    [done] = identify_pdfs(lib, [first], make_client())
    assert done.status == "identified"
    assert [e.identifier for e in lib.pending.all()] == [f"pdf:page:{second}"]


@responses.activate
def test_entries_of_articles_gone_or_identified_since_are_dropped(lib: Library,
                                                                  tmp_path: Path) -> None:
    kept = kept_offline(lib, tmp_path)
    lib.edits.edit(kept, {"doi": "10.1000/given.by.hand"})  # identified by hand since
    lib.pending.queue("pdf:page:999999", "cannot reach Crossref")  # an article deleted
    retried = retry_pending(lib, make_client())
    assert retried.identified == [] and lib.pending.all() == []
    assert lib.pending.label("pdf:page:999999") == \
        "first-page search for an article no longer in the library"


@responses.activate
def test_the_command_says_what_it_queued(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.cli import main

    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("spinelib.cli.pdf_cmds.http_client", make_client)
    db = tmp_path / "lib.sqlite"
    with Library.open(db) as lib:
        kept = kept_offline(lib, tmp_path)
        lib.pending.remove([f"pdf:page:{kept}"])
    assert main(["--library", str(db), "pdf", "identify", "--all"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == ["1 not asked (offline)", "the searches the network stopped are "
                        "queued: spinelib pending --retry makes them"]
    with Library.open(db) as lib:
        assert [e.identifier for e in lib.pending.all()] == [f"pdf:page:{kept}"]


@responses.activate
def test_the_retry_command_says_no_import_it_did_not_try(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Only a first-page search waits, and the network is still down: the retry names it
    # on stderr and exits 1, without an import summary ("nothing to import") of fetches it
    # never had to make.
    from spinelib.cli import main

    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("spinelib.cli.organise_cmds.http_client", make_client)
    db = tmp_path / "lib.sqlite"
    with Library.open(db) as lib:
        key = lib.articles.citekey(kept_offline(lib, tmp_path))
    assert main(["--library", str(db), "pending", "--retry"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"{key}: not asked: cannot reach")
