"""The Cited-by tab's "Find citing articles online" (spinelib/gui/citingflow.py,
spinelib/gui/citedbytab.py): Europe PMC's answer (faked here at the job: the search itself
is tested in tests/core/test_citing_articles.py) shown newest first beside the library's
own citing articles, ✓ where held; the new ones imported through the window's import; the
marks read again after an import; a failure said in the tab and the status bar; another
article forgets the answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from spinelib.citingarticles import CitingSearch, mark_held
from spinelib.errors import NetworkError
from spinelib.gui import citingflow
from spinelib.gui.citedbytab import ImportRole
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sources.europepmc_citing import CitingWork, EuropePmcId
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, cell, wait_loaded

#: Europe PMC's list for Patchell 2005, oldest first: Berenson 2011 (in the library), a
#: 2021 paper that is not, a preprint with nothing to fetch it by.
WORKS = [CitingWork("Berenson J. Balloon kyphoplasty versus non-surgical care. Lancet Oncol. "
                    "2011;12(3):225-35.", "Balloon kyphoplasty", 2011, pmid="21333599",
                    source="MED", source_id="21333599", cited_by=2),
         CitingWork("Laufer I, Bilsky MH. Separation surgery for MESCC. Spine. 2021;46:1-9.",
                    "Separation surgery for MESCC", 2021, pmid="99999990", source="MED",
                    source_id="99999990", cited_by=1234),
         CitingWork("Kim J. A preprint on SBRT after separation surgery. 2023.",
                    "A preprint", 2023, source="PPR", source_id="PPR123456")]


def fake_search(found: list[int]) -> Callable[..., CitingSearch]:
    def search(library: Library, _settings: Settings, aid: int) -> CitingSearch:
        found.append(aid)
        return CitingSearch(aid, EuropePmcId("MED", "16112300"), mark_held(library, WORKS), 3)
    return search


def test_found_online_newest_first_beside_the_library_and_imported(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    imported: list[list[str]] = []
    monkeypatch.setattr(citingflow, "search_job", fake_search(asked))
    monkeypatch.setattr(window.imports, "import_inputs",
                        lambda inputs, failed=(): imported.append(list(inputs)))
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    tab = window.detail.cited_by
    qtbot.waitUntil(lambda: tab.count() == 2)  # the library's: Berenson 2011, Sahgal 2019
    assert not tab.import_new.isVisibleTo(tab) and tab.find_online.isVisibleTo(tab)
    tab.find_online.click()
    qtbot.waitUntil(lambda: tab.online is not None)
    assert asked == [aid]
    # Europe PMC's newest first, then the library's citing article it does not list.
    assert [cell(tab.tree, i, 3) for i in range(tab.count())] == [
        "—", "PMID 99999990\ncited by 1,234", "PMID 21333599\ncited by 2", "PMID 31000001"]
    assert [cell(tab.tree, i, 1) for i in range(tab.count())] == ["", "", "✓", "✓"]
    assert [cell(tab.tree, i, 0) for i in range(tab.count())] == ["1", "2", "3", "4"]
    assert tab.summary.text() == (
        "Europe PMC lists 3 articles citing this one, 1 in your library; 1 without a PMID "
        "or DOI cannot be imported (preprints and other sources); those in your library are "
        "marked ✓.")
    assert window.status.bar.currentMessage().startswith("Europe PMC lists 3 articles")
    # The most cited first (the library's own citing article Europe PMC lacks stays last).
    assert tab.order.isVisibleTo(tab)
    tab.order.setCurrentIndex(1)
    assert [cell(tab.tree, i, 3).split("\n")[0] for i in range(tab.count())] == [
        "PMID 99999990", "PMID 21333599", "—", "PMID 31000001"]
    tab.order.setCurrentIndex(0)
    # Import all new: only the one with an identifier that the library lacks.
    assert tab.import_new.isVisibleTo(tab) and tab.import_new.isEnabled()
    tab.import_new.click()
    assert imported == [["99999990"]]
    # Selecting only held or unfetchable rows gives nothing to import.
    tab.tree.clearSelection()
    for row in (0, 2):
        item = tab.item(row)
        assert item is not None
        item.setSelected(True)
    assert not tab.import_selected.isEnabled()
    item = tab.item(1)
    assert item is not None and item.data(0, ImportRole) == "99999990"
    # Not in the library: double-click opens it online (the preprint has nowhere to go).
    online: list[str] = []
    tab.open_url = lambda url: online.append(url.toString())
    tab.tree.itemActivated.emit(item, 0)
    preprint = tab.item(0)
    assert preprint is not None
    tab.tree.itemActivated.emit(preprint, 0)
    assert online == ["https://pubmed.ncbi.nlm.nih.gov/99999990/"]
    # A real double-click opens it once (Qt activates the row after a double-click too).
    window.show()
    qtbot.waitExposed(window)
    window.detail.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.tree.visualItemRect(item).height() > 0)
    at = tab.tree.visualItemRect(item).center()
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert online == ["https://pubmed.ncbi.nlm.nih.gov/99999990/"] * 2
    assert item.toolTip(1) == "Not in your library — double-click to open it online"
    # Right-click: the References tab's menu, for a citing article.
    menu = tab.menu_for(item)
    assert menu is not None and [(a.text(), a.isEnabled()) for a in menu.actions()] == [
        ("Open online", True), ("Open through my library", False), ("Import", True),
        ("Copy citation", True)]
    next(a for a in menu.actions() if a.text() == "Import").trigger()
    assert imported[-1] == ["99999990"]
    window.detail.use_settings(Settings(link_resolver="https://resolver.example.org/openurl"))
    menu = tab.menu_for(item)
    assert menu is not None
    next(a for a in menu.actions() if a.text() == "Open through my library").trigger()
    assert online[-1].startswith("https://resolver.example.org/openurl?url_ver=Z39.88-2004&")
    assert "rft_id=info%3Apmid%2F99999990" in online[-1]
    # Its title and year go too: a resolver matches on them where it lacks the PMID.
    assert "rft.atitle=Separation surgery for MESCC&" in online[-1]  # shown decoded
    assert "rft.date=2021" in online[-1]
    held = tab.menu_for(tab.item(2))  # Berenson 2011, in the library: no Import
    assert held is not None and [a.text() for a in held.actions()] == [
        "Open in your library", "Open online", "Open through my library", "Copy citation"]
    preprint_menu = tab.menu_for(preprint)
    assert preprint_menu is not None and {a.text(): a.isEnabled()
                                          for a in preprint_menu.actions()} == {
        "Open online": False, "Open through my library": False, "Import": False,
        "Copy citation": True}
    item.setSelected(True)
    tab.import_selected.click()
    assert imported[-1] == ["99999990"]
    # Once imported (here added directly), the marks are read again after the import.
    lib.articles.add_record(make_record(pmid="99999990", doi="", title="Separation surgery"))
    window.imports.library_changed.emit()
    qtbot.waitUntil(lambda: cell(tab.tree, 1, 1) == "✓")
    assert not tab.import_new.isEnabled()
    # Double-clicking the held one opens it.
    opened = tab.item(1)
    assert opened is not None
    tab.tree.itemActivated.emit(opened, 0)
    qtbot.waitUntil(lambda: window.table.current_id() == article_id(lib, "99999990"))
    # Another article: the answer is forgotten, the buttons go.
    qtbot.waitUntil(lambda: window.detail.shown_id == article_id(lib, "99999990"))
    assert tab.online is None and not tab.import_new.isVisibleTo(tab)
    assert not tab.order.isVisibleTo(tab)


def test_a_failed_search_says_why_and_keeps_the_library_rows(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def search(_library: Library, _settings: Settings, _aid: int) -> CitingSearch:
        raise NetworkError("cannot reach Europe PMC: the connection failed")

    monkeypatch.setattr(citingflow, "search_job", search)
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    tab = window.detail.cited_by
    qtbot.waitUntil(lambda: tab.count() == 2)
    tab.find_online.click()
    message = "Finding citing articles failed: cannot reach Europe PMC: the connection failed"
    qtbot.waitUntil(lambda: tab.summary.text() == message)
    assert window.status.bar.currentMessage() == message
    assert tab.count() == 2 and tab.find_online.isEnabled() and tab.online is None


def test_no_citing_article_online_is_said_plainly(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def search(_library: Library, _settings: Settings, aid: int) -> CitingSearch:
        return CitingSearch(aid, EuropePmcId("MED", "16112300"), [], 0)

    monkeypatch.setattr(citingflow, "search_job", search)
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    tab = window.detail.cited_by
    qtbot.waitUntil(lambda: tab.count() == 2)
    tab.find_online.click()
    qtbot.waitUntil(lambda: tab.online is not None)
    assert tab.summary.text() == ("Europe PMC lists no article citing this one (asked by "
                                  "PMID 16112300).")
    assert tab.count() == 2 and not tab.import_new.isEnabled()  # the library's own stay


def test_an_empty_list_says_its_note_over_the_list(window: MainWindow, lib: Library,
                                                   qtbot: QtBot) -> None:
    """No citing article: the note is said where the eye is, over the empty list, not in a
    line at the foot of an empty box; with rows it is back under the list."""
    window.show()
    tab = window.detail.cited_by
    # Loaded while the Details tab is in front, as an article usually is: the note is
    # fitted to the list once its tab is shown (it had no size before).
    wait_loaded(qtbot, window, article_id(lib, "31000001"))  # cited by nothing held
    qtbot.waitUntil(lambda: tab._rows is not None)
    window.detail.tabs.setCurrentWidget(tab)
    port = tab.tree.viewport()
    qtbot.waitUntil(lambda: tab.note.overlay.width() == port.width() > 100)
    assert tab.count() == 0
    assert tab.note.overlay.isVisible() and not tab.summary.isVisible()
    assert "No article in your library cites this one" in tab.note.overlay.text()
    assert tab.summary.text().startswith("No article in your library cites this one")
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    qtbot.waitUntil(lambda: tab.count() == 2)
    assert not tab.note.overlay.isVisible() and tab.summary.isVisible()
    # The Refs tab the same way: an article without a reference list, then one with.
    refs = window.detail.references
    window.detail.tabs.setCurrentWidget(refs)
    wait_loaded(qtbot, window, article_id(lib, "33000001"))
    qtbot.waitUntil(lambda: refs.note.overlay.isVisible())
    assert refs.note.overlay.text() == (
        "<p>No reference list stored for this article: Paste list… sets one from the text of "
        "the paper.</p>")
    assert not refs.summary.isVisible()
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    qtbot.waitUntil(lambda: refs.tree.topLevelItemCount() == 2)
    assert refs.summary.isVisible() and not refs.note.overlay.isVisible()
