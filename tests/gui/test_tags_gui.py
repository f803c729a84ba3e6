"""Tags in the desktop app: accept/reject for a whole selection, and the sidebar's menu to
rename, merge and delete the user's own tags (issue 15, item 7; issue 18)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter
from spinelib.gui.sidebarmodel import KeyRole
from spinelib.library import Library
from tests.core.helpers import make_record
from tests.gui.conftest import wait_loaded


def _sbrt_articles(lib: Library) -> list[int]:
    ids = []
    for n in range(3):
        rec = make_record(title=f"Stereotactic body radiotherapy for spinal metastases {n}",
                          doi=f"10.1234/sel{n}", pmid=str(800 + n))
        ids.append(lib.articles.add_record(rec).article_id)
    return ids


def test_accept_acts_on_the_whole_selection(lib: Library, make_window, qtbot: QtBot) -> None:
    ids = _sbrt_articles(lib)
    lib.tags.reject(ids[2], "sbrt_srs")              # one already judged: left alone
    win: MainWindow = make_window(lib)
    wait_loaded(qtbot, win, ids[0])
    win.table.select_ids(ids, ids[0])
    qtbot.waitUntil(lambda: "sbrt_srs" in win.detail.tag_panel.suggestion_rows)
    accept, _reject = win.detail.tag_panel.suggestion_rows["sbrt_srs"]
    assert accept.text() == "Accept for 3"
    accept.click()
    qtbot.waitUntil(lambda: all("sbrt_srs" in {t.id for t in lib.tags.state(i).tags}
                                for i in ids[:2]))
    assert {t.id for t in lib.tags.state(ids[2]).rejected} == {"sbrt_srs"}
    qtbot.waitUntil(lambda: "2 of 3" in win.statusBar().currentMessage()
                    or any("2 of 3" in w.text() for w in win.statusBar().findChildren(
                        type(win.status.count_label))))


def test_single_selection_buttons_say_accept(window: MainWindow, lib: Library,
                                             qtbot: QtBot) -> None:
    aid = lib.articles.resolve_key("31000001")
    wait_loaded(qtbot, window, aid)
    qtbot.waitUntil(lambda: bool(window.detail.tag_panel.suggestion_rows))
    accept, reject = next(iter(window.detail.tag_panel.suggestion_rows.values()))
    assert (accept.text(), reject.text()) == ("Accept", "Reject")


def _menu_texts(win: MainWindow, f: Filter) -> dict[str, object]:
    item = win.sidebar._find(f.key)
    assert item is not None
    menu = win.sidebar.context_menu_for(item.index())
    return {a.text(): a for a in menu.actions() if a.text()}


def test_sidebar_menu_renames_merges_and_deletes_user_tags(window: MainWindow, lib: Library,
                                                           qtbot: QtBot) -> None:
    a = lib.articles.resolve_key("16112300")
    lib.tags.create("MDT")
    lib.tags.create("Board")
    lib.tags.add([a], ["MDT"])
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: window.sidebar._find(Filter("tag", "MDT").key) is not None)
    # A vocabulary tag offers the two views but no renaming.
    vocab = _menu_texts(window, Filter("tag", "radiotherapy"))
    assert "Include suggested" in " ".join(vocab) and "Rename tag…" not in vocab
    actions = _menu_texts(window, Filter("tag", "MDT"))
    window.tag_commands.ask_text = lambda *_: "MDT 2026"
    actions["Rename tag…"].trigger()
    qtbot.waitUntil(lambda: window.sidebar._find(Filter("tag", "MDT 2026").key) is not None)
    assert {t.id for t in lib.tags.state(a).tags} == {"MDT 2026"}
    window.tag_commands.ask_item = lambda *_: "Board"
    _menu_texts(window, Filter("tag", "MDT 2026"))["Merge into…"].trigger()
    qtbot.waitUntil(lambda: window.sidebar._find(Filter("tag", "MDT 2026").key) is None)
    assert {t.id for t in lib.tags.state(a).tags} == {"Board"}
    window.tag_commands.confirm = lambda *_: False
    _menu_texts(window, Filter("tag", "Board"))["Delete tag…"].trigger()
    assert {t.id for t in lib.tags.state(a).tags} == {"Board"}   # said no: nothing changes
    window.tag_commands.confirm = lambda *_: True
    _menu_texts(window, Filter("tag", "Board"))["Delete tag…"].trigger()
    qtbot.waitUntil(lambda: window.sidebar._find(Filter("tag", "Board").key) is None)
    assert lib.tags.state(a).tags == [] and lib.search.count() == 5


def test_tag_picker_shows_the_vocabulary_tree(window: MainWindow, lib: Library,
                                              qtbot: QtBot) -> None:
    lib.tags.create("Teaching")
    lib.tags.create("Teaching 2026", parent="Teaching")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: window.sidebar.data is not None and any(
        t.id == "Teaching 2026" for t in window.sidebar.data.tags))
    window.table.select_ids([lib.articles.resolve_key("16112300")])
    window.acts.tags.trigger()
    qtbot.waitUntil(lambda: window.commands.picker is not None)
    picker = window.commands.picker
    shown = picker.tree()
    # Every vocabulary technique sits under its own parent, exactly as the taxonomy says.
    vocabulary = {t.id: t.parent for t in lib.taxonomy.tags}
    assert {k: v for k, v in shown.items() if k in vocabulary} == vocabulary
    assert shown["Teaching 2026"] == "Teaching" and shown["Teaching"] is None
    top = {picker.list.topLevelItem(i).text(0)
           for i in range(picker.list.topLevelItemCount())}
    assert "My tags" in top
    picker.reject()


def test_filter_bar_says_which_of_the_two_a_tag_filter_shows(window: MainWindow,
                                                             lib: Library,
                                                             qtbot: QtBot) -> None:
    from spinelib.library import TagMatch

    tag = next(t for t in lib.tags.counts() if t.suggested > 0)
    bar = window.filter_bar
    assert bar.isHidden()
    window.sidebar.select_filter(Filter("tag", tag.id))
    qtbot.waitUntil(lambda: "tagged articles only" in bar.text())
    assert not bar.isHidden() and f'href="suggested:{tag.id}"' in bar.text()
    assert f"include the {tag.suggested:,} with it suggested" in bar.text()
    bar.link_clicked.emit(f"suggested:{tag.id}")
    qtbot.waitUntil(lambda: window.model.query.tag_match == TagMatch.WITH_SUGGESTIONS)
    qtbot.waitUntil(lambda: "tagged and suggested" in bar.text())
    qtbot.waitUntil(lambda: window.model.rowCount() == tag.count)
    bar.link_clicked.emit(f"tagged:{tag.id}")
    qtbot.waitUntil(lambda: window.model.query.tag_match == TagMatch.CONFIRMED)
    qtbot.waitUntil(lambda: window.model.rowCount() == tag.confirmed)
    window.sidebar.select_filter(Filter("all"))
    qtbot.waitUntil(lambda: bar.isHidden())


def test_move_under_and_expansion_survives_refreshes(window: MainWindow, lib: Library,
                                                     qtbot: QtBot) -> None:
    lib.tags.create("Teaching")
    lib.tags.create("Cases 2026")
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: window.sidebar._find(Filter("tag", "Cases 2026").key) is not None)
    window.tag_commands.ask_item = lambda *_: "Teaching"
    _menu_texts(window, Filter("tag", "Cases 2026"))["Move under…"].trigger()
    qtbot.waitUntil(lambda: {t.id: t.parent for t in lib.tags.counts()}["Cases 2026"]
                    == "Teaching")
    qtbot.waitUntil(lambda: (item := window.sidebar._find(Filter("tag", "Cases 2026").key))
                    is not None and item.parent().data(KeyRole) == Filter(
                        "tag", "Teaching").key)
    # Open the new branch, then refresh twice: it stays open, as do the sections.
    branch = window.sidebar._find(Filter("tag", "Teaching").key)
    window.sidebar.setExpanded(branch.index(), True)
    for _ in range(2):
        before = window.sidebar.data
        window.sidebar.reload(now=True)
        qtbot.waitUntil(lambda b=before: window.sidebar.data is not b)
    branch = window.sidebar._find(Filter("tag", "Teaching").key)
    assert window.sidebar.isExpanded(branch.index())
    window.sidebar.setExpanded(branch.index(), False)
    window.sidebar.reload(now=True)
    qtbot.waitUntil(lambda: not window.sidebar.isExpanded(
        window.sidebar._find(Filter("tag", "Teaching").key).index()))


def test_dragging_a_user_tag_onto_another_moves_it(window: MainWindow, lib: Library,
                                                   qtbot: QtBot) -> None:
    """Issue 15: drag a user tag under another (the menu stays); back to the top level by
    dropping it on "My tags"; never under itself or its own sub-tag; vocabulary tags stay."""
    from spinelib.gui.sidebarmodel import TAG_MIME

    lib.tags.create("Teaching")
    lib.tags.create("Cases 2026")
    window.sidebar.reload(now=True)
    model = window.sidebar.model()
    find = window.sidebar._find
    qtbot.waitUntil(lambda: find(Filter("tag", "Cases 2026").key) is not None)
    cases, teaching = find(Filter("tag", "Cases 2026").key), find(Filter("tag", "Teaching").key)
    vocab = find(Filter("tag", "radiotherapy").key)
    assert cases.isDragEnabled() and not vocab.isDragEnabled()
    assert not model.mimeData([vocab.index()]).hasFormat(TAG_MIME)
    drag = model.mimeData([cases.index()])
    assert bytes(drag.data(TAG_MIME).data()) == b"Cases 2026"
    move = Qt.DropAction.MoveAction
    assert not model.canDropMimeData(drag, move, -1, 0, cases.index())  # not onto itself
    assert model.canDropMimeData(drag, move, -1, 0, teaching.index())
    model.dropMimeData(drag, move, -1, 0, teaching.index())
    qtbot.waitUntil(lambda: {t.id: t.parent for t in lib.tags.counts()}["Cases 2026"]
                    == "Teaching")
    qtbot.waitUntil(lambda: (item := find(Filter("tag", "Cases 2026").key)) is not None
                    and item.parent().data(KeyRole) == Filter("tag", "Teaching").key)
    # Teaching cannot go under its own sub-tag.
    up = model.mimeData([find(Filter("tag", "Teaching").key).index()])
    assert not model.canDropMimeData(up, move, -1, 0,
                                     find(Filter("tag", "Cases 2026").key).index())
    # Dropped on "My tags": the top level again.
    mine = find("mytags")
    assert mine is not None
    sub = model.mimeData([find(Filter("tag", "Cases 2026").key).index()])
    assert model.canDropMimeData(sub, move, -1, 0, mine.index())
    model.dropMimeData(sub, move, -1, 0, mine.index())
    qtbot.waitUntil(lambda: {t.id: t.parent for t in lib.tags.counts()}["Cases 2026"]
                    is None)
