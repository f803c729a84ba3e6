"""The capture triggers live only in replicas (schema step 14, issue 19), against a real
server: the local library a team is created from stays a plain file library without them;
every way a file becomes a replica (a first open with its bulk clone, the fresh copy of
``team reattach``) ends with exactly the full set, and edits made there still reach the team.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.store.sqlite.schema_v14_capture_triggers import FROZEN_NAMES
from tests.team.conftest import Client, Cluster, Team, open_replica
from tests.team.test_team_sync import KEY, NBIB, shared_start


def trigger_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'sync_*'")}
    finally:
        conn.close()


def replica_triggers(client: Client) -> set[str]:
    with open_replica(client) as lib:
        path = Path(lib.path)
    return trigger_names(path)


def tag_reaches_the_team(client: Client, other: Client, tag: str) -> None:
    """An edit in ``client``'s replica is captured in its own transaction and pushed."""
    with open_replica(client) as lib:
        lib.tags.create(tag)
        lib.tags.add([lib.articles.resolve_key(KEY)], [tag])
        with lib.store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sync_outbox") >= 2  # name + edit
        lib.sync.push()
    assert tag in other.json("show", KEY)["tags"]  # type: ignore[index]


def test_a_team_made_from_a_file_library_leaves_it_without_triggers_and_clones_have_them(
        pg_cluster: Cluster, team_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    local = tmp_path / "mine.sqlite"
    assert main(["--library", str(local), "import", "--no-refs", str(NBIB)]) == 0
    owner_url = pg_cluster.url("owner", team_db)
    assert main(["team", "create", owner_url, "--from", str(local)]) == 0
    assert main(["team", "grant", owner_url, "bob", "editor"]) == 0
    capsys.readouterr()
    assert trigger_names(local) == set()
    with Library.open(local) as lib, lib.store.reading() as conn:
        assert conn.scalar("SELECT count(*) FROM sync_state") == 0  # still a file library
    team = Team(pg_cluster, team_db, tmp_path, monkeypatch, capsys)
    bob, owner = team.client("bob"), team.client("owner")
    assert len(bob.json("list")) == 4  # type: ignore[arg-type]  # first open: a bulk clone
    assert replica_triggers(bob) == set(FROZEN_NAMES)
    tag_reaches_the_team(bob, owner, "from bob")
    assert replica_triggers(owner) == set(FROZEN_NAMES)


def test_a_first_copy_and_a_reattached_copy_hold_the_full_set(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    assert replica_triggers(alice) == replica_triggers(bob) == set(FROZEN_NAMES)
    team.sql("UPDATE library_meta SET uuid = gen_random_uuid()")  # a replaced server
    assert alice.run("sync")[0] == 1
    code, _, err = alice.run("team", "reattach", alice.url)
    assert code == 0, err
    assert replica_triggers(alice) == set(FROZEN_NAMES)  # the fresh copy
    # bob's copy is stopped too (the server was replaced); carol's first copy is new
    tag_reaches_the_team(alice, team.client("carol"), "after reattach")
