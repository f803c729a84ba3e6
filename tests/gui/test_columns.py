"""The article table's columns: chosen from the header's menu, movable, remembered per
library, the title stretching and whole on hover."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from spinelib.gui.columns import (
    DEFAULT_SHOWN,
    DEFAULT_WIDTHS,
    FIT_DROPS,
    LAST_DROP_BELOW,
    MIN_TITLE_WIDTH,
    column_menu,
)
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.state import WindowState
from spinelib.gui.tablemodel import COLUMNS, TITLE_COLUMN
from spinelib.library import Library
from spinelib.settings import Settings
from tests.core.helpers import make_record

ADDED, RATING, JOURNAL, YEAR, TAGS, FILES = 7, 6, 3, 1, 4, 10


def _window(qtbot: QtBot, lib: Library, state: WindowState, width: int = 1700) -> MainWindow:
    """A window ``width`` wide (the default leaves the title room for every column)."""
    win = MainWindow(lib, Settings(max_retries=0).with_env(), state=state)
    qtbot.addWidget(win)
    win.resize(width, 900)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() == lib.search.count())
    qtbot.wait(10)  # the first layout's column fit runs once the window is laid out
    return win


def _shown(win: MainWindow) -> set[int]:
    header = win.table.horizontalHeader()
    return {c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)}


def test_columns_round_trip_per_library(lib: Library, tmp_path: Path, qtbot: QtBot) -> None:
    state = WindowState(tmp_path / "window.ini")
    win = _window(qtbot, lib, state)
    header = win.table.horizontalHeader()
    assert _shown(win) == DEFAULT_SHOWN
    assert header.sectionResizeMode(TITLE_COLUMN) == QHeaderView.ResizeMode.Stretch
    menu = column_menu(header)
    actions = {a.text(): a for a in menu.actions()}
    assert not actions["Title"].isEnabled()          # the title cannot be hidden
    actions["Journal"].trigger()                     # hide
    actions["Added"].trigger()                       # show
    header.moveSection(header.visualIndex(YEAR), 0)  # the year first
    header.resizeSection(ADDED, 111)
    win.close()  # as quitting does: the state is saved and the library closed

    # No two windows share one open library here: closing either would close it under
    # the other's workers.
    again = _window(qtbot, Library.open(lib.path), WindowState(tmp_path / "window.ini"))
    h2 = again.table.horizontalHeader()
    assert _shown(again) == (DEFAULT_SHOWN - {JOURNAL}) | {ADDED}
    assert h2.logicalIndex(0) == YEAR and h2.sectionSize(ADDED) == 111
    assert h2.sectionResizeMode(TITLE_COLUMN) == QHeaderView.ResizeMode.Stretch
    again.close()

    # Another library keeps its own (default) columns.
    other = Library.open(tmp_path / "other.sqlite")
    other.articles.add_record(make_record())
    third = _window(qtbot, other, WindowState(tmp_path / "window.ini"))
    assert _shown(third) == DEFAULT_SHOWN
    assert third.table.horizontalHeader().logicalIndex(0) == 0


def test_new_columns_show_values_and_the_title_shows_whole_on_hover(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    aid = lib.articles.resolve_key("16112300")
    lib.articles.set_rating(aid, 4)
    window.model.refresh()
    row = window.model.row_of(aid)
    assert row is not None
    # Asking for a cell's text fetches its page (as painting does).
    qtbot.waitUntil(lambda: window.model.index(row, 0).data() is not None
                    and window.model.cached_row(aid) is not None)
    title = window.model.index(row, TITLE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert title.startswith("Direct decompressive surgical resection") and title.endswith(
        "a randomised trial")
    qtbot.waitUntil(lambda: window.model.index(row, ADDED).data() not in (None, ""))
    assert len(window.model.index(row, ADDED).data()) == 10       # YYYY-MM-DD
    assert window.model.index(row, 9).data() == "16112300"
    qtbot.waitUntil(lambda: window.model.index(row, RATING).data() == "★★★★")


def test_a_narrow_first_window_leaves_out_files_then_tags_for_the_title(
        lib: Library, tmp_path: Path, qtbot: QtBot) -> None:
    """At 1280x800 the default columns left the title about 90 px ("Cost-effec…"): a
    first layout drops the Files and then the Tags column while the title would be
    narrower than MIN_TITLE_WIDTH; a remembered layout is never changed."""
    state = WindowState(tmp_path / "window.ini")
    win = _window(qtbot, lib, state, width=1200)
    header = win.table.horizontalHeader()
    assert _shown(win) == DEFAULT_SHOWN - {FILES, TAGS}
    assert header.sectionSize(TITLE_COLUMN) >= MIN_TITLE_WIDTH - 60
    actions = {a.text(): a for a in column_menu(header).actions()}
    actions["Files"].trigger()  # the user brings one back: it stays
    win.close()
    again = _window(qtbot, Library.open(lib.path), WindowState(tmp_path / "window.ini"),
                    width=1200)
    assert _shown(again) == DEFAULT_SHOWN - {TAGS}
    actions = {a.text(): a for a in column_menu(again.table.horizontalHeader()).actions()}
    actions["Reset columns"].trigger()  # the defaults, fitted again
    assert _shown(again) == DEFAULT_SHOWN - {FILES, TAGS}
    again.close()


@pytest.mark.parametrize("width", [1024, 1100, 1200, 1260, 1280, 1320, 1440])
def test_the_first_fit_leaves_out_no_more_than_the_title_needs(
        lib: Library, tmp_path: Path, qtbot: QtBot, width: int) -> None:
    """The fit takes each column's width while it is shown (a hidden section reads 0, which
    once made it drop Tags whenever Files was dropped), and brings Files back when leaving
    out Tags alone gave the title its room: at 1280 the paperclips stay."""
    win = _window(qtbot, lib, WindowState(tmp_path / "window.ini"), width=width)
    header = win.table.horizontalHeader()
    shown = _shown(win)
    others = sum(DEFAULT_WIDTHS[c] for c in shown if c != TITLE_COLUMN)
    room = header.viewport().width()
    dropped = [c for c in FIT_DROPS if c not in shown]
    if JOURNAL not in shown:  # the last resort: the title would have been under 170 px
        assert dropped == list(FIT_DROPS)
        assert room - others - DEFAULT_WIDTHS[JOURNAL] < LAST_DROP_BELOW
        others += DEFAULT_WIDTHS[JOURNAL]  # the others as they were before it went
    elif dropped and room - others < MIN_TITLE_WIDTH:  # everything dropped, still narrow
        assert dropped == list(FIT_DROPS)
    for col in dropped:  # showing any one of them again would squeeze the title
        assert room - others - DEFAULT_WIDTHS[col] < MIN_TITLE_WIDTH
    if width == 1280:  # offscreen at this width the table is about 620 px: Tags only
        assert FILES in shown and TAGS not in shown
    if width == 1024:  # a small laptop: the journal goes too, the title reads (was 30 px)
        assert {FILES, TAGS, JOURNAL}.isdisjoint(shown)
        assert header.sectionSize(TITLE_COLUMN) >= 170
    win.close()
