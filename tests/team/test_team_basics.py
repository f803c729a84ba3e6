"""Team library basics against a real PostgreSQL: create, grant, first copy, sync, status."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from spinelib.cli import main
from spinelib.library import teamurl
from tests.team.conftest import Cluster, Team

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"


def test_two_clients_share_an_import(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    mine = alice.json("list")
    assert mine and alice.json("status")["outbox"] == 0  # type: ignore[index]
    theirs = bob.json("list")
    assert sorted(a["pmid"] for a in theirs) == sorted(a["pmid"] for a in mine)  # type: ignore[union-attr, index]
    rows = team.sql("SELECT count(*) FROM article")
    assert rows[0][0] == len(mine)  # type: ignore[arg-type]


def test_status_json_has_the_documented_keys(team: Team) -> None:
    alice = team.client("alice")
    alice.ok("import", "--no-refs", str(NBIB))
    status = alice.json("status")
    assert isinstance(status, dict)
    assert set(status) == {"online", "last_sync", "outbox", "conflicts", "server_seq",
                           "library_uuid"}
    assert status["online"] is True and status["outbox"] == 0 and status["conflicts"] == 0
    assert status["library_uuid"] == str(team.sql("SELECT uuid FROM library_meta")[0][0])
    assert status["server_seq"] == team.sql("SELECT max(seq) FROM change_log")[0][0]


def test_create_refuses_a_database_that_is_not_ours(pg_cluster: Cluster, team_db: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(pg_cluster.url("owner", team_db), autocommit=True) as conn:
        conn.execute("CREATE TABLE payroll (id int)")
    assert main(["team", "create", pg_cluster.url("owner", team_db)]) == 1
    assert "not empty and is not a SpineLib library" in capsys.readouterr().err
    with psycopg.connect(pg_cluster.url("owner", team_db)) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                              ).fetchall()
        roles = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE %s",
                             (f"{team_db}_%",)).fetchone()
    assert tables == [("payroll",)] and roles == (0,)


def test_create_twice_and_grant_an_unknown_login_are_refused(
        team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    url = team.cluster.url("owner", team.dbname)
    assert main(["team", "create", url]) == 1
    assert "already a SpineLib team library" in capsys.readouterr().err
    assert main(["team", "grant", url, "nobody", "editor"]) == 1
    assert "no login 'nobody'" in capsys.readouterr().err


def test_create_from_a_local_library_keeps_read_state_private(
        pg_cluster: Cluster, team_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    local = tmp_path / "mine.sqlite"
    assert main(["--library", str(local), "import", "--no-refs", str(NBIB)]) == 0
    assert main(["--library", str(local), "notes", "laufer2013noms", "my own"]) == 0
    assert main(["--library", str(local), "tag", "create", "to read"]) == 0
    assert main(["--library", str(local), "tag", "add", "laufer2013noms", "to read"]) == 0
    owner_url = pg_cluster.url("owner", team_db)
    assert main(["team", "create", owner_url, "--from", str(local)]) == 0
    assert main(["team", "grant", owner_url, "bob", "editor"]) == 0
    team = Team(pg_cluster, team_db, tmp_path, monkeypatch, capsys)
    bob, me = team.client("bob"), team.client("owner")
    assert len(bob.json("list")) == 4  # type: ignore[arg-type]
    data = bob.json("show", "laufer2013noms")
    assert data["tags"] == ["to read"]  # type: ignore[index]
    assert bob.ok("notes", "laufer2013noms").strip() == ""
    assert me.ok("notes", "laufer2013noms").strip() == "my own"


def test_a_password_in_the_url_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", "postgresql://alice:secret@db.example.org/lib", "list"]) == 1
    err = capsys.readouterr().err
    assert "must not contain a password" in err and "secret" not in err


def test_remote_hosts_default_to_verify_full() -> None:
    assert "sslmode=verify-full" in teamurl.parse("postgresql://a@db.example.org/lib").conninfo
    assert "sslmode" not in teamurl.parse("postgresql://a@localhost/lib").conninfo
    assert "sslmode=require" in teamurl.parse(
        "postgresql://a@db.example.org/lib?sslmode=require").conninfo


def test_notes_on_a_file_library_and_sync_refused_there(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = ["--library", str(tmp_path / "f.sqlite")]
    assert main([*lib, "import", "--no-refs", str(NBIB)]) == 0
    assert main([*lib, "notes", "laufer2013noms", "read the NOMS table"]) == 0
    capsys.readouterr()
    assert main([*lib, "notes", "laufer2013noms"]) == 0
    assert capsys.readouterr().out.strip() == "read the NOMS table"
    assert main([*lib, "sync"]) == 1
    assert "needs a team library" in capsys.readouterr().err
    assert main([*lib, "notes", "nosuchkey"]) == 1


def test_first_open_without_a_server_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", "postgresql://alice@127.0.0.1:9/nolib", "list"]) == 1
    assert "cannot reach the team library" in capsys.readouterr().err


def test_abstracts_sharing_a_supplement_doi_reach_the_team_apart(team: Team,
                                                                  tmp_path: Path) -> None:
    """The merge's guard (one DOI, two papers) holds on the team library's store too."""
    from tests.core.test_ovid import EMBASE

    export = tmp_path / "ovidweb.cgi"
    export.write_text(EMBASE, encoding="utf-8")
    alice, bob = team.client("alice"), team.client("bob")
    out = alice.ok("import", str(export))
    assert "kept apart, without it" in out
    alice.ok("import", str(export))  # again: nothing is added
    dois = sorted(a["doi"] or "" for a in bob.json("list"))  # type: ignore[union-attr, index]
    assert dois == ["", "10.1177/2192568220912345", "10.3171/2020.4.spine20123"]
    assert team.sql("SELECT count(*) FROM article")[0][0] == 3
