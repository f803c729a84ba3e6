"""The inbox's work for the GUI's workers: plain functions over the Library, no Qt.

Each builds its own HTTP client from the window's settings (a client is meant for one
thread), so running watches or accepting papers never touches the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from spinelib.library import Library
from spinelib.safety_results import InboxEntry
from spinelib.settings import Settings
from spinelib.sources.http import HttpClient
from spinelib.watch_run import WatchRun, accept, run_watches, utc_today

#: An automatic run is due when no watch succeeded for this long.
WEEKLY = timedelta(days=7)


@dataclass(frozen=True)
class InboxState:
    """What the Inbox view shows: the papers waiting and the watches behind them."""

    items: list[InboxEntry]
    watches: int
    queued: int


def load_inbox(library: Library) -> InboxState:
    watches = library.watches.all()
    return InboxState(library.inbox.items(), len(watches), sum(w.queued for w in watches))


def run_all_watches(library: Library, settings: Settings) -> list[WatchRun]:
    client = HttpClient(settings)
    try:
        return run_watches(library, client)
    finally:
        client.close()


def accept_items(library: Library, settings: Settings, idents: Sequence[str]) -> list[str]:
    """Import the chosen inbox papers (by PMID); one report line each."""
    client = HttpClient(settings)
    try:
        return accept(library, client, library.inbox.resolve(idents))
    finally:
        client.close()


def dismiss_items(library: Library, idents: Sequence[str]) -> int:
    items = library.inbox.resolve(idents)
    library.inbox.dismiss(items)
    return len(items)


def weekly_run_due(library: Library, today: date | None = None) -> bool:
    """Whether the automatic weekly run should start: some watch has not succeeded for a
    week (or never ran), or a run was queued while offline."""
    day = today or utc_today()
    for w in library.watches.all():
        if w.queued or not w.last_success:
            return True
        if day - date.fromisoformat(w.last_success[:10]) >= WEEKLY:
            return True
    return False


def run_if_due(library: Library, settings: Settings) -> list[WatchRun] | None:
    """The start-up run: every watch, only when :func:`weekly_run_due` (else None, and no
    request is made). Offline, each watch is marked queued and runs next time."""
    if not weekly_run_due(library):
        return None
    return run_all_watches(library, settings)
