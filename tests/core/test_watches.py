"""Literature watches and the inbox (issue 17): a fake esearch that honours ``mindate`` /
``maxdate`` (``datetype=edat``), an injected clock, batched fetches, triage.

Every HTTP call is answered by ``responses``; efetch bodies are built by the fake server's
PubMed article writer (the real efetch shape).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
import responses

from spinelib import paths, settings
from spinelib.cli import main
from spinelib.library import Library
from spinelib.sources.http import HttpClient
from spinelib.watch_run import run_watches, window

from ..fakeserver import pubmed_article

ESEARCH = "http://127.0.0.1:9/eutils/esearch.fcgi"
EFETCH = "http://127.0.0.1:9/eutils/efetch.fcgi"


class FakePubMed:
    """esearch over papers with entry dates, honouring datetype=edat/mindate/maxdate and
    refusing reldate; efetch for any PMID. Records every search window asked for."""

    def __init__(self, papers: dict[str, date]) -> None:
        self.papers = papers
        self.windows: list[tuple[str, str]] = []
        self.fetched: list[list[str]] = []
        self.error = ""

    def esearch(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        form = {k: v[0] for k, v in parse_qs(str(request.body)).items()}
        assert form["datetype"] == "edat" and "reldate" not in form
        if self.error:
            return 200, {}, json.dumps({"header": {}, "esearchresult": {
                "ERROR": self.error}})
        lo = date(*map(int, form["mindate"].split("/")))
        hi = date(*map(int, form["maxdate"].split("/")))
        self.windows.append((form["mindate"], form["maxdate"]))
        ids = sorted(p for p, d in self.papers.items() if lo <= d <= hi)
        return 200, {}, json.dumps({"header": {"type": "esearch", "version": "0.3"},
                                    "esearchresult": {"count": str(len(ids)),
                                                      "retmax": str(len(ids)),
                                                      "retstart": "0", "idlist": ids}})

    def efetch(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        body = request.body if isinstance(request.body, str) else str(request.url)
        form = {k: v[0] for k, v in parse_qs(body.split("?")[-1]).items()}
        ids = form["id"].split(",")
        self.fetched.append(ids)
        return 200, {"Content-Type": "text/xml"}, (
            "<?xml version=\"1.0\"?><PubmedArticleSet>"
            + "".join(pubmed_article(p) for p in ids) + "</PubmedArticleSet>")

    def install(self) -> None:
        responses.add_callback(responses.POST, ESEARCH, callback=self.esearch)
        responses.add_callback(responses.POST, EFETCH, callback=self.efetch)
        responses.add_callback(responses.GET, EFETCH, callback=self.efetch)


def client() -> HttpClient:
    return HttpClient(settings.load(paths.settings_path()), sleep=lambda _s: None)


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library  # type: ignore[misc]
    library.close()


@responses.activate
def test_windows_follow_the_last_success_never_reldate(lib: Library) -> None:
    fake = FakePubMed({"40000001": date(2026, 1, 20), "40000002": date(2026, 2, 28),
                       "40000003": date(2026, 3, 10), "40000004": date(2026, 3, 28)})
    fake.install()
    lib.watches.add("sep", "separation surgery[tiab]", tag="separation_surgery")
    # First run on 1 March looks back 30 days: 40000002 only.
    [run] = run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    assert (run.mindate, run.maxdate, run.added) == ("2026/01/30", "2026/03/01", 1)
    # Offline for three weeks: a failed run does not move the window.
    responses.replace(responses.POST, ESEARCH, body=requests.ConnectionError("offline"))
    [run] = run_watches(lib, client(), today=lambda: date(2026, 3, 8))
    assert run.queued and lib.watches.get("sep").queued
    assert lib.watches.get("sep").last_success == "2026-03-01"
    responses.remove(responses.POST, ESEARCH)
    responses.add_callback(responses.POST, ESEARCH, callback=fake.esearch)
    [run] = run_watches(lib, client(), today=lambda: date(2026, 3, 29))
    # From the last success minus two days to today: nothing skipped.
    assert fake.windows[-1] == ("2026/02/27", "2026/03/29")
    assert run.found == 3 and run.added == 2  # 40000002 is already in the inbox
    assert [i.pmid for i in lib.inbox.items()] == ["40000002", "40000003", "40000004"]
    item = lib.inbox.items()[0]
    assert item.title.startswith("Outcome study 40000002") and item.abstract
    assert item.mesh == ("Spinal Neoplasms",)  # kept for triage offline
    assert item.watch == "sep"
    assert not lib.watches.get("sep").queued


def test_first_run_window_is_a_setting(lib: Library) -> None:
    w = lib.watches.add("x", "q")
    assert window(w, date(2026, 3, 1), 7) == ("2026/02/22", "2026/03/01")


@responses.activate
def test_500_new_papers_take_at_most_five_requests(lib: Library) -> None:
    fake = FakePubMed({str(41000000 + i): date(2026, 2, 1) for i in range(500)})
    fake.install()
    lib.watches.add("big", "spine[tiab]")
    [run] = run_watches(lib, client(), today=lambda: date(2026, 2, 10))
    assert run.added == 500 and lib.inbox.count() == 500
    assert len(responses.calls) <= 5
    assert [len(b) for b in fake.fetched] == [200, 200, 100]


@responses.activate
def test_dismissed_papers_never_come_back(lib: Library) -> None:
    fake = FakePubMed({"40000001": date(2026, 2, 20), "40000002": date(2026, 2, 21)})
    fake.install()
    lib.watches.add("w", "q")
    run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    lib.inbox.dismiss(lib.inbox.resolve(["40000001"]))
    assert [i.pmid for i in lib.inbox.items()] == ["40000002"]
    lib.watches.record_failure(lib.watches.get("w"), "", queued=False)
    with lib.store.writing() as conn:  # forget the last success: the same window again
        conn.execute("UPDATE watch SET last_success = NULL")
    [run] = run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    assert run.found == 2 and run.added == 0
    assert fake.fetched[-1:] != [["40000001"]]
    assert [i.pmid for i in lib.inbox.items()] == ["40000002"]


@responses.activate
def test_a_query_pubmed_rejects_is_reported_with_its_text(
        lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakePubMed({})
    fake.error = "Invalid query: unmatched parenthesis"
    fake.install()
    lib.watches.add("bad", "(spine[tiab]")
    [run] = run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    assert "unmatched parenthesis" in run.error and not run.queued
    assert lib.watches.get("bad").last_success is None
    path = str(lib.path)
    lib.close()
    code = main(["--library", path, "watch", "run"])
    _, err = capsys.readouterr()
    assert code == 1 and "bad: failed: " in err and "unmatched parenthesis" in err


def test_cli_add_list_suggest_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "l.sqlite")
    assert main(["--library", lib, "watch", "suggest", "separation surgery"]) == 0
    query = capsys.readouterr().out.strip()
    assert '"separation surgery"[tiab]' in query and '"cord separation"[tiab]' in query
    assert " OR " in query and "~" not in query
    assert main(["--library", lib, "watch", "suggest", "no such technique"]) == 1
    assert "unknown technique" in capsys.readouterr().err
    assert main(["--library", lib, "watch", "add", "sep", query, "--tag",
                 "separation_surgery"]) == 0
    assert main(["--library", lib, "watch", "add", "sep", "x"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["--library", lib, "watch", "list", "--json"]) == 0
    [w] = json.loads(capsys.readouterr().out)
    assert w["name"] == "sep" and w["tag"] == "separation_surgery" and w["last_success"] is None
    # Names are one in any letter case; a name with a space is quoted in the hint.
    assert main(["--library", lib, "watch", "add", "SEP", "x"]) == 1
    assert "a watch called 'sep' already exists" in capsys.readouterr().err
    assert main(["--library", lib, "watch", "add", "Spine SBRT", "sbrt"]) == 0
    assert capsys.readouterr().out == ("watch 'Spine SBRT' added; fill the inbox with: "
                                       "spinelib watch run 'Spine SBRT'\n")
    assert main(["--library", lib, "watch", "remove", "spine sbrt"]) == 0
    assert capsys.readouterr().out == "watch 'Spine SBRT' removed\n"
    assert main(["--library", lib, "watch", "remove", "Sep"]) == 0
    assert main(["--library", lib, "watch", "remove", "sep"]) == 1
    capsys.readouterr()
    # A tag the library does not know is refused when the watch is stored (it made every
    # later Accept fail); a label is stored as its tag's id.
    assert main(["--library", lib, "watch", "add", "typo", "x", "--tag", "kyphoplastyy"]) == 1
    assert "unknown tag 'kyphoplastyy'" in capsys.readouterr().err
    assert main(["--library", lib, "watch", "add", "bkp", "x", "--tag",
                 "Balloon kyphoplasty"]) == 0
    capsys.readouterr()
    assert main(["--library", lib, "watch", "list", "--json"]) == 0
    assert [w["tag"] for w in json.loads(capsys.readouterr().out)] == ["balloon_kyphoplasty"]


@responses.activate
def test_cli_inbox_json_dismiss_and_accept(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "l.sqlite"
    fake = FakePubMed({"40000001": date(2026, 2, 20), "40000002": date(2026, 2, 21)})
    fake.install()
    # Anything else the import pipeline asks (Crossref, Europe PMC, elink) finds nothing.
    responses.add(responses.GET, re.compile(r"http://127\.0\.0\.1:9/.*"), status=404,
                  json={"status": "error"})
    with Library.open(path) as lib:
        lib.watches.add("sep", "q", tag="separation_surgery")
        run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    assert main(["--library", str(path), "inbox", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [set(i) for i in items] == [{"id", "pmid", "title", "journal", "year", "watch",
                                        "abstract"}] * 2
    assert items[0]["watch"] == "sep" and items[0]["journal"] == "Spine"
    assert main(["--library", str(path), "inbox", "dismiss", str(items[0]["id"])]) == 0
    assert main(["--library", str(path), "inbox", "dismiss", "99999"]) == 1
    assert "not in the inbox" in capsys.readouterr().err
    code = main(["--library", str(path), "inbox", "accept", "40000002"])
    out, err = capsys.readouterr()
    assert code == 0, err
    with Library.open(path) as lib:
        assert lib.inbox.items() == []
        [aid] = lib.search.ids()
        rec = lib.articles.record(aid)
        assert rec.pmid == "40000002" and "separation_surgery" in rec.tags
        assert len(rec.references) > 0


@responses.activate
def test_accept_after_the_watch_tag_was_deleted_imports_without_it(lib: Library) -> None:
    """A user tag deleted since the watch was made no longer fails every Accept."""
    from spinelib.watch_run import accept

    fake = FakePubMed({"40000001": date(2026, 2, 20)})
    fake.install()
    responses.add(responses.GET, re.compile(r"http://127\.0\.0\.1:9/.*"), status=404,
                  json={"status": "error"})
    lib.tags.create("Journal club")
    lib.watches.add("jc", "q", tag="Journal club")
    run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    lib.tags.delete(lib.tags.resolve("Journal club"))
    lines = accept(lib, client(), lib.inbox.items())
    assert "the watch's tag" in lines[0] and "imported without it" in lines[0]
    [aid] = lib.search.ids()
    assert lib.articles.record(aid).pmid == "40000001" and lib.inbox.items() == []


@responses.activate
def test_pubmed_unreachable_is_asked_once_a_run_not_once_a_watch(lib: Library) -> None:
    # Each ask waits out the client's retries (about 17 s when refused, minutes when the
    # requests time out): ten watches used to wait ten times. The first watch is asked,
    # the rest of the run queued with its reason; the next run asks again.
    responses.add(responses.POST, ESEARCH,
                  body=requests.ConnectionError("Connection refused"))
    for name in ("sep", "sbrt", "vp"):
        lib.watches.add(name, f"{name}[tiab]")
    runs = run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    attempts = client().settings.max_retries + 1
    assert len(responses.calls) == attempts  # one request's attempts, not three requests'
    assert [r.queued for r in runs] == [True, True, True]
    assert runs[0].error.startswith("cannot reach PubMed")
    assert "not asked again" not in runs[0].error
    for run in runs[1:]:
        assert run.error == runs[0].error + (
            " (not asked again: an earlier watch of this run found it so)")
    assert all(lib.watches.get(n).queued and lib.watches.get(n).last_success is None
               for n in ("sep", "sbrt", "vp"))
    run_watches(lib, client(), today=lambda: date(2026, 3, 1))
    assert len(responses.calls) == 2 * attempts
