"""Schema step 15 (issue 13): the triggers that keep a first copy's reference-less shadows
complete exist in every replica (made now or migrated) and in no file library."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from spinelib.library import Library
from spinelib.store.sqlite import migrate
from spinelib.store.sqlite.schema_v15_reference_base import REFERENCE_BASE_TRIGGERS
from tests.core.helpers import make_record
from tests.core.test_capture_triggers import at_version, make_replica

NAMES = {"replica_reference_base_insert", "replica_reference_base_delete",
         "replica_reference_base_update"}


def _triggers(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return {str(n): str(s) for n, s in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name GLOB 'replica_*'")}
    finally:
        conn.close()


def test_a_file_library_has_none_and_a_replica_has_all(tmp_path: Path) -> None:
    Library.open(tmp_path / "file.sqlite").close()
    assert _triggers(tmp_path / "file.sqlite") == {}
    with make_replica(tmp_path / "replica.sqlite"):
        pass
    made = _triggers(tmp_path / "replica.sqlite")
    assert set(made) == NAMES and len(REFERENCE_BASE_TRIGGERS) == 3


def test_a_migrated_replica_gets_the_same_triggers(tmp_path: Path) -> None:
    with make_replica(tmp_path / "now.sqlite"):
        pass
    old = at_version(tmp_path / "v14.sqlite", 14, replica=True)
    plain = at_version(tmp_path / "plain14.sqlite", 14)
    migrate(old, 14)
    migrate(plain, 14)
    assert _triggers(old) == _triggers(tmp_path / "now.sqlite")
    assert _triggers(plain) == {}


def test_the_first_change_copies_the_rows_in_order_into_a_shadow_without_them(
        tmp_path: Path) -> None:
    path = tmp_path / "replica.sqlite"
    with make_replica(path) as lib:
        article = lib.articles.add_record(make_record(pmid="101", doi="10.1/a")).article_id
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        conn.execute("UPDATE sync_state SET value = '0' WHERE key = 'capture'")  # as a copy
        conn.execute('DELETE FROM "reference"')
        for position in (3, 1, 2):  # stored out of order
            conn.execute('INSERT INTO "reference" (article_id, position, citation, pmid) '
                         "VALUES (?, ?, ?, ?)", (article, position, f"c{position}",
                                                 str(position)))
        conn.execute("INSERT INTO sync_article (article_id, uuid, version, shadow, private) "
                     "VALUES (?, 'u-1', 1, '{\"title\": \"t\"}', '{}')", (article,))
        conn.execute("UPDATE sync_state SET value = '1' WHERE key = 'capture'")
        conn.execute('DELETE FROM "reference" WHERE article_id = ? AND position = 2', (article,))
        conn.execute('INSERT INTO "reference" (article_id, position, citation) '
                     "VALUES (?, 9, 'new')", (article,))  # the first base stays
        shadow = json.loads(conn.execute("SELECT shadow FROM sync_article").fetchone()[0])
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert shadow == {"title": "t", "references": [[1, "c1", None, "1", None],
                                                   [2, "c2", None, "2", None],
                                                   [3, "c3", None, "3", None]]}
