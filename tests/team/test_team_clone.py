"""A new client's first full copy of a team library (the bulk clone, ``team_clone_100k``):
it must hold exactly what the server holds, search and count like the library it copies, make
no outbox entries, and never leave a half copy that is taken as complete (issue 13)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from benchmarks import corpus
from spinelib.library import Library
from spinelib.library import sync as syncmod
from spinelib.records import Author
from spinelib.results import Query
from spinelib.store import clone as clonemod
from spinelib.store.connection import Connection
from spinelib.store.postgres import firstcopy
from spinelib.store.tagcounts import TagCountSql
from tests.team.conftest import Client, Team, open_replica

COUNT = 60


def _shared_library(team: Team) -> tuple[Client, list[str]]:
    """alice's library: generated articles (authors, references, MeSH, suggested tags),
    a user tag on some, two reading lists in her own order; everything pushed."""
    alice = team.client("alice")
    with open_replica(alice) as lib:
        records = corpus.articles(7, 0, COUNT)
        # One a textbook chapter: its book's editors are searched like authors (schema 21).
        records[0] = replace(records[0], type="chapter", book_title="Spine Oncology",
                             editors=[Author(family="Benzel", given="Edward C"),
                                      Author(collective="AO Spine")])
        lib.articles.add_records(records)
        lib.sync.push()
        with lib.store.reading() as conn:
            keys = sorted(str(k) for k in conn.column("SELECT citekey FROM article"))
    alice.ok("tag", "create", "shared")
    for key in keys[:9]:
        alice.ok("tag", "add", key, "shared")
    alice.ok("lists", "create", "Club")
    alice.ok("lists", "create", "Theses")
    for key in reversed(keys[:7]):
        alice.ok("lists", "add", "Club", key)
    alice.ok("lists", "add", "Theses", keys[3])
    alice.ok("notes", keys[0], "alice's own note")
    alice.ok("sync")
    return alice, keys


def _dump(conn: Connection) -> dict[str, Any]:
    """What a replica holds of the shared library, keyed by citekey (local ids may differ)."""
    key = "(SELECT citekey FROM article WHERE id = {}.article_id)"
    shared = ("citekey, title, abstract, journal, journal_abbrev, year, doi, pmid, pmcid, "
              "keywords, mesh, first_author, author_count, title_key, title_sort")
    return {
        "articles": conn.all(f"SELECT {shared} FROM article ORDER BY citekey"),
        "authors": conn.all(f"SELECT {key.format('x')}, position, family, given, initials, "
                            "collective, orcid FROM author x ORDER BY 1, 2"),
        "references": conn.all(f'SELECT {key.format("x")}, position, citation, doi, pmid, '
                               'pmcid FROM "reference" x ORDER BY 1, 2'),
        "tags": conn.all(f"SELECT {key.format('x')}, tag_id, origin, reason FROM article_tag x "
                         "ORDER BY 1, 2"),
        "tag_defs": conn.all("SELECT id, label, origin FROM tag WHERE id IN "
                             "(SELECT tag_id FROM article_tag) ORDER BY id"),
        "facets": conn.all(f"SELECT {key.format('x')}, facet, value, reason FROM article_facet x "
                           "ORDER BY 1, 2, 3"),
        "lists": conn.all(f"SELECT l.name, {key.format('i')} FROM reading_list_item i JOIN "
                          "reading_list l ON l.id = i.list_id ORDER BY l.name, i.position"),
        "tag_count": conn.all("SELECT tag_id, n FROM tag_count WHERE n > 0 ORDER BY tag_id"),
        "tag_tree_count": conn.all("SELECT tag_id, every, confirmed FROM tag_tree_count "
                                   "WHERE every > 0 ORDER BY tag_id"),
        "facet_count": conn.all("SELECT facet, value, n FROM facet_count WHERE n > 0 "
                                "ORDER BY facet, value"),
        # Every index and trigger the clone dropped while it wrote is back, as it was.
        "schema": conn.all("SELECT type, name, sql FROM sqlite_master ORDER BY type, name"),
        "uuids": conn.all("SELECT a.citekey, s.uuid FROM sync_article s JOIN article a "
                          "ON a.id = s.article_id ORDER BY 1"),
    }


def _fts_rows(conn: Connection) -> dict[int, tuple[Any, ...]]:
    return {int(r[0]): tuple(r[1:]) for r in conn.all(
        "SELECT rowid, title, abstract, authors, journal, keywords, mesh, notes, tags "
        "FROM article_fts")}


def _plain(dump: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    return {k: [tuple(r) for r in v] for k, v in dump.items()}


def test_a_clone_holds_exactly_the_shared_library_and_searches_like_it(team: Team) -> None:
    alice, keys = _shared_library(team)
    bob = team.client("bob")
    with open_replica(bob) as lb:
        assert lb.sync.pull() == COUNT
    with open_replica(alice) as la, open_replica(bob) as lb:
        with la.store.reading() as ca, lb.store.reading() as cb:
            mine, theirs = _plain(_dump(ca)), _plain(_dump(cb))
            assert len(theirs["articles"]) == COUNT
            assert len(theirs["references"]) > COUNT and len(theirs["authors"]) > COUNT
            assert any(r[2] == "suggested" for r in theirs["tags"])
            for part in mine:
                assert theirs[part] == mine[part], part
            # The clone makes no outbox entries and marks nothing dirty.
            assert cb.scalar("SELECT count(*) FROM sync_outbox") == 0
            assert cb.scalar("SELECT count(*) FROM sync_dirty") == 0
            assert cb.scalar("SELECT count(*) FROM tag_cover_dirty") == 0
            # The copy's larger FTS5 budget is not left behind in the file.
            assert cb.scalar("SELECT count(*) FROM article_fts_config WHERE k = 'hashsize'") == 0
            assert int(cb.scalar("SELECT n FROM change_counter")) > 0
            # Counts kept by triggers equal counts made from scratch.
            tree = TagCountSql().recompute(cb)
            assert {t: (c.every, c.confirmed) for t, c in tree.items()} == {
                str(r[0]): (int(r[1]), int(r[2])) for r in theirs["tag_tree_count"]}
            fts = _fts_rows(cb)
            assert len(fts) == COUNT
            # bob's own notes are empty: alice's stays hers (private).
            assert cb.scalar("SELECT count(*) FROM article WHERE notes != ''") == 0
        # The full-text rows equal what the ordinary path writes for each stored article.
        with lb.store.writing() as cb:
            for article_id in list(fts):
                lb.store.fulltext.reindex(cb, article_id)
            assert _fts_rows(cb) == fts
        for word in ("shared", "Club", "Benzel", "editor:benzel"):
            assert _search(la, word) == _search(lb, word)
        title_word = max(str(theirs["articles"][5][1]).split(), key=len)
        assert keys and _search(lb, title_word) == _search(la, title_word) != []
        assert lb.search.count() == COUNT
        assert len(_search(lb, "editor:benzel")) == 1 == len(_search(lb, '"AO Spine"'))
    # Bob's first edit after the clone pushes only what he changed.
    assert bob.json("status")["outbox"] == 0  # type: ignore[index]
    bob.ok("tag", "add", keys[20], "shared")
    assert bob.json("status")["outbox"] == 0  # type: ignore[index]


def _search(lib: Library, text: str) -> list[str]:
    ids = lib.search.ids(Query(search=text))
    with lib.store.reading() as conn:
        return sorted(str(conn.scalar("SELECT citekey FROM article WHERE id = :i", {"i": i}))
                      for i in ids)


def test_an_interrupted_clone_leaves_an_empty_replica_that_clones_again(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    _shared_library(team)
    bob = team.client("bob")

    written: list[int] = []

    def broken(self: clonemod.Clone) -> None:
        # Every batch is in (rows, full-text rows), the indexes and triggers are dropped.
        written.append(int(self.conn.scalar("SELECT count(*) FROM article_fts")))
        raise RuntimeError("power cut while counting")

    with open_replica(bob) as lb:
        with monkeypatch.context() as m:
            m.setattr(clonemod.Clone, "_recount", broken)
            with pytest.raises(RuntimeError):
                lb.sync.pull()
        assert written == [COUNT]
        with lb.store.reading() as conn:
            for table in ("article", "author", '"reference"', "article_tag", "sync_article",
                          "reading_list_item", "article_fts", "sync_outbox"):
                assert conn.scalar(f"SELECT count(*) FROM {table}") == 0, table
            assert conn.scalar("SELECT value FROM sync_state WHERE key = 'last_seen'") in (
                None, "0")
            assert conn.scalar("SELECT value FROM sync_state WHERE key = 'capture'") == "1"
            # The indexes and triggers the clone drops while it writes are all back.
            names = {str(r[0]) for r in conn.all("SELECT name FROM sqlite_master")}
            assert {"ix_article_sort_keys", "ix_reference_article", "ix_author_article",
                    "tag_count_ins", "tag_cover_ins", "facet_count_ins",
                    "sync_article_insert", "change_counter_article_insert"} <= names
        assert lb.sync.pull() == COUNT
        assert lb.search.count() == COUNT
        assert len(_search(lb, "editor:benzel")) == 1 == len(_search(lb, '"AO Spine"'))
    assert json.loads(bob.ok("status", "--json"))["outbox"] == 0


def test_a_replica_that_gains_an_article_during_the_read_is_not_cloned_over(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk read is chosen on an empty replica; if an article is there by the time the
    write starts, the pull applies the documents one by one (their references parsed back)."""
    _shared_library(team)
    bob = team.client("bob")
    answers = [True, False]  # empty when the read is chosen, not when the write starts
    real = syncmod.ob.no_articles

    def no_articles(conn: Connection) -> bool:
        return answers.pop(0) if answers else real(conn)

    with open_replica(bob) as lb:
        monkeypatch.setattr(syncmod.ob, "no_articles", no_articles)
        assert lb.sync.pull() == COUNT
        assert answers == []
        monkeypatch.setattr(syncmod.ob, "no_articles", real)
        with lb.store.reading() as conn:
            assert conn.scalar('SELECT count(*) FROM "reference"') > COUNT
            assert conn.scalar("SELECT count(*) FROM article_fts") == COUNT
    with (open_replica(team.client("alice")) as la, open_replica(bob) as lb,
          la.store.reading() as ca, lb.store.reading() as cb):
        mine, theirs = _plain(_dump(ca)), _plain(_dump(cb))
        for part in ("articles", "authors", "references", "tags", "lists", "tag_count"):
            assert theirs[part] == mine[part], part


def test_a_server_that_hangs_mid_copy_leaves_an_empty_replica_that_copies_later(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy is streamed: the server stops answering after the first batch was read, while
    the replica is half written. The heartbeat ends the copy (SyncOffline, as for any call),
    nothing of it is kept, and once the server is back the next pull copies everything."""
    import signal

    _shared_library(team)
    bob = team.client("bob")
    real = clonemod.RowMaker.batch
    hung: list[int] = []

    def hang_after_this_batch(self: clonemod.RowMaker, articles: Any) -> clonemod.Batch:
        rows = real(self, articles)
        team.cluster.signal_all(signal.SIGSTOP)  # the reader's next FETCH never returns
        hung.append(len(rows.articles))
        return rows

    with open_replica(bob) as lb:
        monkeypatch.setattr(firstcopy, "BATCH", 25)  # three batches of the 60 articles
        monkeypatch.setattr(clonemod.RowMaker, "batch", hang_after_this_batch)
        try:
            with pytest.raises(syncmod.SyncOffline, match="stopped answering"):
                lb.sync.pull()
        finally:
            team.cluster.signal_all(signal.SIGCONT)
        assert hung == [25]
        monkeypatch.setattr(clonemod.RowMaker, "batch", real)
        with lb.store.reading() as conn:
            for table in ("article", '"reference"', "sync_article", "article_fts"):
                assert conn.scalar(f"SELECT count(*) FROM {table}") == 0, table
        assert lb.search.count() == 0  # the replica is usable, and empty
        assert lb.sync.pull() == COUNT  # three batches this time
        assert lb.search.count() == COUNT
        assert len(_search(lb, "editor:benzel")) == 1 == len(_search(lb, '"AO Spine"'))
    assert json.loads(bob.ok("status", "--json"))["outbox"] == 0


def test_a_client_killed_mid_copy_leaves_an_empty_replica_that_copies_again(
        team: Team) -> None:
    """The first copy writes through a rollback journal (not the WAL): a process killed with
    two of three batches in the file leaves a hot journal, which the next open rolls back
    (never a "damaged" replica); the next pull copies everything, and the replica is in WAL
    mode again."""
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    _shared_library(team)
    bob = team.client("bob")
    with open_replica(bob) as lb:  # made and attached, still empty
        replica = Path(lb.store.location)
    size_before = replica.stat().st_size
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from spinelib.library.team import open_team
        from spinelib.store import clone
        from spinelib.store.postgres import firstcopy
        firstcopy.BATCH = 25
        real, written = clone.Clone.add, []

        def add(self, batch):
            self.conn.execute("PRAGMA cache_size = 20")  # pages reach the file mid-copy
            real(self, batch)
            written.append(len(batch.articles))
            if len(written) == 2:
                mode = self.conn.scalar("PRAGMA journal_mode")
                print(mode, os.path.getsize({str(replica)!r}), flush=True)
                os._exit(3)  # killed mid-copy: no rollback, no close

        clone.Clone.add = add
        open_team({bob.url!r}, Path({str(bob.home)!r})).sync.pull()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=300,
                          env={**os.environ, "SPINELIB_HOME": str(bob.home)})
    assert done.returncode == 3, done.stderr
    mode, size = done.stdout.split()
    assert mode == "delete" and int(size) > size_before  # rows were in the file itself
    assert replica.with_name(replica.name + "-journal").exists()
    with open_replica(bob) as lb:
        with lb.store.reading() as conn:
            for table in ("article", '"reference"', "sync_article", "article_fts"):
                assert conn.scalar(f"SELECT count(*) FROM {table}") == 0, table
            assert conn.scalar("PRAGMA journal_mode") == "wal"
        assert lb.sync.pull() == COUNT
        assert lb.search.count() == COUNT
        assert len(_search(lb, "editor:benzel")) == 1 == len(_search(lb, '"AO Spine"'))
        with lb.store.reading() as conn:
            assert conn.scalar("PRAGMA journal_mode") == "wal"
            assert conn.scalar("PRAGMA integrity_check") == "ok"
    assert json.loads(bob.ok("status", "--json"))["outbox"] == 0


def test_a_clone_through_the_reference_helper_equals_one_written_in_process(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference lists made into rows by the helper process (issue 19) and shipped as
    images: the same rows, ids and order as a copy that writes them itself."""
    from spinelib.store import refhelper

    _shared_library(team)
    monkeypatch.setattr(firstcopy, "BATCH", 7)  # nine batches of the 60 articles
    writers: list[refhelper.ReferenceWriter] = []
    real_close = refhelper.ReferenceWriter.close

    def close(self: refhelper.ReferenceWriter) -> None:
        writers.append(self)
        real_close(self)

    monkeypatch.setattr(refhelper.ReferenceWriter, "close", close)
    tables = {}
    for login, helped in (("owner", False), ("bob", True)):
        monkeypatch.setattr(refhelper, "HELPER_AFTER", 1 if helped else 10**6)
        monkeypatch.setattr(refhelper, "SHIP_EVERY", 3)
        monkeypatch.setattr(refhelper.ReferenceHelper, "worth_it",
                            staticmethod(lambda: True))
        with open_replica(team.client(login)) as lib:
            assert lib.sync.pull() == COUNT
            with lib.store.reading() as conn:
                tables[login] = [tuple(r) for r in conn.all(
                    'SELECT id, article_id, position, citation, doi, pmid, pmcid '
                    'FROM "reference" ORDER BY id')]
    owner, bob = writers
    assert owner.shipped == 0 and bob.shipped > 0 and bob.written_here > 0  # batch 1 here
    assert len(tables["bob"]) == owner.written_here > COUNT
    assert tables["bob"] == tables["owner"]
    assert [r[1:3] for r in tables["bob"]] == sorted(r[1:3] for r in tables["bob"])
