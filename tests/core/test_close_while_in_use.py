"""Closing a library while another thread is reading or writing it never closes a
connection under that thread: the close waits for the work under way (which lands whole),
and a thread asking afterwards is told the library is closed (CPython's sqlite3 crashed the
process when a window closed the library a worker of another window was still reading:
spinelib/store/sqlite/connections.py)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.errors import LibraryError
from spinelib.store import Store
from spinelib.store.sqlite.connections import ThreadConnections

#: How long a helper thread may take for a step before the test gives up on it (only a
#: bound against hanging; nothing here measures time).
STEP_S = 30.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "lib.sqlite")
    with opened.writing() as conn:
        conn.execute("CREATE TABLE probe (n INTEGER)")
        conn.execute("INSERT INTO probe VALUES (1), (2), (3)")
    yield opened
    opened.close()


class Holder(threading.Thread):
    """A thread that opens a transaction, says so, waits to be let go, then runs one
    statement in it (a read, or an insert that commits when the block ends)."""

    def __init__(self, store: Store, write: bool = False) -> None:
        super().__init__(daemon=True)
        self.store, self.write = store, write
        self.inside, self.go = threading.Event(), threading.Event()
        self.result: object = None

    def run(self) -> None:
        try:
            with (self.store.writing() if self.write else self.store.reading()) as conn:
                self.inside.set()
                assert self.go.wait(STEP_S)
                if self.write:
                    conn.execute("INSERT INTO probe VALUES (4)")
                # A nested use in the same transaction still works after the close began.
                with self.store.reading() as again:
                    self.result = again.scalar("SELECT count(*) FROM probe")
        except BaseException as exc:  # noqa: BLE001 (handed to the test to assert on)
            self.result = exc


def _close_in_thread(store: Store) -> threading.Thread:
    closer = threading.Thread(target=store.close, daemon=True)
    closer.start()
    return closer


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_close_waits_for_a_transaction_under_way_and_it_lands(store: Store, tmp_path: Path,
                                                              write: bool) -> None:
    holder = Holder(store, write=write)
    holder.start()
    assert holder.inside.wait(STEP_S)
    closer = _close_in_thread(store)
    closer.join(0.2)
    assert closer.is_alive(), "close returned while another thread was inside a transaction"
    holder.go.set()
    holder.join(STEP_S)
    closer.join(STEP_S)
    assert not closer.is_alive()
    assert holder.result == (4 if write else 3)
    with pytest.raises(LibraryError, match="is closed"), store.reading():
        pass
    again = Store.open(tmp_path / "lib.sqlite")  # the write landed whole
    try:
        with again.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM probe") == (4 if write else 3)
    finally:
        again.close()


def test_a_thread_asking_after_the_close_is_told_it_is_closed(store: Store) -> None:
    with store.reading() as conn:  # this thread's connection exists, idle after the block
        assert conn.scalar("SELECT count(*) FROM probe") == 3
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with store.reading():
                pass
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    store.close()
    late = threading.Thread(target=read)
    late.start()
    late.join(STEP_S)
    assert [type(e) for e in errors] == [LibraryError]
    assert "is closed" in str(errors[0])
    with pytest.raises(LibraryError, match="is closed"), store.writing():
        pass


def _counting_opener(path: Path, opened: list[sqlite3.Connection]) -> ThreadConnections:
    def opener() -> sqlite3.Connection:
        raw = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        opened.append(raw)
        return raw
    return ThreadConnections(str(path), opener)


def _is_closed(raw: sqlite3.Connection) -> bool:
    try:
        raw.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_a_use_outlasting_the_wait_is_left_to_its_thread_which_closes_it(
        tmp_path: Path) -> None:
    opened: list[sqlite3.Connection] = []
    conns = _counting_opener(tmp_path / "x.sqlite", opened)
    with conns.using():
        pass  # this thread's connection: idle, so the close closes it at once
    inside, go, done = threading.Event(), threading.Event(), threading.Event()

    def work() -> None:
        with conns.using() as raw:
            inside.set()
            assert go.wait(STEP_S)
            raw.execute("SELECT 1")
        done.set()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    assert inside.wait(STEP_S)
    still = conns.close(wait_s=0)
    assert len(opened) == 2 and still == [opened[1]]
    assert _is_closed(opened[0]) and not _is_closed(opened[1])
    go.set()
    assert done.wait(STEP_S)
    worker.join(STEP_S)
    assert _is_closed(opened[1])


def test_closing_inside_this_threads_own_use_does_not_wait_for_itself(tmp_path: Path) -> None:
    opened: list[sqlite3.Connection] = []
    conns = _counting_opener(tmp_path / "x.sqlite", opened)
    with conns.using() as raw:
        # A wait this long would hang the test if close waited for its own caller.
        assert conns.close(wait_s=3600) == []
        with conns.using() as nested:  # the use under way goes on
            assert nested is raw
            raw.execute("SELECT 1")
        assert not _is_closed(raw)
    assert _is_closed(raw)
    with pytest.raises(LibraryError, match="is closed"):
        conns.current()


def test_many_readers_and_a_close_end_with_a_clear_message_each(store: Store) -> None:
    # The pattern that crashed the process: threads reading in a loop while the library
    # closes. Each reader must end on LibraryError and nothing else.
    ended: list[BaseException] = []
    started = threading.Barrier(4)

    def loop() -> None:
        started.wait(STEP_S)
        try:
            while True:
                with store.reading() as conn:
                    conn.scalar("SELECT count(*) FROM probe")
        except BaseException as exc:  # noqa: BLE001
            ended.append(exc)

    readers = [threading.Thread(target=loop, daemon=True) for _ in range(3)]
    for reader in readers:
        reader.start()
    started.wait(STEP_S)
    store.close()
    for reader in readers:
        reader.join(STEP_S)
    assert len(ended) == 3
    assert all(isinstance(e, LibraryError) and "is closed" in str(e) for e in ended), ended
