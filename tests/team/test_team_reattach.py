"""`team reattach` after a restored or replaced server (issue 13): the stopped copy is kept,
a fresh copy is made, and the changes that were waiting are sent again."""

from __future__ import annotations

import json
from pathlib import Path

from tests.team.conftest import Team, open_replica, set_title
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


def _new_article(client: object, title: str, doi: str) -> str:
    from spinelib.records import ArticleRecord

    with open_replica(client) as lib:  # type: ignore[arg-type]
        result = lib.articles.add_records([ArticleRecord(title=title, doi=doi, year=2024)])
        return str(lib.articles.citekey(result[0].article_id))


def test_reattach_sends_again_what_a_restored_server_lost_after_it_was_acknowledged(
        team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    dump = team.tmp / "old.dump"
    dump.write_bytes(_dump(team))
    with open_replica(alice) as la:  # everything below reaches the server, then is lost
        set_title(la, KEY, "Title set by alice")
        set_title(la, KEY, "Title set by alice, twice")
        la.articles.set_notes(la.articles.resolve_key(KEY), "alice's own note")
    alice.ok("tag", "create", "later")
    alice.ok("tag", "add", OTHER, "later")
    alice.ok("lists", "create", "Journal club")  # empty
    new_key = _new_article(alice, "A paper alice added", "10.1000/alice.1")
    alice.ok("sync")
    assert alice.json("status")["outbox"] == 0  # type: ignore[index]  # all acknowledged
    assert bob.json("show", KEY)["title"] == "Title set by alice, twice"  # type: ignore[index]
    _restore(team, dump)
    assert bob.run("sync")[0] == 1 and alice.run("sync")[0] == 1
    bob.ok("team", "reattach", bob.url)  # bob had sent nothing: he only follows
    code, _, err = alice.run("lists", "create", "Made while stopped")  # waits
    assert code == 0 and "1 change waiting to sync" in err

    code, out, err = alice.run("team", "reattach", alice.url)
    assert code == 0, err
    # two title edits, the tag made and given, the list made, the new article, the note
    assert "the server had lost 7 changes it had taken from this copy" in out
    assert "not recovered" not in err and "sent 1 waiting change again" in out
    for client in (alice, bob):
        client.ok("sync")
        shown = client.json("show", KEY)
        assert shown["title"] == "Title set by alice, twice"  # type: ignore[index]
        assert "later" in tags_of(client, OTHER)
        assert "Journal club\t0" in client.ok("lists")
        assert "Made while stopped\t0" in client.ok("lists")
        assert client.json("show", new_key)["doi"] == "10.1000/alice.1"  # type: ignore[index]
    assert alice.json("conflicts") == []
    assert alice.ok("notes", KEY).strip() == "alice's own note"
    assert bob.ok("notes", KEY).strip() == ""  # private stays private
    assert team.sql("SELECT count(*) FROM article WHERE data->>'title' = %s",
                    ("Title set by alice, twice",)) == [(1,)]


def test_a_lost_change_a_colleague_overwrote_since_the_restore_becomes_a_conflict(
        team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    dump = team.tmp / "old.dump"
    dump.write_bytes(_dump(team))
    with open_replica(alice) as la:
        set_title(la, KEY, "Alice's title")
    alice.ok("sync")
    _restore(team, dump)
    bob_home = bob.home  # bob starts again on the restored server and edits the same field
    bob = team.client("bob", "bob-after-restore")
    assert bob_home != bob.home
    with open_replica(bob) as lb:
        lb.sync.pull()
        set_title(lb, KEY, "Bob's title")
        lb.sync.sync()
    code, _, err = alice.run("sync")  # the server's sequence caught up: still detected
    assert code == 1 and "no longer holds change" in err
    code, out, err = alice.run("team", "reattach", alice.url)
    assert code == 0, err
    assert "the server had lost 1 change" in out and "1 conflict" in out
    conflicts = alice.json("conflicts")
    assert [(c["field"], c["mine"], c["theirs"]) for c in conflicts] == [  # type: ignore[union-attr,index]
        ("title", "Alice's title", "Bob's title")]
    assert bob.json("show", KEY)["title"] == "Bob's title"  # type: ignore[index]


def test_reattach_names_exactly_what_it_could_not_recover(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    dump = team.tmp / "old.dump"
    dump.write_bytes(_dump(team))
    new_key = _new_article(alice, "A paper bob will delete", "10.1000/alice.2")
    alice.ok("sync")
    bob.ok("delete", new_key)  # a colleague's delete, pulled by alice: then both are lost
    alice.ok("sync")
    _restore(team, dump)
    assert alice.run("sync")[0] == 1
    code, out, err = alice.run("team", "reattach", alice.url)
    assert code == 0, err
    assert f"not recovered: {new_key}" not in err  # alice no longer holds it: named by UUID
    assert "not recovered: article " in err
    assert "neither the server nor this copy holds it any more" in err
    assert new_key not in alice.ok("list")
