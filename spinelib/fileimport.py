"""Importing a reference file: read by the format registry, merged a batch at a time through
the library's bulk path, one item per entry in the import's report, the files the entries
name (a Zotero, JabRef or Mendeley export's PDFs) attached, and the articles put in the
reading lists and tags of the groups and tags the file gives them (:mod:`spinelib.filegroups`).

:func:`import_file` is the file half of :func:`spinelib.importer.run_import`. Promises, as
the importer's: every entry gets one item; batches are committed one by one, so a cancel or a
crash keeps what was stored; a large PubMed XML file is streamed and memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import FormatError, SpineLibError
from spinelib.filegroups import FileGroups
from spinelib.formats.filerecords import FileRecords, open_file_records
from spinelib.import_results import Cancelled, ImportItem, ImportReport, Progress
from spinelib.library import Library
from spinelib.linkedfiles import LinkedFiles
from spinelib.records import ArticleRecord
from spinelib.store.gcpause import gc_paused

if TYPE_CHECKING:  # the helper's module is imported when a file is stored
    from spinelib.bulkvocab import Answers, ReadAhead


def without_name(reason: str, name: str) -> str:
    """A reason as it reads after "NAME: failed (…)": without the file name repeated."""
    for lead in (f"{name}: ", f"{name} "):
        if reason.startswith(lead):
            return reason[len(lead):]
    return reason


#: Records per ``add_records`` call of a file import (one transaction each): a cancel or a
#: crash loses at most this many, and the bulk path needs large batches to be fast.
FILE_BATCH = 1000


def _file_problem(path: Path, exc: BaseException) -> ImportItem:
    """The failed item of a file that could not be read."""
    if isinstance(exc, SpineLibError):
        return ImportItem(path.name, "failed", without_name(str(exc), path.name))
    if isinstance(exc, OSError):
        return ImportItem(path.name, "failed", f"cannot read: {exc.strerror or exc}")
    # Thousands of nested brackets (a JSON recursion bomb) exhaust a parser's stack.
    return ImportItem(path.name, "failed", "nested too deeply to be a reference file")


def import_file(library: Library, path: Path, *, tags: Sequence[str] = (),
                progress: Progress | None = None, cancelled: Cancelled | None = None,
                report: ImportReport) -> None:
    """Read a file with the format registry and merge its records; problems become items.

    Records are stored FILE_BATCH at a time through the bulk path; a large PubMed XML
    file is streamed, so memory stays flat whatever its size."""
    try:
        with gc_paused():  # a whole-file read (.bib, RIS) builds every record at once
            # A large PubMed file's whole-document check runs once its first batch is read
            # (_store_file_records), still before anything is stored.
            source = open_file_records(path, check_later=True)
    except (SpineLibError, OSError, RecursionError) as exc:
        report.items.append(_file_problem(path, exc))
        return
    if not source.total and not source.problems and not source.unchecked:
        # An empty file is one failure (the reader's own words), not a warning and a failure.
        reason = source.warnings[0] if source.warnings else "no entries found in the file"
        report.items.append(ImportItem(path.name, "failed", without_name(reason, path.name)))
        return
    if source.stream is None:
        report.warnings.extend(source.warnings)
        report.items.extend(ImportItem(path.name, "failed", p) for p in source.problems)
    first = len(report.items)
    try:
        _store_file_records(library, path, source, tags=tags, progress=progress,
                            cancelled=cancelled, report=report)
    except _Refused as refused:  # as if refused on opening: one item, the check's words
        report.items.append(_file_problem(path, refused.reason))
        return
    except SpineLibError as exc:  # a streamed file that broke or changed under us mid-way
        report.items.append(ImportItem(path.name, "failed", without_name(str(exc), path.name)))
    finally:
        source.close()  # a check still running in its helper (an import that stopped)
    if source.stream is not None:
        # What the stream found, where a whole read puts it: before the records' items.
        report.warnings.extend(source.stream.warnings)
        report.items[first:first] = [ImportItem(path.name, "failed", p)
                                     for p in source.stream.problems]


class _Refused(Exception):
    """The whole-document check left for later refused the file; nothing was stored."""

    def __init__(self, reason: SpineLibError) -> None:
        super().__init__(str(reason))
        self.reason = reason


def _checked(source: FileRecords) -> None:
    """The whole-document check a large PubMed file left for later (:meth:`FileRecords.check`,
    nothing for other files); :class:`_Refused` when it refuses the file or finds it empty."""
    if not source.unchecked:
        return
    try:
        source.check()
    except SpineLibError as exc:
        raise _Refused(exc) from None
    if not source.total:
        raise _Refused(FormatError("no entries found in the file"))


#: What :func:`_with_answers` gives once the file is read.
_END: tuple[list[ArticleRecord], Answers | None] = ([], None)


def _with_answers(ahead: ReadAhead) -> Iterator[tuple[list[ArticleRecord], Answers | None]]:
    """Each batch with its vocabulary answers (None: found as it is stored), in order. The
    batch after it is read, and handed to the vocabulary helper, before a batch's answers
    are taken, so the helper always has the next batch to work on."""
    chunk, answers = ahead.next()
    while chunk:
        following = ahead.next()
        yield chunk, answers()
        chunk, answers = following


def _stopped(cancelled: Cancelled | None) -> bool:
    return bool(cancelled and cancelled())


def _store_file_records(library: Library, path: Path, source: FileRecords, *,
                        tags: Sequence[str], progress: Progress | None,
                        cancelled: Cancelled | None, report: ImportReport) -> None:
    """Merge the source's records in batches, checking for a cancel between batches.

    A file of more than one batch is read one batch ahead: batch N+1 is parsed, and its
    tag suggestions and facets found in a helper process (:mod:`spinelib.bulkvocab`),
    before batch N is written, so the vocabulary runs beside the parse and the writes."""
    from spinelib.bulkvocab import HelperVocabulary, ReadAhead

    # A file whose check is still to run has no count yet: it is a large one (a PubMed file
    # is streamed from 4 MB), worth a helper wherever one can run.
    expected = FILE_BATCH + 1 if source.unchecked else source.total
    helper = (HelperVocabulary(library.taxonomy)
              if HelperVocabulary.worth_it(expected, FILE_BATCH) else None)
    ahead = ReadAhead(iter(source.records), helper, FILE_BATCH)
    linked, groups = LinkedFiles(library, path), FileGroups(library, path)
    done = 0
    try:
        # Parsing makes millions of small acyclic objects: the cycle collector waits until
        # the file is stored (the bulk path collects what is young after each batch).
        # A large file into a small library: reference identifier indexes built at the end.
        with gc_paused():
            batches = _with_answers(ahead)
            chunk, known = next(batches, _END)
            # The whole file is checked now, with two batches read and the first one's
            # vocabulary found: a large file's check has run in a helper process meanwhile
            # (0.9 s of a 10,000-record file's CPU off this side); a smaller one is checked
            # here while the vocabulary helper works. Still before anything is written.
            _checked(source)
            with library.articles.large_import(source.total) as deferred:
                stop = _stopped(cancelled)
                while chunk and not stop:
                    results = library.articles.add_records(chunk, tags=tags, batch=FILE_BATCH,
                                                           known=known)
                    report.items.extend(ImportItem.from_add(path.name, res) for res in results)
                    linked.attach(chunk, results)
                    groups.note(chunk, results)
                    done += len(chunk)
                    if progress:
                        progress(done, max(source.total, done), path.name)
                    # Asked before reading further: a cancel leaves ``chunk`` the last stored.
                    stop = _stopped(cancelled)
                    if not stop:
                        chunk, known = next(batches, _END)
                if deferred and progress:  # the build as the block ends takes seconds at 100k
                    progress(done, max(source.total, done),
                             f"{path.name} (indexing references)")
    finally:
        if helper is not None:
            helper.close()
    groups.finish(report)
    report.attached += linked.attached
    report.warnings.extend(linked.summary())
    ahead.raise_error()  # the file broke after the batches stored above
    left = max(source.total - done, 0)
    if chunk and left:
        report.items.append(ImportItem(path.name, "cancelled", f"{left} entries not imported"))
