"""Word files through python-docx: opening safely, every paragraph of the body in order,
replacing a span of a paragraph's text across run boundaries, and writing a new file.

Word splits typed text into runs wherever formatting, spell-check or revision marks change,
so "[@patchell2005direct]" may sit in three runs. :func:`replace_span` edits the runs in
place: text before the span keeps its run, the replacement gets a new run formatted like
the span's first run (superscript added when asked), text after the span keeps its run.
"""

from __future__ import annotations

import copy
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spinelib.errors import FormatError
from spinelib.manuscript.blocks import W, placed_paragraphs

#: An OLE compound file: what Word writes for an encrypted .docx (and for an old .doc).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_document(path: Path) -> Any:
    """The python-docx Document at ``path``; FormatError with a plain reason otherwise."""
    import docx

    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head == _OLE_MAGIC:
        raise FormatError(f"{path.name} is encrypted (password-protected) or an old Word "
                          ".doc file; save it as an unprotected .docx first")
    if head.startswith(b"{\\rtf"):
        raise FormatError(f"{path.name} is a Rich Text (.rtf) file; save it as a Word .docx "
                          "first (File ▸ Save As ▸ Word Document)")
    if not zipfile.is_zipfile(path):
        raise FormatError(f"{path.name} is not a Word .docx file")
    if _opendocument(path):
        raise FormatError(f"{path.name} is an OpenDocument text (LibreOffice, .odt); save it "
                          "as a Word .docx first (File ▸ Save As ▸ Word 2007–365)")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise FormatError(f"{path.name} is not a Word .docx file that can be read "
                          f"({type(exc).__name__})") from None


def _opendocument(path: Path) -> bool:
    """Whether the zip at ``path`` is an OpenDocument file (its first member, ``mimetype``,
    names one), which python-docx cannot read."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


def paragraphs(document: Any) -> Iterator[Any]:
    """Every paragraph of the body in reading order: tables where they stand (each cell
    once), content controls, text boxes after their anchor (:mod:`.blocks`)."""
    for paragraph, _boxed in placed_paragraphs(document):
        yield paragraph


#: Elements inside a paragraph whose runs are part of its text as it now reads: tracked
#: insertions (Track Changes on, as a co-author revises), text moved here, links (Word
#: turns a typed "https://doi.org/…" into one), smart tags, custom XML, content controls,
#: a simple field's result and bidirectional text. Deleted text (``w:del``, ``w:moveFrom``)
#: is not: it is no longer the paper's. python-docx's ``paragraph.runs`` sees none of
#: them, so a citation typed with Track Changes on was left as typed.
_TEXT_WRAPPERS = frozenset(W + name for name in (
    "ins", "moveTo", "hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple",
    "dir", "bdo"))


def runs(paragraph: Any) -> list[Any]:
    """The paragraph's runs in reading order, those inside :data:`_TEXT_WRAPPERS` included
    (not a text box's: its paragraphs are paragraphs of their own)."""
    from docx.text.run import Run

    found: list[Any] = []

    def walk(element: Any) -> None:
        for child in element:
            if child.tag == W + "r":
                found.append(Run(child, paragraph))
            elif child.tag in _TEXT_WRAPPERS:
                walk(child)

    walk(paragraph._p)
    return found


def _run_spans(paragraph: Any) -> list[tuple[Any, int, int]]:
    spans, pos = [], 0
    for run in runs(paragraph):
        n = len(run.text)
        spans.append((run, pos, pos + n))
        pos += n
    return spans


def paragraph_text(paragraph: Any) -> str:
    """The text of the paragraph's runs (the text :func:`replace_span` offsets refer to)."""
    return "".join(run.text for run in runs(paragraph))


def replace_span(paragraph: Any, start: int, end: int, text: str, *,
                 superscript: bool = False) -> Any | None:
    """Replace paragraph_text(paragraph)[start:end] by ``text`` in a run of its own, and
    return that run (None when the span holds no run)."""
    spans = [(r, a, b) for r, a, b in _run_spans(paragraph) if b > start and a < end]
    if not spans:
        return None
    first, a0, _b0 = spans[0]
    last, a1, _b1 = spans[-1]
    tail = last.text[end - a1:]
    new = copy.deepcopy(first._r)
    first.text = first.text[:start - a0]
    for run, _a, _b in spans[1:]:
        run.text = ""
    first._r.addnext(new)
    from docx.text.run import Run

    citation = Run(new, first._parent)
    citation.text = text
    if superscript:
        citation.font.superscript = True
    if last is first:
        if tail:
            rest = copy.deepcopy(first._r)
            new.addnext(rest)
            Run(rest, first._parent).text = tail
    else:
        last.text = tail
    return citation


def replace_span_with_note_mark(paragraph: Any, start: int, end: int, kind: str,
                                note_id: str) -> Any | None:
    """Replace paragraph_text(paragraph)[start:end] by a superscript mark of note
    ``note_id`` (``kind`` "footnote" or "endnote"), as Word's Insert Footnote puts it;
    the mark's run (None when the span holds no run)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = replace_span(paragraph, start, end, "", superscript=True)
    if run is not None:
        mark = OxmlElement(f"w:{kind}Reference")
        mark.set(qn("w:id"), note_id)
        run._r.append(mark)
    return run


_TAG_RE = re.compile(r"<(/?)(i|b|em|strong|sup|sub|span|br)\b[^>]*>")


def add_formatted(paragraph: Any, markup: str) -> None:
    """Append citeproc's HTML (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, a small-capitals
    ``<span>``) as formatted runs; a ``<br/>`` (a style's block: an annotation, an abstract)
    as a line break within the entry's paragraph."""
    state = {"i": False, "b": False, "sup": False, "sub": False, "span": False}
    pos = 0
    for m in _TAG_RE.finditer(markup):
        _add_run(paragraph, markup[pos:m.start()], state)
        tag = {"em": "i", "strong": "b"}.get(m.group(2), m.group(2))
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag == "span":  # citeproc-py's only span: font-variant:small-caps
            state[tag] = not m.group(1) and "small-caps" in m.group(0)
        elif tag in state:
            state[tag] = not m.group(1)
        pos = m.end()
    _add_run(paragraph, markup[pos:], state)


def _add_run(paragraph: Any, markup: str, state: dict[str, bool]) -> None:
    text = html.unescape(markup)
    if not text:
        return
    run = paragraph.add_run(text)
    run.italic = state["i"] or None
    run.bold = state["b"] or None
    if state["sup"]:
        run.font.superscript = True
    if state["sub"]:
        run.font.subscript = True
    if state["span"]:
        run.font.small_caps = True


def clear_paragraph(paragraph: Any) -> None:
    """Remove every run (the paragraph and its style stay)."""
    for run in runs(paragraph):
        run._r.getparent().remove(run._r)


def insert_paragraph_after(paragraph: Any) -> Any:
    """A new empty paragraph right after ``paragraph``, with the same paragraph style."""
    from docx.text.paragraph import Paragraph

    new = copy.deepcopy(paragraph._p)
    for child in list(new):
        if child.tag != new.tag.replace("}p", "}pPr"):
            new.remove(child)
    paragraph._p.addnext(new)
    return Paragraph(new, paragraph._parent)


def insert_plain_paragraph_after(paragraph: Any) -> Any:
    """A new empty paragraph right after ``paragraph`` in the document's default style
    (not a copy of a heading's style, nor of the section break it may hold)."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    new = OxmlElement("w:p")
    paragraph._p.addnext(new)
    return Paragraph(new, paragraph._parent)
