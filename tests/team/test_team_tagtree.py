"""Moving a user tag in the tag tree is shared (issue 13): through the outbox and
``change_log``, the last move of a tag wins on every replica (each move recorded with its
login), two moves that would make a cycle end as the same tree everywhere, a first copy gets
the tree, and the counts over a subtree stay right on every replica. Real PostgreSQL, the CLI.
"""

from __future__ import annotations

from typing import Any

from tests.team.conftest import Client, Team, open_replica
from tests.team.test_team_names import OTHER
from tests.team.test_team_sync import KEY, shared_start


def tree(client: Client) -> dict[str, tuple[str | None, int]]:
    """The client's own tags: id -> (parent, articles under its subtree), after a pull."""
    rows: Any = client.json("tag", "list")
    return {r["id"]: (r["parent"], r["count"]) for r in rows if r["origin"] != "vocabulary"}


def counts_exact(client: Client) -> bool:
    """Whether the store's kept subtree counts equal a recount from the tree (after a pull)."""
    client.ok("sync")
    with open_replica(client) as lib, lib.store.reading() as conn:
        kept = lib.store.tagcounts.tree_counts(conn) or {}
        used = {t: c for t, c in kept.items() if c.every or c.confirmed}  # 0 rows stay
        return bool(used) and used == lib.store.tagcounts.recompute(conn)


def moves_logged(team: Team, tag: str) -> list[tuple[object, ...]]:
    """(login, new parent) of each logged move of ``tag``, oldest first: logged as
    ``tagmove``, never ``name`` (a client of the release before reads a ``name`` row that is
    not a creation as a deletion)."""
    assert team.sql("SELECT count(*) FROM change_log WHERE kind = 'name' AND "
                    "diff->>'op' = 'move'") == [(0,)]
    return team.sql("SELECT actor, diff->>'parent' FROM change_log WHERE kind = 'tagmove' "
                    "AND diff->>'op' = 'move' AND diff->>'name' = %s ORDER BY seq", (tag,))


def test_a_moved_tag_moves_for_colleagues_and_a_first_copy(team: Team) -> None:
    alice, bob, carol = shared_start(team, "alice", "bob", "carol")
    for name in ("tumour", "metastasis", "spine"):
        alice.ok("tag", "create", name)
    alice.ok("tag", "add", KEY, "metastasis")
    alice.ok("tag", "add", OTHER, "tumour")
    assert tree(bob)["tumour"] == (None, 1)
    assert "under 'tumour'" in alice.ok("tag", "move", "metastasis", "--under", "tumour")
    alice.ok("tag", "move", "tumour", "--under", "spine")
    want = {"spine": (None, 2), "tumour": ("spine", 2), "metastasis": ("tumour", 1)}
    for client in (alice, bob, carol, team.client("carol", "carol-laptop")):
        assert tree(client) == want  # subtree counts follow the tree on every replica
        assert counts_exact(client)
    alice.ok("tag", "move", "tumour", "--top")
    assert tree(bob) == {"spine": (None, 0), "tumour": (None, 2), "metastasis": ("tumour", 1)}
    assert moves_logged(team, "tumour") == [("alice", "spine"), ("alice", None)]


def test_two_moves_of_one_tag_the_last_pushed_wins_and_both_are_recorded(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    for name in ("tumour", "spine", "metastasis"):
        alice.ok("tag", "create", name)
    alice.ok("tag", "add", KEY, "metastasis")
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline, then the program closes
        lb.tags.move("metastasis", "spine")
    with open_replica(bob) as lb:
        assert lb.sync.waiting() == 1  # the move survived the restart
    alice.ok("tag", "move", "metastasis", "--under", "tumour")
    bob.ok("sync")  # bob's move reaches the server last
    alice.ok("sync")
    want = {"tumour": (None, 0), "spine": (None, 1), "metastasis": ("spine", 1)}
    for client in (alice, bob, team.client("alice", "alice-laptop")):
        assert tree(client) == want
    assert moves_logged(team, "metastasis") == [("alice", "tumour"), ("bob", "spine")]


def test_two_moves_that_would_make_a_cycle_end_as_one_tree_everywhere(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("tag", "create", "A")
    alice.ok("tag", "create", "B")
    alice.ok("tag", "add", KEY, "A")
    bob.ok("sync")
    with open_replica(bob) as lb:  # offline: B under A
        lb.tags.move("B", "A")
    alice.ok("tag", "move", "A", "--under", "B")  # meanwhile: A under B
    bob.ok("sync")
    alice.ok("sync")
    trees = [tree(c) for c in (alice, bob, team.client("bob", "bob-laptop"))]
    assert trees[0] == trees[1] == trees[2]
    assert trees[0] == {"A": (None, 1), "B": ("A", 0)}  # the last move, without a cycle
    assert counts_exact(alice) and counts_exact(bob)


def test_a_reader_cannot_move_a_tag_and_bad_moves_say_why(team: Team) -> None:
    alice, carol = team.client("alice"), team.client("carol")
    alice.ok("tag", "create", "A")
    alice.ok("tag", "create", "B", "--parent", "A")
    code, _, err = carol.run("tag", "move", "A", "--top")
    assert code == 1 and "only read" in err
    code, _, err = alice.run("tag", "move", "A", "--under", "B")
    assert code == 1 and "under itself" in err
    code, _, err = alice.run("tag", "move", "nonesuch", "--top")
    assert code == 1 and "unknown tag" in err
    assert tree(carol) == {"A": (None, 0), "B": ("A", 0)}
    assert moves_logged(team, "A") == []


def test_a_first_copy_gets_the_tree_after_renames_merges_and_deletions(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("tag", "create", "spine")
    alice.ok("tag", "create", "tumour", "--parent", "spine")
    alice.ok("tag", "create", "metastasis", "--parent", "tumour")
    alice.ok("tag", "add", KEY, "metastasis")
    alice.ok("tag", "rename", "tumour", "tumours")  # its child follows
    alice.ok("tag", "create", "old")
    alice.ok("tag", "create", "orphan", "--parent", "old")
    alice.ok("tag", "delete", "old")  # its child moves up to the top level
    alice.ok("tag", "create", "src")
    alice.ok("tag", "create", "sub", "--parent", "src")
    alice.ok("tag", "merge", "src", "spine")  # its child goes under the target
    want = {"spine": (None, 1), "tumours": ("spine", 1), "metastasis": ("tumours", 1),
            "orphan": (None, 0), "sub": ("spine", 0)}
    for client in (alice, bob, team.client("bob", "bob-laptop")):
        assert tree(client) == want
