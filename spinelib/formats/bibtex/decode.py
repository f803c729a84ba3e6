"""LaTeX to Unicode for .bib fields: what the reader makes of escaped text.

The LaTeX .bib files usually hold (accents, escaped specials, text symbols, Greek in math,
case-protecting braces, dash and quote ligatures) is decoded by a fast table-driven pass;
anything else goes through pylatexenc's LaTeX parser. The tables are inverted from the
spellings :mod:`spinelib.formats.bibtex.encode` writes, so BibTeX output reads back.
"""

from __future__ import annotations

import re
import unicodedata

from pylatexenc import latex2text

from spinelib.formats.bibtex.encode import SAFE_CODE_POINTS
from spinelib.text import nfc, one_line, paragraphs


def _decoder() -> latex2text.LatexNodes2Text:
    """pylatexenc's LaTeX-to-text, taught the spellings our writer (and others) use."""
    db = latex2text.get_default_latex_context_db()
    spec = latex2text.MacroTextSpec
    db.add_context_category(
        "spinelib-bibtex",
        prepend=True,
        macros=[
            spec("url", simplify_repl="%s"),
            spec("textasciicircum", simplify_repl="^"),
            spec("textasciitilde", simplify_repl="~"),
            spec("textasciigrave", simplify_repl="`"),
            spec("textbraceleft", simplify_repl="{"),
            spec("textbraceright", simplify_repl="}"),
            spec("textbackslash", simplify_repl="\\"),
            # Zotero (and SpineLib) write < > | so; pylatexenc drops them unknown.
            spec("textless", simplify_repl="<"),
            spec("textgreater", simplify_repl=">"),
            spec("textbar", simplify_repl="|"),
            spec("textquotedbl", simplify_repl='"'),
            spec("textunderscore", simplify_repl="_"),
            spec("par", simplify_repl="\n\n"),
            spec("newline", simplify_repl="\n"),
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text",
                                      keep_braced_groups=False)


_DECODER = _decoder()
#: Anything that makes a field more than plain text; without it, decoding is skipped.
_LATEX_RE = re.compile(r"[\\$~{}]|--|''|``|[?!]`")

#: Accent commands and the combining character each puts on its letter.
_ACCENTS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            "u": "\u0306", ".": "\u0307", '"': "\u0308", "r": "\u030a", "H": "\u030b",
            "v": "\u030c", "d": "\u0323", "c": "\u0327", "k": "\u0328", "b": "\u0331"}
#: Control words and control symbols with a plain-text meaning (beyond pylatexenc's table).
_MACRO_TEXT = {
    "textbackslash": "\\", "textbraceleft": "{", "textbraceright": "}",
    "textasciitilde": "~", "textasciicircum": "^", "textasciigrave": "`",
    "textless": "<", "textgreater": ">", "textbar": "|", "textquotedbl": '"',
    "textunderscore": "_",
    "par": "\n\n", "newline": " ", "i": "\u0131", "j": "\u0237",
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ",
    ",": "\u2009", "-": "", "/": "", "@": "", "\\": " ", ";": " ", ":": " ", "!": "",
}
_LIGATURES = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d",
              "?`": "\u00bf", "!`": "\u00a1", "~": "\u00a0"}


def _macro_table() -> tuple[dict[str, str], dict[str, str]]:
    """(text macros, math macros) -> character, inverted from pylatexenc's own table."""
    from pylatexenc.latexencode import get_builtin_conversion_rules

    text: dict[str, str] = {}
    math: dict[str, str] = {}
    for rule in get_builtin_conversion_rules("defaults"):
        for cp, latex in dict(rule.rule).items():
            if cp < 0xA0 or cp not in SAFE_CODE_POINTS:
                continue
            m = re.fullmatch(r"\\([A-Za-z]+)", latex)
            if m:
                text.setdefault(m.group(1), chr(cp))
            m = re.fullmatch(r"\\ensuremath\{\\([A-Za-z]+)\}", latex)
            if m:
                math.setdefault(m.group(1), chr(cp))
    return text, math


_TEXT_MACROS, _MATH_MACROS = _macro_table()
_TEXT_MACROS.update(_MACRO_TEXT)

#: The LaTeX a .bib file normally holds, decodable without a full LaTeX parser.
_TOKEN_RE = re.compile(r"""
    \\(?P<acc>[`'^"~=.])\s*(?:\{\s*(?P<arg1>\\[ij](?![A-Za-z])|[A-Za-z])\s*\}
                                 |(?P<arg2>\\[ij](?![A-Za-z])|[A-Za-z]))
  | \\(?P<lacc>[uvHckrdb])(?:\s*\{\s*(?P<arg3>\\[ij](?![A-Za-z])|[A-Za-z])\s*\}
                            |\s+(?P<arg4>[A-Za-z]))
  | \$\\(?P<math>[A-Za-z]+)\$
  | \\ensuremath\{\\(?P<emath>[A-Za-z]+)\}
  | \\(?P<word>[A-Za-z]+)[ \t\n]*(?:\{\})?
  | \\(?P<sym>[^A-Za-z])
  | (?P<lig>---|--|``|''|[?!]`|~)
  | (?P<brace>[{}])
  | (?P<other>[$\\])
""", re.X)


class NeedsParser(Exception):
    """The text holds LaTeX the fast decoder does not know; pylatexenc takes over."""


def _fast_token(m: re.Match[str]) -> str:
    kind = m.lastgroup
    if m.group("acc") or m.group("lacc"):
        accent = m.group("acc") or m.group("lacc")
        base = m.group("arg1") or m.group("arg2") or m.group("arg3") or m.group("arg4")
        if not base:
            raise NeedsParser
        base = {"\\i": "i", "\\j": "j"}.get(base, base)
        return unicodedata.normalize("NFC", base + _ACCENTS[accent])
    if m.group("math") or m.group("emath"):
        name = m.group("math") or m.group("emath")
        if name in _MATH_MACROS:
            return _MATH_MACROS[name]
        raise NeedsParser
    if kind == "word" or kind == "sym":
        name = m.group(kind)
        if name in _TEXT_MACROS:
            return _TEXT_MACROS[name]
        raise NeedsParser
    if kind == "lig":
        return _LIGATURES[m.group("lig")]
    if kind == "brace":
        return ""
    raise NeedsParser


#: The characters a token of ``_TOKEN_RE`` can start with.
_TOKEN_START_RE = re.compile(r"[\\${}~`'?!-]")


def fast_decode(value: str) -> str:
    """The table-driven decoder alone; raises NeedsParser for LaTeX it does not know.

    What ``_TOKEN_RE.sub(_fast_token, value)`` gives, tried only where a token can start:
    the pattern's alternatives begin with named groups, so Python's engine cannot skip
    ahead and tried all of them at every character of an abstract (issue 19: five times
    the time on a 20,000-entry .bib)."""
    parts: list[str] = []
    end = 0
    search, match = _TOKEN_START_RE.search, _TOKEN_RE.match
    found = search(value)
    while found:
        start = found.start()
        token = match(value, start)
        if token is None:  # an apostrophe, a lone hyphen, ...: not a token here
            found = search(value, start + 1)
            continue
        parts.append(value[end:start])
        parts.append(_fast_token(token))
        end = token.end()
        found = search(value, end)
    parts.append(value[end:])
    return nfc("".join(parts))


def decode_latex(value: str) -> str:
    """LaTeX field text to plain Unicode, whitespace untouched (the caller tidies it).

    The LaTeX .bib files usually hold (accents, escaped specials, text symbols, Greek
    in math, case-protecting braces, dash and quote ligatures) is decoded by a fast
    table-driven pass; anything else goes through pylatexenc's LaTeX parser.
    """
    if not _LATEX_RE.search(value):
        return value
    if "{}" in value:
        # "\~{}" and "\^{}", a common way to type a tilde or caret in LaTeX, are accents
        # on nothing to both decoders: "\~{}5" read "5".
        value = value.replace("\\~{}", "{\\textasciitilde}").replace("\\^{}",
                                                                     "{\\textasciicircum}")
    try:
        return fast_decode(value)
    except NeedsParser:
        pass
    try:
        return nfc(_DECODER.latex_to_text(_flatten_scripts(value)))
    except Exception:  # pylatexenc on broken LaTeX: keep the text rather than lose the entry
        return value.replace("{", "").replace("}", "")


#: Inline math, ``$...$`` (not an escaped ``\$``).
_MATH_RE = re.compile(r"(?<!\\)\$([^$]*)\$")
#: A superscript or subscript in math: ``^{18}``, ``_2``, ``^\circ``.
_SCRIPT_RE = re.compile(r"[\^_]\s*(?:\{\s*([^{}]*?)\s*\}|(\\[A-Za-z]+)|([^\s{}\\$]))")


def _script_text(m: re.Match[str]) -> str:
    inner = m.group(1) if m.group(1) is not None else (m.group(2) or m.group(3))
    # Braced: ``\alpha_{v}`` must not become the unknown command ``\alphav``.
    return "\u00b0" if inner == "\\circ" else "{" + inner + "}"


def _flatten_scripts(value: str) -> str:
    r"""Superscripts and subscripts in inline math as plain text, as the PubMed and Crossref
    readers flatten ``<sup>``/``<sub>``: ``$^{18}$F-FDG`` is "18F-FDG" (pylatexenc kept
    "^18F"), ``H$_2$O`` "H2O", and ``10$^\circ$`` "10°"."""
    if "$" not in value or ("^" not in value and "_" not in value):
        return value
    return _MATH_RE.sub(lambda m: "$" + _SCRIPT_RE.sub(_script_text, m.group(1)) + "$", value)


def decode_line(value: str) -> str:
    if not value:
        return ""  # most of the fields a reader asks an entry for are absent
    return one_line(decode_latex(value))


def decode_long(value: str) -> str:
    return "\n\n".join(paragraphs(decode_latex(value)))


def unescape_verbatim(value: str) -> str:
    return one_line(re.sub(r"\\([%_&#${}~^])", r"\1", value).replace("{", "").replace("}", ""))
