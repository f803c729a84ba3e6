"""Issue 14: "Find available PDFs" against a fake Europe PMC and Unpaywall on 127.0.0.1.

Replies are in the services' real shapes: Europe PMC ``search?resultType=core`` (the lite
fields of /work/shared/fixtures/europepmc plus the core ones: isOpenAccess, inEPMC, hasPDF,
license, fullTextUrlList) and Unpaywall v2 records (best_oa_location, oa_locations).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.pdffind import PdfFinder
from spinelib.settings import Settings
from spinelib.sources import openaccess as oa
from spinelib.sources.http import HttpClient
from tests.core.helpers import make_record
from tests.fakeserver import FakeServer, Reply
from tests.pdfmaker import pdf_bytes

JSON = {"Content-Type": "application/json;charset=UTF-8"}
PDF = {"Content-Type": "application/pdf"}


def core_hit(doi: str, pmcid: str = "", *, oa_flag: str = "Y") -> dict[str, object]:
    hit: dict[str, object] = {
        "id": "17183658", "source": "MED", "pmid": "17183658", "doi": doi,
        "title": "Triose phosphate isomerase deficiency", "authorString": "Ralser M.",
        "journalInfo": {"journal": {"title": "PLoS One"}}, "pubYear": "2006",
        "isOpenAccess": oa_flag, "inEPMC": oa_flag, "inPMC": "N", "hasPDF": oa_flag,
        "license": "cc by", "citedByCount": 23}
    if pmcid:
        hit["pmcid"] = pmcid
        hit["fullTextUrlList"] = {"fullTextUrl": [{
            "availability": "Open access", "availabilityCode": "OA", "documentStyle": "pdf",
            "site": "Europe_PMC", "url": f"https://europepmc.org/articles/{pmcid}?pdf=render"}]}
    return hit


def search_reply(*hits: dict[str, object]) -> Reply:
    body = {"version": "6.9", "hitCount": len(hits), "nextCursorMark": "*",
            "request": {"queryString": "DOI:...", "resultType": "core", "cursorMark": "*",
                        "pageSize": 50, "sort": ""},
            "resultList": {"result": list(hits)}}
    return Reply(200, json.dumps(body).encode(), JSON)


def unpaywall_record(doi: str, locations: list[dict[str, object]]) -> Reply:
    best = locations[0] if locations else None
    body = {"doi": doi, "doi_url": f"https://doi.org/{doi}", "is_oa": bool(locations),
            "oa_status": "green" if locations else "closed", "title": "A trial",
            "best_oa_location": best, "oa_locations": locations,
            "first_oa_location": best, "journal_is_oa": False, "updated": "2026-01-01"}
    return Reply(200, json.dumps(body).encode(), JSON)


def location(url: str, version: str, host_type: str = "repository") -> dict[str, object]:
    return {"url": url, "url_for_pdf": url, "url_for_landing_page": url.replace(".pdf", ""),
            "version": version, "license": "cc-by" if host_type == "publisher" else None,
            "host_type": host_type, "is_best": True, "evidence": "oa repository",
            "pmh_id": None, "endpoint_id": None, "repository_institution": None,
            "oa_date": "2020-01-01", "updated": "2026-01-01"}


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as s:
        yield s


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def client_for(server: FakeServer, *, retries: int = 1, email: str = "t@example.org"
               ) -> HttpClient:
    env = server.env()
    return HttpClient(Settings(
        email=email, europepmc_url=env["SPINELIB_EUROPEPMC_URL"],
        europepmc_site_url=env["SPINELIB_EUROPEPMC_SITE_URL"],
        unpaywall_url=env["SPINELIB_UNPAYWALL_URL"], connect_timeout=1.0, read_timeout=1.0,
        max_retries=retries), sleep=lambda _s: None)


class Clock:
    """A fake clock the host gate reads and its sleeps advance (no real waiting)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.now += s

    def __call__(self) -> float:
        return self.now


def finder(lib: Library, server: FakeServer, clock: Clock | None = None, **kw: object
           ) -> PdfFinder:
    clock = clock or Clock()
    return PdfFinder(lib, client_for(server, **kw),  # type: ignore[arg-type]
                     gate=oa.HostGate(sleep=clock.sleep, clock=clock))


def add(lib: Library, doi: str, pmcid: str = "", title: str = "") -> int:
    rec = make_record(doi=doi, pmid="", pmcid=pmcid, title=title or f"Trial {doi}")
    return lib.articles.add_records([rec])[0].article_id


JATS = b"""<?xml version="1.0" encoding="UTF-8"?><article><body><sec><title>Methods</title>
<p>Separation surgery before hypofractionated radiotherapy.</p></sec></body></article>"""


def test_pmcid_article_gets_the_europepmc_render_and_its_jats_text(lib: Library,
                                                                   server: FakeServer) -> None:
    aid = add(lib, "10.1371/journal.pone.0000030", "PMC1762313")
    server.routes["PMC1762313"] = Reply(200, pdf_bytes(["Open access paper text"]), PDF)
    server.routes["fullTextXML"] = Reply(200, JATS, {"Content-Type": "application/xml"})
    [out] = finder(lib, server).run([aid])
    assert out.line().endswith(": downloaded (europepmc, published)")
    [att] = lib.attachments.of(aid)
    assert (att.source, att.version, att.pages) == ("europepmc", "published", 1)
    assert lib.attachments.fulltext_kind(aid) == "jats"
    assert lib.attachments.places([aid], "hypofractionated")[aid].places == ["fulltext"]
    assert server.requests_to("search") == []  # the PMCID was known: no search


def test_dois_are_searched_in_batches_then_unpaywall_repository_copy(
        lib: Library, server: FakeServer) -> None:
    ids = [add(lib, f"10.1000/trial.{n}") for n in range(30)]
    server.routes["search"] = search_reply(core_hit("10.1000/trial.0", "PMC42"))
    server.routes["PMC42"] = Reply(200, pdf_bytes(["From Europe PMC"]), PDF)
    # trial.1: closed at the publisher, an accepted manuscript in a repository.
    server.routes["trial.1"] = unpaywall_record("10.1000/trial.1", [
        location(server.url + "/repo/accepted.pdf", "acceptedVersion")])
    server.routes["accepted.pdf"] = Reply(200, pdf_bytes(["Accepted manuscript"]), PDF)
    for n in range(2, 30):
        server.routes[f"trial.{n}"] = unpaywall_record(f"10.1000/trial.{n}", [])
    clock = Clock()
    outcomes = finder(lib, server, clock).run(ids)
    lines = [o.line() for o in outcomes]
    assert lines[0].endswith("downloaded (europepmc, published)")
    assert lines[1].endswith("downloaded (unpaywall, accepted)")
    assert all(line.endswith("no open copy") for line in lines[2:])
    # The search's citedByCount is kept, dated (issue 17); no hit, no count.
    assert [(c.source, c.count) for c in lib.retractions.citation_counts(ids[0])] == [
        ("europepmc", 23)]
    assert lib.retractions.citation_counts(ids[1]) == []
    # 30 DOIs: two Europe PMC searches (25 per request), not thirty.
    searches = server.requests_to("search")
    assert len(searches) == 2 and searches[0].params["resultType"] == ["core"]
    assert searches[0].params["query"][0].count('DOI:"') == 25
    # Unpaywall is asked with the contact email it requires.
    assert server.requests_to("trial.1")[0].params["email"] == ["t@example.org"]
    # One request per second per host: the gate waited between requests to 127.0.0.1.
    assert len(clock.slept) >= len(server.requests) - 1
    assert all(s <= 1.0 for s in clock.slept) and sum(clock.slept) >= 30
    # "No open copy" is remembered: a second run asks nothing.
    before = len(server.requests)
    again = finder(lib, server).run(ids[2:])
    assert len(server.requests) == before
    assert all(o.status == "no_open_copy" and "checked" in o.reason for o in again)


def test_html_served_as_pdf_and_403_are_failures_not_attachments(lib: Library,
                                                                 server: FakeServer) -> None:
    a = add(lib, "10.1000/html")
    b = add(lib, "10.1000/forbidden")
    server.routes["search"] = search_reply()
    server.routes["html"] = unpaywall_record("10.1000/html", [
        location(server.url + "/pub/challenge.pdf", "publishedVersion", "publisher")])
    server.routes["challenge.pdf"] = Reply(
        200, b"<!DOCTYPE html><html><body>Checking your browser</body></html>", PDF)
    server.routes["forbidden"] = unpaywall_record("10.1000/forbidden", [
        location(server.url + "/pub/locked.pdf", "publishedVersion", "publisher")])
    server.routes["locked.pdf"] = Reply(403, b"<html>Forbidden</html>", {"Content-Type":
                                                                         "text/html"})
    out = finder(lib, server).run([a, b])
    assert out[0].status == "failed" and "not a PDF (application/pdf" in out[0].reason
    assert out[1].status == "failed" and "HTTP 403" in out[1].reason
    assert lib.attachments.of(a) == [] == lib.attachments.of(b)
    assert lib.attachments.open_access_states([a, b]) == {}  # not remembered as "none"


def test_502_then_200_is_retried_and_a_cut_body_is_not_stored(lib: Library,
                                                             server: FakeServer) -> None:
    a = add(lib, "10.1000/flaky", "PMC7")
    b = add(lib, "10.1000/cut", "PMC8")
    server.routes["PMC7"] = Reply(200, pdf_bytes(["Flaky host paper"]), PDF)
    server.script("PMC7", Reply.server_error(502))
    server.routes["PMC8"] = Reply(200, pdf_bytes(["x" * 400]), PDF)
    server.fail_always("PMC8", Reply.cut_short(100))
    server.routes["cut"] = unpaywall_record("10.1000/cut", [])
    out = finder(lib, server, retries=1).run([a, b])
    assert out[0].status == "downloaded" and len(server.requests_to("PMC7")) == 2
    assert out[1].status == "queued" and "broke off" in out[1].reason
    assert lib.attachments.of(b) == []
    assert not [p for p in (lib.path.parent / "lib.files").rglob("*") if p.is_file()
                and "cut" in p.name]


def test_offline_lookups_are_queued_in_pending_and_retried(tmp_path: Path, lib: Library,
                                                           server: FakeServer) -> None:
    aid = add(lib, "10.1000/later")
    server.fail_always("search", Reply.connection_reset())
    server.fail_always("later", Reply.connection_reset())
    [out] = finder(lib, server).run([aid])
    assert out.status == "queued"
    assert [p.identifier for p in lib.pending.all()] == [f"pdf:id:{aid}"]
    server.recover()
    server.routes["search"] = search_reply()
    server.routes["later"] = unpaywall_record("10.1000/later", [
        location(server.url + "/repo/later.pdf", "submittedVersion")])
    server.routes["later.pdf"] = Reply(200, pdf_bytes(["Preprint text"]), PDF)
    [again] = finder(lib, server).run([aid])
    assert again.line().endswith("downloaded (unpaywall, submitted)")
    assert lib.pending.all() == []


def eight_with_copies_at(lib: Library, server: FakeServer, name: str, host: str) -> list[int]:
    """Eight articles Europe PMC has no copy of and Unpaywall places at ``host``/N.pdf."""
    ids = [add(lib, f"10.1000/{name}.{n}") for n in range(8)]
    server.routes["search"] = search_reply()
    for n in range(8):
        server.routes[f"{name}.{n}"] = unpaywall_record(f"10.1000/{name}.{n}", [
            location(f"{host}/{n}.pdf", "acceptedVersion")])
    return ids


def test_a_host_the_network_does_not_reach_is_asked_once(lib: Library,
                                                         server: FakeServer) -> None:
    ids = eight_with_copies_at(lib, server, "down", "http://127.0.0.2:9")
    out = finder(lib, server, retries=0).run(ids)
    assert all(o.status == "queued" for o in out)  # retried later, by pending --retry
    assert "not asked again" not in out[0].reason
    assert all(o.reason.endswith("(not asked again in this run)") for o in out[1:])
    # Every article still asked Unpaywall (another host) for its copies.
    assert all(len(server.requests_to(f"down.{n}")) == 1 for n in range(8))


def test_a_host_failing_five_times_in_a_row_is_skipped(lib: Library,
                                                       server: FakeServer) -> None:
    # The same server under another name: to the gate, a repository of its own.
    ids = eight_with_copies_at(lib, server, "busy",
                               server.url.replace("127.0.0.1", "localhost") + "/repo")
    for n in range(8):  # a host that answers, but refuses: the answer counts, not the network
        server.fail_always(f"{n}.pdf", Reply(403, b"<html>Forbidden</html>",
                                             {"Content-Type": "text/html"}))
    out = finder(lib, server, retries=0).run(ids)
    assert [o.status for o in out] == ["failed"] * 8, [o.reason for o in out]
    assert sum(len(server.requests_to(f"{n}.pdf")) for n in range(8)) == 5
    assert "skipped after 5 failures in a row" in out[-1].reason


def test_cli_pdf_find_reports_one_line_per_article(tmp_path: Path, server: FakeServer,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in server.env().items():
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SPINELIB_EMAIL", "t@example.org")
    real_gate = oa.HostGate
    monkeypatch.setattr("spinelib.pdffind.oa.HostGate",
                        lambda: real_gate(sleep=lambda _s: None))
    db = tmp_path / "lib.sqlite"
    with Library.open(db) as lib:
        add(lib, "10.1000/open", "PMC5")
        add(lib, "10.1000/closed")
    server.routes["PMC5"] = Reply(200, pdf_bytes(["Open"]), PDF)
    server.routes["search"] = search_reply()
    server.routes["closed"] = unpaywall_record("10.1000/closed", [])
    assert main(["--library", str(db), "pdf", "find", "--all"]) == 0
    out = capsys.readouterr().out
    assert ": downloaded (europepmc, published)" in out and ": no open copy" in out
    # The closed paper's way in: the reader's own library, said as the last line.
    assert out.splitlines()[-1] == (
        "1 article without an open copy: `spinelib pdf access KEY` opens one through your "
        "library once its proxy is set (`spinelib settings library_proxy ADDRESS`)")
    assert main(["settings", "library_proxy", "https://ezproxy.example.org/login?url="]) == 0
    capsys.readouterr()
    assert main(["--library", str(db), "pdf", "find", "--all", "--again"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 article without an open copy: `spinelib pdf access KEY` opens one through your "
        "library")
    assert main(["--library", str(db), "show", "10.1000/open", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["attachments"][0]["source"] == "europepmc"
    assert data["attachments"][0]["license"] is None


def test_cli_pending_retry_asks_queued_lookups_again(tmp_path: Path, server: FakeServer,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in server.env().items():
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SPINELIB_EMAIL", "t@example.org")
    real_gate = oa.HostGate
    monkeypatch.setattr("spinelib.pdffind.oa.HostGate",
                        lambda: real_gate(sleep=lambda _s: None))
    db = tmp_path / "lib.sqlite"
    with Library.open(db) as lib:
        aid = add(lib, "10.1000/queued")
        lib.pending.queue(f"pdf:id:{aid}", "cannot reach Unpaywall")
        lib.pending.queue("pdf:id:999", "an article deleted since")
        key = lib.articles.citekey(aid)
    assert main(["--library", str(db), "pending"]) == 0
    listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [f"open-access copy for {key}",
                      "open-access copy for an article no longer in the library"]
    server.routes["search"] = search_reply()
    server.routes["queued"] = unpaywall_record("10.1000/queued", [])
    assert main(["--library", str(db), "pending", "--retry"]) == 0
    out = capsys.readouterr().out
    assert ": no open copy" in out
    with Library.open(db) as lib:
        assert lib.pending.all() == []
        assert list(lib.attachments.open_access_states([aid])) == [aid]


def test_cli_pdf_watch_imports_the_folder_once(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.pdfmaker import make_pdf

    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_pdf(inbox / "a.pdf", ["Giant cell tumour of the sacrum"])
    (inbox / "notes.txt").write_text("not a pdf")
    db = str(tmp_path / "lib.sqlite")
    assert main(["--library", db, "pdf", "watch", "--folder", str(inbox)]) == 0
    assert "a.pdf: imported" in capsys.readouterr().out
    assert main(["--library", db, "pdf", "watch", "--folder", str(inbox)]) == 0
    assert "nothing to import" in capsys.readouterr().out
    assert main(["--library", db, "pdf", "unidentified"]) == 0
    assert "Giant cell tumour" in capsys.readouterr().out


def test_a_redirect_loop_and_a_slow_body_are_reported_per_article(lib: Library,
                                                                   server: FakeServer) -> None:
    loop = add(lib, "10.1000/loop")
    slow = add(lib, "10.1000/slow")
    server.routes["search"] = search_reply()
    server.routes["loop"] = unpaywall_record("10.1000/loop", [
        location(server.url + "/repo/loop.pdf", "acceptedVersion")])
    server.routes["loop.pdf"] = Reply(302, b"", {"Location": server.url + "/repo/loop.pdf"})
    server.routes["slow"] = unpaywall_record("10.1000/slow", [
        location(server.url + "/repo/slow.pdf", "acceptedVersion")])
    server.fail_always("slow.pdf", Reply.slow(3.0))
    out = finder(lib, server, retries=0).run([loop, slow])
    assert out[0].status == "failed" and "redirects" in out[0].reason
    assert out[1].status == "queued" and "no answer within" in out[1].reason
    assert lib.attachments.of(loop) == [] == lib.attachments.of(slow)


def test_no_pdf_at_the_render_address_is_no_open_copy_not_a_failure(
        lib: Library, server: FakeServer) -> None:
    a = add(lib, "10.1000/closed-pmc", "PMC11")
    b = add(lib, "10.1000/closed-html", "PMC12")
    server.routes["PMC12"] = Reply(200, b"<html><body>Not available</body></html>",
                                   {"Content-Type": "text/html; charset=utf-8"})
    for doi in ("closed-pmc", "closed-html"):
        server.routes[doi] = unpaywall_record(f"10.1000/{doi}", [])
    out = finder(lib, server).run([a, b])
    assert [o.status for o in out] == ["no_open_copy", "no_open_copy"]


def test_cli_import_of_a_folder_imports_its_pdfs(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """``spinelib import FOLDER`` takes the PDFs in it and its sub-folders, in name order,
    as a folder dropped on the window does; a folder without one is one failed item."""
    from tests.pdfmaker import make_pdf

    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    papers = tmp_path / "congress papers"
    (papers / "day 2").mkdir(parents=True)
    make_pdf(papers / "b.pdf", ["Chordoma of the clivus"])
    make_pdf(papers / "day 2" / "a.pdf", ["Giant cell tumour of the sacrum"])
    (papers / "programme.txt").write_text("not a paper")
    empty = tmp_path / "empty"
    empty.mkdir()
    db = str(tmp_path / "lib.sqlite")
    assert main(["--library", db, "import", str(papers), str(empty)]) == 1
    out, err = capsys.readouterr()
    assert "b.pdf: imported" in out and "a.pdf: imported" in out
    assert out.index("b.pdf") < out.index("a.pdf")  # b.pdf before "day 2/a.pdf"
    assert f"{empty}: failed (no PDF in this folder or its sub-folders" in out + err
    assert "programme.txt" not in out + err
    assert main(["--library", db, "pdf", "unidentified"]) == 0
    listed = capsys.readouterr().out
    assert "Chordoma of the clivus" in listed and "Giant cell tumour" in listed
    # The same papers again (a file copied elsewhere too): no second article.
    (papers / "day 2" / "a.pdf").rename(tmp_path / "a copy.pdf")
    assert main(["--library", db, "import", str(papers), str(tmp_path / "a copy.pdf")]) == 0
    out = capsys.readouterr().out
    assert out.count("(already in the library with this file)") == 2 and "imported" not in out
    assert main(["--library", db, "pdf", "unidentified"]) == 0
    assert capsys.readouterr().out == listed
    # A mistyped folder is a missing folder, not "not a DOI, PMID or PMCID".
    assert main(["--library", db, "import", str(tmp_path / "congres papers")]) == 1
    assert f"no such file or folder: {tmp_path / 'congres papers'}" in "".join(
        capsys.readouterr())
