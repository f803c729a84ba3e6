"""citeproc-py's output made what SpineLib prints: one line, typographic apostrophes,
CSL's punctuation rules (:mod:`spinelib.cite.mends`), and in HTML the record's own text
escaped so that only citeproc-py's markup is markup."""

from __future__ import annotations

import html as html_lib
import re

from spinelib.cite import mends

_OUTSIDE_TAGS_RE = re.compile(r"(<[^>]*>)")
#: The markup citeproc-py's HTML formatter writes (italics, bold, light, underline,
#: superscript, subscript, small capitals); any other "<…>" in an entry is the record's text.
_CITEPROC_TAGS = frozenset(
    [f"<{t}>" for t in ("i", "b", "l", "u", "sup", "sub")]
    + [f"</{t}>" for t in ("i", "b", "l", "u", "sup", "sub", "span")]
    + ['<span style="font-variant:small-caps;">'])


def escaped(markup: str) -> str:
    """citeproc-py's HTML with the record's own text escaped: citeproc-py passes titles and
    names through as they are, so a title "<script>…" or "J & B <Spine>" would be live
    markup in an exported page. Its own tags stay; text that is already escaped is not
    escaped twice."""
    return "".join(p if p in _CITEPROC_TAGS else html_lib.escape(html_lib.unescape(p),
                                                                  quote=False)
                   for p in _OUTSIDE_TAGS_RE.split(markup) if p)


def tidy(entry: str, *, html: bool = False, into_quotes: bool = False) -> str:
    """One line (citeproc-py keeps the style file's line breaks and doubled spaces), "?."
    collapsed (:mod:`spinelib.cite.mends`), with typographic apostrophes ("O’Toole") as the
    CSL specification asks and pandoc and citeproc-js print them, a period or comma moved
    inside closing quotation marks where ``into_quotes``; in HTML the record's text escaped
    (:func:`escaped`) and only citeproc-py's own markup left as markup."""
    parts = _OUTSIDE_TAGS_RE.split(" ".join(entry.split()))
    text = "".join(p if p.startswith("<") else p.replace("'", "’") for p in parts)
    if into_quotes:
        text = mends.punctuation_into_quotes(text)
    text = mends.collapse_punctuation(text)
    return escaped(text) if html else text
