"""A large .bib file read as a stream of entry chunks, so an import stores (and the vocabulary
helper works on) the first batches while the rest is still being parsed (issue 19).

:func:`~spinelib.formats.bibtex.read.read_bibtex` parses the whole text with bibtexparser
before the first record exists. :func:`open_bib_stream` gives the same records, problems and
warnings, in the same order, a chunk of entries at a time. Why cutting is safe:

* **Where it cuts.** bibtexparser's splitter treats a block start (``@type{`` or
  ``@type(``) at the start of a line, after optional whitespace, as the start of a new block
  wherever it meets one: inside an unclosed brace, a quoted value, ``@comment{...}``,
  ``@string`` or ``@preamble`` it aborts the block in progress there (its error recovery).
  So the text is cut only before such lines, and each chunk carries the next chunk's block
  start as a sentinel: the last block of a chunk is ended, or aborted with the very reason,
  exactly where the whole-file parse ends it; the sentinel's own block is dropped. A ``@``
  elsewhere (inside a value, mid-line) never cuts.
* **Line numbers** start from the lines before the chunk, counted as the splitter counts
  them (a newline after a backslash is not a line break to it).
* **Keys across chunks.** A key used in an earlier chunk makes a later entry (or
  ``@string``) a duplicate block, as the whole-file library would, so the entry is read raw
  and given a new key with the same warning, and a repeated ``@string`` is reported with the
  line of its first definition.
* **Macros.** bibtexparser resolves ``@string`` macros defined anywhere in the file, even
  after their use. The few parts of the text holding ``@string`` are parsed first, so every
  chunk resolves against the whole file's macros; resolution itself repeats bibtexparser's
  ``ResolveStringReferencesMiddleware`` with those values, then its own
  ``RemoveEnclosingMiddleware`` runs on the chunk.
* **Crossref.** A child may name a parent anywhere in the file (BibTeX wants it after the
  child), so a file that mentions ``crossref`` at all is read whole (:func:`open_bib_stream`
  returns None), as are small files and files without an entry.
* **Messages** keep the whole read's order: first every block-level message (failed blocks,
  repeated fields, keys given anew) in file order, then every entry's own.

``tests/core/test_bibtex_stream.py`` holds the stream to ``read_bibtex`` on hostile input
cut into chunks of one entry upwards.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bibtexparser import model
from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware

from spinelib.errors import FormatError
from spinelib.formats.bibtex.entries import KeyLedger, add_missing_keys
from spinelib.formats.bibtex.groups import GroupTree, read_group_tree
from spinelib.formats.bibtex.quicksplit import QuickSplitter, newlines
from spinelib.formats.bibtex.read import _entry_readers, _read_records, string_values
from spinelib.formats.common import ReadResult
from spinelib.records import ArticleRecord
from spinelib.text import normalise_newlines

#: Files smaller than this are read whole (the stream pays off only for large files).
STREAM_FROM_BYTES = 4 << 20
#: Entries (cut points) parsed together: large enough that bibtexparser's per-call cost
#: vanishes, small enough that a chunk's blocks stay a few megabytes.
CHUNK_CUTS = 500

#: A block start as bibtexparser's splitter recognises one (its mark
#: ``@[\w]*( |\t)*(?=[{(])``); it is a cut when only whitespace (``str.isspace``) comes
#: before it on its line. The literal ``@`` first lets the regex engine skip ahead.
_BLOCK_START_RE = re.compile(r"@(\w*)[ \t]*[{(]")
_STRING_RE = re.compile(r"@string", re.I)
#: Block types that are not entries (bibtexparser tests the start of the type).
_NOT_ENTRIES = ("comment", "preamble", "string")


@dataclass
class _Keys:
    """The keys the whole-file library would have registered so far (first block per key)."""

    #: Entry key -> the first entry's line (all a later duplicate needs of it).
    entries: dict[str, int | None] = field(default_factory=dict)
    #: String key -> the first ``@string`` block (few; its line goes in the message).
    strings: dict[str, model.Block] = field(default_factory=dict)

    def previous(self, block: model.Block) -> model.Block | None:
        """The earlier block with ``block``'s key and kind, registering ``block`` if none."""
        if isinstance(block, model.Entry):
            if block.key in self.entries:
                return model.Entry(entry_type="", key=block.key, fields=[],
                                   start_line=self.entries[block.key])
            self.entries[block.key] = block.start_line
        elif isinstance(block, model.String):
            if block.key in self.strings:
                return self.strings[block.key]
            self.strings[block.key] = block
        return None


def _registered(blocks: Sequence[model.Block], keys: _Keys) -> list[model.Block]:
    """``blocks`` with every repeated key (in this chunk or an earlier one) wrapped as the
    whole-file library wraps it: a DuplicateBlockKeyBlock naming the first block."""
    out: list[model.Block] = []
    for block in blocks:
        if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(
                block.ignore_error_block, (model.Entry, model.String)):
            block = block.ignore_error_block  # re-wrapped below against every chunk's keys
        if isinstance(block, (model.Entry, model.String)):
            previous = keys.previous(block)
            if previous is not None:
                block = model.DuplicateBlockKeyBlock(
                    start_line=block.start_line, raw=block.raw, key=block.key,
                    previous_block=previous, duplicate_block=block)
        out.append(block)
    return out


def _resolve(entries: Sequence[model.Entry], values: dict[str, str]) -> None:
    """bibtexparser's ResolveStringReferencesMiddleware with the whole file's macros: a
    bare value naming a macro (any letter case) becomes the macro's raw value."""
    for entry in entries:
        resolved = []
        for f in entry.fields:
            v = f.value
            if not isinstance(v, str) or (v.startswith('"') and v.endswith('"')) or (
                    v.startswith("{") and v.endswith("}")):
                continue
            try:
                f.value = values[v.lower()]
            except KeyError:
                continue
            resolved.append(f.key)
        if resolved:
            entry.parser_metadata["ResolveStringReferences"] = resolved


class _Cutter:
    """The text cut before line-start block starts, and each piece parsed as a library."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: (start of the line, end of its block start through ``{``/``(``, is an entry).
        self.cuts: list[tuple[int, int, bool]] = []
        for m in _BLOCK_START_RE.finditer(text):
            line = text.rfind("\n", 0, m.start()) + 1
            if line == m.start() or text[line:m.start()].isspace():
                self.cuts.append((line, m.end(),
                                  not m.group(1).lower().startswith(_NOT_ENTRIES)))
        self.starts = [c[0] for c in self.cuts]

    def bounds(self, first: int, last: int) -> tuple[int, int, int]:
        """(start, end, end with the sentinel) of the text from cut ``first`` (-1: the
        file's start) up to cut ``last`` (``len(cuts)``: the file's end)."""
        start = 0 if first < 0 else self.cuts[first][0]
        if last >= len(self.cuts):
            return start, len(self.text), len(self.text)
        return start, self.cuts[last][0], self.cuts[last][1]

    def blocks(self, first: int, last: int, lines: int, keys: _Keys) -> list[model.Block]:
        """The blocks from cut ``first`` up to cut ``last`` (lines shifted by ``lines``),
        without the sentinel's, their repeated keys wrapped against ``keys``."""
        start, end, with_sentinel = self.bounds(first, last)
        try:
            split = QuickSplitter(self.text[start:with_sentinel], lines).split().blocks
        except Exception as exc:  # bibtexparser's internal-state error: not the user's
            raise FormatError(f"line {lines + 1} onwards cannot be read ({exc})") from exc
        for b in split:
            if isinstance(b, model.ParsingFailedBlock) and b.error is not None:
                # Its traceback holds the splitter's frame, which holds every block of the
                # chunk: a cycle only the collector (paused for the import) would free.
                # The sentinel's block has one in every chunk.
                b.error.with_traceback(None)
        sentinel = lines + newlines(self.text, start, end)  # where the next chunk starts
        kept = [b for b in split if b.start_line is None or b.start_line < sentinel]
        return _registered(kept, keys)


def _macros(cutter: _Cutter) -> tuple[dict[str, str], dict[str, str]]:
    """The file's ``@string`` macros: (raw values for resolution, values as read.py keeps
    them), found by parsing only the pieces of text that hold ``@string``."""
    pieces = sorted({bisect_right(cutter.starts, m.start()) - 1
                     for m in _STRING_RE.finditer(cutter.text)})
    keys = _Keys()
    for piece in pieces:
        start = cutter.bounds(piece, piece + 1)[0]
        cutter.blocks(piece, piece + 1, newlines(cutter.text, 0, start), keys)
    raw = {k.lower(): s.value for k, s in keys.strings.items()
           if isinstance(s, model.String)}
    stripped = RemoveEnclosingMiddleware(True).transform(
        Library(list(keys.strings.values()), fail_on_duplicate_key=False))
    return raw, string_values(stripped)


@dataclass
class BibStream:
    """A .bib file's records, parsed a chunk of entries at a time as they are consumed.

    ``total`` counts the entries (block starts at line starts that are not ``@comment``,
    ``@string`` or ``@preamble``). :attr:`problems` and :attr:`warnings` fill while
    :meth:`records` is consumed, in the order :func:`read_bibtex` gives them."""

    source_name: str
    total: int
    cutter: _Cutter
    #: How the file was decoded (before every other warning, as a whole read puts them).
    decoding: list[str] = field(default_factory=list)
    chunk_cuts: int = CHUNK_CUTS
    _early: ReadResult = field(default_factory=ReadResult)
    _late: ReadResult = field(default_factory=ReadResult)
    _records: int = 0
    _finished: bool = False

    @property
    def problems(self) -> list[str]:
        """Failed blocks and skipped entries so far: block-level ones first."""
        return self._early.problems + self._late.problems

    @property
    def warnings(self) -> list[str]:
        """Warnings so far, in the whole read's order."""
        none = (f"{self.source_name} has no BibTeX entries" if self._finished
                and not self._records and not self.problems else None)
        return self.decoding + self._early.warnings + self._late.warnings + (
            [none] if none else [])

    def records(self) -> Iterator[ArticleRecord]:
        """The file's records in file order (FormatError if bibtexparser fails inside a
        chunk: the records yielded before stay valid)."""
        raw, strings = _macros(self.cutter)
        # The group tree sits at the file's end, where JabRef writes it: read first.
        tree = read_group_tree(self.cutter.text, self.source_name, self._early.warnings)
        keys, ledger = _Keys(), KeyLedger()
        first, lines = -1, 0
        while True:
            last = first + self.chunk_cuts + (first < 0)
            chunk = self._chunk(first, last, lines, keys, (raw, strings), ledger, tree)
            for rec in chunk:
                self._records += 1
                yield rec
            if last >= len(self.cutter.cuts):
                break
            lines += newlines(self.cutter.text, *self.cutter.bounds(first, last)[:2])
            first = last
        self._finished = True

    def _chunk(self, first: int, last: int, lines: int, keys: _Keys,
               macros: tuple[dict[str, str], dict[str, str]], ledger: KeyLedger,
               tree: GroupTree | None) -> list[ArticleRecord]:
        """The records of the entries from cut ``first`` up to cut ``last``; ``macros``:
        :func:`_macros`' two tables."""
        raw, strings = macros
        try:
            blocks = self.cutter.blocks(first, last, lines, keys)
        except FormatError as exc:
            raise FormatError(f"{self.source_name} {exc}") from None
        chunk = Library(blocks, fail_on_duplicate_key=False)
        if raw:  # without macros nothing resolves
            _resolve(chunk.entries, raw)
        chunk = RemoveEnclosingMiddleware(True).transform(chunk)
        readers = _entry_readers(chunk.blocks, strings, ledger, self.source_name, self._early)
        done = ReadResult()
        _read_records(readers, done, tree)
        self._late.problems.extend(done.problems)
        self._late.warnings.extend(done.warnings)
        return done.records


def _mentions_crossref(text: str, step: int = 1 << 20) -> bool:
    """Whether ``crossref`` (any letter case) is anywhere in ``text``; a megabyte at a time
    (``re.IGNORECASE`` has no fast scan for a word: several times slower)."""
    return any("crossref" in text[i:i + step + 7].lower() for i in range(0, len(text), step))


def open_bib_stream(text: str, source_name: str, decoding: Sequence[str] = (), *,
                    chunk_cuts: int | None = None) -> BibStream | None:
    """``text`` (a .bib file's, decoded; ``decoding``: the warnings that made) as a stream,
    or None when it must be read whole: it mentions ``crossref`` or holds no entry.
    ``chunk_cuts``: entries parsed together (:data:`CHUNK_CUTS` unless given)."""
    if _mentions_crossref(text):
        return None
    cutter = _Cutter(add_missing_keys(normalise_newlines(text)))
    total = sum(1 for c in cutter.cuts if c[2])
    if not total:
        return None
    return BibStream(source_name, total, cutter, list(decoding),
                     CHUNK_CUTS if chunk_cuts is None else chunk_cuts)
