"""The importer fetches the next round while it stores the current one, and stays cancellable.

No clock is read: the proof of overlap is an event the store of round one waits for (the
fetch of round two starting); run one after the other, it would never come and the store
would record that it waited in vain.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from spinelib import importer
from spinelib.identifiers import Identifier, parse_identifier
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from spinelib.settings import Settings
from spinelib.sources import resolve_indirect
from spinelib.sources.http import HttpClient
from spinelib.sources.resolve import Resolution


def record(pmid: str) -> ArticleRecord:
    return ArticleRecord(title=f"Separation surgery outcome {pmid}", year=2020,
                         authors=[Author(family="Laufer", given="Ilya")], pmid=pmid,
                         journal="Spine", source="pubmed")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib.sqlite")
    yield lib  # type: ignore[misc]
    lib.close()


def test_next_round_is_fetched_while_this_one_is_stored(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    fetch_two_started = threading.Event()
    fetched: list[list[str]] = []
    waited_in_vain: list[bool] = []

    def fake_resolve(client: HttpClient, idents: Sequence[Identifier], **kw: Any
                     ) -> list[Resolution]:
        fetched.append([i.value for i in idents])
        if len(fetched) == 2:
            fetch_two_started.set()
        return [Resolution(i, "found", record(i.value)) for i in idents]

    add_records = library.articles.add_records

    def slow_store(records: list[ArticleRecord], **kw: Any) -> Any:
        if not waited_in_vain:  # the first round's store: is round two being fetched?
            waited_in_vain.append(not fetch_two_started.wait(timeout=30))
        return add_records(records, **kw)

    monkeypatch.setattr(resolve_indirect, "resolve_indirect", fake_resolve)
    monkeypatch.setattr(library.articles, "add_records", slow_store)
    seen: list[int] = []
    pmids = [parse_identifier(str(30_000_000 + i)) for i in range(450)]
    items = importer.import_identifiers(
        library, pmids, client=HttpClient(Settings()),
        progress=lambda done, total, what: seen.append(done))
    assert waited_in_vain == [False]
    assert [len(f) for f in fetched] == [200, 200, 50]
    assert [i.status for i in items] == ["imported"] * 450
    assert library.search.count() == 450
    assert seen == sorted(seen) and seen[-1] == 450  # never backwards, ends at the total


def test_cancel_between_rounds_keeps_what_was_stored(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()

    def fake_resolve(client: HttpClient, idents: Sequence[Identifier], *,
                     cancelled: Callable[[], bool] | None = None, **kw: Any
                     ) -> list[Resolution]:
        if cancelled and cancelled():
            return [Resolution(i, "cancelled", message="cancelled") for i in idents]
        return [Resolution(i, "found", record(i.value)) for i in idents]

    add_records = library.articles.add_records

    def store_then_cancel(records: list[ArticleRecord], **kw: Any) -> Any:
        out = add_records(records, **kw)
        stop.set()  # the user presses Cancel while the first round is stored
        return out

    monkeypatch.setattr(resolve_indirect, "resolve_indirect", fake_resolve)
    monkeypatch.setattr(library.articles, "add_records", store_then_cancel)
    pmids = [parse_identifier(str(30_000_000 + i)) for i in range(600)]
    items = importer.import_identifiers(library, pmids, client=HttpClient(Settings()),
                                        cancelled=stop.is_set)
    statuses = [i.status for i in items]
    assert statuses[:200] == ["imported"] * 200
    assert set(statuses[200:]) == {"cancelled"} and len(statuses) == 600
    assert library.search.count() == 200
