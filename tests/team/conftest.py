"""A real, throw-away PostgreSQL for the team library tests (issue 13).

One cluster per test session (per xdist worker): ``initdb`` in a temp dir (as the
``postgres`` user when running as root: initdb refuses root), ``fsync=off``, listening on a
free port of 127.0.0.1 only and on a unix socket in the temp dir. Each test gets its own
database, made from a template, owned by a login with CREATEROLE (no superuser), and the logins
alice, bob (editors once granted) and carol. In CI (CI=true) a server that cannot start FAILS
the tests; elsewhere they skip with the reason.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.library.team import open_team

LOGINS = ("owner", "alice", "bob", "carol")
_numbers = itertools.count(1)


def _bindir() -> Path | None:
    root = Path("/usr/lib/postgresql")
    versions = sorted((p for p in root.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running test cluster: its binaries, data dir, port and how to run its tools."""

    bindir: Path
    datadir: Path
    port: int
    as_postgres: bool

    def run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / tool), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=check)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.datadir), "-w", "-t", "30", "-l",
                 str(self.datadir / "server.log"), "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.datadir), "-w", "-m", mode, "stop", check=False)

    def pids(self) -> list[int]:
        """The postmaster and every backend (SIGSTOP on all of them is a hung server)."""
        head = (self.datadir / "postmaster.pid").read_text().splitlines()[0]
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", head], capture_output=True,
                             text=True, check=False).stdout.split()
        return [int(head), *map(int, out)]

    def signal_all(self, sig: signal.Signals) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def url(self, login: str, dbname: str) -> str:
        return f"postgresql://{login}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname=dbname, autocommit=True)


def _fail_or_skip(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL test server cannot start: {reason}")
    pytest.skip(f"PostgreSQL test server cannot start: {reason}")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bindir = _bindir()
    if bindir is None:
        _fail_or_skip("no /usr/lib/postgresql/*/bin/initdb (apt-get install -y postgresql)")
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="spinelib-pg-"))
    as_postgres = os.geteuid() == 0
    datadir = root / "data"
    cluster = Cluster(bindir, datadir, _free_port(), as_postgres)
    try:
        if as_postgres:
            shutil.chown(root, "postgres", "postgres")
        cluster.run("initdb", "-D", str(datadir), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8")
        with open(datadir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nfsync = off\nfull_page_writes = off\n"
                       f"listen_addresses = '127.0.0.1'\nport = {cluster.port}\n"
                       f"unix_socket_directories = '{root}'\nmax_connections = 60\n")
        cluster.start()
        with cluster.admin() as conn:
            for login in LOGINS:
                extra = " CREATEROLE" if login == "owner" else ""
                conn.execute(f"CREATE ROLE {login} LOGIN{extra}")  # type: ignore[arg-type]
            conn.execute("CREATE DATABASE team_template TEMPLATE template0")
    except (OSError, subprocess.SubprocessError, psycopg.Error) as exc:
        detail = getattr(exc, "stderr", "") or ""
        shutil.rmtree(root, ignore_errors=True)
        _fail_or_skip(f"{exc} {detail}".strip())
    try:
        yield cluster
    finally:
        cluster.signal_all(signal.SIGCONT)
        cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


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
