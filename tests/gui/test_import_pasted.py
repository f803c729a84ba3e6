"""A BibTeX or RIS entry pasted into the import dialog (copied from a journal's "Cite" box
or Google Scholar) is imported as written, offline, with no look-up (spinelib.pasted)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spinelib.gui.importpreview import PASTED_INPUT, preview_rows
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.core.test_pasted import SCHOLAR
from tests.gui.conftest import cell, outcome_of

RIS = ("TY  - JOUR\nAU  - Laufer, Ilya\nTI  - The NOMS framework\nJO  - Oncologist\n"
       "PY  - 2013\nER  - \n")


def test_the_preview_names_the_pasted_format() -> None:
    (row,) = preview_rows(SCHOLAR)
    assert (row.given, row.recognised, row.input) == ("pasted text", "BibTeX text, 1 entry",
                                                      PASTED_INPUT)
    (row,) = preview_rows(RIS + RIS.replace("NOMS", "LMNOP"))
    assert row.recognised == "RIS text, 2 entries"
    # Identifiers pasted above the entries are read as identifiers (BibTeX would ignore
    # them); a heading there is named as skipped.
    above = "My list:\n10.1016/j.spinee.2020.01.001\nPMID: 16112300\n\n" + SCHOLAR
    assert [r.input for r in preview_rows(above)] == [
        None, "10.1016/j.spinee.2020.01.001", "PMID: 16112300", PASTED_INPUT]
    # Identifiers are still read one per line.
    assert [r.input for r in preview_rows("16112300\n10.1234/abc")] == ["16112300",
                                                                        "10.1234/abc"]


def test_a_pasted_entry_is_imported_offline_and_its_file_removed(
        empty_lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    win = make_window(empty_lib)  # services at 127.0.0.1:9: nothing answers
    dialog = win.imports.show_import()
    dialog.text.setPlainText(SCHOLAR)
    dialog.update_preview()
    assert cell(dialog.tree, 0, 1) == "BibTeX text, 1 entry"
    assert "1 to import" in dialog.summary.text() and dialog.import_button.isEnabled()
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    (item,) = outcome_of(dialog).report.items
    assert (item.given, item.status, item.citekey) == ("pasted.bib", "imported",
                                                       "fisher2010novel")
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)
    assert list(scratch.iterdir()) == []
    assert win.status.pending_count == 0  # nothing waited for the network


def test_ctrl_v_on_the_table_previews_the_clipboard(window: MainWindow, qtbot: QtBot) -> None:
    """Paste shows what would be imported and waits for Import; in the search box Ctrl+V
    still pastes text."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(SCHOLAR)
    window.show()
    qtbot.waitExposed(window)
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    dialog = window.imports.dialogs[0]
    qtbot.waitUntil(dialog.isVisible)
    assert cell(dialog.tree, 0, 1) == "BibTeX text, 1 entry"
    assert not dialog.running and dialog.outcome is None
    dialog.close()
    QGuiApplication.clipboard().setText("10.1234/abc")
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClick(window.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.search.text() == "10.1234/abc" and not dialog.isVisible()
    QGuiApplication.clipboard().setText("   ")
    window.imports.paste_clipboard()
    assert window.status.bar.currentMessage() == "The clipboard holds no text to import."


def test_a_pasted_reference_list_previews_its_citations(
        empty_lib: Library, make_window: Callable[..., MainWindow]) -> None:
    win = make_window(empty_lib)
    dialog = win.imports.show_import()
    dialog.text.setPlainText(
        "References\n2. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the "
        "epidural spinal cord compression scale. J Neurosurg Spine. 2010;13(3):324-8.\n")
    dialog.update_preview()
    assert cell(dialog.tree, 1, 1).startswith("citation “Bilsky MH, Laufer I")
    assert cell(dialog.tree, 1, 2) == "looked up in Crossref, then PubMed"
    assert cell(dialog.tree, 0, 2) == "will be skipped"
    assert dialog.summary.text() == "1 to import, 1 not recognised"


def test_a_journal_address_without_a_doi_says_which_article_it_names(
        empty_lib: Library, make_window: Callable[..., MainWindow]) -> None:
    win = make_window(empty_lib)
    dialog = win.imports.show_import()
    dialog.text.setPlainText(
        "https://thejns.org/spine/view/journals/j-neurosurg-spine/13/3/article-p324.xml\n"
        "https://journals.lww.com/spinejournal/fulltext/2010/10150/"
        "a_novel_classification_system_for_spinal.17.aspx\n")
    dialog.update_preview()
    assert cell(dialog.tree, 0, 1) == "J Neurosurg Spine 13(3):324"
    assert cell(dialog.tree, 0, 2) == "its record looked up in PubMed"
    lww = dialog.tree.topLevelItem(1)
    assert lww is not None  # its recognition is long: the whole of it as the tooltip
    assert lww.toolTip(1) == ("Spine (Phila Pa 1976) 2010: “a novel classification system "
                              "for spinal…”")
    assert dialog.summary.text() == "2 to import"


def test_a_book_and_a_statpearls_link_say_what_is_asked_first(
        empty_lib: Library, make_window: Callable[..., MainWindow]) -> None:
    win = make_window(empty_lib)
    dialog = win.imports.show_import()
    dialog.text.setPlainText("ISBN 978-0-323-40030-5\n"
                             "https://www.ncbi.nlm.nih.gov/books/NBK441938/\n")
    dialog.update_preview()
    assert [cell(dialog.tree, r, 1) for r in (0, 1)] == ["ISBN 9780323400305",
                                                          "Bookshelf NBK441938"]
    assert [cell(dialog.tree, r, 2) for r in (0, 1)] == ["its book looked up in Crossref",
                                                          "its record looked up in PubMed"]
