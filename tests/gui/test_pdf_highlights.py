"""The highlights and comments saved in an article's PDF, in the Text tab: shown above its
text, read again when the viewer saves the file, and copied into the notes by the tab's
button without losing a note being typed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QUrl
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.pdfjobs import fulltext_html
from spinelib.library import Library, Query
from tests.core.test_pdf_annotations import PAGES, annotated
from tests.gui.conftest import article_id, wait_loaded
from tests.pdfmaker import highlight_with_pdfium, make_pdf, markup, pdf_bytes, phrase_boxes


def test_the_text_tab_shows_highlights_rereads_a_save_and_copies_them_to_the_notes(
        window: MainWindow, lib: Library, tmp_path: Path, qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    stored = lib.attachments.attach(aid, annotated(tmp_path / "paper.pdf")).attachment.path
    window.show()
    tab = window.pdfs.tab
    window.detail.tabs.setCurrentWidget(tab)
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.article_id == aid
                    and tab.data.annotated, timeout=10000)
    text = tab.text.toPlainText()
    assert text.index("Your highlights and comments") < text.index("Page 1")
    assert "“stereotactic radiosurgery for metastatic”" in text
    assert "Use for the grant" in text and "↳ JS: Agreed" in text
    assert tab.copy_button.isVisible()
    # The viewer saves a new highlight: the tab reads the file again by itself.
    highlight_with_pdfium(stored, 1, "osteoporotic fractures", "not our population")
    qtbot.waitUntil(lambda: "not our population" in tab.text.toPlainText(), timeout=10000)
    # A note being typed is kept, and the copy goes under it.
    window.detail.reading.notes.setPlainText("Typed a moment ago")
    tab.copy_button.click()
    qtbot.waitUntil(lambda: "osteoporotic" in lib.articles.record(aid).notes, timeout=10000)
    notes = lib.articles.record(aid).notes
    assert notes.startswith("Typed a moment ago\n\nHighlights and comments in ")
    assert notes.count("\np. ") == 5
    qtbot.waitUntil(lambda: "Copied 5 annotations into" in window.statusBar().currentMessage())
    qtbot.waitUntil(lambda: "not our population" in window.detail.reading.notes.toPlainText())
    # Clicked again: nothing doubled.
    tab.copy_button.click()
    qtbot.waitUntil(lambda: "Nothing new for" in window.statusBar().currentMessage())
    assert lib.articles.record(aid).notes == notes


def test_no_button_for_a_pdf_without_highlights(window: MainWindow, lib: Library,
                                                tmp_path: Path, qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    lib.attachments.attach(aid, make_pdf(tmp_path / "plain.pdf", ["Separation surgery"]))
    window.show()
    tab = window.pdfs.tab
    window.detail.tabs.setCurrentWidget(tab)
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.article_id == aid
                    and bool(tab.data.attachments), timeout=10000)
    assert not tab.copy_button.isVisible()
    assert "Your highlights" not in tab.text.toPlainText()


def test_a_highlights_page_number_scrolls_to_that_page(window: MainWindow, lib: Library,
                                                       tmp_path: Path, qtbot: QtBot) -> None:
    pages = [f"Page {n} text\n" + "\n".join(f"line {i} of page {n}" for i in range(30))
             for n in range(1, 21)]
    plain = pdf_bytes(pages)
    path = make_pdf(tmp_path / "long.pdf", pages, annots={
        8: [markup(phrase_boxes(plain, 8, "line 3 of page 9"), contents="see here")]})
    aid = article_id(lib, "16112300")
    lib.attachments.attach(aid, path)
    window.show()
    tab = window.pdfs.tab
    window.detail.tabs.setCurrentWidget(tab)
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.annotated, timeout=10000)
    assert '<a href="#page-9">' in fulltext_html(tab.data)
    # From the top (a busy machine's late relayout once left it a line down, 21 px).
    tab.text.verticalScrollBar().setValue(0)
    assert tab.text.cursorForPosition(QPoint(10, 10)).block().text().startswith("Your ")
    tab.text.anchorClicked.emit(QUrl("#page-9"))
    qtbot.waitUntil(lambda: tab.text.verticalScrollBar().value() > 0)
    top = tab.text.cursorForPosition(QPoint(10, 10)).block().text()
    assert top.startswith("Page 9"), top


def test_copy_highlights_of_the_selection_from_the_menu(window: MainWindow, lib: Library,
                                                        tmp_path: Path, qtbot: QtBot) -> None:
    first = article_id(lib, "16112300")
    lib.attachments.attach(first, annotated(tmp_path / "paper.pdf"))
    others = [i for i in lib.search.ids(Query()) if i != first]
    path = lib.attachments.attach(others[0], make_pdf(tmp_path / "b.pdf", PAGES)
                                  ).attachment.path
    highlight_with_pdfium(path, 0, "metastatic epidural", "second paper's note")
    window.show()
    wait_loaded(qtbot, window, first)
    window.table.select_ids([first, others[0], others[1]], first)  # the third has no PDF
    qtbot.waitUntil(lambda: len(window.table.selected_ids()) == 3)
    window.pdfs.copy_action.trigger()
    qtbot.waitUntil(lambda: "second paper's note" in lib.articles.record(others[0]).notes,
                    timeout=10000)
    assert "Use for the grant" in lib.articles.record(first).notes
    assert lib.articles.record(others[1]).notes == ""
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() ==
                    "Copied 5 annotations into 2 articles' notes.")
    assert lib.history.undo().name == "notes edit"  # one step for both
    assert lib.articles.record(first).notes == lib.articles.record(others[0]).notes == ""
