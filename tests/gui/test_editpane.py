"""Issue 15: the detail pane's Edit mode: fields in place, validated as typed with the
message under the field, Save/Cancel, an identifier held elsewhere refused under its field,
and the form kept when another article is selected meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from spinelib.gui.editpane import EditPane
from spinelib.gui.mainwindow import MainWindow
from spinelib.library import Library
from tests.core.helpers import make_record
from tests.gui.conftest import article_id, wait_loaded


def open_form(window: MainWindow, lib: Library, qtbot: QtBot, pmid: str) -> EditPane:
    aid = article_id(lib, pmid)
    wait_loaded(qtbot, window, aid)
    assert window.detail.edit_button is not None
    window.detail.edit_button.click()
    pane = window.detail.edit_pane
    assert window.detail.stack.currentWidget() is pane
    qtbot.waitUntil(lambda: pane.loaded is not None)
    return pane


def test_edit_in_place_validates_as_typed_and_saves(window: MainWindow, lib: Library,
                                                    qtbot: QtBot) -> None:
    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    assert pane.text_of("year") == "2005" and pane.text_of("title").startswith("Direct")
    assert pane.text_of("authors").startswith("Patchell, Roy A")
    pane.fields["year"].setText("20x5")
    assert pane.errors["year"].text() != "" and not pane.errors["year"].isHidden()
    assert not pane.save_button.isEnabled()
    pane.save()  # refused while invalid: nothing written
    assert lib.articles.record(aid).year == 2005
    pane.fields["year"].setText("2006")
    assert pane.errors["year"].isHidden() and pane.save_button.isEnabled()
    pane.fields["journal"].setText("The Lancet")
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    rec = lib.articles.record(aid)
    assert (rec.year, rec.journal) == (2006, "The Lancet")
    assert lib.edits.user_edited(aid) == {"journal", "year"}
    qtbot.waitUntil(lambda: window.detail.stack.currentWidget() is window.detail.tabs)
    qtbot.waitUntil(lambda: window.detail.data is not None
                    and window.detail.data.record.year == 2006)
    op = lib.history.can_undo()
    assert op is not None and op.name.startswith("edit of")  # one undoable step


def test_cancel_writes_nothing(window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    pane.fields["title"].setText("Something else")
    pane.cancel_button.click()
    assert window.detail.stack.currentWidget() is window.detail.tabs
    assert lib.articles.record(aid).title.startswith("Direct decompressive")
    assert lib.edits.user_edited(aid) == set()


def test_an_identifier_held_elsewhere_is_refused_under_its_field(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    pane = open_form(window, lib, qtbot, "31000001")
    aid = article_id(lib, "31000001")
    pane.fields["doi"].setText("10.1016/s0140-6736(05)66954-1")  # Patchell's DOI
    assert pane.save_button.isEnabled()  # valid as a DOI; the clash needs the database
    pane.save_button.click()
    qtbot.waitUntil(lambda: pane.errors["doi"].text() != "")
    assert "patchell" in pane.errors["doi"].text().lower()
    assert window.detail.stack.currentWidget() is pane  # the form and its text stay
    assert pane.text_of("doi") == "10.1016/s0140-6736(05)66954-1"
    assert lib.articles.record(aid).doi == "10.1016/j.ijrobp.x1"


def test_the_citation_key_is_edited_in_place_too(window: MainWindow, lib: Library,
                                                qtbot: QtBot) -> None:
    """The key is the form's first field: checked as typed, refused under its field when
    another article has it, saved with the other fields (the old key stays an alias)."""
    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    assert pane.text_of("citekey") == "patchell2005direct"
    pane.fields["citekey"].setText("patchell 2005")
    assert "no spaces" in pane.errors["citekey"].text() and not pane.save_button.isEnabled()
    pane.fields["citekey"].setText(lib.articles.citekey(article_id(lib, "31000001")))
    assert pane.save_button.isEnabled()  # its form is fine; the clash needs the database
    pane.save_button.click()
    qtbot.waitUntil(lambda: "is already used" in pane.errors["citekey"].text())
    assert lib.articles.citekey(aid) == "patchell2005direct"
    pane.fields["citekey"].setText("Patchell:RCT")
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    assert lib.articles.citekey(aid) == "Patchell:RCT"
    assert lib.articles.resolve_key("patchell2005direct") == aid


def test_the_form_keeps_its_article_when_another_is_selected(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    pane = open_form(window, lib, qtbot, "16112300")
    pane.fields["pages"].setText("643-649")
    other = article_id(lib, "31000001")
    window.table.select_ids([other], other)
    qtbot.waitUntil(lambda: window.detail.data is not None
                    and window.detail.data.article_id == other)
    assert window.detail.stack.currentWidget() is pane
    assert pane.text_of("pages") == "643-649"
    assert pane.article_id == article_id(lib, "16112300")


def test_the_publication_state_is_typed_in_words(window: MainWindow, lib: Library,
                                                 qtbot: QtBot) -> None:
    """"accepted" or "in press" is stored as biblatex's key and shown in words again; a
    state SpineLib does not know is refused under its field."""
    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    assert pane.text_of("pubstate") == ""
    assert "in press" in pane.fields["pubstate"].placeholderText()
    pane.fields["pubstate"].setText("soon")
    assert "not a publication state" in pane.errors["pubstate"].text()
    assert not pane.save_button.isEnabled()
    pane.fields["pubstate"].setText("accepted")
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    assert lib.articles.record(aid).pubstate == "inpress"
    qtbot.waitUntil(lambda: window.detail.stack.currentWidget() is window.detail.tabs)
    pane = open_form(window, lib, qtbot, "16112300")
    assert pane.text_of("pubstate") == "in press"


def test_an_empty_abbreviation_shows_the_one_citations_borrow(
        lib: Library, make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    """The detail pane cites "J Neurosurg Spine" for an article stored without an
    abbreviation (spinelib/journalnames.py); its form says where that comes from, and
    saving the form untouched stores nothing."""
    lib.articles.add_record(make_record(
        journal="Journal of neurosurgery. Spine", journal_abbrev="J Neurosurg Spine",
        pmid="39000001", doi="10.3171/2020.1.spine20002", title="Outcomes of separation"))
    aid = lib.articles.add_record(make_record(
        journal="Journal of Neurosurgery: Spine", journal_abbrev="", pmid="",
        doi="10.3171/2019.9.spine19001", title="Separation surgery and SBRT")).article_id
    window = make_window(lib)
    wait_loaded(qtbot, window, aid)
    assert window.detail.data is not None
    assert "J Neurosurg Spine." in window.detail.data.citation
    assert window.detail.edit_button is not None
    window.detail.edit_button.click()
    pane = window.detail.edit_pane
    qtbot.waitUntil(lambda: pane.loaded is not None)
    field = pane.fields["journal_abbrev"]
    assert field.text() == "" and field.placeholderText().startswith("J Neurosurg Spine  (")
    assert "J Neurosurg Spine" in field.toolTip()
    assert pane.changes() == ({}, None)
    # An article with an abbreviation of its own shows no borrowed one.
    pane.cancel_button.click()
    wait_loaded(qtbot, window, article_id(lib, "39000001"))
    window.detail.edit_button.click()
    qtbot.waitUntil(lambda: pane.loaded is not None)
    assert field.text() == "J Neurosurg Spine" and field.placeholderText() == field.toolTip() == ""
    assert lib.articles.record(aid).journal_abbrev == ""


def test_a_chapters_editors_and_edition_are_typed_in_place(window: MainWindow, lib: Library,
                                                        qtbot: QtBot) -> None:
    """"Family, Given; Family, Given"; one without a family name is refused under the
    field; once saved, the Details tab names them after the book."""
    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    assert pane.text_of("editors") == ""
    pane.fields["book_title"].setText("Benzel's Spine Surgery")
    pane.fields["editors"].setText(", Edward")
    assert "has no family name" in pane.errors["editors"].text()
    assert not pane.save_button.isEnabled()
    pane.fields["editors"].setText("Benzel, Edward C.; Steinmetz, Michael P.")
    pane.fields["edition"].setText("4th ed.")
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    assert [e.display() for e in lib.articles.record(aid).editors] == ["Benzel EC",
                                                                        "Steinmetz MP"]
    qtbot.waitUntil(lambda: window.detail.stack.currentWidget() is window.detail.tabs)
    pane = open_form(window, lib, qtbot, "16112300")
    assert pane.text_of("editors") == "Benzel, Edward C.; Steinmetz, Michael P."
    assert pane.text_of("edition") == "4"  # kept as its number, printed "4th ed."


def test_the_type_is_picked_from_a_list_in_words(window: MainWindow, lib: Library,
                                                qtbot: QtBot) -> None:
    """The type was a text field that took only "webpage", "conference"… typed exactly."""
    from spinelib.curation_results import ARTICLE_TYPES
    from spinelib.gui.typebox import TypeBox

    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    box = pane.fields["type"]
    assert isinstance(box, TypeBox) and box.currentText() == "Journal article"
    assert [box.itemData(i) for i in range(box.count())] == list(ARTICLE_TYPES)
    assert pane.changes() == ({}, None)  # filling the list changed nothing
    box.setCurrentIndex(box.findData("conference"))
    assert pane.changes() == ({"type": "conference"}, None)
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    assert lib.articles.record(aid).type == "conference"
    assert lib.edits.user_edited(aid) == {"type"}


def test_a_stored_type_outside_the_list_is_shown_and_kept(window: MainWindow, lib: Library,
                                                         qtbot: QtBot) -> None:
    """An older library's Crossref "dataset": shown as stored, not changed by a save."""
    aid = article_id(lib, "16112300")
    with lib.store.writing() as conn:
        conn.execute("UPDATE article SET type = 'dataset' WHERE id = :a", {"a": aid})
    window.detail.reload()
    pane = open_form(window, lib, qtbot, "16112300")
    assert pane.fields["type"].currentText() == "dataset"
    pane.fields["issue"].setText("9487")
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    assert lib.articles.record(aid).type == "dataset"
    assert lib.edits.user_edited(aid) == {"issue"}


def test_the_form_fits_the_pane_without_scrolling_sideways(window: MainWindow, lib: Library,
                                                           qtbot: QtBot) -> None:
    """A long label ("Institution (a thesis's school)") widened the labels' column until
    the fields ran past the pane's edge, behind a sideways scroll bar."""
    from PySide6.QtWidgets import QScrollArea

    window.resize(1440, 900)
    window.show()
    pane = open_form(window, lib, qtbot, "16112300")
    scroll = pane.findChild(QScrollArea)
    assert scroll is not None
    qtbot.waitUntil(lambda: scroll.viewport().width() > 0)
    assert not scroll.horizontalScrollBar().isVisible()


def test_a_degree_is_a_thesiss_checked_with_the_type(window: MainWindow, lib: Library,
                                                    qtbot: QtBot) -> None:
    """Typed for a journal article it is refused under its field; choosing the thesis type
    clears that, and the save keeps it as the thesis's degree."""
    pane = open_form(window, lib, qtbot, "16112300")
    aid = article_id(lib, "16112300")
    pane.fields["degree"].setText("PhD thesis")
    error = pane.errors["degree"]
    assert "only a thesis has a degree" in error.text()
    # Its three wrapped lines are given their height (the row kept two and cut them).
    width = pane.fields["degree"].width()
    assert width > 0 and error.minimumHeight() == error.heightForWidth(width) > 0
    assert not pane.save_button.isEnabled()
    box = pane.fields["type"]
    box.setCurrentIndex(box.findData("thesis"))
    assert pane.errors["degree"].text() == "" and pane.save_button.isEnabled()
    with qtbot.waitSignal(pane.saved):
        pane.save_button.click()
    rec = lib.articles.record(aid)
    assert (rec.type, rec.degree) == ("thesis", "PhD thesis")
    assert rec.publication_types[1:] == ["Journal Article", "Randomized Controlled Trial"]
    assert lib.edits.user_edited(aid) == {"type", "degree"}
    qtbot.waitUntil(lambda: window.detail.stack.currentWidget() is window.detail.tabs)
    pane = open_form(window, lib, qtbot, "16112300")
    assert pane.text_of("degree") == "PhD thesis"
