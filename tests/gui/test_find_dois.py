"""The Refs tab's "Find identifiers" (spinelib/gui/citeddoisflow.py): shown when a
reference has no identifier; the search runs on a worker (faked here: the search itself is tested in
tests/core/test_cited_dois.py), what it found is stored and shown, ready to import, and is
one undo step; a failed search says why and leaves the list as it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from spinelib.citeddois import CitedDois
from spinelib.errors import NetworkError
from spinelib.gui import citeddoisflow
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from spinelib.settings import Settings
from tests.gui.conftest import article_id, cell, wait_loaded
from tests.waiting import wait_until

FOUND = "10.1000/found.by.crossref"


def test_found_dois_are_shown_ready_to_import_and_undone_in_one_step(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def search(library: Library, settings: Settings, aid: int,
               **_runner: object) -> CitedDois:
        asked.append(aid)
        citation = library.articles.references(aid)[2].citation
        return CitedDois(without=1, asked=1, found=[(3, citation, FOUND)])

    monkeypatch.setattr(citeddoisflow, "search_job", search)
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    refs = window.detail.references
    assert refs.find_dois.isVisibleTo(refs) and cell(refs.tree, 2, 3) == "—"
    refs.find_dois.click()
    qtbot.waitUntil(lambda: cell(refs.tree, 2, 3) == f"DOI {FOUND}")
    assert asked == [aid]
    assert window.status.bar.currentMessage() == (
        "Found the DOI of 1 of 1 cited works without an identifier.")
    assert not refs.find_dois.isVisibleTo(refs)  # every reference has an identifier now
    with qtbot.waitSignal(window.detail.import_requested) as sig:
        refs.import_all.click()
    assert FOUND in sig.args[0] and sig.args[1] == []  # nothing left without an identifier
    qtbot.waitUntil(lambda: window.undo.undo_action.text() == "&Undo identifiers of cited works")
    window.undo.undo()
    qtbot.waitUntil(lambda: [r.doi for r in lib.articles.references(aid)][2] == "")


def test_a_failed_search_says_why_and_keeps_the_list(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def search(_library: Library, _settings: Settings, _aid: int,
               **_runner: object) -> CitedDois:
        raise NetworkError("cannot reach api.crossref.org (no network?)")

    monkeypatch.setattr(citeddoisflow, "search_job", search)
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    refs = window.detail.references
    qtbot.waitUntil(lambda: refs.find_dois.isVisibleTo(refs) and refs.find_dois.isEnabled())
    refs.find_dois.click()

    def failure_shown() -> None:  # waited for (an assertion: a timeout names the message)
        assert window.status.bar.currentMessage() == (
            "Finding identifiers failed: cannot reach api.crossref.org (no network?)")

    qtbot.waitUntil(failure_shown)
    # The tab is reloaded after the failure on a worker: until it is, the summary still
    # says "Looking up…" and the button (enabled throughout, as "Stop") is not back.
    qtbot.waitUntil(lambda: "3 references" in refs.summary.text()
                    and refs.find_dois.text() == "Find identifiers")
    assert cell(refs.tree, 2, 3) == "—" and refs.find_dois.isEnabled()


def test_the_button_shows_progress_and_stops_the_search_keeping_what_it_found(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def search(library: Library, _settings: Settings, aid: int, *,
               progress: Callable[[int, int, str], None],
               cancelled: Callable[[], bool]) -> CitedDois:
        progress(1, 2, "")  # the first answered; the second is slow
        wait_until(cancelled, what="the search was stopped")
        citation = library.articles.references(aid)[2].citation
        return CitedDois(without=2, asked=1, found=[(3, citation, FOUND)],
                         stopped=cancelled())

    monkeypatch.setattr(citeddoisflow, "search_job", search)
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    refs = window.detail.references
    refs.find_dois.click()
    qtbot.waitUntil(lambda: refs.summary.text().endswith(": 1 of 2…"))
    assert refs.find_dois.text() == "Stop"
    refs.find_dois.click()
    qtbot.waitUntil(lambda: cell(refs.tree, 2, 3) == f"DOI {FOUND}")
    assert window.status.bar.currentMessage() == (
        "Found the DOI of 1 of 2 cited works without an identifier (stopped after 1).")
    assert refs.find_dois.text() == "Find identifiers"


def test_no_button_when_every_reference_has_an_identifier(window: MainWindow, lib: Library,
                                                          qtbot: QtBot) -> None:
    aid = article_id(lib, "31000001")  # its one reference has a PMID
    wait_loaded(qtbot, window, aid)
    refs = window.detail.references
    assert all(cell(refs.tree, i, 3) != "—" for i in range(refs.tree.topLevelItemCount()))
    assert not refs.find_dois.isVisibleTo(refs)
