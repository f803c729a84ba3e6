"""Issue 17's citation counts in the desktop app: a "Cited by" column (offered by the
header's column menu, sortable by a header click, most cited first when descending) and
each source's count, dated, in the detail pane."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from spinelib.gui.columns import DEFAULT_SHOWN, column_menu
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.tablemodel import CITED_COLUMN, COLUMNS
from spinelib.library import Library
from tests.gui.conftest import article_id, wait_loaded


def test_cited_by_column_sorts_and_detail_shows_dated_counts(
        lib: Library, make_window: object, qtbot: QtBot) -> None:
    patchell, other = article_id(lib, "16112300"), article_id(lib, "21333599")
    lib.retractions.record_counts({patchell: {"crossref": 1200, "europepmc": 950},
                                   other: {"europepmc": 3}})
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    window.show()
    assert COLUMNS[CITED_COLUMN] == ("Cited by", "citations")
    header = window.table.horizontalHeader()
    assert CITED_COLUMN not in DEFAULT_SHOWN and header.isSectionHidden(CITED_COLUMN)
    actions = {a.text(): a for a in column_menu(header).actions()}
    actions["Cited by"].trigger()  # chosen from the header's menu
    assert not header.isSectionHidden(CITED_COLUMN)

    # A first click on the header: the most cited first (InitialSortOrderRole).
    x = header.sectionViewportPosition(CITED_COLUMN) + header.sectionSize(CITED_COLUMN) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: window.model.query.sort == "citations"
                    and window.model.query.descending
                    and window.model.ids[:2] == [patchell, other])

    def shown(row: int) -> str:
        qtbot.waitUntil(lambda: window.model.index(row, CITED_COLUMN).data() != "…")
        return str(window.model.index(row, CITED_COLUMN).data() or "")

    qtbot.waitUntil(lambda: shown(0) == "1200")
    assert shown(1) == "3" and shown(len(window.model.ids) - 1) == ""  # never counted
    assert window.model.index(0, CITED_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == \
        "Cited by 1200"

    wait_loaded(qtbot, window, patchell)
    [day] = {c.counted_at[:10] for c in lib.retractions.citation_counts(patchell)}
    text = window.detail.browser.toPlainText()
    assert f"Citations: 1200 (Crossref, {day}) · 950 (Europe PMC, {day})" in text
    wait_loaded(qtbot, window, article_id(lib, "31000001"))
    assert "Citations:" not in window.detail.browser.toPlainText()
