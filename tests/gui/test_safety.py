"""The detail pane shows issue 17's notices: the current one by its nature, and "cites N
retracted papers" with those references highlighted (loaded on the worker, like the rest)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from spinelib.safety_results import Nature, RetractionWatchRow
from tests.gui.conftest import article_id, wait_loaded


def rw(record_id: int, nature: Nature, doi: str = "", pmid: str = "") -> RetractionWatchRow:
    return RetractionWatchRow(record_id, "t", "j", nature, "2024-03-29",
                              ("Concerns/Issues About Data",), "10.9/notice", "", doi, pmid)


def test_notice_banner_and_flagged_references(lib: Library, make_window: object,
                                              qtbot: QtBot) -> None:
    lib.retractions.load(iter([rw(1, Nature.RETRACTION, doi="10.1097/brs.0b013e3181a0b0c1"),
                               rw(2, Nature.CONCERN, pmid="16112300")]))
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    window.show()
    wait_loaded(qtbot, window, article_id(lib, "21333599"))
    text = window.detail.banner.text()
    assert window.detail.banner.isVisible()
    assert "Cites 1 retracted paper and 1 paper under an expression of concern" in text
    assert "(references 1, 2)" in text
    tree = window.detail.references.tree
    marks = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert marks[0].startswith("⚠") and marks[1].startswith("⚠")
    assert not marks[2].startswith("⚠")
    assert tree.topLevelItem(1).toolTip(2).startswith("Retraction:")

    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    text = window.detail.banner.text()
    assert "Expression of concern (2024-03-29)" in text and "retracted" not in text
    wait_loaded(qtbot, window, article_id(lib, "31000001"))  # cites Patchell (a concern)
    assert "1 paper under an expression of concern" in window.detail.banner.text()


def test_exports_warn_about_flagged_articles(lib: Library) -> None:
    from spinelib.gui.jobs import build_export

    lib.retractions.load(iter([rw(2, Nature.CONCERN, pmid="16112300")]))
    out = build_export(lib, None, None, "bibtex")
    key = lib.articles.citekey(article_id(lib, "16112300"))
    assert f"{key} is included but has a notice: Expression of concern (2024-03-29)" \
        in out.problems
