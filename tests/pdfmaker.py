"""Tiny PDFs for the attachments tests (a few hundred bytes each; the writer is
benchmarks/pdfgen.py).

:func:`make_pdf` writes one page per string (Helvetica text, one line per ``\\n``), with an
optional information dictionary (Title, Subject, …); a page given as ``None`` has no text
layer (a scanned page), one given as ``(size, line)`` pairs sets each line in its size.
The cross-reference table is exact, so PDFium reads the files without repair.
:func:`encrypted_pdf` uses pypdf (a test-only dependency) to add a password.

A reader's highlights and comments: :func:`markup` and :func:`note` write annotation
dictionaries as Acrobat does (given to ``make_pdf``'s ``annots``), placed over a phrase by
:func:`phrase_boxes`; :func:`highlight_with_pdfium` adds one to a file through PDFium's own
API and saves it incrementally, as a PDFium-based viewer does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.pdfgen import Page, pdf_bytes


def make_pdf(path: Path, pages: Sequence[Page],
             metadata: dict[str, str] | None = None, *, scaled: bool = False,
             stamp: str = "", annots: Mapping[int, Sequence[str]] | None = None) -> Path:
    path.write_bytes(pdf_bytes(pages, metadata, scaled=scaled, stamp=stamp, annots=annots))
    return path


def encrypted_pdf(path: Path, text: str = "Secret paper") -> Path:
    """A password-protected PDF (RC4, user password 'secret')."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(BytesIO(pdf_bytes([text]))).pages:
        writer.add_page(page)
    writer.encrypt("secret", algorithm="RC4-128")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def paper_pages(doi: str, title: str, cited: Sequence[str] = (), n: int = 2) -> list[str | None]:
    """Pages of a small paper: its DOI on page 1, citations of other DOIs on the last page."""
    pages: list[str | None] = [f"{title}\nJournal of Spine Oncology 2024\ndoi: {doi}\n"
                               "Abstract: metastatic epidural spinal cord compression."]
    for i in range(2, n):
        pages.append(f"Methods page {i}: separation surgery and stereotactic radiosurgery.")
    refs = "\n".join(f"[{i}] Someone et al. doi:{d}" for i, d in enumerate(cited, start=1))
    pages.append("References\n" + refs if refs else "Discussion: vertebroplasty outcomes.")
    return pages


Box = tuple[float, float, float, float]


def phrase_boxes(pdf: bytes, page: int, phrase: str) -> list[Box]:
    """Where ``phrase`` stands on page ``page`` (from 0) of ``pdf``: a (left, bottom, right,
    top) box a line, as a viewer's highlight covers it (half a point round the letters
    across, two above and below)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page].get_textpage()
        text = textpage.get_text_range()
        # PDFium ends lines with CR LF, and a hyphen ending one with U+FFFE alone.
        phrase = phrase.replace("-\n", "\ufffe").replace("\n", "\r\n")
        start = text.index(phrase)
        lines: list[list[float]] = [[]]
        for n in range(start, start + len(phrase)):
            if text[n] in "\r\n":
                if lines[-1]:
                    lines.append([])
                continue
            left, bottom, right, top = textpage.get_charbox(n)
            if right <= left:
                continue
            row = lines[-1]
            row[:] = [min(row[0], left), min(row[1], bottom), max(row[2], right),
                      max(row[3], top)] if row else [left, bottom, right, top]
            if text[n] == "\ufffe":
                lines.append([])
        return [(row[0] - 0.5, row[1] - 2, row[2] + 0.5, row[3] + 2) for row in lines if row]
    finally:
        doc.close()


def markup(boxes: Sequence[Box], subtype: str = "Highlight", contents: str = "",
           author: str = "", extra: str = "") -> str:
    """An annotation dictionary marking ``boxes`` as Acrobat writes one: ``/QuadPoints``
    (upper left, upper right, lower left, lower right, a box each), ``/Rect`` round them
    all, yellow, the comment as a UTF-16 string when it is not plain ASCII."""
    quads = " ".join(f"{x0:.2f} {y1:.2f} {x1:.2f} {y1:.2f} {x0:.2f} {y0:.2f} {x1:.2f} {y0:.2f}"
                     for x0, y0, x1, y1 in boxes)
    rect = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))
    body = (f"<< /Type /Annot /Subtype /{subtype} /Rect [{' '.join(f'{v:.2f}' for v in rect)}]"
            f" /QuadPoints [{quads}] /C [1 0.92 0.23] /M (D:20261130201500+01'00')")
    if contents:
        body += f" /Contents {pdf_string(contents)}"
    if author:
        body += f" /T {pdf_string(author)}"
    return body + f" {extra} >>"


def note(x: float, y: float, contents: str, author: str = "", extra: str = "") -> str:
    """A sticky note (``/Text``) at (x, y) saying ``contents``."""
    body = (f"<< /Type /Annot /Subtype /Text /Rect [{x} {y - 20} {x + 20} {y}] /Name /Comment"
            f" /Contents {pdf_string(contents)}")
    if author:
        body += f" /T {pdf_string(author)}"
    return body + f" {extra} >>"


def pdf_string(text: str) -> str:
    """A PDF text string: literal when ASCII, else UTF-16BE with its byte-order mark, as
    viewers write names and comments with accents or symbols."""
    if text.isascii():
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def highlight_with_pdfium(path: Path, page: int, phrase: str, comment: str) -> None:
    """Highlight ``phrase`` on page ``page`` (from 0) of the PDF at ``path`` and save it as
    a viewer built on PDFium does (Chrome's, and many others): the annotation made through
    PDFium's own API, the file saved by an *incremental update* (its old bytes kept, the
    change appended)."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    data = path.read_bytes()
    boxes = phrase_boxes(data, page, phrase)
    doc = pdfium.PdfDocument(data)
    try:
        handle = doc[page]
        annot = c.FPDFPage_CreateAnnot(handle.raw, c.FPDF_ANNOT_HIGHLIGHT)
        for x0, y0, x1, y1 in boxes:
            assert c.FPDFAnnot_AppendAttachmentPoints(
                annot, c.FS_QUADPOINTSF(x0, y1, x1, y1, x0, y0, x1, y0))
        text = ctypes.create_string_buffer((comment + "\0").encode("utf-16-le"))
        assert c.FPDFAnnot_SetStringValue(annot, b"Contents",
                                          ctypes.cast(text, ctypes.POINTER(c.FPDF_WCHAR)))
        c.FPDFAnnot_SetColor(annot, c.FPDFANNOT_COLORTYPE_Color, 255, 235, 59, 255)
        c.FPDFPage_CloseAnnot(annot)
        handle.close()
        out = io.BytesIO()
        doc.save(out, flags=c.FPDF_INCREMENTAL)
    finally:
        doc.close()
    path.write_bytes(out.getvalue())
