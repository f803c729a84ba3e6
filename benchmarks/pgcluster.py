"""A throw-away PostgreSQL cluster for the team library's tests and benchmarks (issue 13).

``initdb`` in a temp dir (as the ``postgres`` user when running as root: initdb refuses root),
``fsync=off`` (a crash of the *process* loses nothing: the WAL is in the OS cache; only the
machine's crash would), listening on a free port of 127.0.0.1 and on a unix socket in the
temp dir, trust authentication (loopback only). Debian's ``postgresql`` package provides the
binaries under ``/usr/lib/postgresql/<version>/bin``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg


class ClusterError(RuntimeError):
    """The test server could not be made or started (the message says why)."""


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

    def destroy(self) -> None:
        """Stop the server (waking it first if a test stopped it) and remove its files."""
        with contextlib.suppress(OSError, IndexError, ValueError):
            self.signal_all(signal.SIGCONT)
        self.stop("immediate")
        shutil.rmtree(self.datadir.parent, ignore_errors=True)

    def url(self, login: str, dbname: str) -> str:
        return f"postgresql://{login}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname=dbname, autocommit=True)


def start_cluster(logins: Sequence[str] = ("owner",)) -> Cluster:
    """A running cluster with ``logins`` (the first may create roles; none is superuser) and
    an empty ``team_template`` database to copy per test."""
    bindir = _bindir()
    if bindir is None:
        raise ClusterError("no /usr/lib/postgresql/*/bin/initdb (apt-get install -y postgresql)")
    root = Path(tempfile.mkdtemp(prefix="spinelib-pg-"))
    as_postgres = os.geteuid() == 0
    cluster = Cluster(bindir, root / "data", _free_port(), as_postgres)
    try:
        if as_postgres:
            shutil.chown(root, "postgres", "postgres")
        cluster.run("initdb", "-D", str(cluster.datadir), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8")
        with open(cluster.datadir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nfsync = off\nfull_page_writes = off\n"
                       f"listen_addresses = '127.0.0.1'\nport = {cluster.port}\n"
                       f"unix_socket_directories = '{root}'\nmax_connections = 100\n")
        cluster.start()
        with cluster.admin() as conn:
            for i, login in enumerate(logins):
                extra = " CREATEROLE" if i == 0 else ""
                conn.execute(f"CREATE ROLE {login} LOGIN{extra}")  # type: ignore[arg-type]
            conn.execute("CREATE DATABASE team_template TEMPLATE template0")
    except (OSError, subprocess.SubprocessError, psycopg.Error) as exc:
        detail = getattr(exc, "stderr", "") or ""
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterError(f"{exc} {detail}".strip()) from exc
    return cluster
