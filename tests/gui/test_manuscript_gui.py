"""Issue 16 in the GUI: Copy citation in the Preferences' style, the style chooser, File ▸
Format manuscript… (its worker part) and exports kept up to date in the background."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import docx
from pytestqt.qtbot import QtBot

from spinelib import paths
from spinelib import settings as settings_mod
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.manuscriptgui import KeepUpdatedWatcher, report_text, start_format_manuscript
from spinelib.gui.prefsdialog import PreferencesDialog
from spinelib.library import ExportScope, Library
from spinelib.settings import Settings
from tests.gui.conftest import article_id, copy_patchell


def test_copy_citation_uses_the_chosen_style(lib: Library,
                                             make_window: Callable[..., MainWindow],
                                             qtbot: QtBot) -> None:
    win = make_window(lib, Settings(max_retries=0, citation_style="spine").with_env())
    # one citation as it is (no number), in Spine's own form
    _aid, clipboard = copy_patchell(win, lib, qtbot, win.acts.copy_citation)
    assert "Lancet 2005;366:643–8." in clipboard.text()
    # The status bar names the style as Preferences does (it said "Spine" by its id, and
    # "American-medical-association" for AMA's CSL id).
    assert win.statusBar().currentMessage() == "Copied 1 citation (Spine)."
    win.settings = Settings(max_retries=0, citation_style="american-medical-association")
    clipboard.clear()
    win.commands.copy_citation([_aid], win.settings.citation_style)
    qtbot.waitUntil(lambda: clipboard.text().startswith("Patchell RA"))
    assert win.statusBar().currentMessage() == "Copied 1 citation (AMA Manual of Style 11th edition)."
    assert win.acts.format_manuscript.text() == "Format &manuscript…"
    file_menu = win.menuBar().actions()[0].menu()
    assert win.acts.format_manuscript in file_menu.actions()


def test_preferences_choose_a_style(window: MainWindow, qtbot: QtBot) -> None:
    path = paths.settings_path()
    dialog = PreferencesDialog(path, window, env={})
    qtbot.addWidget(dialog)
    chooser = dialog.citation_style
    qtbot.waitUntil(lambda: chooser.count() > 1000, timeout=30_000)
    assert chooser.itemData(0) == "spine"  # the spine journals first
    assert chooser.style_id() == "vancouver"  # the stored choice is selected
    # Its long title shows from the start ("NLM/Vancouver: Citing…"), not cut to ".M/…".
    assert len(chooser.currentText()) > 40 and chooser.lineEdit().cursorPosition() == 0
    chooser.setCurrentIndex(chooser.findData("journal-of-neurosurgery-spine"))
    assert chooser.lineEdit().cursorPosition() == 0
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    stored = json.loads(path.read_text(encoding="utf-8"))["settings"]
    assert stored["citation_style"] == "journal-of-neurosurgery-spine"
    assert settings_mod.load(path, env={}).citation_style == "journal-of-neurosurgery-spine"


def test_format_manuscript_on_the_worker(window: MainWindow, lib: Library, tmp_path: Path,
                                         qtbot: QtBot) -> None:
    src, out = tmp_path / "paper.docx", tmp_path / "paper-formatted.docx"
    d = docx.Document()
    d.add_paragraph(f"Surgery helps [@{lib.articles.citekey(article_id(lib, '16112300'))}"
                    ", p. 645] and [@nobody2000].")
    d.save(str(src))
    reports: list = []
    errors: list[str] = []
    start_format_manuscript(window.runner, lib, src, out, "spine", on_done=reports.append,
                            on_error=errors.append)
    qtbot.waitUntil(lambda: bool(reports or errors))
    assert not errors
    text = report_text(reports[0])
    assert "1 citation of 1 article in spine" in text
    assert 'The reference list is at the end, under a new "References" heading.' in text
    assert "Left as typed (1):\n• @nobody2000" in text
    assert "Pages not shown:\n• @patchell2005direct, page 645: spine prints no page" in text
    assert docx.Document(str(out)).paragraphs[0].text == "Surgery helps1 and [@nobody2000]."
    assert len(lib.lists.items("Cited in paper.docx")) == 1
    start_format_manuscript(window.runner, lib, src, tmp_path / "x.docx", "no-such-style",
                            on_done=reports.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert "unknown style" in errors[0]


def test_kept_exports_follow_the_library(window: MainWindow, lib: Library, tmp_path: Path,
                                         qtbot: QtBot) -> None:
    target = tmp_path / "refs.bib"
    lib.exports.register(target, "bibtex", ExportScope(), written=False)
    watcher = KeepUpdatedWatcher(lib, window.runner, window, interval_ms=3_600_000)
    written: list[list[str]] = []
    watcher.written.connect(written.append)
    watcher.check()
    qtbot.waitUntil(lambda: len(written) == 1)
    assert target.read_text().count("@article") == lib.search.count()
    mtime = target.stat().st_mtime_ns
    watcher.check()  # nothing changed: no write, the file untouched
    qtbot.waitUntil(lambda: not watcher._busy)
    assert len(written) == 1 and target.stat().st_mtime_ns == mtime
    ids = lib.search.ids()
    for i in ids:  # a bulk edit …
        lib.articles.set_notes(i, "seen at the tumour board")
    watcher.check()
    qtbot.waitUntil(lambda: len(written) == 2)  # … one write
    assert target.read_text().count("seen at the tumour board") == len(ids)
    problems: list[str] = []
    watcher.problem.connect(problems.append)
    gone = tmp_path / "gone"
    gone.mkdir()
    lib.exports.register(gone / "x.bib", "bibtex", ExportScope(), written=False)
    gone.rmdir()
    watcher.check()
    qtbot.waitUntil(lambda: bool(problems))
    assert "no longer exists" in problems[0]
    watcher.stop()


def test_export_dialog_offers_the_chosen_style(lib: Library,
                                               make_window: Callable[..., MainWindow],
                                               tmp_path: Path, qtbot: QtBot) -> None:
    win = make_window(lib, Settings(max_retries=0, citation_style="european-spine-journal")
                      .with_env())
    dialog = win.show_export(scope="all", fmt="bibliography:european-spine-journal")
    assert dialog.format() == "bibliography:european-spine-journal"
    assert dialog.suffix() == ".docx"  # a reference list goes into a manuscript
    target = tmp_path / "refs.txt"  # text when the surgeon names a text file
    dialog.path_edit.setText(str(target))
    dialog.save()
    qtbot.waitUntil(target.exists)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == lib.search.count()
    assert all(line.startswith(f"{n}. ") for n, line in enumerate(lines, 1))
    qtbot.waitUntil(lambda: not dialog.busy)
    # No suffix typed: a Word document of the same entries.
    dialog.path_edit.setText(str(tmp_path / "refs"))
    dialog.save()
    word = tmp_path / "refs.docx"
    qtbot.waitUntil(word.exists)
    paragraphs = docx.Document(str(word)).paragraphs
    assert paragraphs[0].text == "References"
    assert [p.text for p in paragraphs[1:]] == lines
    qtbot.waitUntil(lambda: not dialog.busy)
    # A text format under a Word name is refused, with the name to use.
    dialog.set_format("bibtex")
    dialog.path_edit.setText(str(tmp_path / "library.docx"))
    dialog.save()
    assert dialog.result_label.text().startswith(
        "Not saved: library.docx: this export is a .bib file, not a word-processor document")
    assert not (tmp_path / "library.docx").exists()
