"""Team library scenarios with two and three clients against a real PostgreSQL (issue 13)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

from spinelib.library import sync as syncmod
from spinelib.store.postgres import server as servermod
from tests.team.conftest import Team, open_replica, set_title

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"
KEY = "laufer2013noms"


def shared_start(team: Team, *logins: str) -> list[Any]:
    """Clients that all hold the four articles alice imported."""
    clients = [team.client(login) for login in logins]
    clients[0].ok("import", "--no-refs", str(NBIB))
    for c in clients[1:]:
        assert len(c.json("list")) == 4  # type: ignore[arg-type]
    return clients


def show(client: Any, key: str = KEY) -> dict[str, Any]:
    data = client.json("show", key)
    assert isinstance(data, dict)
    return data


def test_different_fields_edited_concurrently_are_both_kept(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    with open_replica(alice) as la, open_replica(bob) as lb:
        set_title(la, KEY, "NOMS, revised by Alice")
        lb.tags.create("to read")
        lb.tags.add([lb.articles.resolve_key(KEY)], ["to read"])
        assert la.sync.sync().new_conflicts == 0
        assert lb.sync.sync().new_conflicts == 0
        la.sync.pull()
    for c in (alice, bob):
        data = show(c)
        assert data["title"] == "NOMS, revised by Alice"
        assert data["tags"] == ["to read"]
    assert alice.json("conflicts") == [] and bob.json("conflicts") == []


def test_same_field_gives_one_conflict_to_the_second_and_loses_nothing(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    with open_replica(alice) as la, open_replica(bob) as lb:
        set_title(la, KEY, "Alice's title")
        set_title(lb, KEY, "Bob's title")
        la.sync.sync()
        assert lb.sync.sync().new_conflicts == 1
    conflicts = bob.json("conflicts")
    assert isinstance(conflicts, list) and len(conflicts) == 1
    c = conflicts[0]
    assert set(c) == {"id", "article", "field", "mine", "theirs", "when"}
    assert (c["article"], c["field"], c["mine"], c["theirs"]) == (
        KEY, "title", "Bob's title", "Alice's title")
    assert alice.json("conflicts") == []
    assert show(bob)["title"] == "Alice's title"  # the server's value, Bob's kept above
    bob.ok("conflicts", "resolve", str(c["id"]), "--keep", "mine")
    assert bob.json("conflicts") == []
    assert show(alice)["title"] == "Bob's title"
    history = bob.json("history", KEY)
    assert isinstance(history, list)
    titles = [(h["who"], h["new"]) for h in history if h["field"] == "title"]
    assert titles[-2:] == [("alice", "Alice's title"), ("bob", "Bob's title")]
    assert set(history[0]) == {"when", "who", "what", "field", "old", "new"}


def test_twenty_offline_edits_replay_after_reconnect(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    team.cluster.stop("immediate")
    keys = ["laufer2013noms", "patchell2005direct"]
    for i in range(20):
        code, _, err = alice.run("tag", "create", f"t{i}")
        assert code == 0
        code, _, err = alice.run("tag", "add", keys[i % 2], f"t{i}")
        assert code == 0, err
        # the new tag (shared even before an article has it) and its assignment
        assert f"{2 * (i + 1)} changes waiting to sync" in err
    status = alice.json("status")
    assert status["online"] is False and status["outbox"] == 40  # type: ignore[index]
    assert alice.json("list", "--tag", "t0")  # the replica works offline
    team.cluster.start()
    alice.ok("sync")
    assert alice.json("status")["outbox"] == 0  # type: ignore[index]
    assert len(team.sql("SELECT change_id FROM change_log WHERE kind = 'edit'")) == 20
    assert len(team.sql("SELECT change_id FROM change_log WHERE kind = 'name'")) == 20
    assert sorted(show(bob, keys[0])["tags"]) == sorted(f"t{i}" for i in range(0, 20, 2))
    assert sorted(show(bob, keys[1])["tags"]) == sorted(f"t{i}" for i in range(1, 20, 2))


@pytest.mark.parametrize("when", ["after_commit", "mid_transaction"])
def test_server_killed_mid_push_applies_every_change_once(team: Team, when: str,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    monkeypatch.setattr(syncmod, "PUSH_BATCH", 3)
    real_push, real_apply = servermod.Server.push, servermod.Server._apply
    state = {"batches": 0, "applied": 0}

    def push_then_die(self: servermod.Server, changes: Any) -> Any:
        result = real_push(self, changes)
        state["batches"] += 1
        if state["batches"] == 2:  # committed on the server, never acknowledged
            team.cluster.stop("immediate")
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return result

    def die_inside(self: servermod.Server, change: Any, result: Any) -> None:
        state["applied"] += 1
        if state["applied"] == 5:  # the second batch's transaction is open
            team.cluster.stop("immediate")
        real_apply(self, change, result)

    if when == "after_commit":
        monkeypatch.setattr(servermod.Server, "push", push_then_die)
    else:
        monkeypatch.setattr(servermod.Server, "_apply", die_inside)
    with open_replica(alice) as la:
        for i in range(8):
            set_title(la, ["laufer2013noms", "patchell2005direct"][i % 2], f"title {i}")
        la.tags.create("kept")
        la.tags.add([la.articles.resolve_key(KEY)], ["kept"])
        waiting = la.sync.waiting()
        assert waiting == 10  # 8 titles, the tag made (shared before any article has it), 1 tag
        with pytest.raises(syncmod.SyncOffline):
            la.sync.sync()
        assert 0 < la.sync.waiting() <= waiting
        team.cluster.start()
        monkeypatch.setattr(servermod.Server, "push", real_push)
        monkeypatch.setattr(servermod.Server, "_apply", real_apply)
        la.sync._server = None
        la.sync.sync()
        assert la.sync.waiting() == 0
    rows = team.sql("SELECT change_id, count(*) FROM change_log WHERE kind = 'edit' "
                    "GROUP BY change_id")
    assert len(rows) == 9 and all(n == 1 for _, n in rows)
    assert len(team.sql("SELECT 1 FROM change_log WHERE kind = 'name'")) == 1
    assert show(bob, "patchell2005direct")["title"] == "title 7"
    assert show(bob)["title"] == "title 6" and show(bob)["tags"] == ["kept"]


def test_same_pmids_imported_by_two_clients_at_once_make_one_article_each(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("status")
    bob.ok("status")
    team.cluster.stop("immediate")
    alice.ok("import", "--no-refs", str(NBIB))
    bob.ok("import", "--no-refs", str(NBIB))
    team.cluster.start()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    with open_replica(alice) as la, open_replica(bob) as lb:
        def go(lib: Any) -> None:
            try:
                barrier.wait()
                lib.sync.push()
            except BaseException as exc:  # reported below
                errors.append(exc)
        threads = [threading.Thread(target=go, args=(lib,)) for lib in (la, lb)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        la.sync.pull()
        lb.sync.pull()
    assert team.sql("SELECT count(*) FROM article")[0][0] == 4
    for c in (alice, bob):
        assert sorted(a["pmid"] for a in c.json("list")) == sorted(  # type: ignore[union-attr]
            ["16125588", "23709750", "21333599", "20301577"])
        assert c.json("status")["outbox"] == 0  # type: ignore[index]


@pytest.mark.parametrize("first", ["delete", "edit"])
def test_delete_versus_edit_loses_nothing(team: Team, first: str) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    with open_replica(alice) as la, open_replica(bob) as lb:
        la.articles.delete([la.articles.resolve_key(KEY)])
        set_title(lb, KEY, "Bob still needs this")
        order = (la, lb) if first == "delete" else (lb, la)
        for lib in order:
            lib.sync.sync()
        la.sync.pull()
    for c in (alice, bob):
        assert show(c)["title"] == "Bob still needs this"
    if first == "edit":  # Alice's stale delete was refused and reported to her
        [c] = alice.json("conflicts")  # type: ignore[misc]
        assert (c["field"], c["mine"]) == ("deleted", "deleted")


def test_tag_and_list_merges(team: Team) -> None:
    alice, bob, carol = shared_start(team, "alice", "bob", "carol")
    with open_replica(alice) as la, open_replica(bob) as lb:
        for lib, tag, lst in ((la, "alice-tag", "Alice's list"), (lb, "bob-tag", "Journal club")):
            lib.tags.create(tag)
            lib.tags.add([lib.articles.resolve_key(KEY)], [tag])
            lib.lists.create(lst)
            lib.lists.add(lst, [lib.articles.resolve_key(KEY)])
        la.sync.sync()
        lb.sync.sync()
    for c in (alice, bob, carol):
        assert sorted(show(c)["tags"]) == ["alice-tag", "bob-tag"]
        for lst in ("Alice's list", "Journal club"):
            assert [a["citekey"] for a in c.json("list", "--list", lst)] == [KEY]  # type: ignore[union-attr]


def test_reader_is_refused_before_anything_is_written(team: Team) -> None:
    shared_start(team, "alice")
    carol = team.client("carol")
    assert len(carol.json("list")) == 4  # type: ignore[arg-type]
    code, _, err = carol.run("tag", "create", "mine")  # a new tag is shared: refused too
    assert code == 1 and "only read" in err
    code, _, err = carol.run("tag", "add", KEY, "SBRT")
    assert code == 1 and "only read" in err
    assert show(carol)["tags"] == []
    assert carol.json("status")["outbox"] == 0  # type: ignore[index]
    carol.ok("notes", KEY, "a reader's own notes are hers")  # private: allowed
    assert carol.ok("notes", KEY).strip() == "a reader's own notes are hers"


def test_private_notes_are_invisible_to_a_colleague(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("notes", KEY, "Alice's private thoughts")
    assert alice.ok("notes", KEY).strip() == "Alice's private thoughts"
    assert bob.ok("notes", KEY).strip() == ""
    with psycopg.connect(team.cluster.url("bob", team.dbname)) as conn:
        assert conn.execute("SELECT count(*) FROM article_private").fetchone() == (0,)
    # The same person on a second machine gets their own notes back.
    laptop = team.client("alice", name="alice-laptop")
    assert laptop.ok("notes", KEY).strip() == "Alice's private thoughts"


def test_restored_server_is_detected_and_local_changes_kept(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    dump = team.tmp / "old.dump"
    dump.write_bytes(_dump(team))
    alice.ok("tag", "create", "later")
    alice.ok("tag", "add", KEY, "later")  # server moves past the dump
    _restore(team, dump)
    code, _, err = alice.run("sync")
    assert code == 1 and "restored from an older backup" in err
    code, _, err = alice.run("tag", "add", "patchell2005direct", "later")
    assert code == 0 and "1 change waiting to sync" in err
    assert len(alice.json("list")) == 4  # type: ignore[arg-type]
    assert alice.run("sync")[0] == 1
    assert alice.json("status")["outbox"] == 1  # type: ignore[index]
    del bob


def test_replaced_server_is_detected(team: Team) -> None:
    alice = shared_start(team, "alice")[0]
    team.sql("UPDATE library_meta SET uuid = gen_random_uuid()")
    code, _, err = alice.run("sync")
    assert code == 1 and "server was replaced" in err
    assert alice.run("list")[0] == 0
    # The server answers: status says online (sync is blocked, not offline) and why.
    code, out, err = alice.run("status", "--json")
    assert code == 0 and "server was replaced" in err
    assert json.loads(out)["online"] is True


def test_hung_server_is_detected_by_the_heartbeat(team: Team) -> None:
    import signal

    alice = shared_start(team, "alice")[0]
    with open_replica(alice) as la:
        la.sync.pull()  # connected
        set_title(la, KEY, "written while the server hangs")
        team.cluster.signal_all(signal.SIGSTOP)
        try:
            with pytest.raises(syncmod.SyncOffline, match="stopped answering"):
                la.sync.push()
            assert la.sync.waiting() == 1
            assert la.articles.record(la.articles.resolve_key(KEY)).title == (
                "written while the server hangs")
        finally:
            team.cluster.signal_all(signal.SIGCONT)
    code, _, err = alice.run("sync")
    assert code == 0, err
    assert alice.json("status")["outbox"] == 0  # type: ignore[index]


def _dump(team: Team) -> bytes:
    import subprocess

    cmd = [str(team.cluster.bindir / "pg_dump"), "-h", "127.0.0.1", "-p",
           str(team.cluster.port), "-U", "postgres", "-Fc", team.dbname]
    return subprocess.run(cmd, capture_output=True, check=True, timeout=60).stdout


def _restore(team: Team, dump: Path) -> None:
    import subprocess

    with team.cluster.admin() as conn:
        conn.execute(f"DROP DATABASE {team.dbname} WITH (FORCE)")  # type: ignore[arg-type]
        conn.execute(f"CREATE DATABASE {team.dbname} TEMPLATE team_template "  # type: ignore[arg-type]
                     "OWNER owner")
    subprocess.run([str(team.cluster.bindir / "pg_restore"), "-h", "127.0.0.1", "-p",
                    str(team.cluster.port), "-U", "postgres", "-d", team.dbname,
                    str(dump)], capture_output=True, check=True, timeout=60)


def test_a_colleagues_change_wakes_a_follower_who_pulls_it(team: Team) -> None:
    alice, bob = shared_start(team, "alice", "bob")
    with open_replica(bob) as lb:
        lb.sync.follow()
        assert lb.sync.wait_for_change(0.2) is False  # nothing happened
        alice.ok("tag", "create", "hot")
        alice.ok("tag", "add", KEY, "hot")
        assert lb.sync.wait_for_change(10) is True
        assert [t.label for t in lb.tags.state(lb.articles.resolve_key(KEY)).tags] == [
            "hot"]


def test_a_command_on_a_hung_server_still_works_on_the_replica(team: Team) -> None:
    import signal

    alice = shared_start(team, "alice")[0]
    alice.ok("tag", "create", "while hung")
    team.cluster.signal_all(signal.SIGSTOP)
    try:
        code, _, err = alice.run("tag", "add", KEY, "while hung")
        assert code == 0 and "1 change waiting to sync" in err
        assert show(alice)["tags"] == ["while hung"]
    finally:
        team.cluster.signal_all(signal.SIGCONT)
    alice.ok("sync")
    assert alice.json("status")["outbox"] == 0  # type: ignore[index]


def test_a_bulk_first_copy_matches_what_the_replica_would_snapshot(team: Team) -> None:
    """The first copy writes shadows without reading rows back: they must equal the
    snapshots, or the next edit would push fields nobody changed."""
    import json

    from spinelib.store import outbox

    alice = team.client("alice")
    alice.ok("import", "--no-refs", str(NBIB))
    alice.ok("tag", "create", "shared")
    alice.ok("tag", "add", KEY, "shared")
    alice.ok("lists", "create", "Club")
    alice.ok("lists", "add", "Club", KEY)
    bob = team.client("bob")
    assert len(bob.json("list")) == 4  # type: ignore[arg-type]
    with open_replica(bob) as lb, lb.store.reading() as conn:
        rows = conn.all("SELECT article_id, shadow FROM sync_article")
        assert len(rows) == 4
        for article_id, shadow in rows:
            snap = outbox.snapshot(conn, article_id)
            stored = json.loads(shadow)
            assert "references" not in stored  # kept once, in the rows (schema step 15)
            assert snap is not None and snap[0] == {**stored, "references": snap[0][
                "references"]}
    set_title_cli = bob.run("tag", "add", KEY, "shared")  # already there: no change
    assert set_title_cli[0] == 0 and bob.json("status")["outbox"] == 0  # type: ignore[index]


def test_a_papers_state_and_access_date_reach_a_colleague(team: Team) -> None:
    """The fields schema 19 and the publication state added travel like any other: an edit
    on one replica is on the other after a sync (the server's documents carry them)."""
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("edit", KEY, "--set", "pubstate=accepted", "--set", "accessed=5 Dec 2026")
    with open_replica(alice) as la:
        la.sync.sync()
    with open_replica(bob) as lb:
        lb.sync.pull()
    data = show(bob)
    assert (data["pubstate"], data["year"]) == ("inpress", 2013)
    with open_replica(bob) as lb:
        assert lb.articles.record(lb.articles.resolve_key(KEY)).accessed == "2026-12-05"


def test_a_chapters_editors_and_edition_reach_a_colleague(team: Team) -> None:
    """The book fields schema 20 added travel in the server's documents like any field."""
    alice, bob = shared_start(team, "alice", "bob")
    alice.ok("edit", KEY, "--set", "editors=Benzel, Edward C.; Steinmetz, Michael P.",
             "--set", "edition=4th")
    with open_replica(alice) as la:
        la.sync.sync()
    with open_replica(bob) as lb:
        lb.sync.pull()
        rec = lb.articles.record(lb.articles.resolve_key(KEY))
    assert [e.display() for e in rec.editors] == ["Benzel EC", "Steinmetz MP"]
    assert rec.edition == "4"
