"""File ▸ New article…: an article typed in by hand, checked before Save, stored on a
worker, shown and selected, undone in one step."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.newarticledialog import NewArticleDialog, open_new_article
from spinelib.library import Library, Query
from tests.gui.conftest import menu_texts


def test_a_guideline_typed_in_is_stored_shown_and_undone(window: MainWindow, lib: Library,
                                                         qtbot: QtBot) -> None:
    # Its own mnemonic: "&New library…" has N.
    assert "New &article…" in menu_texts(window, "&File")
    assert window.acts.new_article.shortcut().toString() == "Ctrl+N"
    before = lib.search.count(Query())
    window.search.setText("kyphoplasty")  # a search that will not find the new article
    window.queries.apply_query()
    on_gui_thread: list[str] = []
    lib.watch_statements(lambda sql: on_gui_thread.append(sql) if
                         threading.current_thread() is threading.main_thread() else None)
    dialog = open_new_article(window)
    assert isinstance(dialog, NewArticleDialog) and dialog.isVisible()
    dialog.fields["year"].setText("2026")
    dialog.save()  # no title: said in the dialog, nothing written
    assert "needs a title" in dialog.error.text() and dialog.isVisible()
    dialog.fields["title"].setText("NCCN Guidelines: Bone Cancer")
    dialog.fields["authors"].setText("National Comprehensive Cancer Network")
    dialog.fields["accessed"].setText("yesterday-ish")
    dialog.save()
    assert "accessed" in dialog.error.text() and dialog.isVisible()
    dialog.fields["accessed"].setText("5 Dec 2026")
    dialog.fields["url"].setText("https://www.nccn.org/guidelines")
    dialog.type_box.setCurrentIndex(dialog.type_box.findData("webpage"))
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    lib.watch_statements(None)
    assert on_gui_thread == []  # stored on a worker
    assert window.statusBar().currentMessage().startswith("Added national2026nccn")
    assert lib.search.count(Query()) == before + 1
    [new] = lib.search.ids(Query(search="nccn"))
    rec = lib.articles.record(new)
    assert (rec.type, rec.year, rec.accessed) == ("webpage", 2026, "2026-12-05")
    # Shown: the search that hid it cleared, the article selected.
    qtbot.waitUntil(lambda: window.table.selected_ids() == [new])
    assert window.search.text() == ""
    key = lib.articles.citekey(new)
    qtbot.waitUntil(lambda: window.undo.undo_action.text() == f"&Undo addition of {key}")
    window.undo.undo_action.trigger()
    qtbot.waitUntil(lambda: lib.search.count(Query()) == before)


def test_an_identifier_held_is_refused_in_the_dialog(window: MainWindow, lib: Library,
                                                     qtbot: QtBot) -> None:
    before = lib.search.count(Query())
    dialog = open_new_article(window)
    dialog.fields["title"].setText("A paper typed again")
    dialog.fields["pmid"].setText("16112300")
    dialog.save()
    qtbot.waitUntil(lambda: "already belongs to" in dialog.error.text())
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert lib.search.count(Query()) == before
    dialog.reject()


def test_a_key_typed_in_the_form_is_the_articles_and_a_held_one_is_refused(
        window: MainWindow, lib: Library, qtbot: QtBot) -> None:
    held = lib.articles.citekey(lib.articles.resolve_key("16112300"))
    dialog = open_new_article(window)
    dialog.fields["title"].setText("NASS coverage policy: vertebral augmentation")
    dialog.fields["citekey"].setText("nass 2025")
    dialog.save()  # its form: said at once, nothing written
    assert "not a valid citation key" in dialog.error.text()
    dialog.fields["citekey"].setText(held)
    dialog.save()  # held by another article: said by the worker, the dialog kept open
    qtbot.waitUntil(lambda: f"{held!r} is already used" in dialog.error.text())
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    dialog.fields["citekey"].setText("nass2025")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.statusBar().currentMessage().startswith("Added nass2025")
    assert lib.articles.record(lib.articles.resolve_key("nass2025")).title.startswith("NASS")


def test_a_thesis_typed_in_keeps_its_degree(window: MainWindow, lib: Library,
                                            qtbot: QtBot) -> None:
    dialog = open_new_article(window)
    dialog.fields["title"].setText("Percutaneous fixation for spinal metastases")
    dialog.fields["authors"].setText("Berg, Anna")
    dialog.fields["degree"].setText("PhD thesis")
    dialog.save()  # still a journal article: said, nothing written
    assert "only a thesis has a degree" in dialog.error.text() and dialog.isVisible()
    dialog.type_box.setCurrentIndex(dialog.type_box.findData("thesis"))
    assert dialog.error.text() == ""  # said of the type no longer chosen
    dialog.fields["institution"].setText("Karolinska Institutet")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [new] = lib.search.ids(Query(search="percutaneous fixation berg"))
    rec = lib.articles.record(new)
    assert (rec.type, rec.degree, rec.institution) == ("thesis", "PhD thesis",
                                                       "Karolinska Institutet")


def test_the_form_has_every_field_an_edit_has_once() -> None:
    from spinelib.curation_results import EDITABLE_FIELDS
    from spinelib.gui.newarticledialog import ORDER

    assert sorted(ORDER) == sorted([*EDITABLE_FIELDS, "authors", "citekey"])


def test_a_look_alike_is_said_in_the_status_bar(window: MainWindow, lib: Library,
                                                qtbot: QtBot) -> None:
    held = lib.articles.record(lib.articles.resolve_key("16112300"))
    dialog = open_new_article(window)
    dialog.fields["title"].setText(held.title)
    dialog.fields["year"].setText(str(held.year))
    dialog.fields["authors"].setText("Patchell, Roy")
    dialog.fields["journal"].setText("Lancet (meeting abstract)")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert f"looks like {held.citekey}" in window.statusBar().currentMessage()
