"""Article ▸ References of the selection… and ▸ Articles citing the selection…
(spinelib/gui/sharedrefsdialog.py): the selected articles' reference lists, or the articles
citing them, as one list of works, the most shared first, the shared ones alone by default;
the new ones imported through the window's import; read again after an import; a held one
opens on double-click."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from spinelib.citingacross import with_holdings
from spinelib.gui import sharedrefsdialog
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.sharedrefsdialog import SharedReferencesDialog, open_shared_references
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sharedrefs import SharedWork, SharedWorks, numbered
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, cell

GARLAND_DOI = "10.1097/brs.0b013e3181a0b0c1"


def test_the_shared_references_of_a_selection(window: MainWindow, lib: Library, qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[list[str]] = []
    monkeypatch.setattr(window.imports, "import_inputs",
                        lambda inputs, failed=(): imported.append(list(inputs)))
    chosen = [article_id(lib, p) for p in ("21333599", "31000001", "25000001")]
    window.table.select_ids(chosen, chosen[0])
    assert window.acts.shared_refs.isEnabled()
    dialog = open_shared_references(window, window.table.selected_ids())
    assert isinstance(dialog, SharedReferencesDialog)  # the window's child, closed below
    qtbot.waitUntil(lambda: dialog.shared is not None)
    assert dialog.windowTitle() == "References of 3 articles"
    # Cited by at least 2 of the 3: Patchell 2005, cited by the kyphoplasty and SBRT papers.
    assert dialog.count() == 1
    assert [cell(dialog.tree, 0, c) for c in (0, 1, 3)] == ["×2", "✓", "PMID 16112300"]
    assert dialog.summary.text() == (
        "3 cited works in 2 reference lists, 1 cited by two or more, 1 in your library "
        "(1 of the chosen articles has no reference list stored); 1 shown.")
    assert not dialog.import_new.isEnabled()  # the one shown is held
    dialog.at_least.setValue(1)
    assert [cell(dialog.tree, i, 3) for i in range(dialog.count())] == [
        "PMID 16112300", f"DOI {GARLAND_DOI}", "—"]
    dialog.import_new.click()
    assert imported == [[GARLAND_DOI]]  # the one without an identifier cannot be fetched
    # A work not in the library opens online on activation (a double-click, or Enter), and
    # its right-click menu is the References tab's.
    online: list[str] = []
    dialog.open_url = lambda url: online.append(url.toString())
    garland = dialog.tree.topLevelItem(1)
    assert garland is not None
    dialog.tree.itemActivated.emit(garland, 0)
    assert online == [f"https://doi.org/{GARLAND_DOI}"]
    menu = dialog.menu_for(garland)
    assert menu is not None and [(a.text(), a.isEnabled()) for a in menu.actions()] == [
        ("Open online", True), ("Open through my library", False), ("Import", True),
        ("Copy citation", True)]
    next(a for a in menu.actions() if a.text() == "Import").trigger()
    assert imported[-1] == [GARLAND_DOI]
    unknown = dialog.menu_for(dialog.tree.topLevelItem(2))
    assert unknown is not None and {a.text(): a.isEnabled() for a in unknown.actions()}[
        "Open online"] is False
    # Once imported (added directly here), the list is read again: Garland is held.
    lib.articles.add_record(make_record(pmid="", doi=GARLAND_DOI, title="Kyphoplasty outcomes"))
    window.imports.library_changed.emit()
    qtbot.waitUntil(lambda: cell(dialog.tree, 1, 1) == "✓")
    assert not dialog.import_new.isEnabled()
    held = dialog.tree.topLevelItem(0)
    assert held is not None
    dialog.tree.itemActivated.emit(held, 0)
    qtbot.waitUntil(lambda: window.table.current_id() == article_id(lib, "16112300"))
    dialog.close()  # deletes it, and it no longer follows imports
    window.imports.library_changed.emit()


def test_nothing_selected_says_so(window: MainWindow, qtbot: QtBot) -> None:
    window.table.select_ids([], None)
    assert open_shared_references(window, []) is None
    assert window.status.bar.currentMessage() == (
        "Select the articles whose references to gather first.")


def test_the_articles_citing_a_selection(window: MainWindow, lib: Library, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Europe PMC's answer (faked at the job: the search is tested in
    tests/core/test_citing_across.py): most shared first, with its counts; after an import
    only the ✓ marks are read again, Europe PMC is not asked twice."""
    asked: list[list[int]] = []
    imported: list[list[str]] = []
    chosen = [article_id(lib, p) for p in ("16112300", "21333599")]

    def job(library: Library, _settings: Settings, ids: list[int], **_runner: object
            ) -> SharedWorks:
        asked.append(list(ids))
        works = [SharedWork(0, "Laufer I. Separation surgery for MESCC. Spine. 2021.", "",
                            "99999990", "", None, tuple(ids), year=2021, cited_by=40),
                 SharedWork(0, "Ng A. Laminectomy and fusion. 2021.", "", "33000001", "",
                            None, (ids[0],), year=2021, cited_by=3)]
        return with_holdings(library, SharedWorks(tuple(ids), numbered(works), (), "citing"))

    monkeypatch.setattr(sharedrefsdialog, "asking_job", job)
    monkeypatch.setattr(window.imports, "import_inputs",
                        lambda inputs, failed=(): imported.append(list(inputs)))
    window.table.select_ids(chosen, chosen[0])
    window.acts.citing_selection.trigger()
    dialog = window.findChild(SharedReferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.shared is not None)
    assert [sorted(a) for a in asked] == [sorted(chosen)]  # in the table's order
    assert dialog.windowTitle() == "Articles citing 2 articles (Europe PMC)"
    assert dialog.at_least.prefix() == "Citing at least "
    assert [cell(dialog.tree, 0, c) for c in (0, 1, 3)] == ["×2", "", "PMID 99999990\ncited by 40"]
    assert dialog.count() == 1  # citing both
    dialog.at_least.setValue(1)
    assert cell(dialog.tree, 1, 1) == "✓"  # the library's Ng 2021
    dialog.import_new.click()
    assert imported == [["99999990"]]
    lib.articles.add_record(make_record(pmid="99999990", doi="", title="Separation surgery"))
    window.imports.library_changed.emit()
    qtbot.waitUntil(lambda: cell(dialog.tree, 0, 1) == "✓")
    assert len(asked) == 1  # the marks were read again, Europe PMC not asked again
    dialog.close()


def test_an_answer_after_close_is_dropped(window: MainWindow, lib: Library, qtbot: QtBot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the dialog while Europe PMC is asked stops the asking and deletes its
    widgets; the answer that arrives afterwards is dropped instead of touching them."""
    gate = threading.Event()
    answered: list[bool] = []

    def job(library: Library, _settings: Settings, ids: list[int], *,
            cancelled: Callable[[], bool], **_runner: object) -> SharedWorks:
        gate.wait(10)
        answered.append(cancelled())  # closing stops the asking
        return SharedWorks(tuple(ids), [], (), "citing")

    monkeypatch.setattr(sharedrefsdialog, "asking_job", job)
    chosen = [article_id(lib, p) for p in ("16112300", "21333599")]
    dialog = open_shared_references(window, chosen, "citing")
    assert dialog is not None
    dialog.close()
    gate.set()
    qtbot.waitUntil(lambda: answered == [True])
    qtbot.wait(50)  # the answer's callback runs on the GUI thread: nothing to raise
    assert dialog.closed and dialog.shared is None


def test_a_huge_union_shows_the_most_shared_rows_only(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten thousand articles' reference lists hold some 235,000 works: the dialog shows the
    most shared few thousand and says how many there are."""
    monkeypatch.setattr(sharedrefsdialog, "MOST_SHOWN", 3)
    works = [SharedWork(0, f"Work {i}", "", str(30000000 + i), "", None,
                        (1, 2) if i < 2 else (1,)) for i in range(5)]
    dialog = SharedReferencesDialog(window, [1, 2], window)
    dialog.at_least.setValue(1)
    dialog.show_shared(SharedWorks((1, 2), numbered(works), ()))
    assert dialog.count() == 3 and cell(dialog.tree, 0, 0) == "×2"
    assert dialog.summary.text().endswith(
        "; the 3 most shared of 5 shown (raise “at least” to narrow them).")
    dialog.at_least.setValue(2)
    assert dialog.count() == 2 and dialog.summary.text().endswith("; 2 shown.")
    dialog.close()
