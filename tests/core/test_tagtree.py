"""The shared tag tree's pure rules (issue 13): where a moved tag lands, never in a cycle,
and a first copy's tags ordered parent first (spinelib/store/tagtree.py)."""

from __future__ import annotations

from spinelib.store.tagtree import parent_first, place


def test_a_plain_move_changes_only_the_tag() -> None:
    assert place({"A": None, "B": None}, "A", "B") == {"A": "B"}
    assert place({"A": "B", "B": None}, "A", None) == {"A": None}
    assert place({"A": "B", "B": None}, "A", "B") == {}  # already there


def test_a_move_under_its_own_subtree_lifts_that_branch_first() -> None:
    parents = {"A": "R", "B": "A", "C": "B", "R": None}
    assert place(parents, "A", "C") == {"B": "R", "A": "C"}
    assert place({"X": "Y", "Y": None}, "Y", "X") == {"X": None, "Y": "X"}


def test_unknown_tags_and_parents() -> None:
    assert place({"A": None}, "gone", "A") == {}
    assert place({"A": "B", "B": None}, "A", "gone") == {"A": None}  # top level
    assert place({"A": None}, "A", "A") == {}


def test_parent_first_orders_a_first_copy() -> None:
    events = [{"kind": "tag", "name": "child", "parent": "mid"},
              {"kind": "list", "name": "L"},
              {"kind": "tag", "name": "mid", "parent": "top"},
              {"kind": "tag", "name": "top", "parent": None},
              {"kind": "tag", "name": "vocab-child", "parent": "spine.vocabulary"}]
    order = [e["name"] for e in parent_first(events)]
    assert order == ["L", "top", "mid", "child", "vocab-child"]
    loop = [{"kind": "tag", "name": "a", "parent": "b"}, {"kind": "tag", "name": "b",
                                                          "parent": "a"}]
    assert sorted(e["name"] for e in parent_first(loop)) == ["a", "b"]  # never loops
