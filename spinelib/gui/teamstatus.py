"""The status bar's team part: online or offline, the last sync and the changes waiting.

What it says is decided by :func:`team_status_text` (plain, tested without a window); the
part itself is a flat button that opens the Conflicts view when clicked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QToolButton, QWidget

from spinelib.library.sync_results import SyncStatus
from spinelib.text import local_moment


@dataclass(frozen=True)
class TeamText:
    """The team part's text and tooltip."""

    text: str
    tip: str


def sync_time(when: str | None, now: datetime | None = None) -> str:
    """A stored UTC time ('2026-12-01T10:42:05Z') as local 'HH:MM' today, else a date."""
    if not when:
        return "never"
    moment = local_moment(when)
    if moment is None:
        return when
    today = (now or datetime.now().astimezone()).date()
    return moment.strftime("%H:%M" if moment.date() == today else "%Y-%m-%d %H:%M")


def team_status_text(status: SyncStatus | None, now: datetime | None = None) -> TeamText:
    """'● Team online · synced 10:42 · 3 changes waiting · 1 conflict' and its tooltip;
    '⚠ Sync stopped' when the server was replaced or restored (the reason in the tooltip)."""
    if status is None:
        return TeamText("Team: connecting…", "Looking for the team library's server.")
    if status.blocked:
        state = "⚠ Sync stopped"
    else:
        state = "● Team online" if status.online else "○ Team offline"
    parts = [state, f"synced {sync_time(status.last_sync, now)}"]
    if status.outbox:
        parts.append(f"{status.outbox:,} change{'s' if status.outbox != 1 else ''} waiting")
    if status.conflicts:
        parts.append(f"{status.conflicts:,} conflict{'s' if status.conflicts != 1 else ''}")
    if status.blocked:
        tip = status.blocked
    elif status.online:
        tip = "Connected to the team library: your edits are sent at once and your " \
              "colleagues' appear as they make them."
    else:
        tip = "The team library's server cannot be reached: you work on your own copy, " \
              "and waiting changes are sent when it answers again."
    if status.conflicts:
        tip += "\nClick to see the conflicts (values the server kept over yours)."
    return TeamText(" · ".join(parts), tip)


class TeamStatusPart(QToolButton):
    """The permanent status-bar button of a team library's window."""

    #: The user clicked it (show the Conflicts view).
    conflicts_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setObjectName("teamStatus")
        self.status: SyncStatus | None = None
        self.clicked.connect(lambda _checked=False: self.conflicts_requested.emit())
        self.show_status(None)

    def show_status(self, status: SyncStatus | None) -> None:
        self.status = status
        shown = team_status_text(status)
        self.setText(shown.text)
        self.setToolTip(shown.tip)


__all__ = ["TeamStatusPart", "TeamText", "sync_time", "team_status_text"]
