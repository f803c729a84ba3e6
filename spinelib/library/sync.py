"""The sync room: a team library's replica talking to its server (docs/ARCHITECTURE.md).

A replica is an ordinary library file whose edits land in an outbox in the edit's own
transaction (:mod:`spinelib.store.outbox`). This room pushes the outbox (idempotently: every
change carries a client-made id), pulls ``change_log`` rows after the last one seen, keeps the
conflicts the server reports, and reads an article's history.

Promises:
- Server calls run on a worker thread watched by a heartbeat (a ``SELECT 1`` on a second
  connection every second): a dead or hung server makes the call fail with
  :class:`SyncOffline` within a few seconds, and nothing local is lost: the outbox stays.
- A server whose library UUID differs from the replica's, or whose sequence went backwards
  (restored from an older backup), stops sync with a message naming the reason; the replica
  stays usable and keeps every local change.
- Pulled changes skip articles with changes still waiting to be pushed (the server merges
  those when they arrive; the next pull brings the merged result): see
  :mod:`spinelib.library.sync_pull`, which writes what a pull brought.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from spinelib.errors import LibraryError
from spinelib.library.firstcopy import first_copy
from spinelib.library.passwords import stored
from spinelib.library.sync_pull import apply_pulled
from spinelib.library.sync_results import Conflict, HistoryEntry, SyncReport, SyncStatus
from spinelib.library.teamurl import TeamUrl
from spinelib.store import outbox as ob
from spinelib.store import sent, stale
from spinelib.store.postgres import OFFLINE_ERRORS, Server
from spinelib.store.postgres.lookup import held_changes
from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.library.facade import Library

T = TypeVar("T")
#: Seconds between heartbeats, and how long one may go unanswered before the server is
#: declared hung (libpq's TCP keepalives did not notice a stopped server within 8 s).
HEARTBEAT_EVERY = 1.0
HEARTBEAT_TIMEOUT = 3.0
PUSH_BATCH = 500


class SyncOffline(LibraryError):
    """The server cannot be reached or stopped answering; work goes on locally."""


class SyncBlocked(LibraryError):
    """The server is not the one this replica came from (replaced, or restored older)."""


__all__ = ["Conflict", "HistoryEntry", "SyncBlocked", "SyncManager", "SyncOffline",
           "SyncReport", "SyncStatus"]


class SyncManager:
    """The replica's sync with its server; inactive (``active`` False) in a file library."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store
        self.url: TeamUrl | None = None
        self.password: str | None = None
        self._server: Server | None = None
        self._pinger: Server | None = None
        self._listener: Server | None = None
        self._backoff, self._retry_at = 1.0, 0.0

    @property
    def active(self) -> bool:
        return self.url is not None

    def attach(self, url: TeamUrl, library_uuid: str, password: str | None = None) -> None:
        """Make this library the replica of ``url`` (its edits now go to the outbox)."""
        self.url, self.password = url, password
        engine: Any = self.store.engine
        if ob.capture not in engine.before_commit:
            engine.before_commit.append(ob.capture)
        with self.store.writing() as conn:
            if ob.get_state(conn, "library_uuid") != library_uuid:
                ob.start_capture(conn, library_uuid)

    def _state(self, key: str, default: str = "") -> str:
        with self.store.reading() as conn:
            return ob.get_state(conn, key, default)

    # ---- the server, watched
    def _bounded(self, work: Callable[[], T]) -> T:
        """Run ``work`` on a worker thread while a heartbeat checks the server answers."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = work()
            except BaseException as exc:  # handed to the caller's thread below
                box["error"] = exc

        worker = threading.Thread(target=run, daemon=True, name="spinelib-sync")
        worker.start()
        while True:
            worker.join(HEARTBEAT_EVERY)
            if not worker.is_alive():
                break
            if not self._heartbeat():
                self._server = self._pinger = None  # abandoned: the worker may never return
                raise SyncOffline(f"the server stopped answering (no heartbeat reply within "
                                  f"{HEARTBEAT_TIMEOUT:g} s)")
        if "error" in box:
            error = box["error"]
            if isinstance(error, OFFLINE_ERRORS):
                self._server = None
                raise SyncOffline(f"the server cannot be reached: {_first_line(error)}")
            raise error
        return box["value"]  # type: ignore[no-any-return]

    def _heartbeat(self) -> bool:
        done = threading.Event()

        def ping() -> None:
            try:
                if self._pinger is None:
                    self._pinger = self._connect_raw()
                self._pinger.ping()
                done.set()
            except Exception:  # any failure is "no reply"
                self._pinger = None

        threading.Thread(target=ping, daemon=True, name="spinelib-heartbeat").start()
        return done.wait(HEARTBEAT_TIMEOUT)

    def _connect_raw(self) -> Server:
        assert self.url is not None
        return Server.connect(self.url.conninfo, self.password or stored(self.url.display))

    def server(self) -> Server:
        """The open connection, (re)connected and its identity checked."""
        if self.url is None:
            raise LibraryError("this is not a team library")
        blocked = self._state("blocked")
        if blocked:
            raise SyncBlocked(blocked)
        if self._server is None:
            server = self._bounded(self._connect_raw)
            self._check_identity(server)
            self._server = server
        return self._server

    def _check_identity(self, server: Server) -> None:
        try:
            uuid, schema, seq = self._bounded(server.identity)
        except LookupError as exc:
            raise self._block(f"the server no longer holds this library ({exc})") from None
        mine = self._state("library_uuid")
        # The newest change this copy knows the server made: pulled, or acknowledged by a push.
        last = max(int(self._state("last_seen", "0")), int(self._state("known_seq", "0")))
        if uuid != mine:
            raise self._block(f"the server was replaced: it holds library {uuid}, not {mine}")
        if seq < last:
            raise self._block(f"the server was restored from an older backup: it is at change "
                              f"{seq}, this copy has already seen change {last}")
        self._check_newest_sent(server)
        if schema > Server.newest_schema():
            raise LibraryError("the team library was upgraded by a newer SpineLib; "
                               "upgrade SpineLib to sync")
        can_edit = "1" if self._bounded(server.can_edit) else "0"
        login = self._bounded(server.login)
        with self.store.writing() as conn:
            ob.set_state(conn, "can_edit", can_edit)
            ob.set_state(conn, "login", login)

    def _check_newest_sent(self, server: Server) -> None:
        """A restored server whose sequence has caught up again (colleagues pushed after the
        restore) still lacks the newest change it acknowledged to this copy."""
        with self.store.reading() as conn:
            newest = sent.newest(conn)
        if newest is not None and not self._bounded(lambda: held_changes(server, [newest])):
            raise self._block("the server was restored from an older backup: it no longer "
                              f"holds change {newest}, which it had taken from this copy")

    def _block(self, reason: str) -> SyncBlocked:
        with self.store.writing() as conn:
            waiting = ob.outbox_count(conn)
            message = (f"sync stopped: {reason}. This copy and its "
                       f"{plural(waiting, 'waiting change')} are kept in "
                       f"{self.store.location}. To go on with the "
                       f"server as it is now, run `spinelib team reattach "
                       f"{self.url.display if self.url else 'URL'}` (your waiting changes "
                       "are sent again; this copy is kept)")
            ob.set_state(conn, "blocked", message)
        return SyncBlocked(message)

    # ---- push and pull
    def push(self) -> tuple[int, int]:
        """Send the outbox in batches; returns (changes pushed, new conflicts)."""
        pushed = conflicts = 0
        while True:
            with self.store.reading() as conn:
                batch = ob.outbox(conn, PUSH_BATCH)
                seen = int(ob.get_state(conn, "last_seen", "0"))
                own = stale.own_creations(conn) if batch else []
            for change in batch:  # renames after this are applied to it by the server
                change["seen"] = seen
            if not batch:
                return pushed, conflicts
            batch[0]["own"] = own  # its own lists made again after a colleague deleted them
            server = self.server()
            result = self._bounded(functools.partial(server.push, batch))
            with self.store.writing() as conn:
                ob.acknowledge(conn, result.done, result.remap)
                for uuid, name, mine, theirs in result.conflicts:
                    ob.add_conflict(conn, uuid, name, mine, theirs)
                known = int(ob.get_state(conn, "known_seq", "0"))
                ob.set_state(conn, "known_seq", str(max(known, result.seq)))
            pushed += len(result.done)
            conflicts += len(result.conflicts)

    def seen(self) -> int:
        """The server's newest change this replica has applied (its ``last_seen``)."""
        return int(self._state("last_seen", "0"))

    def pull(self) -> int:
        """Bring the replica up to the server's newest change; returns articles applied."""
        server = self.server()
        last = int(self._state("last_seen", "0"))
        last_private = int(self._state("last_private", "0"))
        with self.store.reading() as conn:  # a first copy into an empty replica: in bulk
            bulk = last == 0 and not ob.pending_uuids(conn) and ob.no_articles(conn)
        if bulk:  # streamed in batches (library/firstcopy.py); None: no longer empty
            copied = first_copy(self.store, server, last_private, self._bounded)
            if copied is not None:
                return copied
        pulled = self._bounded(lambda: server.pull(last, last_private))
        return apply_pulled(self.store, pulled)

    def sync(self) -> SyncReport:
        """Push, then pull: the whole round (raises SyncOffline / SyncBlocked)."""
        pushed, conflicts = self.push()
        known = self.local_status(False).conflicts
        pulled = self.pull()  # may drop a membership of a list a colleague deleted: a conflict
        conflicts += max(0, self.local_status(False).conflicts - known)
        return SyncReport(pushed, pulled, conflicts, self.waiting())

    def waiting(self) -> int:
        with self.store.reading() as conn:
            return ob.outbox_count(conn)

    @property
    def following(self) -> bool:
        """Whether a listener is open (live updates arrive by NOTIFY)."""
        return self._listener is not None

    def can_edit(self) -> bool:
        return self._state("can_edit", "1") == "1"

    # ---- what the faces show
    def status(self) -> SyncStatus:
        """Where this replica stands; probes the server (briefly) for ``online``: True
        whenever the server answers, also when sync is blocked (``blocked`` says why)."""
        online, seq = False, int(self._state("last_seen", "0"))
        try:
            if self._state("blocked"):
                seq = self._probe_seq(seq)
            else:
                seq = self._bounded(self.server().identity)[2]
            online = True
        except SyncBlocked:  # it answered, with another library or an older sequence
            online = True
        except SyncOffline:
            pass
        return self.local_status(online, seq)

    def local_status(self, online: bool, seq: int | None = None) -> SyncStatus:
        """The replica's own bookkeeping, without asking the server (``online`` is the
        caller's knowledge, e.g. the live follower's last round)."""
        with self.store.reading() as conn:
            last_seen = int(ob.get_state(conn, "last_seen", "0"))
            return SyncStatus(online, ob.get_state(conn, "last_sync") or None,
                              ob.outbox_count(conn), ob.conflict_count(conn),
                              last_seen if seq is None else seq,
                              ob.get_state(conn, "library_uuid"),
                              ob.get_state(conn, "blocked") or None)

    def _probe_seq(self, default: int) -> int:
        """The server's newest change on a fresh connection (usable while blocked)."""
        server = self._bounded(self._connect_raw)
        try:
            return self._bounded(server.identity)[2]
        except LookupError:  # it answers but holds no library
            return default
        finally:
            server.close()

    def conflicts(self) -> list[Conflict]:
        with self.store.reading() as conn:
            rows = ob.conflicts(conn)
            keys = {r[2]: self.store.articles.citekey(conn, r[2]) for r in rows
                    if r[2] is not None}
        return [Conflict(i, (keys.get(aid) if aid is not None else None) or uuid, name, mine,
                         theirs, when)
                for i, uuid, aid, name, mine, theirs, when in rows]

    def resolve(self, conflict_id: int, keep_mine: bool) -> None:
        """Settle a conflict: keep the server's value (drop it) or make ours the new edit."""
        with self.store.writing() as conn:
            found = [r for r in ob.conflicts(conn) if r[0] == conflict_id]
            if not found:
                raise LibraryError(f"no conflict {conflict_id} (see `conflicts`)")
            _, uuid, article_id, name, mine, _, _ = found[0]
            if keep_mine:
                if article_id is None:
                    raise LibraryError(f"conflict {conflict_id}: the article is no longer "
                                       "in this library")
                if name == "deleted":
                    self.store.articles.delete(conn, [article_id])
                elif name in stale.STALE_FIELDS:  # a membership a colleague's deletion dropped
                    stale.restore(conn, article_id, name, str(mine))
                    self.store.fulltext.reindex(conn, article_id)
                else:
                    ob.set_field(conn, article_id, name, mine)
                    self.store.fulltext.reindex(conn, article_id)
            ob.drop_conflict(conn, conflict_id)

    def history(self, article_id: int) -> list[HistoryEntry]:
        """Who changed what on one article, oldest first (needs the server)."""
        with self.store.reading() as conn:
            uuid = ob.uuid_of(conn, article_id)
        if uuid is None:
            return []
        server = self.server()
        return [HistoryEntry(*row) for row in self._bounded(lambda: server.history(uuid))]

    # ---- live updates
    def follow(self) -> int:
        """Start following the server's changes: listen first, then pull (a change made
        between the two is pulled now and announced again, never missed). Returns the
        articles pulled."""
        listener = self._bounded(self._connect_raw)
        self._bounded(listener.listen)
        self._listener = listener
        return self.pull()

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a colleague's change; on one, pull it and return
        True. NOTIFY is only a wake-up: what changed is read from ``change_log``. A dropped
        listener is re-made (listen, then pull) after a back-off that doubles to 30 s."""
        if self._listener is None:
            if self._retry_at > time.monotonic():
                return False
            try:
                self.follow()
                self._backoff = 1.0
            except SyncOffline:
                self._retry_at = time.monotonic() + self._backoff
                self._backoff = min(self._backoff * 2, 30.0)
                raise
            return True
        listener = self._listener
        try:
            seq = self._bounded(functools.partial(listener.wait_notify, timeout))
        except SyncOffline:
            self._listener = None
            raise
        if seq is None or seq <= int(self._state("last_seen", "0")):
            return False
        self.pull()
        return True

    def close(self) -> None:
        for server in (self._server, self._pinger, self._listener):
            if server is not None:
                try:
                    server.close()
                except Exception:  # closing a dead connection; nothing to keep
                    pass
        self._server = self._pinger = self._listener = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
