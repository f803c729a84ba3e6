"""Undo on a team library: one's own change, echoed back by the next pull, is still undone
(the pull re-wrote the article with a new change time, so every undo after a second was
refused as "changed since"); a colleague's change since is still a reason to refuse."""

from __future__ import annotations

import pytest

from tests.team.conftest import Team

#: A change time after any the test's commands made (the echo comes "a second later").
LATER = "2099-01-01T00:00:00Z"


def test_an_edit_is_undone_after_the_pull_that_echoes_it(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    alice = team.client("alice")
    alice.ok("add", "--set", "title=NASS guideline", "--set", "year=2025", "--key", "nass2025")
    alice.ok("edit", "nass2025", "--set", "year=2024")
    monkeypatch.setattr("spinelib.store.outbox.utcnow", lambda: LATER)
    alice.ok("list")  # a command: it pulls the team's changes, alice's own among them
    assert alice.ok("undo").startswith("undid edit of nass2025")
    assert alice.json("show", "nass2025")["year"] == 2025  # type: ignore[index]


def test_a_colleagues_change_since_still_refuses_the_undo(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("add", "--set", "title=NASS guideline", "--set", "year=2025", "--key", "nass2025")
    alice.ok("edit", "nass2025", "--set", "year=2024")
    bob.ok("edit", "nass2025", "--set", "volume=12")
    monkeypatch.setattr("spinelib.store.outbox.utcnow", lambda: LATER)
    code, _, err = alice.run("undo")
    assert code == 1 and "changed since" in err
    assert alice.json("show", "nass2025")["volume"] == "12"  # type: ignore[index]
