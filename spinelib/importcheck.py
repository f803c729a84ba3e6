"""What an import would do, without doing it (``spinelib import --dry-run``): each input
recognised as :func:`spinelib.pdfimport.run_import` would take it, and for what names
articles (identifiers, the records of a file, the identifiers of a Word or text list)
which of them the library already holds.

Promises: nothing is fetched and nothing is written; a file is read as the import reads it
(:func:`spinelib.formats.filerecords.open_file_records`, streamed; a PDF's first pages,
its identifier or, without one, the held article its first page plainly is), and an
article counts as held by the look-up a merge makes first (``library.articles.holding``:
a live article, a merged-away identifier, the trash). A record without any identifier is
counted apart: the import compares such records by title, year and authors instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import cast

from spinelib.errors import SpineLibError
from spinelib.fileimport import without_name
from spinelib.formats.pdf import IDENTIFIER_PAGES, find_identifiers, is_pdf_file, read_pdf
from spinelib.identifiers import Identifier, Kind
from spinelib.import_results import HeldArticle
from spinelib.importer import plan
from spinelib.library import Library
from spinelib.library.holding import record_identifiers
from spinelib.libraryimport import refusal
from spinelib.pdfimport import held_by_first_page, is_pdf_input, pdfs_in
from spinelib.records import ArticleRecord
from spinelib.text import plural

#: Identifiers asked of the library at once while a file's records are read.
CHECK_BATCH = 2000


@dataclass
class CheckedInput:
    """One input: what it was recognised as, and what of it the library holds.

    ``names`` counts what the input names (1 for an identifier; a file's records, a list's
    identifiers); ``held`` how many of those the library already holds, ``anonymous`` how
    many records have no identifier. ``importable`` False: the reason is ``what``."""

    given: str
    what: str
    importable: bool = True
    names: int = 0
    held: int = 0
    anonymous: int = 0
    unreadable: int = 0  # a file's entries that could not be read (the import says why)
    pdfs: int = 0  # PDFs, identified only when imported (not counted in ``names``)
    identifier: Identifier | None = None  # the input is this identifier
    holder: HeldArticle | None = None  # the identifier's article, when held
    #: What the file's entries bring besides themselves (:mod:`spinelib.filegroups`):
    #: "its groups: 3 reading lists; its tags: 2" ('' for none).
    placing: str = ""

    @property
    def new(self) -> int:
        """What the import would add (at most: a record without identifier may be matched
        by its title)."""
        return self.names - self.held

    def describe(self, name: str | None = None) -> str:
        """One line, led by the identifier or by ``name`` (default: the input as given):
        "PMID 16112300: in your library as patchell2005direct", "refs.bib: BibTeX file,
        250 entries: 30 in your library, 220 new"."""
        if self.identifier is not None:
            name = str(self.identifier)
            if self.holder is None:
                return f"{name}: new"
            if self.holder.trashed:
                return f"{name}: in the Trash as {self.holder.citekey} (importing restores it)"
            return f"{name}: in your library as {self.holder.citekey}"
        name = name or self.given
        if not self.importable:
            return f"{name}: skipped: {self.what}"
        counted = self.counts()
        placing = f"; {self.placing}" if self.placing else ""
        return f"{name}: {self.what}" + (f": {counted}" if counted else "") + placing

    def counts(self) -> str:
        """"31 in your library, 214 new, 5 without DOI, PMID or PMCID" ('' for a PDF, a
        folder of them or another library: what they hold is known only when imported)."""
        parts = [f"{self.held:,} in your library" if self.held else "",
                 f"{self.new - self.anonymous:,} new" if self.new - self.anonymous else "",
                 f"{self.anonymous:,} without DOI, PMID or PMCID" if self.anonymous else "",
                 f"{self.unreadable:,} unreadable" if self.unreadable else ""]
        return ", ".join(p for p in parts if p)


@dataclass
class ImportCheck:
    """Every input's :class:`CheckedInput`, in the order given."""

    inputs: list[CheckedInput] = field(default_factory=list)

    def summary(self) -> str:
        """"3 new, 2 already in your library, 1 skipped" (nothing was imported)."""
        importable = [c for c in self.inputs if c.importable]
        new = sum(c.new - c.anonymous for c in importable)
        held = sum(c.held for c in importable)
        anonymous = sum(c.anonymous for c in importable)
        skipped = len(self.inputs) - len(importable)
        pdfs = sum(c.pdfs for c in importable)
        parts = [f"{new:,} new", f"{held:,} already in your library"]
        if anonymous:
            parts.append(f"{anonymous:,} without DOI, PMID or PMCID (matched by title)")
        if pdfs:
            parts.append(f"{plural(pdfs, 'PDF')} (identified from their text when imported)")
        if skipped:
            parts.append(f"{plural(skipped, 'input')} skipped")
        return ", ".join(parts)


def check_import(library: Library, inputs: Sequence[str]) -> ImportCheck:
    """What importing ``inputs`` would do (see the module's promises). The identifiers
    given are looked up in one read."""
    check = ImportCheck()
    plans = plan(inputs)
    asked = [p.identifier for p in plans if p.identifier is not None]
    holders = library.articles.holding(asked) if asked else {}
    for given, planned in zip(inputs, plans, strict=True):
        path = Path(given).expanduser()
        if path.is_dir():
            n = len(pdfs_in(path))
            check.inputs.append(CheckedInput(given, f"folder of {plural(n, 'PDF')}", pdfs=n)
                                if n else CheckedInput(given, "no PDF in this folder or "
                                                       "its sub-folders", importable=False))
            continue
        if is_pdf_input(given):
            check.inputs.append(_check_pdf(library, given, path))
            continue
        if planned.kind == "invalid":
            check.inputs.append(CheckedInput(given, planned.reason, importable=False))
        elif planned.identifier is not None:
            holder = holders.get(planned.identifier)
            check.inputs.append(CheckedInput(given, str(planned.identifier), names=1,
                                             held=int(holder is not None),
                                             identifier=planned.identifier, holder=holder))
        elif Library.is_database(path):
            refused = refusal(library, path)
            check.inputs.append(
                CheckedInput(given, _reason(refused, path), importable=False)
                if refused is not None
                else CheckedInput(given, "another SpineLib library, merged in with its "
                                  "tags, notes, lists and files"))
        else:
            try:
                check.inputs.append(_check_file(library, given, path))
            except (SpineLibError, OSError, RecursionError) as exc:
                check.inputs.append(CheckedInput(given, _reason(str(exc), path),
                                                 importable=False))
    return check


def _check_pdf(library: Library, given: str, path: Path) -> CheckedInput:
    """A PDF read as the import reads it (its first pages, nothing fetched): the article
    holding these very bytes, or the identifier it prints and whether the library holds
    it, or the held article its first page plainly is; else a PDF the import will search
    for by its first page."""
    try:
        problem = is_pdf_file(path)
        if problem:
            return CheckedInput(given, f"not a PDF: {problem}", importable=False)
        pdf = read_pdf(path, max_pages=1 + IDENTIFIER_PAGES, heading=True)
        holder = library.attachments.holder_of(library.attachments.digest(path)[0])
    except (SpineLibError, OSError) as exc:
        return CheckedInput(given, _reason(str(exc), path), importable=False)
    if holder is not None:
        return CheckedInput(given, f"a PDF already attached, as this very file, to "
                            f"{library.articles.citekey(holder)}", names=1, held=1)
    found = find_identifiers(pdf)
    if found.kind:
        ident = Identifier(cast(Kind, found.kind), found.value)
        held = library.articles.holding([ident]).get(ident)
        where = ("" if held is None else f", in the Trash as {held.citekey} (importing "
                 "restores it)" if held.trashed else f", in your library as {held.citekey}")
        return CheckedInput(given, f"a PDF of {ident} (found in {found.where}){where}",
                            names=1, held=int(held is not None))
    article_id = held_by_first_page(library, pdf)
    if article_id is not None:
        return CheckedInput(given, f"a PDF of {library.articles.citekey(article_id)} (its "
                            "first page holds that article's title, first author and year)",
                            names=1, held=1)
    return CheckedInput(given, "a PDF without a DOI or PMID (searched for by its first page "
                        "when imported)", pdfs=1)


def _check_file(library: Library, given: str, path: Path) -> CheckedInput:
    """A list of identifiers or a file of records, counted; raises what its reader raises."""
    from spinelib.formats.filerecords import open_file_records
    from spinelib.identifierfiles import listed_identifiers

    listed = listed_identifiers(path)
    if listed is not None:
        idents = [f.identifier for f in listed.found if f.identifier is not None]
        # The rows and lines naming no identifier are skipped by the import: said here too.
        skipped = (f" and {plural(len(listed.skipped), 'line')} without one"
                   if listed.skipped else "")
        return _counted(library, given, lambda n: f"list of {plural(n, 'identifier')}{skipped}",
                        [[i] for i in idents])
    source = open_file_records(path)
    kind = f"{_format_name(path)} file"
    placing = _Placing()
    counted = _counted(library, given, partial(_file_of, kind),
                       (placing.identifiers(r) for r in source.records))
    counted.placing = placing.describe()
    stream = source.stream
    counted.unreadable = len(stream.problems if stream is not None else source.problems)
    warnings = stream.warnings if stream is not None else source.warnings
    if counted.names and counted.unreadable:  # "4 entries: 2 new, …, 1 unreadable": all
        counted.what = _file_of(kind, counted.names + counted.unreadable)
    if not counted.names and counted.unreadable:
        entries = plural(counted.unreadable, "entry", "entries")
        counted.what = f"{kind}: none of its {entries} can be read (the import says why)"
    elif not counted.names and warnings:
        counted.what = _reason(warnings[0], path)  # the import's own reason
    return counted


class _Placing:
    """The groups, own tags and marks a file's records carry, tallied as they are read."""

    def __init__(self) -> None:
        self.groups: set[str] = set()
        self.tags: set[str] = set()
        self.marked = 0

    def identifiers(self, record: ArticleRecord) -> list[Identifier]:
        """:func:`~spinelib.library.holding.record_identifiers`, noting what else the
        record carries."""
        self.groups.update(record.groups)
        self.tags.update(record.user_tags)
        self.marked += bool(record.read_status or record.rating)
        return record_identifiers(record)

    def describe(self) -> str:
        """"its groups: 3 reading lists; its tags: 2; reading states or stars: 4"."""
        parts = [f"its groups: {plural(len(self.groups), 'reading list')}"
                 if self.groups else "",
                 f"its tags: {len(self.tags):,}" if self.tags else "",
                 f"reading states or stars: {self.marked:,}" if self.marked else ""]
        return "; ".join(p for p in parts if p)


def _reason(message: str, path: Path) -> str:
    """A message about a file without the file's path or name leading it (the line that
    shows it starts with the input already)."""
    return without_name(without_name(message, str(path)), path.name)


def _counted(library: Library, given: str, what: Callable[[int], str],
             named: Iterable[list[Identifier]]) -> CheckedInput:
    """An input naming articles, each by its identifiers (none: an anonymous record),
    counted against the library a batch at a time; ``what`` says what it is, given the
    count ("BibTeX file, 250 entries")."""
    out = CheckedInput(given, "")
    batch: list[list[Identifier]] = []
    for idents in named:
        out.names += 1
        if not idents:
            out.anonymous += 1
            continue
        batch.append(idents)
        if len(batch) >= CHECK_BATCH:
            out.held += _held(library, batch)
            batch = []
    out.held += _held(library, batch)
    out.what = what(out.names)
    if out.names == 0:
        out.importable, out.what = False, f"{out.what}: nothing to import"
    return out


def _file_of(kind: str, n: int) -> str:
    """"BibTeX file, 20,000 entries" (with the separator the counts beside it use)."""
    return f"{kind}, {n:,} {'entry' if n == 1 else 'entries'}"


def _held(library: Library, batch: list[list[Identifier]]) -> int:
    """How many of ``batch``'s articles (each its identifiers) the library holds."""
    if not batch:
        return 0
    holders = library.articles.holding(i for idents in batch for i in idents)
    return sum(1 for idents in batch if any(i in holders for i in idents))


def _format_name(path: Path) -> str:
    """The file's format as a reader would name it ("BibTeX", "PubMed XML")."""
    from spinelib import formats
    from spinelib.formats.registry import READ_FORMATS
    from spinelib.pasted import FORMAT_NAMES

    fmt = formats.detect(path)
    labels = {f.name: f.label for f in READ_FORMATS}
    return FORMAT_NAMES.get(fmt) or labels.get(fmt, fmt)
