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
from spinelib.text import plural


def check_job(library: Library, settings: Settings) -> CheckReport:
    """Download (conditionally) and load the data set, then check online; no Qt."""
    client = HttpClient(settings)
    try:
        return update(library, client)
    finally:
        client.close()


def report_text(report: CheckReport) -> str:
    """What the check found, for people: the new flags first, by key; then what could be
    checked, so that "nothing new" is never said of a check that reached no source."""
    lines: list[str] = []
    if report.new_keys:
        lines.append(f"{plural(len(report.new_keys), 'article')} newly flagged as retracted "
                     "or under an expression of concern:")
        lines += [f"  • {key}" for key in report.new_keys]
    if report.reached_nothing:
        lines.append("Not checked online: no source could be reached (see the notes "
                     "below).")
        if not report.new_keys:
            lines.append("Checked again only against the Retraction Watch data stored "
                         f"earlier ({plural(report.stored_rows, 'entry', 'entries')}): "
                         "nothing new." if report.stored_rows else
                         "No Retraction Watch data is stored yet, so nothing was checked.")
    elif not report.new_keys:
        lines.append("No new retractions or expressions of concern in what could be "
                     "checked (see the notes below)." if report.warnings else
                     "No new retractions or expressions of concern.")
    checked = _checked(report)
    if checked:
        lines.append("Checked: " + "; ".join(checked) + ".")
    lines.append(f"{plural(report.flagged, 'article')} flagged in all.")
    lines += [f"Note: {w}" for w in report.warnings]
    return "\n".join(lines)


def _checked(report: CheckReport) -> list[str]:
    """What this check did reach, in words."""
    done: list[str] = []
    if report.loaded is not None:
        rows = plural(report.loaded, "Retraction Watch entry", "Retraction Watch entries")
        done.append(f"{rows} loaded")
    elif report.not_modified:
        done.append("the Retraction Watch data, unchanged since the last download")
    if report.crossref_checked:
        done.append(f"{plural(report.crossref_checked, 'DOI')} with Crossref")
    if report.pubmed_checked:
        done.append(f"{plural(report.pubmed_checked, 'PMID')} with PubMed")
    return done


def start_check(window: Any) -> None:
    """Run the check for ``window``'s library; show the outcome when it ends."""
    window.status.show_message("Checking retractions…")

    def done(report: CheckReport) -> None:
        window.queries.refresh_all()
        window.detail.reload()
        box = QMessageBox.warning if report.new_keys or report.warnings \
            else QMessageBox.information
        box(window, "Retraction check", report_text(report))

    window.runner.start(check_job, window.library, window.settings, pool="net",
                        on_done=done, on_error=lambda message: window.status.show_message(
                            f"Retraction check failed: {message}"))
