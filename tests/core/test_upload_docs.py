"""The batched reader of ``team create --from`` (store/uploaddocs.py) gives, article by
article, exactly what the one-article snapshot of a team replica gives (issue 13)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks import corpus
from spinelib.library import Library
from spinelib.records import Author, ReferenceEntry
from spinelib.store import outbox, uploaddocs
from spinelib.store.renames import rename_uuid


@pytest.fixture
def varied(tmp_path: Path) -> Library:
    """Forty generated articles (authors, references, facets, suggested tags) with user
    tags (one nested, one on nothing), reading lists in a chosen order (one empty), read
    states, ratings, notes, and a gap in the ids (a deleted article)."""
    lib = Library.open(tmp_path / "src.sqlite")
    lib.articles.add_records(corpus.articles(5, 0, 40))
    ids = lib.search.ids()
    lib.trash.delete([ids[3]])
    ids = lib.search.ids()
    parent = lib.tags.create("my work")
    child = lib.tags.create("revisions", parent=parent)
    lib.tags.create("nothing yet")
    lib.tags.add(ids[:7], [parent])
    lib.tags.add(ids[5:9], [child])
    lib.lists.create("journal club")
    lib.lists.add("journal club", [ids[9], ids[2], ids[30]])
    lib.lists.move("journal club", [ids[30]], 0)
    lib.lists.create("empty list")
    lib.articles.set_read_status(ids[:4], 2)
    lib.articles.set_rating(ids[6], 4)
    lib.articles.set_notes(ids[7], "mine: ask about the\ttable\nand the \\ figure")
    return lib


def test_every_batch_holds_what_a_snapshot_holds(varied: Library) -> None:
    with varied, varied.store.reading() as conn:
        seen = []
        for batch in uploaddocs.documents(conn, batch=7):
            assert 0 < len(batch) <= 7
            for doc in batch:
                snap = outbox.snapshot(conn, doc.article_id)
                assert snap is not None
                assert doc.document() == snap[0] and doc.private == snap[1]
                # the text the server stores reads back as the same document
                assert json.loads(doc.document_json()) == snap[0]
                seen.append(doc.article_id)
        assert seen == sorted(conn.column("SELECT id FROM article"))
        assert len(seen) == 39
        docs = [d.document() for b in uploaddocs.documents(conn) for d in b]
        private = [d.private for b in uploaddocs.documents(conn) for d in b]
    # the varied parts really are there (so the comparison above compared something)
    assert any(d["references"] for d in docs) and any(d["authors"] for d in docs)
    assert sum(1 for d in docs if not d["references"]) >= 1  # an article without any
    assert any(d["facets"] for d in docs)
    assert sum(1 for d in docs if d["list_positions"]) == 3
    assert {p["notes"] for p in private} >= {"mine: ask about the\ttable\nand the \\ figure"}


AWKWARD = 'He said "stop" \\ then\ttab\nline \x01 é 𝛼 \u2028 end'


def test_awkward_text_reaches_the_document_unchanged(tmp_path: Path) -> None:
    """Authors and references are made into JSON by SQLite: quotes, backslashes, control
    characters, accents, characters beyond the BMP and line separators come back whole."""
    record = replace(
        corpus.article(5, 1),
        authors=[Author(family='O"Brien \\', given="Zoë\tA", initials="ZA"),
                 Author(collective="SpineGroup 𝛼")],
        references=[ReferenceEntry(position=1, citation=AWKWARD, doi="10.1/x\"y"),
                    ReferenceEntry(position=2, citation="plain", pmid="123")])
    with Library.open(tmp_path / "a.sqlite") as lib:
        lib.articles.add_records([record])
        with lib.store.reading() as conn:
            (doc,), = list(uploaddocs.documents(conn))
            snap = outbox.snapshot(conn, doc.article_id)
    assert snap is not None and json.loads(doc.document_json()) == snap[0]
    assert snap[0]["references"][0][1] == AWKWARD
    assert snap[0]["authors"][0][0] == 'O"Brien \\'


def test_name_events_carry_every_user_tag_parents_first_and_every_list(
        varied: Library) -> None:
    with varied, varied.store.reading() as conn:
        events = uploaddocs.name_events(conn)
    names = [(e["kind"], e["name"]) for _, e in events]
    assert names.index(("tag", "my work")) < names.index(("tag", "revisions"))
    assert {n for n in names if n[0] == "list"} == {("list", "journal club"),
                                                    ("list", "empty list")}
    assert ("tag", "nothing yet") in names
    for uuid, event in events:
        assert uuid == rename_uuid(event["kind"], event["name"])
        assert event["op"] == "create"
    revisions = next(e for _, e in events if e["name"] == "revisions")
    assert revisions["parent"] == "my work" and revisions["label"] == "revisions"


def test_identifier_clashes_name_the_articles(varied: Library) -> None:
    with varied:
        with varied.store.reading() as conn:
            assert uploaddocs.identifier_clashes(conn) == []
            a, b = conn.all("SELECT id, citekey, doi FROM article WHERE doi IS NOT NULL "
                            "ORDER BY id LIMIT 2")
        # A DOI in upper case (an older version, or an edit by hand): the same paper.
        with varied.store.writing() as conn:
            conn.execute("UPDATE article SET doi = :d WHERE id = :i",
                         {"d": str(a[2]).upper(), "i": b[0]})
        with varied.store.reading() as conn:
            clashes = uploaddocs.identifier_clashes(conn)
    assert clashes == [("DOI", str(a[2]).lower(), sorted([str(a[1]), str(b[1])]))]
