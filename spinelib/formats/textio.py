"""Text helpers shared by the format readers and writers: decoding files, sniffing, tidying.

Three jobs live here so every format module behaves the same way:

* **Bytes to text** (:func:`decode_bytes`): honour a byte-order mark (UTF-8, UTF-16 LE/BE,
  UTF-32), refuse binary files with a message that says what the file looks like, read
  strict UTF-8 when it is valid and otherwise Windows-1252 (the encoding EndNote and old
  Windows tools write) with a warning naming the file.
* **Content sniffing** (:func:`sniff_format`): tell BibTeX, RIS, MEDLINE, CSL-JSON and PubMed
  XML apart from the first few kilobytes, for ``.txt`` files and mislabelled extensions.
* **Small field helpers** used by several formats: whitespace and paragraph normalisation,
  page ranges (expanding ``643-8`` to ``643-648`` and back to NLM's short form), month names,
  unique export keys, and :class:`ReadResult`, the value every reader returns (it lives here
  rather than in ``formats/__init__`` so the format modules never import their own registry).

Nothing here does network or database work; every function is pure except
:func:`read_head`, which reads the start of a file.
"""

from __future__ import annotations

import calendar
import codecs
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spinelib.citekeys import base_key, is_valid_citekey, key_suffixes
from spinelib.errors import FormatError
from spinelib.records import ArticleRecord


@dataclass
class ReadResult:
    """What a reader made of one file: the records, and what went wrong where.

    ``problems`` are per-entry or per-block failures, each naming the place
    ("refs.bib line 12: ... (skipped)"); the faces report them as failed items.
    ``warnings`` are things the user should know that lost nothing essential
    ("refs.ris is not UTF-8; read it as Windows-1252").
    """

    records: list[ArticleRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


#: How much of a file the sniffers look at.
HEAD_BYTES = 8192

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
    (b"SQLite format 3\x00", "an SQLite database"),
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
    valid UTF-8 is read as UTF-8; anything else is read as Windows-1252 (undefined bytes
    as Latin-1) with a warning naming ``name``. Binary data raises FormatError saying what
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
    if any(b in _CP1252_HOLES for b in data):
        warnings.append(f"{name} is not UTF-8; read it as Windows-1252 (with Latin-1 for "
                        "bytes Windows-1252 does not define)")
    else:
        warnings.append(f"{name} is not UTF-8; read it as Windows-1252")
    return data.decode("cp1252", errors="spinelib-latin1"), warnings


def decode_head(head: bytes) -> str:
    """Best-effort text of a file's first bytes, for sniffing only (never raises)."""
    bom = bom_encoding(head)
    if bom is not None:
        return head[bom[1]:].decode(bom[0], errors="ignore")
    utf16 = _looks_utf16_without_bom(head)
    if utf16:
        return head.decode(utf16, errors="ignore")
    return head.decode("utf-8", errors="ignore")


_HTML_RE = re.compile(r"<(?:!doctype\s+html|html\b|head\b|body\b)", re.I)
_PUBMED_ROOT_RE = re.compile(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)\b")
_SNIFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ris", re.compile(r"^[ \t]*TY {1,2}- ", re.M)),
    ("medline", re.compile(r"^PMID- ?\d", re.M)),
    ("bibtex", re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.M)),
)


def sniff_format(head_text: str) -> str | None:
    """The format the start of a file is written in, or None when it is not recognisable.

    Returns "pubmed", "html" (a saved web page), "xml" (XML that is not PubMed's),
    "csljson" (any JSON), "ris", "medline" or "bibtex". For the line-based formats the
    earliest signature wins, so a BibTeX abstract quoting "TY  - " does not make it RIS.
    """
    text = head_text.lstrip("\ufeff \t\r\n")
    if not text:
        return None
    if text.startswith("<"):
        if _PUBMED_ROOT_RE.search(text):
            return "pubmed"
        return "html" if _HTML_RE.match(text) else "xml"
    if text[0] in "[{":
        return "csljson"
    found = [(m.start(), fmt) for fmt, rx in _SNIFFERS if (m := rx.search(text))]
    return min(found)[1] if found else None


# --------------------------------------------------------------------------------------
# Field helpers shared by several formats.

def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` without their ends (LF, CRLF or a bare CR), one at a time.

    Line-based readers use this instead of ``split`` so a 50 MB file is never held as a
    list of a million strings.
    """
    sep = "\n" if "\n" in text or "\r" not in text else "\r"  # classic Mac: CR only
    start = 0
    while True:
        end = text.find(sep, start)
        line = text[start:] if end < 0 else text[start:end]
        yield line[:-1] if line.endswith("\r") else line
        if end < 0:
            return
        start = end + 1


def normalise_newlines(text: str) -> str:
    """Unix newlines only (EndNote on Windows writes CRLF, classic Mac tools a bare CR)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029"
                         r"\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Drop control and invisible formatting characters no citation consumer can use."""
    return _CONTROL_RE.sub("", text)


def one_line(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped (titles, names, journals)."""
    if not text.isprintable():  # (every character strip_controls drops is unprintable)
        text = strip_controls(text)
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a long text (abstract, notes), each whitespace-collapsed.

    A paragraph break is a blank line; single line breaks inside a paragraph are spaces.
    """
    text = normalise_newlines(strip_controls(text))
    out = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text):
        line = " ".join(block.split())
        if line:
            out.append(line)
    return out


def tidy_long_text(text: str) -> str:
    """Paragraphs joined by one blank line: the normal form of abstracts and notes."""
    return "\n\n".join(paragraphs(text))


_RANGE_RE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-\u2010-\u2015\u2212]+\s*([A-Za-z]*)(\d+)\s*$")


def normalise_pages(pages: str) -> str:
    """Page text with any dash run (``--``, en dash, minus) between parts made one hyphen."""
    pages = one_line(pages)
    return re.sub(r"\s*[-\u2010-\u2015\u2212]+\s*", "-", pages)


def expand_page_range(pages: str) -> str:
    """``643-8`` -> ``643-648``, ``1021-29`` -> ``1021-1029``; anything else unchanged.

    PubMed stores ranges the NLM way (second number shortened); BibTeX, RIS and CSL
    consumers expect the full last page. Only plain numeric ranges are touched (as the
    PubMed parser does): ``e91-e220``, ``R67-99`` and article numbers stay as published.
    """
    pages = normalise_pages(pages)
    m = _RANGE_RE.match(pages)
    if not m or m.group(1) or m.group(3):
        return pages
    first, last = m.group(2), m.group(4)
    if len(last) < len(first):
        candidate = first[: len(first) - len(last)] + last
        if int(candidate) >= int(first):
            last = candidate
    return f"{first}-{last}"


def split_page_range(pages: str) -> tuple[str, str]:
    """(start, end) of a page range after expansion; end is '' for a single page/number."""
    full = expand_page_range(pages)
    if _RANGE_RE.match(full):
        start, _, end = full.partition("-")
        return start, end
    return full, ""


def abbreviate_page_range(pages: str) -> str:
    """NLM short form: ``643-648`` -> ``643-8``, ``1021-1029`` -> ``1021-9``.

    Ranges with letters, and anything that is not a range, come back normalised only.
    """
    full = expand_page_range(pages)
    m = _RANGE_RE.match(full)
    if not m or m.group(1) or m.group(3):
        return full
    first, last = m.group(2), m.group(4)
    if len(first) != len(last) or int(last) <= int(first):
        return full
    i = 0
    while i < len(first) - 1 and first[i] == last[i]:
        i += 1
    return f"{first}-{last[i:]}"


_ISSN_RE = re.compile(r"(?<![\dXx-])(\d{4}-\d{3}[\dXx])(?![\dXx-])")


def pick_issn(values: Sequence[str]) -> str:
    """The ISSN to keep from values like '0140-6736 (Print)': Print, then Linking, then any.

    PubMed lists the electronic ISSN first; libraries and the PubMed XML parser keep the
    print one.
    """
    for wanted in ("print", "linking", ""):
        for v in values:
            for line in v.split("\n"):
                m = _ISSN_RE.search(line)
                if m and wanted in line.lower():
                    return m.group(1).upper()
    return ""


MONTH_ABBREVS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_MONTH_LOOKUP = {m.lower(): i + 1 for i, m in enumerate(MONTH_ABBREVS)} | {
    m.lower(): i + 1 for i, m in enumerate(MONTH_NAMES)} | {"sept": 9}


def parse_month(text: str) -> int | None:
    """1-12 from '3', '03', 'Mar', 'March', 'mar.'; None for seasons and anything else."""
    t = text.strip().rstrip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return _MONTH_LOOKUP.get(t)


def valid_day(year: int | None, month: int | None, day: int | None) -> int | None:
    """``day`` when it is a real day of that month (a day needs a month), else None."""
    if day is None or month is None:
        return None
    last = calendar.monthrange(year or 2000, month)[1]
    return day if 1 <= day <= last else None


def nfc(text: str) -> str:
    """Unicode NFC (composed) form, so 'e' + combining acute equals 'é'."""
    return unicodedata.normalize("NFC", text)


def export_keys(records: Sequence[ArticleRecord]) -> list[tuple[str, str]]:
    """One unique, valid key per record for an export, with a note when it was changed.

    The record's own citekey is used when it is valid; otherwise the key the citekeys module
    would generate. A key already used earlier in the same export gets a, b, c ... appended.
    Returns (key, note) pairs; note is '' when the record's citekey was used as it is.
    """
    taken: set[str] = set()
    out: list[tuple[str, str]] = []
    for rec in records:
        key, note = rec.citekey, ""
        if not is_valid_citekey(key):
            note = (f"has the citekey {key!r}, which BibTeX cannot use" if key
                    else "has no citekey")
            key = base_key(rec)
        if key in taken:
            base = key
            key = next(base + s for s in key_suffixes() if base + s not in taken)
            note = note or f"shares the citekey {base!r} with an earlier record"
        taken.add(key)
        out.append((key, f"{note}; it is written as {key!r}" if note else ""))
    return out


def merged_keywords(record: ArticleRecord) -> list[str]:
    """The record's tags, then its keywords, without repeats (case-insensitive).

    Every writer puts this list in the format's keyword slot, so a user's tags reach
    Zotero, JabRef or EndNote; every reader puts that slot back into ``record.keywords``.
    """
    seen: set[str] = set()
    out: list[str] = []
    for word in [*record.tags, *record.keywords]:
        word = one_line(word)
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            out.append(word)
    return out


def missing_basics(records: Sequence[ArticleRecord]) -> list[str]:
    """'key: missing author, year' for each record a citation consumer would render badly
    (no author, no title or no year); shared by the RIS and CSL-JSON pre-export checks."""
    problems = []
    for record, (key, _note) in zip(records, export_keys(records)):
        missing = [name for name, ok in (
            ("author", any(one_line(a.family) or one_line(a.collective)
                           for a in record.authors)),
            ("title", bool(one_line(record.title))),
            ("year", bool(record.year)),
        ) if not ok]
        if missing:
            problems.append(f"{key}: missing {', '.join(missing)}")
    return problems
