"""The highlights and comments a reader made on a PDF in a PDF viewer (Acrobat, Preview,
Okular, a browser's viewer, a tablet's app): read from the file as it is now.

Viewers save them in the PDF itself as annotations: a *highlight*, *underline*,
*strike-out* or *squiggly* underline marks text by its quadrilaterals (``/QuadPoints``) and
may carry a comment (``/Contents``); a *note* (a sticky note, ``/Text``) and a *text box*
(``/FreeText``) carry only words; a drawing or a shape counts when it carries a comment; a
reply (``/IRT``) belongs to the annotation it answers. Pop-up windows, links and form fields
are not the reader's words and are passed over.

Promises: :func:`read_annotations` reads on the PDFium thread (:func:`spinelib.formats.pdf.
on_pdfium_thread`), returns the annotations in reading order (page by page, in the order
of the text they mark or stand beside: a two-column page's left column first), each marked
text as the page prints it (a word broken at a line's end made
whole, lines joined by a space), and raises :class:`~spinelib.errors.FormatError` in plain
words for a damaged or encrypted file. It never writes to the file.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spinelib.formats import pdf_hyphens
from spinelib.formats.pdf import on_pdfium_thread, open_document
from spinelib.text import normalise_newlines, one_line

#: Pages read at most (a reader's marks in a 2,000-page book are still found).
MAX_PAGES = 2000
#: How far (in points) a letter's centre may stand above or below a marked quadrilateral:
#: viewers draw the mark a little inside or outside the line's height. Across, the centre
#: must be inside: the mark's ends are where the reader's selection started and stopped,
#: and a point more takes in the comma after the last word.
SLACK = 1.0
#: How far (in points) from a note's corner the text it stands beside is looked for.
NEAR = 30.0

#: PDFium's subtype numbers (fpdf_annot.h) and what a reader calls them.
_MARKUP = {9: "highlight", 10: "underline", 11: "squiggly underline", 12: "strike-out"}
_WORDS_ONLY = {1: "note", 3: "text box"}
#: Marks of no words of the reader's own: links, pop-up windows, form fields, and the like.
_NOT_READERS = {0, 2, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28}
_OTHER_NAMES = {4: "line", 5: "rectangle", 6: "circle", 7: "polygon", 8: "polyline",
                13: "stamp", 14: "caret", 15: "drawing"}


@dataclass(frozen=True)
class Reply:
    """A reply to an annotation: who wrote it (may be '') and what."""

    author: str
    text: str


@dataclass(frozen=True)
class PdfAnnotation:
    """One highlight or comment: on which page (from 1), what kind (``highlight``,
    ``underline``, ``squiggly underline``, ``strike-out``, ``note``, ``text box``, or a drawing's
    kind), the text it marks ('' for a note), the reader's comment ('' for a bare
    highlight), its author and day (``YYYY-MM-DD``, '' when the viewer wrote none), its
    colour (``#rrggbb`` or ''), and the replies under it."""

    page: int
    kind: str
    quote: str = ""
    comment: str = ""
    author: str = ""
    day: str = ""
    colour: str = ""
    replies: tuple[Reply, ...] = ()
    #: Where it stands on its page: (top, left) in points from the page's foot, for order.
    position: tuple[float, float] = field(default=(0.0, 0.0), compare=False, repr=False)


def read_annotations(path: Path, max_pages: int = MAX_PAGES) -> list[PdfAnnotation]:
    """The reader's highlights and comments in the PDF at ``path``, in reading order."""
    return on_pdfium_thread(_read, Path(path), max_pages)


def _read(path: Path, max_pages: int) -> list[PdfAnnotation]:
    import pypdfium2.raw as pdfium_c

    doc = open_document(path)
    try:
        found: list[PdfAnnotation] = []
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            try:
                found += _page_annotations(pdfium_c, page, index + 1)
            finally:
                page.close()
        return found
    finally:
        doc.close()


Box = tuple[float, float, float, float]


def _page_annotations(c: Any, page: Any, number: int) -> list[PdfAnnotation]:
    """One page's annotations, replies folded under what they answer, in reading order."""
    read, answers, quads = _listed(c, page, number)
    if not read:
        return []
    order = _placed(c, page, read, quads)
    _fold_replies(read, answers)
    kept = [i for i, a in read.items() if a.quote or a.comment or a.replies]
    # The page's text runs in reading order (a journal's columns one after the other); a
    # mark far from any text (a note in the margin) follows, top to bottom.
    return [read[i] for i in sorted(kept, key=lambda i: (
        order[i] if order[i] >= 0 else math.inf, -read[i].position[0], read[i].position[1]))]


def _listed(c: Any, page: Any, number: int
            ) -> tuple[dict[int, PdfAnnotation], dict[int, int], dict[int, list[Box]]]:
    """The page's annotations of the reader's by their index on the page, which index each
    reply answers, and the boxes each text mark covers."""
    read: dict[int, PdfAnnotation] = {}
    answers: dict[int, int] = {}
    quads: dict[int, list[Box]] = {}
    for i in range(max(0, c.FPDFPage_GetAnnotCount(page.raw))):
        annot = c.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            kind = c.FPDFAnnot_GetSubtype(annot)
            if kind in _NOT_READERS:
                continue
            parent = c.FPDFAnnot_GetLinkedAnnot(annot, b"IRT")
            if parent:
                answers[i] = c.FPDFPage_GetAnnotIndex(page.raw, parent)
                c.FPDFPage_CloseAnnot(parent)
            read[i] = _annotation(c, annot, kind, number)
            if kind in _MARKUP:
                quads[i] = _quads(c, annot)
        finally:
            c.FPDFPage_CloseAnnot(annot)
    return read, answers, quads


def _placed(c: Any, page: Any, read: dict[int, PdfAnnotation],
            quads: dict[int, list[Box]]) -> dict[int, int]:
    """Fill each text mark's quote in ``read``; return where each annotation stands in the
    page's text (its first marked letter, or the letter nearest a note's corner; -1 when
    none is near)."""
    textpage = page.get_textpage()
    try:
        centres = _centres(c, textpage)
        order: dict[int, int] = {}
        for i, boxes in quads.items():
            inside = [n for n, centre in enumerate(centres)
                      if centre is not None and _in_any(centre, boxes)]
            read[i] = replace(read[i], quote=_quote(textpage, inside))
            order[i] = inside[0] if inside else -1
        for i, a in read.items():
            if i not in order:
                order[i] = c.FPDFText_GetCharIndexAtPos(
                    textpage.raw, a.position[1], a.position[0], NEAR, NEAR)
        return order
    finally:
        textpage.close()


def _fold_replies(read: dict[int, PdfAnnotation], answers: dict[int, int]) -> None:
    """Move each reply (by index) under the annotation it answers; a reply whose parent
    is gone or unreadable stays on its own."""
    for reply, answered in sorted(answers.items()):
        said = read.get(reply)
        if said is None or answered not in read or not said.comment:
            continue
        del read[reply]
        read[answered] = replace(read[answered], replies=(
            *read[answered].replies, Reply(said.author, said.comment)))


def _annotation(c: Any, annot: Any, kind: int, page: int) -> PdfAnnotation:
    box = _rectangle(c, annot)
    position = (round(box[3], 1), round(box[0], 1)) if box else (0.0, 0.0)
    name = _MARKUP.get(kind) or _WORDS_ONLY.get(kind) or _OTHER_NAMES.get(kind, "mark")
    return PdfAnnotation(page, name, comment=_paragraphs(_string(c, annot, b"Contents")),
                         author=one_line(_string(c, annot, b"T")),
                         day=pdf_day(_string(c, annot, b"M")), colour=_colour(c, annot),
                         position=position)


def _string(c: Any, annot: Any, key: bytes) -> str:
    """A text entry of the annotation's dictionary ('' when absent)."""
    size = c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    c.FPDFAnnot_GetStringValue(annot, key, buffer, size)
    return bytes(buffer)[:size - 2].decode("utf-16-le", errors="replace")


def _colour(c: Any, annot: Any) -> str:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not c.FPDFAnnot_HasKey(annot, b"C") or not c.FPDFAnnot_GetColor(
            annot, c.FPDFANNOT_COLORTYPE_Color, r, g, b, a):
        return ""
    return f"#{r.value:02x}{g.value:02x}{b.value:02x}"


def _quads(c: Any, annot: Any) -> list[Box]:
    """The marked areas as (left, bottom, right, top) boxes; the annotation's rectangle when
    it has no quadrilaterals (some writers leave them out for a one-line mark)."""
    boxes = []
    quad = c.FS_QUADPOINTSF()
    for n in range(c.FPDFAnnot_CountAttachmentPoints(annot)):
        if c.FPDFAnnot_GetAttachmentPoints(annot, n, quad):
            xs, ys = (quad.x1, quad.x2, quad.x3, quad.x4), (quad.y1, quad.y2, quad.y3, quad.y4)
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if not boxes and (box := _rectangle(c, annot)):
        boxes.append(box)
    return boxes


def _rectangle(c: Any, annot: Any) -> Box | None:
    """The annotation's rectangle (``/Rect``) as a (left, bottom, right, top) box, its
    corners in either order as writers give them; None when it has none."""
    rect = c.FS_RECTF()
    if not c.FPDFAnnot_GetRect(annot, rect):
        return None
    return (min(rect.left, rect.right), min(rect.top, rect.bottom),
            max(rect.left, rect.right), max(rect.top, rect.bottom))


def _centres(c: Any, textpage: Any) -> list[tuple[float, float] | None]:
    """Where each of the page's letters stands: its box's centre (None for the spaces and
    line ends PDFium adds, which have no box)."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    centres: list[tuple[float, float] | None] = []
    for index in range(textpage.count_chars()):
        if c.FPDFText_GetCharBox(textpage.raw, index, left, right, bottom, top):
            centres.append(((left.value + right.value) / 2, (bottom.value + top.value) / 2))
        else:
            centres.append(None)
    return centres


def _quote(textpage: Any, inside: list[int]) -> str:
    """The text a mark covers: the letters at ``inside``; a word broken at a line's end
    judged as the page's text is (:mod:`pdf_hyphens`): joined unless the page writes it
    with its hyphen."""
    quote = _joined(textpage, inside)
    if pdf_hyphens.LINE_END_HYPHEN in quote or pdf_hyphens.SOFT_HYPHEN in quote:
        quote = pdf_hyphens.rejoin([quote, textpage.get_text_range()])[0]
    return one_line(quote)


def _in_any(centre: tuple[float, float], boxes: list[Box]) -> bool:
    x, y = centre
    return any(left <= x <= right and bottom - SLACK <= y <= top + SLACK
               for left, bottom, right, top in boxes)


def _joined(textpage: Any, indexes: list[int]) -> str:
    """The text of the letters at ``indexes``, as PDFium gives it: runs read whole (the
    spaces and line ends between marked letters included), runs apart joined by a space."""
    if not indexes:
        return ""
    runs: list[tuple[int, int]] = []
    start = prev = indexes[0]
    for n in indexes[1:]:
        # A short gap is the space or line end between two marked words (a line end's
        # letters have no box of their own); a longer one is text left unmarked.
        if n - prev > 3:
            runs.append((start, prev))
            start = n
        prev = n
    runs.append((start, prev))
    return " ".join(textpage.get_text_range(a, b - a + 1) for a, b in runs)


def _paragraphs(text: str) -> str:
    """A comment as written, its lines kept (viewers end them with CR, LF or both), spaces
    within a line made single."""
    return "\n".join(map(one_line, normalise_newlines(text).split("\n"))).strip()


def pdf_day(stamp: str) -> str:
    """``YYYY-MM-DD`` from a PDF date (``D:20261201093000+01'00'``); '' when unreadable."""
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", stamp.strip())
    if not m:
        return ""
    year, month, day = m.groups()
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return ""
    return f"{year}-{month}-{day}"
