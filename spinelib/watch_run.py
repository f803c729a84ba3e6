"""Running literature watches: ask PubMed what entered it since each watch's last good
run, and put the new papers in the inbox (never straight into the library).

The window is ``mindate`` = last successful run minus :data:`MARGIN_DAYS` (PubMed's entry
dates can lag the day a record becomes searchable) and ``maxdate`` = today, with
``datetype=edat``; never ``reldate``, so a laptop offline for three weeks asks for the
whole three weeks. A first run looks back ``settings.watch_first_days``. One esearch per
watch returns every PMID in the window; only PMIDs not already in the inbox or the library
are fetched, 200 per efetch (500 new papers: 1 + 3 requests). Offline, the run is marked
queued and the window does not move. A service one watch found unreachable is not asked
again by the rest of the run (:mod:`spinelib.unreachable`: each ask would wait out the
retries): the watches after it that need it are queued with its reason.

A citation watch (the articles citing a key paper: PubMed has no search for them) asks
Europe PMC's citations list instead, which comes whole at every run and dated by year only:
its first run remembers every work listed then and puts none in the inbox (what cited the
paper before the watch existed is "Find citing articles online"); each later run brings the
works listed since, those with a PMID fetched from PubMed like a query watch's. A paper
cited more than 10,000 times is watched over the first 10,000 Europe PMC lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from spinelib.errors import NetworkError, SpineLibError
from spinelib.library import Library
from spinelib.safety_results import InboxEntry, Watch
from spinelib.sources.europepmc_citing import EuropePmcId, fetch_citing
from spinelib.sources.http import HttpClient
from spinelib.sources.lookups import EUROPEPMC, PUBMED
from spinelib.sources.safety import fetch_records, search_window
from spinelib.unreachable import Unreachable

#: Days subtracted from the last successful run's date when starting the next window.
MARGIN_DAYS = 2
#: What a later watch's reason adds to the one the first watch met.
NOT_ASKED_AGAIN = " (not asked again: an earlier watch of this run found it so)"
Today = Callable[[], date]


def utc_today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class WatchRun:
    """What one watch's run did: new papers in the inbox, or the error (``queued`` when
    offline). A citation watch's run has no dates: ``found`` is how many cite the paper,
    ``new`` how many were listed since the last run."""

    watch: str
    mindate: str
    maxdate: str
    found: int = 0
    added: int = 0
    error: str = ""
    queued: bool = False
    citing: bool = False
    #: A citation watch's first run: the works listed were remembered, none brought.
    first: bool = False
    new: int = 0
    #: New citing works without a PMID (preprints, other sources): not for the inbox.
    without_pmid: int = 0

    def line(self) -> str:
        """The run in one line, as ``watch run`` prints it and the Inbox shows it."""
        if self.error:
            return f"{self.watch}: {'queued, offline' if self.queued else 'failed'}: " \
                   f"{self.error}"
        if not self.citing:
            return (f"{self.watch}: {self.found} found {self.mindate}–{self.maxdate}, "
                    f"{self.added} new in the inbox")
        cite = (f"{self.found:,} articles cite it" if self.found != 1
                else "1 article cites it")
        if self.first:
            return (f"{self.watch}: {cite} now (remembered: the articles citing it from "
                    "now on will come to the inbox)")
        line = f"{self.watch}: {cite}, {self.new} new since the last run, " \
               f"{self.added} new in the inbox"
        if self.without_pmid:
            line += (f" ({self.without_pmid} without a PMID: Find citing articles online "
                     "lists them)")
        return line


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
    down = Unreachable(NOT_ASKED_AGAIN)
    out: list[WatchRun] = []
    for watch in watches:
        mindate, maxdate = ("", "") if watch.cites else window(
            watch, day, client.settings.watch_first_days)
        try:
            if watch.cites:
                out.append(_run_citing(lib, client, watch, day, down))
                continue
            pmids = down.ask(PUBMED, search_window, client, watch.query, mindate, maxdate)
            fresh = lib.watches.unknown_pmids(pmids)
            records = down.ask(PUBMED, fetch_records, client, fresh) if fresh else []
        except NetworkError as exc:
            lib.watches.record_failure(watch, str(exc), queued=True)
            out.append(WatchRun(watch.name, mindate, maxdate, error=str(exc), queued=True,
                                citing=bool(watch.cites)))
            continue
        except SpineLibError as exc:
            lib.watches.record_failure(watch, str(exc), queued=False)
            out.append(WatchRun(watch.name, mindate, maxdate, error=str(exc),
                                citing=bool(watch.cites)))
            continue
        added = lib.watches.record_run(watch, records, day.isoformat())
        out.append(WatchRun(watch.name, mindate, maxdate, found=len(pmids), added=added))
    return out


def _run_citing(lib: Library, client: HttpClient, watch: Watch, day: date,
                down: Unreachable) -> WatchRun:
    """One citation watch's run (errors raised, for :func:`run_watches` to record). Nothing
    is remembered unless the whole run succeeds, so a failed fetch is asked again."""
    listed = {w.key: w for w in down.ask(EUROPEPMC, fetch_citing, client,
                                         EuropePmcId.from_key(watch.cites)).works}
    seen = lib.watches.seen(watch)
    first = not seen and watch.last_success is None
    new = [] if first else [w for key, w in listed.items() if key not in seen]
    fresh = lib.watches.unknown_pmids([w.pmid for w in new if w.pmid])
    records = down.ask(PUBMED, fetch_records, client, fresh) if fresh else []
    added = lib.watches.record_citing_run(watch, records, list(listed), day.isoformat())
    return WatchRun(watch.name, "", "", found=len(listed), added=added, citing=True,
                    first=first, new=len(new),
                    without_pmid=sum(1 for w in new if not w.pmid))


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
