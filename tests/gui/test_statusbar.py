"""The status bar: the texts it shows (plain functions) and what the window's parts tell it."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from spinelib.gui.statusbar import StatusBar, count_text, network_badge


def test_count_text() -> None:
    assert count_text(1, None, narrowed=False) == "1 article"
    assert count_text(0, 5, narrowed=False) == "0 articles"
    assert count_text(5000, 5000, narrowed=False) == "5,000 articles"
    assert count_text(12, 5000, narrowed=True) == "12 of 5,000 articles"
    # Narrowed, but everything matches, or the library's size is not known yet.
    assert count_text(5000, 5000, narrowed=True) == "5,000 articles"
    assert count_text(12, None, narrowed=True) == "12 articles"


def test_network_badge() -> None:
    fresh = network_badge(None, 0)
    assert fresh.text == "Network" and "No import has used the network" in fresh.tip
    assert not fresh.shown  # nothing to say yet: the button is hidden
    assert network_badge("online", 0).text == "● Online" and network_badge("online", 0).shown
    offline = network_badge("offline", 1234)
    assert offline.text == "○ Offline · 1,234 pending"
    # Pending imports are identifiers, kept PDFs' first-page searches and open-access
    # look-ups: the tip names them as the sidebar does, not all as identifiers.
    assert "queued" in offline.tip
    assert "1,234 pending imports wait for the network" in offline.tip
    assert network_badge(None, 2).text == "2 pending"
    assert "\n1 pending import waits for the network:" in network_badge("offline", 1).tip


def test_status_bar_follows_counts_network_and_imports(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusBar(window.statusBar())
    status.show_network()
    assert status.network_button.isHidden()  # a fresh window: nothing pending, no import yet
    status.set_library_counts(5, 1)
    status.show_count(2, narrowed=True)
    assert status.count_label.text() == "2 of 5 articles"
    assert status.network_button.text() == "1 pending"
    assert not status.network_button.isHidden()
    status.set_network("offline")
    status.set_network(None)  # an import that needed no network changes nothing
    assert status.network == "offline"
    assert status.network_button.text() == "○ Offline · 1 pending"
    status.import_started()
    assert (status.import_progress.minimum(), status.import_progress.maximum()) == (0, 0)
    status.import_progressed(3, 10)
    assert (status.import_progress.value(), status.import_progress.maximum()) == (3, 10)
    # A full bar while a large import builds its indexes says so (the dialog's words).
    status.import_progressed(10, 10, "big.xml (indexing references)")
    assert status.import_progress.toolTip() == "Importing big.xml (indexing references): 10 of 10"
    status.imports_ended()
    assert status.import_progress.isHidden()
    with qtbot.waitSignal(status.pending_clicked):
        status.network_button.click()
    status.show_selection(3)
    assert window.statusBar().currentMessage() == "3 articles selected"
    status.show_message("Preferences saved.")
    assert window.statusBar().currentMessage() == "Preferences saved."
