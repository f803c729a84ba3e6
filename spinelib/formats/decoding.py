"""Bytes to text: what every file reader goes through before its format parser.

* A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides the encoding and is removed.
* Binary files people drop by mistake (images, PDFs, archives, databases) are refused with
  a message that says what the file looks like.
* Otherwise strict UTF-8 when it is valid, else Windows-1252 (the encoding EndNote and old
  Windows tools write) with a warning naming the file.

Pure functions over bytes, except :func:`read_bytes` and :func:`read_head`, which read a file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from spinelib.errors import FormatError

#: How much of a file the sniffers look at.
HEAD_BYTES = 8192

#: The first bytes of an SQLite database (a library, a backup; the export writers refuse
#: to replace one): https://www.sqlite.org/fileformat.html
SQLITE_HEADER = b"SQLite format 3\x00"

#: Magic numbers of binary files people drop by mistake, and how to name them to a user.
#: (Only signatures no text file starts with; other binaries are caught by their NULs.)
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (SQLITE_HEADER, "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"{\\rtf", "an RTF document"),
)

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its LE mark starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

#: The five bytes Windows-1252 leaves undefined; they are read as Latin-1 (C1 controls).
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _cp1252_then_latin1(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes Windows-1252 does not define are read as Latin-1."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start:err.end]
    return bytes(bad).decode("latin-1"), err.end


codecs.register_error("spinelib-latin1", _cp1252_then_latin1)


def read_bytes(path: Path, size: int = -1) -> bytes:
    """The first ``size`` bytes of ``path`` (all of it by default); FormatError with a
    plain message for a missing, unreadable or folder path."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except FileNotFoundError:
        raise FormatError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise FormatError(f"{path.name} is a folder, not a file") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``; FormatError for a missing or unreadable file."""
    return read_bytes(path, size)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when ``data`` starts with a byte-order mark, else None."""
    for bom, codec, _label in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _looks_utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes are plainly ASCII-range UTF-16 text."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def binary_kind(head: bytes) -> str | None:
    """A description ('a PNG image') when ``head`` is not text, else None.

    Text with a byte-order mark is text even though UTF-16 is full of NUL bytes; so is
    BOM-less UTF-16 whose every other byte is NUL.
    """
    for magic, label in MAGIC:
        if head.startswith(magic):
            return label
    if bom_encoding(head) is not None or _looks_utf16_without_bom(head):
        return None
    if b"\x00" in head:
        return "a binary file (it contains NUL bytes)"
    # Many C0 control bytes (other than tab/newline/carriage return/form feed/escape) mean
    # binary data even without NULs.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls > max(8, len(head) // 20):
        return "a binary file (it is full of control bytes)"
    return None


def decode_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a whole file's bytes into text; returns (text, warnings).

    Promises: a BOM decides the encoding and is removed; BOM-less UTF-16 is recognised;
    valid UTF-8 is read as UTF-8; Chinese text in GBK/GB18030 is recognised and read so;
    anything else is read as Windows-1252 (undefined bytes as Latin-1); each with a
    warning naming ``name``. Binary data raises FormatError saying what
    the file looks like ("photo.bib is not a text file (it looks like a PNG image)").
    """
    warnings: list[str] = []
    kind = binary_kind(data[:HEAD_BYTES])
    if kind is not None:
        raise FormatError(f"{name} is not a text file (it looks like {kind})")
    bom = bom_encoding(data)
    if bom is not None:
        codec, skip = bom
        try:
            return data[skip:].decode(codec), warnings
        except UnicodeDecodeError as exc:
            if codec != "utf-8":
                text = data[skip:].decode(codec, errors="replace")
                warnings.append(f"{name}: damaged {codec.upper()} text at byte {exc.start}; "
                                "unreadable characters were replaced with \ufffd")
                return text, warnings
            data = data[skip:]  # a UTF-8 mark on Windows-1252 bytes: fall through
    else:
        utf16 = _looks_utf16_without_bom(data[:HEAD_BYTES])
        if utf16 is not None:
            warnings.append(f"{name} has no byte-order mark; read it as {utf16.upper()}")
            return data.decode(utf16, errors="replace"), warnings
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    if _looks_gb18030(data):
        warnings.append(f"{name} is not UTF-8; its text is Chinese in GB18030 (GBK), and "
                        "was read so")
        return data.decode("gb18030"), warnings
    if any(b in _CP1252_HOLES for b in data):
        warnings.append(f"{name} is not UTF-8; read it as Windows-1252 (with Latin-1 for "
                        "bytes Windows-1252 does not define)")
    else:
        warnings.append(f"{name} is not UTF-8; read it as Windows-1252")
    return data.decode("cp1252", errors="spinelib-latin1"), warnings


_HIGH_RE = re.compile(rb"[\x80-\xff]")
#: A GB2312/GBK double-byte character: both bytes in A1-FE (GB18030 keeps that range).
_GB_PAIR_RE = re.compile(rb"[\xa1-\xfe][\xa1-\xfe]")


def _looks_gb18030(data: bytes) -> bool:
    """True when non-UTF-8 bytes are Chinese text in GBK/GB18030, not Windows-1252.

    Windows-1252 text has accented letters between ASCII letters ("M\xfcller"); GBK text
    has its high bytes in pairs, almost all in A1-FE. The bytes must also decode as GB18030.
    """
    high = len(_HIGH_RE.findall(data))
    if high < 4:
        return False
    paired = 2 * len(_GB_PAIR_RE.findall(data))
    if paired < 0.9 * high:
        return False
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def decode_head(head: bytes) -> str:
    """Best-effort text of a file's first bytes, for sniffing only (never raises)."""
    bom = bom_encoding(head)
    if bom is not None:
        return head[bom[1]:].decode(bom[0], errors="ignore")
    utf16 = _looks_utf16_without_bom(head)
    if utf16:
        return head.decode(utf16, errors="ignore")
    return head.decode("utf-8", errors="ignore")
