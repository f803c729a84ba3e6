"""Importing from the GUI: preview before fetching, background import against a local
server (127.0.0.1) ending in the table, Cancel, offline queueing and retry, a window that
keeps repainting through 1,000 identifiers, and files dropped onto the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spinelib.gui.importdialog import ImportDialog
from spinelib.gui.importpreview import FILE_FILTER, preview_rows
from spinelib.gui.mainwindow import MainWindow
from spinelib.import_results import HeldArticle
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sources import http
from tests.core.helpers import make_record
from tests.fakeserver import FakeServer, Reply
from tests.gui.conftest import cell, outcome_of

BIB = """@article{smith2020sbrt,
  author = {Smith, Anna and M{\\"u}ller, J{\\"u}rgen},
  title = {Stereotactic body radiotherapy for spinal metastases},
  journal = {Spine},
  year = {2020},
  volume = {45},
  pages = {1--9},
  doi = {10.5555/bib.0001}
}
@article{jones2019kypho,
  author = {Jones, Brian},
  title = {Balloon kyphoplasty for myeloma fractures},
  journal = {Eur Spine J},
  year = {2019},
  doi = {10.5555/bib.0002}
}
"""


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "BACKOFF_BASE", 0.05)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as s:
        yield s


def settings_for(server: FakeServer) -> Settings:
    return Settings(max_retries=1, connect_timeout=2.0, read_timeout=5.0).with_env(server.env())


def test_preview_recognises_each_line_before_fetching(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    rows = preview_rows("\n".join([
        "10.1016/S0140-6736(05)66954-1",
        "PMID: 16112300",
        "see https://pubmed.ncbi.nlm.nih.gov/21333599/ and PMC3159364",
        "just some words",
        str(bib),
        str(tmp_path / "missing.ris"),
        "",
    ]))
    seen = [(r.given, r.recognised, r.input is not None) for r in rows]
    assert ("10.1016/S0140-6736(05)66954-1", "DOI 10.1016/s0140-6736(05)66954-1", True) in seen
    assert ("PMID: 16112300", "PMID 16112300", True) in seen
    assert any(r.recognised == "PMID 21333599" for r in rows)
    assert any(r.recognised == "PMCID PMC3159364" for r in rows)
    assert (str(bib), "file refs.bib", True) in seen
    words = [r for r in rows if r.given == "just some words"][0]
    # The reason without the line it quotes: the row shows the line beside it.
    assert (words.input, words.recognised) == (None, "not a DOI, PMID or PMCID")
    similar, = preview_rows("pubmed.ncbi.nlm.nih.gov/?linkname=pubmed_pubmed&from_uid=16112300")
    assert similar.input is None and similar.recognised.startswith(
        "PubMed's Similar articles of PMID 16112300: import that article")
    missing = [r for r in rows if r.given.endswith("missing.ris")][0]
    assert missing.input is None and "no such file" in missing.recognised


def test_a_pasted_pdf_or_folder_imports_as_the_command_line_does(
        empty_lib: Library, make_window: Callable[..., MainWindow], tmp_path: Path,
        qtbot: QtBot) -> None:
    """A PDF path pasted into the dialog failed ("not a text file (it looks like a PDF
    document)"), and a folder was "not a DOI, PMID or PMCID"; both now import as
    ``spinelib import`` does. A path that names nothing says so."""
    from tests.pdfmaker import make_pdf

    folder = tmp_path / "congress"
    (folder / "day 2").mkdir(parents=True)
    make_pdf(folder / "day 2" / "a.pdf", ["Giant cell tumour of the sacrum"])
    single = tmp_path / "single.pdf"
    make_pdf(single, ["Chordoma of the clivus"])
    (tmp_path / "no pdfs").mkdir()
    rows = preview_rows(f"{folder}\n{single}\n{tmp_path / 'no pdfs'}\n{tmp_path / 'gone'}")
    assert [(r.recognised, r.input is not None) for r in rows] == [
        ("folder congress: 1 PDF", True), ("file single.pdf", True),
        ("a folder without a PDF in it", False),
        (f"no such file or folder: {tmp_path / 'gone'}", False)]
    win = make_window(empty_lib)
    dialog = win.imports.show_import()
    dialog.text.setPlainText(f"{folder}\n{single}")
    dialog.update_preview()
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert outcome_of(dialog).report.counts() == {"imported": 2}
    qtbot.waitUntil(lambda: win.model.rowCount() == 2)
    assert len(empty_lib.attachments.all()) == 2
    # "Add files…" offers PDFs and other libraries as well as every reference file the
    # import reads.
    from spinelib.formats.registry import IMPORT_SUFFIXES

    offered = FILE_FILTER.split("(")[1].split(")")[0].split()
    assert offered == [f"*{s}" for s in IMPORT_SUFFIXES] + ["*.pdf", "*.sqlite"]


def test_the_dialogs_import_reads_pdfs_under_the_users_settings(empty_lib: Library,
                                                                tmp_path: Path) -> None:
    """The dialog's job (which PDFs dropped on the window use too) reads a PDF's text
    within Preferences' page cap, as ``spinelib import`` does."""
    from spinelib.gui import jobs
    from tests.pdfmaker import make_pdf

    pdf = make_pdf(tmp_path / "long.pdf", ["Chordoma of the clivus", "page two", "page three"])
    outcome = jobs.run_import(empty_lib, [str(pdf)], Settings(pdf_max_pages=1, max_retries=0))
    assert outcome.report.counts() == {"imported": 1}
    (attached,) = empty_lib.attachments.all()
    assert attached.text_status == "text of 1 of 3 pages"
    assert len(empty_lib.attachments.text(attached.article_id)) == 1


def test_dialog_preview_and_skip_marks(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.imports.show_import()
    dialog.text.setPlainText("16112300\nnot an id\n10.1234/abc")
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 3)
    assert dialog.inputs() == ["16112300", "10.1234/abc"]
    assert cell(dialog.tree, 1, 2) == "will be skipped"
    quiet = dialog.palette().color(QPalette.ColorRole.PlaceholderText)
    assert dialog.tree.topLevelItem(1).foreground(2).color() == quiet  # a note, not a result
    summary = dialog.summary.text()  # "(1 already in your library)" once looked up
    assert summary.startswith("2 to import") and summary.endswith(", 1 not recognised")
    assert dialog.import_button.isEnabled()
    dialog.text.setPlainText("nothing here")
    qtbot.waitUntil(lambda: not dialog.import_button.isEnabled())
    # Nothing to fetch in it: where such an article goes in (a guideline's name, say).
    assert dialog.summary.text() == ("0 to import, 1 not recognised — one without a DOI or "
                                     "PMID (a guideline, an abstract) is typed in with File "
                                     "▸ New article…")


def test_preview_says_which_identifiers_the_library_holds(window: MainWindow, lib: Library,
                                                         qtbot: QtBot) -> None:
    """Looked up on a worker once the preview is shown: the held rows say where they are
    (importing them refreshes or restores that article, never adds a second)."""
    patchell = lib.articles.resolve_key("16112300")
    fraud = lib.articles.resolve_key("25000001")
    lib.trash.delete([fraud])
    dialog = window.imports.show_import()
    dialog.text.setPlainText("PMID: 16112300\n10.1234/new\n"
                             "https://doi.org/10.1234/RETRACTED\nnot an id")
    qtbot.waitUntil(lambda: cell(dialog.tree, 0, 2) != "")
    assert cell(dialog.tree, 0, 2) == f"in your library: {lib.articles.citekey(patchell)}"
    assert cell(dialog.tree, 1, 2) == ""  # not held: nothing to say before the import
    assert cell(dialog.tree, 2, 2) == f"in the Trash: {lib.trash.entries()[0].citekey} (restored)"
    assert cell(dialog.tree, 3, 2) == "will be skipped"
    assert dialog.summary.text() == ("3 to import (2 already in your library), "
                                     "1 not recognised")
    assert dialog.import_button.isEnabled()  # held rows are still imported (refreshed)

    # Edited meanwhile: a late answer for the old text never marks the new rows.
    dialog.text.setPlainText("10.1234/new\n16112300")
    dialog.update_preview()
    stale = {r.identifier: r for r in dialog.rows}
    dialog.lookups._show_held(dialog.lookups.serial - 1,
                              {i: HeldArticle(0, "stale", False) for i in stale if i is not None})
    assert cell(dialog.tree, 0, 2) == ""
    qtbot.waitUntil(lambda: cell(dialog.tree, 1, 2) != "")
    assert cell(dialog.tree, 0, 2) == ""
    assert dialog.summary.text() == "2 to import (1 already in your library)"


def test_preview_counts_what_an_added_file_holds(window: MainWindow, lib: Library,
                                                 tmp_path: Path, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An added .bib or list of DOIs is read on a worker: its entries counted, those the
    library holds apart; an unreadable file says so; a file too large is left to the
    import (nothing is read for it)."""
    bib = tmp_path / "colleague.bib"
    bib.write_text(BIB.replace("10.5555/bib.0002", "10.1016/S0140-6736(05)66954-1"),
                   encoding="utf-8")
    dois = tmp_path / "dois.txt"
    dois.write_text("10.1234/one\n10.1234/two\nPMID 21333599\n", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "unfinished"', encoding="utf-8")
    big = tmp_path / "big.ris"
    big.write_text("".join(f"TY  - JOUR\nTI  - Big {n}\nDO  - 10.1234/big{n}\nER  - \n"
                           for n in range(40)), encoding="utf-8")
    monkeypatch.setattr("spinelib.gui.importpreview.COUNTED_FILE_MAX_BYTES",
                        big.stat().st_size - 1)
    for f in (bib, dois, broken):
        assert f.stat().st_size < big.stat().st_size, "the fixture files must be small"
    dialog = window.imports.show_import()
    dialog.add_paths([bib, dois, broken, big])
    qtbot.waitUntil(lambda: cell(dialog.tree, 0, 2) != "")
    assert cell(dialog.tree, 0, 1) == "BibTeX file, 2 entries"
    assert cell(dialog.tree, 0, 2) == "1 in your library, 1 new"
    assert cell(dialog.tree, 1, 1) == "list of 3 identifiers"
    assert cell(dialog.tree, 1, 2) == "1 in your library, 2 new"
    assert cell(dialog.tree, 2, 2).startswith("cannot be imported: ")
    assert cell(dialog.tree, 3, 2) == ""  # too large to read for a preview
    assert cell(dialog.tree, 3, 1) == "file big.ris"
    # A Mendeley export: what its folders and tags would become is said before importing.
    from tests.core.test_bibtex_groups import MENDELEY

    mendeley = tmp_path / "mendeley.bib"
    mendeley.write_text(MENDELEY, encoding="utf-8")
    dialog.add_paths([mendeley])
    qtbot.waitUntil(lambda: cell(dialog.tree, 4, 2) != "")
    assert cell(dialog.tree, 4, 2) == ("1 in your library, 1 without DOI, PMID or PMCID; its "
                                       "groups: 4 reading lists; its tags: 2")


def test_preview_says_what_a_pdf_is_before_importing_it(window: MainWindow, lib: Library,
                                                         tmp_path: Path, qtbot: QtBot) -> None:
    """A PDF added to the dialog is read on a worker (its first pages): the paper of the
    DOI it prints, held or new; a file that is no PDF says so before the import."""
    from tests.pdfmaker import make_pdf

    held = make_pdf(tmp_path / "patchell.pdf", ["Lancet trial\ndoi:10.1016/S0140-6736(05)"
                                                "66954-1"])
    html = tmp_path / "saved.pdf"
    html.write_text("<html><body>Sign in to read</body></html>", encoding="utf-8")
    unknown = make_pdf(tmp_path / "handout.pdf", ["Course handout on sacral chordoma"])
    dialog = window.imports.show_import()
    dialog.add_paths([held, html, unknown])
    qtbot.waitUntil(lambda: cell(dialog.tree, 0, 2) != "" and cell(dialog.tree, 1, 2) != "")
    assert cell(dialog.tree, 2, 1) == ("a PDF without a DOI or PMID (searched for by its "
                                       "first page when imported)")
    key = lib.articles.citekey(lib.articles.resolve_key("16112300"))
    assert cell(dialog.tree, 0, 1) == (f"a PDF of DOI 10.1016/s0140-6736(05)66954-1 (found "
                                       f"in page 1), in your library as {key}")
    assert cell(dialog.tree, 0, 2) == "1 in your library"
    assert cell(dialog.tree, 1, 2) == ("cannot be imported: not a PDF: it is an HTML page, "
                                       "not a PDF")


def test_preview_names_a_library_the_merge_would_refuse(window: MainWindow, lib: Library,
                                                        tmp_path: Path, qtbot: QtBot) -> None:
    """This very library (or an SQLite file that is none) is refused before the import;
    another library keeps its row (what it holds is known once merged)."""
    other = tmp_path / "fellow.sqlite"
    with Library.open(other) as fellow:
        fellow.articles.add_record(make_record(doi="10.1000/fellow", pmid="2002"))
    dialog = window.imports.show_import()
    dialog.add_paths([lib.path, other])
    qtbot.waitUntil(lambda: cell(dialog.tree, 0, 2) != "")
    assert cell(dialog.tree, 0, 2) == "cannot be imported: is this library itself"
    assert cell(dialog.tree, 1, 1) == "SpineLib library (merged in)"
    assert cell(dialog.tree, 1, 2) == ""


def test_background_import_ends_in_the_table(server: FakeServer, empty_lib: Library,
                                             make_window: Callable[..., MainWindow],
                                             qtbot: QtBot) -> None:
    server.add_pubmed(["31000001", "31000002"])
    win = make_window(empty_lib, settings_for(server))
    dialog = win.imports.show_import()
    dialog.text.setPlainText("PMID: 31000001\nhttps://pubmed.ncbi.nlm.nih.gov/31000002/\n"
                             "31999999\nrandom words\n")
    dialog.update_preview()
    dialog.start_import()
    assert dialog.running and dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    report = outcome_of(dialog).report
    assert {i.given: i.status for i in report.items} == {
        "PMID: 31000001": "imported", "https://pubmed.ncbi.nlm.nih.gov/31000002/": "imported",
        "31999999": "not_found", "random words": "failed"}
    assert "2 imported, 1 not found, 1 failed" in dialog.summary.text()
    assert cell(dialog.tree, 0, 1) == "✓ imported"
    qtbot.waitUntil(lambda: win.model.rowCount() == 2)
    assert win.status.network == "online" and "Online" in win.status.network_button.text()


def test_a_dropped_word_reference_list_is_fetched(server: FakeServer, empty_lib: Library,
                                                  make_window: Callable[..., MainWindow],
                                                  tmp_path: Path, qtbot: QtBot) -> None:
    server.add_pubmed(["31000001", "31000002"])
    win = make_window(empty_lib, settings_for(server))
    word = tmp_path / "reading for Monday.docx"
    document = docx.Document()
    document.add_paragraph("Reading for Monday")
    document.add_paragraph("1. Sahgal A, et al. PMID: 31000001")
    document.add_paragraph("2. https://pubmed.ncbi.nlm.nih.gov/31000002/")
    document.save(str(word))
    dialog = _import_by_drop(win, word, qtbot)
    report = outcome_of(dialog).report
    assert report.counts() == {"imported": 2} and report.fetched == 2
    assert report.items[0].given == "reading for Monday.docx: PMID: 31000001"
    assert "1 line without a DOI, PMID, PMCID or article link skipped" in dialog.summary.text()
    qtbot.waitUntil(lambda: win.model.rowCount() == 2)
    assert win.status.network == "online"


def test_offline_import_is_queued_then_retried(server: FakeServer, empty_lib: Library,
                                               make_window: Callable[..., MainWindow],
                                               qtbot: QtBot) -> None:
    server.add_pubmed(["31000005"])
    win = make_window(empty_lib)  # services at 127.0.0.1:9: nothing answers
    dialog = win.imports.show_import()
    dialog.text.setPlainText("31000005")
    dialog.update_preview()
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert [i.status for i in outcome_of(dialog).report.items] == ["queued"]
    qtbot.waitUntil(lambda: win.status.pending_count == 1)
    badge = win.status.network_button.text()
    assert "Offline" in badge and "1 pending" in badge
    # Back online: Retry pending fetches it.
    win.settings = settings_for(server)
    win.acts.retry.trigger()
    qtbot.waitUntil(lambda: win.model.rowCount() == 1, timeout=20000)
    qtbot.waitUntil(lambda: win.status.pending_count == 0)
    assert win.status.network == "online"


def test_cancel_keeps_what_is_done(server: FakeServer, empty_lib: Library,
                                   make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    pmids = [str(32000000 + i) for i in range(450)]
    server.add_pubmed(pmids)
    server.script("efetch", Reply.slow(0.6), Reply.slow(0.6), Reply.slow(0.6))
    win = make_window(empty_lib, settings_for(server))
    dialog = win.imports.show_import()
    dialog.text.setPlainText("\n".join(pmids))
    dialog.update_preview()
    dialog.start_import()
    qtbot.waitUntil(lambda: len(server.requests_to("efetch")) >= 1, timeout=10000)
    dialog.cancel_import()
    assert "Cancelling" in dialog.summary.text()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    counts = outcome_of(dialog).report.counts()
    assert counts.get("cancelled", 0) > 0
    assert sum(counts.values()) == 450
    assert empty_lib.search.count() == counts.get("imported", 0) < 450


class EventLoopWitness(QObject):
    """Counts what the GUI thread did while an import ran: timer ticks (the event loop
    turned), paint events on the window (it repainted) and progress reports (delivered)."""

    def __init__(self, window: QWidget, running: Callable[[], bool]) -> None:
        super().__init__()
        self.running = running
        self.ticks = 0
        self.paints = 0
        self.progress: list[int] = []
        #: Paints after the first progress report, before the import ended.
        self.paints_after_first_progress = 0
        window.installEventFilter(self)
        self.window = window
        self.timer = QTimer(self, interval=20)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        if self.running():
            self.ticks += 1
            self.window.update()  # a paint the loop must get round to

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and self.running():
            self.paints += 1
            if self.progress:
                self.paints_after_first_progress += 1
        return False

    def progressed(self, done: int, _total: int, _what: str) -> None:
        if self.running():
            self.progress.append(done)


def test_window_repaints_during_a_1000_identifier_import(
        server: FakeServer, empty_lib: Library, make_window: Callable[..., MainWindow],
        qtbot: QtBot) -> None:
    pmids = [str(33000000 + i) for i in range(1000)]
    server.add_pubmed(pmids, abstract_sentences=1)
    win = make_window(empty_lib, settings_for(server))
    win.show()
    qtbot.waitExposed(win)
    dialog = win.imports.dialog()
    witness = EventLoopWitness(win, running=lambda: dialog.outcome is None)
    dialog.progress_changed.connect(witness.progressed)
    witness.timer.start()
    win.imports.import_inputs(pmids)
    assert dialog.running
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=50000)
    witness.timer.stop()
    assert outcome_of(dialog).report.counts() == {"imported": 1000}
    # Never blocked, shown by what happened while the import ran (no clock involved): the
    # event loop kept turning and the window kept repainting, also after the first records
    # came in, and progress arrived step by step. The longest stall is measured by the
    # benchmark (benchmarks/gui_scenarios.py, gui_stall_import_1000).
    # How many 20 ms ticks fit in the run depends on the machine (a loaded one ran it with
    # 4): a blocked loop gives none or one, so two are the proof, as are two paints.
    assert witness.ticks >= 2, witness.ticks
    assert witness.paints >= 2, witness.paints
    assert witness.paints_after_first_progress >= 1
    assert len(set(witness.progress)) >= 3, witness.progress
    assert witness.progress == sorted(witness.progress) and witness.progress[-1] == 1000
    qtbot.waitUntil(lambda: win.model.rowCount() == 1000)


def _drop_files(target: QWidget, paths: list[Path]) -> bool:
    """Drag ``paths`` in over ``target`` and drop them (events go up to whoever accepts)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def _import_by_drop(window: MainWindow, path: Path, qtbot: QtBot) -> ImportDialog:
    """Drop ``path`` on the article list and wait for the import dialog it opens to finish."""
    window.show()
    assert _drop_files(window.table.viewport(), [path])
    dialog = window.imports.dialogs[-1]
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    return dialog


def test_dropping_a_bib_file_imports_it(window: MainWindow, lib: Library, tmp_path: Path,
                                        qtbot: QtBot) -> None:
    bib = tmp_path / "from colleague.bib"
    bib.write_text(BIB, encoding="utf-8")
    before = lib.search.count()
    # Dropped on the article list: the table does not take files, the window does.
    dialog = _import_by_drop(window, bib, qtbot)
    assert outcome_of(dialog).report.counts() == {"imported": 2}
    assert outcome_of(dialog).network is None  # files need no network
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2)
    assert lib.articles.resolve_key("smith2020sbrt")


def test_the_dialog_imports_into_a_chosen_reading_list(window: MainWindow, lib: Library,
                                                       tmp_path: Path, qtbot: QtBot) -> None:
    """The lists are read on a worker when the dialog is shown; the one chosen gets every
    imported article, and the report's summary says how many."""
    lib.lists.create("Grant background")
    bib = tmp_path / "colleague.bib"
    bib.write_text(BIB, encoding="utf-8")
    dialog = window.imports.show_import()
    qtbot.waitUntil(lambda: dialog.list_box.findData("Grant background") >= 0)
    assert dialog.list_box.currentText() == "(none)"  # nothing added unless chosen
    dialog.list_box.setCurrentIndex(dialog.list_box.findData("Grant background"))
    dialog.add_paths([bib])
    dialog.start_import()
    assert not dialog.list_box.isEnabled()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert outcome_of(dialog).report.listed == {"Grant background": 2}
    assert "2 added to the reading list 'Grant background'" in dialog.summary.text()
    listed = [lib.articles.citekey(i) for i in lib.lists.items("Grant background")]
    assert listed == ["smith2020sbrt", "jones2019kypho"]
    assert dialog.list_box.isEnabled()


def test_an_import_of_a_look_alike_points_to_duplicates(window: MainWindow, lib: Library,
                                                         tmp_path: Path, qtbot: QtBot) -> None:
    # Patchell's trial again from a colleague's .bib, without DOI or PMID: imported beside
    # the PubMed record (only identifiers merge), and the report says where to merge them.
    bib = tmp_path / "colleague.bib"
    bib.write_text("@article{p, author = {Patchell, Roy}, year = {2005}, journal = {Lancet},\n"
                   "  title = {Direct decompressive surgical resection in the treatment of "
                   "spinal cord compression caused by metastatic cancer: a randomised trial}}\n",
                   encoding="utf-8")
    dialog = window.imports.dialog()
    previews: list[int] = []  # the preview each lookup answers for (its serial)
    start_lookups = dialog.lookups.start
    dialog.lookups.start = lambda rows: (start_lookups(rows),  # type: ignore[method-assign]
                                         previews.append(dialog.lookups.serial))
    assert _import_by_drop(window, bib, qtbot) is dialog  # the idle dialog, reused
    report = outcome_of(dialog).report
    assert report.look_alikes == [lib.articles.resolve_key("p")]
    assert cell(dialog.tree, 0, 1) == "✓ imported (look-alike)"
    # The preview's count of the file, answering only now (a slow worker), leaves the
    # import's result as it is (it once wrote "BibTeX file, 1 entry" over it).
    from spinelib.importcheck import check_import

    dialog.lookups._show_counts(previews[-1], check_import(lib, [str(bib)]))
    assert cell(dialog.tree, 0, 1) == "✓ imported (look-alike)"
    assert dialog.summary.text() == (
        "Done: 1 imported.\n• 1 imported article looks like another in the library (same "
        "title, year and first author): Edit ▸ Duplicates… to merge or dismiss.")
    qtbot.waitUntil(lambda: "Edit ▸ Duplicates" in window.statusBar().currentMessage())


def test_other_drops_are_refused(window: MainWindow, tmp_path: Path) -> None:
    exe = tmp_path / "photo.png"
    exe.write_bytes(b"\x89PNG")
    assert not _drop_files(window, [exe])
    assert window.imports.dialogs == []


def test_retry_pending_also_searches_kept_pdfs_again_and_drops_gone_entries(
        empty_lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot,
        tmp_path: Path) -> None:
    """The window's Retry pending imports retries every kind of entry its count counts:
    a kept PDF's first-page search (still offline here: it stays, one attempt more) and an
    open-access look-up of an article deleted since (dropped)."""
    from spinelib.pdfimport import run_import as import_pdfs
    from tests.core.test_pdf_heading import LAYOUT
    from tests.pdfmaker import make_pdf

    client = http.HttpClient(Settings(max_retries=0).with_env())
    [item] = import_pdfs(empty_lib, [str(make_pdf(tmp_path / "f.pdf", [LAYOUT]))],
                         client=client).items
    kept = item.article_id or 0
    empty_lib.pending.queue("pdf:id:999999", "cannot reach Unpaywall")
    win = make_window(empty_lib)
    qtbot.waitUntil(lambda: win.status.pending_count == 2)
    win.acts.retry.trigger()
    qtbot.waitUntil(lambda: "First-page searches" in win.status.bar.currentMessage(),
                    timeout=20000)
    # Said as the retry it was, not as an import that found "nothing to import".
    assert win.status.bar.currentMessage() == (
        "Retry pending imports: still offline. First-page searches: 1 not asked (offline).")
    qtbot.waitUntil(lambda: win.status.pending_count == 1)
    [entry] = empty_lib.pending.all()
    assert (entry.identifier, entry.attempts) == (f"pdf:page:{kept}", 2)
