"""The References tab's *Paste list…*: a paper's reference list set from the text copied
from it, or read from its attached PDF, checked as typed, stored on a worker, undone in one
step."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.reflistdialog import ReferenceListDialog, open_reference_list
from spinelib.library import Library
from tests.gui.conftest import article_id, wait_loaded
from tests.pdfmaker import make_pdf

PASTED = """References
1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection in the
treatment of spinal cord compression caused by metastatic cancer: a randomised trial. Lancet.
2005;366(9486):643-648. doi:10.1016/S0140-6736(05)66954-1
Spine Volume 30, Number 4, 2005
2. Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability
in neoplastic disease. Spine (Phila Pa 1976). 2010;35(22):E1221-E1229.
"""


def test_a_pasted_list_is_checked_stored_shown_and_undone(window: MainWindow, lib: Library,
                                                          qtbot: QtBot) -> None:
    aid = article_id(lib, "25000001")  # a paper with no reference list
    wait_loaded(qtbot, window, aid)
    refs = window.detail.references
    assert refs.count == 0 and not refs.paste_list.isHidden()
    with qtbot.waitSignal(refs.paste_requested):
        refs.paste_list.click()
    dialog = next(w for w in window.findChildren(ReferenceListDialog))
    assert dialog.isVisible() and not dialog.save_button.isEnabled()
    dialog.text.setPlainText("Thanks for the slides")
    dialog.update_summary()
    qtbot.waitUntil(lambda: "No reference read:" in dialog.summary.text())
    assert not dialog.save_button.isEnabled()
    dialog.text.setPlainText(PASTED)
    dialog.update_summary()  # read on a worker: Save waits for it
    assert not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.summary.text().startswith(
        "2 references, 1 with a DOI, PMID or PMCID. 2 lines read as none: “References”"))
    assert dialog.save_button.isEnabled()
    on_gui_thread: list[str] = []
    lib.watch_statements(lambda sql: on_gui_thread.append(sql) if
                         threading.current_thread() is threading.main_thread() else None)
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    lib.watch_statements(None)
    assert on_gui_thread == []  # stored on a worker
    qtbot.waitUntil(lambda: refs.count == 2)
    # The first is the library's Patchell trial: marked as in the library.
    assert refs.tree.topLevelItem(0).text(1) == "✓"
    assert window.statusBar().currentMessage().startswith("Stored 2 references for ")
    key = lib.articles.citekey(aid)
    qtbot.waitUntil(lambda: window.undo.undo_action.text() == f"&Undo reference list of {key}")
    window.undo.undo_action.trigger()
    qtbot.waitUntil(lambda: lib.articles.references(aid) == [])


def test_the_list_is_read_from_the_attached_pdf(window: MainWindow, lib: Library,
                                                qtbot: QtBot, tmp_path: Path) -> None:
    aid = article_id(lib, "25000001")
    wait_loaded(qtbot, window, aid)
    dialog = open_reference_list(window)
    assert dialog is not None
    # Nothing attached: not offered, and its tip says what to do.
    qtbot.waitUntil(lambda: "attach the PDF" in dialog.from_fulltext.toolTip())
    assert not dialog.from_fulltext.isEnabled()
    dialog.read_fulltext()  # pressed all the same: said, the box left as it was
    qtbot.waitUntil(lambda: "No reference list found" in dialog.error.text())
    assert dialog.text.toPlainText() == ""
    dialog.reject()
    lib.attachments.attach(aid, make_pdf(tmp_path / "paper.pdf", [
        "A retracted paper\nMethods", "Discussion\n" + PASTED]))
    dialog = open_reference_list(window)
    assert dialog is not None
    qtbot.waitUntil(dialog.from_fulltext.isEnabled)
    assert "References heading" in dialog.from_fulltext.toolTip()
    dialog.from_fulltext.click()
    qtbot.waitUntil(lambda: dialog.text.toPlainText().startswith("1. Patchell RA"))
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert dialog.error.text() == ""
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [r.position for r in lib.articles.references(aid)] == [1, 2]


def test_text_typed_on_while_it_was_read_is_the_one_said(window: MainWindow, lib: Library,
                                                         qtbot: QtBot) -> None:
    wait_loaded(qtbot, window, article_id(lib, "25000001"))
    dialog = open_reference_list(window)
    assert dialog is not None
    dialog.text.setPlainText(PASTED)
    dialog.update_summary()
    dialog.text.setPlainText(PASTED.split("Spine Volume")[0])  # before the first reading ends
    dialog.update_summary()
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("1 reference, 1 with a DOI"))
    qtbot.wait(100)  # the first reading's answer, come late, changes nothing
    assert dialog.summary.text().startswith("1 reference, 1 with a DOI")
    dialog.reject()


def test_saving_over_a_list_says_it_replaces_it(window: MainWindow, lib: Library,
                                                qtbot: QtBot) -> None:
    aid = article_id(lib, "21333599")  # a paper with PubMed's list
    wait_loaded(qtbot, window, aid)
    held = window.detail.references.count
    assert held > 0
    dialog = open_reference_list(window)
    assert dialog is not None
    dialog.text.setPlainText(PASTED)
    dialog.update_summary()
    qtbot.waitUntil(lambda: f"Save replaces its {held} reference" in dialog.summary.text())
    dialog.reject()
