"""The pure merge rules of team renames and list order (issue 13), without a server."""

from __future__ import annotations

import json

from spinelib.library.recover import plan_lost
from spinelib.store.outbox import PRIVATE_DEFAULT
from spinelib.store.postgres.renames import catch_up, merge_positions, name_event, one_per_tag
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


def element(tag_id: str, label: str, tag_origin: str, origin: str, reason: str = "") -> str:
    return json.dumps([tag_id, label, tag_origin, origin, reason])


def test_a_merge_lands_on_the_target_as_tags_merge_does_it() -> None:
    target = {"label": "SBRT / SRS", "origin": "vocabulary"}
    alone = renamed_values({"tags": [tag("later", "accepted")]}, "tag", "later", "sbrt_srs",
                           target)
    assert alone["tags"] == [element("sbrt_srs", "SBRT / SRS", "vocabulary", "user")]
    both = renamed_values({"tags": [tag("later"), element("sbrt_srs", "SBRT / SRS",
                                                          "vocabulary", "suggested", "why")]},
                          "tag", "later", "sbrt_srs", target)
    assert both["tags"] == [element("sbrt_srs", "SBRT / SRS", "vocabulary", "user", "why")]
    untouched = {"tags": [tag("other")]}
    assert renamed_values(untouched, "tag", "later", "sbrt_srs", target) == untouched
    caught = catch_up({"kind": "edit", "old": {"tags": []}, "new": {"tags": [tag("later")]}},
                      [("tag", "later", "sbrt_srs", target)])
    assert caught["new"]["tags"] == [element("sbrt_srs", "SBRT / SRS", "vocabulary", "user")]


def test_a_merged_tag_set_carries_each_tag_once_the_pushers_version_winning() -> None:
    mine = element("t", "t", "user", "user")
    theirs = element("t", "t", "user", "rejected")
    assert one_per_tag(sorted([mine, theirs, tag("u")]), {mine}) == sorted([mine, tag("u")])
    assert one_per_tag([theirs], set()) == [theirs]


def snaps_of(uuid: str, **shared: object) -> dict[str, tuple[dict[str, object], dict[str, object]]]:
    return {uuid: ({"citekey": "key1", **shared}, dict(PRIVATE_DEFAULT))}


def entry(cid: str, uuid: str, kind: str, old: object, new: object) -> dict[str, object]:
    return {"change_id": cid, "uuid": uuid, "kind": kind, "old": old, "new": new}


def test_lost_edits_are_sent_again_as_one_net_edit_per_article() -> None:
    journal = [entry("c1", "a", "edit", {"title": "T0"}, {"title": "T1"}),
               entry("c2", "a", "edit", {"title": "T1", "year": 2001}, {"title": "T2",
                                                                       "year": 2002}),
               entry("c3", "b", "edit", {"title": "held"}, {"title": "kept"}),
               entry("c4", "n", "name", {}, {"kind": "list", "op": "create", "name": "L"})]
    plan = plan_lost(journal, {"c3"}, snaps_of("a"), {"a": "a", "b": "b"}, {})
    assert plan.recovered == 3 and plan.missing == [] and plan.whole == set()
    name, edit = plan.changes
    assert name["change_id"] == "c4" and name["kind"] == "name"  # as it was, first
    assert (edit["uuid"], edit["kind"]) == ("a", "edit")
    assert edit["old"] == {"title": "T0", "year": 2001}
    assert edit["new"] == {"title": "T2", "year": 2002}


def test_a_lost_new_article_goes_whole_a_lost_delete_again_and_the_rest_is_named() -> None:
    journal = [entry("c1", "new", "edit", {}, None),
               entry("c2", "gone", "edit", {}, None),
               entry("c3", "del", "delete", {"title": "x"}, {}),
               entry("c4", "new", "private", {}, {})]
    snaps = snaps_of("new", title="New")
    plan = plan_lost(journal, set(), snaps, {"del": "del-on-server"}, {})
    kinds = [(c["uuid"], c["kind"]) for c in plan.changes]
    assert kinds == [("new", "edit"), ("del-on-server", "delete")]
    assert plan.changes[0]["new"] == snaps["new"][0] and plan.whole == {"new"}
    assert plan.missing == ["article gone: made or changed here, but neither the server "
                            "nor this copy holds it any more"]


def test_private_values_are_sent_again_only_where_the_server_differs() -> None:
    journal = [entry("p1", "a", "private", {}, {"notes": "x"})]
    snaps = {"a": ({"citekey": "k"}, {"read_status": 1, "rating": 0, "notes": "mine"})}
    again = plan_lost(journal, set(), snaps, {"a": "a"}, {})
    assert [c["new"] for c in again.changes] == [snaps["a"][1]] and again.recovered == 1
    same = plan_lost(journal, set(), snaps, {"a": "a"}, {"a": snaps["a"][1]})
    assert same.changes == [] and same.recovered == 0


def test_only_well_formed_name_events_are_logged_as_such() -> None:
    good = {"kind": "list", "op": "create", "name": "Journal club"}
    assert name_event(good) == good
    for bad in ({"kind": "shelf", "op": "create", "name": "x"},
                {"kind": "tag", "op": "rename", "name": "x"},
                {"kind": "tag", "op": "delete", "name": ""}, {"kind": "list", "op": "create"}):
        assert name_event(bad) is None
