"""The GUI never runs SQL on the GUI thread (docs/ARCHITECTURE.md). Every statement the
library executes while the window is used is recorded with its thread; none may be the main
thread."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.querystate import Filter
from spinelib.library import Library
from tests.gui.conftest import article_id, wait_loaded


def test_no_sql_on_the_gui_thread(window: MainWindow, lib: Library, qtbot: QtBot,
                                  tmp_path: Any) -> None:
    on_gui_thread: list[str] = []
    seen: list[str] = []
    # The test reads through its own Library (its own engine), so the listener on the
    # window's engine sees only what the window runs.
    probe = Library.open(lib.path)
    aid = article_id(probe, "21333599")

    def record(statement: str) -> None:
        seen.append(statement)
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(statement.split("\n")[0][:80])

    lib.watch_statements(record)
    try:
        window.show()
        wait_loaded(qtbot, window, aid)
        window.search.setText("kyphoplasty")
        qtbot.waitUntil(lambda: window.model.query.search == "kyphoplasty")
        # A DOI the library lacks: the empty table asks the trash about it (on a worker).
        window.search.setText("10.1056/nejmoa9999999")
        qtbot.waitUntil(lambda: window.queries.empty.message is not None
                        and "No article with DOI" in window.queries.empty.message.text)
        window.search.clear()
        window.sidebar.select_filter(Filter("unread"))
        qtbot.waitUntil(lambda: window.model.query.unread)
        window.sidebar.select_filter(Filter("all"))
        wait_loaded(qtbot, window, aid)
        window.detail.reading.rating.buttons[2].click()
        qtbot.waitUntil(lambda: probe.articles.state(aid).rating == 3)
        window.detail.reading.notes.setPlainText("threads")
        with qtbot.waitSignal(window.detail.reading.notes_saved, timeout=5000):
            pass
        window.acts.read.trigger()
        qtbot.waitUntil(lambda: probe.articles.state(aid).read_status == 2)
        dialog = window.show_export(fmt="ris")
        dialog.path_edit.setText(str(tmp_path / "x.ris"))
        with qtbot.waitSignal(dialog.exported, timeout=5000):
            dialog.save()
        window.sidebar.reload(now=True)
        qtbot.waitUntil(lambda: window.sidebar.data is not None)
    finally:
        lib.watch_statements(None)
        probe.close()
    assert len(seen) > 20, "the listener saw too few statements to mean anything"
    assert on_gui_thread == [], f"SQL ran on the GUI thread: {on_gui_thread[:5]}"
