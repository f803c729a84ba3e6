"""The manuscript's own, still empty, "References" heading: where its bibliography belongs
when the author typed no ``{Bibliography}`` mark.

A medical manuscript usually ends its text with a "References" heading the author typed
and left empty, often followed by the tables and the figure legends, each on a new page.
Appending the bibliography at the end of the document put it after the figure legends,
under a second "References" heading. A heading counts when its whole text is one of
:data:`~spinelib.referencelist.HEADINGS` (any case, a colon after it and a typed section
number before it allowed: "5. References") and nothing is under it: between it and the
next section (a paragraph in a Heading or Title style, a page or section break, or the end
of the document) every paragraph is empty and there is no table. A heading with text under
it (a list typed by hand) is left alone. The last such heading wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spinelib.manuscript.blocks import W
from spinelib.manuscript.wordfile import paragraph_text
from spinelib.referencelist import HEADINGS, heading_name


def references_heading(document: Any) -> Any | None:
    """The body paragraph of the last empty references heading, or None."""
    blocks = list(_body_blocks(document))
    for at in range(len(blocks) - 1, -1, -1):
        paragraph = blocks[at]
        if paragraph is not None and _heading_name(paragraph) in HEADINGS and _empty_section(
                blocks[at + 1:]):
            return paragraph
    return None


def _body_blocks(document: Any) -> Iterator[Any | None]:
    """The body's top-level paragraphs in order, None for each table (content)."""
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == W + "p":
            yield Paragraph(child, document._body)
        elif child.tag == W + "tbl":
            yield None


def _heading_name(paragraph: Any) -> str:
    return heading_name(paragraph_text(paragraph))


def _empty_section(after: list[Any | None]) -> bool:
    """Whether nothing but empty paragraphs comes before the next section starts."""
    for paragraph in after:
        if paragraph is None:
            return False  # a table under the heading
        if _starts_section(paragraph):
            return True
        if paragraph_text(paragraph).strip():
            return False
        if _ends_section(paragraph):
            return True
    return True


def _starts_section(paragraph: Any) -> bool:
    """A heading or title style, or a page break before the paragraph's first text."""
    style = paragraph.style
    name = style.name if style is not None else ""
    if name.startswith(("Heading", "Title")) or paragraph.paragraph_format.page_break_before:
        return True
    for element in paragraph._p.iter(W + "t", W + "br"):
        if element.tag == W + "br":
            return bool(element.get(W + "type") == "page")
        if element.text:
            return False
    return False


def _ends_section(paragraph: Any) -> bool:
    """A section break ends this paragraph's section (Word keeps it in its properties)."""
    properties = paragraph._p.pPr
    return properties is not None and properties.find(W + "sectPr") is not None
