"""The detail pane: citation, safe links, highlights, banner, tags, reading state, notes,
references with in-library marks and imports, cited-by navigation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from spinelib.gui import detail as detail_module
from spinelib.gui.detailhtml import Colours, abstract_html, detail_html, highlight
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.tablemodel import short_label
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, cell, outcome_of, wait_loaded


def test_shows_citation_abstract_and_links(window: MainWindow, lib: Library,
                                           qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    data = window.detail.data
    assert data is not None
    assert data.citation.startswith("Patchell RA, Tibbs PA, Müller J.")
    html = window.detail.browser.toHtml()
    assert "Direct decompressive surgical resection" in html
    assert "https://doi.org/10.1016/s0140-6736(05)66954-1" in html
    assert "https://pubmed.ncbi.nlm.nih.gov/16112300/" in html
    text = window.detail.browser.toPlainText()
    assert "Background. The standard treatment" in text  # section label of the abstract
    assert "Spinal Neoplasms" in text  # MeSH
    assert not window.detail.banner.isVisible()


def test_the_pane_says_which_reading_lists_hold_the_article(window: MainWindow, lib: Library,
                                                            qtbot: QtBot) -> None:
    """Where a paper is filed (its folders imported from Mendeley, say) is seen at once."""
    aid = article_id(lib, "16112300")
    for name in ("Tumour board", "Spine oncology/MESCC"):
        lib.lists.create(name)
        lib.lists.add(name, [aid])
    wait_loaded(qtbot, window, aid)
    text = window.detail.browser.toPlainText()
    assert "In reading lists: Spine oncology/MESCC · Tumour board" in text
    # Added to one more list from the window: the pane says so without a new selection.
    lib.lists.create("Journal club")
    window.commands.add_to_list("Journal club", [aid])
    qtbot.waitUntil(lambda: "Journal club · Spine oncology" in
                    window.detail.browser.toPlainText(), timeout=5000)
    assert "In reading lists" not in detail_html(make_record(), citation="c")
    assert "&lt;b&gt;" in detail_html(make_record(), citation="c", lists=["<b>"])


def test_only_identifier_links_open(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    opened: list[str] = []
    window.detail.open_url = lambda url: opened.append(url.toString())
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    window.detail.browser.anchorClicked.emit(QUrl("https://pubmed.ncbi.nlm.nih.gov/16112300/"))
    window.detail.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    window.detail.browser.anchorClicked.emit(QUrl("https://evil.example/"))
    window.detail.browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://pubmed.ncbi.nlm.nih.gov/16112300/"]


def test_a_web_page_record_opens_its_own_page(lib: Library, qtbot: QtBot,
                                              make_window: Callable[..., MainWindow]) -> None:
    # A guideline imported from a .bib: no DOI or PMID, only its page (with a "~" the
    # file wrote encoded, which Qt hands back decoded).
    page = "https://www.example.org/%7Espine/guideline(2024)?section=mscc&v=2"
    aid = lib.articles.add_record(ArticleRecord(title="MSCC guideline", type="webpage",
                                                year=2024, url=page)).article_id
    window = make_window(lib)
    opened: list[str] = []
    window.detail.open_url = lambda url: opened.append(url.toString())
    wait_loaded(qtbot, window, aid)
    assert "Web page: www.example.org" in window.detail.browser.toPlainText()
    window.detail.browser.anchorClicked.emit(QUrl(page))
    window.detail.browser.anchorClicked.emit(QUrl("https://www.example.org/other"))
    assert opened == ["https://www.example.org/~spine/guideline(2024)?section=mscc&v=2"]
    # Enter in the table opens it too (it used to say there was nothing to open).
    window.keys.opener = lambda url: opened.append(url.toString()) or True
    assert window.keys.open_current()
    assert opened[-1] == "https://www.example.org/~spine/guideline(2024)?section=mscc&v=2"


def test_retraction_and_erratum_banners(window: MainWindow, lib: Library,
                                        qtbot: QtBot) -> None:
    window.show()
    wait_loaded(qtbot, window, article_id(lib, "25000001"))
    assert window.detail.banner.isVisible()
    assert "retracted" in window.detail.banner.text()
    wait_loaded(qtbot, window, article_id(lib, "33000001"))
    assert "erratum" in window.detail.banner.text()
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    assert not window.detail.banner.isVisible()


def test_an_unidentified_pdf_says_how_to_identify_it(lib: Library, make_window: Any,
                                                     qtbot: QtBot, tmp_path: Any) -> None:
    """A paper kept from a PDF without a DOI or PMID is named by its first page alone; the
    pane says so, and how to give it its full record, until it has an identifier."""
    from spinelib.pdfimport import run_import
    from tests.pdfmaker import make_pdf

    pdf = make_pdf(tmp_path / "handout.pdf", ["Separation surgery for epidural compression\n"
                                              "A course handout without a DOI."])
    [item] = run_import(lib, [str(pdf)], client=None).items
    kept = item.article_id or 0
    window = make_window(lib)
    window.show()
    wait_loaded(qtbot, window, kept)
    banner = window.detail.banner
    assert banner.isVisible()
    assert "Unidentified PDF</b> (no identifier in handout.pdf)" in banner.text()
    # Its link identifies the article shown, as the Full text menu's item does (a page this
    # short is searched nowhere: not found, with no request).
    assert '<a href="spinelib:identify"' in banner.text()
    assert "yours once <i>Edit fields</i> has its authors and year" in banner.text()
    window.pdfs.progress = None
    banner.linkActivated.emit("https://evil.example/")  # no other link does anything
    assert window.pdfs.progress is None  # no identify run (its progress dialog) started
    banner.linkActivated.emit("spinelib:identify")
    assert window.pdfs.progress is not None
    qtbot.waitUntil(lambda: window.status.bar.currentMessage().startswith("Identify PDFs:"),
                    timeout=20000)
    assert window.status.bar.currentMessage() == "Identify PDFs: 1 not found."
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    assert not banner.isVisible()
    # Given a DOI (by Edit), it is identified: the line goes.
    lib.edits.edit(kept, {"doi": "10.1000/handout.1"})
    wait_loaded(qtbot, window, kept)
    assert window.detail.data is not None and window.detail.data.unidentified is None
    assert not banner.isVisible()


def test_search_matches_are_highlighted(window: MainWindow, lib: Library,
                                        qtbot: QtBot) -> None:
    window.search.setText("randomis")
    qtbot.waitUntil(lambda: window.model.query.search == "randomis")
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.terms
                    == ["randomis"])
    assert "background-color" in window.detail.browser.toHtml()


def test_html_is_escaped_and_highlighted() -> None:
    c = Colours(mark_bg="#ff0", mark_fg="#000")
    out = highlight("<b>Kyphoplasty</b> & kyphoplasties", ["kyphopl"], c)
    assert out.count("background-color:#ff0") == 2
    assert "&lt;b&gt;" in out and "&amp;" in out and "<b>" not in out
    abstract = abstract_html("BACKGROUND: One.\n\nRESULTS: <script>x</script>", [], c)
    assert "<b>Background.</b> One." in abstract
    assert "<script>" not in abstract
    rec = make_record(title='Evil <img src=x onerror="alert(1)">', doi='10.1/"><script>')
    page = detail_html(rec, citation="c")
    assert "<img" not in page and "<script>" not in page


def test_highlights_set_accents_and_case_aside_as_the_search_does() -> None:
    c = Colours(mark_bg="#ff0", mark_fg="#000")
    mark = '<span style="background-color:#ff0;color:#000">'
    out = highlight("Jörg Müller: cimentoplastie VERTÉBRALE, Straße", ["muller", "vertebr",
                                                                     "strasse"], c)
    assert out == (f"Jörg {mark}Müller</span>: cimentoplastie {mark}VERTÉBRALE</span>, "
                   f"{mark}Straße</span>")
    # An accent written as a combining mark stays inside the mark with its letter.
    assert highlight("verte\u0301brale", ["vertebrale"], c) == (
        f"{mark}verte\u0301brale</span>")
    assert highlight("Müller", ["mül"], c) == f"{mark}Müller</span>"


def test_the_words_searched_are_marked_in_a_books_line_and_an_edited_books_editors() -> None:
    """editor:feldman (or journal:, or a plain word) found the chapter by its book's line:
    the Details tab marks the word there, as it marks an author's name."""
    mark = '<span style="background-color:#ff0;color:#000">'
    c = Colours(mark_bg="#ff0", mark_fg="#000")
    chapter = make_record(title="CACNA1C-related disorders", book_title="GeneReviews",
                          type="chapter", editors=[Author(family="Adam", given="Margaret P"),
                                                   Author(family="Feldman", given="Jerry")])
    chapter.journal = chapter.journal_abbrev = ""
    page = detail_html(chapter, citation="c", terms=["feldman", "genereviews"], colours=c)
    assert f"In: {mark}GeneReviews</span>" in page and f"Jerry {mark}Feldman</span>" in page
    book = make_record(title="Tumors of the spine", type="book", authors=[],
                       editors=[Author(family="Feldman", given="Jerry")])
    book.journal = book.journal_abbrev = ""
    assert f"Jerry {mark}Feldman</span> (ed.)" in detail_html(book, citation="c",
                                                              terms=["feldman"], colours=c)


def test_notes_are_shown_only_when_the_search_matches_in_them() -> None:
    rec = make_record(title="Kyphoplasty trial", notes="Check table 2 for leakage.")
    assert "table 2" not in detail_html(rec, citation="c", terms=["kyphoplasty"])
    assert "table 2" in detail_html(rec, citation="c", terms=["leak"])


def test_a_chapter_names_its_book_where_an_article_names_its_journal() -> None:
    """A chapter has no journal: the line under the authors says which book (or, for a
    report with neither, who published it) instead of a bare year."""
    chapter = make_record(journal="", journal_abbrev="", type="chapter", year=2019,
                          book_title="Spine Oncology Handbook", publisher="Thieme")
    assert "In: Spine Oncology Handbook 2019" in detail_html(chapter, citation="c")
    report = make_record(journal="", journal_abbrev="", type="report", year=2020,
                         publisher="NICE")
    assert "NICE 2020" in detail_html(report, citation="c")
    article = make_record(journal="The Lancet", journal_abbrev="Lancet", year=2005)
    assert "Lancet 2005" in detail_html(article, citation="c")
    # Its book's editors after the book, three named at most; an edited book's, where
    # its authors would be.
    edited = [Author(family=f, given=g) for f, g in (("Adam", "Margaret P"), ("Feldman", "Jerry"),
                                                     ("Mirzaa", "Ghayda M"), ("Pagon", "R"))]
    chapter.editors, chapter.edition = edited, "2"
    assert ("In: Spine Oncology Handbook, 2nd ed., Margaret P Adam, Jerry Feldman, Ghayda M "
            "Mirzaa et al. (eds.) 2019") in detail_html(chapter, citation="c")
    book = make_record(journal="", journal_abbrev="", type="book", authors=[],
                       editors=edited[:1], title="Spine Oncology")
    assert "Margaret P Adam (ed.)</p>" in detail_html(book, citation="c")


def test_accept_and_reject_suggestions(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    with_suggestions = [i for i in lib.search.ids() if len(lib.tags.state(i).suggested) >= 1]
    assert with_suggestions, "the sample records should get suggestions"
    aid = with_suggestions[0]
    wait_loaded(qtbot, window, aid)
    first = lib.tags.state(aid).suggested[0].id
    accept, _reject = window.detail.tag_panel.suggestion_rows[first]
    accept.click()
    qtbot.waitUntil(lambda: first in [t.id for t in lib.tags.state(aid).tags])
    qtbot.waitUntil(lambda: first in window.detail.tag_panel.chip_buttons)
    # The table's Tags column follows.
    label = short_label([t.label for t in lib.tags.state(aid).tags if t.id == first][0])
    tags_cell = window.model.index(window.model.row_of(aid) or 0, 4)
    qtbot.waitUntil(lambda: label in (tags_cell.data() or ""))
    # Removing it again from its chip.
    window.detail.tag_panel.chip_buttons[first].click()
    qtbot.waitUntil(lambda: first not in [t.id for t in lib.tags.state(aid).tags])
    rest = lib.tags.state(aid).suggested
    if rest:
        other = rest[0].id
        qtbot.waitUntil(lambda: other in window.detail.tag_panel.suggestion_rows)
        window.detail.tag_panel.suggestion_rows[other][1].click()
        qtbot.waitUntil(lambda: other in [t.id for t in lib.tags.state(aid).rejected])


def test_read_status_and_rating(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    window.detail.reading.read_status.setCurrentIndex(2)
    window.detail.reading.read_status.activated.emit(2)
    qtbot.waitUntil(lambda: lib.articles.state(aid).read_status == 2)
    window.detail.reading.rating.buttons[3].click()
    qtbot.waitUntil(lambda: lib.articles.state(aid).rating == 4)
    window.detail.reading.rating.buttons[3].click()  # the same star again clears it
    qtbot.waitUntil(lambda: lib.articles.state(aid).rating == 0)


def test_notes_save_themselves(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    window.detail.reading.notes.setPlainText("Discuss at MDT: SBRT 24 Gy")
    with qtbot.waitSignal(window.detail.reading.notes_saved, timeout=5000):
        pass  # saved after a short pause, with no button
    assert lib.articles.record(aid).notes == "Discuss at MDT: SBRT 24 Gy"
    assert window.detail.reading.notes_state.text() == "Notes saved"
    assert aid in lib.search.matching("MDT")  # and searchable


def test_notes_are_saved_when_switching_articles(window: MainWindow, lib: Library,
                                                 qtbot: QtBot) -> None:
    first, second = article_id(lib, "16112300"), article_id(lib, "21333599")
    wait_loaded(qtbot, window, first)
    window.detail.reading.notes.setPlainText("typed just before moving on")
    wait_loaded(qtbot, window, second)  # before the autosave pause ends
    qtbot.waitUntil(lambda: lib.articles.record(first).notes == "typed just before moving on")
    assert lib.articles.record(second).notes == ""
    assert window.detail.reading.notes.toPlainText() == ""


def test_references_tab_marks_articles_in_library(window: MainWindow, lib: Library,
                                                  qtbot: QtBot) -> None:
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    tree = window.detail.references.tree
    assert tree.topLevelItemCount() == 3
    assert cell(tree, 0, 1) == "✓"  # Patchell 2005 is in the library
    assert cell(tree, 1, 1) == ""
    assert "1 in your library" in window.detail.references.summary.text()
    assert window.detail.tabs.tabText(1) == "Refs (3)"
    assert window.detail.tabs.tabToolTip(1) == "3 references in this article's reference list"
    # Double-clicking an in-library reference opens that article.
    with qtbot.waitSignal(window.detail.open_article) as sig:
        tree.itemActivated.emit(tree.topLevelItem(0), 0)  # a double-click, or Enter
    assert sig.args == [article_id(lib, "16112300")]
    qtbot.waitUntil(lambda: window.table.current_id() == article_id(lib, "16112300"))


def test_import_from_references_asks_for_the_missing_ones(window: MainWindow, lib: Library,
                                                          qtbot: QtBot) -> None:
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    with qtbot.waitSignal(window.detail.import_requested) as sig:
        window.detail.references.import_all.click()
    inputs, failed = sig.args
    assert inputs == ["10.1097/brs.0b013e3181a0b0c1"]  # not the one already in the library
    assert [f.given for f in failed] == ["reference 3"]  # no identifier to fetch it by
    # The window hands them to an import dialog (offline here: they end up queued).
    dialog = window.imports.dialogs[-1]
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15000)
    statuses = {i.given: i.status for i in outcome_of(dialog).report.items}
    assert statuses["reference 3"] == "failed"
    assert statuses["10.1097/brs.0b013e3181a0b0c1"] in ("queued", "failed")


def test_cited_by_lists_citing_articles(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    cited = window.detail.cited_by
    qtbot.waitUntil(lambda: cited.count() == 2)  # loaded just after the rest of the pane
    # The same rows as the References tab: number, ✓, the wrapped citation, identifier.
    labels = [cited.item(i).text(2) for i in range(cited.count())]
    assert any(t.startswith("Berenson J et al. Balloon kyphoplasty") and t.endswith(
        "Lancet Oncol. 2011.") for t in labels)
    assert [cited.item(i).text(1) for i in range(cited.count())] == ["✓", "✓"]
    assert {cited.item(i).text(3) for i in range(cited.count())} == {"PMID 21333599",
                                                                      "PMID 31000001"}
    assert window.detail.tabs.tabText(2) == "Cited by (2)"
    assert window.detail.tabs.tabToolTip(2) == "Cited by 2 articles in this library"
    target = [i for i in range(cited.count()) if "Stereotactic" in cited.item(i).text(2)][0]
    cited.tree.itemActivated.emit(cited.item(target), 0)
    qtbot.waitUntil(lambda: window.table.current_id() == article_id(lib, "31000001"))


def test_edits_go_to_the_article_on_screen_while_another_loads(
        window: MainWindow, lib: Library, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown, loading = article_id(lib, "16112300"), article_id(lib, "21333599")
    wait_loaded(qtbot, window, shown)
    gate = threading.Event()
    real = detail_module.load_detail

    def slow_load(*args: Any, **kwargs: Any) -> Any:
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(detail_module, "load_detail", slow_load)
    window.table.select_ids([loading], loading)
    qtbot.waitUntil(lambda: window.detail.article_id == loading)
    assert window.detail.shown_id == shown  # still on screen
    window.detail.reading.rating.buttons[4].click()
    qtbot.waitUntil(lambda: lib.articles.state(shown).rating == 5)
    assert lib.articles.state(loading).rating == 0
    gate.set()
    qtbot.waitUntil(lambda: window.detail.shown_id == loading)


def test_a_stale_load_never_undoes_a_rating_or_read_status(window: MainWindow, lib: Library,
                                                           qtbot: QtBot) -> None:
    aid = article_id(lib, "21333599")
    wait_loaded(qtbot, window, aid)
    pane, box = window.detail, window.detail.reading
    stale = pane.data  # what a load that read the article before the clicks below reports
    assert stale is not None and (stale.rating, stale.read_status) == (0, 0)

    box.rating.buttons[3].click()  # four stars
    box.read_status.setCurrentIndex(2)
    box.read_status.activated.emit(2)  # Read
    # No event is processed in between, so both writes are still on the worker when the
    # load that read the article before them reports.
    pane._loaded(pane._generation, stale)
    assert box.rating.rating() == 4
    assert box.read_status.currentIndex() == 2

    # The next clicks act on what is on screen: the same star again clears the rating, and
    # Unread is a change from Read.
    box.rating.buttons[3].click()
    box.read_status.setCurrentIndex(0)
    box.read_status.activated.emit(0)
    assert box.rating.rating() == 0

    qtbot.waitUntil(lambda: not box.edit_pending("rating")
                    and not box.edit_pending("read_status"))
    assert lib.articles.state(aid).rating == 0
    assert lib.articles.state(aid).read_status == 0
    # The load after the last write shows what is stored.
    qtbot.waitUntil(lambda: pane.data is not None and pane.data is not stale
                    and (pane.data.rating, pane.data.read_status) == (0, 0))
    assert box.rating.rating() == 0 and box.read_status.currentIndex() == 0


def test_a_stale_load_after_a_rating_shows_the_click_then_the_stored_value(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    pane, box = window.detail, window.detail.reading
    stale = pane.data
    assert stale is not None and stale.rating == 0
    box.rating.buttons[1].click()  # two stars
    pane._loaded(pane._generation, stale)
    assert box.rating.rating() == 2  # the click stays on screen
    qtbot.waitUntil(lambda: lib.articles.state(aid).rating == 2)
    qtbot.waitUntil(lambda: pane.data is not None and pane.data.rating == 2)
    assert box.rating.rating() == 2


def test_the_tag_panel_says_why_a_mentioned_technique_was_not_suggested(
        lib: Library, make_window: Any, qtbot: QtBot) -> None:
    lib.articles.add_records([make_record(
        pmid="99999001", doi="10.1000/why-not", references=[],
        title="Stereotactic body radiotherapy for painful spinal metastases",
        abstract=("METHODS: We treated 40 patients with SBRT.\n\n"
                  "RESULTS: No vertebroplasty was performed. Pain fell in 30."))])
    window = make_window(lib)
    aid = article_id(lib, "99999001")
    wait_loaded(qtbot, window, aid)
    panel = window.detail.tag_panel
    assert "sbrt_srs" in panel.suggestion_rows
    assert not panel.why_not.isHidden()
    assert "Percutaneous vertebroplasty: negated in results: 'vertebroplasty'" in (
        panel.why_not.text())
    assert "sbrt_srs" not in panel.why_not.text()
    # An article without such mentions shows no line at all.
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    qtbot.waitUntil(lambda: panel.why_not.isHidden())


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)])
def test_every_detail_tab_is_visible_whole(window: MainWindow, lib: Library, qtbot: QtBot,
                                           size: tuple[int, int]) -> None:
    """At 1280x720 (and 1440x900) all five tabs show in full: none behind scroll arrows,
    none cut or elided, with the cited-by count on screen."""
    window.resize(*size)
    # The panes as a first start at this size lays them out (MainWindow's defaults).
    side, pane = (245, 375) if size[0] < 1400 else (280, 430)
    window.splitter.setSizes([side, size[0] - side - pane, pane])
    window.show()
    qtbot.waitExposed(window)
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    qtbot.waitUntil(lambda: window.detail.tabs.tabText(2) != "Cited by (…)")
    tabs = window.detail.tabs
    labels = [tabs.tabText(i) for i in range(tabs.count())]
    assert labels[0] == "Details" and labels[3:] == ["Evidence", "Text"]
    bar = tabs.tabBar()
    qtbot.waitUntil(lambda: bar.width() > 0)
    for i in range(tabs.count()):
        rect = bar.tabRect(i)
        assert rect.left() >= 0 and rect.right() < bar.width(), labels[i]
        assert rect.width() >= bar.tabSizeHint(i).width(), f"{labels[i]} is elided"


def test_opening_an_article_hidden_by_the_search_clears_it_and_selects_it(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    """After the first load, following a citation to an article the current search hides
    widens the view to the whole library and selects that article."""
    cited, citing = article_id(lib, "16112300"), article_id(lib, "31000001")
    wait_loaded(qtbot, window, cited)
    window.search.setText("Patchell")
    window.queries.apply_query()
    qtbot.waitUntil(lambda: window.model.row_of(citing) is None
                    and window.model.row_of(cited) is not None)
    window.detail.open_article.emit(citing)
    qtbot.waitUntil(lambda: window.table.current_id() == citing)
    assert window.search.text() == "" and window.model.row_of(cited) is not None
    assert window.table.selected_ids() == [citing]
    qtbot.waitUntil(lambda: window.detail.data is not None
                    and window.detail.data.article_id == citing)


def test_a_first_start_at_1280x720_splits_so_every_tab_label_is_whole(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    """No saved layout: the split is made at the window's real width once shown, and the
    detail pane is never narrower than its tabs' whole labels (not "Det…", "Cited by …"),
    even when the user drags the splitter towards it."""
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    tabs = window.detail.tabs
    bar = tabs.tabBar()
    qtbot.waitUntil(lambda: tabs.tabText(2) != "Cited by (…)")
    side, middle, pane = window.splitter.sizes()
    assert middle >= 400 and pane >= window.detail.minimumSizeHint().width()
    window.splitter.setSizes([side, middle + pane - 100, 100])  # dragged far right
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] >= window.detail.minimumSizeHint().width())
    for i in range(tabs.count()):
        assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width(), f"{tabs.tabText(i)} elided"


@pytest.mark.parametrize("source, said", [
    ("wos", "from Web of Science"), ("enw", "from an EndNote file"), ("pubmed", "from PubMed"),
    ("team-import", "from team-import"),  # one the pane has no words for: as stored
    ("typed", "typed in by you"),  # File ▸ New article…, spinelib add
])
def test_the_footer_says_where_a_record_came_from_in_words(source: str, said: str) -> None:
    rec = make_record(source=source)
    assert said in detail_html(rec, citation="c")


def test_a_paper_in_press_says_so_where_its_year_would_be() -> None:
    accepted = make_record(journal="Spine", journal_abbrev="Spine", year=None,
                           pubstate="inpress")
    assert "Spine in press" in detail_html(accepted, citation="c")
    dated = make_record(journal="Spine", journal_abbrev="Spine", year=2026, pubstate="inpress")
    assert "Spine 2026" in detail_html(dated, citation="c")


def test_cite_as_is_in_the_style_copy_citation_uses(
        lib: Library, make_window: Any, qtbot: QtBot) -> None:
    """Before: the pane cited every article in Vancouver, whatever Preferences chose, so it
    showed one citation and Copy citation copied another."""
    from dataclasses import replace as changed

    from spinelib.settings import Settings

    window = make_window(lib, Settings(max_retries=0, citation_style="apa").with_env())
    aid = article_id(lib, "16112300")
    wait_loaded(qtbot, window, aid)
    assert window.detail.data is not None
    assert window.detail.data.citation.startswith("Patchell, R. A., Tibbs, P. A., & Müller")
    assert window.detail.data.citation_style == "APA Style 7th edition"
    assert "APA Style 7th edition · set in Preferences" in window.detail.browser.toPlainText()
    # Preferences saved with another style: the shown article is cited again in it.
    window._settings_saved(changed(window.settings, citation_style="spine"))
    qtbot.waitUntil(lambda: window.detail.data is not None
                    and window.detail.data.citation.startswith("Patchell RA, Tibbs PA"))
    assert window.detail.data.citation_style == "Spine"


def test_a_style_gone_since_it_was_chosen_falls_back_to_vancouver(lib: Library) -> None:
    from spinelib.gui.jobs import load_detail

    data = load_detail(lib, article_id(lib, "16112300"), style="no-such-style-anymore")
    assert data.citation.startswith("Patchell RA, Tibbs PA, Müller J.")
    assert data.citation_style.startswith("NLM/Vancouver")
