"""Offline known at once (issue 18): when the host's name cannot be looked up, the first
failure queues the whole batch for that service: one request, no back-off, all queued."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import responses

from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sources.http import HttpClient

PMIDS = ["31000011", "31000012", "31000013", "31000014", "31000015"]
DOIS = ["10.1016/j.spinee.2020.01.001", "10.1097/brs.0000000000001234"]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def _no_dns(request: requests.PreparedRequest) -> None:
    raise requests.exceptions.ConnectionError(
        socket.gaierror(-3, "Temporary failure in name resolution"))


@responses.activate
def test_five_pmids_offline_are_queued_after_one_request(lib: Library) -> None:
    responses.add_callback(responses.GET, url=re.compile(r".*"),
                           callback=_no_dns)
    responses.add_callback(responses.POST, url=re.compile(r".*"),
                           callback=_no_dns)
    sleeps: list[float] = []
    client = HttpClient(Settings(max_retries=4), sleep=sleeps.append)
    report = run_import(lib, PMIDS + DOIS, client=client)
    assert [i.status for i in report.items] == ["queued"] * 7
    assert all("looked up" in i.message for i in report.items)
    # One try per service (PubMed, then Crossref for the DOIs PubMed could not answer),
    # never a retry, never a back-off.
    assert len(responses.calls) <= 2
    assert [s for s in sleeps if s >= 1.0] == []
    assert sorted(p.identifier for p in lib.pending.all()) == sorted(PMIDS + DOIS)
    assert lib.search.count() == 0


@responses.activate
def test_offline_an_identifier_already_held_is_named_not_queued(lib: Library) -> None:
    """Importing a paper the library holds, on a plane: it is named (and tagged as asked),
    and neither it nor an older queue entry for it waits in "pending"."""
    from tests.core.helpers import make_record

    held = lib.articles.add_record(make_record(pmid=PMIDS[0], doi=DOIS[0]))
    lib.pending.queue(DOIS[0], "queued before the file import brought it")
    responses.add_callback(responses.GET, url=re.compile(r".*"), callback=_no_dns)
    responses.add_callback(responses.POST, url=re.compile(r".*"), callback=_no_dns)
    lib.tags.create("to read")
    client = HttpClient(Settings(max_retries=1), sleep=lambda _s: None)
    report = run_import(lib, [PMIDS[0], DOIS[0].upper(), PMIDS[1]], client=client,
                        tags=["to read"])
    assert [(i.status, i.citekey) for i in report.items] == [
        ("unchanged", held.citekey), ("unchanged", held.citekey), ("queued", "")]
    assert "not refreshed while offline" in report.items[0].message
    assert [p.identifier for p in lib.pending.all()] == [PMIDS[1]]
    assert "to read" in [t.label for t in lib.tags.state(held.article_id).tags]
    assert lib.search.count() == 1


@responses.activate
def test_offline_an_identifier_in_the_trash_is_queued(lib: Library) -> None:
    """Its article is in the trash: a fetch once online restores it, so it waits in
    "pending" (the held ones above are named instead)."""
    from tests.core.helpers import make_record

    gone = lib.articles.add_record(make_record(pmid=PMIDS[0], doi=DOIS[0]))
    lib.trash.delete([gone.article_id])
    responses.add_callback(responses.GET, url=re.compile(r".*"), callback=_no_dns)
    responses.add_callback(responses.POST, url=re.compile(r".*"), callback=_no_dns)
    client = HttpClient(Settings(max_retries=1), sleep=lambda _s: None)
    report = run_import(lib, [PMIDS[0]], client=client)
    assert [i.status for i in report.items] == ["queued"]
    assert [p.identifier for p in lib.pending.all()] == [PMIDS[0]]
