"""A list or tag deleted by one person, then an older offline change of a colleague that
puts an article in it (issue 13): the deletion wins over the stale membership, nothing else
of the change is lost, the colleague is told in his conflicts list, and a list made again
after the deletion is a new list. Two or three clients on a real PostgreSQL, through the CLI.
"""

from __future__ import annotations

from typing import Any

from tests.team.conftest import Team, open_replica, set_title
from tests.team.test_team_names import OTHER, lists_of, tags_of, user_tags
from tests.team.test_team_sync import KEY, shared_start


def conflicts_of(client: Any) -> list[dict[str, Any]]:
    found = client.json("conflicts")
    assert isinstance(found, list)
    return found


def held_in(team: Team, name: str) -> int:
    """Articles on the server that still name list ``name``."""
    rows = team.sql("SELECT count(*) FROM article WHERE data->'lists' ? %s", (name,))
    return int(rows[0][0])  # type: ignore[arg-type]


def test_a_deleted_list_wins_over_an_older_offline_membership(team: Team) -> None:
    alice, bob, carol = shared_start(team, "alice", "bob", "carol")
    alice.ok("lists", "create", "Journal club")
    alice.ok("lists", "add", "Journal club", KEY)
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline: bob files OTHER into it and retitles it
        lb.lists.add("Journal club", [lb.articles.resolve_key(OTHER)])
        set_title(lb, OTHER, "Bob's better title")
    alice.ok("lists", "delete", "Journal club")
    out = bob.ok("sync")  # pushed before bob pulled the deletion: the server drops it
    assert "1 new conflict" in out
    alice.ok("sync")
    for client in (alice, bob, carol):
        assert lists_of(client) == {}
        assert client.json("show", OTHER)["title"] == "Bob's better title"  # type: ignore[index]
    assert held_in(team, "Journal club") == 0
    (line,) = conflicts_of(bob)
    assert (line["article"], line["field"], line["mine"], line["theirs"]) == (
        OTHER, "list", "Journal club", "deleted")
    assert conflicts_of(alice) == []


def test_keeping_mine_puts_the_article_back_in_a_new_list(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("lists", "create", "Journal club")
    bob.ok("sync")
    with open_replica(bob) as lb:
        lb.lists.add("Journal club", [lb.articles.resolve_key(OTHER)])
    alice.ok("lists", "delete", "Journal club")
    bob.ok("sync")
    (line,) = conflicts_of(bob)
    bob.ok("conflicts", "resolve", str(line["id"]), "--keep", "mine")
    alice.ok("sync")
    for client in (alice, bob):
        assert lists_of(client) == {"Journal club": 1}
    assert conflicts_of(bob) == []
    assert team.client("alice", "alice-laptop").ok("lists") == "Journal club\t1\n"


def test_a_list_made_again_after_the_deletion_is_a_new_list(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("lists", "create", "Journal club")
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline, into the old list
        lb.lists.add("Journal club", [lb.articles.resolve_key(OTHER)])
    alice.ok("lists", "delete", "Journal club")
    alice.ok("lists", "create", "Journal club")  # after the deletion: a new list
    alice.ok("lists", "add", "Journal club", KEY)
    bob.ok("sync")
    alice.ok("sync")
    for client in (alice, bob):  # the new list keeps its own article, not bob's stale one
        assert lists_of(client) == {"Journal club": 1}
        items = client.json("list", "--list", "Journal club")
        assert [a["citekey"] for a in items] == [KEY]  # type: ignore[union-attr,index]
    bob.ok("lists", "add", "Journal club", OTHER)  # bob, having seen it, may use it
    assert lists_of(alice) == {"Journal club": 2}
    assert len(conflicts_of(bob)) == 1


def test_my_own_list_made_again_offline_keeps_my_articles(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("lists", "create", "Tumour board")
    bob.ok("sync")
    alice.ok("lists", "delete", "Tumour board")
    with open_replica(bob) as lb:  # bob has not seen alice's delete; he starts it afresh
        lb.lists.delete("Tumour board")
        lb.lists.create("Tumour board")
        lb.lists.add("Tumour board", [lb.articles.resolve_key(OTHER)])
    bob.ok("sync")
    alice.ok("sync")
    for client in (alice, bob):
        assert lists_of(client) == {"Tumour board": 1}
    assert conflicts_of(bob) == []


def test_a_deleted_tag_wins_over_an_older_offline_tagging(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("tag", "create", "later")
    alice.ok("tag", "add", KEY, "later")
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline: bob tags OTHER with it (and another tag)
        lb.tags.create("keep me")
        lb.tags.add([lb.articles.resolve_key(OTHER)], ["later", "keep me"])
    alice.ok("tag", "delete", "later")
    assert "1 new conflict" in bob.ok("sync")
    alice.ok("sync")
    for client in (alice, bob):
        assert user_tags(client) == {"keep me": 1}
        assert tags_of(client, OTHER) == ["keep me"]
        assert tags_of(client, KEY) == []
    (line,) = conflicts_of(bob)
    assert (line["field"], line["mine"], line["theirs"]) == ("tag", "later", "deleted")


def test_a_deleted_tag_pulled_first_drops_my_waiting_tagging(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("tag", "create", "later")
    bob.ok("sync")
    with open_replica(bob) as lb:
        lb.tags.add([lb.articles.resolve_key(OTHER)], ["later"])
    alice.ok("tag", "delete", "later")
    code, _, err = bob.run("tag", "list", "--json")  # pulls first: the tagging is dropped here
    assert code == 0 and "1 new conflict (see `conflicts`)" in err
    assert user_tags(bob) == {}
    assert [c["field"] for c in conflicts_of(bob)] == ["tag"]
    bob.ok("sync")
    assert user_tags(alice) == {}
    assert bob.json("status")["outbox"] == 0  # type: ignore[index]


def test_an_older_offline_delete_of_an_article_in_a_deleted_list_still_deletes(
        team: Team) -> None:
    """The list's deletion is not an edit of the article: bob's stale delete is not refused
    as "changed since" because the article left the deleted list."""
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("lists", "create", "Journal club")
    alice.ok("lists", "add", "Journal club", KEY)
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline
        lb.articles.delete([lb.articles.resolve_key(KEY)])
    alice.ok("lists", "delete", "Journal club")
    bob.ok("sync")
    alice.ok("sync")
    for client in (alice, bob):
        assert len(client.json("list")) == 3  # type: ignore[arg-type]
        assert lists_of(client) == {}
    assert conflicts_of(bob) == []
