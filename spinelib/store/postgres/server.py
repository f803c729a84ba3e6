"""A connection to a team library's server: identity, push, pull, history (PostgreSQL).

Promises:
- :meth:`Server.push` applies a batch of client changes in one short transaction; a change
  whose ``change_id`` is already in ``change_log`` is skipped, so replaying a batch after a
  drop never applies anything twice.
- A change based on an older version merges field by field against its base (Zotero's rule):
  a field the server still holds at the base value takes the client's value; tags, facets and
  lists merge as sets; a field both sides changed to different values keeps the server's
  value and comes back as a conflict (the client's value is kept there, never lost).
- :meth:`Server.pull` reads ``change_log WHERE seq > since`` and the articles those rows name:
  never a scan of the library (except a first full copy).
- Passwords come from libpq (``~/.pgpass``, a service file) or the caller (a prompt); this
  module never writes one anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg.types.json import Jsonb

from spinelib.store.postgres.renames import (
    apply_rename,
    catch_up,
    events_between,
    log_kind,
    merge_positions,
    name_event,
    names_at,
    one_per_tag,
    renames_since,
)
from spinelib.store.postgres.schema import CHANNEL, SERVER_SCHEMA_VERSION
from spinelib.store.postgres.stale import drop_stale

SET_FIELDS = ("tags", "facets", "lists")
IDENTIFIERS = ("pmid", "doi", "pmcid")
#: Seconds libpq waits to connect: a dead or hung server is noticed within a few seconds.
CONNECT_TIMEOUT = 3
#: The advisory lock every push holds for its transaction (see :meth:`Server.push`).
PUSH_LOCK = 0x5B1E13


@dataclass
class PushResult:
    """What the server did with a batch: changes it holds now, UUID merges, conflicts."""

    done: list[str] = field(default_factory=list)
    remap: dict[str, str] = field(default_factory=dict)
    #: (uuid, field, mine, theirs)
    conflicts: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    seq: int = 0


@dataclass
class Pulled:
    """Articles changed since a sequence number, and this login's private rows."""

    seq: int
    articles: list[tuple[str, int, dict[str, Any], bool]]
    private: dict[str, dict[str, Any]]
    private_seq: int
    #: Lists and tags renamed, merged, made or removed since, oldest first: (``rename`` or
    #: ``name``, the event), applied before the articles.
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: A first copy's lists and user tags (``name`` events' ``create`` form), empty ones too.
    names: list[dict[str, Any]] = field(default_factory=list)


def _merge_fields(uuid: str, current: dict[str, Any], old: Mapping[str, Any],
                  new: Mapping[str, Any],
                  result: PushResult) -> tuple[dict[str, Any], dict[str, Any]]:
    """The article merged with a client's fields against their base, and the diff (field ->
    [theirs, value]); a field both sides changed differently is a conflict in ``result``."""
    merged, diff = dict(current), {}
    for name, mine in new.items():
        base, theirs = old.get(name), current.get(name)
        value: Any
        if name == "list_positions":
            value = merge_positions(base, theirs, mine)
        elif name in SET_FIELDS:
            value = sorted((set(theirs or []) | (set(mine or []) - set(base or [])))
                           - (set(base or []) - set(mine or [])))
            if name == "tags":
                value = one_per_tag(value, set(mine or []))
        elif theirs in (base, mine) or (theirs in (None, "") and base is None):
            value = mine
        else:
            result.conflicts.append((uuid, name, mine, theirs))
            continue
        if value != theirs:
            merged[name], diff[name] = value, [theirs, value]
    return merged, diff


class Server:
    """One open connection to a team library's database."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    @classmethod
    def connect(cls, conninfo: str, password: str | None = None) -> Server:
        extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT,
                                 "application_name": "spinelib"}
        if password is not None:
            extra["password"] = password
        return cls(psycopg.connect(conninfo, autocommit=True, **extra))

    def close(self) -> None:
        self.conn.close()

    def ping(self) -> None:
        self.conn.execute("SELECT 1")

    def identity(self) -> tuple[str, int, int]:
        """(library UUID, schema version, newest change_log seq); LookupError if none."""
        try:
            row = self.conn.execute("SELECT uuid::text, schema_version FROM library_meta"
                                    ).fetchone()
        except pgerrors.UndefinedTable:
            raise LookupError("not a SpineLib team library") from None
        if row is None:
            raise LookupError("not a SpineLib team library")
        seq = self.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
        return str(row[0]), int(row[1]), int(seq[0]) if seq else 0

    def can_edit(self) -> bool:
        row = self.conn.execute("SELECT has_table_privilege('article', 'UPDATE')").fetchone()
        return bool(row and row[0])

    def login(self) -> str:
        row = self.conn.execute("SELECT current_user").fetchone()
        return str(row[0]) if row else ""

    @staticmethod
    def newest_schema() -> int:
        return SERVER_SCHEMA_VERSION

    # ---- push
    def push(self, changes: Sequence[Mapping[str, Any]]) -> PushResult:
        """Apply a batch (one transaction); see the module's promises."""
        result = PushResult()
        with self.conn.transaction():
            # Pushes take turns: a seq is drawn at INSERT but becomes visible at COMMIT, so
            # without this a reader could see seq 11 before 10 commits, move past 10 and never
            # pull it. One short transaction at a time makes commit order the seq order.
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK,))
            # Changes made before their client saw a colleague's rename use the old name.
            seen = changes[0].get("seen") if changes else None
            renames = renames_since(self.conn, int(seen)) if seen is not None else []
            if renames:
                changes = [catch_up(c, renames) if c["kind"] in ("edit", "delete") else c
                           for c in changes]
            changes, stale = drop_stale(self.conn, changes)  # a colleague deleted the list
            result.conflicts += stale
            fast = self._insert_new(changes)
            for change in changes:
                if str(change["change_id"]) in fast:
                    result.done.append(str(change["change_id"]))
                    continue
                for attempt in (1, 2):
                    try:
                        with self.conn.transaction():  # a savepoint per change
                            self._apply(change, result)
                        break
                    except pgerrors.UniqueViolation:
                        # Another client inserted the same paper at this moment: the second
                        # attempt finds its row and merges into it.
                        if attempt == 2:
                            raise
                result.done.append(str(change["change_id"]))
            row = self.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
            result.seq = int(row[0]) if row else 0
        return result

    def _insert_new(self, changes: Sequence[Mapping[str, Any]]) -> set[str]:
        """Insert, in two pipelined statements, the batch's brand-new articles: ones the
        server has never seen (no UUID, no identifier, no change id of theirs known) and
        that appear once in the batch. Everything else goes through :meth:`_apply`. Returns
        the change ids inserted here."""
        uuids = [str(c["uuid"]) for c in changes]
        once = {u for u in uuids if uuids.count(u) == 1} if len(uuids) < 2000 else set()
        candidates = [c for c in changes if c["kind"] == "edit" and str(c["uuid"]) in once
                      and not any(v is not None for v in dict(c["old"]).values())]
        if not candidates:
            return set()
        known_changes = {str(r[0]) for r in self.conn.execute(
            "SELECT change_id FROM change_log WHERE change_id = ANY(%s::uuid[])",
            ([str(c["change_id"]) for c in candidates],))}
        known_uuids = {str(r[0]) for r in self.conn.execute(
            "SELECT uuid FROM article WHERE uuid = ANY(%s::uuid[])",
            ([str(c["uuid"]) for c in candidates],))}
        taken: set[tuple[str, str]] = set()
        for ident in IDENTIFIERS:
            values = [str(dict(c["new"])[ident]) for c in candidates if dict(c["new"]).get(ident)]
            taken |= {(ident, str(r[0])) for r in self.conn.execute(
                f"SELECT {ident} FROM article WHERE {ident} = ANY(%s)", (values,))}
        chosen, claimed = [], set(taken)
        for c in candidates:
            new = dict(c["new"])
            keys = {(i, str(new[i])) for i in IDENTIFIERS if new.get(i)}
            if (str(c["change_id"]) in known_changes or str(c["uuid"]) in known_uuids
                    or keys & claimed):
                continue
            claimed |= keys
            chosen.append(c)
        if not chosen:
            return set()
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO article (uuid, pmid, doi, pmcid, data, version) "
                            "VALUES (%s, %s, %s, %s, %s, 1)",
                            [(str(c["uuid"]), *(dict(c["new"]).get(i) or None
                                                for i in IDENTIFIERS), Jsonb(dict(c["new"])))
                             for c in chosen])
            cur.executemany("INSERT INTO change_log (change_id, article, kind, diff) "
                            "VALUES (%s, %s, 'create', %s)",
                            [(str(c["change_id"]), str(c["uuid"]),
                              Jsonb({f: [None, v] for f, v in dict(c["new"]).items()}))
                             for c in chosen])
        return {str(c["change_id"]) for c in chosen}

    def _apply(self, change: Mapping[str, Any], result: PushResult) -> None:
        cid, uuid, kind = str(change["change_id"]), str(change["uuid"]), str(change["kind"])
        uuid = result.remap.get(uuid, uuid)
        if self.conn.execute("SELECT 1 FROM change_log WHERE change_id = %s",
                             (cid,)).fetchone() is not None:
            return  # pushed before; the drop came after the commit
        old, new = dict(change["old"]), dict(change["new"])
        if kind == "private":
            self._private(uuid, new)
            return
        if kind == "rename":
            apply_rename(self.conn, cid, uuid, new, self._log)
            return
        if kind == "name":  # a list or tag made, removed or moved: the log is the record
            event = name_event(new)
            self._log(cid, uuid, log_kind(event), event or {})
            return
        row, uuid = self._target(change, uuid, kind, new, result)
        if row is None:
            self._create(cid, uuid, kind, new)
        elif kind == "delete":
            self._delete(cid, uuid, row, old, result)
        else:
            self._edit(cid, uuid, row, old, new, result)

    def _target(self, change: Mapping[str, Any], uuid: str, kind: str,
                new: Mapping[str, Any], result: PushResult) -> tuple[Any, str]:
        """The locked article row a change names (or, for an edit of an unknown UUID, the
        same paper by identifier, remapped in ``result``) and the UUID it is stored under."""
        row = self.conn.execute("SELECT uuid::text, data, deleted FROM article WHERE uuid = %s "
                                "FOR UPDATE", (uuid,)).fetchone()
        if row is None and kind == "edit":
            row = self._same_paper(new)
            if row is not None:
                result.remap[str(change["uuid"])] = str(row[0])
                uuid = str(row[0])
        return row, uuid

    def _create(self, cid: str, uuid: str, kind: str, new: Mapping[str, Any]) -> None:
        """A change to an article the server lacks: create it (a delete is a no-op)."""
        if kind == "delete":
            self._log(cid, uuid, "noop", {})
            return
        self.conn.execute("INSERT INTO article (uuid, pmid, doi, pmcid, data, version) "
                          "VALUES (%s, %s, %s, %s, %s, 1)",
                          (uuid, *(new.get(i) or None for i in IDENTIFIERS), Jsonb(new)))
        self._log(cid, uuid, "create", {f: [None, v] for f, v in new.items()})

    def _delete(self, cid: str, uuid: str, row: Any, old: Mapping[str, Any],
                result: PushResult) -> None:
        """Delete an article, unless someone changed it since the client's base (a conflict)."""
        current: dict[str, Any] = dict(row[1])
        if row[2]:
            self._log(cid, uuid, "noop", {})
        elif any(current.get(f) != v for f, v in old.items()):
            # Someone changed it after this client last saw it: keep it, tell the client.
            result.conflicts.append((uuid, "deleted", "deleted", "edited"))
            self._log(cid, uuid, "noop", {})
        else:
            self.conn.execute("UPDATE article SET deleted = true, version = version + 1 "
                              "WHERE uuid = %s", (uuid,))
            self._log(cid, uuid, "delete", {})

    def _edit(self, cid: str, uuid: str, row: Any, old: Mapping[str, Any],
              new: Mapping[str, Any], result: PushResult) -> None:
        """Merge an edit field by field into the stored article (bringing a deleted one
        back); a change that changes nothing is logged as a no-op."""
        current: dict[str, Any] = dict(row[1])
        merged, diff = _merge_fields(uuid, current, old, new, result)
        if row[2]:
            diff["deleted"] = [True, False]  # an edit brings a deleted article back
        if not diff:
            self._log(cid, uuid, "noop", {})
            return
        self.conn.execute("UPDATE article SET data = %s, pmid = %s, doi = %s, pmcid = %s, "
                          "deleted = false, version = version + 1 WHERE uuid = %s",
                          (Jsonb(merged), *(merged.get(i) or None for i in IDENTIFIERS), uuid))
        self._log(cid, uuid, "edit", diff)

    def _same_paper(self, new: Mapping[str, Any]) -> Any:
        for ident in IDENTIFIERS:
            if new.get(ident):
                row = self.conn.execute(
                    f"SELECT uuid::text, data, deleted FROM article WHERE {ident} = %s "
                    "FOR UPDATE", (new[ident],)).fetchone()
                if row is not None:
                    return row
        return None

    def _log(self, cid: str, uuid: str, kind: str, diff: Mapping[str, Any]) -> None:
        self.conn.execute("INSERT INTO change_log (change_id, article, kind, diff) "
                          "VALUES (%s, %s, %s, %s)", (cid, uuid, kind, Jsonb(dict(diff))))

    def _private(self, uuid: str, new: Mapping[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO article_private (article, read_status, rating, notes, seq) VALUES "
            "(%s, %s, %s, %s, nextval('change_log_seq_seq')) ON CONFLICT (article, login) DO "
            "UPDATE SET read_status = excluded.read_status, rating = excluded.rating, "
            "notes = excluded.notes, seq = excluded.seq",
            (uuid, new.get("read_status", 0), new.get("rating", 0), new.get("notes", "")))

    # ---- pull
    def pull(self, since: int, private_since: int) -> Pulled:
        """What changed after ``since`` (0: everything, into memory; a first copy into an
        empty replica streams instead: :mod:`spinelib.store.postgres.firstcopy`)."""
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            top = self.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
            seq = int(top[0]) if top else 0
            if since == 0:  # deleted ones too: a replica that pushed before it ever
                # pulled holds articles a colleague may have deleted since
                rows = self.conn.execute("SELECT uuid::text, version, data, deleted FROM "
                                         "article").fetchall()
            else:
                rows = self.conn.execute(
                    "SELECT uuid::text, version, data, deleted FROM article WHERE uuid IN "
                    "(SELECT article FROM change_log WHERE seq > %s AND seq <= %s "
                    "AND kind != 'noop')", (since, seq)).fetchall()
            private = {str(r[0]): {"read_status": r[1], "rating": r[2], "notes": r[3],
                                   "seq": int(r[4])}
                       for r in self.conn.execute(
                           "SELECT article::text, read_status, rating, notes, seq FROM "
                           "article_private WHERE seq > %s", (private_since,)).fetchall()}
            events = [] if since == 0 else events_between(self.conn, since, seq)
            names = names_at(self.conn, seq) if since == 0 else []
        private_seq = max([private_since] + [p.pop("seq") for p in private.values()])
        return Pulled(seq, [(str(r[0]), int(r[1]), dict(r[2]), bool(r[3])) for r in rows],
                      private, private_seq, events, names)

    def private_of(self, uuids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {str(r[0]): {"read_status": r[1], "rating": r[2], "notes": r[3]}
                for r in self.conn.execute(
                    "SELECT article::text, read_status, rating, notes FROM article_private "
                    "WHERE article = ANY(%s::uuid[])", (list(uuids),)).fetchall()}

    def history(self, uuid: str) -> list[tuple[str, str, str, str, Any, Any]]:
        """(when, who, what, field, old, new) for one article, oldest first."""
        out: list[tuple[str, str, str, str, Any, Any]] = []
        for at, actor, kind, diff in self.conn.execute(
                "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                "actor, kind, diff FROM change_log WHERE article = %s AND kind != 'noop' "
                "ORDER BY seq", (uuid,)).fetchall():
            if not diff:
                out.append((str(at), str(actor), str(kind), "", None, None))
            for name, pair in dict(diff).items():
                out.append((str(at), str(actor), str(kind), name, pair[0], pair[1]))
        return out

    # ---- live updates
    def listen(self) -> None:
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait_notify(self, timeout: float) -> int | None:
        """The newest sequence number announced within ``timeout`` seconds, else None."""
        newest = None
        for note in self.conn.notifies(timeout=timeout, stop_after=1):
            newest = int(note.payload)
        return newest
