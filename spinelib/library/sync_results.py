"""The typed values the sync room hands the faces: status, conflicts, history, a round's report.

Kept apart from :mod:`spinelib.library.sync` so the faces (and the GUI's status part) can name
them without the room's machinery, and so the room stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    last_sync: str | None
    outbox: int
    conflicts: int
    server_seq: int
    library_uuid: str
    #: Why sync stopped (server replaced or restored from an older backup), else None.
    #: ``online`` says only whether the server answers, blocked or not.
    blocked: str | None = None


@dataclass(frozen=True)
class Conflict:
    id: int
    article: str
    field: str
    mine: Any
    theirs: Any
    when: str


@dataclass(frozen=True)
class HistoryEntry:
    when: str
    who: str
    what: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    new_conflicts: int
    waiting: int
