"""Running literature watches: ask PubMed what entered it since each watch's last good
run, and put the new papers in the inbox (never straight into the library).

The window is ``mindate`` = last successful run minus :data:`MARGIN_DAYS` (PubMed's entry
dates can lag the day a record becomes searchable) and ``maxdate`` = today, with
``datetype=edat``; never ``reldate``, so a laptop offline for three weeks asks for the
whole three weeks. A first run looks back ``settings.watch_first_days``. One esearch per
watch returns every PMID in the window; only PMIDs not already in the inbox or the library
are fetched, 200 per efetch (500 new papers: 1 + 3 requests). Offline, the run is marked
queued and the window does not move.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from spinelib.errors import NetworkError, SpineLibError
from spinelib.library import Library
from spinelib.safety_results import InboxEntry, Watch
from spinelib.sources.http import HttpClient
from spinelib.sources.safety import fetch_records, search_window

#: Days subtracted from the last successful run's date when starting the next window.
MARGIN_DAYS = 2
Today = Callable[[], date]


def utc_today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class WatchRun:
    """What one watch's run did: new papers in the inbox, or the error (``queued`` when
    offline)."""

    watch: str
    mindate: str
    maxdate: str
    found: int = 0
    added: int = 0
    error: str = ""
    queued: bool = False


def window(watch: Watch, today: date, first_days: int) -> tuple[str, str]:
    """(mindate, maxdate) as PubMed's ``YYYY/MM/DD`` for this watch's next run."""
    if watch.last_success:
        start = date.fromisoformat(watch.last_success[:10]) - timedelta(days=MARGIN_DAYS)
    else:
        start = today - timedelta(days=first_days)
    return start.strftime("%Y/%m/%d"), today.strftime("%Y/%m/%d")


def run_watches(lib: Library, client: HttpClient, names: Sequence[str] = (), *,
                today: Today = utc_today) -> list[WatchRun]:
    """Run the named watches (all when none), each on its own: one failing does not stop
    the others, and only a success moves a watch's window."""
    watches = [lib.watches.get(n) for n in names] if names else lib.watches.all()
    day = today()
    out: list[WatchRun] = []
    for watch in watches:
        mindate, maxdate = window(watch, day, client.settings.watch_first_days)
        try:
            pmids = search_window(client, watch.query, mindate, maxdate)
            fresh = lib.watches.unknown_pmids(pmids)
            records = fetch_records(client, fresh) if fresh else []
        except NetworkError as exc:
            lib.watches.record_failure(watch, str(exc), queued=True)
            out.append(WatchRun(watch.name, mindate, maxdate, error=str(exc), queued=True))
            continue
        except SpineLibError as exc:
            lib.watches.record_failure(watch, str(exc), queued=False)
            out.append(WatchRun(watch.name, mindate, maxdate, error=str(exc)))
            continue
        added = lib.watches.record_run(watch, records, day.isoformat())
        out.append(WatchRun(watch.name, mindate, maxdate, found=len(pmids), added=added))
    return out


def accept(lib: Library, client: HttpClient, items: Sequence[InboxEntry]) -> list[str]:
    """Import inbox items with their references and their watch's tag; items that
    imported are marked accepted. Returns one report line per item."""
    from spinelib.identifiers import parse_identifier
    from spinelib.importer import import_identifiers

    lines: list[str] = []
    done: list[InboxEntry] = []
    for item in items:
        tag = lib.inbox.tag_for(item)
        if tag:
            try:
                tag = lib.tags.resolve(tag)
            except SpineLibError:  # deleted since the watch was made: import it all the same
                lines.append(f"{item.pmid}: the watch's tag {tag!r} no longer exists; "
                             "imported without it")
                tag = ""
        result = import_identifiers(lib, [parse_identifier(item.pmid)], client=client,
                                    tags=[tag] if tag else [], with_references=True)
        for line in result:
            lines.append(line.line())
            if line.ok:
                done.append(item)
    lib.inbox.mark_accepted(done)
    return lines
