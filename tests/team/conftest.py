"""A real, throw-away PostgreSQL for the team library tests (issue 13).

One cluster per test session (per xdist worker): ``initdb`` in a temp dir (as the
``postgres`` user when running as root: initdb refuses root), ``fsync=off``, listening on a
free port of 127.0.0.1 only and on a unix socket in the temp dir. Each test gets its own
database, made from a template, owned by a login with CREATEROLE (no superuser), and the logins
alice, bob (editors once granted) and carol. In CI (CI=true) a server that cannot start FAILS
the tests; elsewhere they skip with the reason.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.pgcluster import Cluster, ClusterError, start_cluster
from spinelib.cli import main
from spinelib.library import Library
from spinelib.library.team import open_team

LOGINS = ("owner", "alice", "bob", "carol")
_numbers = itertools.count(1)


def _fail_or_skip(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL test server cannot start: {reason}")
    pytest.skip(f"PostgreSQL test server cannot start: {reason}")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    try:
        cluster = start_cluster(LOGINS)
    except ClusterError as exc:
        _fail_or_skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def team_db(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh empty database (from the template) owned by ``owner``; its name."""
    name = f"lib{os.getpid()}_{next(_numbers)}"
    with pg_cluster.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE team_template OWNER owner"  # type: ignore[arg-type]
                     )
    yield name
    pg_cluster.signal_all(signal.SIGCONT)
    if not (pg_cluster.datadir / "postmaster.pid").exists():
        pg_cluster.start()
    with pg_cluster.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        for role in ("reader", "editor", "admin"):
            conn.execute(f"DROP ROLE IF EXISTS {name}_{role}")  # type: ignore[arg-type]


@dataclass
class Client:
    """One person's SpineLib: their own SPINELIB_HOME and login, run through the real CLI."""

    home: Path
    url: str
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def run(self, *args: str) -> tuple[int, str, str]:
        self.monkeypatch.setenv("SPINELIB_HOME", str(self.home))
        self.capsys.readouterr()
        code = main(["--library", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, (args, out, err)
        return out

    def json(self, *args: str) -> object:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def team(pg_cluster: Cluster, team_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Team:
    """A created team library with alice and bob as editors and carol as a reader."""
    t = Team(pg_cluster, team_db, tmp_path, monkeypatch, capsys)
    assert main(["team", "create", pg_cluster.url("owner", team_db)]) == 0
    for login, role in (("alice", "editor"), ("bob", "editor"), ("carol", "reader")):
        assert main(["team", "grant", pg_cluster.url("owner", team_db), login, role]) == 0
    capsys.readouterr()
    return t


class Team:
    """The test's server, database and a factory of clients."""

    def __init__(self, cluster: Cluster, dbname: str, tmp: Path,
                 monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.cluster, self.dbname, self.tmp = cluster, dbname, tmp
        self.monkeypatch, self.capsys = monkeypatch, capsys

    def client(self, login: str, name: str | None = None) -> Client:
        home = self.tmp / f"home-{name or login}"
        home.mkdir(exist_ok=True)
        return Client(home, self.cluster.url(login, self.dbname), self.monkeypatch,
                      self.capsys)

    def sql(self, statement: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self.cluster.admin(self.dbname) as conn:
            cur = conn.execute(statement, params)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []


def open_replica(client: Client) -> Library:
    """The client's replica as a Library (for edits made without a sync round)."""
    client.monkeypatch.setenv("SPINELIB_HOME", str(client.home))
    return open_team(client.url, client.home)


def set_title(lib: Library, key: str, title: str) -> None:
    """A shared-field edit the CLI has no command for: straight through a write transaction
    (the replica's capture hook turns it into an outbox entry like any other edit)."""
    article_id = lib.articles.resolve_key(key)
    with lib.store.writing() as conn:
        conn.execute("UPDATE article SET title = :t WHERE id = :a", {"t": title, "a": article_id})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every team test starts and drives a real PostgreSQL server with several clients: they
    are end-to-end tests (left out of `make check`, run by `make test` and CI)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
