"""Export from the GUI: scopes, formats, file and clipboard, problems shown; copy citation
and citation key; a reading list as a numbered handout."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from spinelib.gui.exportdialog import ExportDialog
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter
from spinelib.library import Library
from tests.gui.conftest import article_id, copy_patchell


def test_export_selection_to_a_bibtex_file(window: MainWindow, lib: Library, tmp_path: Path,
                                           qtbot: QtBot) -> None:
    ids = [article_id(lib, "16112300"), article_id(lib, "21333599")]
    window.table.select_ids(ids)
    dialog = window.show_export()
    assert isinstance(dialog, ExportDialog)
    assert dialog.scope() == "selection"
    assert dialog.scope_buttons["selection"].text() == "Selected articles (2)"
    dialog.set_format("bibtex")
    target = tmp_path / "out" / "talk.bib"
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.save_button.click()
    text = target.read_text(encoding="utf-8")
    assert text.count("@article{") == 2
    assert lib.articles.citekey(ids[0]) in text and lib.articles.citekey(ids[1]) in text
    assert "Saved 2 articles" in dialog.result_label.text()


def test_export_can_name_the_attached_files(window: MainWindow, lib: Library, tmp_path: Path,
                                            qtbot: QtBot) -> None:
    """For moving to Zotero or JabRef: the option shows only for BibTeX, BibLaTeX and RIS,
    and names each article's attached files in the copy."""
    from tests.pdfmaker import make_pdf

    patchell = article_id(lib, "16112300")
    lib.attachments.attach(patchell, make_pdf(tmp_path / "paper.pdf", ["Decompression"]))
    stored = lib.attachments.of(patchell)[0].path
    window.table.select_ids([patchell])
    with_it, without = _copied_with_and_without(window, qtbot, "files", "vancouver", "ris")
    assert f"L1  - {stored}" in with_it and "L1  -" not in without


def _copied_with_and_without(window: MainWindow, qtbot: QtBot, option: str, hidden_in: str,
                             shown_in: str) -> tuple[str, str]:
    """The selection copied with the export dialog's checkbox ``option`` ticked, then not;
    the box is hidden for the format ``hidden_in`` and shown for ``shown_in`` (the one
    copied)."""
    dialog = window.show_export()
    box = getattr(dialog, option)
    dialog.set_format(hidden_in)
    assert box.isHidden()
    dialog.set_format(shown_in)
    assert not box.isHidden()
    copies = []
    for ticked in (True, False):
        box.setChecked(ticked)
        with qtbot.waitSignal(dialog.exported, timeout=5000):
            dialog.copy_button.click()
        copies.append(QGuiApplication.clipboard().text())
    return copies[0], copies[1]


def test_export_can_end_a_bib_with_the_reading_lists(window: MainWindow, lib: Library,
                                                     qtbot: QtBot) -> None:
    """For a colleague on JabRef or Zotero: the option shows for BibTeX and BibLaTeX only,
    and the lists holding the exported articles follow the entries as JabRef groups."""
    patchell = article_id(lib, "16112300")
    lib.lists.create("Tumour board")
    lib.lists.add("Tumour board", [patchell])
    window.table.select_ids([patchell])
    with_it, without = _copied_with_and_without(window, qtbot, "lists", "ris", "biblatex")
    key = lib.articles.citekey(patchell)
    assert f"1 ExplicitGroup:Tumour board\\;0\\;{key}\\;;" in with_it
    assert "jabref-meta" not in without


def test_export_current_view_to_clipboard_as_csl_json(window: MainWindow, lib: Library,
                                                      qtbot: QtBot) -> None:
    window.sidebar.select_filter(Filter("retracted"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.table.clearSelection()
    dialog = window.show_export()
    assert dialog.scope() == "view"
    assert "Retracted / errata" in dialog.scope_buttons["view"].text()
    dialog.set_format("csljson")
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.copy_button.click()
    items = json.loads(QGuiApplication.clipboard().text())
    assert sorted(i["title"] for i in items) == [
        "A retracted cement augmentation study of vertebral fractures",
        "Laminectomy and fusion for thoracic metastases"]


def test_problems_are_shown(window: MainWindow, lib: Library, qtbot: QtBot,
                            tmp_path: Path) -> None:
    from tests.core.helpers import make_record

    lib.articles.add_record(make_record(title="", doi="10.5555/untitled", pmid="1", year=None,
                               authors=[], references=[]))
    window.queries.refresh_all()
    qtbot.waitUntil(lambda: window.model.rowCount() == 6)
    dialog = window.show_export(scope="all", fmt="bibtex")
    assert dialog.scope() == "all"
    dialog.path_edit.setText(str(tmp_path / "all"))  # the suffix is added
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.save()
    assert (tmp_path / "all.bib").is_file()
    assert dialog.problems.toPlainText().strip()
    assert "warning" in dialog.result_label.text()


def test_reading_list_handout_keeps_list_order(window: MainWindow, lib: Library,
                                               qtbot: QtBot) -> None:
    order = [article_id(lib, "31000001"), article_id(lib, "16112300")]
    lib.lists.create("Journal club")
    lib.lists.add("Journal club", order)
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: "Journal club" in window.sidebar.list_names())
    window.sidebar.export_list_requested.emit("Journal club", "vancouver")
    dialog = window.dialog
    assert isinstance(dialog, ExportDialog)
    assert dialog.scope() == "list" and dialog.list_combo.currentText() == "Journal club"
    assert dialog.format() == "vancouver"
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.copy_button.click()
    handout = QGuiApplication.clipboard().text()
    first, second = handout.index("Sahgal"), handout.index("Patchell")
    assert first < second  # numbered in the list's own order
    assert handout.lstrip().startswith("1.")
    # Pasted into Word, the list keeps its paragraphs (and a style's italics: AMA below).
    html = QGuiApplication.clipboard().mimeData().html()
    assert html.count("<p>") == 2 and html.index("Sahgal") < html.index("Patchell")
    dialog.set_format("ama")
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.copy_button.click()
    assert "<i>Lancet</i>" in QGuiApplication.clipboard().mimeData().html()
    dialog.set_format("bibtex")  # a data format is text only
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.copy_button.click()
    assert QGuiApplication.clipboard().text().startswith("@")
    assert not QGuiApplication.clipboard().mimeData().hasHtml()


def test_copy_citation_and_key(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    aid, clipboard = copy_patchell(window, lib, qtbot, window.acts.copy_citation)
    window.acts.copy_key.trigger()
    qtbot.waitUntil(lambda: clipboard.text() == lib.articles.citekey(aid))
    # For a LaTeX author's .bib: the entry as the BibTeX export writes it.
    window.acts.copy_bibtex.trigger()
    qtbot.waitUntil(lambda: clipboard.text().startswith(
        f"@article{{{lib.articles.citekey(aid)},"))
    assert clipboard.text() == lib.exports.render(lib.articles.records([aid]), "bibtex")
    assert window.acts.copy_citation.shortcut().toString() == "Ctrl+Shift+C"
    both = [aid, article_id(lib, "21333599")]
    window.table.select_ids(both)
    window.acts.copy_citation.trigger()
    qtbot.waitUntil(lambda: clipboard.text().startswith("1. "))
    assert "\n2. " in clipboard.text()


def test_copy_citation_carries_the_styles_italics_for_word(window: MainWindow, lib: Library,
                                                          qtbot: QtBot) -> None:
    """Before: plain text only, so AMA's italic journal names pasted into Word upright."""
    aid, clipboard = copy_patchell(window, lib, qtbot, window.acts.copy_ama)
    data = clipboard.mimeData()
    assert data is not None and data.hasHtml()
    assert "<i>Lancet</i>" in data.html() and "<p>" not in data.html()  # pasted inline
    assert "<i>" not in clipboard.text()
    both = [aid, article_id(lib, "21333599")]
    window.table.select_ids(both)
    clipboard.clear()
    window.acts.copy_ama.trigger()
    qtbot.waitUntil(lambda: clipboard.text().startswith("1. "))
    html = clipboard.mimeData().html()
    assert html.count("<p>") == 2 and html.count("<i>") >= 2


def test_an_export_onto_the_library_file_is_refused(window: MainWindow, lib: Library,
                                                    qtbot: QtBot) -> None:
    """The save dialog lets any file be chosen; the library's own is refused, whole."""
    library = Path(lib.path)
    count = lib.search.count()
    dialog = window.show_export(scope="all", fmt="ris")
    assert isinstance(dialog, ExportDialog)
    dialog.path_edit.setText(str(library))
    dialog.save()
    qtbot.waitUntil(lambda: "is a database" in dialog.result_label.text())
    assert "choose another file name" in dialog.result_label.text()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert lib.search.count() == count and library.read_bytes().startswith(b"SQLite format 3")


def test_a_reading_list_as_a_report_with_abstracts_and_notes(
        window: MainWindow, lib: Library, qtbot: QtBot, tmp_path: Path) -> None:
    """A journal club's list to read before the meeting: the sidebar's *Export list as ▸
    Report with abstracts and notes…*, saved as one HTML page in the list's order."""
    order = [article_id(lib, "31000001"), article_id(lib, "16112300")]
    lib.lists.create("Journal club")
    lib.lists.add("Journal club", order)
    lib.articles.set_notes(order[1], "Ask about the RT-alone arm")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: "Journal club" in window.sidebar.list_names())
    window.sidebar.export_list_requested.emit("Journal club", "report")
    dialog = window.dialog
    assert isinstance(dialog, ExportDialog)
    assert dialog.format() == "report" and dialog.scope() == "list"
    target = tmp_path / "club.html"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.save_button.click()
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<article") == 2
    assert "<h1>Journal club</h1>" in page
    assert page.index("<h2>1. Stereotactic") < page.index("<h2>2. Direct decompressive")
    assert "Ask about the RT-alone arm" in page


def test_the_abstracts_option_shows_where_abstracts_are_a_choice(window: MainWindow) -> None:
    dialog = window.show_export()
    assert isinstance(dialog, ExportDialog)
    for fmt, shown in (("bibtex", True), ("ris", True), ("csljson", True),
                       ("vancouver", False), ("report", False)):
        dialog.set_format(fmt)
        assert dialog.abstracts.isHidden() is not shown, fmt
    dialog.reject()
