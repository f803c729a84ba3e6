"""How a bulk restore (undo of a delete, ``trash restore``) writes its rows: in ascending
article id whatever order the articles come in, with a page cache sized to the library
for the write only, and the cycle collector back on afterwards. What is restored stays
row for row what was deleted (``test_undo``, ``test_trash_bulk``)."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.store.connection import Connection
from spinelib.store.sqlite import dialect as sqlite_dialect
from spinelib.store.sqlite.dialect import SqliteDialect

from .helpers import make_record
from .test_undo import _dump


def _add(lib: Library, n: int) -> list[int]:
    lib.articles.add_records([make_record(pmid=str(7000 + i), doi=f"10.5555/order{i}",
                                          title=f"Series {i} of en bloc spondylectomy")
                              for i in range(n)])
    return sorted(lib.search.ids(Query()))


def _child_rows_in_id_order(lib: Library, table: str) -> list[tuple[int, int]]:
    """(article, position) of ``table``'s rows in the order they were written (row id)."""
    with lib.store.reading() as conn:
        return [(int(r[0]), int(r[1])) for r in conn.execute(
            f'SELECT article_id, position FROM "{table}" ORDER BY id')]


@pytest.mark.parametrize("restore", ["undo", "trash"])
def test_restored_rows_are_written_in_article_order(lib: Library, restore: str) -> None:
    """Articles handed over in descending (trash) or set (undo) order come back with their
    author and reference rows written in (article, position) order, and every row as it
    was before the delete."""
    ids = _add(lib, 120)
    before = _dump(lib)
    lib.trash.delete(ids)
    if restore == "undo":
        lib.history.undo()
    else:
        lib.trash.restore(list(reversed(ids)))
    assert _dump(lib) == before
    for table in ("author", "reference"):
        written = _child_rows_in_id_order(lib, table)
        assert len(written) == len(before[table]) > 0
        assert written == sorted(written)


def test_the_cycle_collector_is_back_on_after_undo_redo_and_a_failed_step(
        lib: Library) -> None:
    ids = _add(lib, 3)
    assert gc.isenabled()
    lib.trash.delete(ids)
    lib.history.undo()
    lib.history.redo()
    assert gc.isenabled()
    with lib.store.writing() as conn:  # another writer changes a trashed article's row
        conn.execute("UPDATE article_trash SET deleted_at = '2001-01-01T00:00:00Z'")
    with pytest.raises(Exception, match="has been changed since"):
        lib.history.undo()
    assert gc.isenabled()
    assert len(lib.trash.entries()) == 3


def _cache_during(path: Path) -> tuple[int, int, int]:
    """cache_size before, inside and after a roomy_cache block on ``path``."""
    raw = sqlite3.connect(path)
    try:
        conn = Connection(raw)
        before = int(conn.scalar("PRAGMA cache_size"))
        with SqliteDialect().roomy_cache(conn):
            inside = int(conn.scalar("PRAGMA cache_size"))
        return before, inside, int(conn.scalar("PRAGMA cache_size"))
    finally:
        raw.close()


def test_the_bulk_write_cache_is_64_mb_for_a_small_library_and_restored(
        lib: Library, tmp_path: Path) -> None:
    _add(lib, 2)
    before, inside, after = _cache_during(tmp_path / "lib.sqlite")
    assert inside == sqlite_dialect.ROOMY_CACHE_KIB
    assert after == before != inside


def test_the_bulk_write_cache_grows_with_the_library_up_to_its_cap(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library big enough for a larger cache gets its share, never above the cap
    (simulated by a smaller share: building a 3 GB library would take minutes)."""
    _add(lib, 2)
    path = tmp_path / "lib.sqlite"
    raw = sqlite3.connect(path)
    kib = (raw.execute("PRAGMA page_count").fetchone()[0]
           * raw.execute("PRAGMA page_size").fetchone()[0] // 1024)
    raw.close()
    monkeypatch.setattr(sqlite_dialect, "ROOMY_CACHE_KIB", -(kib // 4))
    monkeypatch.setattr(sqlite_dialect, "ROOMY_CACHE_SHARE", 2)
    monkeypatch.setattr(sqlite_dialect, "ROOMY_CACHE_MAX_KIB", kib)
    assert _cache_during(path)[1] == -(kib // 2)  # its share: above the floor, below the cap
    monkeypatch.setattr(sqlite_dialect, "ROOMY_CACHE_MAX_KIB", kib // 3)
    assert _cache_during(path)[1] == -(kib // 3)  # capped
