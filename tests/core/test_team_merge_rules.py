"""The pure merge rules of team renames and list order (issue 13), without a server."""

from __future__ import annotations

import json

from spinelib.store.postgres.renames import catch_up, merge_positions
from spinelib.store.renames import renamed_values


def tag(tag_id: str, origin: str = "user") -> str:
    return json.dumps([tag_id, tag_id, "user", origin, None])


def test_positions_merge_name_by_name() -> None:
    base = {"A": 0, "B": 5}
    theirs = {"A": 3, "B": 5}           # a colleague moved it in A
    mine = {"A": 1, "B": 2, "C": 7}     # I moved it in A and B, added it to C
    assert merge_positions(base, theirs, mine) == {"A": 3, "B": 2, "C": 7}
    assert merge_positions({"A": 0}, {"A": 0}, {}) == {}  # I took it out of A
    assert merge_positions(None, None, {"A": 4}) == {"A": 4}


def test_renamed_values_rename_lists_positions_and_tags() -> None:
    values = {"lists": ["Journal club", "Other"], "list_positions": {"Journal club": 2},
              "tags": [tag("later"), tag("SBRT")], "title": "x"}
    listed = renamed_values(values, "list", "Journal club", "Tumour board")
    assert listed["lists"] == ["Other", "Tumour board"]
    assert listed["list_positions"] == {"Tumour board": 2}
    tagged = renamed_values(values, "tag", "later", "to read")
    assert sorted(json.loads(t)[0] for t in tagged["tags"]) == ["SBRT", "to read"]
    both = renamed_values({"tags": [tag("later"), tag("to read")]}, "tag", "later", "to read")
    assert [json.loads(t)[0] for t in both["tags"]] == ["to read"]
    assert renamed_values({"title": "x"}, "list", "a", "b") == {"title": "x"}


def test_a_change_catches_up_with_renames_in_order() -> None:
    change = {"kind": "edit", "old": {"lists": []}, "new": {"lists": ["A"]}}
    caught = catch_up(change, [("list", "A", "B"), ("list", "B", "C")])
    assert caught["new"] == {"lists": ["C"]} and caught["old"] == {"lists": []}
    assert change["new"] == {"lists": ["A"]}  # the original is left alone
