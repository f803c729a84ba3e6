"""A file's records for an import: read whole by the registry, or streamed when it is a large
PubMed XML file (:mod:`spinelib.formats.pubmed_stream`), so memory stays flat (issue 19)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spinelib.formats.pubmed_stream import PubmedStream, open_stream
from spinelib.records import ArticleRecord


@dataclass
class FileRecords:
    """A file's records with what reading it reported.

    ``total`` is the number of entries; for a stream (``stream`` set) ``records`` is read as
    it is consumed and ``problems`` (empty articles skipped) fills meanwhile."""

    total: int
    records: Iterable[ArticleRecord]
    problems: list[str]
    warnings: list[str]
    stream: PubmedStream | None = None


def open_file_records(path: Path) -> FileRecords:
    """Detect and read ``path``; a large PubMed XML file is checked whole first (a broken or
    hostile file is refused before anything is returned), then streamed.

    Raises FormatError (and OSError, RecursionError from a reader) as the registry does."""
    from spinelib import formats

    if formats.detect(path) == "pubmed":
        stream = open_stream(path)
        if stream is not None:
            return FileRecords(stream.total, stream.records(), stream.problems, [], stream)
    result = formats.read_file(path)
    return FileRecords(len(result.records), result.records, result.problems, result.warnings)
