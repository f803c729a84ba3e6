"""``retractions update``: load the Retraction Watch data set, then re-check the library
online against Crossref's ``updated-by`` and PubMed's notices; one report out.

The steps, and what each promises:

1. The data set comes from a file the user has (``from_file``) or from
   ``settings.retractionwatch_url`` by a conditional download (ETag / Last-Modified kept
   from the last load, so an unchanged file costs one small request). It is streamed from
   disk into the table in one transaction; a file that is not the Retraction Watch layout
   is refused before anything changes; malformed rows are skipped and reported by line.
2. Unless ``offline``: DOIs go to Crossref many per request, PMIDs to PubMed 200 per
   request. Each source's findings are stored in one transaction with the flags recomputed;
   a source that cannot be reached is reported as a warning and leaves what it said before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from spinelib.errors import FormatError, NetworkError, SpineLibError
from spinelib.formats.retraction_watch import read_rows
from spinelib.library import Library
from spinelib.safety_results import CheckReport, Notice, NoticeSource, RetractionWatchRow
from spinelib.sources.http import HttpClient
from spinelib.sources.safety import crossref_statuses, download_retraction_watch, pubmed_notices

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


def load_file(lib: Library, path: Path, report: CheckReport, *, etag: str = "",
              last_modified: str = "", origin: str = "") -> list[int]:
    """Load the data set at ``path`` into the library (see step 1); returns the article ids
    newly flagged. FormatError for a file that is not the data set."""
    try:
        fh = open(path, encoding="utf-8-sig", errors="replace", newline="")  # noqa: SIM115
    except OSError as exc:
        raise SpineLibError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        rows = read_rows(fh, report.skipped)
        try:
            first = next(rows)  # reads and checks the header before the table is touched
        except StopIteration:
            first = None

        def all_rows() -> Iterator[RetractionWatchRow]:
            if first is not None:
                yield first
            yield from rows

        if first is None:  # never replace a loaded table by nothing
            bad = f" ({len(report.skipped)} malformed)" if report.skipped else ""
            raise FormatError(f"{path} holds the Retraction Watch header but no readable "
                              f"rows{bad}; the data loaded before is kept")
        loaded, new = lib.retractions.load(all_rows(), etag=etag, last_modified=last_modified,
                                           origin=origin or str(path))
    report.loaded = loaded
    return new


def update(lib: Library, client: HttpClient | None, *, from_file: Path | None = None,
           offline: bool = False, progress: Progress | None = None) -> CheckReport:
    """Run ``retractions update`` (see the module docstring); ``client`` may be None only
    when ``offline`` and ``from_file`` are both given."""
    report = CheckReport()
    new: set[int] = set()
    say = progress or (lambda _text: None)
    if from_file is not None:
        say(f"loading {from_file}")
        new.update(load_file(lib, from_file, report))
    elif not offline:
        assert client is not None
        new.update(_download_and_load(lib, client, report, say))
    else:
        new.update(lib.retractions.recompute())
    if not offline:
        assert client is not None
        new.update(_check_online(lib, client, report, say))
    flagged = lib.retractions.flagged()
    report.flagged = len(flagged)
    report.stored_rows = lib.retractions.row_count()
    # "new" is what this whole update found, across its steps.
    report.new_keys = sorted(a.citekey for a in flagged if a.article_id in new)
    return report


def _download_and_load(lib: Library, client: HttpClient, report: CheckReport,
                       say: Progress) -> set[int]:
    state = lib.retractions.source_state()
    url = client.settings.retractionwatch_url
    say("downloading the Retraction Watch data set")
    try:
        got = download_retraction_watch(client, url, lib.path.parent,
                                        etag=state.get("etag", ""),
                                        last_modified=state.get("last_modified", ""))
    except NetworkError as exc:
        report.warnings.append(f"Retraction Watch data not updated: {exc}")
        return set(lib.retractions.recompute())
    if got.path is None:
        report.not_modified = True
        return set(lib.retractions.recompute())
    try:
        return set(load_file(lib, got.path, report, etag=got.etag,
                             last_modified=got.last_modified, origin=url))
    finally:
        got.path.unlink(missing_ok=True)


def _check_online(lib: Library, client: HttpClient, report: CheckReport,
                  say: Progress) -> set[int]:
    ids = lib.retractions.identifiers()
    new: set[int] = set()
    by_doi = {doi: aid for aid, doi, _ in ids if doi}
    if by_doi:
        say(f"asking Crossref about {len(by_doi)} DOIs")
        try:
            statuses = crossref_statuses(client, list(by_doi))
        except SpineLibError as exc:
            report.warnings.append(f"Crossref check not done: {exc}")
        else:
            found: dict[int, list[Notice]] = {by_doi[d]: s.notices for d, s in statuses.items()}
            counts = {by_doi[d]: s.cited_by for d, s in statuses.items()
                      if s.cited_by is not None}
            new.update(lib.retractions.record_check({NoticeSource.CROSSREF: found},
                                                    {"crossref": counts}, carry_new=True))
            report.crossref_checked = len(found)
    by_pmid = {pmid: aid for aid, _, pmid in ids if pmid}
    if by_pmid:
        say(f"asking PubMed about {len(by_pmid)} PMIDs")
        try:
            notices = pubmed_notices(client, list(by_pmid))
        except SpineLibError as exc:
            report.warnings.append(f"PubMed check not done: {exc}")
        else:
            found = {by_pmid[p]: n for p, n in notices.items() if p in by_pmid}
            new.update(lib.retractions.record_check({NoticeSource.PUBMED: found},
                                                    carry_new=True))
            report.pubmed_checked = len(found)
    return new
