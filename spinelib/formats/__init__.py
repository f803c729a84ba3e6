"""The format registry: which reader a file needs, and every writer by name.

Faces never pick a format module themselves; they call :func:`read_file` (or
:func:`detect` then ``READERS``) to import, and ``WRITERS[name]`` to export, after
:func:`export_problems` has told the user what a consumer would choke on. Everything here
is a pure function over :class:`~spinelib.records.ArticleRecord` except the file helpers
(:func:`detect`, :func:`read_text`, :func:`read_file`, :func:`write_atomic`).

Readers take the text and the name to use in messages and return a :class:`ReadResult`.
PubMed XML is the one byte-level format (the XML declaration names its encoding), so it
also has a bytes reader in ``BYTES_READERS``; :func:`read_file` prefers that one.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from spinelib.errors import FormatError, SpineLibError
from spinelib.formats import bibtex, citation, csljson, medline, ris
from spinelib.formats.textio import (
    ReadResult,
    binary_kind,
    decode_bytes,
    decode_head,
    read_bytes,
    read_head,
    sniff_format,
)
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


def _read_pubmed_bytes(data: bytes, source_name: str) -> ReadResult:
    """PubMed efetch XML (a ``PubmedArticleSet``) via the PubMed source's parser."""
    from spinelib.sources.pubmed import parse_pubmed_xml  # lazy: keeps formats light

    records = parse_pubmed_xml(data, origin=source_name)
    result = ReadResult(records=list(records))
    if not result.records:
        result.warnings.append(f"{source_name} holds no PubMed articles")
    return result


def _read_pubmed_text(text: str, source_name: str) -> ReadResult:
    """The XML reader for text already decoded: re-encoded as UTF-8, declaration to match."""
    text = re.sub(r"""^(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""", r"\1UTF-8",
                  text, count=1)
    return _read_pubmed_bytes(text.lstrip("\ufeff").encode("utf-8"), source_name)


#: Format name -> reader(text, source_name). "biblatex" reads as BibTeX does.
READERS: dict[str, Callable[[str, str], ReadResult]] = {
    "bibtex": bibtex.read_bibtex,
    "biblatex": bibtex.read_bibtex,
    "ris": ris.read_ris,
    "medline": medline.read_medline,
    "csljson": csljson.read_csljson,
    "pubmed": _read_pubmed_text,
}
#: Formats read from bytes rather than decoded text (the parser honours the XML encoding).
BYTES_READERS: dict[str, Callable[[bytes, str], ReadResult]] = {
    "pubmed": _read_pubmed_bytes,
}
#: Format name -> writer(records, *, abstracts=False) -> text.
WRITERS: dict[str, Callable[..., str]] = {
    "bibtex": bibtex.write_bibtex,
    "biblatex": bibtex.write_biblatex,
    "ris": ris.write_ris,
    "csljson": csljson.write_csljson,
    "vancouver": citation.write_vancouver,
    "ama": citation.write_ama,
    "vancouver-html": citation.write_vancouver_html,
    "ama-html": citation.write_ama_html,
}
#: File extension -> format. ".txt" and extension-less files are recognised by content.
EXTENSIONS: dict[str, str] = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".biblatex": "bibtex",
    ".ris": "ris",
    ".nbib": "medline",
    ".medline": "medline",
    ".json": "csljson",
    ".csljson": "csljson",
    ".xml": "pubmed",
}
#: Extensions whose format is decided by the content alone.
SNIFFED_EXTENSIONS = frozenset({".txt", ".text", ""})
#: Default file extension for each writer (for save dialogs and ``-o`` defaults).
WRITER_EXTENSIONS: dict[str, str] = {
    "bibtex": ".bib", "biblatex": ".bib", "ris": ".ris", "csljson": ".json",
    "vancouver": ".txt", "ama": ".txt", "vancouver-html": ".html", "ama-html": ".html",
}

def _supported() -> str:
    exts = ", ".join(sorted(EXTENSIONS))
    return f"{exts} (and .txt holding RIS, MEDLINE or BibTeX)"


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
        raise FormatError(f"{path.name} is not a text file (it looks like {kind})")
    ext = path.suffix.lower()
    by_ext = EXTENSIONS.get(ext)
    sniffed = sniff_format(decode_head(head))
    if sniffed == "html":
        raise FormatError(f"{path.name} is a web page (HTML), not a reference file; use the "
                          "site's export (BibTeX, RIS, MEDLINE) instead")
    if sniffed == "xml":
        raise FormatError(f"{path.name} is XML but not PubMed XML (a PubmedArticleSet); "
                          "other XML formats are not supported")
    if by_ext is not None:
        if sniffed is not None and sniffed != by_ext:
            return sniffed
        return by_ext
    if ext in SNIFFED_EXTENSIONS:
        if sniffed is not None:
            return sniffed
        raise FormatError(f"{path.name}: cannot tell its format from the content; expected "
                          "BibTeX, RIS, MEDLINE, CSL-JSON or PubMed XML")
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
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(WRITERS)}")
    if fmt in ("bibtex", "biblatex"):
        return bibtex.export_problems(records, biblatex=fmt == "biblatex")
    if fmt == "ris":
        return ris.export_problems(records)
    if fmt == "csljson":
        return csljson.export_problems(records)
    # Reference lists: without a title or any author/year a line is of no use to a reader.
    return [f"{r.citekey or r.label()}: missing title" for r in records if not r.title.strip()]


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` so that it is either the old file or the new one.

    The text goes to a temporary file in the same folder, is flushed and fsynced, and then
    replaces ``path`` in one rename; a failure leaves no temporary file behind. An existing
    file keeps its permissions. Raises SpineLibError naming the file when it cannot be
    written (missing folder, no permission, disk full).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    try:
        # O_EXCL: never follow or clobber something already at the temporary name.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            if mode is not None:
                os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:  # make the rename itself durable
            dir_fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise SpineLibError(f"cannot write {path}: {exc.strerror or exc}") from None
