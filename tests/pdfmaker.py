"""Tiny PDFs for the attachments tests (a few hundred bytes each; the writer is
benchmarks/pdfgen.py).

:func:`make_pdf` writes one page per string (Helvetica text, one line per ``\\n``), with an
optional information dictionary (Title, Subject, …); a page given as ``None`` has no text
layer (a scanned page), one given as ``(size, line)`` pairs sets each line in its size.
The cross-reference table is exact, so PDFium reads the files without repair. :func:`encrypted_pdf` uses pypdf (a test-only dependency) to add a password.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from benchmarks.pdfgen import Page, pdf_bytes


def make_pdf(path: Path, pages: Sequence[Page],
             metadata: dict[str, str] | None = None, *, scaled: bool = False,
             stamp: str = "") -> Path:
    path.write_bytes(pdf_bytes(pages, metadata, scaled=scaled, stamp=stamp))
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
