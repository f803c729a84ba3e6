"""Article ▸ Similar articles (PubMed)… (spinelib/gui/sharedrefsdialog.py with direction
"similar"): PubMed asked on the network worker for the selected articles' neighbours (served
by ``responses`` in elink's and esummary's shapes), the union the most shared first, the new
ones imported through the window's import; a failure said in the dialog."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.sharedrefsdialog import SharedReferencesDialog
from spinelib.library import Library
from tests.core.test_similar_articles import ELINK, ESUMMARY, elink_reply, esummary
from tests.gui.conftest import article_id, cell

LISTS = {"16112300": [("34126044", 900), ("23709750", 800)],
         "21333599": [("23709750", 500)]}


def _serve() -> None:
    responses.add_callback(responses.GET, ELINK, callback=lambda r: (200, {}, elink_reply(
        pid := parse_qs(urlsplit(r.url).query)["id"][0], LISTS.get(pid, []))))
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)


@responses.activate
def test_similar_articles_of_a_selection(window: MainWindow, lib: Library, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _serve()
    imported: list[list[str]] = []
    monkeypatch.setattr(window.imports, "import_inputs",
                        lambda inputs, failed=(): imported.append(list(inputs)))
    chosen = [article_id(lib, p) for p in ("16112300", "21333599")]
    window.table.select_ids(chosen, chosen[0])
    assert window.acts.similar_selection.isEnabled()
    window.acts.similar_selection.trigger()
    dialog = window.findChild(SharedReferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.shared is not None)
    assert dialog.windowTitle() == "Articles similar to 2 articles (PubMed)"
    assert dialog.at_least.prefix() == "Similar to at least "
    # Only the NOMS paper is like both; "at least 1 of the 2" shows Sahgal too.
    assert dialog.count() == 1 and cell(dialog.tree, 0, 0) == "×2"
    assert cell(dialog.tree, 0, 2).startswith("Laufer I, Rubin DG, Lis E")
    assert cell(dialog.tree, 0, 3) == "PMID 23709750"
    assert dialog.summary.text().startswith(
        "PubMed lists 2 articles similar to 2 of them, 1 similar to two or more")
    dialog.at_least.setValue(1)
    assert dialog.count() == 2
    dialog.import_new.click()
    assert imported == [["23709750", "34126044"]]
    dialog.close()


@responses.activate
def test_offline_the_dialog_says_so(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    responses.get(re.compile(ELINK.pattern), body=requests.ConnectionError("no route"))
    chosen = [article_id(lib, "16112300")]
    window.table.select_ids(chosen, chosen[0])
    window.acts.similar_selection.trigger()
    dialog = window.findChild(SharedReferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("Asking PubMed failed: "))
    assert dialog.shared is None and dialog.count() == 0
    # Nothing listed, nothing to import: the buttons say so by being off.
    assert not dialog.import_new.isEnabled() and not dialog.import_selected.isEnabled()
    dialog.close()
