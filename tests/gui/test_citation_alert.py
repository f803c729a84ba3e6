"""The Cited-by tab's "Create alert" (spinelib/gui/citingflow.py): a citation watch stored
for the article shown and run once on the network worker, what cites it now remembered and
said in the status bar; the article shown again says its alert is on; a second alert on
the same paper refused in the tab; offline, the watch is stored and queued. Europe PMC is served by ``responses``; the watches dialog lists
the alert by what it watches."""

from __future__ import annotations

import re

import requests
import responses
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.watchesdialog import WatchesDialog
from spinelib.library import Library
from tests.core.test_citing_articles import LISTED, reply
from tests.gui.conftest import article_id, wait_loaded

CITATIONS = re.compile(r"http://127\.0\.0\.1:9/europepmc/MED/16112300/citations\?.*")


@responses.activate
def test_an_alert_is_created_run_once_and_not_made_twice(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    responses.get(CITATIONS, body=reply(LISTED))
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    tab = window.detail.cited_by
    qtbot.waitUntil(lambda: tab.count() == 2)
    assert tab.alert.isVisibleTo(tab) and tab.alert.text() == "Create alert"
    tab.alert.click()
    qtbot.waitUntil(lambda: tab.alert.text() == "Alert created")
    [watch] = lib.watches.all()
    assert watch.cites == "MED:16112300" and watch.last_success
    assert lib.watches.seen(watch) == {"MED:99999990", "PPR:PPR123456", "MED:21333599"}
    message = (f"Citation alert “{watch.name}” created: 3 articles cite it now; the Inbox "
               "gets the new ones.")
    assert window.status.bar.currentMessage() == message
    assert not tab.alert.isEnabled() and lib.inbox.count() == 0
    # Another article offers an alert; this one, shown again, says it has one.
    wait_loaded(qtbot, window, article_id(lib, "21333599"))
    qtbot.waitUntil(lambda: tab.alert.text() == "Create alert" and tab.alert.isEnabled())
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: tab.alert.text() == "Alert on")
    assert not tab.alert.isEnabled() and watch.name in tab.alert.toolTip()
    # Were it offered (a second window, an alert made meanwhile), the library refuses a
    # second alert on one paper, and the tab says why.
    tab.alert.setEnabled(True)
    tab.alert.click()
    qtbot.waitUntil(lambda: tab.summary.text().startswith("Creating the alert failed"))
    assert "already watches the articles citing" in tab.summary.text()
    assert tab.alert.isEnabled() and len(lib.watches.all()) == 1
    # The watches dialog lists it by what it watches.
    dialog = WatchesDialog(lib, window.runner, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(1) == watch.watched
    assert row.text(1).startswith("articles citing ") and "PMID 16112300" in row.text(1)


@responses.activate
def test_offline_the_alert_is_stored_and_queued(window: MainWindow, lib: Library,
                                              qtbot: QtBot) -> None:
    responses.get(CITATIONS, body=requests.ConnectionError("no route to host"))
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    tab = window.detail.cited_by
    qtbot.waitUntil(lambda: tab.count() == 2)
    tab.alert.click()
    qtbot.waitUntil(lambda: tab.alert.text() == "Alert created")
    [watch] = lib.watches.all()
    assert watch.queued and watch.last_success is None and lib.watches.seen(watch) == set()
    assert window.status.bar.currentMessage() == (
        f"Citation alert “{watch.name}” created; offline, so what cites the article now is "
        "read at its first run.")


def test_a_late_read_of_the_alert_state_keeps_alert_created(window: MainWindow) -> None:
    """The state read started when the list was shown may end after the alert it finds
    was created here (offline, the creation is quicker than the read): the button keeps
    saying what was just done (make check once saw "Alert on" win the race)."""
    tab = window.detail.cited_by
    tab.alert_made("Citation alert “x” created")
    tab.alert_exists("x")
    assert tab.alert.text() == "Alert created"
    tab.show_rows(None)  # another article shown: its own state is read again
    tab.alert_exists("x")
    assert tab.alert.text() == "Alert on" and not tab.alert.isEnabled()
