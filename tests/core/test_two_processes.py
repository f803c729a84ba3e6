"""Promise 4, two processes: the desktop app and a ``spinelib`` command (or two commands) work
on one library at the same time. Writers queue on the busy timeout instead of failing, every
write is a short transaction, and importing the same articles concurrently never stores one
twice (UNIQUE DOI/PMID constraints, and merging inside a write-locked transaction).

"The app" here is a thread with its own Library (its own engine and connections), writing the
way the GUI does; commands are real ``python -m spinelib`` processes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spinelib.cli import main
from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from tests.fakeserver import FakeServer, article_set, incomplete_articles, pubmed_article


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    with FakeServer() as s:
        for var, value in s.env().items():
            monkeypatch.setenv(var, value)
        yield s


def spinelib(lib: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "spinelib", "--library", str(lib), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def duplicates(path: Path) -> list[tuple[object, ...]]:
    """Any identifier or normalised title+year stored on more than one article."""
    conn = sqlite3.connect(path)
    try:
        rows: list[tuple[object, ...]] = []
        for column in ("doi", "pmid", "title_key || '/' || coalesce(year, '')"):
            rows += conn.execute(f"SELECT {column}, count(*) FROM article WHERE {column} IS "
                                 f"NOT NULL GROUP BY {column} HAVING count(*) > 1").fetchall()
        return rows
    finally:
        conn.close()


class App(threading.Thread):
    """The desktop app: keeps editing notes, tags, status and a reading list on its own
    Library until stopped, each edit one short transaction; remembers any error."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.edits = 0

    def run(self) -> None:
        try:
            with Library.open(self.path) as lib:
                ids = lib.search.ids()
                tag = lib.tags.create("Read at the tumour board")
                lib.lists.create("This week")
                while not self.stop.is_set():
                    article = ids[self.edits % len(ids)]
                    lib.articles.set_notes(article, f"edit {self.edits}")
                    lib.tags.add([article], [tag])
                    lib.articles.set_read_status([article], self.edits % 3)
                    lib.lists.add("This week", [article])
                    self.edits += 1
                    time.sleep(0.005)  # a person clicking, not a benchmark
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)


def seeded_library(path: Path, pmids: list[str]) -> Path:
    with Library.open(path) as lib:
        lib.articles.add_records(parse_pubmed_xml(article_set(pubmed_article(p) for p in pmids)))
    return path


@pytest.mark.e2e
def test_a_cli_import_and_tagging_while_the_app_writes(tmp_path: Path, server: FakeServer) -> None:
    seeded = [str(35_000_000 + n) for n in range(20)]
    lib = seeded_library(tmp_path / "lib.sqlite", seeded)
    fetched = [str(35_100_000 + n) for n in range(200)]
    server.add_pubmed(fetched)
    app = App(lib)
    app.start()
    try:
        importing = spinelib(lib, "import", *fetched)
        tagging = [spinelib(lib, "tag", "add", pmid, "sbrt_srs") for pmid in seeded[:3]]
        results = [finish(p) for p in (importing, *tagging)]
    finally:
        app.stop.set()
        app.join(timeout=60)
    assert app.errors == [] and app.edits > 0
    for code, _out, err in results:
        assert code == 0, err
    assert "200 imported" in results[0][1]
    assert incomplete_articles(lib) == [] and duplicates(lib) == []
    with Library.open(lib) as done:
        assert done.search.count() == 220
        assert all("sbrt_srs" in done.articles.record(done.articles.resolve_key(p)).tags for p in seeded[:3])
        assert done.check() == []


def test_a_command_waits_for_the_apps_write_instead_of_failing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    seeded = [str(35_200_000 + n) for n in range(3)]
    lib = seeded_library(tmp_path / "lib.sqlite", seeded)
    events: list[str] = []
    holding, asked = threading.Event(), threading.Event()

    def long_write() -> None:
        conn = sqlite3.connect(lib, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE article SET rating = 5")
        events.append("app holds the write lock")
        holding.set()
        # Keep the lock until the command has asked for it (the timeout only ends a hang),
        # then a moment more so that it is waiting in SQLite's busy handler.
        asked.wait(60)
        time.sleep(0.2)
        conn.execute("COMMIT")
        events.append("app committed")
        conn.close()

    writer = threading.Thread(target=long_write)
    writer.start()
    holding.wait(60)
    report_write_lock_requests(monkeypatch, asked, events)
    code = main(["--library", str(lib), "tag", "add", seeded[0], "separation_surgery"])
    events.append("command done")
    writer.join()
    assert code == 0, capsys.readouterr().err
    # It asked while the app held the lock, and finished only after the app committed:
    # it queued behind the write, then ran.
    assert events == ["app holds the write lock", "command asks for the write lock",
                      "app committed", "command done"]
    with Library.open(lib) as done:
        article = done.articles.resolve_key(seeded[0])
        assert "separation_surgery" in done.articles.record(article).tags
        assert done.articles.state(article).rating == 5  # both writes are there


def report_write_lock_requests(monkeypatch: pytest.MonkeyPatch, asked: threading.Event,
                               events: list[str]) -> None:
    """From now on, every SQLite connection this process opens reports (once, in ``events``)
    when it first asks for the write lock (``BEGIN IMMEDIATE``), and sets ``asked``."""
    real_connect = sqlite3.connect

    def on_statement(sql: str) -> None:
        if sql.lstrip().upper().startswith("BEGIN IMMEDIATE") and not asked.is_set():
            events.append("command asks for the write lock")
            asked.set()

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(on_statement)
        return conn

    # Both spellings: SQLAlchemy's driver calls sqlite3.dbapi2.connect.
    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)


@pytest.mark.e2e
def test_two_processes_importing_the_same_identifiers_store_each_article_once(
        tmp_path: Path, server: FakeServer) -> None:
    pmids = [str(35_300_000 + n) for n in range(300)]
    server.add_pubmed(pmids)
    lib = tmp_path / "new.sqlite"  # neither finds it: both create it at once too
    first, second = spinelib(lib, "import", *pmids), spinelib(lib, "import", *pmids)
    for code, _out, err in (finish(first), finish(second)):
        assert code == 0, err
    assert incomplete_articles(lib) == [] and duplicates(lib) == []
    with Library.open(lib) as done:
        assert done.search.count() == 300 and done.check() == []


def _bib_without_identifiers(path: Path, n: int) -> Path:
    """Entries that can only be merged by normalised title + year + first author."""
    entries = [
        f"@article{{entry{i},\n  author = {{Gasbarrini, Alessandro and Boriani, Stefano}},\n"
        f"  title = {{En bloc resection of spinal tumour number {i}: a cohort}},\n"
        f"  journal = {{Eur Spine J}},\n  year = {{{2000 + i % 20}}},\n}}\n"
        for i in range(n)]
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


@pytest.mark.e2e
def test_two_processes_importing_the_same_file_without_identifiers_never_duplicate(
        tmp_path: Path) -> None:
    bib = _bib_without_identifiers(tmp_path / "shared.bib", 450)
    lib = tmp_path / "lib.sqlite"
    Library.open(lib).close()
    first, second = spinelib(lib, "import", str(bib)), spinelib(lib, "import", str(bib))
    results = [finish(first), finish(second)]
    for code, _out, err in results:
        assert code == 0, err
    assert duplicates(lib) == []
    with Library.open(lib) as done:
        assert done.search.count() == 450 and done.check() == []
    imported = sum(out.count(": imported") for _c, out, _e in results)
    assert imported == 450  # each entry was new to exactly one of the two


def test_libraries_in_many_threads_adding_the_same_records_agree(tmp_path: Path) -> None:
    """The same, four writers at once inside one process, each with its own engine."""
    path = tmp_path / "lib.sqlite"
    Library.open(path).close()
    records = [ArticleRecord(title=f"Cement leakage after vertebroplasty, series {i}",
                             authors=[Author("Ødegaard", "Åse")], year=2015,
                             doi=f"10.5555/t{i}" if i % 2 else "",
                             pmid=str(36_000_000 + i) if i % 3 else "")
               for i in range(120)]
    statuses: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    go = threading.Barrier(4)

    def writer() -> None:
        try:
            with Library.open(path) as lib:
                go.wait()
                results = lib.articles.add_records(records, batch=20)
            with lock:
                statuses.extend(r.status for r in results)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert statuses.count("imported") == 120 and "failed" not in statuses
    assert duplicates(path) == []
    with Library.open(path) as lib:
        assert lib.search.count() == 120


def _create_at_each_barrier(paths: list[str], barrier: Any, results: Any) -> None:
    """A process creating each library in turn, the other process released with it."""
    for path in paths:
        barrier.wait()
        try:
            Library.open(Path(path)).close()
            results.put("ok")
        except Exception as exc:  # noqa: BLE001 (what failed is the test's message)
            results.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_creating_one_new_library_at_once_both_open_it(tmp_path: Path) -> None:
    """SQLite answers a journal-mode change it cannot make at once with "database is
    locked" without waiting on the busy timeout, so of two processes creating the same
    new library at the same moment one failed ("cannot upgrade …: database is locked"),
    in about half of such starts. Twelve starts, the two released by a barrier: every
    open succeeds, and each library holds its schema once."""
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")  # no fork of this (maybe threaded) process
    paths = [str(tmp_path / f"new{n}.sqlite") for n in range(12)]
    barrier, results = spawn.Barrier(2), spawn.Queue()
    workers = [spawn.Process(target=_create_at_each_barrier, args=(paths, barrier, results))
               for _ in range(2)]
    for w in workers:
        w.start()
    said = [results.get(timeout=120) for _ in range(2 * len(paths))]
    for w in workers:
        w.join(timeout=60)
    assert said == ["ok"] * len(said)
    for path in paths:
        with Library.open(Path(path)) as lib:
            assert lib.check() == [] and lib.search.count() == 0
