"""Inline "rich text" markup in text fields: what readers take out, what writers protect.

Zotero keeps a title's italics, superscripts and subscripts as HTML tags in the field
itself (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<span style="font-variant:small-caps;">``,
``<span class="nocase">``) and writes them as they are into its CSL-JSON and RIS exports;
Crossref's metadata and CSL processors use the same tags. SpineLib keeps plain text, as
its PubMed and Crossref readers flatten ``<sup>18</sup>F`` to "18F": a reader of such a
file takes the tags out (:func:`strip_inline_markup`), and a writer escapes the ``<`` of
text that would read as a tag (:func:`escape_markup`: a title "The <b> element" is text),
so its own files read back as written.

Only these tag names count: "SINS <7", "p<0.05" or "a <b" are ordinary text.
"""

from __future__ import annotations

import re

#: The inline markup CSL processors, Zotero and Crossref put in text fields.
INLINE_MARKUP_RE = re.compile(r"</?(?:i|b|em|strong|sub|sup|sc|u|span|scp"
                              r"|(?:jats|mml):[A-Za-z-]+)(?:\s[^<>]*)?/?>")


def strip_inline_markup(text: str) -> str:
    """``text`` without inline markup tags (their contents kept); cheap without a ``<``."""
    return INLINE_MARKUP_RE.sub("", text) if "<" in text else text


def escape_markup(text: str, *patterns: re.Pattern[str]) -> str:
    """``text`` with the ``<`` of whatever a reader would take for markup (``patterns``,
    :data:`INLINE_MARKUP_RE` when none is given) written ``&lt;``, so that the reader,
    which decodes character references after taking markup out, gives the text back.
    Repeated, because taking one ``<`` out can let a ``<`` before it match
    ("<b x<i>>")."""
    patterns = patterns or (INLINE_MARKUP_RE,)
    while "<" in text:
        found = [m.start() for m in (p.search(text) for p in patterns) if m is not None]
        if not found:
            break
        at = min(found)
        text = f"{text[:at]}&lt;{text[at + 1:]}"
    return text
