"""citeproc-py's output made what SpineLib prints: one line, typographic apostrophes,
CSL's punctuation rules, and in HTML the record's own text escaped so that only
citeproc-py's markup is markup.

CSL collapses the punctuation that meets where a part is missing or ends in its own mark
(CSL 1.0.2, "Punctuation"); citeproc-py collapses ".." only. :func:`collapse_punctuation`
does the rest, each rule found by comparing SpineLib's entries with pandoc's
(``tests/manuscript/test_golden_pandoc.py``, ``tests/manuscript/test_style_mends.py``):

* a period after "?", "!", ":" or ";": "Is surgery better?. Lancet", MDPI's "Thieme,
  2018;.", Cureus's "88:." (no pages);
* a period after a quotation that ends in "?" or "!", where the locale keeps punctuation
  outside quotes: “Not Again!”.;
* a part left empty between two periods ("trial, 2005. . Lancet": Elsevier's Harvard, its
  title in the author's place), between two commas ("Springer,, pp. 101–15"), or after a
  space: the Journal of Clinical Oncology's "Global Spine J , 2024" (no volume or pages),
  Elsevier's Harvard "Neurosurgery 88 2 ." (no pages), "In: . Thieme" (no editors).

A locale's no-break spaces stay ("et\u00a0al.", "u.\u00a0a.", "p.\u00a012"), and the space
French typography puts before ";", "?", "!" and "»" and after "«" is a narrow no-break one
(:func:`narrow_spaces`, as pandoc writes them: "Lancet 2005\u202f; 366", "«\u202fTitre\u202f»"),
so a line never breaks there.
"""

from __future__ import annotations

import html as html_lib
import re

from spinelib.cite import mends

_OUTSIDE_TAGS_RE = re.compile(r"(<[^>]*>)")
#: A period after "?", "!", ":" or ";" (closing tags allowed between: "<i>Better?</i>.").
_DOUBLED_RE = re.compile(r"([?!:;])((?:</[a-z]+>)*)\.(?=\s|$|<)")
#: A period after a closing quotation mark whose quotation ends in "?" or "!".
_QUOTED_STOP_RE = re.compile(r"([?!](?:</[a-z]+>)*[”’»](?:</[a-z]+>)*)\.(?=\s|$|<)")
#: The period of a part left empty: ". ." before a space or the end.
_EMPTY_PART_RE = re.compile(r"\. \.(?=\s|$)")
#: A comma doubled where a part between two commas is missing.
_DOUBLE_COMMA_RE = re.compile(r",(?:\s*,)+")
#: A space before a comma, or before a period that ends a part.
_SPACE_BEFORE_RE = re.compile(r" +(,|\.(?=\s|$))")
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


def collapse_punctuation(entry: str) -> str:
    """The entry with the punctuation a missing part or a part's own mark leaves doubled
    collapsed (the module docstring): "better?. Lancet" → "better? Lancet", "Springer,,
    pp." → "Springer, pp.", "In: . Thieme" → "In: Thieme"."""
    entry = _SPACE_BEFORE_RE.sub(r"\1", _EMPTY_PART_RE.sub(".", entry))
    entry = _DOUBLE_COMMA_RE.sub(",", entry)
    return _QUOTED_STOP_RE.sub(r"\1", _DOUBLED_RE.sub(r"\1\2", entry))


#: Line breaks and runs of spaces (not a locale's no-break spaces, U+00A0 and U+202F).
_LINE_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")
#: A space before a mark French sets apart, or after its opening quotation mark.
_NARROW_RE = re.compile(r" (?=[;?!»])|(?<=«) ")


def narrow_spaces(text: str) -> str:
    """The spaces before ";", "?", "!" and "»" and after "«" made narrow no-break spaces."""
    return _NARROW_RE.sub("\u202f", text)


def tidy(entry: str, *, html: bool = False, into_quotes: bool = False) -> str:
    """One line (citeproc-py keeps the style file's line breaks and doubled spaces; a
    locale's no-break spaces stay, as pandoc and Zotero keep them), "?."
    collapsed (:func:`collapse_punctuation`), with typographic apostrophes ("O’Toole") as the
    CSL specification asks and pandoc and citeproc-js print them, a period or comma moved
    inside closing quotation marks where ``into_quotes``; in HTML the record's text escaped
    (:func:`escaped`) and only citeproc-py's own markup left as markup."""
    parts = _OUTSIDE_TAGS_RE.split(_LINE_SPACE_RE.sub(" ", entry).strip(" "))
    text = "".join(p if p.startswith("<") else narrow_spaces(p.replace("'", "’"))
                   for p in parts)
    if into_quotes:
        text = mends.punctuation_into_quotes(text)
    text = collapse_punctuation(text)
    return escaped(text) if html else text
