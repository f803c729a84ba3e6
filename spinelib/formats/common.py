"""What the format modules share about records: the reader result and the export helpers.

* :class:`ReadResult`, the value every reader returns (it lives here rather than in the
  registry so the format modules never import their own registry).
* :func:`export_keys`, :func:`merged_keywords` and :func:`missing_basics`, which every
  writer uses so that keys, keywords and pre-export checks agree across formats.

Text-level helpers (whitespace, page ranges, months) are in :mod:`spinelib.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spinelib.accessed import iso_accessed
from spinelib.citekeys import FreeKeys, base_key, is_valid_citekey
from spinelib.identifiers import identifier_of_kind
from spinelib.pubstate import says_no_date, year_and_state
from spinelib.records import ArticleRecord, any_named
from spinelib.text import one_line, unique_texts


@dataclass
class ReadResult:
    """What a reader made of one file: the records, and what went wrong where.

    ``problems`` are per-entry or per-block failures, each naming the place
    ("refs.bib line 12: ... (skipped)"); the faces report them as failed items.
    ``warnings`` are things the user should know about records that were read: the file's
    ("refs.ris is not UTF-8; read it as Windows-1252") and a value left out of a record that
    is imported ("refs.ris record 2 (line 9): '10.1234' is not a DOI (dropped)").
    """

    records: list[ArticleRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of_records(cls, read: Iterable[RecordRead], nothing: str) -> ReadResult:
        """A file's result from each of its records as read, in file order; ``nothing`` is
        the warning for a file that held no record and no problem at all."""
        result = cls()
        for one in read:
            result.add(one)
        if not result.records and not result.problems:
            result.warnings.append(nothing)
        return result

    def add(self, read: RecordRead) -> None:
        """One record as read: kept unless it was skipped; its problems and warnings noted."""
        self.problems.extend(read.problems)
        self.warnings.extend(read.warnings)
        if read.record is not None:
            self.records.append(read.record)


@dataclass
class RecordRead:
    """One record as its reader made it: the record (None when it was skipped), why it was
    skipped (``problems``), and what was left out of it (``warnings``: a value that is not
    what its field holds, such as a DOI that is not one; the record is imported without
    it), each message naming the record's place."""

    record: ArticleRecord | None
    problems: list[str]
    warnings: list[str]


#: What a record reader reads one record from: its reader's own tagged or parsed form.
R = TypeVar("R")


def record_place(source: str, number: int, line: int) -> str:
    """Where a record of a file stands, as messages name it: "refs.ris record 3 (line 41)"."""
    return f"{source} record {number} (line {line})"


class RecordReading(Generic[R]):
    """Reading one record of a file (RIS, MEDLINE, Web of Science, a CSL-JSON item): what
    it is read from, where it stands, for messages, and what went wrong in it. A reader
    subclasses it with its ``record``."""

    def __init__(self, raw: R, where: str) -> None:
        self.raw = raw
        self.where = where
        #: Why the record cannot be imported (it is then skipped).
        self.problems: list[str] = []
        #: What was left out of a record that is imported, or is otherwise worth saying.
        self.warnings: list[str] = []

    def record(self) -> ArticleRecord | None:
        """The record; None (said in ``problems``) when it cannot be imported."""
        raise NotImplementedError

    def read(self) -> RecordRead:
        """The record (None when it cannot be imported) and what went wrong in it."""
        return RecordRead(self.record(), self.problems, self.warnings)

    def ident(self, kind: str, value: str, *, quiet: bool = False) -> str:
        """The field's identifier of ``kind`` normalised; '' when it is not one, the value
        dropped and the reason in ``warnings`` (unless ``quiet``: a field that only may
        hold one)."""
        value = one_line(value)
        found, why = identifier_of_kind(kind, value) if value else ("", "")
        if why and not quiet:
            self.warnings.append(f"{self.where}: {why} (dropped)")
        return found


def export_keys(records: Sequence[ArticleRecord]) -> list[tuple[str, str]]:
    """One unique, valid key per record for an export, with a note when it was changed.

    The record's own citekey is used when it is valid; otherwise the key the citekeys module
    would generate. A key already used earlier in the same export, in any letter case
    (BibTeX rejects ``item-1`` after ``ITEM-1`` as a repeated entry), gets a, b, c ...
    appended. Returns (key, note) pairs; note is '' when the record's citekey was used as
    it is.
    """
    taken: set[str] = set()
    free = FreeKeys(lambda k: k.casefold() in taken)  # keys are only added
    out: list[tuple[str, str]] = []
    for rec in records:
        key, note = rec.citekey, ""
        if not is_valid_citekey(key):
            note = (f"has the citekey {key!r}, which BibTeX cannot use" if key
                    else "has no citekey")
            key = base_key(rec)
        if key.casefold() in taken:
            base, key = key, free.free(key)
            note = note or f"shares the citekey {base!r} with an earlier record"
        taken.add(key.casefold())
        out.append((key, f"{note}; it is written as {key!r}" if note else ""))
    return out


def merged_keywords(record: ArticleRecord) -> list[str]:
    """The record's tags, then its keywords, without repeats (case-insensitive).

    Every writer puts this list in the format's keyword slot, so a user's tags reach
    Zotero, JabRef or EndNote; every reader puts that slot back into ``record.keywords``.
    """
    return unique_texts(one_line(word) for word in [*record.tags, *record.keywords])


def missing_basics(records: Sequence[ArticleRecord]) -> list[str]:
    """'key: missing author, year' for each record a citation consumer would render badly
    (no author, no title or no year); shared by the RIS and CSL-JSON pre-export checks.
    Editors stand for a missing author, as the styles print them in its place."""
    problems = []
    for record, (key, _note) in zip(records, export_keys(records)):
        missing = [name for name, ok in (
            ("author", any_named([*record.authors, *record.editors])),
            ("title", bool(one_line(record.title))),
            # A paper in press has its state where the year goes (RIS's PY, CSL's status).
            ("year", bool(record.year or record.pubstate)),
        ) if not ok]
        if missing:
            problems.append(f"{key}: missing {', '.join(missing)}")
    return problems


def keep_state(rec: ArticleRecord, year_text: str, where: str, warnings: list[str]) -> None:
    """The publication state a year field holds ("in press", as EndNote and many .bib files
    keep an accepted paper), into ``rec.pubstate``; a field holding neither a year (already
    read into ``rec.year``) nor a state is named in ``warnings``, not dropped unseen."""
    state = year_and_state(year_text)[1]
    if state:
        rec.pubstate = rec.pubstate or state
    elif rec.year is None and not says_no_date(year_text):
        warnings.append(f"{where}: the year {year_text.strip()!r} holds no year; left out")


def keep_accessed(rec: ArticleRecord, text: str, name: str, where: str,
                  warnings: list[str]) -> None:
    """When the page was read (field ``name``: BibTeX's ``urldate``, RIS's ``Y2``) into
    ``rec.accessed``; a value that is no date is named in ``warnings``."""
    rec.accessed = iso_accessed(text)
    if text.strip() and not rec.accessed:
        warnings.append(f"{where}: {name} {text.strip()!r} is no date; left out")
