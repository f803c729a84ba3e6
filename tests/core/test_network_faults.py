"""Promise 7, network faults: every fault a real network throws at an import is either retried
until the article arrives, or the identifier is queued (``pending``) and imported later. Nothing
is lost, nothing is stored half.

The faults come from :class:`tests.fakeserver.FakeServer`, a real HTTP server on 127.0.0.1, so
the whole stack (requests, urllib3, sockets, our retry loop, the importer, the Library) runs as
it does against NCBI. Back-off between retries is shortened (it is not what is tested here); a
``Retry-After`` is honoured in real time.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spinelib import importer
from spinelib.cli import main
from spinelib.importer import retry_pending, run_import
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sources import http
from spinelib.sources.http import HttpClient
from tests.fakeserver import FakeServer, Reply, author_count, reference_count

PMIDS = ["31000011", "31000012", "31000013"]

#: name -> the reply that makes one request fail that way.
FAULTS = {
    "read timeout": Reply.slow(1.5),
    "connection reset": Reply.connection_reset(),
    "429 Retry-After": Reply.too_many_requests("1"),
    "500": Reply.server_error(500),
    "503": Reply.server_error(503),
    "body shorter than Content-Length": Reply.cut_short(300),
    "chunked body cut off": Reply.chunks_cut_short(),
}


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "BACKOFF_BASE", 0.05)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as s:
        s.add_pubmed(PMIDS)
        yield s


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def client_for(server: FakeServer, *, retries: int = 2,
               sleep: Callable[[float], None] = time.sleep) -> HttpClient:
    env = server.env()
    return HttpClient(Settings(
        email="tests@example.org", eutils_url=env["SPINELIB_EUTILS_URL"],
        idconv_url=env["SPINELIB_IDCONV_URL"], crossref_url=env["SPINELIB_CROSSREF_URL"],
        europepmc_url=env["SPINELIB_EUROPEPMC_URL"],
        connect_timeout=1.0, read_timeout=0.5, max_retries=retries), sleep=sleep)


def assert_whole(lib: Library, pmids: list[str]) -> None:
    """Each PMID is one stored article with all its authors, references and index row."""
    conn = sqlite3.connect(lib.path)
    try:
        for pmid in pmids:
            row = conn.execute("SELECT id FROM article WHERE pmid = ?", (pmid,)).fetchone()
            assert row is not None, f"PMID {pmid} was lost"
            (aid,) = row
            authors = conn.execute("SELECT count(*) FROM author WHERE article_id = ?",
                                   (aid,)).fetchone()[0]
            refs = conn.execute('SELECT count(*) FROM "reference" WHERE article_id = ?',
                                (aid,)).fetchone()[0]
            indexed = conn.execute("SELECT count(*) FROM article_fts WHERE rowid = ?",
                                   (aid,)).fetchone()[0]
            assert (authors, refs, indexed) == (author_count(pmid), reference_count(pmid), 1)
    finally:
        conn.close()
    assert lib.check() == []


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_a_passing_fault_is_retried_and_the_import_completes(
        fault: str, server: FakeServer, lib: Library) -> None:
    server.script("efetch", FAULTS[fault])
    report = run_import(lib, PMIDS, client=client_for(server))
    assert [i.status for i in report.items] == ["imported"] * 3, report.items
    assert len(server.requests_to("efetch")) == 2  # the failed attempt, then the good one
    assert_whole(lib, PMIDS)
    assert lib.pending.all() == []


def test_two_server_errors_in_a_row_are_retried(server: FakeServer, lib: Library) -> None:
    server.script("efetch", Reply.server_error(502), Reply.server_error(500))
    report = run_import(lib, PMIDS, client=client_for(server))
    assert report.all_ok and len(server.requests_to("efetch")) == 3
    assert_whole(lib, PMIDS)


def test_retry_after_is_honoured(server: FakeServer, lib: Library) -> None:
    server.script("efetch", Reply.too_many_requests("1"))
    # Every wait the client makes, with how many efetch requests had arrived by then.
    waits: list[tuple[float, int]] = []

    def sleep(seconds: float) -> None:
        waits.append((seconds, len(server.requests_to("efetch"))))
        time.sleep(seconds)

    assert run_import(lib, PMIDS, client=client_for(server, sleep=sleep)).all_ok
    assert len(server.requests_to("efetch")) == 2
    # Between the refused request and its retry, the client waited the full second the
    # service asked for, not its own back-off (0.05 s here, see quick_backoff).
    assert [seconds for seconds, arrived in waits if arrived == 1] == [1.0]


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_an_outage_queues_every_identifier_and_retry_imports_them(
        fault: str, server: FakeServer, lib: Library) -> None:
    server.fail_always("efetch", FAULTS[fault])
    client = client_for(server, retries=1)
    report = run_import(lib, PMIDS, client=client, tags=[])
    assert [i.status for i in report.items] == ["queued"] * 3
    assert all(i.message for i in report.items)  # each says why
    assert [p.identifier for p in lib.pending.all()] == PMIDS
    assert lib.search.count() == 0  # nothing half-stored meanwhile
    assert len(server.requests_to("efetch")) == 2  # tried, retried, then gave up on the batch

    server.recover()
    again = retry_pending(lib, client)
    assert [i.status for i in again.items] == ["imported"] * 3
    assert lib.pending.all() == []
    assert_whole(lib, PMIDS)


def test_one_failed_batch_is_queued_while_the_next_is_imported(
        server: FakeServer, lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds are independent: an outage during one round does not cost the others."""
    monkeypatch.setattr(importer, "IDENTIFIER_CHUNK", 2)
    server.script("efetch", Reply.connection_reset(), Reply.connection_reset())
    client = client_for(server, retries=1)
    report = run_import(lib, PMIDS, client=client)
    assert [i.status for i in report.items] == ["queued", "queued", "imported"]
    assert_whole(lib, PMIDS[2:])
    assert retry_pending(lib, client).all_ok
    assert_whole(lib, PMIDS)
    assert lib.pending.all() == []


def test_queued_tags_are_applied_when_the_queue_is_retried(
        server: FakeServer, lib: Library) -> None:
    tag = lib.tags.create("Journal club")
    server.fail_always("efetch", Reply.server_error(503))
    client = client_for(server, retries=0)
    run_import(lib, PMIDS[:1], client=client, tags=[tag])
    assert lib.pending.all()[0].tags == [tag]
    server.recover()
    assert retry_pending(lib, client).all_ok
    article = lib.articles.resolve_key(PMIDS[0])
    assert lib.articles.record(article).tags == [tag]


def test_cli_import_queues_then_pending_retry_imports(
        server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The same through the command line: exit 1 naming each queued id, then exit 0."""
    for var, value in server.env().items():
        monkeypatch.setenv(var, value)
    libpath = str(tmp_path / "cli.sqlite")
    server.fail_always("efetch", Reply.server_error(500))
    assert main(["--library", libpath, "import", *PMIDS]) == 1
    err = capsys.readouterr().err
    assert all(f"{p}: queued" in err for p in PMIDS)
    assert main(["--library", libpath, "pending"]) == 0
    listed = capsys.readouterr().out
    assert all(p in listed for p in PMIDS), listed

    server.recover()
    assert main(["--library", libpath, "pending", "--retry"]) == 0
    out = capsys.readouterr().out
    assert all(f"{p}: imported" in out for p in PMIDS)
    assert main(["--library", libpath, "pending"]) == 0
    assert "nothing pending" in capsys.readouterr().out
    with Library.open(libpath) as lib:
        assert_whole(lib, PMIDS)
