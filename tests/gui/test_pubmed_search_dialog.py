"""File ▸ Search PubMed… (spinelib/gui/sharedrefsdialog.py with direction "search"): the search
asked for (a PubMed results page's address read for its filters and order; one SpineLib
cannot run said, and asked again), PubMed searched on the network worker (served by
``responses`` in esearch's and esummary's shapes), the results in PubMed's order with the
held one marked, the new ones imported through the window's import; a failure said."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.sharedrefsdialog import SharedReferencesDialog, open_pubmed_search
from spinelib.gui.watchesdialog import NewWatchForm
from spinelib.library import Library
from tests.core.test_pubmed_search import FOUND, PAGE, esearch_reply
from tests.core.test_similar_articles import ESEARCH, ESUMMARY, esummary
from tests.gui.conftest import cell


@responses.activate
def test_a_pasted_results_page_is_listed_and_imported(
        window: MainWindow, lib: Library, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    terms: list[tuple[str, str]] = []
    sorts: list[str] = []

    def search(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        asked = parse_qs(urlsplit(request.url).query)
        terms.append((asked["term"][0], asked["retstart"][0]))
        sorts.append(asked.get("sort", [""])[0])
        # Two on the first page, the third on the next (PubMed's count says 1,234).
        return 200, {}, esearch_reply(FOUND[:2] if asked["retstart"] == ["0"] else FOUND[2:],
                                      1234)

    responses.add_callback(responses.GET, ESEARCH, callback=search)
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)
    imported: list[list[str]] = []
    monkeypatch.setattr(window.imports, "import_inputs",
                        lambda inputs, failed=(): imported.append(list(inputs)))
    # The menu asks for the search: first an address with a filter SpineLib cannot apply
    # (said, and asked again with the text kept), then one it can.
    asked: list[str] = []
    answers = iter([PAGE + "?term=kyphoplasty&filter=sex.female",
                    PAGE + "?term=kyphoplasty&filter=years.2011-2024"])

    def ask(*args: object) -> tuple[str, bool]:
        asked.append(str(args[-1]))
        return next(answers), True

    warned: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", ask)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    assert window.acts.search_pubmed.isEnabled()  # needs no selection
    window.acts.search_pubmed.trigger()
    assert asked == ["", PAGE + "?term=kyphoplasty&filter=sex.female"]
    assert warned and "cannot apply this PubMed filter: sex.female" in warned[0]
    dialog = window.findChild(SharedReferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.shared is not None)
    assert terms == [("(kyphoplasty) AND 2011:2024[dp]", "0")]
    assert dialog.windowTitle() == "PubMed: (kyphoplasty) AND 2011:2024[dp]"
    assert dialog.tree.isColumnHidden(0) and dialog.at_least.isHidden()
    assert dialog.bar is not None and dialog.bar.line.text().endswith("years.2011-2024")
    assert dialog.bar.order.currentText() == "Best match"  # the address names no order
    assert dialog.summary.text() == ("PubMed finds 1,234 articles; the first 2 listed, 0 of "
                                     "them in your library.")
    # The next page goes on in PubMed's order.
    assert dialog.more.isVisible() and dialog.more.text() == "Show the next 200"
    dialog.more.click()
    qtbot.waitUntil(lambda: dialog.count() == 3)
    assert terms[1] == ("(kyphoplasty) AND 2011:2024[dp]", "200")
    # PubMed's order; the window's sample holds Berenson's trial (21333599).
    assert [cell(dialog.tree, i, 3) for i in range(dialog.count())] == [
        "PMID 34126044", "PMID 23709750", "PMID 21333599"]
    assert cell(dialog.tree, 2, 1) == "✓" and cell(dialog.tree, 0, 1) == ""
    assert dialog.results is not None
    assert [w.number for w in dialog.results.shared.works] == [1, 2, 201]
    assert dialog.summary.text() == ("PubMed finds 1,234 articles; the first 3 listed, 1 of "
                                     "them in your library.")
    dialog.import_new.click()
    assert imported == [["34126044", "23709750"]]
    # Narrowed in the dialog's own search line: a search it cannot run is said there and
    # nothing is asked; another is run in place of the first.
    dialog.bar.line.setText(PAGE + "?term=kyphoplasty&filter=age.aged")
    dialog.bar.submit()
    assert "Not searched: SpineLib cannot apply this PubMed filter: age.aged" in \
        dialog.bar.problem.text()
    assert not dialog.bar.problem.isHidden() and len(terms) == 2
    dialog.bar.line.setText("kyphoplasty[ti] AND myeloma")
    dialog.bar.line.returnPressed.emit()
    qtbot.waitUntil(lambda: len(terms) == 3 and dialog.shared is not None)
    assert terms[2] == ("kyphoplasty[ti] AND myeloma", "0") and dialog.bar.problem.isHidden()
    assert dialog.windowTitle() == "PubMed: kyphoplasty[ti] AND myeloma"
    assert dialog.count() == 2
    # Another order lists the same search again in it.
    dialog.bar.order.setCurrentIndex(dialog.bar.order.findText("Publication date"))
    qtbot.waitUntil(lambda: len(terms) == 4 and dialog.shared is not None)
    assert sorts[-2:] == ["relevance", "pub_date"] and terms[3][0] == terms[2][0]
    # Watch…: the New watch form, filled with the search; saved, it is a watch.
    dialog.bar.watch_button.click()
    form = dialog.findChild(NewWatchForm)
    assert form is not None and form.query.toPlainText() == "kyphoplasty[ti] AND myeloma"
    assert form.name.text() == "kyphoplasty[ti] AND myeloma"
    form.name.setText("Kyphoplasty in myeloma")
    with qtbot.waitSignal(form.saved):
        form.save()
    assert [(w.name, w.query) for w in lib.watches.all()] == [
        ("Kyphoplasty in myeloma", "kyphoplasty[ti] AND myeloma")]
    dialog.close()


@responses.activate
def test_offline_the_search_says_so(window: MainWindow, qtbot: QtBot) -> None:
    responses.get(re.compile(ESEARCH.pattern), body=requests.ConnectionError("no route"))
    dialog = open_pubmed_search(window, "vertebroplasty[ti]")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("Asking PubMed failed: "))
    assert dialog.shared is None and dialog.count() == 0
    assert not dialog.import_new.isEnabled()
    dialog.close()


@responses.activate
def test_a_technique_in_the_sidebar_searches_pubmed_for_it(window: MainWindow, lib: Library,
                                                            qtbot: QtBot) -> None:
    """Right-click a technique ▸ Search PubMed for it…: the vocabulary's query for it (as
    `watch suggest` writes it), so what PubMed has that the library lacks shows unmarked."""
    from spinelib.gui.querystate import Filter
    from spinelib.vocabulary.watch_query import technique_query
    from tests.gui.test_sidebar import item_for

    terms: list[str] = []
    responses.add_callback(responses.GET, ESEARCH, callback=lambda r: (
        terms.append(parse_qs(urlsplit(r.url).query)["term"][0]) or 200, {},
        esearch_reply(FOUND, 87)))
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)
    qtbot.waitUntil(lambda: window.sidebar.data is not None)
    menu = window.sidebar.context_menu_for(item_for(window, Filter("tag", "balloon_kyphoplasty")).index())
    entry = next(a for a in menu.actions() if a.text() == "Search PubMed for it…")
    entry.trigger()
    dialog = window.findChild(SharedReferencesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.shared is not None)
    query = technique_query(lib.taxonomy, "balloon_kyphoplasty")[1]
    assert terms == [query] and '"kyphoplasty"[tiab]' in query
    assert dialog.bar is not None and dialog.bar.line.text() == query
    assert dialog.bar.line.cursorPosition() == 0  # shown from its start
    assert dialog.windowTitle() == "PubMed: Balloon kyphoplasty (the vocabulary's search)"
    # A pasted address's own order shows in the list.
    other = open_pubmed_search(window, PAGE + "?term=sbrt&sort=pubdate")
    assert other is not None and other.bar is not None
    assert other.bar.order.currentText() == "Publication date"
    qtbot.waitUntil(lambda: other.shared is not None)
    other.close()
    assert dialog.summary.text().startswith("PubMed finds 87 articles; the first 3 listed")
    dialog.close()
    # Your own tags have no vocabulary query: no such entry.
    tag = lib.tags.create("to discuss")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: any(t.id == tag for t in window.sidebar.data.tags))
    menu = window.sidebar.context_menu_for(item_for(window, Filter("tag", tag)).index())
    assert "Search PubMed for it…" not in [a.text() for a in menu.actions()]


@responses.activate
def test_a_results_address_pasted_into_import_lists_its_search(window: MainWindow,
                                                                qtbot: QtBot) -> None:
    """Pasted into the Import dialog, a PubMed results page's address is a search, not a
    line to skip: *Import* lists its results in the search dialog to choose from."""
    responses.add_callback(responses.GET, ESEARCH, callback=lambda r: (
        200, {}, esearch_reply(FOUND, 57)))
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)
    dialog = window.imports.show_import()
    dialog.text.setPlainText(PAGE + "?term=kyphoplasty&filter=pubt.review\nnonsense\n")
    dialog.update_preview()
    assert cell(dialog.tree, 0, 1) == "a PubMed search: Import lists its results to choose from"
    assert (cell(dialog.tree, 0, 2), cell(dialog.tree, 1, 2)) == ("its results listed",
                                                                  "will be skipped")
    # The search is counted as one, not with the lines that are not recognised.
    assert dialog.summary.text() == "0 to import, 1 PubMed search to list, 1 not recognised"
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    found = window.findChild(SharedReferencesDialog)
    assert found is not None and found.query is not None
    assert found.query.term == "(kyphoplasty) AND review[pt]"
    qtbot.waitUntil(lambda: found.shared is not None)
    assert found.count() == 3
    # The import dialog had nothing else: it is put away, emptied.
    assert not dialog.isVisible() and dialog.text.toPlainText() == ""
    found.close()

