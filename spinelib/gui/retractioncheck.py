"""Tools ▸ Check retractions: ``retractions update`` from the desktop, on the net worker,
ending in a banner-style message that lists what was newly flagged (issue 17)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from spinelib.library import Library
from spinelib.retraction_update import update
from spinelib.safety_results import CheckReport
from spinelib.settings import Settings
from spinelib.sources.http import HttpClient


def check_job(library: Library, settings: Settings) -> CheckReport:
    """Download (conditionally) and load the data set, then check online; no Qt."""
    client = HttpClient(settings)
    try:
        return update(library, client)
    finally:
        client.close()


def report_text(report: CheckReport) -> str:
    """What the check found, for people: the new flags first, by key."""
    lines: list[str] = []
    if report.new_keys:
        lines.append(f"{len(report.new_keys)} article(s) newly flagged as retracted or under "
                     "an expression of concern:")
        lines += [f"  • {key}" for key in report.new_keys]
    else:
        lines.append("No new retractions or expressions of concern.")
    lines.append(f"{report.flagged} article(s) flagged in all.")
    lines += [f"Note: {w}" for w in report.warnings]
    return "\n".join(lines)


def start_check(window: Any) -> None:
    """Run the check for ``window``'s library; show the outcome when it ends."""
    window.status.show_message("Checking retractions…")

    def done(report: CheckReport) -> None:
        window.queries.refresh_all()
        window.detail.reload()
        box = QMessageBox.warning if report.new_keys else QMessageBox.information
        box(window, "Retraction check", report_text(report))

    window.runner.start(check_job, window.library, window.settings, pool="net",
                        on_done=done, on_error=lambda message: window.status.show_message(
                            f"Retraction check failed: {message}"))
