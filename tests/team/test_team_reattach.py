"""`team reattach` after a restored or replaced server (issue 13): the stopped copy is kept,
a fresh copy is made, and the changes that were waiting are sent again."""

from __future__ import annotations

import json
from pathlib import Path

from tests.team.conftest import Team, open_replica
from tests.team.test_team_sync import KEY, _dump, _restore, shared_start

OTHER = "patchell2005direct"


def tags_of(client: object, key: str) -> list[str]:
    data = client.json("show", key)  # type: ignore[attr-defined]
    return list(data["tags"])


def test_reattach_after_a_restore_sends_the_waiting_changes_and_keeps_the_old_copy(
        team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    dump = team.tmp / "old.dump"
    dump.write_bytes(_dump(team))
    alice.ok("tag", "create", "later")
    alice.ok("tag", "add", KEY, "later")  # the server moves past the dump
    _restore(team, dump)
    code, _, err = alice.run("sync")
    assert code == 1 and "restored from an older backup" in err
    assert f"spinelib team reattach {alice.url}" in err  # the message says what to do
    code, _, err = alice.run("tag", "add", OTHER, "later")  # waits: sync is stopped
    assert code == 0 and "1 change waiting to sync" in err

    code, out, err = alice.run("team", "reattach", alice.url)
    assert code == 0, err
    assert "sent 1 waiting change again" in out
    kept = Path(out.strip().rsplit(" ", 1)[1])
    assert kept.is_file() and ".stopped-" in kept.name
    status = alice.json("status")
    assert status["online"] is True and status["outbox"] == 0  # type: ignore[index]
    assert alice.run("sync")[0] == 0
    assert "later" in tags_of(bob, OTHER)  # the waiting change reached the team
    assert "later" in tags_of(alice, OTHER)
    with open_replica(alice) as la:  # the fresh copy is the replica now; the old one apart
        assert Path(la.path) != kept


def test_reattach_after_a_replaced_server_follows_the_new_library(team: Team) -> None:
    alice = shared_start(team, "alice")[0]
    team.sql("UPDATE library_meta SET uuid = gen_random_uuid()")
    assert alice.run("sync")[0] == 1
    alice.ok("tag", "create", "later")
    alice.ok("tag", "add", KEY, "later")
    code, out, err = alice.run("team", "reattach", alice.url)
    assert code == 0, err
    new_uuid = str(team.sql("SELECT uuid FROM library_meta")[0][0])
    assert new_uuid in out
    assert alice.run("sync")[0] == 0
    status = alice.json("status")
    assert status["library_uuid"] == new_uuid  # type: ignore[index]
    held = team.sql("SELECT data FROM article WHERE data->>'citekey' = %s", (KEY,))
    assert any(json.loads(t)[0] == "later" for t in held[0][0]["tags"])  # type: ignore[index]


def test_reattach_refuses_a_copy_that_is_not_stopped(team: Team) -> None:
    alice = shared_start(team, "alice")[0]
    code, _, err = alice.run("team", "reattach", alice.url)
    assert code == 1 and "has not stopped" in err
    assert alice.run("sync")[0] == 0
