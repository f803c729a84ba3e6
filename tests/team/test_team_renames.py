"""Renaming a reading list or a tag shared with the team, and list order shared by position
(issue 13), with two clients against a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.team.conftest import Client, Team, open_replica

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"
KEYS = ("laufer2013noms", "patchell2005direct")


def lists_of(client: Client) -> dict[str, int]:
    out = client.ok("lists")
    return {name: int(n) for name, n in (line.split("\t") for line in out.splitlines())}


def order_of(client: Client, name: str) -> list[str]:
    shown = client.json("lists", "show", name)
    assert isinstance(shown, list)
    return [row["citekey"] for row in shown]


def start(team: Team) -> tuple[Client, Client]:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    alice.ok("lists", "create", "Journal club")
    alice.ok("lists", "add", "Journal club", *KEYS)
    assert lists_of(bob) == {"Journal club": 2}
    return alice, bob


def test_a_renamed_list_is_renamed_for_the_colleague_not_duplicated(team: Team) -> None:
    alice, bob = start(team)
    alice.ok("lists", "rename", "Journal club", "Tumour board")
    assert lists_of(bob) == {"Tumour board": 2}
    assert lists_of(alice) == {"Tumour board": 2}


def test_a_folder_renamed_takes_its_sub_lists_for_the_colleague_too(team: Team) -> None:
    alice, bob = start(team)
    alice.ok("lists", "create", "Journal club/MESCC")
    alice.ok("lists", "add", "Journal club/MESCC", KEYS[0])
    assert lists_of(bob) == {"Journal club": 2, "Journal club/MESCC": 1}
    alice.ok("lists", "rename", "Journal club", "Tumour board")
    assert lists_of(bob) == {"Tumour board": 2, "Tumour board/MESCC": 1}
    assert lists_of(alice) == lists_of(bob)


def test_an_article_added_offline_to_the_old_name_follows_the_rename(team: Team) -> None:
    alice, bob = start(team)
    keys = [a["citekey"] for a in bob.json("list")]  # type: ignore[union-attr]
    third = next(k for k in keys if k not in KEYS)
    with open_replica(bob) as lb:  # bob's edit, not yet sent
        lb.lists.add("Journal club", [lb.articles.resolve_key(third)])
    alice.ok("lists", "rename", "Journal club", "Tumour board")
    bob.ok("sync")
    alice.ok("sync")
    assert lists_of(bob) == {"Tumour board": 3}
    assert lists_of(alice) == {"Tumour board": 3}


@pytest.mark.parametrize("name", ["later", 'Métastases "à revoir" 50%_x'])
def test_a_renamed_tag_is_renamed_for_the_colleague(team: Team, name: str) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    alice.ok("tag", "create", name)
    for key in KEYS:
        alice.ok("tag", "add", key, name)
    bob.ok("sync")
    with open_replica(bob) as lb:
        assert lb.tags.resolve(name)
    alice.ok("tag", "rename", name, "to read")
    bob.ok("sync")
    with open_replica(bob) as lb:
        counts = {t.id: t.count for t in lb.tags.counts()}
        renamed = lb.tags.resolve("to read")
        assert counts[renamed] == 2
        assert name not in {t.label for t in lb.tags.counts()}
    for key in KEYS:
        assert "to read" in bob.json("show", key)["tags"]  # type: ignore[index]


def test_list_order_is_shared_by_position_and_merges_with_an_append(team: Team) -> None:
    alice, bob = start(team)
    keys = [a["citekey"] for a in alice.json("list")]  # type: ignore[union-attr]
    third, fourth = [k for k in keys if k not in KEYS][:2]
    alice.ok("lists", "add", "Journal club", third)
    assert order_of(bob, "Journal club") == [*KEYS, third]
    with open_replica(alice) as la:  # alice drags the third article to the top
        la.lists.move("Journal club", [la.articles.resolve_key(third)], 0)
    with open_replica(bob) as lb:  # meanwhile bob appends a fourth, offline
        lb.lists.add("Journal club", [lb.articles.resolve_key(fourth)])
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("sync")
    expected = [third, *KEYS, fourth]
    assert order_of(alice, "Journal club") == expected
    assert order_of(bob, "Journal club") == expected


def test_a_reader_cannot_rename_a_shared_list(team: Team) -> None:
    start(team)
    carol = team.client("carol")
    assert lists_of(carol) == {"Journal club": 2}
    code, _, err = carol.run("lists", "rename", "Journal club", "Mine now")
    assert code == 1 and "may only read" in err
    assert lists_of(carol) == {"Journal club": 2}
