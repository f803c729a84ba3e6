"""Team-sync capture triggers exist only in a replica (schema step 14, issue 19).

A plain file library never captures, so it carries none of the ``sync_*`` triggers (each row
written paid ~10 µs for one whose WHEN was false); a replica holds exactly the full set, the
same SQL whether it was made now (``start_capture``) or migrated from an older schema, and
word for word the SQL steps 7, 11 and 12 released.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.store import outbox as ob
from spinelib.store.sqlite import migrate, read_schema_version, target_version
from spinelib.store.sqlite.schema_v14_capture_triggers import CAPTURE_TRIGGERS, FROZEN_NAMES
from tests.core.helpers import make_record

LIBRARY_UUID = "7d1c6f52-3a55-4c1e-9d1e-0d6b1c2b9a10"


def sync_triggers(path: Path) -> dict[str, str]:
    """The file's ``sync_*`` triggers: name -> stored SQL."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {str(n): str(s) for n, s in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name GLOB 'sync_*'")}
    finally:
        conn.close()


def at_version(path: Path, version: int, replica: bool = False) -> Path:
    """A library created at ``version``; with ``replica``, holding the rows start_capture
    writes (as a replica made by that version would)."""
    path.touch()
    migrate(path, 0, target=version)
    if replica:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("INSERT INTO sync_state (key, value) VALUES ('library_uuid', ?), "
                         "('capture', '1')", (LIBRARY_UUID,))
        conn.close()
    return path


def released_sql(tmp_path: Path) -> dict[str, str]:
    """The capture triggers as steps 7, 11 and 12 released them (a version 13 file)."""
    return sync_triggers(at_version(tmp_path / "released-v13.sqlite", 13))


def make_replica(path: Path) -> Library:
    lib = Library.open(path)
    with lib.store.writing() as conn:
        ob.start_capture(conn, LIBRARY_UUID)
    return lib


def test_the_frozen_list_is_the_released_triggers_word_for_word(tmp_path: Path) -> None:
    released = released_sql(tmp_path)
    assert sorted(released) == sorted(FROZEN_NAMES)
    assert len(CAPTURE_TRIGGERS) == len(FROZEN_NAMES) == 19
    made = [s.replace("CREATE TRIGGER IF NOT EXISTS ", "CREATE TRIGGER ", 1)
            for s in CAPTURE_TRIGGERS]
    assert sorted(made) == sorted(released.values())


def test_a_new_file_library_has_no_capture_trigger(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(pmid="101", doi="10.1/a"))
        with lib.store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sync_dirty") == 0
            assert conn.scalar("SELECT count(*) FROM sync_state") == 0
    assert read_schema_version(path) == target_version()
    assert sync_triggers(path) == {}


@pytest.mark.parametrize("version", [6, 7, 11, 12, 13])
def test_a_migrated_file_library_loses_them(tmp_path: Path, version: int) -> None:
    path = at_version(tmp_path / f"v{version}.sqlite", version)
    if version >= 7:
        assert sync_triggers(path)  # what this step is for: older files have them
    Library.open(path).close()
    assert sync_triggers(path) == {}


def test_a_replica_gets_exactly_the_full_set_idempotently(tmp_path: Path) -> None:
    path = tmp_path / "replica.sqlite"
    with make_replica(path) as lib, lib.store.writing() as conn:
        ob.start_capture(conn, LIBRARY_UUID)  # again: nothing doubled, nothing raised
    assert sync_triggers(path) == released_sql(tmp_path)


@pytest.mark.parametrize("version", [7, 11, 12, 13])
def test_a_migrated_replica_keeps_the_full_set(tmp_path: Path, version: int) -> None:
    """A replica made by an older version (capture on, or off as a pull leaves it while it
    writes) ends with the full set, the same SQL as a replica made now."""
    path = at_version(tmp_path / f"r{version}.sqlite", version, replica=True)
    Library.open(path).close()
    assert sync_triggers(path) == released_sql(tmp_path)
    mid_pull = at_version(tmp_path / f"p{version}.sqlite", version, replica=True)
    conn = sqlite3.connect(mid_pull)
    with conn:
        conn.execute("UPDATE sync_state SET value = '0' WHERE key = 'capture'")
    conn.close()
    Library.open(mid_pull).close()
    assert sync_triggers(mid_pull) == released_sql(tmp_path)


def test_a_failed_start_capture_leaves_a_file_library(tmp_path: Path) -> None:
    """The triggers come in the transaction that makes the file a replica: if it fails,
    neither the state nor the triggers stay."""
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        with pytest.raises(RuntimeError), lib.store.writing() as conn:
            ob.start_capture(conn, LIBRARY_UUID)
            raise RuntimeError("interrupted")
        with lib.store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sync_state") == 0
    assert sync_triggers(path) == {}


def test_a_replica_still_captures_every_kind_of_edit(tmp_path: Path) -> None:
    """With the hook attached (as ``SyncManager.attach`` does), an added article, a tag, a
    list and its rename, and a delete each reach the outbox, in the edit's transaction."""
    with make_replica(tmp_path / "replica.sqlite") as lib:
        lib.store.engine.before_commit.append(ob.capture)  # type: ignore[attr-defined]
        article_id = lib.articles.add_record(make_record(pmid="202", doi="10.1/b")).article_id
        [(kind, fields)] = new_entries(lib)
        assert kind == "edit" and {"title", "authors", "references"} <= set(fields.split(","))
        a = {"a": article_id}
        with lib.store.writing() as conn:  # a user tag made and given to the article
            conn.execute("INSERT INTO tag (id, label, parent, origin) "
                         "VALUES ('mine', 'Mine', NULL, 'user')")
            conn.execute("INSERT INTO article_tag (article_id, tag_id, origin, reason) "
                         "VALUES (:a, 'mine', 'user', '')", a)
        assert new_entries(lib) == [("name", "tag"), ("edit", "tags")]
        with lib.store.writing() as conn:  # a list made and renamed
            conn.execute("INSERT INTO reading_list (name, created_at) VALUES ('Club', '')")
            conn.execute("UPDATE reading_list SET name = 'Journal club' WHERE name = 'Club'")
        assert new_entries(lib) == [("name", "list"), ("rename", "list")]
        with lib.store.writing() as conn:
            conn.execute("DELETE FROM article WHERE id = :a", a)
        assert new_entries(lib) == [("delete", "")]
        with lib.store.reading() as conn:
            assert conn.scalar("SELECT count(*) FROM sync_dirty") == 0


_seen: dict[int, int] = {}


def new_entries(lib: Library) -> list[tuple[str, str]]:
    """The outbox entries queued since the last call: (kind, what they are about)."""
    with lib.store.reading() as conn:
        rows = conn.all("SELECT seq, kind, new FROM sync_outbox WHERE seq > :s ORDER BY seq",
                        {"s": _seen.get(id(lib), 0)})
    if rows:
        _seen[id(lib)] = int(rows[-1][0])
    out = []
    for _, kind, new in rows:
        body = json.loads(new)
        about = str(body.get("kind", "")) if kind in ("name", "rename") else ",".join(body)
        out.append((str(kind), about))
    return out
