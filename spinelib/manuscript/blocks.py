"""The paragraphs of a Word story (the body, a header, a footer) in reading order.

python-docx's ``document.paragraphs`` and ``document.tables`` are two lists: reading one,
then the other, put every table after the whole text, so a numeric style numbered a
reference first cited in Table 1 (between the Methods and the Results) after everything
the Discussion cites. It also skips what Word keeps inside other elements:

- **block-level content controls** (``w:sdt``; journal templates and forms wrap their
  sections in them) and custom XML: their paragraphs are read where they stand;
- **tables**: each cell once, in row order, nested tables where they stand (python-docx's
  ``row.cells`` repeats a merged cell once per grid column it spans, which would read, and
  replace, its citations twice);
- **text boxes** (``w:txbxContent``; a figure's caption, a sidebar): read right after the
  paragraph they are anchored in. Word writes a text box twice, as a drawing
  (``mc:Choice``) and as a VML shape for older readers (``mc:Fallback``); the drawing's copy
  is the one read and edited, and :func:`mirror_text_boxes` then makes the fallback's
  content the same, so no reader ever shows a placeholder as typed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

#: WordprocessingML's namespace, as lxml writes it before a tag name.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Elements whose block children (paragraphs, tables) read as if they stood in their place.
_BLOCK_WRAPPERS = frozenset(W + name for name in ("sdt", "sdtContent", "customXml"))
#: Inside a table: rows and cells, and the content controls and custom XML around them.
_TABLE_PARTS = frozenset({W + "tr", W + "tc", *_BLOCK_WRAPPERS})


def placed_paragraphs(container: Any) -> Iterator[tuple[Any, bool]]:
    """(python-docx Paragraph, whether it is in a text box) for every paragraph of a
    document's body or of a header or footer, in reading order (see the module's promises).
    """
    from docx.text.paragraph import Paragraph

    if hasattr(container, "_body"):  # a Document: its body, and the body as the parent
        element, parent = container.element.body, container._body
    else:  # a header or footer: its own part's element
        element, parent = container._element, container
    for p, boxed in _paragraphs(element, boxed=False):
        yield Paragraph(p, parent), boxed


def _paragraphs(element: Any, *, boxed: bool) -> Iterator[tuple[Any, bool]]:
    for child in element.iterchildren():
        tag = child.tag
        if tag == W + "p":
            yield child, boxed
            for box in _text_boxes(child):
                yield from _paragraphs(box, boxed=True)
        elif tag == W + "tbl":
            yield from _table(child, boxed=boxed)
        elif tag in _BLOCK_WRAPPERS:
            yield from _paragraphs(child, boxed=boxed)


def _table(element: Any, *, boxed: bool) -> Iterator[tuple[Any, bool]]:
    for child in element.iterchildren():
        if child.tag == W + "tc":
            yield from _paragraphs(child, boxed=boxed)
        elif child.tag in _TABLE_PARTS:
            yield from _table(child, boxed=boxed)


def _text_boxes(p: Any) -> list[Any]:
    """The text boxes anchored in paragraph ``p`` (not those of a paragraph inside one of
    them), their drawings' copies only."""
    return [box for box in p.iter(W + "txbxContent")
            if next(box.iterancestors(W + "p")) is p
            and next(box.iterancestors(_MC + "Fallback"), None) is None]


def mirror_text_boxes(root: Any) -> int:
    """Give each text box's fallback copy (``mc:Fallback``) the content of its drawing's
    copy (``mc:Choice``) where their texts differ, as Word does when it saves; returns how
    many were changed. A fallback whose shape holds another number of text boxes than the
    drawing is left alone (not a copy of it)."""
    changed = 0
    # Listed first (a mirrored fallback gains copies of any text box nested in the box),
    # innermost first: a box's copy then carries its nested boxes already mirrored.
    for alternate in reversed(list(root.iter(_MC + "AlternateContent"))):
        choice = alternate.find(_MC + "Choice")
        fallback = alternate.find(_MC + "Fallback")
        if choice is None or fallback is None:
            continue
        drawn = list(choice.iter(W + "txbxContent"))
        old = list(fallback.iter(W + "txbxContent"))
        if not drawn or len(drawn) != len(old):
            continue
        for new_box, old_box in zip(drawn, old, strict=True):
            if _text(new_box) != _text(old_box):
                for child in list(old_box):
                    old_box.remove(child)
                for child in new_box:
                    old_box.append(copy.deepcopy(child))
                changed += 1
    return changed


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))
