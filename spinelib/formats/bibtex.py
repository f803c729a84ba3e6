"""BibTeX and BibLaTeX, both ways, through bibtexparser 2.x.

Two writers, one reader:

``write_bibtex`` ("bibtex")
    Pure ASCII for classic BibTeX with pdfLaTeX. Unicode becomes LaTeX commands
    (``ü`` -> ``{\\"u}``, ``č`` -> ``{\\v{c}}``, ``Ē`` -> ``{\\={E}}``), Greek letters become
    brace-protected math (``α`` -> ``{$\\alpha$}``), and ``& % $ # _ ~ ^ \\ { }`` are escaped.
    A character with no LaTeX spelling is written as its closest ASCII form or ``?``;
    :func:`export_problems` names it beforehand. Classic field names (``journal``, ``year``,
    ``month = mar`` as a macro) plus the ones JabRef and Better BibTeX use (``pmid``, ``pmcid``,
    ``shortjournal``, ``keywords``).
``write_biblatex`` ("biblatex")
    UTF-8 text (only the LaTeX specials are escaped) with biblatex's data model, chosen so
    that ``biber --validate-datamodel`` has nothing to say: ``journaltitle``, ``shortjournal``,
    ``date = {YYYY-MM-DD}``, ``eprint = {PMID}`` with ``eprinttype = {pubmed}`` (biblatex
    links it), and the PMCID in ``addendum = {PMCID: PMC123}`` (where NIH wants it printed;
    a PMCID without a PMID goes to ``eprint`` with ``eprinttype = {pmcid}``). Chapters are
    ``@inbook`` there (``@incollection`` would demand an editor we do not have).
``read_bibtex``
    Either dialect: ``@string`` macros and ``#`` concatenation resolved, month macros to
    numbers, LaTeX decoded to Unicode, names split into family/given (a name that is one
    brace group, ``{Canadian Respiratory Research Network}``, is a collective author),
    ``--`` in pages to ``-``, DOI/PMID/PMCID normalised (invalid ones dropped and reported).
    Blocks bibtexparser cannot parse are reported by line and skipped; the rest import.

Titles keep their capitals: words BibTeX styles would lower-case are brace-protected
(acronyms like ``{SBRT}``, words with inner capitals like ``{sLITT}``, and capitalised words
after the first, such as eponyms: ``{Bilsky}``, ``{Tokuhashi}``).

Keywords: the record's tags and keywords are written comma-separated in ``keywords``; a
keyword containing a comma or semicolon is wrapped in braces so readers (biber, JabRef,
this reader) keep it whole. On reading, ``keywords`` (split on top-level commas or
semicolons) goes to ``record.keywords``.

Text fields are one line each; the paragraphs of an abstract or a note are joined with
``\\par`` (a blank line inside a field is legal but trips some tools).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares import (
    AddEnclosingMiddleware,
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
)
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.writer import BibtexFormat
from pylatexenc import latex2text
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from spinelib.citekeys import is_valid_citekey
from spinelib.errors import InvalidIdentifier
from spinelib.formats.textio import (
    ReadResult,
    expand_page_range,
    export_keys,
    merged_keywords,
    nfc,
    normalise_newlines,
    one_line,
    paragraphs,
    parse_month,
    strip_controls,
    valid_day,
)
from spinelib.identifiers import parse_identifier
from spinelib.records import ArticleRecord, Author

# bibtexparser logs every block it cannot parse; we report those ourselves (with line and
# reason), so keep its messages out of the user's terminal unless logging is configured.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

#: BibTeX's predefined month macros, written unquoted (``month = mar``).
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun",
                "jul", "aug", "sep", "oct", "nov", "dec")

# ======================================================================================
# Writing: LaTeX escaping

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
})
#: Doubled characters TeX fonts turn into ligatures (``--`` en dash, ``''`` closing quote,
#: ``,,`` and ``<<``/``>>`` in T1); ``{}`` between them keeps the characters as typed.
_LIGATURE_RE = re.compile(r"([-',<>])(?=\1)")
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
_SAFE = frozenset(cp for lo, hi in _SAFE_RANGES for cp in range(lo, hi + 1))

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


def _ascii_fallback(ch: str) -> str:
    """The closest ASCII LaTeX for a character with no safe spelling, or '?'."""
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
    if ord(ch) not in _SAFE:
        return f"\x00{ord(ch)}\x00"
    return _ENSUREMATH_RE.sub(r"$\1$", _ENCODER.unicode_to_latex(ch))


def _encode_non_ascii(escaped: str) -> str:
    """Text whose ASCII specials are already escaped, with every non-ASCII character spelt."""
    return _NON_ASCII_RE.sub(lambda m: _encode_char(m.group(0)), escaped)


def _latex(text: str, *, ascii_only: bool) -> str:
    """Escape one piece of plain text for a .bib field.

    ``ascii_only`` (classic BibTeX) also turns non-ASCII into LaTeX commands; characters
    without a safe LaTeX spelling are replaced by an ASCII approximation (see
    :func:`unencodable_characters`, which names them beforehand).
    """
    escaped = _escape_ascii(text)
    if not ascii_only or escaped.isascii():
        return escaped
    out = _encode_non_ascii(nfc(escaped))
    if "\x00" in out:
        out = _UNKNOWN_MARK_RE.sub(lambda m: _ascii_fallback(chr(int(m.group(1)))), out)
    return out


_WORD_RE = re.compile(r"([^\W_]+)")


def _needs_protection(word: str, first: bool) -> bool:
    """Would a BibTeX/biblatex style lower-case a capital that must stay?"""
    if any(c.isupper() for c in word[1:]):
        return True  # SBRT, MRI, MISt, sLITT, T2
    return word[0].isupper() and not first  # Bilsky, Tokuhashi, Kyphon


def _title(text: str, *, ascii_only: bool) -> str:
    """A title with case-protected words, escaped for a .bib field."""
    text = one_line(text)
    first = _WORD_RE.search(text)
    first_at = first.start() if first else -1

    def mark(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.islower() or word.isdigit() or not _needs_protection(word, m.start() == first_at):
            return word
        return "\x01" + word + "\x02"  # braces after escaping (escaping would spell them out)

    marked = _WORD_RE.sub(mark, text)
    return _latex(marked, ascii_only=ascii_only).replace(
        "\x01", "{").replace("\x02", "}")


def _text(text: str, *, ascii_only: bool) -> str:
    return _latex(one_line(text), ascii_only=ascii_only)


def _long_text(text: str, *, ascii_only: bool) -> str:
    return r" \par ".join(_latex(p, ascii_only=ascii_only)
                          for p in paragraphs(text))


def _verbatim(text: str) -> str:
    """DOI/URL/eprint: written as they are, except what would break the .bib structure."""
    text = one_line(text)
    for ch, enc in (("\\", "%5C"), ("{", "%7B"), ("}", "%7D")):
        text = text.replace(ch, enc)
    return text.replace("%", r"\%")


def _splits_name(text: str) -> bool:
    """Would BibTeX split this name part (a comma, a free-standing "and", "others")?"""
    return "," in text or text.strip().lower() == "others" or (
        "and" in text.lower() and re.search(r"(?i)(?:^|\s)and(?:\s|$)", text) is not None)


def _name_part(text: str, ascii_only: bool, protect_spaces: bool = False) -> str:
    enc = _text(text, ascii_only=ascii_only)
    # A comma or a free-standing "and" would split the name, and "others" alone means
    # "et al."; a family name alone with spaces would be read as given + family names.
    if _splits_name(text) or (protect_spaces and " " in one_line(text)):
        enc = "{" + enc + "}"
    return enc


def _author(a: Author, ascii_only: bool) -> str:
    return _author_text(a.family, a.given, a.collective, ascii_only)


@lru_cache(maxsize=16384)
def _author_text(family: str, given: str, collective: str, ascii_only: bool) -> str:
    """One name for the author field (cached: names recur across a library)."""
    a = Author(family=family, given=given, collective=collective)
    if a.is_collective:
        return "{" + _text(a.collective, ascii_only=ascii_only) + "}"
    if a.given.strip():
        return f"{_name_part(a.family, ascii_only)}, {_name_part(a.given, ascii_only)}"
    # A family name alone with spaces is braced, else BibTeX reads the first words as given
    # names ("De La Cruz" -> given "De La"). Readers then see a group name; for citing, the
    # two print the same. (A trailing comma, "De La Cruz,", is an error in bibtex.)
    return _name_part(a.family, ascii_only, protect_spaces=True)


def _authors(authors: Sequence[Author], ascii_only: bool) -> str:
    return " and ".join(_author(a, ascii_only) for a in authors
                        if one_line(a.family) or one_line(a.collective))


def _keywords(words: Sequence[str], ascii_only: bool) -> str:
    out = []
    for w in words:
        enc = _text(w, ascii_only=ascii_only)
        out.append("{" + enc + "}" if ("," in w or ";" in w) else enc)
    return ", ".join(out)


# ======================================================================================
# Writing: entries

def entry_type(record: ArticleRecord, biblatex: bool) -> str:
    """The entry type a record is written as (see the module docstring)."""
    if record.type == "book":
        return "book"
    if record.type == "chapter":
        return "inbook" if biblatex else "incollection"
    if record.journal.strip() or record.type in ("article", "review", "erratum"):
        return "article"
    return "misc"


def _fields(record: ArticleRecord, biblatex: bool, abstracts: bool) -> list[tuple[str, str]]:
    """(name, encoded value) pairs for one entry, in the order they are written."""
    ascii_only = not biblatex
    kind = entry_type(record, biblatex)
    f: list[tuple[str, str]] = []

    def add(name: str, value: str) -> None:
        if value.strip():
            f.append((name, value))

    def text(value: str) -> str:
        return _text(value, ascii_only=ascii_only)

    def long_text(value: str) -> str:
        return _long_text(value, ascii_only=ascii_only)

    add("author", _authors(record.authors, ascii_only))
    add("title", _title(record.title, ascii_only=ascii_only))
    if kind in ("incollection", "inbook"):
        add("booktitle", _title(record.book_title, ascii_only=ascii_only))
    if kind == "article":
        add("journaltitle" if biblatex else "journal", text(record.journal))
    elif kind == "misc":
        add("howpublished", text(record.journal))
    if kind in ("article", "misc"):
        add("shortjournal", text(record.journal_abbrev))
    f.extend(_date_fields(record, biblatex))
    if kind != "misc":
        add("volume", text(record.volume))
        if kind == "article":
            add("number", text(record.issue))
        add("pages", text(expand_page_range(record.pages)).replace("-", "--"))
    if kind != "article" and (kind != "misc" or not biblatex):
        add("publisher", text(record.publisher))
    if biblatex and record.type == "preprint":
        add("pubstate", "prepublished")
    add("doi", _verbatim(record.doi))
    if biblatex:
        if record.pmid:
            add("eprint", _verbatim(record.pmid))
            add("eprinttype", "pubmed")
            add("addendum", f"PMCID: {_verbatim(record.pmcid)}" if record.pmcid else "")
        elif record.pmcid:
            add("eprint", _verbatim(record.pmcid))
            add("eprinttype", "pmcid")
    else:
        add("pmid", _verbatim(record.pmid))
        add("pmcid", _verbatim(record.pmcid))
    if kind == "article":
        add("issn", text(record.issn))
    add("url", _verbatim(record.url))
    add("keywords", _keywords(merged_keywords(record), ascii_only))
    if abstracts:
        add("abstract", long_text(record.abstract))
    add("note", long_text(record.notes))
    return f


def _date_fields(record: ArticleRecord, biblatex: bool) -> list[tuple[str, str]]:
    """``date = {2005-08-20}`` for biblatex; ``year``, ``month = aug``, ``day`` for BibTeX."""
    if not record.year:
        return []
    month = record.month if record.month and 1 <= record.month <= 12 else None
    day = valid_day(record.year, month, record.day)
    if biblatex:
        date = f"{record.year:04d}" + (f"-{month:02d}" if month else "")
        return [("date", date + (f"-{day:02d}" if day else ""))]
    out = [("year", str(record.year))]
    if month:
        out.append(("month", MONTH_MACROS[month - 1]))
    if day:
        out.append(("day", str(day)))
    return out


def _format() -> BibtexFormat:
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"  # the writer already ends each entry with a newline
    return fmt


def _write(records: Sequence[ArticleRecord], biblatex: bool, abstracts: bool) -> str:
    entries: list[model.Block] = []
    for record, (key, _note) in zip(records, export_keys(records)):
        fields = [
            model.Field(name, value, enclosing="no-enclosing" if name == "month" else None)
            for name, value in _fields(record, biblatex, abstracts)
        ]
        entries.append(model.Entry(entry_type(record, biblatex), key, fields))
    if not entries:
        return ""
    library = bibtexparser.Library(entries)
    # Only the enclosing middleware, modifying in place: the library is ours and thrown
    # away, so bibtexparser need not deep-copy every block (the slow part for big exports).
    stack = [AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True,
                                    default_enclosing="{", allow_inplace_modification=True)]
    text = bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=_format())
    return text.rstrip("\n") + "\n"


def write_bibtex(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Classic BibTeX, pure ASCII (see the module docstring); '' for no records."""
    return _write(records, biblatex=False, abstracts=abstracts)


def write_biblatex(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """BibLaTeX for biber, UTF-8 (see the module docstring); '' for no records."""
    return _write(records, biblatex=True, abstracts=abstracts)


def unencodable_characters(record: ArticleRecord) -> dict[str, list[str]]:
    """Field name -> characters classic BibTeX output cannot hold, for one record.

    That is characters with no LaTeX spelling (written as the nearest ASCII or '?') and
    characters spelt only approximately (Greek capital Alpha as A, subscript digits as
    math, H with stroke as H with macron). Compatibility forms that read back as their
    plain equivalent (the "fi" ligature) and odd spaces are not reported.
    """
    found: dict[str, list[str]] = {}
    for name, getter in _CHECKED_FIELDS:
        text = getter(record)
        if not text or text.isascii():
            continue
        bad: list[str] = []
        for ch in dict.fromkeys(nfc(strip_controls(text))):
            if not ch.isascii() and not ch.isspace() and ch not in _exact_characters() \
                    and not _benign(ch):
                bad.append(ch)
        if bad:
            found[name] = bad
    return found


def _benign(ch: str) -> bool:
    back = _decode(_latex(ch, ascii_only=True))
    return unicodedata.normalize("NFKC", ch) == unicodedata.normalize("NFKC", back)


@lru_cache(maxsize=1)
def _exact_characters() -> frozenset[str]:
    """Non-ASCII characters whose BibTeX spelling reads back as the very same character.

    Only spellings the fast decoder knows count: those decode the same in any company
    (pylatexenc's full parser, used for anything else, reads some macros differently).
    """
    exact = set()
    for cp in _SAFE:
        try:
            if _fast_decode(_latex(chr(cp), ascii_only=True)) == chr(cp):
                exact.add(chr(cp))
        except _NeedsParser:
            continue
    return frozenset(exact)


def bibtex_exact_characters() -> frozenset[str]:
    """The non-ASCII characters classic BibTeX output spells exactly (ASCII always is).

    Every other character is written approximately or as '?', and reported by
    :func:`export_problems`.
    """
    return _exact_characters()


_CHECKED_FIELDS: tuple[tuple[str, Callable[[ArticleRecord], str]], ...] = (
    ("author", lambda r: " ".join(f"{a.family} {a.given} {a.collective}" for a in r.authors)),
    ("title", lambda r: r.title),
    ("booktitle", lambda r: r.book_title),
    ("journal", lambda r: f"{r.journal} {r.journal_abbrev}"),
    ("publisher", lambda r: r.publisher),
    ("volume/number/pages", lambda r: f"{r.volume} {r.issue} {r.pages}"),
    ("keywords", lambda r: " ".join(merged_keywords(r))),
    ("abstract", lambda r: r.abstract),
    ("note", lambda r: r.notes),
)


def export_problems(records: Sequence[ArticleRecord], *, biblatex: bool) -> list[str]:
    """What would make bibtex/biber warn or print wrongly, one message per issue.

    Each message starts with the key the record is written under.
    """
    problems: list[str] = []
    for record, (key, note) in zip(records, export_keys(records)):
        if note:
            problems.append(f"{key}: the record {note}")
        kind = entry_type(record, biblatex)
        missing = []
        if not any(one_line(a.family) or one_line(a.collective) for a in record.authors):
            missing.append("author")
        if not one_line(record.title):
            missing.append("title")
        if not record.year:
            missing.append("year")
        if kind == "article" and not one_line(record.journal):
            missing.append("journal")
        if kind in ("incollection", "inbook") and not one_line(record.book_title):
            missing.append("book title")
        if kind in ("book", "incollection") and not biblatex and not one_line(record.publisher):
            missing.append("publisher")
        if missing:
            problems.append(f"{key}: missing {', '.join(missing)} "
                            f"({'biber' if biblatex else 'bibtex'} will warn)")
        if not biblatex:
            for name, chars in unencodable_characters(record).items():
                shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars[:5])
                more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
                problems.append(f"{key}: {name} has characters BibTeX cannot encode: "
                                f"{shown}{more}; they are written as the nearest LaTeX or "
                                "ASCII, or '?'")
    return problems


# ======================================================================================
# Reading

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
            if cp < 0xA0 or cp not in _SAFE:
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


class _NeedsParser(Exception):
    """The text holds LaTeX the fast decoder does not know; pylatexenc takes over."""


def _fast_token(m: re.Match[str]) -> str:
    kind = m.lastgroup
    if m.group("acc") or m.group("lacc"):
        accent = m.group("acc") or m.group("lacc")
        base = m.group("arg1") or m.group("arg2") or m.group("arg3") or m.group("arg4")
        if not base:
            raise _NeedsParser
        base = {"\\i": "i", "\\j": "j"}.get(base, base)
        return unicodedata.normalize("NFC", base + _ACCENTS[accent])
    if m.group("math") or m.group("emath"):
        name = m.group("math") or m.group("emath")
        if name in _MATH_MACROS:
            return _MATH_MACROS[name]
        raise _NeedsParser
    if kind == "word" or kind == "sym":
        name = m.group(kind)
        if name in _TEXT_MACROS:
            return _TEXT_MACROS[name]
        raise _NeedsParser
    if kind == "lig":
        return _LIGATURES[m.group("lig")]
    if kind == "brace":
        return ""
    raise _NeedsParser


def _fast_decode(value: str) -> str:
    """The table-driven decoder alone; raises _NeedsParser for LaTeX it does not know."""
    return nfc(_TOKEN_RE.sub(_fast_token, value))


def _decode(value: str) -> str:
    """LaTeX field text to plain Unicode, whitespace untouched (the caller tidies it).

    The LaTeX .bib files usually hold (accents, escaped specials, text symbols, Greek
    in math, case-protecting braces, dash and quote ligatures) is decoded by a fast
    table-driven pass; anything else goes through pylatexenc's LaTeX parser.
    """
    if not _LATEX_RE.search(value):
        return value
    try:
        return _fast_decode(value)
    except _NeedsParser:
        pass
    try:
        return nfc(_DECODER.latex_to_text(value))
    except Exception:  # pylatexenc on broken LaTeX: keep the text rather than lose the entry
        return value.replace("{", "").replace("}", "")


def _decode_line(value: str) -> str:
    return one_line(_decode(value))


def _decode_long(value: str) -> str:
    return "\n\n".join(paragraphs(_decode(value)))


def _unescape_verbatim(value: str) -> str:
    return one_line(re.sub(r"\\([%_&#${}~^])", r"\1", value).replace("{", "").replace("}", ""))


def _split_top_level(value: str, seps: str) -> list[str]:
    """Split on separator characters outside braces."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _is_one_group(name: str) -> bool:
    """True when the whole name is a single brace group: ``{World Health Organization}``."""
    name = name.strip()
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


_AND_RE = re.compile(r"\s+and\s+", re.I)


def split_names(raw: str) -> list[str]:
    """The names of a BibTeX name list: split on "and" between spaces outside braces.

    (bibtexparser's own splitter loses a name that starts with a backslash, as in
    ``Smith, J and \\"Ozt\\"urk, A``.)
    """
    masked = []
    depth = 0
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        masked.append("x" if depth or ch == "}" else ch)
    cuts = [m.span() for m in _AND_RE.finditer("".join(masked))]
    names, start = [], 0
    for a, b in cuts:
        names.append(raw[start:a])
        start = b
    names.append(raw[start:])
    return [n.strip() for n in names if n.strip()]


def _read_authors(raw: str) -> list[Author]:
    authors = []
    for name in split_names(raw):
        parsed = _read_name(name)
        if parsed is not None:
            family, given, collective = parsed
            authors.append(Author(family=family, given=given, collective=collective))
    return authors


@lru_cache(maxsize=16384)
def _read_name(name: str) -> tuple[str, str, str] | None:
    """(family, given, collective) of one BibTeX name, None for "others"/empty (cached)."""
    name = name.strip()
    if not name or name.lower() == "others":
        return None
    if _is_one_group(name):
        collective = _decode_line(name[1:-1])
        return ("", "", collective) if collective else None
    if name.endswith(",") and "," not in name[:-1]:
        # "De La Cruz," (written by some tools): a family name alone.
        family = _decode_line(name[:-1])
        return (family, "", "") if family else None
    parts = parse_single_name_into_parts(name, strict=False)
    family = _decode_line(" ".join(parts.von + parts.last))
    if parts.jr:
        family = f"{family} {_decode_line(' '.join(parts.jr))}"
    given = _decode_line(" ".join(parts.first))
    if family:
        return family, given, ""
    return (given, "", "") if given else None


def _resolve_concat(raw: str, strings: dict[str, str]) -> str:
    """Evaluate an unenclosed value: macros (``@string``, months) joined with ``#``."""
    out = []
    for part in _split_top_level(raw, "#"):
        part = part.strip()
        if (len(part) >= 2 and part[0] == part[-1] == '"') or (
                part.startswith("{") and part.endswith("}")):
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in MONTH_MACROS:
            out.append(str(MONTH_MACROS.index(part.lower()) + 1))
        else:
            out.append(part)
    return "".join(out)


_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")

_TYPE_MAP = {
    "article": "article",
    "book": "book", "mvbook": "book", "booklet": "book", "collection": "book",
    "inbook": "chapter", "incollection": "chapter", "inreference": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
}


class _EntryReader:
    """Turns one parsed entry into an ArticleRecord, noting problems against its line."""

    def __init__(self, entry: model.Entry, strings: dict[str, str], where: str) -> None:
        self.entry = entry
        self.where = where
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.fields: dict[str, str] = {}
        for f in entry.fields:
            key = f.key.lower()
            if key in self.fields:
                continue
            value = f.value if isinstance(f.value, str) else str(f.value)
            if f.enclosing == "no-enclosing":
                value = _resolve_concat(value, strings)
            self.fields[key] = normalise_newlines(value)

    def get(self, *names: str) -> str:
        for n in names:
            if self.fields.get(n, "").strip():
                return self.fields[n]
        return ""

    def identifier(self, kind: str, raw: str) -> str:
        raw = _unescape_verbatim(raw)
        if not raw:
            return ""
        try:
            ident = parse_identifier(raw)
        except InvalidIdentifier as exc:
            self.problems.append(f"{self.where}: {exc} (dropped)")
            return ""
        if ident.kind != kind:
            self.problems.append(
                f"{self.where}: the {kind.upper()} field holds a {ident.kind.upper()}, "
                f"{raw!r} (dropped)")
            return ""
        return ident.value

    def record(self) -> ArticleRecord | None:
        e = self.entry
        g = self.get
        rec = ArticleRecord(source="bibtex")
        etype = e.entry_type.lower()
        rec.type = _TYPE_MAP.get(etype, "other")
        if g("pubstate").strip().lower() == "prepublished":
            rec.type = "preprint"
        rec.title = _decode_line(g("title"))
        rec.book_title = _decode_line(g("booktitle"))
        if rec.type == "chapter" and not rec.title and rec.book_title:
            rec.title, rec.book_title = rec.book_title, ""
        rec.journal = _decode_line(g("journaltitle", "journal"))
        if not rec.journal and etype in ("misc", "online", "unpublished"):
            rec.journal = _decode_line(g("howpublished"))
        rec.journal_abbrev = _decode_line(g("shortjournal", "journalabbrev",
                                            "journal-abbrev", "journalabbreviation"))
        self._dates(rec)
        rec.volume = _decode_line(g("volume"))
        rec.issue = _decode_line(g("number", "issue"))
        rec.pages = expand_page_range(_decode(g("pages") or g("eid")))
        rec.publisher = _decode_line(g("publisher"))
        rec.issn = _decode_line(g("issn"))
        rec.language = _decode_line(g("langid", "language"))
        rec.abstract = _decode_long(g("abstract"))
        rec.notes = _decode_long(g("note") or g("annote", "annotation"))
        try:
            rec.authors = _read_authors(g("author"))
        except Exception as exc:  # bibtexparser's name splitter on malformed names
            self.problems.append(f"{self.where}: cannot split the author list ({exc}); "
                                 "authors dropped")
        words = [_decode_line(w) for w in _split_top_level(g("keywords"), ",;")]
        rec.keywords = [w for w in words if w]
        self._identifiers(rec)
        if is_valid_citekey(e.key):
            rec.citekey = e.key
        elif e.key:
            self.warnings.append(f"{self.where}: the key {e.key!r} is not a portable "
                                 "citation key; a new one will be given")
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: entry has neither a title nor a DOI, PMID "
                                 "or PMCID (skipped)")
            return None
        return rec

    def _dates(self, rec: ArticleRecord) -> None:
        m = _DATE_RE.match(self.get("date"))
        if m:
            rec.year = int(m.group(1))
            rec.month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
            rec.day = valid_day(rec.year, rec.month, int(m.group(3))) if m.group(3) else None
            return
        y = _YEAR_RE.search(_decode(self.get("year")))
        rec.year = int(y.group(1)) if y else None
        month = _decode_line(self.get("month"))
        rec.month = parse_month(month) or parse_month(month.split(" ")[0] if month else "")
        day = self.get("day").strip()
        rec.day = valid_day(rec.year, rec.month, int(day)) if day.isdigit() else None

    def _identifiers(self, rec: ArticleRecord) -> None:
        g = self.get
        rec.doi = self.identifier("doi", g("doi"))
        rec.pmid = self.identifier("pmid", g("pmid"))
        rec.pmcid = self.identifier("pmcid", g("pmcid"))
        eprint, etype = g("eprint"), g("eprinttype", "archiveprefix").strip().lower()
        if eprint and etype in ("pubmed", "pmid") and not rec.pmid:
            rec.pmid = self.identifier("pmid", eprint)
        elif eprint and etype in ("pmc", "pmcid") and not rec.pmcid:
            rec.pmcid = self.identifier("pmcid", eprint)
        m = re.search(r"PMCID:\s*(PMC\d+)", g("addendum"), re.I)
        if m and not rec.pmcid:
            rec.pmcid = self.identifier("pmcid", m.group(1))
        url = _unescape_verbatim(g("url"))
        if url:
            try:
                ident = parse_identifier(url)
            except InvalidIdentifier:
                ident = None
            if ident is not None and not getattr(rec, ident.kind):
                setattr(rec, ident.kind, ident.value)
            if _IDENTIFIER_LINK_RE.match(url):
                url = ""  # a doi.org/PubMed link adds nothing once the identifier is kept
            rec.url = url


#: Links that only restate an identifier (kept as the identifier, not as the record's URL).
_IDENTIFIER_LINK_RE = re.compile(
    r"(?i)^https?://(?:dx\.)?(?:www\.)?(?:doi\.org|pubmed\.ncbi\.nlm\.nih\.gov|"
    r"pmc\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/(?:pubmed|pmc))/")


_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)")


def _failed_message(block: model.ParsingFailedBlock, source: str) -> str:
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    m = _KEY_RE.search(raw)
    what = f"entry '{m.group(1)}'" if m else "a block"
    if isinstance(block, model.DuplicateBlockKeyBlock):
        prev = block.previous_block.start_line
        where = f" (first at line {prev + 1})" if prev is not None else ""
        return f"{source} line {line}: duplicate key '{block.key}'{where}; this entry was skipped"
    reason = getattr(block.error, "abort_reason", "") or str(block.error)
    if "Unexpected block start" in reason or "end of file" in reason.lower() or (
            raw.count("{") != raw.count("}")):
        why = "unbalanced braces"
    elif reason:
        why = reason.strip().rstrip(".")
    else:
        why = "it is not valid BibTeX"
    return f"{source} line {line}: {why} in {what} (skipped)"


def read_bibtex(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse BibTeX or BibLaTeX text; good entries import, bad blocks are reported by line."""
    result = ReadResult()
    library = bibtexparser.parse_string(
        normalise_newlines(text),
        parse_stack=[ResolveStringReferencesMiddleware(True), RemoveEnclosingMiddleware(True)],
    )
    strings = {k.lower(): (s.value if isinstance(s.value, str) else str(s.value))
               for k, s in library.strings_dict.items()}
    for block in library.blocks:
        entry: model.Entry
        if isinstance(block, model.DuplicateFieldKeyBlock):
            ignored = block.ignore_error_block
            if not isinstance(ignored, model.Entry):
                continue
            entry = ignored
            dups = ", ".join(sorted(block.duplicate_keys))
            result.warnings.append(
                f"{source_name} line {(entry.start_line or 0) + 1}: entry '{entry.key}' has "
                f"the field {dups} more than once; the first was used")
        elif isinstance(block, model.ParsingFailedBlock):
            result.problems.append(_failed_message(block, source_name))
            continue
        elif isinstance(block, model.Entry):
            entry = block
        else:
            continue  # @string, @preamble, @comment and text between entries
        where = f"{source_name} line {(entry.start_line or 0) + 1}: entry '{entry.key}'"
        reader = _EntryReader(entry, strings, where)
        try:
            rec = reader.record()
        except Exception as exc:  # noqa: BLE001 - one odd entry must not sink the file
            result.problems.append(f"{where}: could not be read ({exc}) (skipped)")
            continue
        result.problems.extend(reader.problems)
        result.warnings.extend(reader.warnings)
        if rec is not None:
            result.records.append(rec)
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no BibTeX entries")
    return result
