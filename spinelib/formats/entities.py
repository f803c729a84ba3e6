"""HTML character references in the text of tagged files: read the same way by every reader.

Scopus, Embase and some EndNote filters write ``P &lt; 0.0001`` and ``&amp;`` into RIS and
MEDLINE text; Crossref and CSL processors do the same in CSL-JSON. Every reader decodes a
reference (``&lt;``, ``&#945;``, ``&#x3b1;``) to its character, and every writer that a
reader decodes escapes the ``&`` of text that would otherwise read as one, so a literal
"&lt;" typed by a user survives a round trip too. A lone ``&`` or ``<`` ("p < 0.05 & more")
is an ordinary character and stays as it is.
"""

from __future__ import annotations

import html
import re

#: A named or numeric character reference, as HTML writes them.
ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def decode_entities(text: str) -> str:
    """``text`` with its HTML character references decoded (cheap when it has none)."""
    if "&" not in text:
        return text
    # One reference at a time: html.unescape on the whole text would also decode the
    # legacy forms without ";" ("&copy"), which protect_entities does not escape.
    return ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)


def protect_entities(text: str) -> str:
    """``text`` with the ``&`` of anything that reads as a character reference escaped,
    so :func:`decode_entities` gives ``text`` back."""
    if "&" not in text or ENTITY_RE.search(text) is None:
        return text
    return ENTITY_RE.sub(lambda m: "&amp;" + m.group(0)[1:], text)


#: A reference whose ``&`` is not LaTeX-escaped (``\&lt;`` is the text "&lt;" in a .bib).
_UNESCAPED_ENTITY_RE = re.compile(r"(?<!\\)" + ENTITY_RE.pattern)


def decode_entities_in_latex(value: str) -> str:
    r"""A raw .bib value with its HTML character references decoded, before LaTeX decoding.

    Some databases write ``P &lt; 0.05`` into BibTeX; a bare ``&`` is not valid LaTeX, so
    a reference there was meant as HTML. ``\&lt;`` (how SpineLib writes a literal "&lt;")
    stays as it is.
    """
    if "&" not in value:
        return value
    return _UNESCAPED_ENTITY_RE.sub(lambda m: _latex_safe(html.unescape(m.group(0))), value)


def _latex_safe(char: str) -> str:
    """A decoded character as .bib text: LaTeX's specials escaped so they stay characters."""
    return {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "\\": r"\textbackslash{}"}.get(char, char)
