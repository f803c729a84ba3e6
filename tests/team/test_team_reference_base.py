"""A first copy keeps each reference list once, in the rows; the shadow (the base of the next
local edit) has none until the rows change (schema step 15, issue 13). Whatever changes the
rows afterwards, the outbox must still carry the server's list as the base: an edit merges
against it, and a delete of an article a colleague changed since is still a conflict."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from benchmarks import corpus
from spinelib.library import Library
from spinelib.store import outbox as ob
from tests.team.conftest import Team, open_replica, set_title

COUNT = 12


def _refs(lib: Library, key: str) -> list[list[Any]]:
    with lib.store.reading() as conn:
        snap = ob.snapshot(conn, lib.articles.resolve_key(key))
        assert snap is not None
        return list(snap[0]["references"])


def _outbox(lib: Library) -> list[dict[str, Any]]:
    with lib.store.reading() as conn:
        return ob.outbox(conn)


def _shadow(lib: Library, key: str) -> dict[str, Any]:
    with lib.store.reading() as conn:
        return dict(json.loads(str(conn.scalar(
            "SELECT shadow FROM sync_article WHERE article_id = :a",
            {"a": lib.articles.resolve_key(key)}))))


def _shared(team: Team) -> tuple[str, list[list[Any]]]:
    """alice's pushed library; the key of an article with several references, and them."""
    with open_replica(team.client("alice")) as la:
        la.articles.add_records(corpus.articles(3, 0, COUNT))
        la.sync.push()
        with la.store.reading() as conn:
            key = str(conn.scalar(
                'SELECT a.citekey FROM article a JOIN "reference" r ON r.article_id = a.id '
                "GROUP BY a.id HAVING count(*) >= 3 ORDER BY a.citekey LIMIT 1"))
        return key, _refs(la, key)


def test_an_edit_after_a_first_copy_carries_the_servers_reference_list_as_base(
        team: Team) -> None:
    key, theirs = _shared(team)
    bob = team.client("bob")
    with open_replica(bob) as lb:
        assert lb.sync.pull() == COUNT
        assert "references" not in _shadow(lb, key)
        assert _refs(lb, key) == theirs
        other = next(k for k in (lb.articles.citekey(i) for i in lb.search.ids()) if k != key)
        set_title(lb, other, "A title bob changed")  # its reference rows untouched
        [edit] = _outbox(lb)
        assert set(edit["new"]) == {"title"}  # no reference list pushed that nobody changed
        assert "references" not in _shadow(lb, key)  # (a capture writes a whole shadow)
        article_id = lb.articles.resolve_key(key)
        with lb.store.writing() as conn:  # drop the first, change the last, add one
            conn.execute('DELETE FROM "reference" WHERE article_id = :a AND position = :p',
                         {"a": article_id, "p": theirs[0][0]})
            conn.execute('UPDATE "reference" SET citation = \'bob fixed it\' '
                         "WHERE article_id = :a AND position = :p",
                         {"a": article_id, "p": theirs[-1][0]})
            conn.execute('INSERT INTO "reference" (article_id, position, citation) '
                         "VALUES (:a, 999, 'one more')", {"a": article_id})
        mine = _refs(lb, key)
        assert mine[0] == theirs[1] and mine[-2][1] == "bob fixed it" and mine[-1][0] == 999
        refs_edit = _outbox(lb)[-1]
        assert refs_edit["kind"] == "edit" and set(refs_edit["new"]) == {"references"}
        assert refs_edit["old"]["references"] == theirs  # the base, in the server's order
        assert refs_edit["new"]["references"] == mine
        assert _shadow(lb, key)["references"] == mine  # a whole shadow from now on
        lb.sync.push()
        assert lb.sync.waiting() == 0 and lb.sync.conflicts() == []
    with open_replica(team.client("alice")) as la:
        la.sync.pull()
        assert _refs(la, key) == mine
        with la.store.reading() as conn:
            assert la.articles.record(la.articles.resolve_key(other)).title == (
                "A title bob changed")
            assert conn.scalar("SELECT count(*) FROM sync_outbox") == 0


def test_deleting_a_copied_article_a_colleague_changed_since_is_a_conflict(
        team: Team) -> None:
    key, theirs = _shared(team)
    bob = team.client("bob")
    with open_replica(bob) as lb:
        assert lb.sync.pull() == COUNT
    with open_replica(team.client("alice")) as la:  # alice changes only the references
        article_id = la.articles.resolve_key(key)
        with la.store.writing() as conn:
            conn.execute('INSERT INTO "reference" (article_id, position, citation) '
                         "VALUES (:a, 999, 'alice added it')", {"a": article_id})
        la.sync.push()
        assert la.sync.waiting() == 0
        now = _refs(la, key)
        assert now == [*theirs, [999, "alice added it", None, None, None]]
    with open_replica(bob) as lb:  # bob, not pulled since his copy, deletes it
        with lb.store.writing() as conn:
            lb.store.articles.delete(conn, [lb.articles.resolve_key(key)])
        [delete] = _outbox(lb)
        assert delete["kind"] == "delete"
        assert delete["old"]["references"] == theirs  # copied in before the cascade
        lb.sync.push()
        [conflict] = lb.sync.conflicts()
        assert conflict.field == "deleted"
        lb.sync.pull()  # the server kept alice's article: it comes back
        assert _refs(lb, key) == now


def test_a_copied_article_without_references_is_deleted_with_an_empty_base(
        team: Team) -> None:
    with open_replica(team.client("alice")) as la:
        la.articles.add_records([replace(r, references=[]) for r in corpus.articles(3, 0, 3)])
        la.sync.push()
        key = la.articles.citekey(la.search.ids()[0])
    bob = team.client("bob")
    with open_replica(bob) as lb:
        assert lb.sync.pull() == 3
        with lb.store.writing() as conn:
            lb.store.articles.delete(conn, [lb.articles.resolve_key(key)])
        [delete] = _outbox(lb)
        assert delete["old"]["references"] == []
        lb.sync.push()
        assert lb.sync.conflicts() == [] and lb.sync.waiting() == 0


def test_a_copied_article_deleted_to_the_trash_carries_its_parked_list_as_base(
        team: Team) -> None:
    """A user's delete sends the article to the trash, where its reference rows stay parked
    (schema step 16): no row changes, so no trigger copies them, and the delete's base must
    come from the parked rows, not an empty list the server would read as a change."""
    key, theirs = _shared(team)
    bob = team.client("bob")
    with open_replica(bob) as lb:
        assert lb.sync.pull() == COUNT
        article_id = lb.articles.resolve_key(key)
        lb.articles.delete([article_id])
        with lb.store.reading() as conn:  # parked in place, not deleted
            assert conn.scalar('SELECT count(*) FROM "reference" WHERE article_id = :a',
                               {"a": article_id}) == len(theirs)
        [delete] = _outbox(lb)
        assert delete["kind"] == "delete"
        assert delete["old"]["references"] == theirs
        lb.sync.push()
        assert lb.sync.conflicts() == [] and lb.sync.waiting() == 0
    with open_replica(team.client("alice")) as la:
        la.sync.pull()
        assert key not in {la.articles.citekey(i) for i in la.search.ids()}


def test_a_replica_that_pushed_before_it_ever_pulled_sees_a_colleagues_delete(
        team: Team) -> None:
    """alice's replica pushed its articles but never pulled (its last seen change is 0): her
    first pull used to read only the live articles, so bob's delete never reached her."""
    key, _ = _shared(team)
    with open_replica(team.client("bob")) as lb:
        lb.sync.pull()
        with lb.store.writing() as conn:
            lb.store.articles.delete(conn, [lb.articles.resolve_key(key)])
        lb.sync.push()
    with open_replica(team.client("alice")) as la:
        la.sync.pull()
        keys = {la.articles.citekey(i) for i in la.search.ids()}
        assert key not in keys and len(keys) == COUNT - 1
