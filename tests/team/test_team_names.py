"""Empty reading lists and tags shared, and a tag merge that arrives as a merge (issue 13),
with two or three clients against a real PostgreSQL, through the real CLI."""

from __future__ import annotations

import json
from typing import Any

from tests.team.conftest import Client, Team, open_replica
from tests.team.test_team_sync import KEY, shared_start

OTHER = "patchell2005direct"


def lists_of(client: Client) -> dict[str, int]:
    out = client.ok("lists")
    return {name: int(n) for name, n in (line.split("\t") for line in out.splitlines())}


def user_tags(client: Client) -> dict[str, int]:
    """The client's own tags (id -> articles carrying it), after a pull."""
    rows: Any = client.json("tag", "list")
    return {r["id"]: r["count"] for r in rows if r["origin"] != "vocabulary"}


def tags_of(client: Client, key: str) -> list[str]:
    return sorted(client.json("show", key)["tags"])  # type: ignore[index]


def test_an_empty_list_and_tag_reach_a_colleague_and_a_new_client(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("lists", "create", "Journal club")
    alice.ok("tag", "create", "to discuss")
    assert lists_of(bob) == {"Journal club": 0}
    assert user_tags(bob) == {"to discuss": 0}
    newcomer = team.client("bob", "bob-laptop")  # a first copy: no article holds them
    assert lists_of(newcomer) == {"Journal club": 0}
    assert user_tags(newcomer) == {"to discuss": 0}


def test_deleting_a_list_or_tag_removes_it_everywhere(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("lists", "create", "Empty")
    alice.ok("lists", "create", "Full")
    alice.ok("lists", "add", "Full", KEY)
    alice.ok("tag", "create", "spare")
    alice.ok("tag", "create", "used")
    alice.ok("tag", "add", KEY, "used")
    assert lists_of(bob) == {"Empty": 0, "Full": 1}
    assert user_tags(bob) == {"spare": 0, "used": 1}
    for args in (("lists", "delete", "Empty"), ("lists", "delete", "Full"),
                 ("tag", "delete", "spare"), ("tag", "delete", "used")):
        alice.ok(*args)
    assert lists_of(bob) == {}
    assert user_tags(bob) == {}
    assert tags_of(bob, KEY) == []
    assert lists_of(team.client("alice", "alice-laptop")) == {}  # nor in a first copy


def test_the_same_list_made_offline_by_two_clients_is_one_list(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("sync")
    bob.ok("sync")
    for client in (alice, bob):  # offline edits, then the program closes (a restart)
        with open_replica(client) as lib:
            lib.lists.create("Tumour board")
            lib.tags.create("later")
            assert lib.sync.waiting() == 2
    for client in (alice, bob):
        with open_replica(client) as lib:
            assert lib.sync.waiting() == 2  # survived the restart
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("sync")
    for client in (alice, bob):
        assert lists_of(client) == {"Tumour board": 0}
        assert user_tags(client) == {"later": 0}
        assert client.json("status")["outbox"] == 0  # type: ignore[index]


def test_a_list_deleted_by_a_colleague_drops_my_waiting_membership_on_pull(
        team: Team) -> None:
    """The deletion arrives before bob's older change leaves: his membership is dropped here
    and told in his conflicts list (issue 13; the server side: test_team_stale.py)."""
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("lists", "create", "Journal club")
    assert lists_of(bob) == {"Journal club": 0}
    with open_replica(bob) as lb:  # bob files an article into it, not yet sent
        lb.lists.add("Journal club", [lb.articles.resolve_key(KEY)])
    alice.ok("lists", "delete", "Journal club")
    with open_replica(bob) as lb:
        lb.sync.pull()  # the deletion arrives before bob's change leaves
        assert lb.lists.all() == []
        assert [(c.field, c.mine, c.theirs) for c in lb.sync.conflicts()] == [
            ("list", "Journal club", "deleted")]
    bob.ok("sync")
    alice.ok("sync")
    for client in (alice, bob):  # the deletion won; nothing brought the name back
        assert lists_of(client) == {}
    held = team.sql("SELECT count(*) FROM article WHERE data->'lists' ? 'Journal club'")
    assert held == [(0,)]


def test_a_reader_cannot_make_a_list(team: Team) -> None:
    carol = team.client("carol")
    carol.ok("sync")
    code, _, err = carol.run("lists", "create", "Mine")
    assert code == 1 and "only read" in err
    assert lists_of(carol) == {}


def test_a_tag_merge_arrives_as_a_merge(team: Team) -> None:
    alice, bob, carol = shared_start(team, "alice", "bob", "carol")
    alice.ok("tag", "create", "later")
    alice.ok("tag", "create", "to read")
    alice.ok("tag", "add", KEY, "later")
    alice.ok("tag", "add", OTHER, "later")
    alice.ok("tag", "add", OTHER, "to read")
    assert user_tags(bob) == {"later": 2, "to read": 1}
    assert "merged" in alice.ok("tag", "merge", "later", "to read")
    for client in (alice, bob, carol):
        assert user_tags(client) == {"to read": 2}
        assert tags_of(client, KEY) == ["to read"]
        assert tags_of(client, OTHER) == ["to read"]
    held = team.sql("SELECT count(*) FROM article WHERE (data->'tags')::text LIKE %s", ("%later%",))
    assert held == [(0,)]


def test_a_tag_given_offline_before_pulling_the_merge_lands_on_the_target(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("tag", "create", "later")
    alice.ok("tag", "create", "to read")
    alice.ok("tag", "add", KEY, "later")
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline: bob tags another article with the source
        lb.tags.add([lb.articles.resolve_key(OTHER)], ["later"])
    alice.ok("tag", "merge", "later", "to read")
    bob.ok("sync")  # push first (the server catches the change up), then pull
    alice.ok("sync")
    for client in (alice, bob):
        assert user_tags(client) == {"to read": 2}
        assert tags_of(client, OTHER) == ["to read"]


def test_a_tag_given_offline_and_pulled_before_pushing_lands_on_the_target(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("tag", "create", "later")
    alice.ok("tag", "add", KEY, "later")
    bob.ok("sync")
    with open_replica(bob) as lb:
        lb.tags.add([lb.articles.resolve_key(OTHER)], ["later"])
    alice.ok("tag", "merge", "later", "SBRT")  # into a vocabulary tag
    with open_replica(bob) as lb:
        lb.sync.pull()  # the merge reaches bob's waiting change before it leaves
        lb.sync.sync()
    alice.ok("sync")
    for client in (alice, bob):
        assert "later" not in user_tags(client)
        for key in (KEY, OTHER):
            assert "sbrt_srs" in tags_of(client, key) and "later" not in tags_of(client, key)
    for (data,) in team.sql("SELECT data FROM article"):
        ids = [json.loads(t)[0] for t in data["tags"]]  # type: ignore[index]
        assert len(ids) == len(set(ids)) and "later" not in ids


def test_an_empty_list_or_tag_renamed_is_renamed_for_everyone(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("lists", "create", "Journal club")
    alice.ok("tag", "create", "later")
    assert lists_of(bob) == {"Journal club": 0}
    alice.ok("lists", "rename", "Journal club", "Tumour board")
    alice.ok("tag", "rename", "later", "to read")
    for client in (bob, team.client("bob", "bob-laptop")):
        assert lists_of(client) == {"Tumour board": 0}
        assert user_tags(client) == {"to read": 0}


def test_sync_now_reports_a_pull_that_brought_only_a_new_list(team: Team) -> None:
    """The window refreshes when "Sync now" pulled anything, not only articles: a
    colleague's empty list is news for the sidebar too (and the NOTIFY that follows finds
    nothing left to pull, so it cannot be what reports it)."""
    from spinelib.library.livesync import LiveSync

    alice, bob = team.client("alice"), team.client("bob")
    lists_of(bob)  # bob's replica exists and is up to date
    with open_replica(bob) as lb:
        live = LiveSync(lb.sync, on_status=lambda s: None, on_changed=lambda: None)
        assert live.round().online  # listening from here on
        alice.ok("lists", "create", "Journal club")
        live.sync_now()  # as the Team menu does: wake the loop for a pull at once
        first = live.round()
        assert first.online and first.changed  # no article came, yet the replica moved on
        assert "Journal club" in {info.name for info in lb.lists.all()}
        live.sync_now()
        assert not live.round().changed  # nothing new: no refresh
