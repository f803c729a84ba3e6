"""Publisher markup to plain text: the HTML/JATS fragments in Crossref and Europe PMC data.

Titles and abstracts deposited by publishers carry markup (``<i>``, ``<jats:p>``, MathML,
entities). A small tag tokenizer flattens it: :func:`plain_text` to one line,
:func:`jats_to_text` to the paragraphs of an abstract. The tokenizer never evaluates
anything, never resolves external entities and runs in linear time; it is used instead of
an XML parser because these fragments are rarely well-formed XML (undeclared ``jats:``
prefixes, HTML entities such as ``&nbsp;``, a bare ``<`` in "p < 0.05"). Everything in
them is treated as untrusted text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from spinelib.text import collapse_whitespace

#: Block-level JATS/HTML elements: their boundaries separate words and paragraphs.
_PARAGRAPH_TAGS = frozenset({
    "p", "list-item", "li", "def-item", "disp-quote", "caption", "statement", "boxed-text",
    "table-wrap", "fig", "abstract", "trans-abstract", "div", "blockquote", "ul", "ol", "list",
})

_SECTION_TAGS = frozenset({"sec"})

_TITLE_TAGS = frozenset({"title", "label", "h1", "h2", "h3", "h4", "h5", "h6"})

_BREAK_TAGS = frozenset({"break", "br"})

#: Tags that separate words when a fragment is flattened to one line.
_SPACING_TAGS = _PARAGRAPH_TAGS | _SECTION_TAGS | _TITLE_TAGS | _BREAK_TAGS

#: One start, end or empty tag: optional ``prefix:``, a name, ``name="value"`` attributes only.
#: Requiring quoted attribute values keeps prose such as "x<y and z>w" from reading as a tag;
#: each repeated part is anchored by a character the next part cannot start with, so a match
#: attempt never backtracks more than linearly (tested on hostile input).
_TAG_RE = re.compile(
    r"<(/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)"
    r"((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\s*(/?)>"
)

#: Titles that merely announce "here is the abstract" and are not section labels.
_NOT_A_LABEL = frozenset({"abstract", "summary", "graphical abstract"})


def _tokens(markup: str) -> Iterator[tuple[str, str, bool, bool]]:
    """Split markup into ``(text, tag_name, is_end, is_empty)``: exactly one of text/tag set."""
    pos = 0
    for m in _TAG_RE.finditer(markup):
        if m.start() > pos:
            yield html.unescape(markup[pos:m.start()]), "", False, False
        yield "", m.group(2).lower(), bool(m.group(1)), bool(m.group(4))
        pos = m.end()
    if pos < len(markup):
        yield html.unescape(markup[pos:]), "", False, False


def plain_text(markup: Any) -> str:
    """Flatten inline markup (``<i>``, ``<sub>``, ``<scp>``, MathML, entities) to one line.

    Inline elements join without a space (``H<sub>2</sub>O`` -> ``H2O``); block elements and
    line breaks become a space. Anything that is not a string gives ``""``.
    """
    if not isinstance(markup, str):
        return ""
    out: list[str] = []
    for text, tag, _end, _empty in _tokens(markup):
        if tag:
            if tag in _SPACING_TAGS:
                out.append(" ")
        else:
            out.append(text)
    return collapse_whitespace("".join(out))


class _AbstractWriter:
    """Collects paragraphs while :func:`jats_to_text` walks the tokens of an abstract."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.title: list[str] | None = None
        self.pending_label = ""

    def text(self, text: str) -> None:
        (self.title if self.title is not None else self.buffer).append(text)

    def flush(self) -> None:
        """End the current paragraph; a pending section label is attached to it."""
        body = collapse_whitespace("".join(self.buffer))
        self.buffer = []
        if not body:
            return
        if self.pending_label:
            body = f"{self.pending_label}: {body}"
            self.pending_label = ""
        self.paragraphs.append(body)

    def open_title(self) -> None:
        self.flush()
        self.title = []

    def close_title(self) -> None:
        if self.title is None:
            return
        label = collapse_whitespace("".join(self.title)).rstrip(":.").strip()
        self.title = None
        if label.casefold() in _NOT_A_LABEL:
            return
        if self.pending_label:  # a heading with no text of its own still says something
            self.paragraphs.append(self.pending_label)
        self.pending_label = label

    def finish(self) -> str:
        self.close_title()
        self.flush()
        if self.pending_label:
            self.paragraphs.append(self.pending_label)
        return "\n\n".join(self.paragraphs)


def jats_to_text(markup: Any) -> str:
    """A Crossref JATS abstract as plain text, per the ArticleRecord promise.

    Paragraphs are separated by blank lines; a ``<jats:sec>`` with a ``<jats:title>`` becomes
    ``"Label: text"`` on its first paragraph. A bare "Abstract" heading is dropped. Inline
    markup and entities are flattened as in :func:`plain_text`.
    """
    if not isinstance(markup, str):
        return ""
    writer = _AbstractWriter()
    for text, tag, is_end, is_empty in _tokens(markup):
        if not tag:
            writer.text(text)
        elif tag in _TITLE_TAGS:
            if is_end:
                writer.close_title()
            elif not is_empty:
                writer.open_title()
        elif tag in _PARAGRAPH_TAGS or tag in _SECTION_TAGS:
            if writer.title is not None:  # a block inside a title: keep words apart
                writer.text(" ")
            else:
                writer.flush()
        elif tag in _BREAK_TAGS:
            writer.text(" ")
    return writer.finish()
