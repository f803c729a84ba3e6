"""``spinelib team create URL --from PATH`` in bulk (issue 13): a colleague's first copy of
the uploaded library equals the source; a clash or a dropped connection leaves the server
empty and the source unchanged, and the same command then works."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks import corpus
from spinelib.cli import main
from spinelib.library import Library
from spinelib.store import outbox, uploaddocs
from tests.team.conftest import Cluster, Team, open_replica

NOTE = "mine: the\ttable\nand a \\ figure"


def make_source(path: Path) -> None:
    """Generated articles with references, user tags (nested; one on nothing), lists in a
    chosen order (one empty), read states, a rating and notes."""
    with Library.open(path) as lib:
        lib.articles.add_records(corpus.articles(7, 0, 30))
        ids = lib.search.ids()
        parent = lib.tags.create("my work")
        lib.tags.add(ids[:5], [parent, lib.tags.create("revisions", parent=parent)])
        lib.tags.create("nothing yet")
        lib.lists.create("journal club")
        lib.lists.add("journal club", [ids[9], ids[2], ids[20]])
        lib.lists.move("journal club", [ids[20]], 0)
        lib.lists.create("empty list")
        lib.articles.set_read_status(ids[:3], 2)
        lib.articles.set_rating(ids[4], 5)
        lib.articles.set_notes(ids[6], NOTE)


def snapshots(lib: Library) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Every article's shared and private values, by citation key."""
    out = {}
    with lib.store.reading() as conn:
        for article_id, key in conn.all("SELECT id, citekey FROM article"):
            snap = outbox.snapshot(conn, int(article_id))
            assert snap is not None
            out[str(key)] = snap
    return out


def names(lib: Library) -> tuple[set[str], set[str]]:
    with lib.store.reading() as conn:
        return (set(conn.column("SELECT id FROM tag WHERE origin = 'user'")),
                set(conn.column("SELECT name FROM reading_list")))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def server_is_empty(cluster: Cluster, dbname: str) -> bool:
    with cluster.admin(dbname) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                              ).fetchone()
        roles = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE %s",
                             (f"{dbname}_%",)).fetchone()
    return tables == (0,) and roles == (0,)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "surgeon.sqlite"
    make_source(path)
    return path


def test_a_colleagues_first_copy_equals_the_uploaded_library(
        pg_cluster: Cluster, team_db: str, source: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(uploaddocs, "BATCH", 7)  # several batches through one COPY
    before = digest(source)
    owner_url = pg_cluster.url("owner", team_db)
    assert main(["team", "create", owner_url, "--from", str(source)]) == 0
    out = capsys.readouterr().out
    assert "30 articles, 5 lists and tags by name" in out and "on 5 articles" in out
    assert main(["team", "grant", owner_url, "bob", "editor"]) == 0
    assert digest(source) == before  # only read
    with Library.open(source) as lib:
        want, want_names = snapshots(lib), names(lib)
    team = Team(pg_cluster, team_db, tmp_path, monkeypatch, capsys)
    bob, me = team.client("bob"), team.client("owner")
    assert len(bob.json("list")) == 30  # type: ignore[arg-type]  # bob's first copy
    me.ok("list")
    with open_replica(bob) as lib:
        theirs, their_names = snapshots(lib), names(lib)
    with open_replica(me) as lib:
        mine = snapshots(lib)
    assert their_names == want_names  # the empty list and the unused tag too
    assert {k: s[0] for k, s in theirs.items()} == {k: s[0] for k, s in want.items()}
    assert {k: s[1] for k, s in mine.items()} == {k: s[1] for k, s in want.items()}
    assert all(s[1] == outbox.PRIVATE_DEFAULT for s in theirs.values())  # not bob's
    assert any(s[0]["references"] for s in want.values())
    key = next(k for k, s in want.items() if s[1]["notes"] == NOTE)
    assert me.ok("notes", key).rstrip("\n") == NOTE
    history = bob.json("history", key)
    assert [(h["who"], h["what"]) for h in history] == [("owner", "create")]  # type: ignore[index, union-attr]
    # The library works on from here: the NOTIFY trigger is back, an edit reaches the owner.
    assert team.sql("SELECT tgenabled FROM pg_trigger WHERE tgname = 'change_log_notify'"
                    ) == [("O",)]
    with open_replica(bob) as lib:
        lib.tags.add([lib.articles.resolve_key(key)], ["nothing yet"])
        lib.sync.push()
    assert "nothing yet" in me.json("show", key)["tags"]  # type: ignore[index]


def test_a_duplicate_doi_in_the_source_is_refused_before_anything_is_sent(
        pg_cluster: Cluster, team_db: str, source: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    with Library.open(source) as lib, lib.store.writing() as conn:
        (a_key, doi), (b_key, b_id) = (
            conn.first("SELECT citekey, doi FROM article WHERE doi IS NOT NULL ORDER BY id"),
            conn.first("SELECT citekey, id FROM article WHERE doi IS NOT NULL "
                       "ORDER BY id DESC"))
        conn.execute("UPDATE article SET doi = :d WHERE id = :i",
                     {"d": str(doi).upper(), "i": b_id})
    before = digest(source)
    capsys.readouterr()
    assert main(["team", "create", pg_cluster.url("owner", team_db), "--from",
                 str(source)]) == 1
    err = capsys.readouterr().err
    assert f"DOI {doi}" in err and a_key in err and b_key in err
    assert "Nothing was uploaded" in err and "Traceback" not in err
    assert server_is_empty(pg_cluster, team_db) and digest(source) == before


def test_an_interrupted_upload_leaves_the_server_empty_and_can_be_run_again(
        pg_cluster: Cluster, team_db: str, source: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = uploaddocs.documents
    sent: list[int] = []

    def dropped_after_two(conn: Any, batch: int | None = None) -> Iterator[Any]:
        for n, docs in enumerate(real(conn, batch=6)):
            if n == 2:  # the server goes away in the middle of the COPY
                with pg_cluster.admin() as admin:
                    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = %s AND usename = 'owner'", (team_db,))
            sent.append(len(docs))
            yield docs

    monkeypatch.setattr(uploaddocs, "documents", dropped_after_two)
    before = digest(source)
    owner_url = pg_cluster.url("owner", team_db)
    capsys.readouterr()
    assert main(["team", "create", owner_url, "--from", str(source)]) == 1
    err = capsys.readouterr().err
    assert "was interrupted" in err and "run the same command again" in err, err
    assert len(sent) >= 3 and "Traceback" not in err
    assert server_is_empty(pg_cluster, team_db) and digest(source) == before

    monkeypatch.setattr(uploaddocs, "documents", real)
    assert main(["team", "create", owner_url, "--from", str(source)]) == 0
    assert main(["team", "grant", owner_url, "bob", "editor"]) == 0
    bob = Team(pg_cluster, team_db, tmp_path, monkeypatch, capsys).client("bob")
    assert len(bob.json("list")) == 30  # type: ignore[arg-type]
    # Run once more on the now-full library: refused, nothing changed.
    assert main(["team", "create", owner_url, "--from", str(source)]) == 1
    assert "already a SpineLib team library" in capsys.readouterr().err
    with pg_cluster.admin(team_db) as conn:
        assert conn.execute("SELECT count(*) FROM article").fetchone() == (30,)


def test_the_servers_unique_identifiers_hold_during_the_copy(
        pg_cluster: Cluster, team_db: str, source: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Were a clash to pass the local check, ``COPY`` itself refuses it (the unique
    ``pmid`` is checked row by row) and the whole creation is rolled back."""
    real = uploaddocs.documents

    def with_a_twin(conn: Any, batch: int | None = None) -> Iterator[Any]:
        for n, docs in enumerate(real(conn, batch=10)):
            if n == 1:
                twin = {**docs[0].shared, "citekey": "twin", "doi": None, "pmcid": None}
                docs = [*docs, dataclasses.replace(docs[0], shared=twin)]
            yield docs

    monkeypatch.setattr(uploaddocs, "identifier_clashes", lambda conn: [])
    monkeypatch.setattr(uploaddocs, "documents", with_a_twin)
    capsys.readouterr()
    assert main(["team", "create", pg_cluster.url("owner", team_db), "--from",
                 str(source)]) == 1
    err = capsys.readouterr().err
    assert "was refused" in err and "Key (pmid)=" in err and "already exists" in err, err
    assert "left as it was" in err and "Traceback" not in err
    assert server_is_empty(pg_cluster, team_db)


def _compression(cluster: Cluster, dbname: str) -> tuple[set[object], set[object]]:
    """(the declared methods of article.data and change_log.diff, the methods the stored
    documents were compressed with: NULL for one stored whole)."""
    with cluster.admin(dbname) as conn:
        declared = {r[0] for r in conn.execute(
            "SELECT attcompression FROM pg_attribute WHERE attname IN ('data', 'diff') "
            "AND attrelid IN ('article'::regclass, 'change_log'::regclass)").fetchall()}
        stored = {r[0] for r in conn.execute(
            "SELECT DISTINCT pg_column_compression(data) FROM article").fetchall()}
    return declared, stored


def test_the_documents_are_stored_with_lz4(pg_cluster: Cluster, team_db: str,
                                           source: Path) -> None:
    """LZ4 halves the server's work of storing an uploaded library (schema.py measures it);
    every document big enough to compress (references make most of them) is stored so."""
    assert main(["team", "create", pg_cluster.url("owner", team_db), "--from",
                 str(source)]) == 0
    declared, stored = _compression(pg_cluster, team_db)
    assert declared == {"l"}
    assert "lz4" in stored and "pglz" not in stored


def test_a_server_without_the_method_keeps_its_own_and_works(
        pg_cluster: Cluster, team_db: str, source: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """PostgreSQL 15 refuses ``zstd`` for stored values as a server without LZ4 refuses
    ``lz4``: the creation goes on with the server's default, whole."""
    from spinelib.store.postgres import schema

    monkeypatch.setattr(schema, "QUICK_COMPRESSION", "zstd")
    assert main(["team", "create", pg_cluster.url("owner", team_db), "--from",
                 str(source)]) == 0
    declared, stored = _compression(pg_cluster, team_db)
    assert declared == {""} and "lz4" not in stored  # the default (pglz)
    assert main(["team", "grant", pg_cluster.url("owner", team_db), "bob", "editor"]) == 0
    bob = Team(pg_cluster, team_db, tmp_path, monkeypatch, capsys).client("bob")
    assert len(bob.json("list")) == 30  # type: ignore[arg-type]


def test_the_upload_reports_its_progress(
        pg_cluster: Cluster, team_db: str, source: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A 100,000-article upload takes tens of seconds: the caller hears of each batch (the
    terminal shows ``uploading articles: done/total``; a script sees nothing of it)."""
    from spinelib.library import team as teamlib

    monkeypatch.setattr(uploaddocs, "BATCH", 7)
    seen: list[tuple[int, int, str]] = []
    made = teamlib.create_team_from(pg_cluster.url("owner", team_db), source,
                                    progress=lambda d, t, w: seen.append((d, t, w)))
    assert made.articles == 30
    assert [(d, t) for d, t, _ in seen] == [(0, 30), (7, 30), (14, 30), (21, 30), (28, 30),
                                            (30, 30)]
    assert {w for _, _, w in seen} == {"uploading articles"}


@pytest.mark.parametrize("terminal", [True, False])
def test_the_command_shows_progress_on_a_terminal_only(
        pg_cluster: Cluster, team_db: str, source: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], terminal: bool) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    assert main(["team", "create", pg_cluster.url("owner", team_db), "--from",
                 str(source)]) == 0
    captured = capsys.readouterr()
    assert ("uploading articles: 30/30" in captured.err) is terminal
    assert "uploading" not in captured.out and "30 articles" in captured.out
