"""A file's records for an import: read whole by the registry, or streamed when it is a large
PubMed XML file (:mod:`spinelib.formats.pubmed_stream`) or a large .bib file
(:mod:`spinelib.formats.bibtex.stream`), so memory stays flat and the first batches are stored
while the rest is parsed (issue 19)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.formats.background_check import BackgroundCheck
from spinelib.formats.pubmed_stream import PubmedStream, open_stream
from spinelib.records import ArticleRecord

if TYPE_CHECKING:  # the BibTeX reader imports bibtexparser: only when a .bib is read
    from spinelib.formats.bibtex.stream import BibStream


@dataclass
class FileRecords:
    """A file's records with what reading it reported.

    ``total`` is the number of entries; for a stream (``stream`` set) ``records`` is read as
    it is consumed, and the stream's own ``problems`` and ``warnings`` fill meanwhile (read
    them there once the records are consumed)."""

    total: int
    records: Iterable[ArticleRecord]
    problems: list[str]
    warnings: list[str]
    stream: PubmedStream | BibStream | None = None
    #: The check left for later, running in a helper process (:mod:`.background_check`).
    background: BackgroundCheck | None = None

    @property
    def unchecked(self) -> bool:
        """A large PubMed file opened with ``check_later`` whose check has not run yet
        (``total`` is 0 until :meth:`check`)."""
        return isinstance(self.stream, PubmedStream) and not self.stream.checked

    def check(self) -> None:
        """Run the whole-document check left for later (:meth:`PubmedStream.check`) and take
        its count as ``total``; FormatError when it refuses the file. Nothing otherwise.
        A check begun in a helper on opening is waited for (and made here if it failed)."""
        if self.unchecked:
            assert isinstance(self.stream, PubmedStream)
            background, self.background = self.background, None
            self.stream.check(background.result() if background is not None else None)
            self.total = self.stream.total

    def close(self) -> None:
        """Stop a helper still checking the file (the import ended before it asked)."""
        if self.background is not None:
            self.background.stop()
            self.background = None


def open_file_records(path: Path, *, check_later: bool = False) -> FileRecords:
    """Detect and read ``path``; a large PubMed XML file is checked whole first (a broken or
    hostile file is refused before anything is returned), then streamed; a large .bib file
    is decoded whole, then parsed a chunk of entries at a time. ``check_later``: a large
    PubMed file's whole-document check is left to :meth:`FileRecords.check`, which the
    caller must run before it stores anything (a large file's check begins at once in a
    helper process, :mod:`spinelib.formats.background_check`; :meth:`FileRecords.close`
    ends it if the caller stops before asking).

    Raises FormatError (and OSError, RecursionError from a reader) as the registry does."""
    from spinelib import formats

    fmt = formats.detect(path)
    if fmt == "pubmed":
        stream = open_stream(path, check_later=check_later)
        if stream is not None:
            return FileRecords(stream.total, stream.records(), stream.problems, [], stream,
                               BackgroundCheck.start(path) if not stream.checked else None)
    if fmt in ("bibtex", "biblatex") and path.stat().st_size >= bib_stream_from_bytes():
        return _bib_records(path)
    result = formats.read_file(path)
    return FileRecords(len(result.records), result.records, result.problems, result.warnings)


def bib_stream_from_bytes() -> int:
    """The size from which a .bib file is streamed (read when asked, so tests can lower it)."""
    from spinelib.formats.bibtex import stream

    return stream.STREAM_FROM_BYTES


def _bib_records(path: Path) -> FileRecords:
    """A large .bib file streamed; read whole when the stream cannot keep the whole read's
    meaning (a ``crossref`` anywhere) or finds no entry (the whole read says so)."""
    from spinelib import formats
    from spinelib.formats.bibtex import read_bibtex
    from spinelib.formats.bibtex.stream import open_bib_stream

    text, decoding = formats.read_text(path)
    stream = open_bib_stream(text, path.name, decoding)
    if stream is not None:
        return FileRecords(stream.total, stream.records(), [], [], stream)
    result = read_bibtex(text, path.name)
    result.warnings[:0] = decoding
    return FileRecords(len(result.records), result.records, result.problems, result.warnings)
