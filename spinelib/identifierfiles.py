"""Files that list identifiers rather than records: a ``.txt`` of DOIs and PMIDs, a Word
document's reference list, or a CSV with identifier columns (PubMed's CSV export, a
spreadsheet), imported as if the identifiers had been typed in.

Why: a resident is handed a reference list in Word, or keeps a text file of DOIs to fetch
(Zotero's "Add Item by Identifier" takes several at once, but only typed in). The importer
(:func:`spinelib.importer.run_import`) asks :func:`listed_identifiers` about each file
before reading it as records.

Promises:

- Only a file no reader recognises is read this way: a ``.txt`` holding RIS, MEDLINE or
  BibTeX is still read as records, and any other suffix is left to the format registry.
- A text file is a list only when every line is one identifier, or a reference's citation
  holding none (looked up in Crossref; a blank line, a list bullet and a ``#`` comment
  aside): a file with a damaged line (a DOI broken by a space, a control character) is
  refused whole, naming the line, before anything is fetched.
- A Word file is a reference list, read as pasted text is
  (:func:`spinelib.identifiertext.find_identifiers`): a line that is one identifier, or the
  unmistakable forms inside a longer line (a DOI, ``PMID: n``, ``PMCn``, a URL), and a
  line holding none that reads as a citation is looked up by it in Crossref; a number in
  running text is never a PMID. It is opened as manuscripts are
  (:func:`spinelib.manuscript.wordfile.open_document`: an old ``.doc`` or a damaged file is
  named with a plain reason), its tables read too.
- A CSV file is read for its identifier columns, found by their names as PubMed's "Save ▸
  CSV" (``PMID``, ``PMCID``, ``DOI``), Scopus's (``PubMed ID``, ``DOI``: an export whose
  header is a whole Scopus export's is read as records instead,
  :mod:`spinelib.formats.scopus_csv`) and SpineLib's evidence table (``pmid``, ``doi``)
  write them; a row's PMID is taken first, then its
  DOI, then its PMCID, and a row with none is named by its title. Comma, semicolon (a
  European Excel's, or the one its ``sep=`` line names) and tab separators are told apart
  by the header. A CSV with no such column is read as a ``.txt`` list when every line is
  an identifier (a column of DOIs without a header), else refused, naming its columns.
- PubMed's "Save ▸ Abstract (text)" file is read for each record's PMID
  (:func:`pubmed_text_list`), and its "Summary (text)" file, the Save dialog's first
  format, for each citation's PMID (:func:`pubmed_summary_list`), so a saved search result
  comes back as PubMed's full records; offline, the PMIDs wait to be fetched.
- None for a text file that names no identifier at all (the registry's message stands).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from spinelib import formats
from spinelib.errors import FormatError, InvalidIdentifier
from spinelib.formats.csvtable import read_csv_table
from spinelib.formats.registry import IDENTIFIER_LIST_SUFFIXES
from spinelib.identifiers import Identifier, identifier_of_kind
from spinelib.identifiertext import WORK_KINDS, Found, find_identifiers, parse_input


@dataclass
class ListedIdentifiers:
    """What a list file holds: its identifiers in order without repeats, and the lines that
    name none (a heading, a reference without DOI or PMID), as they read."""

    found: list[Found] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    _listed: set[Identifier] = field(default_factory=set, repr=False, compare=False)

    def add(self, found: Found) -> None:
        """List ``found`` unless its identifier is listed already (the first one stays)."""
        if found.identifier is not None and found.identifier not in self._listed:
            self._listed.add(found.identifier)
            self.found.append(found)

    def add_pmid(self, digits: str, as_read: str) -> None:
        """List the PMID ``digits``, or note ``as_read`` (what named it) when it is none."""
        value = identifier_of_kind("pmid", digits)[0]
        if value:
            self.add(Found(f"PMID: {value}", Identifier("pmid", value)))
        else:
            self.skipped.append(as_read)


def listed_identifiers(path: Path) -> ListedIdentifiers | None:
    """What the file at ``path`` lists when it is a list file (a Word file, or text no
    reader recognises); None when it is a record file, binary, or not a list file at all.
    Raises FormatError for a Word file that cannot be read, and for a text list with a
    line that is not an identifier."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _reference_list(word_text(path))
    if suffix not in IDENTIFIER_LIST_SUFFIXES:
        return None
    try:
        formats.detect(path)
        return None  # records in a format the registry reads (a Scopus CSV export too)
    except FormatError:
        pass
    if suffix == ".csv":
        return _csv_list(path)
    try:
        text, _warnings = formats.read_text(path)
    except (FormatError, OSError):
        return None  # binary or unreadable: the reader says why
    return pubmed_text_list(text) or pubmed_summary_list(text) or _strict_list(text)


#: The first record of PubMed's "Abstract (text)" file: "1. Lancet. 2005 Aug 20-26;…".
_PUBMED_FIRST = re.compile(r"\A\s*1\. +\S")
#: A record's own PMID, the line that ends it: "PMID: 16112300  [Indexed for MEDLINE]"
#: ("[Publisher]" before indexing, or no tag). A comment, erratum or update it names
#: ("Comment in" with its citation) has its PMID inside that citation, closed by a
#: period, even where the citation wraps so that it starts a line.
_PUBMED_PMID_LINE = re.compile(r"^PMID: ?(\d{1,8})[ \t]*(?:\[[^\]\n]*\])?[ \t\r]*$", re.M)


def pubmed_text_list(text: str) -> ListedIdentifiers | None:
    """The PMIDs of PubMed's "Save ▸ Abstract (text)" file (efetch's ``rettype=abstract``
    text), one a record, in order; None for any other text. Its records are numbered from
    1 and each ends with its PMID on a line of its own, which is what is read: the numbers
    are not (a line of an abstract may start "2. "), nor the PMIDs of the works a record
    names (comments, errata)."""
    if not _PUBMED_FIRST.match(text):
        return None
    out = ListedIdentifiers()
    for m in _PUBMED_PMID_LINE.finditer(text):
        out.add_pmid(m.group(1), m.group(0))
    return out if out.found else None


#: The start of a record of PubMed's "Summary (text)" file: "1. Barzilai O, Laufer I, …"
#: ("1:" in older exports), its citation wrapped or on one line.
_SUMMARY_RECORD = re.compile(r"^[ \t]*(\d{1,6})[.:] +\S", re.M)
#: The record's PMID inside its citation ("PubMed PMID: n" in older exports).
_SUMMARY_PMID = re.compile(r"\bPMID:\s*(\d{1,8})\b")


def pubmed_summary_list(text: str) -> ListedIdentifiers | None:
    """The PMIDs of PubMed's "Save ▸ Summary (text)" file (the Save dialog's first format),
    one a record, in order; None for any other text. Its records are citations numbered from
    1, each with its PMID (and its DOI, and perhaps its PMCID: the PMID alone is taken, one
    article, one identifier). A record starts at a line numbered with the next number (blank
    lines between records may be lost in a paste); the text must start with the first, and
    every record must name one PMID, or the text is not such a file."""
    starts: list[int] = []
    for m in _SUMMARY_RECORD.finditer(text):
        if int(m.group(1)) == len(starts) + 1:
            starts.append(m.start())
    if not starts or text[:starts[0]].strip():
        return None
    out = ListedIdentifiers()
    for start, end in zip(starts, [*starts[1:], len(text)]):
        record = text[start:end]
        pmids = _SUMMARY_PMID.findall(record)
        if len(pmids) != 1:
            return None
        out.add_pmid(pmids[0], " ".join(record.split())[:120])
    return out if out.found else None


def identifiers_in_text(text: str) -> list[Found]:
    """Pasted or piped text read for identifiers: a PubMed "Abstract (text)" or "Summary
    (text)" file's text for its records' own PMIDs (:func:`pubmed_text_list`,
    :func:`pubmed_summary_list`: not the DOIs beside them, nor the PMIDs of the comments
    they name), any other text as :func:`find_identifiers` reads it."""
    listed = pubmed_text_list(text) or pubmed_summary_list(text)
    return listed.found if listed is not None else find_identifiers(text)


def _reference_list(text: str) -> ListedIdentifiers:
    """The identifiers in a reference list's text, read as pasted text is, and the lines
    that name none."""
    out = ListedIdentifiers()
    for found in find_identifiers(text):
        if found.identifier is not None:
            out.found.append(found)
        else:
            out.skipped.append(found.text)
    return out


def _strict_list(text: str) -> ListedIdentifiers | None:
    """A text file's identifiers when every line is one; None when no line is one; raises
    FormatError naming the first line that is not one (in a list, a damaged identifier)."""
    out = ListedIdentifiers()
    bad: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().strip("•*-–").strip()
        if not line or line.startswith("#"):
            continue
        try:
            ident = parse_input(line)
        except InvalidIdentifier:
            bad = bad or (number, line)
            continue
        out.add(Found(line, ident))
    if not out.found:
        return None
    if bad is not None:
        raise FormatError(f"line {bad[0]}, {bad[1][:80]!r}, is not a DOI, PMID or "
                          "PMCID; a text file of identifiers holds one a line (# starts a "
                          "comment), so nothing was imported from it")
    return out


def word_text(path: Path) -> str:
    """Every paragraph of a Word file's body and tables, one a line."""
    from spinelib.manuscript import wordfile

    document = wordfile.open_document(path)
    return "\n".join(wordfile.paragraph_text(p) for p in wordfile.paragraphs(document))


#: CSV column names, lower-cased without spaces or punctuation, and the kind each holds.
_CSV_COLUMNS = {"pmid": "pmid", "pubmedid": "pmid", "doi": "doi", "pmcid": "pmcid"}


def _csv_list(path: Path) -> ListedIdentifiers:
    """The identifiers of a CSV's identifier columns, a row at a time (see the module's
    promises); FormatError for a CSV with no such column, or one that cannot be parsed."""
    text, _warnings = formats.read_text(path)
    table = read_csv_table(text, path.name)
    header = table.header
    names = [re.sub(r"[^a-z]", "", name.lower()) for name in header]
    columns: dict[str, int] = {}  # kind -> the first column that holds it
    for name, kind in _CSV_COLUMNS.items():
        if name in names and kind not in columns:
            columns[kind] = names.index(name)
    if not columns:
        listed = _strict_list(table.text)  # a column of identifiers, no header: a .txt list
        if listed is not None:
            return listed
        shown = ", ".join(h.strip() for h in header[:8] if h.strip()) or "none"
        raise FormatError(f"{path.name}: a CSV file is read for its PMID, DOI or PMCID "
                          f"column (as PubMed's and Scopus's CSV exports have them), and this "
                          f"one has none (its columns: {shown})")
    title = names.index("title") if "title" in names else None
    out = ListedIdentifiers()
    for _line, row in table.rows:
        found = _csv_identifier(row, columns)
        if found is None:
            label = row[title] if title is not None and title < len(row) else ", ".join(row)
            out.skipped.append(" ".join(label.split()))
        else:
            out.add(found)
    return out


def _csv_identifier(row: list[str], columns: dict[str, int]) -> Found | None:
    """The row's first identifier by :data:`~spinelib.identifiertext.WORK_KINDS`, None when it
    has none."""
    for kind in WORK_KINDS:
        at = columns.get(kind)
        cell = row[at].strip() if at is not None and at < len(row) else ""
        value = identifier_of_kind(kind, cell)[0] if cell else ""
        if value:
            return Found(cell, Identifier(kind, value))
    return None
