"""The formats package's front door: which reader a file needs, and every writer by name.

Faces never pick a format module themselves; they call :func:`read_file` (or
:func:`detect` then ``READERS``) to import, and ``WRITERS[name]`` to export, after
:func:`export_problems` has told the user what a consumer would choke on. The formats
themselves, their suffixes, labels and functions, are listed once, in
:mod:`spinelib.formats.registry`; the tables here are views of it.

Readers take the text and the name to use in messages and return a :class:`ReadResult`.
PubMed XML is the one byte-level format (the XML declaration names its encoding), so it
also has a bytes reader in ``BYTES_READERS``; :func:`read_file` prefers that one.

Importing this package is cheap: a format module (bibtexparser, pylatexenc, defusedxml) is
imported the first time one of its readers or writers runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from spinelib.errors import FormatError
from spinelib.formats.common import ReadResult
from spinelib.formats.decoding import (
    SQLITE_HEADER,
    binary_kind,
    decode_bytes,
    decode_head,
    read_bytes,
    read_head,
)
from spinelib.formats.registry import (
    CSV_RECORD_FORMATS,
    CSV_SUFFIX,
    EXPORT_FORMATS,
    READ_FORMATS,
    SNIFFED_SUFFIXES,
    export_format,
)
from spinelib.formats.sniff import sniff_format
from spinelib.records import ArticleRecord

__all__ = [
    "BYTES_READERS",
    "EXTENSIONS",
    "READERS",
    "WRITERS",
    "ReadResult",
    "detect",
    "export_problems",
    "read_file",
    "read_text",
    "write_atomic",
]

#: Format name -> reader(text, source_name). "biblatex" reads as BibTeX does.
READERS: dict[str, Callable[[str, str], ReadResult]] = {
    f.name: f.read_text for f in READ_FORMATS}
#: Formats read from bytes rather than decoded text (the parser honours the XML encoding).
BYTES_READERS: dict[str, Callable[[bytes, str], ReadResult]] = {
    f.name: f.read_bytes for f in READ_FORMATS if f.read_bytes is not None}
#: Format name -> writer(records, *, abstracts=False) -> text.
WRITERS: dict[str, Callable[..., str]] = {f.name: f.writer for f in EXPORT_FORMATS}
#: File extension -> format. ".txt" and extension-less files are recognised by content.
EXTENSIONS: dict[str, str] = {s: f.name for f in READ_FORMATS for s in f.suffixes}


def _supported() -> str:
    exts = ", ".join(sorted(EXTENSIONS))
    return f"{exts} (and .txt holding RIS, MEDLINE, Web of Science, EndNote or BibTeX)"


def detect(path: Path) -> str:
    """The format of the file at ``path``: by extension, then by content.

    The content wins when it clearly says another format (a ``.bib`` that is really RIS,
    a ``.txt`` from PubMed). Raises FormatError for a missing file, binary data
    ("photo.bib is not a text file (it looks like a PNG image)"), XML that is not PubMed's,
    and an unknown extension or unrecognisable ``.txt`` (the message lists what works).
    """
    path = Path(path)
    head = read_head(path)
    kind = binary_kind(head)
    if kind is not None:
        hint = ""
        if head.startswith(SQLITE_HEADER):  # another library, or a backup
            hint = (f"; if it is a SpineLib library or backup, import it as it is "
                    f"(spinelib import '{path}'): its articles join this library with their "
                    f"tags, notes, reading lists and files")
        raise FormatError(f"{path.name} is not a text file (it looks like {kind}){hint}")
    ext = path.suffix.lower()
    by_ext = EXTENSIONS.get(ext)
    sniffed = sniff_format(decode_head(head))
    if sniffed == "html":
        raise FormatError(f"{path.name} is a web page (HTML), not a reference file; use the "
                          "site's export (BibTeX, RIS, MEDLINE) instead")
    if sniffed == "xml":
        raise FormatError(f"{path.name} is XML but neither PubMed XML (a PubmedArticleSet), "
                          "EndNote XML nor Zotero RDF; other XML formats are not supported")
    if by_ext is not None:
        if sniffed is not None and sniffed != by_ext:
            return sniffed
        return by_ext
    if ext == CSV_SUFFIX and sniffed in CSV_RECORD_FORMATS:
        return sniffed  # a Scopus export; other CSVs list identifiers (identifierfiles)
    if ext in SNIFFED_SUFFIXES:
        if sniffed is not None:
            return sniffed
        raise FormatError(f"{path.name}: cannot tell its format from the content; expected "
                          "BibTeX, RIS, MEDLINE, Web of Science, EndNote (tagged or XML), "
                          "Ovid, Scopus CSV, CSL-JSON or PubMed XML")
    raise FormatError(f"{path.name}: unsupported file type {ext!r}; supported: {_supported()}")


def read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and any warnings about how it was decoded.

    A BOM (UTF-8, UTF-16 LE/BE) decides the encoding; bytes that are not UTF-8 are read
    as Windows-1252 (Latin-1 for its five undefined bytes) with a warning naming the file;
    binary data (magic numbers, NUL bytes) raises FormatError.
    """
    path = Path(path)
    return decode_bytes(read_bytes(path), path.name)


def read_file(path: Path) -> ReadResult:
    """Detect, decode and parse one file; messages name the file (and line or record).

    Whole-file failures (binary, unknown type, not JSON/XML at all) raise FormatError;
    per-entry failures are in ``problems`` and the good entries are in ``records``.
    """
    path = Path(path)
    fmt = detect(path)
    if fmt in BYTES_READERS:
        return BYTES_READERS[fmt](read_bytes(path), path.name)
    text, warnings = read_text(path)
    result = READERS[fmt](text, path.name)
    result.warnings[:0] = warnings
    return result


def export_problems(records: Sequence[ArticleRecord], fmt: str) -> list[str]:
    """What would break or mislead the consumer of an export, one message per issue.

    Each message names the record by the key it is written under: missing author, title
    or year (and journal, book title or publisher where BibTeX styles need them),
    characters classic BibTeX cannot encode, citekeys that had to be made or changed.
    Raises ValueError for an unknown format name.
    """
    return export_format(fmt).problems(records)


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` whole, never over a database
    (:func:`spinelib.outputfile.write_bytes_atomic`: SpineLibError naming the file when it
    cannot be written)."""
    from spinelib.outputfile import write_bytes_atomic

    write_bytes_atomic(Path(path), text.encode("utf-8"))
