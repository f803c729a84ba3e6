"""Promise 1, crash safety: a ``spinelib import`` killed with SIGKILL (no clean-up of any kind)
leaves a library that opens, passes ``spinelib check``, and holds only whole articles; running
the same import again completes it without a duplicate.

Three kills, from the most controlled to the most natural:

* inside an open write transaction, at a known record, with SQLite's page cache made so small
  that part of the unfinished transaction has already been spilled into the WAL file;
* at whatever point a network import has reached once its first articles are visible;
* at whatever point a large file import has reached once its first articles are visible.

The importing process is a real ``python -m spinelib`` (or ``cli.main`` behind a tiny hook)
fetching from :class:`tests.fakeserver.FakeServer`; the library is inspected afterwards with a
plain ``sqlite3`` connection, independent of the code under test.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from tests.fakeserver import FakeServer, Reply, article_set, incomplete_articles, pubmed_article
from tests.waiting import wait_until

#: Every test here starts a real ``spinelib`` process and kills it.
pytestmark = pytest.mark.e2e

#: Runs ``spinelib`` with a hook: after the Nth article written, report its id in MARKER and
#: sleep inside the still-open write transaction until killed. The page cache is shrunk to a
#: few pages so the unfinished transaction spills into the WAL before the kill (the bulk
#: path's roomy cache for a batch is held at that size too).
HOLD_INSIDE_TRANSACTION = r"""
import contextlib, sys, time
from pathlib import Path
from spinelib.store.sqlite.dialect import SqliteDialect
from spinelib.store.sqlite import engine, files
from spinelib.cli import main

marker, after = Path(sys.argv[1]), int(sys.argv[2])
written = 0
# Every path that stores an article writes its full-text row last (the per-record merge and
# the bulk path of issue 19 alike): the hook counts those rows.
# (The bulk path writes a run's rows in one statement; the hook writes them one at a time.)
real_reindex, real_configure = SqliteDialect.fulltext_replace, files.configure
real_insert_new = SqliteDialect.fulltext_insert_new

def configure(dbapi_conn):
    real_configure(dbapi_conn)
    dbapi_conn.execute("PRAGMA cache_size = 8")

def note(article_id):
    global written
    written += 1
    if written == after:
        marker.write_text(str(article_id))
        time.sleep(300)

def reindex(self, conn, article_id, *rest):
    real_reindex(self, conn, article_id, *rest)
    note(article_id)

def insert_new(self, conn, docs):
    for doc in docs:
        real_insert_new(self, conn, [doc])
        note(doc[0])

files.configure = configure
SqliteDialect.fulltext_replace = reindex
SqliteDialect.fulltext_insert_new = insert_new
SqliteDialect.roomy_cache = lambda self, conn, max_kib=None: contextlib.nullcontext()
sys.exit(main(sys.argv[3:]))
"""


def count_articles(path: Path) -> int:
    """Committed articles, read without taking any lock a writer would wait for."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet, or its schema not yet committed


def wal_frames_after_last_commit(wal: Path) -> int:
    """Frames of the current WAL generation written after its last commit frame.

    WAL layout (sqlite.org/fileformat.html#the_write_ahead_log): a 32-byte header (page size
    at 8, salts at 16 and 20), then frames of a 24-byte header (commit size at 4, non-zero
    only on a transaction's last frame; the salts at 8 and 16 must match the file header's)
    followed by one page.
    """
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    salts = data[16:24]
    uncommitted = 0
    for start in range(32, len(data) - 24 - page_size + 1, 24 + page_size):
        header = data[start:start + 24]
        if header[8:16] != salts:
            break  # a frame left over from an older generation: the log ends here
        uncommitted = 0 if int.from_bytes(header[4:8], "big") else uncommitted + 1
    return uncommitted


def kill_hard(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def assert_library_sound(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Opens, ``spinelib check`` passes, every article whole, no PMID stored twice."""
    assert main(["--library", str(path), "check"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert incomplete_articles(path) == []
    conn = sqlite3.connect(path)
    try:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT pmid) FROM article").fetchone()
    finally:
        conn.close()
    assert total == distinct


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    """The fake services, set as the endpoints of this process and of its children."""
    with FakeServer() as s:
        for var, value in s.env().items():
            monkeypatch.setenv(var, value)
        yield s


def test_kill_inside_a_write_transaction_keeps_only_committed_whole_articles(
        tmp_path: Path, server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    pmids = [str(32_000_000 + n) for n in range(300)]
    server.add_pubmed(pmids)
    lib = tmp_path / "lib.sqlite"
    marker = tmp_path / "inside-transaction"
    # Identifiers are stored in rounds of 200, one transaction each: stop at the 250th
    # article, i.e. 50 articles into the second round's uncommitted transaction.
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_INSIDE_TRANSACTION, str(marker), "250",
         "--library", str(lib), "import", *pmids],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until(marker.exists, what="the hook was reached", process=proc)
    kill_hard(proc)
    # The kill left part of the unfinished transaction in the WAL (frames after the last
    # commit frame), which recovery must ignore.
    assert wal_frames_after_last_commit(Path(str(lib) + "-wal")) > 0

    assert count_articles(lib) == 200  # the first round, whole; none of the second
    assert_library_sound(lib, capsys)

    assert main(["--library", str(lib), "import", *pmids]) == 0
    out = capsys.readouterr().out
    assert out.count(": unchanged") == 200 and out.count(": imported") == 100
    assert count_articles(lib) == 300
    assert_library_sound(lib, capsys)


def test_kill_during_a_network_import_then_rerun_completes_it(
        tmp_path: Path, server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    pmids = [str(33_000_000 + n) for n in range(600)]
    server.add_pubmed(pmids)
    # Each efetch round takes a moment, so the kill lands while the import is under way.
    server.fail_always("efetch", Reply.slow(0.3))
    lib = tmp_path / "lib.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "spinelib", "--library", str(lib), "import", *pmids],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until(lambda: count_articles(lib) > 0, what="the first articles were stored",
               process=proc)
    seen = count_articles(lib)
    kill_hard(proc)

    after = count_articles(lib)
    assert seen <= after < len(pmids)  # nothing committed was lost; the import was cut short
    assert_library_sound(lib, capsys)

    server.recover()
    assert main(["--library", str(lib), "import", *pmids]) == 0
    capsys.readouterr()
    assert count_articles(lib) == len(pmids)
    assert_library_sound(lib, capsys)


def test_kill_during_a_large_file_import_then_rerun_completes_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Files are stored 1,000 records a transaction (the bulk path of issue 19): three of them.
    pmids = [str(34_000_000 + n) for n in range(3000)]
    big = tmp_path / "pubmed_export.xml"
    big.write_bytes(article_set(pubmed_article(p) for p in pmids))
    lib = tmp_path / "lib.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "spinelib", "--library", str(lib), "import", str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until(lambda: count_articles(lib) > 0, what="the first articles were stored",
               process=proc)
    kill_hard(proc)

    assert 0 < count_articles(lib) < len(pmids)
    assert_library_sound(lib, capsys)

    assert main(["--library", str(lib), "import", str(big)]) == 0
    capsys.readouterr()
    assert count_articles(lib) == len(pmids)
    assert_library_sound(lib, capsys)
