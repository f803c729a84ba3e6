"""What the import dialog's preview shows for each pasted line, before anything is
fetched: a file (:func:`spinelib.importer.plan`), a folder of PDFs
(:func:`spinelib.pdfimport.pdfs_in`), identifiers found in text
(:func:`spinelib.identifiertext.find_identifiers`), or why the line is skipped; or, when the
whole text is a BibTeX, RIS, MEDLINE or CSL JSON export (:mod:`spinelib.pasted`), one row
for it. Then what :mod:`spinelib.gui.previewlookups` asks of the library on workers (the
files it counts, :func:`countable_files`; how a held identifier reads, :func:`held_note`),
and the lines under the preview and under the report. No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from spinelib import importer
from spinelib.formats.registry import IMPORT_SUFFIXES
from spinelib.identifierfiles import identifiers_in_text
from spinelib.identifiers import Identifier
from spinelib.import_results import HeldArticle, ImportItem, ImportReport
from spinelib.library import Library
from spinelib.libraryimport import LIBRARY_SUFFIX
from spinelib.pasted import outside, recognise
from spinelib.pdfimport import pdfs_in
from spinelib.pubmedquery import is_search_address
from spinelib.text import plural


@dataclass(frozen=True)
class PreviewRow:
    """One line of the preview: what was given, what it is, and what is sent to the import."""

    given: str
    recognised: str
    input: str | None  # None: not importable (the reason is in ``recognised``)
    #: The identifier the line names (None for a file, a folder or pasted references).
    identifier: Identifier | None = None
    #: A PubMed results page's address: *Import* lists its results to choose from.
    pubmed_search: bool = False

    @property
    def looked_up(self) -> str:
        """What is asked first for an input known only through another look-up ('' for
        any other): shown in the Result column before anything is fetched."""
        kind = self.identifier.kind if self.identifier is not None else ""
        return _LOOKED_UP.get(kind, "")


#: The first look-up of each input known only through another (resolve_indirect).
_LOOKED_UP = {"citation": "looked up in Crossref, then PubMed",
              "isbn": "its book looked up in Crossref",
              "nbk": "its record looked up in PubMed",
              "journalpage": "its record looked up in PubMed"}


#: The input of the row standing for pasted references: the dialog writes the text into a
#: file and imports that (no identifier or path can start with a NUL).
PASTED_INPUT = "\0pasted"


#: The file chooser's filter: what the import reads, PDFs (spinelib.pdfimport) included.
FILE_FILTER = ("Reference files, PDFs and SpineLib libraries ("
               + " ".join(f"*{s}" for s in (*IMPORT_SUFFIXES, ".pdf", LIBRARY_SUFFIX))
               + ");;All files (*)")


def _as_path(line: str) -> Path | None:
    """The file a pasted line names, when it looks like a path or a file:// URL."""
    if line.lower().startswith("file://"):
        return Path(unquote(urlsplit(line).path))
    lowered = line.lower()
    if lowered.startswith(("10.", "http://", "https://", "doi:")):
        return None
    if line.startswith(("/", "~", "./", "../")) or lowered.endswith((*IMPORT_SUFFIXES,
                                                                      LIBRARY_SUFFIX)):
        return Path(line).expanduser()
    return None


def _path_row(line: str, path: Path) -> PreviewRow:
    """The row of a line naming a file or folder: what it is, or why it is skipped."""
    if path.is_dir():
        n = len(pdfs_in(path))
        return (PreviewRow(line, f"folder {path.name}: {plural(n, 'PDF')}", str(path))
                if n else PreviewRow(line, "a folder without a PDF in it", None))
    planned = importer.plan([str(path)])[0]
    if planned.kind != "file":
        return PreviewRow(line, planned.reason or "not a file", None)
    if Library.is_database(path):  # another library: merged in (spinelib.libraryimport)
        # Short: the column is narrow; what comes along is in the dialog's intro.
        return PreviewRow(line, "SpineLib library (merged in)", str(path))
    return PreviewRow(line, planned.describe(), str(path))


def preview_rows(text: str) -> list[PreviewRow]:
    """Recognise every non-empty line: a file to read, identifiers found in it, or why not;
    or the whole text as pasted references (a BibTeX entry copied from a journal's site)."""
    pasted = recognise(text)
    if pasted is not None:
        # Imported even when no record was counted: the reader says what is wrong with it;
        # identifiers pasted above the entries are read as identifiers.
        return [*_identifier_rows(outside(text, pasted)),
                PreviewRow("pasted text", pasted.describe(), PASTED_INPUT)]
    rows: list[PreviewRow] = []
    loose: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        path = _as_path(line)
        if path is None:
            loose.append(line)
        else:
            rows.append(_path_row(line, path))
    return rows + _identifier_rows("\n".join(loose))


def _identifier_rows(text: str) -> list[PreviewRow]:
    """A row per identifier found in ``text`` (the first of twins), and per line that
    holds none, with the reason."""
    rows: list[PreviewRow] = []
    seen: set[str] = set()
    for found in identifiers_in_text(text):
        if found.identifier is None and is_search_address(found.text):
            rows.append(PreviewRow(found.text, "a PubMed search: Import lists its results to "
                                   "choose from", None, pubmed_search=True))
        elif found.identifier is None:
            rows.append(PreviewRow(found.text, _unquoted(found.reason, found.text), None))
        elif found.text not in seen:
            seen.add(found.text)
            rows.append(PreviewRow(found.text, str(found.identifier), found.text,
                                   found.identifier))
    return rows


def _unquoted(reason: str, given: str) -> str:
    """Why a line was not recognised, without the line itself, which the row shows beside
    it ("'hello' is not a DOI, PMID or PMCID" -> "not a DOI, PMID or PMCID"): the column is
    narrow, and the quoted line pushed the reason out of sight."""
    said = reason.removeprefix(f"{given!r} is ").removeprefix(f"{given!r} ")
    return said or "not recognised"


#: Files larger than this are not read for the preview's counts (a 10 MB .bib holds about
#: 5,000 entries with abstracts, read in a few seconds on a worker); the import counts them.
COUNTED_FILE_MAX_BYTES = 10_000_000


def countable_files(rows: Sequence[PreviewRow]) -> list[str]:
    """The rows' files the preview asks :func:`spinelib.importcheck.check_import` about:
    reference files and identifier lists small enough to be read
    (:data:`COUNTED_FILE_MAX_BYTES`), other libraries (only checked, whatever their
    size: the merge refuses this very library, or an SQLite file that is none), and PDFs
    of any size (their first pages only: the DOI printed, or the held paper the first
    page is); not folders (their PDFs are read once imported)."""
    out: list[str] = []
    for row in rows:
        if row.identifier is not None or row.input in (None, PASTED_INPUT):
            continue
        path = Path(row.input or "")
        try:
            wanted = path.is_file() and (path.suffix.lower() == ".pdf"
                                         or Library.is_database(path)
                                         or path.stat().st_size <= COUNTED_FILE_MAX_BYTES)
        except OSError:
            continue
        if wanted:
            out.append(str(row.input))
    return out


def held_note(held: HeldArticle) -> str:
    """The preview's Result for an identifier the library already holds (short: the key
    must fit the column; importing refreshes that article, or restores it)."""
    if held.trashed:
        return f"in the Trash: {held.citekey} (restored)"
    return f"in your library: {held.citekey}"


def preview_summary(rows: Sequence[PreviewRow], shown: int, held: int = 0) -> str:
    """The line under the preview: how many rows will be imported, how many of those the
    library already holds (``held``), how many are skipped; ``shown``: rows listed."""
    if not rows:
        return "Nothing recognised yet."
    n = sum(1 for r in rows if r.input is not None)
    searches = sum(1 for r in rows if r.pubmed_search)
    skipped = len(rows) - n - searches
    # Nothing to fetch at all: a guideline's or an abstract's title, say, typed here.
    by_hand = (" — one without a DOI or PMID (a guideline, an abstract) is typed in with "
               "File ▸ New article…" if skipped and not n and not searches else "")
    return (f"{n} to import" + (f" ({held} already in your library)" if held else "")
            + (f", {searches} PubMed search{'es' if searches > 1 else ''} to list"
               if searches else "")
            + (f", {skipped} not recognised" if skipped else "")
            + (f" (first {shown} shown)" if len(rows) > shown else "") + by_hand)


#: Report status -> (mark, words) for the result column; "waits" is a PDF kept offline, to
#: be identified by a retry (:attr:`ImportItem.waits`, its status "imported").
STATUS_TEXT = {
    "imported": ("✓", "imported"),
    "updated": ("↻", "updated"),
    "unchanged": ("=", "already in library"),
    "not_found": ("✗", "not found"),
    "failed": ("✗", "failed"),
    # ◷ (a waiting clock face) is in DejaVu Sans, which every Debian desktop has; ⏸ is not.
    "queued": ("◷", "queued (offline)"),
    "waits": ("◷", "kept, to identify (offline)"),
    "cancelled": ("–", "cancelled"),
}
#: Semantic colours for results that need the user's attention (the rest use the palette).
STATUS_COLOURS = {"not_found": "#c62828", "failed": "#c62828", "queued": "#b26a00",
                  "waits": "#b26a00"}


def result_cell(entry: ImportItem) -> tuple[str, str | None]:
    """The result column of an item ("✓ imported") and its colour (None: the palette's)."""
    shown = "waits" if entry.waits else entry.status
    mark, words = STATUS_TEXT.get(shown, ("", entry.status))
    return f"{mark} {words}", STATUS_COLOURS.get(shown)


def report_summary(report: ImportReport) -> str:
    """The line under an import's report: what came of it, its warnings a line each (their
    messages hold ";" and ":" of their own), and how to go on when it was queued offline
    (first and whole: the reason is not left cut off in a column)."""
    extra = "".join(f"\n• {warning}" for warning in report.warnings)
    if report.look_alikes:
        extra += f"\n• {report.look_alike_note()}: Edit ▸ Duplicates… to merge or dismiss."
    queued = [e for e in report.items if e.status == "queued"]
    if not queued:
        return f"Done: {report.summary()}.{extra}"
    why = queued[0].message.rstrip(".")
    rest = "" if len(queued) == len(report.items) else f" All: {report.summary()}."
    return (f"Offline — {len(queued):,} queued. Why: {why}. File ▸ Retry pending imports "
            f"fetches them when the network is back.{rest}{extra}")
