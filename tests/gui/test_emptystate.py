"""Every empty result says why and how to get out; a new search or filter starts at the top
(issue 18)."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from spinelib.gui.emptystate import empty_message
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import ALL, Filter
from spinelib.library import Library
from tests.core.helpers import make_record


def test_messages_name_the_search_and_the_filter() -> None:
    labels = {"radiotherapy": "Radiotherapy"}
    both = empty_message([Filter("tag", "radiotherapy")], "xyz", labels, {})
    assert both.text == "No articles match “xyz” in Radiotherapy."
    assert [t for t, _ in both.ways_out] == ["clear-filter", "clear-search"]
    only_search = empty_message([ALL], "xyz", labels, {})
    assert only_search.text.startswith("No articles match “xyz”.")
    assert [t for t, _ in only_search.ways_out] == ["clear-search"]
    suggested = empty_message([Filter("tag", "radiotherapy")], "", labels,
                              {"radiotherapy": 34})
    assert "No articles in Radiotherapy." in suggested.text and "34" in suggested.text
    assert suggested.ways_out[0] == ("suggested:radiotherapy", "Include the suggested ones")
    hinted = empty_message([ALL], "year:abc", labels, {}, ["“year:abc” was searched as text."])
    assert hinted.text == "No articles match “year:abc”. “year:abc” was searched as text."
    hinted = empty_message([Filter("tag", "radiotherapy")], "read:x", labels, {}, ["Hint."])
    assert hinted.text == "No articles match “read:x” in Radiotherapy. Hint."
    empty_list = empty_message([Filter("list", "Club")], "", labels, {})
    assert empty_list.text.startswith("The reading list “Club” is empty.")
    assert "<a href=\"clear-filter\">" in empty_list.html()


def test_empty_search_explains_and_the_way_out_works(window: MainWindow, lib: Library,
                                                     qtbot: QtBot) -> None:
    window.sidebar.select_filter(Filter("retracted"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.search.setText("xyzzyqq")
    window.queries.apply_query()
    overlay = window.queries.empty
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and overlay.message is not None)
    assert overlay.message.text == "No articles match “xyzzyqq” in Retracted / errata."
    assert not overlay.isHidden()
    overlay.link_clicked.emit("clear-filter")          # "Search all articles"
    qtbot.waitUntil(lambda: window.sidebar.filters() == [ALL])
    qtbot.waitUntil(lambda: window.model.query.search == "xyzzyqq"
                    and not window.model.query.retracted)
    overlay.link_clicked.emit("clear-search")
    qtbot.waitUntil(lambda: window.model.rowCount() == lib.search.count())
    assert overlay.isHidden()
    window.search.setText("has:nothing")  # a value has: cannot read: the overlay says so
    window.queries.apply_query()
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and overlay.message is not None)
    assert overlay.message.text == ("No articles match “has:nothing”. “has:” takes abstract, "
                                    "doi, notes, pdf, pmcid or pmid; “has:nothing” was searched "
                                    "as plain text.")


def test_a_new_search_starts_at_the_top(lib: Library, make_window: Callable[..., MainWindow],
                                        qtbot: QtBot) -> None:
    lib.articles.add_records([make_record(title=f"Spinal metastasis series {n}",
                                          doi=f"10.1234/top{n}", pmid=str(700 + n))
                              for n in range(120)])
    win = make_window(lib)
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    bar = win.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    win.search.setText("series")
    win.queries.apply_query()
    qtbot.waitUntil(lambda: win.model.query.search == "series" and win.model.rowCount() == 120)
    qtbot.waitUntil(lambda: bar.value() == 0)
    bar.setValue(bar.maximum())
    win.sidebar.select_filter(Filter("unread"))
    qtbot.waitUntil(lambda: win.model.query.unread)
    qtbot.waitUntil(lambda: bar.value() == 0)


def test_the_search_box_names_its_terms_on_hover(window: MainWindow) -> None:
    """The search language is not guessable: hovering the box shows every kind of term."""
    from spinelib.searchsyntax import SYNTAX, as_html

    tip = window.search.toolTip()
    assert tip == as_html()
    assert all(row.example.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
               in tip for row in SYNTAX)
    assert "year:2015..2020" in tip and "has:pdf" in tip
