"""Shared set-up for the GUI tests: a small realistic library and a main window over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QClipboard, QGuiApplication
from PySide6.QtWidgets import QTreeWidget
from pytestqt.qtbot import QtBot

from spinelib.gui.importdialog import ImportDialog
from spinelib.gui.jobs import ImportOutcome
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author, ReferenceEntry
from spinelib.settings import Settings
from tests.core.helpers import make_record


def spine_records() -> list[ArticleRecord]:
    """Five articles that cite each other, with one retraction and one erratum."""
    patchell = make_record()
    kypho = make_record(
        title="Balloon kyphoplasty versus non-surgical care for painful vertebral compression "
              "fractures in multiple myeloma: a randomised controlled trial",
        authors=[Author("Berenson", "James", "J"), Author("Pflugmacher", "Robert", "R")],
        journal="Lancet Oncology", journal_abbrev="Lancet Oncol", year=2011, volume="12",
        issue="3", pages="225-235", doi="10.1016/s1470-2045(11)70008-0", pmid="21333599",
        abstract="BACKGROUND: Balloon kyphoplasty relieves pain in myeloma.\n\nMETHODS: "
                 "Patients were randomised to kyphoplasty or non-surgical care.",
        keywords=["balloon kyphoplasty", "multiple myeloma"],
        references=[ReferenceEntry(1, "Patchell RA, et al. Direct decompressive surgical "
                                      "resection. Lancet. 2005;366:643-8.",
                                   doi="10.1016/s0140-6736(05)66954-1", pmid="16112300"),
                    ReferenceEntry(2, "Garland P, et al. Kyphoplasty outcomes. Spine. 2009.",
                                   doi="10.1097/brs.0b013e3181a0b0c1"),
                    ReferenceEntry(3, "A reference with no identifiers at all. 1998.")])
    sbrt = make_record(
        title="Stereotactic body radiotherapy for spinal metastases from renal cell carcinoma",
        authors=[Author("Sahgal", "Arjun", "A"), Author("Lo", "Simon S", "SS")],
        journal="International Journal of Radiation Oncology Biology Physics",
        journal_abbrev="Int J Radiat Oncol Biol Phys", year=2019, doi="10.1016/j.ijrobp.x1",
        pmid="31000001", abstract="Stereotactic body radiotherapy (SBRT) for renal cell "
                                  "carcinoma spinal metastases.",
        keywords=["SBRT"], references=[ReferenceEntry(1, "Patchell 2005.",
                                                      pmid="16112300")])
    retracted = make_record(title="A retracted cement augmentation study of vertebral fractures",
                            authors=[Author("Fraud", "Fred", "F")], year=2015,
                            doi="10.1234/retracted", pmid="25000001", retracted=True,
                            references=[], abstract="")
    erratum = make_record(title="Laminectomy and fusion for thoracic metastases",
                          authors=[Author("Ng", "Ana", "A")], year=2021, doi="10.1234/erratum",
                          pmid="33000001", has_erratum=True, references=[],
                          abstract="Decompressive laminectomy with posterior fixation.")
    return [patchell, kypho, sbrt, retracted, erratum]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "Spine papers.sqlite")
    library.articles.add_records(spine_records())
    yield library
    library.close()


@pytest.fixture
def empty_lib(tmp_path: Path) -> Iterator[Library]:
    """A new library with nothing in it (imports start from here)."""
    library = Library.open(tmp_path / "empty.sqlite")
    yield library
    library.close()


@pytest.fixture
def make_window(qtbot: QtBot) -> Callable[..., MainWindow]:
    """Build a main window over a library and wait until its table and sidebar are loaded."""

    def make(library: Library, settings: Settings | None = None) -> MainWindow:
        # The environment (tests/conftest.py) points every service at 127.0.0.1:9; no retries,
        # so an offline import ends at once.
        win = MainWindow(library, settings or Settings(max_retries=0).with_env())
        qtbot.addWidget(win)
        expected = library.search.count()
        qtbot.waitUntil(lambda: win.model.rowCount() == expected and win.sidebar.data
                        is not None)
        return win

    return make


@pytest.fixture
def window(lib: Library, make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window(lib)


def menu_texts(window: MainWindow, title: str) -> list[str]:
    """The texts of the menu bar's menu ``title`` ("&Edit"), in order."""
    for action in window.menuBar().actions():
        if action.text() == title and action.menu() is not None:
            return [a.text() for a in action.menu().actions()]  # type: ignore[union-attr]
    raise AssertionError(f"no {title} menu")


def article_id(library: Library, pmid: str) -> int:
    return library.articles.resolve_key(pmid)


#: How the Patchell 2005 trial's citation starts in Vancouver, AMA and Spine alike.
PATCHELL_CITED = "Patchell RA, Tibbs PA, Müller J."


def copy_patchell(window: MainWindow, library: Library, qtbot: QtBot,
                  action: QAction) -> tuple[int, QClipboard]:
    """Select the Patchell 2005 trial alone, trigger a copy ``action`` on an empty
    clipboard and wait for its citation there; (its id, the clipboard)."""
    aid = article_id(library, "16112300")
    window.table.select_ids([aid], aid)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    action.trigger()
    qtbot.waitUntil(lambda: clipboard.text().startswith(PATCHELL_CITED))
    return aid, clipboard


def cell(tree: QTreeWidget, row: int, column: int) -> str:
    """The text of a tree widget's top-level item (failing clearly when there is none)."""
    item = tree.topLevelItem(row)
    assert item is not None, f"no row {row}"
    return item.text(column)


def outcome_of(dialog: ImportDialog) -> ImportOutcome:
    """The finished import's outcome (failing clearly while there is none)."""
    assert dialog.outcome is not None, "the import has not finished"
    return dialog.outcome


def wait_loaded(qtbot: QtBot, win: MainWindow, aid: int) -> None:
    """Select ``aid`` and wait until the detail pane shows it."""
    qtbot.waitUntil(lambda: win.model.row_of(aid) is not None)
    win.table.select_ids([aid], aid)
    qtbot.waitUntil(lambda: win.detail.data is not None and win.detail.data.article_id == aid)
