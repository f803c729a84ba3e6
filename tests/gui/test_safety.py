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


def test_inbox_view_counts_accept_dismiss(lib: Library, make_window: object,
                                          qtbot: QtBot, monkeypatch: object) -> None:
    """The Inbox lists what watches found, dismisses on the write worker and accepts
    through the import pipeline (served here by a stub: no network in tests)."""
    from spinelib.gui import inboxdialog, inboxjobs
    from spinelib.records import ArticleRecord

    watch = lib.watches.add("sep", "q", tag="separation_surgery")
    lib.watches.record_run(watch, [
        ArticleRecord(title=f"Paper {p}", pmid=p, journal="Spine", year=2026,
                      abstract=f"Abstract {p}") for p in ("40000001", "40000002")],
        "2026-03-01")
    accepted: list[list[str]] = []

    def fake_accept(library: Library, _settings: object, idents: list[str]) -> list[str]:
        accepted.append(list(idents))
        library.inbox.mark_accepted(library.inbox.resolve(idents))
        return [f"PMID {i}: imported" for i in idents]

    monkeypatch.setattr(inboxdialog, "accept_items", fake_accept)  # type: ignore[attr-defined]
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    dialog = inboxdialog.open_inbox(window)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 2)
    assert dialog.summary.text().startswith("2 papers waiting from 1 watch")
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    assert "Abstract 40000001" in dialog.abstract.toPlainText()
    dialog.tree.topLevelItem(0).setSelected(True)
    dialog.dismiss_selected()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    dialog.tree.topLevelItem(0).setSelected(True)
    dialog.accept_selected()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)
    assert accepted == [["40000002"]]
    assert [i.pmid for i in lib.inbox.items()] == []
    from datetime import date

    assert not inboxjobs.weekly_run_due(lib, date(2026, 3, 5))
    assert inboxjobs.weekly_run_due(lib, date(2026, 3, 8))  # a week since the last success
    lib.watches.record_failure(lib.watches.get("sep"), "offline", queued=True)
    assert inboxjobs.weekly_run_due(lib, date(2026, 3, 5))  # a run queued while offline


def test_weekly_run_at_start_up_only_when_due(lib: Library, make_window: object,
                                              qtbot: QtBot, monkeypatch: object) -> None:
    from spinelib.gui import inboxdialog, inboxjobs

    calls: list[int] = []

    def fake_run(library: Library, _settings: object) -> list[object]:
        calls.append(1)
        return [inboxjobs.WatchRun("sep", "2026/03/01", "2026/03/08", found=3, added=3)]

    monkeypatch.setattr(inboxjobs, "run_all_watches", fake_run)  # type: ignore[attr-defined]
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    inboxdialog.start_weekly_run(window)  # no watches: nothing is due, nothing runs
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert calls == []
    lib.watches.add("sep", "q")
    inboxdialog.start_weekly_run(window)
    qtbot.waitUntil(lambda: calls == [1])
    qtbot.waitUntil(lambda: "3 new papers in the Inbox" in window.statusBar().currentMessage())


def test_check_retractions_lists_new_flags(lib: Library, make_window: object, qtbot: QtBot,
                                           monkeypatch: object) -> None:
    from PySide6.QtWidgets import QMessageBox

    from spinelib.gui import retractioncheck
    from spinelib.safety_results import CheckReport

    def fake_check(library: Library, _settings: object) -> CheckReport:
        library.retractions.load(iter([rw(2, Nature.CONCERN, pmid="16112300")]))
        return CheckReport(loaded=1, flagged=2, new_keys=[library.articles.citekey(
            article_id(library, "16112300"))])

    shown: list[str] = []
    monkeypatch.setattr(retractioncheck, "check_job", fake_check)  # type: ignore[attr-defined]
    monkeypatch.setattr(QMessageBox, "warning",  # type: ignore[attr-defined]
                        lambda _parent, _title, text: shown.append(text))
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    window.acts.check_retractions.trigger()  # File ▸ Check retractions
    qtbot.waitUntil(lambda: bool(shown))
    key = lib.articles.citekey(article_id(lib, "16112300"))
    assert "1 article(s) newly flagged" in shown[0] and key in shown[0]


def test_evidence_tab_shows_suggestions_and_saves(lib: Library, make_window: object,
                                                  qtbot: QtBot) -> None:
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    aid = article_id(lib, "21333599")  # a randomised trial
    wait_loaded(qtbot, window, aid)
    tab = window.detail.evidence
    qtbot.waitUntil(tab.isEnabled)
    assert tab.level.currentText() == "2" and "randomised trial" in tab.level_reason.text()
    tab.n.setText("134")
    tab.comparator.setText("non-surgical care")
    tab.save_fields()
    qtbot.waitUntil(lambda: tab.n_reason.text() == "confirmed")
    ev = lib.evidence.get(aid)
    assert (ev.n, ev.n_confirmed, ev.comparator) == ("134", True, "non-surgical care")
    assert not ev.level_confirmed and ev.level == "2"  # an untouched suggestion stays one
