"""SQL of a team library's local replica: snapshots, the outbox, conflicts and sync state.

The replica is an ordinary library file (schema 3 adds the ``sync_*`` tables). An article's
*snapshot* is what the team shares of it (bibliographic columns, identifiers, citation key,
authors, references, and the sets of tags, facets and reading lists it is in) plus what is
private to the login (read status, rating, notes). :func:`capture` runs just before every
write transaction commits: each article marked dirty by the triggers is snapshotted and
compared with its shadow; the differences become outbox entries in that same transaction.

Promises:
- An edit and its outbox entry commit together or not at all (the hook runs before COMMIT).
- A shared edit in a replica whose login may not edit raises :class:`LibraryError` inside the
  transaction, so nothing of it is written.
- :func:`apply_server_article` changes the replica with capture off: pulled changes never
  return to the outbox.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from spinelib.errors import LibraryError
from spinelib.store import sent
from spinelib.store.articles import INSERT_REFERENCE
from spinelib.store.connection import Connection
from spinelib.store.mapping import title_key, utcnow
from spinelib.store.names import queue_events
from spinelib.store.renames import add_to_list, list_positions
from spinelib.store.schema import ARTICLE_RECORD_COLUMNS
from spinelib.store.sqlite.schema_v14_capture_triggers import CAPTURE_TRIGGERS
from spinelib.store.sqlite.schema_v15_reference_base import REFERENCE_BASE_TRIGGERS

#: The shared scalar columns of ``article`` (derived sort keys and timestamps excluded:
#: they follow the title or the local clock and would make every edit a conflict).
SHARED_COLUMNS: tuple[str, ...] = tuple(
    c for c in ARTICLE_RECORD_COLUMNS if c not in ("title_sort", "title_key")
) + ("citekey", "doi", "pmid", "pmcid")
#: Shared fields merged as sets (element = a JSON text), not as one value.
SET_FIELDS: tuple[str, ...] = ("tags", "facets", "lists")
PRIVATE_FIELDS: tuple[str, ...] = ("read_status", "rating", "notes")
PRIVATE_DEFAULT: dict[str, Any] = {"read_status": 0, "rating": 0, "notes": ""}
READER_MESSAGE = ("you may only read this team library (ask its admin for editor rights); "
                  "nothing was changed")

Snapshot = dict[str, Any]


# ---- state
def get_state(conn: Connection, key: str, default: str = "") -> str:
    value = conn.scalar("SELECT value FROM sync_state WHERE key = :k", {"k": key})
    return default if value is None else str(value)


def set_state(conn: Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", {"k": key, "v": value})


# ---- snapshots
def snapshot(conn: Connection, article_id: int) -> tuple[Snapshot, Snapshot] | None:
    """The shared and private values of one article, or None if it is not there."""
    row = conn.first(f"SELECT {', '.join(SHARED_COLUMNS + PRIVATE_FIELDS)} FROM article "
                     "WHERE id = :a", {"a": article_id})
    if row is None:
        return None
    a = {"a": article_id}
    return assemble(
        tuple(row),
        conn.all("SELECT family, given, initials, collective, orcid FROM author "
                 "WHERE article_id = :a ORDER BY position", a),
        _reference_rows(conn, article_id),
        conn.all("SELECT at.tag_id, t.label, t.origin, at.origin, at.reason FROM article_tag at "
                 "JOIN tag t ON t.id = at.tag_id WHERE at.article_id = :a", a),
        conn.all("SELECT facet, value, reason FROM article_facet WHERE article_id = :a", a),
        list_positions(conn, article_id))  # list order is shared


def assemble(values: Sequence[Any], authors: Iterable[Sequence[Any]],
             references: Iterable[Sequence[Any]], tags: Iterable[Sequence[Any]],
             facets: Iterable[Sequence[Any]], held: Mapping[str, int]
             ) -> tuple[Snapshot, Snapshot]:
    """One article's shared document and private values, from its rows: ``values`` its
    :data:`SHARED_COLUMNS` then :data:`PRIVATE_FIELDS`; ``tags`` rows of (tag id, label, the
    tag's origin, the link's origin, reason); ``held`` its reading lists and positions.

    The one place a document's shape is decided: :func:`snapshot` (one article, for an edit)
    and :mod:`spinelib.store.uploaddocs` (a whole library, batch by batch) both build here,
    so an uploaded library and a later edit's base can never differ in form."""
    width = len(SHARED_COLUMNS)
    shared: Snapshot = dict(zip(SHARED_COLUMNS, values[:width], strict=True))
    for flag in ("retracted", "has_erratum"):
        shared[flag] = bool(shared[flag])
    shared["authors"] = [list(r) for r in authors]
    shared["references"] = [list(r) for r in references]
    shared["tags"] = sorted(json.dumps(list(r)) for r in tags)
    shared["facets"] = sorted(json.dumps(list(r)) for r in facets)
    shared["lists"] = sorted(held)
    shared["list_positions"] = dict(held)
    private = dict(zip(PRIVATE_FIELDS, values[width:], strict=True))
    return shared, private


def _reference_rows(conn: Connection, article_id: int) -> list[list[Any]]:
    """The article's reference list as a document holds it (also a trashed article's: its
    rows stay parked in place, schema step 16)."""
    return [list(r) for r in conn.all(
        'SELECT position, citation, doi, pmid, pmcid FROM "reference" '
        "WHERE article_id = :a ORDER BY position", {"a": article_id})]


def _queue(conn: Connection, uuid: str, kind: str, base: int, old: Mapping[str, Any],
           new: Mapping[str, Any]) -> None:
    conn.execute("INSERT INTO sync_outbox (change_id, uuid, kind, base_version, old, new, "
                 "made_at) VALUES (:c, :u, :k, :b, :o, :n, :t)",
                 {"c": str(uuidlib.uuid4()), "u": uuid, "k": kind, "b": base,
                  "o": json.dumps(old), "n": json.dumps(new), "t": utcnow()})


def _queue_delete(conn: Connection, article_id: int, known: Any, can_edit: bool) -> None:
    """Queue the delete of a shared article that is gone from the library (``known``: its
    ``sync_article`` row), with the server's document as its base."""
    if not can_edit:
        raise LibraryError(READER_MESSAGE)
    base = json.loads(known[2])
    if "references" not in base:
        # A first copy's shadow (step 15) whose rows no trigger copied: deleted to the
        # trash, they stay parked in place (step 16), so they are the base; an article
        # that never had a reference has none.
        base["references"] = _reference_rows(conn, article_id)
    _queue(conn, known[0], "delete", known[1], base, {})
    conn.execute("DELETE FROM sync_article WHERE article_id = :a", {"a": article_id})


def capture(conn: Connection) -> None:
    """The before-commit hook: turn this transaction's renames and dirty articles into
    outbox entries (renames first: the server renames before it merges the articles)."""
    can_edit = get_state(conn, "can_edit", "1") == "1"
    queue_events(conn, can_edit, READER_MESSAGE)
    ids = conn.column("SELECT article_id FROM sync_dirty")
    if not ids:
        return
    conn.execute("DELETE FROM sync_dirty")
    for article_id in ids:
        known = conn.first("SELECT uuid, version, shadow, private FROM sync_article "
                           "WHERE article_id = :a", {"a": article_id})
        snap = snapshot(conn, article_id)
        if snap is None:
            if known is not None:
                _queue_delete(conn, article_id, known, can_edit)
            continue
        shared, private = snap
        if known is None:
            uuid, version, shadow, own = str(uuidlib.uuid4()), 0, {}, dict(PRIVATE_DEFAULT)
        else:
            uuid, version = str(known[0]), int(known[1])
            shadow, own = json.loads(known[2]), json.loads(known[3])
            # A first copy's shadow keeps no reference list: until the rows change (step
            # 15's triggers then copy them in first) the base is what the rows hold.
            shadow.setdefault("references", shared["references"])
        changed = [f for f in shared if shared[f] != shadow.get(f)]
        if changed:
            if not can_edit:
                raise LibraryError(READER_MESSAGE)
            _queue(conn, uuid, "edit", version, {f: shadow.get(f) for f in changed},
                   {f: shared[f] for f in changed})
        if private != own:
            _queue(conn, uuid, "private", version, own, private)
        conn.execute("INSERT INTO sync_article (article_id, uuid, version, shadow, private) "
                     "VALUES (:a, :u, :v, :s, :p) ON CONFLICT(article_id) DO UPDATE SET "
                     "shadow = excluded.shadow, private = excluded.private",
                     {"a": article_id, "u": uuid, "v": version, "s": json.dumps(shared),
                      "p": json.dumps(private)})


def pulled_up_to(conn: Connection, seq: int, private_seq: int) -> None:
    """End a pull's write (ordinary or a first copy): capture on again, the replica marked
    as holding every change up to ``seq`` and this login's private rows up to
    ``private_seq``, synced now."""
    set_state(conn, "capture", "1")
    set_state(conn, "last_seen", str(seq))
    set_state(conn, "last_private", str(private_seq))
    set_state(conn, "last_sync", utcnow())


def start_capture(conn: Connection, library_uuid: str) -> None:
    """Make this file a replica: its capture triggers are made (only a replica has them:
    schema steps 14 and 15), and existing articles become pending 'new' changes; all in the
    caller's transaction, and idempotent."""
    set_state(conn, "library_uuid", library_uuid)
    set_state(conn, "capture", "1")
    for statement in CAPTURE_TRIGGERS + REFERENCE_BASE_TRIGGERS:
        conn.execute(statement)
    conn.execute("INSERT OR IGNORE INTO sync_dirty (article_id) SELECT id FROM article")


# ---- the outbox
def outbox(conn: Connection, limit: int = 500) -> list[dict[str, Any]]:
    return [{"change_id": r[0], "uuid": r[1], "kind": r[2], "base_version": r[3],
             "old": json.loads(r[4]), "new": json.loads(r[5])}
            for r in conn.all("SELECT change_id, uuid, kind, base_version, old, new "
                              "FROM sync_outbox ORDER BY seq LIMIT :n", {"n": limit})]


def enqueue(conn: Connection, changes: Sequence[Mapping[str, Any]]) -> None:
    """Queue ready-made changes (re-attaching: sent again by the next push, journaled when
    acknowledged, kept if the push fails)."""
    conn.executemany("INSERT OR IGNORE INTO sync_outbox (change_id, uuid, kind, base_version, "
                     "old, new, made_at) VALUES (:c, :u, :k, :b, :o, :n, :t)",
                     [{"c": str(c["change_id"]), "u": str(c["uuid"]), "k": str(c["kind"]),
                       "b": int(c.get("base_version") or 0), "o": json.dumps(c["old"]),
                       "n": json.dumps(c["new"]), "t": utcnow()} for c in changes])


def outbox_count(conn: Connection) -> int:
    return int(conn.scalar("SELECT count(*) FROM sync_outbox"))


def acknowledge(conn: Connection, change_ids: Sequence[str],
                remap: Mapping[str, str]) -> None:
    """Move pushed changes to the journal of sent ones (:mod:`spinelib.store.sent`); an
    article the server merged into another takes its UUID."""
    sent.journal(conn, change_ids)
    conn.executemany("DELETE FROM sync_outbox WHERE change_id = :c",
                     [{"c": c} for c in change_ids])
    for mine, theirs in remap.items():
        if mine == theirs:
            continue
        # A local twin already mapped to the server's UUID (pulled earlier) stays; ours goes.
        conn.execute("UPDATE sync_outbox SET uuid = :t WHERE uuid = :m", {"t": theirs, "m": mine})
        sent.remap(conn, mine, theirs)
        if conn.first("SELECT 1 FROM sync_article WHERE uuid = :t", {"t": theirs}) is None:
            conn.execute("UPDATE sync_article SET uuid = :t WHERE uuid = :m",
                         {"t": theirs, "m": mine})


def no_articles(conn: Connection) -> bool:
    return conn.first("SELECT 1 FROM article LIMIT 1") is None


def pending_uuids(conn: Connection) -> set[str]:
    return set(conn.column("SELECT DISTINCT uuid FROM sync_outbox"))


# ---- conflicts
def add_conflict(conn: Connection, uuid: str, field: str, mine: Any, theirs: Any) -> None:
    conn.execute("INSERT INTO sync_conflict (uuid, field, mine, theirs, made_at) "
                 "VALUES (:u, :f, :m, :t, :w)", {"u": uuid, "f": field, "m": json.dumps(mine),
                                                  "t": json.dumps(theirs), "w": utcnow()})


def conflicts(conn: Connection) -> list[tuple[int, str, int | None, str, Any, Any, str]]:
    """(id, uuid, local article id or None, field, mine, theirs, when), oldest first."""
    return [(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), r[6]) for r in conn.all(
        "SELECT c.id, c.uuid, s.article_id, c.field, c.mine, c.theirs, c.made_at "
        "FROM sync_conflict c LEFT JOIN sync_article s ON s.uuid = c.uuid ORDER BY c.id")]


def drop_conflict(conn: Connection, conflict_id: int) -> None:
    conn.execute("DELETE FROM sync_conflict WHERE id = :i", {"i": conflict_id})


def conflict_count(conn: Connection) -> int:
    return int(conn.scalar("SELECT count(*) FROM sync_conflict"))


def article_id_of(conn: Connection, uuid: str) -> int | None:
    found = conn.scalar("SELECT article_id FROM sync_article WHERE uuid = :u", {"u": uuid})
    return None if found is None else int(found)


def uuid_of(conn: Connection, article_id: int) -> str | None:
    found = conn.scalar("SELECT uuid FROM sync_article WHERE article_id = :a", {"a": article_id})
    return None if found is None else str(found)


# ---- applying what the server holds
def apply_server_article(conn: Connection, uuid: str, version: int, data: Mapping[str, Any],
                         deleted: bool, private: Mapping[str, Any] | None) -> int | None:
    """Make the replica's copy of one article what the server holds (capture must be off).
    Returns the local id (None when deleted: the caller deletes the article row)."""
    article_id = article_id_of(conn, uuid)
    if deleted:  # the caller deletes the article itself (the full-text index goes with it)
        conn.execute("DELETE FROM sync_article WHERE uuid = :u", {"u": uuid})
        return None
    values = row_values(data)
    values["citekey"] = _free_citekey(conn, str(values["citekey"] or uuid[:8]), article_id)
    # Another local article holding one of these identifiers is this one made here earlier
    # under another UUID: it gives way (its outbox entries were merged by the server).
    for ident in ("doi", "pmid", "pmcid"):
        if values[ident]:
            conn.execute(f"UPDATE article SET {ident} = NULL WHERE {ident} = :v AND id != :a",
                         {"v": values[ident], "a": article_id or -1})
    if article_id is None:
        cols = list(values) + ["added_at", *PRIVATE_FIELDS]
        row = {**values, "added_at": utcnow(), **PRIVATE_DEFAULT}
        article_id = int(conn.one(f"INSERT INTO article ({', '.join(cols)}) VALUES "
                                  f"({', '.join(':' + c for c in cols)}) RETURNING id", row)[0])
    else:
        held, _ = snapshot(conn, article_id) or ({}, {})
        if json.loads(json.dumps(held)) == {k: data.get(k) for k in held}:
            # What the replica holds already (its own change, echoed back by a pull): no
            # change, so its time stays, and an undo of that change still finds it as left.
            del values["updated_at"]
        conn.execute(f"UPDATE article SET {', '.join(f'{c} = :{c}' for c in values)} "
                     "WHERE id = :id", {**values, "id": article_id})
    a = {"a": article_id}
    for table in ("author", '"reference"', "article_tag", "article_facet", "reading_list_item"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = :a", a)
    conn.executemany("INSERT INTO author (article_id, position, family, given, initials, "
                     "collective, orcid) VALUES (:a, :p, :f, :g, :i, :c, :o)",
                     [{"a": article_id, "p": i, "f": r[0], "g": r[1], "i": r[2], "c": r[3],
                       "o": r[4]} for i, r in enumerate(data.get("authors") or [])])
    conn.executemany(INSERT_REFERENCE, [(article_id, *r[:5])
                                        for r in data.get("references") or []])
    for text in data.get("tags") or []:
        tag, label, tag_origin, origin, reason = json.loads(text)
        conn.execute("INSERT OR IGNORE INTO tag (id, label, parent, origin) "
                     "VALUES (:t, :l, NULL, :o)", {"t": tag, "l": label, "o": tag_origin})
        conn.execute("INSERT INTO article_tag (article_id, tag_id, origin, reason) "
                     "VALUES (:a, :t, :o, :r)", {"a": article_id, "t": tag, "o": origin,
                                                 "r": reason})
    conn.executemany("INSERT INTO article_facet (article_id, facet, value, reason) "
                     "VALUES (:a, :f, :v, :r)",
                     [dict(zip("fvr", json.loads(t), strict=True), a=article_id)
                      for t in data.get("facets") or []])
    for name in data.get("lists") or []:
        add_to_list(conn, article_id, name, data.get("list_positions") or {})
    known = conn.first("SELECT private FROM sync_article WHERE article_id = :a", a)
    own = dict(private) if private is not None else (
        json.loads(known[0]) if known is not None else dict(PRIVATE_DEFAULT))
    conn.execute("UPDATE article SET read_status = :read_status, rating = :rating, "
                 "notes = :notes WHERE id = :a", {**own, "a": article_id})
    shadow, _ = snapshot(conn, article_id) or ({}, {})
    conn.execute("INSERT INTO sync_article (article_id, uuid, version, shadow, private) "
                 "VALUES (:a, :u, :v, :s, :p) ON CONFLICT(article_id) DO UPDATE SET "
                 "version = excluded.version, shadow = excluded.shadow, "
                 "private = excluded.private",
                 {"a": article_id, "u": uuid, "v": version, "s": json.dumps(shadow),
                  "p": json.dumps(own)})
    return article_id


def row_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``article`` columns of a server document (NOT NULL columns get their empties)."""
    values = {c: data.get(c) for c in SHARED_COLUMNS}
    for c in SHARED_COLUMNS:
        if values[c] is None and c not in ("doi", "pmid", "pmcid", "year", "month", "day"):
            values[c] = False if c in ("retracted", "has_erratum") else (
                0 if c == "author_count" else "")
    title = str(values["title"] or "")
    values.update(title_sort=title.casefold(), title_key=title_key(title), updated_at=utcnow())
    return values


def _free_citekey(conn: Connection, key: str, article_id: int | None) -> str:
    """``key``, or ``key`` with a letter added when another local article holds it."""
    candidate, n = key, 0
    while conn.first("SELECT 1 FROM article WHERE citekey = :k AND id != :a",
                     {"k": candidate, "a": article_id or -1}) is not None:
        n += 1
        candidate = f"{key}{chr(ord('a') + (n - 1) % 26)}{'' if n <= 26 else n}"
    return candidate


def apply_private(conn: Connection, uuid: str, private: Mapping[str, Any]) -> None:
    """This login's own values of one article, as the server holds them (capture off)."""
    article_id = article_id_of(conn, uuid)
    if article_id is None:
        return
    own = {c: private.get(c, PRIVATE_DEFAULT[c]) for c in PRIVATE_FIELDS}
    conn.execute("UPDATE article SET read_status = :read_status, rating = :rating, "
                 "notes = :notes WHERE id = :a", {**own, "a": article_id})
    conn.execute("UPDATE sync_article SET private = :p WHERE article_id = :a",
                 {"p": json.dumps(own), "a": article_id})


def set_field(conn: Connection, article_id: int, field: str, value: Any) -> None:
    """Set one shared field of an article (keeping a conflict's "mine"); capture records it."""
    if field in SHARED_COLUMNS:
        extra = {}
        if field == "title":
            extra = {"title_sort": str(value).casefold(), "title_key": title_key(str(value))}
        sets = ", ".join(f"{c} = :{c}" for c in {field: value, **extra})
        conn.execute(f"UPDATE article SET {sets} WHERE id = :id",
                     {field: value, **extra, "id": article_id})
    elif field == "authors":
        conn.execute("DELETE FROM author WHERE article_id = :a", {"a": article_id})
        conn.executemany("INSERT INTO author (article_id, position, family, given, initials, "
                         "collective, orcid) VALUES (:a, :p, :f, :g, :i, :c, :o)",
                         [{"a": article_id, "p": i, "f": r[0], "g": r[1], "i": r[2],
                           "c": r[3], "o": r[4]} for i, r in enumerate(value or [])])
    elif field == "references":
        conn.execute('DELETE FROM "reference" WHERE article_id = :a', {"a": article_id})
        conn.executemany(INSERT_REFERENCE, [(article_id, *r[:5]) for r in value or []])
    else:
        raise LibraryError(f"field {field!r} cannot be set here")
    conn.execute("INSERT OR IGNORE INTO sync_dirty (article_id) VALUES (:a)", {"a": article_id})
