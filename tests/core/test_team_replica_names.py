"""A team replica's name events and journal of sent changes (issue 13), without a server:
what the outbox gets when a list or tag is made, deleted or merged, how a pulled stream is
applied, and what the journal keeps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library, teamurl
from spinelib.records import ArticleRecord
from spinelib.store import names, sent
from spinelib.store import outbox as ob


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "replica.sqlite")
    lib.sync.attach(teamurl.parse("postgresql://alice@127.0.0.1:1/team"), "lib-uuid")
    try:
        yield lib
    finally:
        lib.close()


def outbox(lib: Library) -> list[tuple[str, dict[str, object]]]:
    with lib.store.reading() as conn:
        return [(str(e["kind"]), dict(e["new"])) for e in ob.outbox(conn)]


def test_a_plain_library_records_no_name_events(tmp_path: Path) -> None:
    with Library.open(tmp_path / "plain.sqlite") as lib:
        lib.lists.create("Journal club")
        lib.tags.create("later")
        lib.tags.delete("later")
        with lib.store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sync_rename") == 0


def test_made_and_deleted_lists_and_tags_go_to_the_outbox_in_order(replica: Library) -> None:
    replica.lists.create("Journal club")
    replica.tags.create("later")
    replica.lists.delete("Journal club")
    replica.tags.delete("later")
    assert outbox(replica) == [
        ("name", {"kind": "list", "op": "create", "name": "Journal club"}),
        ("name", {"kind": "tag", "op": "create", "name": "later", "label": "later",
                  "parent": None}),
        ("name", {"kind": "list", "op": "delete", "name": "Journal club"}),
        ("name", {"kind": "tag", "op": "delete", "name": "later"})]


def test_a_merge_goes_out_as_a_merge_ahead_of_the_articles(replica: Library) -> None:
    added = replica.articles.add_records([ArticleRecord(title="A paper", doi="10.1/x")],
                                         suggest_tags=False)
    replica.tags.create("later")
    replica.tags.add([added[0].article_id], ["later"])
    with replica.store.writing() as conn:
        ob.acknowledge(conn, [str(e["change_id"]) for e in ob.outbox(conn)], {})
    replica.tags.merge("later", "SBRT")
    kinds = outbox(replica)
    assert kinds[0] == ("rename", {"kind": "tag", "old": "later", "new": "sbrt_srs",
                                   "merge": True, "label": kinds[0][1]["label"],
                                   "origin": "vocabulary"})
    assert kinds[1] == ("name", {"kind": "tag", "op": "delete", "name": "later"})
    assert [k for k, _ in kinds[2:]] == ["edit"]


def test_the_journal_keeps_what_was_acknowledged_and_drops_the_old(replica: Library) -> None:
    replica.articles.add_records([ArticleRecord(title="A paper", doi="10.1/x")],
                                 suggest_tags=False)
    replica.lists.create("Journal club")
    with replica.store.writing() as conn:
        ids = [str(e["change_id"]) for e in ob.outbox(conn)]
        conn.execute("INSERT INTO sync_sent (change_id, uuid, kind, old, new, sent_at) "
                     "VALUES ('old', 'u', 'edit', '{}', '{}', '2000-01-01T00:00:00Z')")
        ob.acknowledge(conn, ids, {})
    with replica.store.reading() as conn:
        journal = sent.sent(conn)
        assert [e["change_id"] for e in journal] == ids  # the 2000 entry was pruned
        assert journal[0]["new"] is None  # a new article: the replica holds it whole
        assert journal[1]["new"] == {"kind": "list", "op": "create", "name": "Journal club"}
        assert sent.journal_since(conn) is not None
        assert sent.newest(conn) == ids[1]
        assert ob.outbox_count(conn) == 0


def test_a_pulled_stream_applies_in_order_and_deletes_only_the_unused(
        replica: Library) -> None:
    added = replica.articles.add_records([ArticleRecord(title="A paper", doi="10.1/x")],
                                         suggest_tags=False)
    article = added[0].article_id
    replica.lists.create("Kept")
    replica.lists.add("Kept", [article])
    replica.tags.create("later")
    replica.tags.add([article], ["later"])
    events: list[names.Event] = [
        ("name", {"kind": "list", "op": "create", "name": "Empty"}),
        ("name", {"kind": "list", "op": "delete", "name": "Empty"}),
        ("name", {"kind": "list", "op": "create", "name": "Made"}),
        ("name", {"kind": "list", "op": "delete", "name": "Kept"}),  # still holds an article
        ("rename", {"kind": "tag", "old": "later", "new": "sbrt_srs", "merge": True,
                    "label": "SBRT", "origin": "vocabulary"}),
        ("name", {"kind": "tag", "op": "delete", "name": "later"})]
    with replica.store.writing() as conn:
        ob.set_state(conn, "capture", "0")
        touched, deletions = names.apply_events(conn, events)
        names.settle_deletes(conn, deletions)
        ob.set_state(conn, "capture", "1")
        waiting = [json.loads(r[0]) for r in conn.all(
            "SELECT new FROM sync_outbox WHERE kind = 'edit'")]
    assert touched == [article]
    assert sorted(i.name for i in replica.lists.all()) == ["Kept", "Made"]
    assert [t.id for t in replica.tags.state(article).tags] == ["sbrt_srs"]
    assert "later" not in {t.id for t in replica.tags.counts()}
    # the waiting change that gave "later" now gives the merge's target
    assert any(json.loads(t)[0] == "sbrt_srs" for w in waiting for t in w.get("tags", []))
