"""Keys in the article table (issue 18): Space toggles read, Enter opens the article online,
Delete asks; every one is listed in Help ▸ Keyboard Shortcuts with the movement keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from spinelib.gui.helpmenu import LibraryLocationDialog, ShortcutsDialog
from spinelib.gui.keyboard import MOVEMENT_ROWS
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library, ReadStatus
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, wait_loaded


def _status(lib: Library, aid: int) -> int:
    return int(lib.articles.state(aid).read_status)


def test_space_toggles_read_and_enter_opens_online(window: MainWindow, lib: Library,
                                                   qtbot: QtBot) -> None:
    window.show()
    qtbot.waitExposed(window)
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: window.model.cached_row(aid) is not None)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _status(lib, aid) == ReadStatus.READ)
    qtbot.waitUntil(lambda: window.model.cached_row(aid).read_status == ReadStatus.READ)
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _status(lib, aid) == ReadStatus.UNREAD)
    opened: list[QUrl] = []
    window.keys.opener = lambda url: opened.append(url) or True
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert [u.toString() for u in opened] == ["https://doi.org/10.1016/s0140-6736(05)66954-1"]
    # Space in the search field types a space; it does not touch the article.
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Space)
    assert window.search.text() == " " and _status(lib, aid) == ReadStatus.UNREAD


def test_enter_opens_a_sici_doi_whole(lib: Library, qtbot: QtBot,
                                      make_window: Callable[..., MainWindow]) -> None:
    # A Cancer (Wiley) paper of 1996: its DOI holds "<>;" and ends in "#".
    doi = "10.1002/(sici)1097-0142(19960815)78:4<874::aid-cncr25>3.0.co;2-#"
    aid = lib.articles.add_record(make_record(doi=doi, pmid="", pmcid="",
                                              title="Spinal metastases: a SICI DOI")).article_id
    window = make_window(lib)
    window.show()
    qtbot.waitExposed(window)
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: window.model.cached_row(aid) is not None)
    opened: list[QUrl] = []
    window.keys.opener = lambda url: opened.append(url) or True
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    [url] = opened
    assert (url.host(), url.fragment(), url.query()) == ("doi.org", "", "")
    assert url.toString(QUrl.ComponentFormattingOption.FullyEncoded) == (
        "https://doi.org/10.1002/(sici)1097-0142(19960815)78:4%3C874::aid-cncr25%3E3.0.co;2-%23")


def test_help_lists_the_table_keys_and_speaks_of_menus(window: MainWindow, tmp_path) -> None:
    dialog = ShortcutsDialog(window.findChildren(QAction), window, extra=MOVEMENT_ROWS)
    rows = dict(dialog.rows)
    assert rows["Toggle read / unread"] == "Space"
    assert rows["Open the article online"].startswith("Return")
    assert rows["Delete"] == "Del"
    assert rows["Previous / next article"] == "Up, Down"
    where = LibraryLocationDialog(tmp_path / "lib.sqlite", window)
    text = " ".join(label.text() for label in where.findChildren(QLabel))
    assert "File ▸ Open library" in text and "--library" not in text
