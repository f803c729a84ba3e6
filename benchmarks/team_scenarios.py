"""Team library scenarios (issue 13), each beside its floor, on a throw-away local PostgreSQL.

``team_clone_100k``
    a new client's first full replica of N articles (``open_team`` + the first pull, which
    streams the library: ``library/firstcopy.py``). Floor: the same rows read with plain
    ``COPY (SELECT data FROM article) TO STDOUT`` by psycopg. ``extra.server_build_s``: the
    untimed set-up, the team library made with ``team create --from`` from the runner's
    cached library of N articles (pushing N imported articles instead took 60 minutes at
    100k on the loaded shared machine).
``team_propagation``
    an edit by one client (a title change, pushed) until it is in a following client's
    replica (NOTIFY wake-up, then the pull). Floor: a plain ``UPDATE`` + ``NOTIFY`` on one
    psycopg connection received by ``LISTEN`` on another.
``team_push_1000``
    1,000 imported articles pushed from the outbox. Floor: the same documents written with
    plain ``COPY`` into a table of the same shape.
``team_soak``
    10 clients, each on its own thread and replica, tagging random articles and pushing for a
    while; then everyone syncs and the changes are counted: ``extra.lost`` and
    ``extra.duplicated`` must be 0 (the scenario raises otherwise).

Each scenario checks the work happened (counts), so a broken sync can never look fast.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from benchmarks import corpus, generate
from benchmarks.pgcluster import Cluster, start_cluster
from benchmarks.scenarios import Measurement, _check, _timed
from spinelib.library import Library
from spinelib.library.team import create_team, grant, open_team

LOGINS = ("owner", "alice", "bob")
CLONE_COUNT = 100_000
#: From this size a clone's server is made from the runner's cached library (the sizes the
#: runner builds: 10k and 100k); below it (smoke tests) from a fresh one.
CACHED_FROM = 10_000
PUSH_COUNT = 1_000
SOAK_CLIENTS = 10
SOAK_SECONDS = 60.0


#: Numbers the team libraries this process makes (see :meth:`_Server.library`).
_DATABASES = itertools.count(1)


class _Server:
    """One cluster with one fresh team library per call of :meth:`library`, and a scratch
    folder for its clients' replicas and source libraries, removed by :meth:`close` (a
    100,000-article clone leaves 2.5 GB there)."""

    def __init__(self, cluster: Cluster | None = None) -> None:
        self.owned = cluster is None
        self.cluster: Cluster = cluster or start_cluster(LOGINS)
        # The same scratch folder every other scenario uses (removed even if close is never
        # reached, when the process ends).
        self._scratch = tempfile.TemporaryDirectory(prefix="spinelib-team-bench-",
                                                    ignore_cleanup_errors=True)
        self.tmp = Path(self._scratch.name)

    def library(self, source: Path | None = None) -> str:
        """A new team library (made from the local library ``source`` when given)."""
        # Unique on a shared cluster (the tests' session one): not id(self), which a later
        # server may get again once this one is gone, while its databases stay.
        name = f"bench{os.getpid()}_{next(_DATABASES)}"
        with self.cluster.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE team_template "  # type: ignore[arg-type]
                         "OWNER owner")
        create_team(self.cluster.url("owner", name), source)
        for login in LOGINS[1:]:
            grant(self.cluster.url("owner", name), login, "editor")
        return name

    def client(self, login: str, dbname: str, tag: str) -> Library:
        home = self.tmp / f"{dbname}-{tag}"
        home.mkdir(parents=True, exist_ok=True)
        return open_team(self.cluster.url(login, dbname), home)

    def close(self) -> None:
        """Remove the scratch folder, and the cluster when this server started it."""
        try:
            if self.owned:
                self.cluster.destroy()
        finally:
            self._scratch.cleanup()


def _fill(lib: Library, count: int, seed: int) -> None:
    for start in range(0, count, 1000):
        lib.articles.add_records(corpus.articles(seed, start, min(count, start + 1000)))


def push(server: _Server, seed: int, repeat: int, count: int = PUSH_COUNT) -> Measurement:
    samples, floors = [], []
    for _ in range(repeat):
        db = server.library()
        with server.client("alice", db, "pusher") as lib:
            _fill(lib, count, seed)
            _check(lib.sync.waiting() == count, f"{lib.sync.waiting()} changes queued")
            elapsed, _ = _timed(lib.sync.push)
            _check(lib.sync.waiting() == 0, "outbox not empty after push")
        samples.append(elapsed)
        with psycopg.connect(server.cluster.url("owner", db)) as conn:
            docs = [r[0] for r in conn.execute("SELECT data FROM article")]
            _check(len(docs) == count, f"server holds {len(docs)} of {count}")
            conn.execute("CREATE TABLE floor_article (LIKE article INCLUDING ALL)")
            conn.commit()
            start = time.perf_counter()
            with conn.cursor().copy("COPY floor_article (uuid, pmid, doi, pmcid, data, version) "
                                    "FROM STDIN") as copy:
                for i, d in enumerate(docs):
                    copy.write_row((f"00000000-0000-0000-0000-{i:012d}", d.get("pmid"),
                                    d.get("doi"), d.get("pmcid"), json.dumps(d), 1))
            conn.commit()
            floors.append(time.perf_counter() - start)
    return Measurement(samples, floors, {"articles": count})


def _clone_source(server: _Server, count: int, seed: int) -> Path:
    """The local library a clone's server is made from: the runner's cached benchmark library
    of that size (the same generator, built once for every library scenario; only read here)
    or, below :data:`CACHED_FROM` (the smoke test's tiny scales, which must not add files to
    the shared cache), a fresh one filled with the same generated articles."""
    if count >= CACHED_FROM:
        return generate.cached_library(count, seed)
    path = server.tmp / f"source-{count}-{seed}.sqlite"
    if not path.exists():
        with Library.open(path) as lib:
            _fill(lib, count, seed)
    return path


def clone(server: _Server, seed: int, repeat: int, count: int = CLONE_COUNT) -> Measurement:
    source = _clone_source(server, count, seed)
    # Untimed set-up, reported in extra: the team library made from that library in bulk,
    # as a department starts one (`spinelib team create URL --from PATH`). Pushing `count`
    # imported articles instead took 60 minutes at 100k on the loaded machine.
    build = time.perf_counter()
    db = server.library(source)
    build_s = round(time.perf_counter() - build, 1)
    samples, floors, cpu = [], [], []
    for i in range(repeat):
        def first_copy(i: int = i) -> int:
            with server.client("bob", db, f"clone{i}") as lib:
                lib.sync.pull()
                return lib.search.count()
        # CPU time beside wall time: the machine is often shared, and CPU time is what a
        # slower clone costs however loaded it is (the server's own CPU is not in it).
        before = time.process_time()
        elapsed, got = _timed(first_copy)
        cpu.append(round(time.process_time() - before, 2))
        _check(got == count, f"the replica holds {got} of {count}")
        samples.append(elapsed)
        with psycopg.connect(server.cluster.url("bob", db)) as conn:
            start = time.perf_counter()
            rows = 0
            with conn.cursor().copy("COPY (SELECT data FROM article) TO STDOUT") as copy:
                for _row in copy.rows():
                    rows += 1
            floors.append(time.perf_counter() - start)
            _check(rows == count, "floor read too few rows")
    return Measurement(samples, floors, {"articles": count, "cpu_s": cpu,
                                         "server_build_s": build_s})


def propagation(server: _Server, seed: int, repeat: int) -> Measurement:
    db = server.library()
    with server.client("alice", db, "writer") as a:
        _fill(a, 20, seed)
        a.sync.push()
        with server.client("bob", db, "reader") as b:
            b.sync.follow()
            ids = a.search.ids()
            samples = []
            for i in range(max(repeat, 20)):
                article_id = ids[i % len(ids)]
                title = f"edited {i}"

                def edit_and_see(article_id: int = article_id, title: str = title) -> None:
                    with a.store.writing() as conn:
                        conn.execute("UPDATE article SET title = :t WHERE id = :a",
                                     {"t": title, "a": article_id})
                    a.sync.push()
                    _check(b.sync.wait_for_change(5.0), "the follower was not woken")
                elapsed, _ = _timed(edit_and_see)
                samples.append(elapsed)
                key = a.articles.citekey(article_id)
                seen = b.articles.record(b.articles.resolve_key(key)).title
                _check(seen == title, f"the follower holds {seen!r}, not {title!r}")
    floors = []
    with psycopg.connect(server.cluster.url("owner", db), autocommit=True) as w, \
            psycopg.connect(server.cluster.url("owner", db), autocommit=True) as r:
        r.execute("LISTEN floor_channel")
        for i in range(max(repeat, 20)):
            start = time.perf_counter()
            with w.transaction():
                w.execute("UPDATE article SET version = version + 1 WHERE uuid = "
                          "(SELECT uuid FROM article LIMIT 1)")
                w.execute("SELECT pg_notify('floor_channel', %s)", (str(i),))
            got = [n.payload for n in r.notifies(timeout=5.0, stop_after=1)]
            floors.append(time.perf_counter() - start)
            _check(got == [str(i)], "floor notification lost")
    return Measurement(samples, floors, {"edits": len(samples)})


def soak(server: _Server, seed: int, seconds: float = SOAK_SECONDS,
         clients: int = SOAK_CLIENTS) -> Measurement:
    db = server.library()
    with server.client("alice", db, "seed") as lib:
        _fill(lib, 50, seed)
        lib.sync.push()
    libs = [server.client(LOGINS[1 + i % 2], db, f"soak{i}") for i in range(clients)]
    for lib in libs:
        lib.sync.pull()  # each client's first copy
    made: list[list[tuple[str, str]]] = [[] for _ in libs]
    errors: list[BaseException] = []
    deadline = time.monotonic() + seconds

    def work(n: int) -> None:
        rng = random.Random(seed * 100 + n)
        lib = libs[n]
        keys = [lib.articles.citekey(i) for i in lib.search.ids()]
        try:
            k = 0
            while time.monotonic() < deadline:
                key, tag = rng.choice(keys), f"c{n}-{k}"
                lib.tags.create(tag)
                lib.tags.add([lib.articles.resolve_key(key)], [tag])
                made[n].append((key, lib.tags.resolve(tag)))
                k += 1
                if rng.random() < 0.5:
                    lib.sync.sync()
        except BaseException as exc:  # reported after the threads join
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for lib in libs:
        lib.sync.sync()
    for lib in libs:
        lib.sync.pull()
    elapsed = time.perf_counter() - start
    _check(not errors, f"client errors: {errors[:3]}")
    expected = {pair for per in made for pair in per}
    with psycopg.connect(server.cluster.url("owner", db)) as conn:
        held: list[tuple[str, str]] = []
        for (data,) in conn.execute("SELECT data FROM article WHERE NOT deleted"):
            held += [(data["citekey"], json.loads(t)[0]) for t in data.get("tags") or []
                     if json.loads(t)[3] == "user"]
        edits = conn.execute("SELECT count(*), count(DISTINCT change_id) FROM change_log "
                             "WHERE kind = 'edit'").fetchone()
    lost = len(expected - set(held))
    duplicated = len(held) - len(set(held)) + (edits[0] - edits[1] if edits else 0)
    stale = sum(1 for lib in libs if _user_tags(lib) != expected)
    for lib in libs:
        lib.close()
    print(f"team_soak: {len(expected)} changes by {clients} clients, lost {lost}, "
          f"duplicated {duplicated}, replicas behind {stale}")
    _check(lost == 0 and duplicated == 0 and stale == 0,
           f"lost {lost}, duplicated {duplicated}, replicas behind {stale}")
    return Measurement([elapsed], [], {"changes": len(expected), "clients": clients,
                                       "lost": lost, "duplicated": duplicated})


def _user_tags(lib: Library) -> set[tuple[str, str]]:
    with lib.store.reading() as conn:
        rows = conn.all("SELECT a.citekey, t.tag_id FROM article_tag t JOIN article a "
                        "ON a.id = t.article_id WHERE t.origin = 'user'")
    return {(str(r[0]), str(r[1])) for r in rows}


def run(name: str, seed: int, repeat: int, scale: float = 1.0,
        cluster: Cluster | None = None) -> Measurement:
    """Run one team scenario on its own throw-away cluster (or ``cluster``, which must have
    the logins of :data:`LOGINS`); ``scale`` shrinks it for the smoke test."""
    server = _Server(cluster)
    try:
        if name == "team_push_1000":
            return push(server, seed, repeat, max(10, int(PUSH_COUNT * scale)))
        if name == "team_clone_100k":
            return clone(server, seed, repeat, max(10, int(CLONE_COUNT * scale)))
        if name == "team_propagation":
            return propagation(server, seed, repeat)
        if name == "team_soak":
            return soak(server, seed, max(1.0, SOAK_SECONDS * scale), SOAK_CLIENTS)
        raise ValueError(f"unknown team scenario {name!r}")
    finally:
        server.close()
