"""The first window: title, table over the library, search wired through a worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from spinelib.settings import Settings
from tests.core.helpers import make_record


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    lib = Library.open(tmp_path / "My papers.sqlite")
    lib.articles.add_record(make_record())
    lib.articles.add_record(make_record(doi="10.1234/x", pmid="2", title="Kyphoplasty for myeloma",
                               abstract="Balloon kyphoplasty relieves pain."))
    win = MainWindow(lib, Settings())
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.model.rowCount() == 2)
    return win


def test_title_names_the_library(window: MainWindow) -> None:
    assert window.windowTitle() == "SpineLib — My papers"


def test_rows_are_fetched_lazily(window: MainWindow, qtbot: QtBot) -> None:
    m = window.model
    titles = lambda: {m.index(r, 2).data() for r in range(m.rowCount())}  # noqa: E731
    titles()  # first access asks a worker for the page
    qtbot.waitUntil(lambda: "Kyphoplasty for myeloma" in titles())
    assert [m.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal)
            for c in range(4)] == ["First author", "Year", "Title", "Journal"]


def test_search_field_filters(window: MainWindow, qtbot: QtBot) -> None:
    window.search.setText("kyphopl")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)
    window.search.setText("NEAR((")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=3000)
    window.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=3000)


def test_sorting_is_done_in_sql(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    m = window.model
    titles = lambda: [m.index(r, 2).data() for r in range(m.rowCount())]  # noqa: E731
    direct = "Direct decompressive surgical resection in the treatment of spinal cord " \
             "compression caused by metastatic cancer: a randomised trial"
    kypho = "Kyphoplasty for myeloma"
    # Descending first: the opposite of the order the articles were added in.
    window.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: m.query.sort == "title" and titles() == [kypho, direct])
    window.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: titles() == [direct, kypho])


def test_model_passes_qtmodeltester(window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.model)
