"""Inline "rich text" markup in text fields: what readers take out, what writers protect.

Zotero keeps a title's italics, superscripts and subscripts as HTML tags in the field
itself (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<span style="font-variant:small-caps;">``,
``<span class="nocase">``) and writes them as they are into its CSL-JSON and RIS exports;
Crossref's metadata and CSL processors use the same tags. SpineLib keeps plain text, as
its PubMed and Crossref readers flatten ``<sup>18</sup>F`` to "18F": a reader of such a
file takes the tags out (:func:`strip_inline_markup`), and a writer escapes the ``<`` of
text that would read as a tag (:func:`escape_markup`: a title "The <b> element" is text),
so its own files read back as written.

In a .bib the same tags come two ways: as they are (Crossref's and doi.org's BibTeX) and
spelt with text commands, ``{\\textless}i{\\textgreater}`` (Zotero's BibTeX before 2017 and
Mendeley Desktop's, in titles and abstracts): :func:`strip_latex_markup` takes both out of
a raw value; SpineLib's BibTeX writer spells the ``<`` of text that would read as a tag
``\\textless{}`` (:func:`markup_pieces`), which the reader leaves alone.

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


#: The same tags in a raw .bib value, their angle brackets spelt as Zotero and Mendeley
#: spell them; inside, any character but a brace or an angle bracket, or a braced command
#: other than those two (``{\\textquotedbl}`` in an attribute).
LATEX_MARKUP_RE = re.compile(
    r"\{\\textless\}/?(?:i|b|em|strong|sub|sup|sc|u|span|scp)"
    r"(?:\s(?:[^{}<>]|\{\\(?!textless\b|textgreater\b)[A-Za-z]+\})*)?/?\{\\textgreater\}")


def strip_latex_markup(value: str) -> str:
    """A raw .bib value without inline markup tags, spelt with ``{\\textless}`` and
    ``{\\textgreater}`` or written as they are (their contents kept); cheap without either."""
    if "{\\textless}" in value:
        value = LATEX_MARKUP_RE.sub("", value)
    return strip_inline_markup(value)


def markup_pieces(text: str, *patterns: re.Pattern[str]) -> list[str]:
    """``text`` split at the ``<`` of whatever a reader would take for markup (``patterns``,
    :data:`INLINE_MARKUP_RE` when none is given), those ``<`` left out, so a writer can join
    the pieces with its own spelling of a ``<`` that is text. Repeated, because taking one
    ``<`` out can let a ``<`` before it match ("<b x<i>>")."""
    patterns = patterns or (INLINE_MARKUP_RE,)
    cuts: list[int] = []
    while "<" in text:
        found = [m.start() for m in (p.search(text) for p in patterns) if m is not None]
        if not found:
            break
        at = min(found)
        cuts.append(at)
        # One character for the one taken out, so every position stays the text's own; the
        # patterns read it as they read any character but "<" and ">".
        text = f"{text[:at]}&{text[at + 1:]}"
    pieces, start = [], 0
    for at in sorted(cuts):
        pieces.append(text[start:at])
        start = at + 1
    pieces.append(text[start:])
    return pieces


def escape_markup(text: str, *patterns: re.Pattern[str]) -> str:
    """``text`` with the ``<`` of whatever a reader would take for markup (``patterns``,
    :data:`INLINE_MARKUP_RE` when none is given) written ``&lt;``, so that the reader,
    which decodes character references after taking markup out, gives the text back."""
    return "&lt;".join(markup_pieces(text, *patterns)) if "<" in text else text
