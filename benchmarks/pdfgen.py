"""Tiny PDFs written byte by byte: one page per string, Helvetica text, an exact xref table.

Shared by the PDF benchmarks and the attachments tests (tests/pdfmaker.py), so neither needs
a PDF library to make its input. A page given as ``None`` has no text layer (a scan); a page
given as ``(size, line)`` pairs sets each line in its own size, directly (``/F1 18 Tf``) or,
with ``scaled``, as many typesetters write it: a 1-point font scaled by the text matrix.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

#: A page: its text (11-point lines; a form feed starts a second column), its lines each
#: with a size, or None (no text layer).
Page = str | Sequence[tuple[float, str]] | None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _sized(lines: Sequence[tuple[float, str]], scaled: bool) -> list[str]:
    """Text operators setting each line in its own size, one under the other."""
    ops, y = ["BT"], 760.0
    for size, line in lines:
        y -= size * 1.3
        font = f"/F1 1 Tf {size} 0 0 {size}" if scaled else f"/F1 {size} Tf 1 0 0 1"
        ops.append(f"{font} 72 {y:.1f} Tm ({_escape(line)}) Tj")
    return [*ops, "ET"]


def _named(names: dict[str, str], m: re.Match[str]) -> str:
    return names[m.group(1)]


def _annots_entry(refs: list[int] | None) -> str:
    return f" /Annots [{' '.join(f'{r} 0 R' for r in refs)}]" if refs else ""


def pdf_bytes(pages: Sequence[Page], metadata: dict[str, str] | None = None, *,
              scaled: bool = False, stamp: str = "",
              annots: Mapping[int, Sequence[str]] | None = None) -> bytes:
    """A valid PDF with one page per entry of ``pages`` (see :data:`Page`); ``stamp``: a
    line set on its side in page 1's left margin, in 20 points, as arXiv stamps preprints;
    ``annots``: annotation dictionaries (PDF source, ``<< /Type /Annot … >>``) by page
    index, written as objects after the pages and listed in each page's ``/Annots``; in
    one, ``{N}`` names the page's N-th annotation's object (for ``/IRT`` and ``/Popup``)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    annots = annots or {}
    first_annot = 4 + 2 * n_pages + (1 if metadata else 0)
    annot_refs: dict[int, list[int]] = {}
    for page_index in sorted(annots):
        start = first_annot + sum(len(v) for v in annot_refs.values())
        annot_refs[page_index] = list(range(start, start + len(annots[page_index])))
    # 1 catalog, 2 pages tree, 3 font, then (page, content) pairs, then the info dict.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        content_ref = 5 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_ref} 0 R "
            f"/Resources << /Font << /F1 3 0 R >> >>{_annots_entry(annot_refs.get(i))} >>"
            .encode())
        if text is None:
            stream = b"0.5 g 72 72 200 200 re f"
        elif not isinstance(text, str):
            stream = "\n".join(_sized(text, scaled)).encode("latin-1", "replace")
        else:
            ops = []
            # A form feed starts the next column, at the top again, as a journal's page.
            for column, part in enumerate(text.split("\f")):
                ops.append(f"BT /F1 11 Tf 14 TL {72 + 250 * column} 720 Td")
                ops += [f"({_escape(line)}) Tj T*" for line in part.split("\n")]
                ops.append("ET")
            stream = "\n".join(ops).encode("latin-1", "replace")
        if stamp and i == 0:
            stream += f"\nBT /F1 20 Tf 0 1 -1 0 36 200 Tm ({_escape(stamp)}) Tj ET".encode(
                "latin-1", "replace")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info_ref = None
    if metadata:
        entries = " ".join(f"/{k} ({_escape(v)})" for k, v in metadata.items())
        objects.append(f"<< {entries} >>".encode("latin-1", "replace"))
        info_ref = len(objects)
    for page_index, refs in annot_refs.items():
        names = {str(n): f"{ref} 0 R" for n, ref in enumerate(refs)}
        objects += [re.sub(r"\{(\d+)\}", functools.partial(_named, names), body)
                    .encode("latin-1") for body in annots[page_index]]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info_ref:
        trailer += f" /Info {info_ref} 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
