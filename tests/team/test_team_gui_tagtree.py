"""A tag dropped on another in one window's sidebar moves under it in a colleague's open
window (issue 13: the tag tree is shared), with the subtree count, against a real
PostgreSQL; and a membership a colleague's list deletion dropped, in the Conflicts view."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from spinelib.gui.conflictsview import ConflictsDialog
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.tasks import TaskRunner
from tests.team.conftest import Team, open_replica
from tests.team.test_team_gui import KEY, NBIB, close, runner, team_window

__all__ = ["runner"]  # the fixture, shared


def tree(window: MainWindow) -> dict[str, tuple[str | None, int]]:
    data = window.sidebar.data
    return {t.id: (t.parent, t.count) for t in (data.tags if data else [])
            if t.origin != "vocabulary"}


def test_a_tag_dropped_on_another_moves_in_a_colleagues_window(team: Team,
                                                               qtbot: QtBot) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    alice.ok("tag", "create", "tumour")
    alice.ok("tag", "create", "metastasis")
    alice.ok("tag", "add", KEY, "metastasis")
    mine, lib_a = team_window(qtbot, alice)
    theirs, _lib_b = team_window(qtbot, bob)
    try:
        qtbot.waitUntil(lambda: tree(theirs).get("tumour") == (None, 0), timeout=60_000)
        mine.tag_commands.move_to("metastasis", "tumour")  # the sidebar's drag and drop
        qtbot.waitUntil(lambda: tree(theirs).get("metastasis") == ("tumour", 1),
                        timeout=30_000)
        assert tree(theirs)["tumour"] == (None, 1)  # the subtree count followed
        qtbot.waitUntil(lambda: lib_a.sync.waiting() == 0, timeout=30_000)
        mine.tag_commands.move_to("metastasis", "")  # dropped on "My tags": the top level
        qtbot.waitUntil(lambda: tree(theirs).get("metastasis") == (None, 1), timeout=30_000)
        assert tree(theirs)["tumour"] == (None, 0)
    finally:
        close(mine)
        close(theirs)


def test_a_dropped_membership_is_a_line_in_the_conflicts_view(team: Team, qtbot: QtBot,
                                                               runner: TaskRunner) -> None:
    """A list a colleague deleted wins over bob's older offline membership: the Conflicts
    view says so, and Keep mine puts the article back into a list of that name."""
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    alice.ok("lists", "create", "Journal club")
    bob.ok("list")
    with open_replica(alice) as la, open_replica(bob) as lb:
        lb.lists.add("Journal club", [lb.articles.resolve_key(KEY)])  # offline
        la.lists.delete("Journal club")
        la.sync.sync()
        assert lb.sync.sync().new_conflicts == 1
        assert lb.lists.all() == []
        dialog = ConflictsDialog(lb, runner)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
        assert dialog.table.item(0, 0).text() == KEY
        assert dialog.table.item(0, 1).text() == "Reading list"
        assert dialog.mine.toPlainText() == f"{KEY} in the reading list \u201cJournal club\u201d"
        said = dialog.theirs.toPlainText()  # what happened, and what each button does
        assert "A colleague deleted the reading list \u201cJournal club\u201d" in said
        assert "Keep mine makes the reading list again" in said
        resolved: list[int] = []
        dialog.resolved.connect(resolved.append)
        dialog.keep_mine.click()
        qtbot.waitUntil(lambda: bool(resolved) and dialog.table.rowCount() == 0)
        lb.sync.push()
        la.sync.pull()
        assert [(i.name, i.count) for i in la.lists.all()] == [("Journal club", 1)]
