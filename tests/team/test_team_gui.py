"""The team library in the desktop app (issue 13), against a real PostgreSQL: live updates in an
open window, the status part, the Conflicts view, an article's History, File ▸ Open team
library… (pytest-qt; the GUI thread never waits for the server: live sync has its own thread).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spinelib.gui.conflictsview import ConflictsDialog
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.teamhistory import HistoryDialog
from spinelib.gui.teamopen import OpenTeamDialog
from spinelib.library import Library, teamurl
from spinelib.library.livesync import LiveSync
from spinelib.settings import Settings
from tests.team.conftest import Client, Team, open_replica, set_title

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"
KEY = "laufer2013noms"


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def team_window(qtbot: QtBot, client: Client) -> tuple[MainWindow, Library]:
    lib = open_replica(client)
    window = MainWindow(lib, Settings(max_retries=0).with_env())
    qtbot.addWidget(window)
    return window, lib


def close(window: MainWindow) -> None:
    window.close()  # stops live sync, then closes the library


def test_window_shows_a_colleagues_change_live_keeping_the_selection(team: Team,
                                                                     qtbot: QtBot) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    window, lib = team_window(qtbot, bob)
    try:
        # bob's copy starts empty: the first round clones the library into the open window.
        qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=60_000)
        part = window.team.part
        assert part is not None
        qtbot.waitUntil(lambda: part.status is not None and part.status.online, timeout=30_000)
        assert part.text().startswith("● Team online")
        target = lib.articles.resolve_key(KEY)
        qtbot.waitUntil(lambda: window.model.row_of(target) is not None)
        window.table.select_ids([target], target)
        assert window.table.selected_ids() == [target]

        alice.ok("tag", "create", "later")
        alice.ok("tag", "add", KEY, "later")
        qtbot.waitUntil(lambda: "later" in window.sidebar.tag_labels().values(),
                        timeout=30_000)
        assert window.table.selected_ids() == [target]  # the selection survived the refresh

        # bob's own edit in the window goes to the server without a command.
        with lib.store.writing() as conn:
            conn.execute("UPDATE article SET title = 'Edited in Bob''s window' WHERE id = ?",
                         (target,))
        qtbot.waitUntil(lambda: lib.sync.waiting() == 0, timeout=30_000)
        assert alice.json("show", KEY)["title"] == "Edited in Bob's window"  # type: ignore[index]
    finally:
        close(window)


def test_conflicts_view_shows_both_values_and_keeps_mine(team: Team, qtbot: QtBot,
                                                         runner: TaskRunner) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    bob.ok("list")
    with open_replica(alice) as la, open_replica(bob) as lb:
        set_title(la, KEY, "Alice's title")
        set_title(lb, KEY, "Bob's title")
        la.sync.sync()
        assert lb.sync.sync().new_conflicts == 1
        dialog = ConflictsDialog(lb, runner)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
        assert dialog.table.item(0, 0).text() == KEY
        assert dialog.table.item(0, 1).text() == "Title"
        assert dialog.mine.toPlainText() == "Bob's title"
        assert dialog.theirs.toPlainText() == "Alice's title"
        resolved: list[int] = []
        dialog.resolved.connect(resolved.append)
        dialog.keep_mine.click()
        qtbot.waitUntil(lambda: bool(resolved) and dialog.table.rowCount() == 0)
        assert "No conflicts" in dialog.note.text()
        assert lb.sync.waiting() == 1  # bob's kept value is a new edit, waiting to go
        lb.sync.push()
        la.sync.pull()
        assert la.articles.record(la.articles.resolve_key(KEY)).title == "Bob's title"


def test_history_names_who_changed_what(team: Team, qtbot: QtBot, runner: TaskRunner) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    with open_replica(alice) as la:
        set_title(la, KEY, "Retitled by Alice")
        la.sync.sync()
    bob.ok("list")
    with open_replica(bob) as lb:
        dialog = HistoryDialog(lb, runner, lb.articles.resolve_key(KEY), KEY)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.list.count() == 2)
        newest, oldest = dialog.lines
        assert newest.text.startswith("alice changed the title, ")
        assert "Retitled by Alice" in newest.details
        assert oldest.text.startswith("alice added the article, ")


def test_live_sync_reports_offline_only_when_the_server_cannot_be_reached(
        team: Team) -> None:
    alice = team.client("alice")
    alice.ok("import", "--no-refs", str(NBIB))
    with open_replica(alice) as la:
        live = LiveSync(la.sync, on_status=lambda s: None, on_changed=lambda: None)
        assert live.round().online
        set_title(la, KEY, "written while the server is gone")
        la.sync.close()
        la.sync.url = teamurl.parse(f"postgresql://alice@127.0.0.1:1/{team.dbname}")
        result = live.round()
        assert not result.online and result.problem
        assert la.sync.local_status(result.online).outbox == 1  # kept, waiting
        assert la.sync.status().online is False


def test_open_team_dialog_tests_the_connection_and_explains_failures(
        team: Team, qtbot: QtBot, runner: TaskRunner) -> None:
    dialog = OpenTeamDialog(runner)
    qtbot.addWidget(dialog)
    dialog.url.setText("/home/alice/spine.sqlite")
    dialog.test_button.click()
    assert "starts with postgresql://" in dialog.outcome.text()
    dialog.url.setText("postgresql://alice:secret@127.0.0.1/spine")
    dialog.test_button.click()
    assert "must not contain a password" in dialog.outcome.text()
    dialog.url.setText(team.cluster.url("alice", team.dbname))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Connected as alice (may edit)"))
    dialog.url.setText(team.cluster.url("alice", "template1"))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "not a SpineLib team library" in dialog.outcome.text())
    opened: list[tuple[str, object, bool]] = []
    dialog.open_requested.connect(lambda url, pw, keep: opened.append((url, pw, keep)))
    dialog.url.setText(team.cluster.url("alice", team.dbname))
    dialog.buttons.button(dialog.buttons.StandardButton.Open).click()
    assert opened == [(team.cluster.url("alice", team.dbname), None, False)]


def test_no_sql_on_the_gui_thread_in_a_team_window(team: Team, qtbot: QtBot) -> None:
    """Live updates, the status part, the Conflicts view and History all keep the replica's
    SQL (and the server's) off the GUI thread."""
    import threading

    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    window, lib = team_window(qtbot, bob)
    on_gui_thread: list[str] = []

    def record(statement: str) -> None:
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(statement.split("\n")[0][:80])

    lib.watch_statements(record)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=60_000)
        with Library.open(lib.path) as probe:  # the test's own reads, on its own engine
            target = probe.articles.resolve_key(KEY)
        window.table.select_ids([target], target)
        qtbot.waitUntil(lambda: window.detail.article_id == target)
        alice.ok("tag", "create", "later")
        alice.ok("tag", "add", KEY, "later")
        qtbot.waitUntil(lambda: "later" in window.sidebar.tag_labels().values(),
                        timeout=30_000)
        conflicts = window.team.show_conflicts()
        qtbot.waitUntil(lambda: "No conflicts" in conflicts.note.text())
        history = window.team.show_history()
        assert history is not None
        qtbot.waitUntil(lambda: history.list.count() == 2)  # added, then tagged
        window.team.sync_now()
    finally:
        lib.watch_statements(None)
        close(window)
    assert on_gui_thread == [], f"SQL ran on the GUI thread: {on_gui_thread[:5]}"


def test_a_list_made_and_a_tag_merged_in_one_window_reach_a_colleagues_window(
        team: Team, qtbot: QtBot) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    alice.ok("tag", "create", "later")
    alice.ok("tag", "create", "to read")
    alice.ok("tag", "add", KEY, "later")
    mine, lib_a = team_window(qtbot, alice)
    theirs, _lib_b = team_window(qtbot, bob)
    try:
        qtbot.waitUntil(lambda: theirs.model.rowCount() == 4, timeout=60_000)
        qtbot.waitUntil(lambda: "later" in theirs.sidebar.tag_labels().values(),
                        timeout=30_000)
        mine.commands.ask_text = lambda *_args: "Journal club"  # type: ignore[method-assign]
        mine.commands.new_list()  # File ▸ New reading list…, nothing in it yet
        qtbot.waitUntil(lambda: "Journal club" in theirs.sidebar.list_names(), timeout=30_000)

        mine.tag_commands.ask_item = lambda *_args: "to read"  # type: ignore[method-assign]
        mine.tag_commands.merge("later")  # the sidebar's Merge into…
        qtbot.waitUntil(lambda: "later" not in theirs.sidebar.tag_labels().values(),
                        timeout=30_000)
        qtbot.waitUntil(lambda: lib_a.sync.waiting() == 0, timeout=30_000)
        tags = team.client("bob", "bob-cli").json("show", KEY)["tags"]  # type: ignore[index]
        assert "to read" in tags and "later" not in tags
    finally:
        close(mine)
        close(theirs)
