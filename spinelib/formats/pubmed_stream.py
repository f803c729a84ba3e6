"""A large saved PubMed XML file read as a stream, so an import's memory stays flat (issue 19).

Two passes over the file, both in C for the XML itself:

1. :func:`open_stream` checks the whole document first with bare expat (no tree, no Python
   call per element, :func:`~spinelib.formats.safexml.check_document`): a truncated,
   malformed or hostile file (entity declarations, external entities) is refused with the
   very message :func:`~spinelib.formats.pubmed_xml.parse_pubmed_xml` gives, before a single
   record is stored, as when the file was read whole. With ``check_later`` the caller runs
   it itself (:meth:`PubmedStream.check`) once it has read its first batches, still before
   it stores one: the import's vocabulary helper works meanwhile, and a large file's check
   runs in a helper of its own (:mod:`spinelib.formats.background_check`);
2. the records are then parsed one at a time while the caller stores them
   (:meth:`PubmedStream.records`), each article's element cleared once read.

Small files, and documents that are not an article set (efetch's error reply), are read
whole by the registry as before (:func:`open_stream` returns None).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from spinelib.errors import FormatError
from spinelib.formats.pubmed_xml import _check_root, _iter_records, _root_tag, _sniff
from spinelib.formats.safexml import EntitiesRefused, check_document, read_chunks
from spinelib.records import ArticleRecord

#: Files smaller than this are read whole (the stream only pays off for big files).
STREAM_FROM_BYTES = 4 << 20
#: Element starts counted for the progress total (exact for any real efetch file; text
#: holding these bytes would be escaped as ``&lt;``, only a comment or CDATA could).
_ARTICLE_STARTS = (b"<PubmedArticle>", b"<PubmedArticle ", b"<PubmedBookArticle>",
                   b"<PubmedBookArticle ")


@dataclass
class PubmedStream:
    """A checked PubMed file whose records are read as they are consumed."""

    path: Path
    total: int
    #: Empty articles skipped, filled while :meth:`records` is consumed.
    problems: list[str] = field(default_factory=list)
    #: Always empty (a PubMed file's warnings are problems); a stream's shape for the importer.
    warnings: list[str] = field(default_factory=list)
    #: False while the whole-document check is still to run (``open_stream(check_later=)``):
    #: ``total`` is then 0 until :meth:`check` has counted the articles.
    checked: bool = True

    def check(self, counted: int | None = None) -> None:
        """The whole-document check ``open_stream`` left for later (nothing if it ran): the
        articles counted into ``total``, or FormatError with the messages of a check before
        opening. The caller runs it before storing any record. ``counted``: the count of a
        :func:`check_file` of this file that already passed (run by a helper process,
        :mod:`spinelib.formats.background_check`), taken instead of checking again."""
        if self.checked:
            return
        self.total = check_file(self.path) if counted is None else counted
        self.checked = True

    def records(self) -> Iterator[ArticleRecord]:
        """The file's records in document order (FormatError if the file changed since
        the check and is now broken: what was yielded before stays valid)."""
        try:
            with self.path.open("rb") as fh:
                head = fh.peek(65536)[:65536]
                yield from _iter_records(fh, self.path.name, head, self.problems)
        except OSError as exc:
            raise FormatError(f"cannot read {self.path.name}: {exc.strerror or exc}") from None


def open_stream(path: Path, *, min_bytes: int | None = None,
                check_later: bool = False) -> PubmedStream | None:
    """Check a saved PubMed XML set and return it as a stream; None when the file is small
    (under ``min_bytes``), compressed or not an article set (read it whole instead).

    Raises FormatError with the messages of a whole read for a file that is not PubMed XML,
    truncated or malformed, or declares entities. ``check_later``: only its head is checked
    here; the whole-document check is :meth:`PubmedStream.check`, which the caller runs
    before it stores a record (an import runs it once its first batches are parsed, so the
    vocabulary helper works while the file is checked)."""
    path = Path(path)
    smallest = STREAM_FROM_BYTES if min_bytes is None else min_bytes
    try:
        if path.suffix.lower() != ".xml" or path.stat().st_size < smallest:
            return None
        with path.open("rb") as fh:
            head = fh.read(65536)
            _sniff(head[:2048], path.name)
            root = _root_tag(head)
            if root != "PubmedArticleSet":
                return None
            _check_root(root, path.name)
    except OSError as exc:
        raise FormatError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    stream = PubmedStream(path, 0, checked=False)
    if not check_later:
        stream.check()
    return stream


def check_file(path: Path) -> int:
    """Check a saved PubMed file's whole document: the number of articles it holds, or
    FormatError with the messages of a whole read (truncated, malformed, entities, unreadable)."""
    try:
        with path.open("rb") as fh:
            return _check(fh, path.name)
    except OSError as exc:
        raise FormatError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def _check(fh: object, origin: str) -> int:
    """Check the whole document; the number of articles it holds."""
    count = 0
    tail = b""

    def counted() -> Iterator[bytes]:
        nonlocal count, tail
        for chunk in read_chunks(fh):  # type: ignore[arg-type]
            joined = tail + chunk
            # Starts spanning two chunks are counted once: only those ending in this chunk.
            count += sum(joined.count(s) for s in _ARTICLE_STARTS) - sum(
                tail.count(s) for s in _ARTICLE_STARTS)
            tail = chunk[-32:]
            yield chunk

    try:
        check_document(counted())
    except ParseError as exc:
        raise FormatError(f"{origin} is truncated or not well-formed XML ({exc})") from None
    except EntitiesRefused:
        raise FormatError(f"{origin} declares XML entities; SpineLib refuses to expand them "
                          "for safety") from None
    return count
