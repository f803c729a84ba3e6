"""Offline known at once in the desktop app (issue 18): a failed name lookup queues the
whole batch after one request, the status bar says "Offline — 5 queued", and the marks the
window uses exist in the fonts Debian ships (DejaVu)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import responses
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from pytestqt.qtbot import QtBot

from spinelib.gui.importpreview import STATUS_TEXT
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.statusbar import NETWORK_LABELS
from spinelib.gui.tablemodel import READ_MARKS
from spinelib.library import Library
from spinelib.settings import Settings
from tests.gui.conftest import outcome_of


def test_no_dns_queues_five_after_one_request(lib: Library,
                                              make_window: Callable[..., MainWindow],
                                              qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def no_dns(self: requests.Session, method: str, url: str, **_kw: object) -> None:
        calls.append(url)
        raise requests.exceptions.ConnectionError(
            socket.gaierror(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(requests.Session, "request", no_dns)
    # Four retries allowed, as a real user's settings: none may be used for a DNS failure.
    win = make_window(lib, Settings(max_retries=4).with_env())
    dialog = win.imports.show_import()
    dialog.text.setPlainText("\n".join(str(32100000 + i) for i in range(5)))
    dialog.update_preview()
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert [i.status for i in outcome_of(dialog).report.items] == ["queued"] * 5
    assert len(calls) == 1
    qtbot.waitUntil(lambda: "Offline — 5 queued" in win.statusBar().currentMessage())
    assert "◷ queued (offline)" in {dialog.tree.topLevelItem(0).text(c) for c in range(4)}


def test_status_marks_are_in_dejavu_sans() -> None:
    if "DejaVu Sans" not in QFontDatabase.families():
        pytest.skip("DejaVu Sans is not installed here")
    metrics = QFontMetrics(QFont("DejaVu Sans"))
    marks = [m for m, _ in STATUS_TEXT.values()] + list(READ_MARKS.values()) + [
        label.split()[0] for label in NETWORK_LABELS.values()] + ["★", "☆", "✕", "+", "·"]
    missing = [m for m in marks if m and not all(metrics.inFontUcs4(ord(ch)) for ch in m)]
    assert missing == []


def test_pdfs_dropped_on_a_plane_say_they_wait_to_be_identified(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A PDF that prints no DOI is kept (its article is stored, "imported") and its
    # first-page search queued: the status line and the badge say the import was offline,
    # not a bare "1 imported" beside a badge saying the network was never used.
    from tests.core.test_pdf_heading import LAYOUT
    from tests.pdfmaker import make_pdf

    def no_dns(self: requests.Session, method: str, url: str, **_kw: object) -> None:
        raise requests.exceptions.ConnectionError(
            socket.gaierror(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(requests.Session, "request", no_dns)
    win = make_window(lib, Settings(max_retries=4).with_env())
    pdf = make_pdf(tmp_path / "fisher.pdf", [LAYOUT])
    dialog = win.imports.import_inputs([str(pdf)])
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert [i.status for i in outcome_of(dialog).report.items] == ["imported"]
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith("Offline"))
    assert win.statusBar().currentMessage() == (
        "Offline — 1 PDF to identify; File ▸ Retry pending imports identifies it once the "
        "network is back. Also: 1 imported.")
    assert win.status.network == "offline"
    assert win.status.network_button.text().startswith("○ Offline")
    # The dialog's row says so too, not a plain "✓ imported".
    assert dialog.tree.topLevelItem(0).text(1) == "◷ kept, to identify (offline)"


@responses.activate
def test_pdfs_searched_online_show_the_network_was_reached(lib: Library,
                                                          tmp_path: Path) -> None:
    # Crossref and PubMed answer (nothing found): the import reached the network, so the
    # badge says online, though no identifier was fetched (report.fetched stays 0).
    from spinelib.gui.jobs import run_import
    from tests.core.test_cited_dois import SEARCH, envelope
    from tests.core.test_journal_pages import serve as serve_pubmed
    from tests.core.test_pdf_heading import LAYOUT
    from tests.core.test_resolve_batched import CROSSREF, EUROPEPMC, EUTILS
    from tests.pdfmaker import make_pdf

    responses.add(responses.GET, SEARCH, body=envelope([]))
    serve_pubmed({})
    settings = Settings(email="tests@example.org", eutils_url=EUTILS, crossref_url=CROSSREF,
                        europepmc_url=EUROPEPMC, max_retries=0)
    outcome = run_import(lib, [str(make_pdf(tmp_path / "f.pdf", [LAYOUT]))], settings)
    assert [i.status for i in outcome.report.items] == ["imported"]
    assert outcome.report.fetched == 0 and outcome.report.waiting == 0
    assert outcome.network == "online"


def test_a_retry_is_said_as_a_retry() -> None:
    from spinelib.gui.importflow import import_message
    from spinelib.gui.jobs import ImportOutcome
    from spinelib.import_results import ImportItem, ImportReport
    from spinelib.pdfidentify import Identified
    from spinelib.pendingretry import PendingRetry

    def retry(items: list[ImportItem], identified: list[Identified],
              network: str | None) -> str:
        report = ImportReport(items=items)
        return import_message(ImportOutcome(report, network, PendingRetry(report, identified)))

    found = Identified(1, "kept1", "identified", "identified as fisher2010novel")
    assert retry([ImportItem("1", "imported")], [found], "online") == (
        "Retry pending imports: 1 imported. First-page searches: 1 identified.")
    assert retry([], [found], "online") == (
        "Retry pending imports. First-page searches: 1 identified.")
    assert retry([], [], None) == "Retry pending imports: nothing was waiting."
