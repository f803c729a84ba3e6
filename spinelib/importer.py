"""The one import pipeline both faces use: identifiers or files in, a per-item report out.

"Identifiers or files in → records → Library merge → a per-item report out" (see
docs/ARCHITECTURE.md). The CLI prints the report; the GUI shows it with progress. Neither
re-implements detection, batching or merging. Promises:
- every input gets exactly one :class:`ImportItem` (files: one per entry, plus one per problem);
- identifiers that can be imported are imported whatever happens to the others;
- an identifier that cannot be fetched because the network failed is queued, never lost;
- work is committed batch by batch, so cancelling (or a crash) keeps what was finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from spinelib.errors import InvalidIdentifier, SpineLibError
from spinelib.fileimport import import_file, without_name
from spinelib.formats.registry import IMPORT_SUFFIXES
from spinelib.identifiers import Identifier, carried
from spinelib.identifiertext import parse_input
from spinelib.import_results import OK_STATUSES as OK_STATUSES  # re-exported, as before
from spinelib.import_results import UNSHOWN as UNSHOWN
from spinelib.import_results import Cancelled as Cancelled
from spinelib.import_results import HeldArticle, chosen_identifiers
from spinelib.import_results import ImportItem as ImportItem
from spinelib.import_results import ImportReport as ImportReport
from spinelib.import_results import ItemStatus as ItemStatus
from spinelib.import_results import Progress as Progress
from spinelib.importlists import add_imported, list_names
from spinelib.library import Library
from spinelib.records import ArticleRecord
from spinelib.safety_results import Notice, NoticeSource
from spinelib.sources.http import HttpClient
from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.sources.resolve import Resolution

#: Identifiers resolved (and then stored) per round: bounds what a cancel or crash can lose.
IDENTIFIER_CHUNK = 200
#: Pending entries that are not identifiers (open-access look-ups of spinelib.pdffind).
OTHER_PENDING = ("pdf:",)


@dataclass(frozen=True)
class PlannedInput:
    """What one input was recognised as, before anything is fetched (the GUI's preview)."""

    given: str
    kind: Literal["identifier", "file", "invalid"]
    identifier: Identifier | None = None
    path: Path | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.identifier is not None:
            return str(self.identifier)
        if self.path is not None:
            return f"file {self.path.name}"
        return self.reason


def plan(inputs: Sequence[str]) -> list[PlannedInput]:
    """Recognise each input as a file or an identifier; nothing is guessed or fetched.

    An input with an import file's suffix (the registry's :data:`IMPORT_SUFFIXES`) that
    names no file, or written as a path (``/``, ``~``, ``./`` or ``../`` first), is
    reported as a missing file rather than read as an identifier (a link or
    ``21333599/`` may end with a slash).
    """
    out: list[PlannedInput] = []
    for given in inputs:
        path = Path(given).expanduser()
        if path.is_file():
            out.append(PlannedInput(given, "file", path=path))
            continue
        if path.suffix.lower() in IMPORT_SUFFIXES and not given.lower().startswith(("10.", "http")):
            out.append(PlannedInput(given, "invalid", reason=f"no such file: {given}"))
            continue
        if given.startswith(("/", "~", "./", "../")):
            # Written as a path: "not a DOI, PMID or PMCID" would hide the typo in it.
            out.append(PlannedInput(given, "invalid", reason=f"no such file or folder: {given}"))
            continue
        try:
            out.append(PlannedInput(given, "identifier", identifier=parse_input(given)))
        except InvalidIdentifier as exc:
            out.append(PlannedInput(given, "invalid", reason=str(exc)))
    return out


#: Resolution status -> item status, for identifiers that came back without a record
#: (anything else, a "found" without a record included, is "failed").
UNRESOLVED_STATUS: dict[str, ItemStatus] = {"offline": "queued", "not_found": "not_found",
                                            "cancelled": "cancelled"}


def _not_started(rest: Sequence[Identifier],
                 given: dict[Identifier, str]) -> dict[Identifier, ImportItem]:
    """Cancelled items for the identifiers a cancel stopped before their round began."""
    return {ident: ImportItem(given.get(ident, str(ident)), "cancelled", "not started")
            for ident in rest}


def _fetch_progress(progress: Progress | None, base: int,
                    total: int) -> Callable[[int, int], None]:
    """resolve_many's progress callback for a round starting after ``base`` identifiers."""
    def chunk_progress(n: int, _of: int) -> None:
        if progress:
            progress(base + n, total, "fetching")

    return chunk_progress


def _unresolved_item(library: Library, res: Resolution, label: str, *,
                     tags: Sequence[str], with_references: bool, held: HeldArticle | None,
                     lists: Sequence[str] = ()) -> ImportItem:
    """The item of an identifier resolved without a record; an offline one is queued,
    unless the library already holds its article (``held``, live: one in the trash is
    queued, as a fetch would restore it): that one is named (and given ``tags``), not
    queued to be fetched again ("pending" is for what the library lacks)."""
    if res.status == "offline":
        if held is not None and not held.trashed:
            if tags:
                library.tags.add([held.article_id], tags)
            library.pending.remove([res.identifier.value])  # queued before it was imported
            return ImportItem(label, "unchanged", "already in the library; not refreshed "
                              "while offline", held.article_id, held.citekey)
        library.pending.queue(res.identifier.value, res.message, tags=tags,
                              with_references=with_references, lists=lists)
    return ImportItem(label, UNRESOLVED_STATUS.get(res.status, "failed"), res.message)


def _sort_resolutions(library: Library, resolutions: Sequence[Resolution],
                      given: dict[Identifier, str], items: dict[Identifier, ImportItem], *,
                      tags: Sequence[str], with_references: bool,
                      lists: Sequence[str] = ()) -> list[tuple[Identifier, ArticleRecord]]:
    """Put the items of unresolved identifiers in ``items``; return the records found. The
    library is asked once which of the offline ones it holds already."""
    offline = [res.identifier for res in resolutions if res.status == "offline"]
    held = library.articles.holding(offline) if offline else {}
    found: list[tuple[Identifier, ArticleRecord]] = []
    for res in resolutions:
        if res.status == "found" and res.record is not None:
            found.append((res.identifier, res.record))
        else:
            label = given.get(res.identifier, str(res.identifier))
            items[res.identifier] = _unresolved_item(library, res, label, tags=tags,
                                                     with_references=with_references,
                                                     held=held.get(res.identifier),
                                                     lists=lists)
    return found


def _store_found(library: Library, found: Sequence[tuple[Identifier, ArticleRecord]],
                 given: dict[Identifier, str], items: dict[Identifier, ImportItem], *,
                 tags: Sequence[str], resolved: Mapping[Identifier, Resolution]) -> None:
    """Merge the found records into the library, record their items, unqueue them, and
    keep what their replies carried besides (issue 17): citation counts, dated, and
    PubMed's retraction / concern notices (which recompute the flags). All of it is one
    transaction, so a failure leaves no article without its counts and flags."""
    if not found:
        return
    done: dict[Identifier, ImportItem] = {}
    with library.one_write():  # the articles with their counts and flags, or nothing
        results = library.articles.add_records([rec for _, rec in found], tags=tags)
        counts: dict[int, Mapping[str, int]] = {}
        notices: dict[int, list[Notice]] = {}
        for (ident, _), result in zip(found, results):
            done[ident] = ImportItem.from_add(given.get(ident, str(ident)), result)
            res = resolved.get(ident)
            if result.article_id and res is not None:
                if res.citation_counts:
                    counts[result.article_id] = res.citation_counts
                if res.notices:
                    notices[result.article_id] = res.notices
        library.retractions.record_counts(counts)
        if notices:
            library.retractions.record_check({NoticeSource.PUBMED: notices})
        library.pending.remove(ident.value for ident, _ in found)
    items.update(done)  # only once it is all stored


def store_resolved(library: Library, resolutions: Sequence[Resolution], *,
                   tags: Sequence[str] = (), with_references: bool = True
                   ) -> list[ImportItem]:
    """Store what a fetch answered, as a round of :func:`import_identifiers` does: one item
    per resolution, in order; a record found is merged in, an identifier the network
    stopped is queued. For a caller that fetches first, off the write lock, and stores
    inside an operation of its own (an identification of a kept PDF: the import and its
    merge one undo step)."""
    items: dict[Identifier, ImportItem] = {}
    found = _sort_resolutions(library, resolutions, {}, items, tags=tags,
                              with_references=with_references)
    _store_found(library, found, {}, items, tags=tags,
                 resolved={r.identifier: r for r in resolutions})
    return [items[r.identifier] for r in resolutions if r.identifier in items]


def import_identifiers(library: Library, identifiers: Sequence[Identifier], *,
                       client: HttpClient, tags: Sequence[str] = (),
                       with_references: bool = True, progress: Progress | None = None,
                       cancelled: Cancelled | None = None,
                       given: dict[Identifier, str] | None = None,
                       lists: Sequence[str] = ()) -> list[ImportItem]:
    """Fetch and store identifiers in rounds of IDENTIFIER_CHUNK; one item per identifier
    (one queued while offline remembers ``tags`` and the reading lists ``lists``).

    While a round is stored (on this thread: every library write stays here), the next one
    is fetched on one background thread, so the network wait of a round hides behind the
    parse and store of the previous one (issue 19). Progress never goes backwards.
    """
    from spinelib.sources.resolve_indirect import resolve_indirect

    given = given or {}
    unique = list(dict.fromkeys(identifiers))
    items: dict[Identifier, ImportItem] = {}
    total = len(unique)
    rounds = [unique[s:s + IDENTIFIER_CHUNK] for s in range(0, total, IDENTIFIER_CHUNK)]
    report = _Forward(progress)

    def fetch(index: int) -> list[Resolution]:
        return resolve_indirect(
            client, rounds[index], with_references=with_references,
            progress=_fetch_progress(report, index * IDENTIFIER_CHUNK, total),
            cancelled=cancelled)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="spinelib-fetch") as ahead:
        upcoming = ahead.submit(fetch, 0) if rounds else None
        for index, chunk in enumerate(rounds):
            if (cancelled and cancelled()) or upcoming is None:
                items.update(_not_started(unique[index * IDENTIFIER_CHUNK:], given))
                break
            resolutions = upcoming.result()
            upcoming = ahead.submit(fetch, index + 1) if index + 1 < len(rounds) else None
            found = _sort_resolutions(library, resolutions, given, items, tags=tags,
                                      with_references=with_references, lists=lists)
            _store_found(library, found, given, items, tags=tags,
                         resolved={r.identifier: r for r in resolutions})
            report(index * IDENTIFIER_CHUNK + len(chunk), total, "stored")
    return [items[i] for i in unique if i in items]


class _Forward:
    """A progress callback that only moves forward (two threads report: fetch and store)."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._done = 0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int, what: str) -> None:
        if self._progress is None:
            return
        with self._lock:
            if done >= self._done:
                self._done = done
                self._progress(done, total, what)


def run_import(library: Library, inputs: Sequence[str], *, client: HttpClient | None,
               tags: Sequence[str] = (), with_references: bool = True,
               progress: Progress | None = None,
               cancelled: Cancelled | None = None, look_alikes: bool = True,
               lists: Sequence[str] = ()) -> ImportReport:
    """Import any mix of identifiers, URLs and files, into the reading lists ``lists``
    (:mod:`spinelib.importlists`). ``tags`` and ``lists`` are checked before any work.
    ``look_alikes=False`` leaves :func:`note_look_alikes` to a caller importing more."""
    tag_ids = [library.tags.resolve(t) for t in tags]
    lists = list_names(library, lists)
    report = ImportReport()
    identifiers: list[Identifier] = []
    given: dict[Identifier, str] = {}
    for p in plan(inputs):
        if p.kind == "invalid":
            report.items.append(ImportItem(p.given, "failed", p.reason))
        elif p.kind == "file" and p.path is not None and Library.is_database(p.path):
            from spinelib.libraryimport import import_library  # another SpineLib library

            import_library(library, p.path, tags=tag_ids, progress=progress,
                           cancelled=cancelled, report=report)
        elif p.kind == "file" and p.path is not None:
            if not _plan_listed(p.path, identifiers, given, report):
                import_file(library, p.path, tags=tag_ids, progress=progress,
                            cancelled=cancelled, report=report)
        elif p.identifier is not None and p.identifier not in given:
            identifiers.append(p.identifier)
            given[p.identifier] = p.given
    report.fetched = len(identifiers)
    if identifiers:
        if client is None:
            raise SpineLibError("no network client to fetch identifiers with")
        report.items.extend(import_identifiers(
            library, identifiers, client=client, tags=tag_ids, with_references=with_references,
            progress=progress, cancelled=cancelled, given=given, lists=lists))
    add_imported(library, report.items, lists, report)
    if look_alikes:
        note_look_alikes(library, report)
    return report


def _plan_listed(path: Path, identifiers: list[Identifier], given: dict[Identifier, str],
                 report: ImportReport) -> bool:
    """Queue the identifiers a file lists (a Word reference list, a .txt of DOIs:
    :mod:`spinelib.identifierfiles`); False when it is a record file for :func:`import_file`.
    A Word file that cannot be read is one failed item (True: nothing more to do)."""
    from spinelib.identifierfiles import listed_identifiers

    try:
        listed = listed_identifiers(path)
    except SpineLibError as exc:
        report.items.append(ImportItem(path.name, "failed", without_name(str(exc), path.name)))
        return True
    if listed is None:
        return False
    if not listed.found:  # a Word file naming none (a text file would be None)
        report.items.append(ImportItem(path.name, "failed", (
            "no DOI, PMID, PMCID or article link in it (a Word file is read for the "
            "identifiers of a reference list)")))
        return True
    for found in listed.found:
        ident = found.identifier
        if ident is not None and ident not in given:
            identifiers.append(ident)
            given[ident] = f"{path.name}: {found.text}"
    if listed.skipped:
        first = listed.skipped[0]
        first = first if len(first) <= 60 else first[:59] + "…"
        report.warnings.append(
            f"{path.name}: {plural(len(listed.skipped), 'line')} without a DOI, PMID, PMCID "
            f"or article link skipped (the first: \"{first}\")")
    return True


def note_look_alikes(library: Library, report: ImportReport) -> None:
    """Fill ``report.look_alikes``: the articles it imported that look like others in the
    library. Set, not added to, so calling it again after more items is harmless."""
    imported = [i.article_id for i in report.items if i.status == "imported" and i.article_id]
    report.look_alikes = library.duplicates.look_alikes(imported)


def retry_pending(library: Library, client: HttpClient, *, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> ImportReport:
    """Retry every queued identifier with the tags and options it was queued with."""
    report = ImportReport()
    groups: dict[tuple[tuple[str, ...], bool, tuple[str, ...]], list[Identifier]] = {}
    for entry in library.pending.all():
        if entry.identifier.startswith(OTHER_PENDING):
            continue  # an open-access look-up: spinelib.pdffind retries it
        try:
            ident = parse_input(entry.identifier)
        except InvalidIdentifier as exc:
            report.items.append(ImportItem(entry.identifier, "failed", str(exc)))
            library.pending.remove([entry.identifier])
            continue
        groups.setdefault((tuple(entry.tags), entry.with_references, tuple(entry.lists)),
                          []).append(ident)
    for (tags, with_refs, lists), idents in groups.items():
        done = import_identifiers(library, idents, client=client, tags=tags,
                                  with_references=with_refs, progress=progress,
                                  cancelled=cancelled, lists=lists)
        report.items.extend(done)
        add_imported(library, done, lists, report)
        for item, ident in zip(done, idents):
            if item.status == "not_found":
                library.pending.remove([ident.value])
    note_look_alikes(library, report)
    return report


def reference_identifiers(library: Library, article_id: int,
                          positions: Sequence[int] | None) -> tuple[list[Identifier],
                                                                    list[ImportItem]]:
    """Identifiers for the chosen references (all when ``positions`` is None), and an item
    for each chosen reference that cannot be imported (no identifier, or no such position)."""
    refs = {r.position: r for r in library.articles.references(article_id)}
    return chosen_identifiers(
        sorted(refs) if positions is None else list(positions), refs, "reference",
        lambda ref: next(iter(carried(ref.pmid, ref.doi, ref.pmcid)), None),
        lambda ref: f"no DOI or PMID to fetch it by: {ref.citation[:60]}",
        f"the reference list has {len(refs)} entries")

