"""Unicode to LaTeX for .bib fields: escaping, case protection, names and keywords.

The spelling rules of both writers (:mod:`spinelib.formats.bibtex.write`):

* ``& % $ # _ ~ ^ \\ { }`` are escaped (braces and backslash as text commands, because
  BibTeX counts every brace when it looks for the end of a field), ``< > |`` are written as
  text commands (in LaTeX's default OT1 fonts the characters print as "¡ ¿ —": "<6 months"
  came out "¡6 months"), and doubled characters TeX would turn into ligatures (``--``,
  ``''``) are kept apart with ``{}``. A ``<`` that would read as a tag ("The <b> element")
  is ``\\textless{}``: readers take ``{\\textless}b{\\textgreater}`` for Zotero's markup.
* For classic BibTeX (``ascii_only``) every non-ASCII character becomes LaTeX (``ü`` ->
  ``{\\"u}``, ``α`` -> ``{$\\alpha$}``) when pdfLaTeX can typeset the spelling; any other
  character is written as its closest ASCII form or ``?`` (and reported beforehand by the
  writer's export check).
* Titles keep their capitals: words BibTeX styles would lower-case are brace-protected
  (acronyms like ``{SBRT}``, words with inner capitals like ``{sLITT}``, capitalised words
  after the first such as eponyms: ``{Bilsky}``).
* Names are braced where BibTeX would otherwise split or misread them; a keyword holding a
  comma or semicolon is braced so readers keep it whole.

Everything here is pure and cached where names and characters recur across a library.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from spinelib.formats.richtext import INLINE_MARKUP_RE, markup_pieces
from spinelib.records import Author
from spinelib.text import MONTH_ABBREVS, nfc, one_line, paragraphs

#: BibTeX's predefined month macros, written unquoted (``month = mar``).
MONTH_MACROS = tuple(m.lower() for m in MONTH_ABBREVS)

#: ASCII characters LaTeX treats specially, and their spelling inside a .bib field.
#: Braces and backslash become text commands because BibTeX counts every brace (even
#: ``\{``) when it looks for the end of a field.
_ASCII_SPECIALS = str.maketrans({
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "`": r"{\textasciigrave}",
    # Zotero writes these three the same way. In OT1 (LaTeX's default without fontenc)
    # the characters themselves print as inverted marks and a dash; the commands print
    # "<", ">" and "|" in OT1 and T1 alike, and biber and pandoc read them back.
    "<": r"{\textless}",
    ">": r"{\textgreater}",
    "|": r"{\textbar}",
})
#: Doubled characters TeX fonts turn into ligatures (``--`` en dash, ``''`` closing quote,
#: ``,,`` in T1; ``<<`` and ``>>`` are escaped one by one); ``{}`` between them keeps the
#: characters as typed.
_LIGATURE_RE = re.compile(r"([-',])(?=\1)")
#: Text escaping leaves unchanged: ASCII without a special and without a doubled ligature
#: character (what :data:`_ASCII_SPECIALS` and :data:`_LIGATURE_RE` would touch).
_NOTHING_TO_ESCAPE = re.compile(r"(?:([-',])(?!\1)|[^-',<>|\\{}&%$#_~^`\x80-\U0010ffff])*")
#: The first thing escaping would change (the complement of :data:`_NOTHING_TO_ESCAPE`): one
#: search over a character class is about three times cheaper than the full match.
_TO_ESCAPE = re.compile(r"[<>|\\{}&%$#_~^`\x80-\U0010ffff]|--|''|,,")
#: The same gate in two cheap searches (issue 19: an alternation defeats the regex engine's
#: first-character scan): an ASCII special (non-ASCII text always needs work), or a doubled
#: ligature character. ``_TO_ESCAPE.search(t) is None`` exactly when :func:`_nothing_to_escape`.
_ASCII_SPECIAL_RE = re.compile(r"[<>|\\{}&%$#_~^`]")
_LIGATURE_PAIR_RE = re.compile(r"([-',])\1")
_ENSUREMATH_RE = re.compile(r"\\ensuremath\{((?:\\[A-Za-z]+|[^{}\\])+)\}")
_UNKNOWN_MARK_RE = re.compile("\x00([0-9]+)\x00")

#: Code points whose pylatexenc spelling compiles with pdfLaTeX, T1 fonts and the LaTeX
#: kernel's text companion symbols (found by compiling every pylatexenc default in a
#: document like the one check-bib builds). Others (Cyrillic needs T2A, some symbols
#: need amssymb) count as unencodable: written as the nearest ASCII, reported beforehand.
_SAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00A0, 0x00B7), (0x00B9, 0x0148), (0x014A, 0x017E), (0x0192, 0x0192), (0x01E7,
    0x01E7), (0x01F5, 0x01F5), (0x0228, 0x0229), (0x02B7, 0x02B7), (0x02BC, 0x02BC),
    (0x02C6, 0x02C7), (0x02D8, 0x02DD), (0x0307, 0x0308), (0x0386, 0x0386), (0x0388,
    0x038A), (0x038C, 0x038C), (0x038E, 0x038F), (0x0391, 0x03A1), (0x03A3, 0x03CE),
    (0x03D1, 0x03D1), (0x03D5, 0x03D6), (0x03F1, 0x03F1), (0x03F5, 0x03F5), (0x0E3F,
    0x0E3F), (0x2000, 0x200A), (0x200C, 0x200C), (0x2010, 0x2010), (0x2012, 0x2016),
    (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022), (0x2024, 0x2026), (0x2030,
    0x2034), (0x2039, 0x203B), (0x203D, 0x203D), (0x2044, 0x2044), (0x204E, 0x204E),
    (0x2052, 0x2052), (0x2057, 0x2057), (0x205F, 0x2061), (0x2070, 0x2071), (0x2074,
    0x208E), (0x2090, 0x2093), (0x2095, 0x209C), (0x20A1, 0x20A1), (0x20A4, 0x20A4),
    (0x20A6, 0x20A6), (0x20A9, 0x20A9), (0x20AB, 0x20AC), (0x20B1, 0x20B1), (0x2103,
    0x2103), (0x2109, 0x210A), (0x210E, 0x210F), (0x2113, 0x2113), (0x2116, 0x2118),
    (0x211E, 0x211E), (0x2120, 0x2120), (0x2122, 0x2122), (0x2126, 0x2127), (0x212A,
    0x212B), (0x212E, 0x212F), (0x2134, 0x2135), (0x2190, 0x2199), (0x21A6, 0x21A6),
    (0x21A9, 0x21AA), (0x21BC, 0x21BD), (0x21C0, 0x21C1), (0x21CC, 0x21CC), (0x21D0,
    0x21D5), (0x2200, 0x2200), (0x2202, 0x2203), (0x2206, 0x220D), (0x220F, 0x2213),
    (0x2215, 0x2215), (0x2217, 0x221E), (0x2220, 0x2220), (0x2223, 0x2223), (0x2225,
    0x2225), (0x2227, 0x222B), (0x222E, 0x222E), (0x2236, 0x2237), (0x223A, 0x223A),
    (0x223C, 0x223C), (0x2240, 0x2241), (0x2243, 0x2245), (0x2247, 0x2249), (0x224D,
    0x224D), (0x2250, 0x2250), (0x2254, 0x2255), (0x2260, 0x2262), (0x2264, 0x2265),
    (0x226A, 0x226B), (0x226D, 0x226D), (0x227A, 0x227D), (0x2282, 0x2287), (0x228E,
    0x228E), (0x2291, 0x2299), (0x22A2, 0x22A5), (0x22C0, 0x22C6), (0x22C8, 0x22C8),
    (0x22E2, 0x22E3), (0x22EE, 0x22EF), (0x22F1, 0x22F1), (0x2308, 0x230B), (0x2316,
    0x2316), (0x2322, 0x2323), (0x2329, 0x232A), (0x23B0, 0x23B1), (0x2422, 0x2423),
    (0x25AD, 0x25AD), (0x25B3, 0x25B3), (0x25B9, 0x25B9), (0x25BD, 0x25BD), (0x25C3,
    0x25C3), (0x25CB, 0x25CB), (0x25E6, 0x25E6), (0x25EF, 0x25EF), (0x2662, 0x2662),
    (0x266A, 0x266A), (0x27E8, 0x27E9), (0x27F5, 0x27FA), (0x27FC, 0x27FC), (0x2993,
    0x2993), (0x2A3F, 0x2A3F), (0x2A6E, 0x2A6E), (0x2A75, 0x2A75), (0x2AAF, 0x2AB0),
    (0x2AFD, 0x2AFD), (0x3008, 0x3009), (0xFB00, 0xFB04), (0x1D400, 0x1D467), (0x1D5A0,
    0x1D5D3), (0x1D670, 0x1D6A3), (0x1D7CE, 0x1D7D7), (0x1D7E2, 0x1D7EB), (0x1D7F6, 0x1D7FF)
)
SAFE_CODE_POINTS = frozenset(cp for lo, hi in _SAFE_RANGES for cp in range(lo, hi + 1))

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    # Unknown characters come back marked with their code point; the caller decides.
    unknown_char_policy=lambda ch: f"\x00{ord(ch)}\x00",
    unknown_char_warning=False,
    conversion_rules=[
        # Thin spaces as "\,"; everything else as pylatexenc spells it.
        # pylatexenc spells the Hungarian double acute of U/u as an acute; fix it.
        UnicodeToLatexConversionRule(RULE_DICT, {0x2009: r"\,", 0x202F: r"\,",
                                                 0x0170: r"\H{U}", 0x0171: r"\H{u}"}),
        "defaults",
    ],
)


def _escape_ascii(text: str) -> str:
    return _LIGATURE_RE.sub(r"\1{}", text.translate(_ASCII_SPECIALS))


#: Combining marks as the LaTeX accent commands pdfLaTeX can stack (T1 fonts): what lets
#: Vietnamese "ễ" (e + circumflex + tilde) be written ``{\~{\^e}}`` instead of "e".
_ACCENT_COMMANDS = {0x0300: "`", 0x0301: "'", 0x0302: "^", 0x0303: "~", 0x0304: "=",
                    0x0306: "u", 0x0307: ".", 0x0308: '"', 0x030A: "r", 0x030B: "H",
                    0x030C: "v", 0x0323: "d", 0x0327: "c", 0x0328: "k"}


def _nested_accents(ch: str) -> str:
    """``{\\~{\\^e}}`` for a letter whose accents all have LaTeX commands (stacked from the
    base outwards), '' when one has none (the Vietnamese horn) or the base is not ASCII."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], list(decomposed[1:])
    if not marks or not base.isascii() or not base.isalpha():
        return ""
    out = "\\i" if base == "i" and marks[0] not in ("\u0323", "\u0328") else base
    for n, mark in enumerate(marks):
        command = _ACCENT_COMMANDS.get(ord(mark))
        if command is None:
            return ""
        inner = out if n == 0 and not command.isalpha() and out != "\\i" else f"{{{out}}}"
        out = f"\\{command}{inner}"
    return "{" + out + "}"


def _ascii_fallback(ch: str) -> str:
    """The closest ASCII LaTeX for a character with no safe spelling, or '?'."""
    stacked = _nested_accents(ch)
    if stacked:
        return stacked
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed != ch:
        inner = _encode_non_ascii(_escape_ascii(decomposed))
        inner = _UNKNOWN_MARK_RE.sub("", inner)
        if inner.strip():
            return inner
    return "?"


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _encode_char(ch: str) -> str:
    """One non-ASCII character as LaTeX, or ``\\x00<code point>\\x00`` when it has no
    safe spelling (cached: a library uses few distinct characters)."""
    if ord(ch) not in SAFE_CODE_POINTS:
        return f"\x00{ord(ch)}\x00"
    return _ENSUREMATH_RE.sub(r"$\1$", _ENCODER.unicode_to_latex(ch))


def _encode_non_ascii(escaped: str) -> str:
    """Text whose ASCII specials are already escaped, with every non-ASCII character spelt."""
    return _NON_ASCII_RE.sub(lambda m: _encode_char(m.group(0)), escaped)


def _nothing_to_escape(text: str) -> bool:
    """True when escaping keeps ``text`` as it is (``_TO_ESCAPE`` finds nothing)."""
    return (text.isascii() and _ASCII_SPECIAL_RE.search(text) is None
            and _LIGATURE_PAIR_RE.search(text) is None)


def escape_latex(text: str, *, ascii_only: bool) -> str:
    """Escape one piece of plain text for a .bib field.

    ``ascii_only`` (classic BibTeX) also turns non-ASCII into LaTeX commands; characters
    without a safe LaTeX spelling are replaced by an ASCII approximation (see
    :func:`unencodable_characters`, which names them beforehand).
    """
    if _nothing_to_escape(text):
        return text  # most names, journals and numbers: every step below keeps them as is
    if "<" in text and INLINE_MARKUP_RE.search(text):  # "The <b> element": text, not markup
        return r"\textless{}".join(escape_latex(p, ascii_only=ascii_only)
                                    for p in markup_pieces(text))
    escaped = _escape_ascii(text)
    if not ascii_only or escaped.isascii():
        return escaped
    out = _encode_non_ascii(nfc(escaped))
    if "\x00" in out:
        out = _UNKNOWN_MARK_RE.sub(lambda m: _ascii_fallback(chr(int(m.group(1)))), out)
    return out


_WORD_RE = re.compile(r"([^\W_]+)")


@lru_cache(maxsize=65536)
def _needs_protection(word: str, first: bool) -> bool:
    """Would a BibTeX/biblatex style lower-case a capital that must stay? (Cached: title
    words recur across a library.)"""
    if any(c.isupper() for c in word[1:]):
        return True  # SBRT, MRI, MISt, sLITT, T2
    return word[0].isupper() and not first  # Bilsky, Tokuhashi, Kyphon


#: A title word that could hold a capital: one with a character other than a-z and 0-9,
#: matched whole (the same words as :data:`_WORD_RE`: the look-behind starts it only at a
#: word's start, the possessive lower-case run then never backtracks). Lower-case ASCII
#: words, most of a title, are skipped inside the regex engine, not one Python call each.
_CANDIDATE_RE = re.compile(r"(?<![^\W_])[a-z0-9]*+[^\W_a-z0-9][^\W_]*+")
#: Any character of such a word (a cheap gate before the look-behind search).
_MAYBE_CAPITAL_RE = re.compile(r"[A-Z\x80-\U0010ffff]")


def _mark_later_word(m: re.Match[str]) -> str:
    """A title word after the first, between \\x01 and \\x02 when it must keep its capitals."""
    word = m.group(0)
    return "\x01" + word + "\x02" if _needs_protection(word, False) else word


#: In ASCII text, a word holding a capital, from that capital on (a charset first, so the
#: regex engine skips to the next capital in C).
_ASCII_CAPITAL_WORD_RE = re.compile(r"[A-Z][A-Za-z0-9]*")
#: What :func:`_mark_ascii_word` leaves for a capital inside a word ("sLITT", "2D").
_INSIDE = "\x03"


def _mark_ascii_word(m: re.Match[str]) -> str:
    """A word that starts with a capital, between \x01 and \x02 (every word holding a
    capital must keep it); :data:`_INSIDE` when the capital is not the word's first letter."""
    start = m.start()
    if start and m.string[start - 1].isalnum():
        return _INSIDE
    return "\x01" + m.group(0) + "\x02"


def _mark_later_words(rest: str) -> str:
    """The title after its first word, each word that must keep its capitals marked.

    After the first word, a word is protected exactly when it holds a capital
    (:func:`_needs_protection`). In ASCII text such a word is found from its first capital
    in one cheap scan, which is exact when that capital starts the word; a capital inside
    a word ("sLITT", rare) sends the title to the general search for word starts."""
    if rest.isascii():
        marked = _ASCII_CAPITAL_WORD_RE.sub(_mark_ascii_word, rest)
        if _INSIDE not in marked:
            return marked
    elif _MAYBE_CAPITAL_RE.search(rest) is None:
        return rest
    return _CANDIDATE_RE.sub(_mark_later_word, rest)


def encode_title(text: str, *, ascii_only: bool) -> str:
    """A title with case-protected words, escaped for a .bib field."""
    text = one_line(text)
    first = _WORD_RE.search(text)
    if first is None:
        return escape_latex(text, ascii_only=ascii_only)
    start, end = first.span()
    word = first.group(0)
    head = "\x01" + word + "\x02" if _needs_protection(word, True) else word
    rest = _mark_later_words(text[end:])  # (starts with a non-word character: the first
    # word is greedy)
    # \x01/\x02 become braces after escaping (escaping would spell braces out); the text
    # has none of its own (one_line drops control characters).
    marked = text[:start] + head + rest
    escaped = escape_latex(marked, ascii_only=ascii_only)
    if "\x01" not in marked:
        return escaped
    return escaped.replace("\x01", "{").replace("\x02", "}")


def encode_text(text: str, *, ascii_only: bool) -> str:
    return escape_latex(one_line(text), ascii_only=ascii_only)


def encode_long_text(text: str, *, ascii_only: bool) -> str:
    if not text:
        return ""  # most notes and abstracts of an export without them
    return r" \par ".join(escape_latex(p, ascii_only=ascii_only)
                          for p in paragraphs(text))


#: What :func:`encode_verbatim` changes after collapsing whitespace.
_VERBATIM_SPECIAL = re.compile(r"[\\{}%]")


def encode_verbatim(text: str) -> str:
    """DOI/URL/eprint: written as they are, except what would break the .bib structure."""
    if not text:
        return ""  # most PMCIDs and many URLs: nothing to collapse or escape
    text = one_line(text)
    if _VERBATIM_SPECIAL.search(text) is None:
        return text
    for ch, enc in (("\\", "%5C"), ("{", "%7B"), ("}", "%7D")):
        text = text.replace(ch, enc)
    return text.replace("%", r"\%")


def encode_file_field(paths: Sequence[str]) -> str:
    """The ``file`` field of attached files as JabRef writes it and Zotero, JabRef and
    SpineLib read it: ``:/path/to/key.pdf:PDF``, ``;`` between files, the path's ``\\``,
    ``:`` and ``;`` escaped with a backslash, its spaces kept as they are. A path holding a
    brace (it would unbalance the entry) or a line break is left out."""
    out = []
    for path in paths:
        if not path.strip() or any(c in path for c in "{}\n\r"):
            continue
        escaped = path.replace("\\", "\\\\").replace(":", "\\:").replace(";", "\\;")
        suffix = path.rsplit(".", 1)[-1].upper() if "." in path.rsplit("/", 1)[-1] else ""
        out.append(f":{escaped}:{suffix}")
    return ";".join(out)


def _splits_name(text: str) -> bool:
    """Would BibTeX split this name part (a comma, a free-standing "and", "others")?"""
    return "," in text or text.strip().lower() == "others" or (
        "and" in text.lower() and re.search(r"(?i)(?:^|\s)and(?:\s|$)", text) is not None)


@lru_cache(maxsize=65536)
def _name_part(text: str, ascii_only: bool, protect_spaces: bool = False) -> str:
    """One part of a name, encoded (cached: family and given names recur far more often
    than whole names do)."""
    enc = encode_text(text, ascii_only=ascii_only)
    # A comma or a free-standing "and" would split the name, and "others" alone means
    # "et al."; a family name alone with spaces would be read as given + family names.
    if _splits_name(text) or (protect_spaces and " " in one_line(text)):
        enc = "{" + enc + "}"
    return enc


def _author(a: Author, ascii_only: bool) -> str:
    return _author_text(a.family, a.given, a.collective, ascii_only, a.suffix)


@lru_cache(maxsize=16384)
def _author_text(family: str, given: str, collective: str, ascii_only: bool,
                 suffix: str = "") -> str:
    """One name for the author field (cached: names recur across a library)."""
    a = Author(family=family, given=given, collective=collective, suffix=suffix)
    if a.is_collective:
        return "{" + encode_text(a.collective, ascii_only=ascii_only) + "}"
    if a.given.strip() and a.suffix.strip():
        # BibTeX's three-part form, "von Last, Jr, First": the suffix keeps its own place.
        return (f"{_name_part(a.family, ascii_only)}, {_name_part(a.suffix, ascii_only)}, "
                f"{_name_part(a.given, ascii_only)}")
    if a.given.strip():
        return f"{_name_part(a.family, ascii_only)}, {_name_part(a.given, ascii_only)}"
    if a.suffix.strip():
        return _name_part(f"{a.family} {a.suffix}", ascii_only, protect_spaces=True)
    # A family name alone with spaces is braced, else BibTeX reads the first words as given
    # names ("De La Cruz" -> given "De La"). Readers then see a group name; for citing, the
    # two print the same. (A trailing comma, "De La Cruz,", is an error in bibtex.)
    return _name_part(a.family, ascii_only, protect_spaces=True)


def encode_authors(authors: Sequence[Author], ascii_only: bool) -> str:
    return " and ".join(_author(a, ascii_only) for a in authors
                        if one_line(a.family) or one_line(a.collective))


def encode_keywords(words: Sequence[str], ascii_only: bool) -> str:
    out = []
    for w in words:
        enc = encode_text(w, ascii_only=ascii_only)
        out.append("{" + enc + "}" if ("," in w or ";" in w) else enc)
    return ", ".join(out)
