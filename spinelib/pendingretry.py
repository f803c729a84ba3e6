"""Everything queued while offline, asked again in one go: the identifiers to fetch
(:func:`spinelib.importer.retry_pending`), then the first-page searches of PDFs kept
unidentified (:func:`spinelib.pdfidentify.retry_pending`: after the fetches, so a paper
fetched now is found in the library, with no search), then the open-access look-ups
(:func:`spinelib.pdffind.retry_pending`).

Why one function: ``spinelib pending --retry`` and the window's *Retry pending imports*
both clear the same queue (the window's count of pending items counts all three kinds); the
window retried the identifiers alone, so an open-access look-up queued offline stayed
pending however often the surgeon pressed Retry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spinelib.importer import Cancelled, ImportReport, Progress
from spinelib.importer import retry_pending as retry_identifiers
from spinelib.library import Library
from spinelib.pdffind import FindOutcome
from spinelib.pdffind import retry_pending as retry_open_access
from spinelib.pdfidentify import Identified
from spinelib.pdfidentify import retry_pending as retry_first_pages
from spinelib.sources.http import HttpClient


@dataclass
class PendingRetry:
    """What a retry of the queue did: the fetches' report, the first-page searches, the
    open-access look-ups."""

    report: ImportReport
    identified: list[Identified] = field(default_factory=list)
    found: list[FindOutcome] = field(default_factory=list)

    @property
    def still_pending(self) -> bool:
        """Whether any search or look-up could not be made again (the network, still)."""
        return any(o.status == "offline" for o in self.identified) or any(
            o.status == "queued" for o in self.found)


def retry_pending(library: Library, client: HttpClient, *, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> PendingRetry:
    """Ask again for everything queued (see the module docstring); a cancel stops before
    the next kind."""
    stop: Cancelled = cancelled or (lambda: False)
    out = PendingRetry(retry_identifiers(library, client, progress=progress,
                                         cancelled=cancelled))
    if not stop():
        out.identified = retry_first_pages(library, client, cancelled=stop)
    if not stop():
        out.found = retry_open_access(library, client)
    return out
