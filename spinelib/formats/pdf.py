"""PDF files: what a file is (a real PDF or something named like one), its metadata, its
pages' text, and the article identifiers printed on it.

Text comes from pypdfium2 (PDFium). PDFium is not thread-safe, so every call into it runs on
**one** dedicated thread owned by this module (:func:`read_pdf` submits and waits): callers
on any thread, GUI workers included, can never run two PDFium calls at once.

Promises:
- :func:`sniff` names what a non-PDF is (HTML, PNG, empty, …) from its first bytes;
- :func:`read_pdf` reads at most ``max_pages`` pages and ``max_chars`` characters and says
  when it stopped early; a truncated, damaged or password-protected file raises
  :class:`~spinelib.errors.FormatError` with a plain message naming the file;
- :func:`find_identifiers` prefers the DOI in the metadata or on the first page over DOIs
  cited later in the text.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any, TypeVar

from spinelib.errors import FormatError, InvalidIdentifier
from spinelib.formats import pdf_heading, pdf_hyphens
from spinelib.identifiers import DOI_IN_TEXT_RE, parse_identifier
from spinelib.identifiertext import unbroken_text

PDF_MAGIC = b"%PDF-"
#: Bytes a "%PDF-" header may be preceded by (some writers put junk or a BOM first; readers
#: accept the header within the first kilobyte).
HEADER_WINDOW = 1024
#: Pages searched for identifiers after the first one (a cover page may come first).
IDENTIFIER_PAGES = 2
#: Metadata keys read from the document information dictionary.
METADATA_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")

T = TypeVar("T")
_PMID_RE = re.compile(r"\bPMID\s*:?\s*(\d{1,8})\b")
_pdfium_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                       thread_name_prefix="pdfium")


@dataclass
class PdfText:
    """What was read from a PDF: its page count, metadata and per-page text (capped)."""

    pages: int
    metadata: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    #: True when the page or character cap stopped the reading before the end.
    capped: bool = False
    #: The first page's text in the largest type (its title, on nearly every article's
    #: first page: :mod:`spinelib.formats.pdf_heading`); read only when asked for.
    heading: str = ""

    @property
    def has_text(self) -> bool:
        """False for a scan without a text layer."""
        return any(t.strip() for t in self.texts)

    def pages_with_text(self) -> list[tuple[int, str]]:
        """(page number from 1, text) of each page read that holds text: the pages an
        attachment stores (a blank page, or a scanned one, has nothing to search)."""
        return [(n, text) for n, text in enumerate(self.texts, start=1) if text.strip()]


@dataclass(frozen=True)
class FoundIdentifiers:
    """Identifiers found in a PDF: the chosen one (``kind`` "doi"/"pmid", ``value``), where
    it was found, and other DOIs named (taken as citations)."""

    kind: str = ""
    value: str = ""
    where: str = ""
    others: tuple[str, ...] = ()


def sniff(head: bytes) -> str:
    """'' when ``head`` (a file's first bytes) starts a PDF, else what it looks like."""
    if not head:
        return "the file is empty"
    if PDF_MAGIC in head[:HEADER_WINDOW]:
        return ""
    lower = head[:512].lstrip().lower()
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower:
        return "it is an HTML page, not a PDF"
    if head.startswith(b"\x89PNG"):
        return "it is a PNG image, not a PDF"
    if head.startswith(b"\xff\xd8\xff"):
        return "it is a JPEG image, not a PDF"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive, not a PDF"
    if lower.startswith((b"{", b"[")):
        return "it is JSON text, not a PDF"
    if lower.startswith(b"<?xml"):
        return "it is an XML file, not a PDF"
    return "it does not start like a PDF (no %PDF- header)"


def is_pdf_file(path: Path) -> str:
    """'' when ``path`` starts like a PDF, else the reason it does not (see :func:`sniff`)."""
    with open(path, "rb") as fh:
        return sniff(fh.read(HEADER_WINDOW))


def read_pdf(path: Path, *, max_pages: int = 100, max_chars: int = 500_000,
             heading: bool = False) -> PdfText:
    """Page count, metadata and the text of the first pages, read on the PDFium thread;
    with ``heading``, also the first page's heading (a walk over its letters' sizes, about
    10 ms a page: an import wants it, attaching a known paper's text does not)."""
    return on_pdfium_thread(_read, Path(path), max_pages, max_chars, heading)


def on_pdfium_thread(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` run on the one thread every PDFium call runs on (PDFium is not
    thread-safe), waited for; for readers of other parts of a PDF
    (:mod:`spinelib.formats.pdf_annotations`)."""
    return _pdfium_thread.submit(work, *args).result()


def open_document(path: Path) -> Any:
    """The PDF at ``path`` opened by PDFium (call on the PDFium thread; close it when done);
    :class:`FormatError` in plain words when it is damaged, encrypted or not a PDF."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise FormatError(f"{path.name}: {_plain_pdfium(str(exc))}") from None


def _read(path: Path, max_pages: int, max_chars: int, heading: bool) -> PdfText:
    import pypdfium2 as pdfium

    doc = open_document(path)
    try:
        count = len(doc)
        meta = {k: str(v).strip() for k, v in doc.get_metadata_dict(skip_empty=True).items()
                if k in METADATA_KEYS and str(v).strip()}
        out = PdfText(count, meta)
        used = 0
        for index in range(min(count, max(0, max_pages))):
            page = doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    if heading and index == 0:
                        out.heading = pdf_heading.heading(_sized_lines(textpage))
                finally:
                    textpage.close()
            finally:
                page.close()
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
            if used + len(text) > max_chars:
                out.texts.append(text[:max(0, max_chars - used)])
                out.capped = True
                break
            used += len(text)
            out.texts.append(text)
        if count > max_pages:
            out.capped = True
        out.texts = pdf_hyphens.rejoin(out.texts)  # "verte\ufffebroplasty" searchable whole
        return out
    except pdfium.PdfiumError as exc:
        raise FormatError(f"{path.name}: {_plain_pdfium(str(exc))}") from None
    finally:
        doc.close()


def _sized_lines(textpage: Any) -> list[pdf_heading.SizedLine]:
    """The page's lines, each with the median size of its letters (:func:`_drawn_size`)."""
    import pypdfium2.raw as pdfium_c

    matrix, box = pdfium_c.FS_MATRIX(), pdfium_c.FS_RECTF()
    lines: list[pdf_heading.SizedLine] = []
    letters: list[str] = []
    heights: list[float] = []
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        if code in (10, 13):
            if heights:
                lines.append(pdf_heading.SizedLine(median(heights), "".join(letters)))
            letters, heights = [], []
            continue
        char = chr(code) if 0 < code < 0x110000 else " "
        letters.append(char)
        if not char.isspace():
            size = _drawn_size(pdfium_c, textpage, index, matrix, box)
            if size > 0:
                heights.append(size)
    if heights:
        lines.append(pdf_heading.SizedLine(median(heights), "".join(letters)))
    return lines


def _drawn_size(pdfium_c: Any, textpage: Any, index: int, matrix: Any, box: Any) -> float:
    """A letter's size as the page draws it: its font size times the scale of its
    transformation (many typesetters, TeX's among them, set a 1-point font and scale it),
    else, when PDFium cannot say, the height of its font's box; 0 when neither is known,
    and for a letter turned on its side."""
    size = pdfium_c.FPDFText_GetFontSize(textpage, index)
    if size > 0 and pdfium_c.FPDFText_GetMatrix(textpage, index, matrix):
        if abs(matrix.b) + abs(matrix.c) > abs(matrix.a) + abs(matrix.d):
            return 0.0  # set on its side: a margin's stamp (arXiv's, in 20 points), no title
        return float(size * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5)
    if pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box):
        return float(box.top - box.bottom)
    return 0.0


def _plain_pdfium(message: str) -> str:
    """PDFium's load errors in words a user knows."""
    lower = message.lower()
    if "password" in lower:
        return "the PDF is encrypted (password-protected); it cannot be read"
    if "format" in lower or "data format" in lower:
        return "the PDF is damaged or cut short and cannot be read"
    return f"the PDF cannot be read ({message})"


def _dois_in(text: str) -> list[str]:
    out: list[str] = []
    for m in DOI_IN_TEXT_RE.finditer(unbroken_text(text)):
        try:
            ident = parse_identifier(m.group(0))
        except InvalidIdentifier:
            continue
        if ident.kind == "doi" and ident.value not in out:
            out.append(ident.value)
    return out


def find_identifiers(pdf: PdfText) -> FoundIdentifiers:
    """The article's own DOI (or PMID): metadata first, then page 1, then the next pages.

    DOIs later in the text are citations; they are returned as ``others`` so a report can
    say which one was taken and why.
    """
    # Each page read for DOIs once: the first pages' serve both the choice and ``others``.
    page_dois = [_dois_in(text) for text in pdf.texts]
    all_dois: list[str] = []
    for dois in page_dois:
        all_dois.extend(d for d in dois if d not in all_dois)
    metadata = " ".join(pdf.metadata.values())
    places: list[tuple[str, str, list[str]]] = [("the PDF's metadata", metadata,
                                                 _dois_in(metadata))]
    places += [(f"page {n}", text, dois) for n, (text, dois) in
               enumerate(zip(pdf.texts[:1 + IDENTIFIER_PAGES], page_dois), start=1)]
    for where, _text, dois in places:
        if dois:
            return FoundIdentifiers("doi", dois[0], where,
                                    tuple(d for d in all_dois if d != dois[0]))
    for where, text, _dois in places:
        m = _PMID_RE.search(text)
        if m and int(m.group(1)):
            return FoundIdentifiers("pmid", str(int(m.group(1))), where, tuple(all_dois))
    return FoundIdentifiers(others=tuple(all_dois))


def title_guess(pdf: PdfText, fallback: str) -> str:
    """A title for an unidentified PDF: its metadata title when that reads as one, else its
    first page's heading, else its first line of text, else ``fallback``."""
    title = pdf_heading.plain_title(pdf.metadata.get("Title", "")) or pdf.heading
    if title:
        return title[:300]
    for text in pdf.texts[:1]:
        for line in text.splitlines():
            if len(line.strip()) >= 4:
                return " ".join(line.split())[:300]
    return fallback
