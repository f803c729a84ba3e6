"""Live sync of a team replica on one background thread: push what waits, pull what colleagues
changed the moment the server announces it (docs/ARCHITECTURE.md, "Team libraries").

The GUI runs one :class:`LiveSync` per team window; it never touches Qt: its callbacks run on
its own thread and the GUI turns them into queued signals, so the GUI thread never waits for
the server.

Promises:
- Local edits (already in the outbox, written with the edit) are pushed within about
  ``idle`` seconds while the server answers; a colleague's change is pulled as soon as its
  NOTIFY arrives (NOTIFY is only a wake-up: :meth:`SyncManager.wait_for_change` reads
  ``change_log``).
- ``online`` in the reported status is True only while the server answers; a blocked library
  (server replaced or restored) is online with ``blocked`` set, and nothing is pushed.
- Offline, rounds are retried after a back-off that doubles up to 30 s; :meth:`sync_now`
  cuts the wait short. Nothing local is lost: the outbox stays until the server holds it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from spinelib.library.sync import SyncBlocked, SyncManager, SyncOffline
from spinelib.library.sync_results import SyncStatus

log = logging.getLogger(__name__)

#: Longest wait between retries while the server cannot be reached (seconds).
MAX_BACKOFF = 30.0
#: While blocked, how often to look again (the user may re-attach from the CLI meanwhile).
BLOCKED_RECHECK = 10.0


@dataclass(frozen=True)
class Round:
    """What one round learnt: whether the server answered, whether the replica changed (a
    pull applied something, or a push brought conflicts back), and what went wrong."""

    online: bool
    changed: bool
    problem: str | None = None


class LiveSync:
    """Keeps ``sync``'s replica in step with its server until :meth:`stop`."""

    def __init__(self, sync: SyncManager, *, on_status: Callable[[SyncStatus], None],
                 on_changed: Callable[[], None], idle: float = 0.5) -> None:
        """``on_status`` gets the replica's status after every round in which it moved;
        ``on_changed`` is called when the replica's articles changed from outside (both on
        this object's thread). ``idle`` is how long one round waits for a NOTIFY."""
        self.sync = sync
        self.on_status, self.on_changed, self.idle = on_status, on_changed, idle
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._backoff = 1.0
        self.last_problem: str | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name="spinelib-livesync")
            self._thread.start()

    def sync_now(self) -> None:
        """Push and pull at once (cuts an offline back-off short)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop after the current round (at most a heartbeat's timeout); True when stopped."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # ---- the loop, on its own thread
    def _run(self) -> None:
        last: SyncStatus | None = None
        while not self._stop.is_set():
            result = self.round()
            if self._stop.is_set():
                break
            try:
                status = self.sync.local_status(result.online)
            except Exception:  # the library is closing under us; nothing left to report
                log.exception("live sync: cannot read the replica's status")
                break
            if status != last:
                last = status
                self.on_status(status)
            if result.changed:
                self.on_changed()
            self._pause(result, status)

    def _pause(self, result: Round, status: SyncStatus) -> None:
        if status.blocked:
            self._wake.wait(BLOCKED_RECHECK)
        elif not result.online:
            self._wake.wait(self._backoff)
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)
        else:
            self._backoff = 1.0
        self._wake.clear()

    def round(self) -> Round:
        """One push-then-listen round (public for tests: it runs on the caller's thread)."""
        try:
            changed = False
            if self._wake.is_set() and not self._stop.is_set():
                # "Sync now": do not wait for a NOTIFY. Anything that moved the replica on
                # counts, not only articles: a colleague's new empty list or tag, a merge.
                before = self.sync.seen()
                changed = self.sync.pull() > 0 or self.sync.seen() != before
            if self.sync.waiting():
                changed = self.sync.push()[1] > 0 or changed
            changed = self.sync.wait_for_change(self.idle) or changed
            if not self.sync.following:  # the listener is still in its back-off
                return self._problem(False, changed, "the server cannot be reached")
            return self._problem(True, changed, None)
        except SyncOffline as exc:
            return self._problem(False, False, str(exc))
        except SyncBlocked as exc:
            return self._problem(True, False, str(exc))
        except Exception as exc:  # a bug must not kill live sync silently
            log.exception("live sync round failed")
            return self._problem(False, False, f"sync failed: {exc}")

    def _problem(self, online: bool, changed: bool, problem: str | None) -> Round:
        self.last_problem = problem
        return Round(online, changed, problem)


__all__ = ["BLOCKED_RECHECK", "MAX_BACKOFF", "LiveSync", "Round"]
