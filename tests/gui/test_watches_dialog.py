"""Literature watches made and removed in the app (the Inbox used to send a user without
watches to the command line)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from spinelib.gui import inboxdialog
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.watchesdialog import NewWatchForm
from spinelib.library import Library


def test_a_watch_for_a_technique_is_made_in_the_app_and_removed(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = inboxdialog.open_inbox(window)
    qtbot.waitUntil(lambda: inbox.summary.text().startswith("No watches yet: Watches…"))
    watches = inbox.manage_watches()
    qtbot.waitUntil(lambda: "No watches yet" in watches.status.text())
    assert not watches.remove_button.isEnabled()

    form = watches.new_watch()
    form.technique.setCurrentIndex(form.technique.findData("separation_surgery"))
    qtbot.waitUntil(lambda: '"separation surgery"[tiab]' in form.query.toPlainText())
    assert form.name.text() == "Separation surgery" and form.tag.text() == "separation_surgery"
    with qtbot.waitSignal(form.saved):
        form.save()
    assert [w.name for w in lib.watches.all()] == ["Separation surgery"]
    qtbot.waitUntil(lambda: watches.tree.topLevelItemCount() == 1)
    assert watches.tree.topLevelItem(0).text(3) == "never run"
    qtbot.waitUntil(lambda: "from 1 watch" in inbox.summary.text())
    assert inbox.run.isEnabled()

    # The library's own checks come back as the form's message; the form stays open.
    again = NewWatchForm(lib, window.runner, watches)
    again.name.setText("Separation surgery")
    again.query.setPlainText("spine")
    again.save()
    qtbot.waitUntil(lambda: "already exists" in again.error.text())
    assert again.buttons.isEnabled() and len(lib.watches.all()) == 1
    again.name.setText("Kypho")
    again.tag.setText("kyphoplastyy")  # a typo: every later Accept would fail
    again.save()
    qtbot.waitUntil(lambda: "unknown tag 'kyphoplastyy'" in again.error.text())
    assert len(lib.watches.all()) == 1

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    watches.tree.setCurrentItem(watches.tree.topLevelItem(0))
    assert watches.remove_button.isEnabled()
    watches.remove_selected()
    qtbot.waitUntil(lambda: not lib.watches.all() and watches.tree.topLevelItemCount() == 0)
    qtbot.waitUntil(lambda: inbox.summary.text().startswith("No watches yet"))
    watches.close()
    inbox.close()


def test_the_form_stores_a_results_address_as_its_search(window: MainWindow, lib: Library,
                                                         qtbot: QtBot) -> None:
    """A results page's address pasted into the form is the search it ran (it was stored
    as the address, which every run searched PubMed for as text); a search of the PubMed
    History is refused in words, the form left open."""
    form = NewWatchForm(lib, window.runner, window)
    form.name.setText("Kyphoplasty reviews")
    form.query.setPlainText("#1 AND #2")
    form.save()
    qtbot.waitUntil(lambda: "are searches in your PubMed History" in form.error.text())
    assert form.buttons.isEnabled() and not lib.watches.all()
    form.query.setPlainText("https://pubmed.ncbi.nlm.nih.gov/?term=kyphoplasty"
                            "&filter=pubt.review")
    with qtbot.waitSignal(form.saved):
        form.save()
    assert [(w.name, w.query) for w in lib.watches.all()] == [
        ("Kyphoplasty reviews", "(kyphoplasty) AND review[pt]")]
