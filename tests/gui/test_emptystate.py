"""Every empty result says why and how to get out; a new search or filter starts at the top
(issue 18)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from spinelib.curation_results import SearchSuggestion
from spinelib.gui.emptystate import empty_message
from spinelib.gui.importflow import ImportFlow
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
    # Where it looked, the papers' own text included, and how the words must stand there.
    assert "tags, notes and attached texts (every word in an article's details, or every " \
           "word on one page of its text)." in only_search.text
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


def test_an_empty_library_view_says_what_it_means() -> None:
    """"No articles in Retracted / errata." said nothing of how current it is; each of the
    Library's views says what its emptiness means."""
    said = {kind: empty_message([Filter(kind)], "", {}, {}) for kind in
            ("unread", "recent", "retracted", "unidentified")}
    assert said["retracted"].text == (
        "No article is flagged as retracted, under an expression of concern or corrected, as "
        "far as the last retraction check knows (File ▸ Check retractions asks again).")
    assert said["unidentified"].text.startswith("No unidentified PDFs: every PDF imported "
                                                "was matched to its paper")
    assert said["unread"].text.startswith("No unread articles")
    assert said["recent"].text == "Nothing added in the last 30 days."
    assert all(m.ways_out == (("clear-filter", "Show all articles"),) for m in said.values())
    # With a search, the search is named first, as before.
    assert empty_message([Filter("retracted")], "xyz", {}, {}).text == (
        "No articles match “xyz” in Retracted / errata.")


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


def test_a_search_part_not_applied_is_said_even_when_rows_show(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    """'english[la]' is left out of the search: the rows are the rest's, and the status bar
    says what was not applied (once a search, not at every refresh)."""
    said: list[str] = []
    window.queries.message.connect(said.append)
    window.search.setText("english[la]")
    window.queries.apply_query()
    qtbot.waitUntil(lambda: window.model.rowCount() == lib.search.count() and bool(said))
    assert said == ["“[la]” is a PubMed field SpineLib does not search by; “english[la]” was "
                    "left out of the search."]
    with qtbot.waitSignal(window.queries.counted):  # the refresh has finished
        window.queries.articles_changed()  # the same search again says nothing again
    assert len(said) == 1


def test_an_identifier_the_library_lacks_is_offered_for_import() -> None:
    missing = empty_message([ALL], "https://doi.org/10.1056/NEJMoa1", {}, {},
                            identifier=("doi", "10.1056/nejmoa1"))
    assert missing.text == "No article with DOI 10.1056/nejmoa1 in the library."
    assert missing.ways_out == (("import:10.1056/nejmoa1", "Import it"),
                                ("clear-search", "Clear the search"))
    # Within a filter the article may simply be elsewhere: search everything first.
    narrowed = empty_message([Filter("unread")], "pmid:1", {}, {}, identifier=("pmid", "1"))
    assert [t for t, _ in narrowed.ways_out] == ["clear-filter", "clear-search"]
    trashed = empty_message([ALL], "pmid:1", {}, {}, identifier=("pmid", "1"), trashed=7)
    assert trashed.text == "The article with PMID 1 is in the Trash."
    assert [t for t, _ in trashed.ways_out] == ["restore:7", "clear-search"]


def test_searching_a_missing_doi_offers_its_import(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[list[str]] = []
    monkeypatch.setattr(ImportFlow, "import_inputs", lambda _self, inputs: asked.append(inputs))
    window = make_window(lib)
    window.search.setText(" https://doi.org/10.1056/NEJMoa042431 ")
    window.queries.apply_query()
    overlay = window.queries.empty
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and overlay.message is not None)
    assert overlay.message.text == "No article with DOI 10.1056/nejmoa042431 in the library."
    assert '<a href="import:10.1056/nejmoa042431">Import it</a>' in overlay.message.html()
    overlay.link_clicked.emit("import:10.1056/nejmoa042431")
    assert asked == [["10.1056/nejmoa042431"]]
    # The same paste finds the article once it is in the library.
    article = lib.articles.add_record(make_record(doi="10.1056/NEJMoa042431", pmid="999"))
    window.queries.apply_query()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    # In the trash, it is offered back rather than fetched again.
    lib.trash.delete([article.article_id])
    window.queries.apply_query()
    # Looked up in the trash on a worker: Import it, then Restore it once that is known.
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and overlay.message is not None
                    and "Trash" in overlay.message.text)
    assert overlay.message.text == ("The article with DOI 10.1056/nejmoa042431 is in the "
                                    "Trash.")
    assert overlay.message.ways_out[0] == (f"restore:{article.article_id}", "Restore it")
    overlay.link_clicked.emit(f"restore:{article.article_id}")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert lib.trash.count() == 0 and asked == [["10.1056/nejmoa042431"]]


CITED = ("Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection. "
         "Lancet. 2005;366(9486):643-8.")
MISSING = ("Smith AB, Jones C. A paper this library does not hold on kyphoplasty. Spine. "
           "2019;44:1-9.")


def test_a_pasted_citation_finds_its_paper_or_offers_to_look_it_up(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[list[str]] = []
    monkeypatch.setattr(ImportFlow, "import_inputs", lambda _self, inputs: asked.append(inputs))
    lib.articles.add_record(make_record())  # Patchell 2005
    window = make_window(lib)
    said: list[str] = []
    window.queries.message.connect(said.append)
    window.search.setText(CITED)
    window.queries.apply_query()
    qtbot.waitUntil(lambda: window.model.rowCount() >= 1 and bool(said))
    assert said[-1].startswith("Read as a citation: the paper it names, else articles by "
                               "Patchell from 2004")
    window.search.setText(MISSING)
    window.queries.apply_query()
    overlay = window.queries.empty
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and overlay.message is not None)
    assert overlay.message.text.endswith("Read as a citation: the paper it names, else "
                                         "articles by Smith from 2018 to 2020.")
    assert overlay.message.ways_out[0] == (f"import:{MISSING}", "Look it up and import it")
    assert said[-1] == ""  # Patchell's hint, stale now, is taken off the status bar
    overlay.link_clicked.emit(f"import:{MISSING}")
    assert asked == [[MISSING]]


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


def test_a_mistyped_word_offers_the_librarys_spelling(window: MainWindow, lib: Library,
                                                      qtbot: QtBot) -> None:
    """"kyphoplsaty" found nothing and said no more; the library holds "kyphoplasty": the
    empty table offers it (worked out on a worker), and one click searches for it."""
    assert empty_message([ALL], "kyphoplsaty", {}, {}, suggestion=SearchSuggestion("kyphoplasty")).ways_out[0] \
        == ("search:kyphoplasty", "Search for “kyphoplasty”")
    # With a filter narrowing the view, the filter's way out stays first.
    narrowed = empty_message([Filter("retracted")], "kyphoplsaty", {}, {},
                             suggestion=SearchSuggestion("kyphoplasty"))
    assert narrowed.ways_out[0] == ("clear-filter", "Search all articles")
    window.search.setText("kyphoplsaty")
    window.queries.apply_query()
    overlay = window.queries.empty
    qtbot.waitUntil(lambda: overlay.message is not None and "Did you mean" in
                    overlay.message.text)
    assert overlay.message is not None
    assert overlay.message.text == "No articles match “kyphoplsaty”. Did you mean “kyphoplasty”?"
    overlay.link_clicked.emit("search:kyphoplasty")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    assert window.search.text() == "kyphoplasty" and overlay.isHidden()


def test_an_abbreviation_is_offered_with_what_it_stands_for(window: MainWindow,
                                                             qtbot: QtBot) -> None:
    """"BKP" found nothing in a library holding "Balloon kyphoplasty versus non-surgical
    care…": the empty table offers the abbreviation with the vocabulary's words for it,
    quotes and all, and one click searches for them."""
    window.search.setText("BKP")
    window.queries.apply_query()
    overlay = window.queries.empty
    qtbot.waitUntil(lambda: overlay.message is not None and "spell it out" in
                    overlay.message.text)
    assert overlay.message is not None
    meant = '(BKP OR kyphoplasty OR "balloon vertebroplasty" OR "inflatable bone tamp")'
    assert overlay.message.text == (
        "No articles match “BKP”. Papers may spell it out: BKP as “kyphoplasty”, “balloon "
        "vertebroplasty” or “inflatable bone tamp”.")
    assert overlay.message.ways_out[0] == (f"search:{meant}", "Search for these too")
    assert _hrefs(overlay.text())[0] == f"search:{meant}"  # as Qt reads the link back
    overlay.link_clicked.emit(f"search:{meant}")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    assert window.search.text() == meant and overlay.isHidden()
    assert window.model.rowCount() == 1


def _hrefs(markup: str) -> list[str]:
    """The link targets of rich text as Qt parses them (entities read back)."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(markup)
    found: list[str] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
        block = block.next()
    return found
