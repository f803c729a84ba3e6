"""The detail pane puts the abstract first (issue 18): empty notes take one line, notes
with text a few, typing more; the lower part never takes the abstract's room."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, wait_loaded


def test_empty_notes_collapse_and_the_abstract_gets_the_room(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    aid = article_id(lib, "33000001")          # no notes, no suggestions
    wait_loaded(qtbot, window, aid)
    notes = window.detail.reading.notes
    line = notes.fontMetrics().lineSpacing()
    assert notes.height() < 2 * line + 16
    top, bottom = window.detail.details_splitter.sizes()
    lower = window.detail.bottom
    # Its suggestions' rows need some room; never more than they need, never the most.
    assert top >= bottom and bottom <= lower.heightForWidth(lower.width())
    # Notes with text show a few lines; typing gives room to write.
    lib.articles.set_notes(aid, "Line one\nLine two\nLine three")
    window.detail.reload()
    qtbot.waitUntil(lambda: notes.toPlainText().startswith("Line one"))
    qtbot.waitUntil(lambda: notes.height() >= 3 * line)
    resting = notes.height()
    notes.setFocus()
    qtbot.waitUntil(lambda: notes.height() > resting)
    # The formatted citation comes after the abstract ("Cite as"), not before it.
    text = window.detail.browser.toPlainText().lower()
    assert text.index("abstract") < text.index("cite as")


def test_a_suggestion_with_a_long_reason_shows_whole_in_a_narrow_pane(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    """At 1280x800 a suggestion's two-line reason was clipped: the lower part kept the
    height it had before the suggestion rows were laid out, or before the pane narrowed."""
    lib.articles.add_record(make_record(
        title="Cost-effectiveness of open posterior instrumented fusion compared with "
              "non-surgical management for pathological vertebral compression fractures",
        pmid="36000001", doi="10.1000/fusion", abstract="", references=[]))
    window.queries.refresh_all()
    window.resize(1800, 760)
    window.show()
    qtbot.waitExposed(window)
    window.splitter.setSizes([245, 555, 1000])  # wide: every label on one line
    aid = article_id(lib, "36000001")
    wait_loaded(qtbot, window, aid)
    panel = window.detail.tag_panel
    qtbot.waitUntil(lambda: bool(panel.suggestion_rows))
    bottom = window.detail.bottom

    def fits() -> bool:
        need = bottom.heightForWidth(bottom.width())
        return window.detail.details_splitter.sizes()[1] >= need > 0

    qtbot.waitUntil(fits)
    qtbot.wait(300)  # let the pane settle: the table's refresh may load the article again
    # The lower part exactly as high as it needs while wide (as a user could leave it) ...
    split = window.detail.details_splitter
    wide_need = bottom.heightForWidth(bottom.width())
    split.setSizes([sum(split.sizes()) - wide_need, wide_need])
    qtbot.waitUntil(lambda: split.sizes()[1] == wide_need)
    # ... then the pane narrows and the reason wraps: it must grow to show it whole.
    window.splitter.setSizes([245, 1150, 405])
    qtbot.waitUntil(lambda: bottom.width() < 420)
    qtbot.waitUntil(fits)
