"""Issue 14 in the window: PDFs dropped on an article and on the window, the Text tab with
highlighted terms and hit pages, the Files column, Ctrl+O, and "Find available PDFs" against
a fake Europe PMC / Unpaywall on 127.0.0.1 ending in the table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import responses
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.tablemodel import FILES_COLUMN
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sources import openaccess as oa
from tests.fakeserver import FakeServer, Reply
from tests.gui.conftest import article_id, wait_loaded
from tests.pdfmaker import make_pdf, pdf_bytes


def drop(target: QWidget, paths: list[Path], at: QPoint) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def files_cell(window: MainWindow, aid: int) -> str:
    row = window.model.row_of(aid)
    return "" if row is None else str(window.model.index(row, FILES_COLUMN).data() or "")


def test_a_pdf_dropped_on_an_article_is_attached_and_read_in_the_text_tab(
        window: MainWindow, lib: Library, tmp_path: Path, qtbot: QtBot) -> None:
    window.show()
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    tab = window.pdfs.tab
    window.detail.tabs.setCurrentWidget(tab)  # as the surgeon looks at it: laid out
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.article_id == aid)
    # No files: no empty list box above "No full text stored", only the line saying so.
    assert tab.files.isHidden() and tab.files_label.text() == "No files attached"
    rect = window.table.visualRect(window.model.index(window.model.row_of(aid) or 0, 2))
    pdf = make_pdf(tmp_path / "patchell.pdf", ["Title page", "Separation surgery results",
                                               "Discussion of surgery"])
    assert drop(window.table.viewport(), [pdf], rect.center())
    qtbot.waitUntil(lambda: len(lib.attachments.of(aid)) == 1, timeout=10000)
    qtbot.waitUntil(lambda: files_cell(window, aid) == "1", timeout=10000)
    window.search.setText("separation")
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.article_id == aid
                    and tab.data.hit_pages == [2], timeout=10000)
    assert "3 pages" in tab.files.item(0).text()
    assert not tab.files.isHidden() and tab.files_label.text() == "Files (1)"
    qtbot.waitUntil(lambda: tab.files.height() > 2 * tab.files_label.height())  # its lines
    html = tab.text.toHtml()
    # (In the HTML, Qt writes the heading's first letter apart after its page anchor.)
    assert "Page 2 ◀ search hit" in tab.text.toPlainText()
    assert "#ffe066" in html  # the search term is highlighted
    assert window.detail.tabs.indexOf(tab) >= 0
    opened: list[QUrl] = []
    window.pdfs.open_url = opened.append
    window.pdfs.open_action.trigger()
    qtbot.waitUntil(lambda: len(opened) == 1)
    assert Path(opened[0].toLocalFile()) == lib.attachments.of(aid)[0].path
    assert window.pdfs.open_action.shortcut().toString() == "Ctrl+O"


def test_a_pdf_dropped_on_the_window_is_imported_and_kept(window: MainWindow, lib: Library,
                                                          tmp_path: Path, qtbot: QtBot) -> None:
    before = lib.search.count()
    pdf = make_pdf(tmp_path / "scan.pdf", ["An unidentified sacral chordoma series"])
    assert drop(window, [pdf], QPoint(20, 20))
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 1, timeout=10000)
    [kept] = lib.attachments.unidentified()
    assert lib.articles.record(kept).title == "An unidentified sacral chordoma series"
    assert "1 imported" in window.statusBar().currentMessage()


def test_a_folder_of_pdfs_dropped_on_the_window_imports_every_paper(
        window: MainWindow, lib: Library, tmp_path: Path, qtbot: QtBot) -> None:
    """Issue 14's done-when: a surgeon drops a folder of PDFs on the window; every PDF in it
    (sub-folders too) is imported and kept, anything else in the folder is left alone."""
    before = lib.search.count()
    folder = tmp_path / "Journal club"
    (folder / "older").mkdir(parents=True)
    make_pdf(folder / "a.pdf", ["Separation surgery outcomes in renal cell metastases"])
    make_pdf(folder / "older" / "b.PDF", ["Kyphoplasty after SBRT, a cohort"])
    (folder / "notes.txt").write_text("not a paper", encoding="utf-8")
    assert drop(window, [folder], QPoint(20, 20))
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=10000)
    titles = {lib.articles.record(a).title for a in lib.attachments.unidentified()}
    assert titles == {"Separation surgery outcomes in renal cell metastases",
                      "Kyphoplasty after SBRT, a cohort"}


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as s:
        yield s


def test_find_available_pdfs_fills_the_table(lib: Library, tmp_path: Path, qtbot: QtBot,
                                             server: FakeServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real_gate = oa.HostGate
    monkeypatch.setattr("spinelib.pdffind.oa.HostGate", lambda: real_gate(sleep=lambda _s: None))
    settings = Settings(email="t@example.org", max_retries=0).with_env(server.env())
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.model.rowCount() == lib.search.count())
    ids = lib.search.ids()
    server.routes["search"] = Reply(200, json.dumps({"hitCount": 0, "resultList": {
        "result": []}}).encode(), {"Content-Type": "application/json"})
    for aid in ids:
        doi = lib.articles.record(aid).doi
        if doi:
            server.routes[quote(doi, safe="/").rsplit("/", 1)[-1]] = Reply(200, json.dumps({
                "doi": doi, "is_oa": True, "best_oa_location": {
                    "url_for_pdf": f"{server.url}/repo/{aid}.pdf", "version": "acceptedVersion",
                    "host_type": "repository", "license": None},
                "oa_locations": []}).encode(), {"Content-Type": "application/json"})
            server.routes[f"{aid}.pdf"] = Reply(200, pdf_bytes([f"Paper {aid}"]),
                                                {"Content-Type": "application/pdf"})
    win.table.select_ids(ids, ids[0])
    win.pdfs.find_action.trigger()
    qtbot.waitUntil(lambda: bool(win.pdfs.last_outcomes), timeout=20000)
    with_doi = [i for i in ids if lib.articles.record(i).doi]
    assert with_doi and all(lib.attachments.of(i) for i in with_doi), \
        [o.line() for o in win.pdfs.last_outcomes]
    qtbot.waitUntil(lambda: all(files_cell(win, i) == "1" for i in with_doi), timeout=10000)
    assert "downloaded" in win.statusBar().currentMessage()
    assert "Open through my library" not in win.statusBar().currentMessage()
    # A paper with no open copy: the status names the way through the reader's library.
    first = with_doi[0]
    server.routes[quote(lib.articles.record(first).doi, safe="/").rsplit("/", 1)[-1]] = Reply(
        200, json.dumps({"doi": lib.articles.record(first).doi, "is_oa": False,
                         "best_oa_location": None, "oa_locations": []}).encode(),
        {"Content-Type": "application/json"})
    lib.attachments.detach(first, None)
    win.pdfs.last_outcomes = []
    win.pdfs.find([first])
    qtbot.waitUntil(lambda: bool(win.pdfs.last_outcomes), timeout=20000)
    assert win.statusBar().currentMessage() == (
        "Find available PDFs: 1 no open copy. Full text ▸ Open through my library reaches "
        "your institution's copy.")


def test_the_watched_folder_imports_new_pdfs(lib: Library, tmp_path: Path, qtbot: QtBot) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    win = MainWindow(lib, Settings(max_retries=0, watched_folder=str(folder)).with_env())
    qtbot.addWidget(win)
    before = lib.search.count()
    qtbot.waitUntil(lambda: win.model.rowCount() == before)
    make_pdf(folder / "new.pdf", ["Osteosarcoma of the spine: a watched-folder paper"])
    win.pdfs.scan_watched_folder()  # what the folder watcher triggers after a change
    qtbot.waitUntil(lambda: win.model.rowCount() == before + 1, timeout=10000)
    [a] = lib.attachments.all()
    assert a.source == "watched-folder"
    win.statusBar().clearMessage()
    win.pdfs.scan_watched_folder()  # the same file again: not imported twice
    qtbot.waitUntil(lambda: "nothing to import" in win.statusBar().currentMessage(),
                    timeout=10000)
    assert lib.search.count() == before + 1


@responses.activate
def test_identify_pdfs_merges_a_kept_pdf_into_its_record(empty_lib: Library, tmp_path: Path,
                                                         qtbot: QtBot) -> None:
    """Full text ▸ Identify PDFs by their first page, over Crossref and PubMed served by
    ``responses`` (tests/core/test_pdf_first_page.py has the search's own tests)."""
    from spinelib.pdfimport import run_import
    from tests.core.test_pdf_first_page import FISHER_DOI as DOI
    from tests.core.test_pdf_first_page import FISHER_PMID, PAGE, crossref
    from tests.core.test_resolve_batched import CROSSREF, EUROPEPMC, EUTILS, serve_one_article

    pdf = make_pdf(tmp_path / "handout.pdf", [PAGE])
    [kept] = run_import(empty_lib, [str(pdf)], client=None).items
    serve_one_article(FISHER_PMID, DOI, crossref)
    settings = Settings(email="t@example.org", eutils_url=EUTILS, crossref_url=CROSSREF,
                        europepmc_url=EUROPEPMC, max_retries=0)
    win = MainWindow(empty_lib, settings)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)
    win.table.select_ids([kept.article_id or 0], kept.article_id)
    win.pdfs.identify_action.trigger()
    qtbot.waitUntil(lambda: win.statusBar().currentMessage() == "Identify PDFs: 1 identified.",
                    timeout=20000)
    assert empty_lib.attachments.unidentified() == []
    [now] = empty_lib.search.ids()
    assert empty_lib.articles.record(now).pmid == FISHER_PMID
    qtbot.waitUntil(lambda: files_cell(win, now) == "1", timeout=10000)


@responses.activate
def test_identify_pdfs_offline_says_why(empty_lib: Library, tmp_path: Path,
                                        qtbot: QtBot) -> None:
    import requests

    from spinelib.pdfimport import run_import
    from tests.core.test_cited_dois import SEARCH
    from tests.core.test_pdf_first_page import PAGE
    from tests.core.test_resolve_batched import CROSSREF

    responses.add(responses.GET, SEARCH, body=requests.ConnectionError("no route to host"))
    run_import(empty_lib, [str(make_pdf(tmp_path / "handout.pdf", [PAGE]))], client=None)
    win = MainWindow(empty_lib, Settings(crossref_url=CROSSREF, max_retries=0))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)
    win.pdfs.identify([])  # nothing selected: every kept PDF
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith(
        "Identify PDFs: 1 not asked (offline); cannot reach"), timeout=20000)
    assert win.statusBar().currentMessage().endswith(
        "(queued: File ▸ Retry pending imports searches again).")
    assert len(empty_lib.attachments.unidentified()) == 1
