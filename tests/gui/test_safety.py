"""The detail pane shows issue 17's notices: the current one by its nature, and "cites N
retracted papers" with those references highlighted (loaded on the worker, like the rest)."""

from __future__ import annotations

import responses
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
    assert shown[0].startswith("1 article newly flagged") and key in shown[0]


@responses.activate  # nothing served: every service unreachable, as on a plane
def test_a_check_that_reached_no_source_never_says_nothing_new(
        lib: Library, empty_lib: Library, make_window: object, qtbot: QtBot,
        monkeypatch: object) -> None:
    from PySide6.QtWidgets import QMessageBox

    from spinelib.gui.retractioncheck import check_job, report_text
    from spinelib.settings import Settings

    offline = "Not checked online: no source could be reached (see the notes below)."
    report = check_job(empty_lib, Settings(max_retries=0))
    assert report.reached_nothing
    text = report_text(report)
    assert "No new retractions" not in text
    assert text.splitlines()[:2] == [
        offline, "No Retraction Watch data is stored yet, so nothing was checked."]
    assert "Checked:" not in text
    assert "Note: Retraction Watch data not updated: cannot reach" in text

    # With a data set stored earlier, the library was checked against that copy.
    empty_lib.retractions.load(iter([rw(3, Nature.RETRACTION, doi="10.1000/elsewhere")]))
    again = report_text(check_job(empty_lib, Settings(max_retries=0)))
    assert again.splitlines()[:2] == [offline, (
        "Checked again only against the Retraction Watch data stored earlier (1 entry): "
        "nothing new.")]

    # A flag found offline (the fixture library's retracted paper, by its PubMed notice)
    # is named, with the word that nothing online was reached.
    flagged = report_text(check_job(lib, Settings(max_retries=0))).splitlines()
    assert "newly flagged" in flagged[0] and offline in flagged
    assert not any(line.startswith("No new") for line in flagged)

    # The window says it as a warning, not as good news.
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",  # type: ignore[attr-defined]
                        lambda _parent, _title, text: warned.append(text))
    monkeypatch.setattr(QMessageBox, "information",  # type: ignore[attr-defined]
                        lambda _parent, _title, text: warned.append("information: " + text))
    window: MainWindow = make_window(lib)  # type: ignore[operator]
    window.settings.max_retries = 0
    window.acts.check_retractions.trigger()
    qtbot.waitUntil(lambda: bool(warned), timeout=10000)
    assert offline in warned[0] and not warned[0].startswith("information")


def test_a_partial_check_says_what_it_reached() -> None:
    from spinelib.gui.retractioncheck import report_text
    from spinelib.safety_results import CheckReport

    text = report_text(CheckReport(not_modified=True, crossref_checked=12, flagged=0,
                                   warnings=["PubMed check not done: timed out"]))
    assert text.splitlines() == [
        "No new retractions or expressions of concern in what could be checked (see the "
        "notes below).",
        "Checked: the Retraction Watch data, unchanged since the last download; 12 DOIs "
        "with Crossref.",
        "0 articles flagged in all.",
        "Note: PubMed check not done: timed out"]
    clean = report_text(CheckReport(loaded=1200, crossref_checked=1, pubmed_checked=2,
                                    flagged=1))
    assert clean.splitlines()[:2] == [
        "No new retractions or expressions of concern.",
        "Checked: 1,200 Retraction Watch entries loaded; 1 DOI with Crossref; 2 PMIDs with "
        "PubMed."]


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
