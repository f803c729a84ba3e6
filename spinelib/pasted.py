"""References given as text instead of a file: a BibTeX entry copied from Google Scholar or
a journal's "Cite" box, RIS, PubMed's MEDLINE (.nbib) text, CSL JSON or PubMed XML, pasted
into the import dialog or piped to ``spinelib import -``.

Such text is kept as a file of its format in a folder the caller owns, then imported as any
file is: offline, with no look-up, the records as written (a Google Scholar entry has no
DOI to fetch by). Text in none of these formats is read for identifiers instead
(:func:`spinelib.identifiertext.find_identifiers`), as before.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spinelib.formats.sniff import RECORD_STARTS, sniff_format
from spinelib.text import plural

#: The formats pasted text may be in, each with the file suffix the import reads it by.
SUFFIXES = {"bibtex": ".bib", "ris": ".ris", "medline": ".nbib", "csljson": ".json",
            "pubmed": ".xml", "enw": ".enw", "ovid": ".ovd"}
#: Each format as a user knows it.
FORMAT_NAMES = {"bibtex": "BibTeX", "ris": "RIS", "medline": "PubMed MEDLINE",
                "csljson": "CSL JSON", "pubmed": "PubMed XML", "enw": "EndNote tagged",
                "ovid": "Ovid"}
#: What starts one record, per format (for the count a preview shows before reading).
_RECORD_STARTS = {
    "bibtex": re.compile(r"^[ \t]*@[ \t]*(?!comment\b|string\b|preamble\b)[A-Za-z]+[ \t]*[{(]",
                         re.M | re.I),
    **RECORD_STARTS,
    "pubmed": re.compile(r"<Pubmed(?:Book)?Article\b"),
}


#: The formats whose text may start with lines of something else (XML and JSON may not).
_LINE_FORMATS = frozenset({"bibtex", "ris", "medline", "enw", "ovid"})


@dataclass(frozen=True)
class PastedText:
    """Text recognised as a reference format, and how many records it seems to hold."""

    format: str  # a key of SUFFIXES
    records: int
    #: Where the records start: lines above the first entry of a BibTeX, RIS or MEDLINE
    #: text (DOIs pasted above it, a heading) are no part of the file; the caller reads
    #: them for identifiers, so nothing pasted is dropped without a word.
    start: int = 0

    def body(self, text: str) -> str:
        """The part of ``text`` the file holds (from the first record on)."""
        return text[self.start:]

    def describe(self) -> str:
        """"BibTeX text, 2 entries": what the import dialog's preview says."""
        return f"{FORMAT_NAMES[self.format]} text, {plural(self.records, 'entry', 'entries')}"


def recognise(text: str) -> PastedText | None:
    """The format ``text`` is written in, when it is one the import reads; else None (a
    list of DOIs or PMIDs, prose, an empty text)."""
    fmt = sniff_format(text)
    if fmt not in SUFFIXES:
        return None
    first = _RECORD_STARTS[fmt].search(text) if fmt in _LINE_FORMATS else None
    return PastedText(fmt, _count(fmt, text), first.start() if first else 0)


def outside(text: str, pasted: PastedText) -> str:
    """The text that stands outside the records (above the first one, and for BibTeX
    between and after its entries, which BibTeX ignores): read for identifiers, so DOIs
    pasted around copied entries are not lost without a word."""
    if pasted.format != "bibtex":
        return text[:pasted.start]
    pieces: list[str] = []
    at = 0
    for m in _RECORD_STARTS["bibtex"].finditer(text):
        if m.start() < at:
            continue  # an "@article{" quoted inside an entry
        pieces.append(text[at:m.start()])
        at = _entry_end(text, m.end() - 1)
    pieces.append(text[at:])
    return _without_blocks("\n".join(pieces))


def _without_blocks(text: str) -> str:
    """``text`` without its ``@comment``, ``@string`` and ``@preamble`` blocks (braces
    counted, as BibTeX reads them: JabRef's group tree spans many lines) and its TeX comment
    lines (JabRef's "% Encoding: UTF-8"): no entries, but no text around them either."""
    kept: list[str] = []
    at = 0
    for m in _NOT_ENTRIES.finditer(text):
        if m.start() < at:
            continue  # inside the block before
        kept.append(text[at:m.start()])
        if text[m.end():m.end() + 1] in ("{", "("):
            at = _entry_end(text, m.end())
        else:
            line_end = text.find("\n", m.end())
            at = len(text) if line_end < 0 else line_end
    kept.append(text[at:])
    return _TEX_COMMENT.sub("", "".join(kept))


#: The start of a BibTeX block that is no entry (a JabRef comment, a string macro).
_NOT_ENTRIES = re.compile(r"^[ \t]*@[ \t]*(?:comment|string|preamble)\b[ \t]*", re.M | re.I)
#: A line BibTeX tools write as a comment outside the entries.
_TEX_COMMENT = re.compile(r"^[ \t]*%[^\n]*", re.M)


def _entry_end(text: str, opening: int) -> int:
    """Just past the brace (or parenthesis) that closes the entry opened at ``opening``;
    the text's end when it never closes (the reader reports that entry). Braces nest
    inside either, as BibTeX counts them."""
    depth = 0
    by_parenthesis = text[opening] == "("
    for m in _DELIMITERS.finditer(text, opening + by_parenthesis):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and not by_parenthesis:
                return m.end()
        elif ch == ")" and by_parenthesis and depth <= 0:
            return m.end()
    return len(text)


#: What opens and closes a BibTeX entry or a braced value.
_DELIMITERS = re.compile(r"[{})]")


def _count(fmt: str, text: str) -> int:
    if fmt == "csljson":
        try:
            data = json.loads(text)
        except ValueError:
            return 0  # the import says what is wrong with it
        return len(data) if isinstance(data, list) else 1
    n = len(_RECORD_STARTS[fmt].findall(text))
    # MEDLINE from elsewhere than PubMed has no PMID line: one record at least.
    return max(n, 1) if fmt == "medline" else n


def keep(text: str, pasted: PastedText, folder: Path, stem: str = "pasted") -> Path:
    """Write the records of ``text`` (:meth:`PastedText.body`) into ``folder`` as ``stem``
    + the format's suffix (UTF-8), for the import to read; the caller removes ``folder``
    when the import is over."""
    path = folder / f"{stem}{SUFFIXES[pasted.format]}"
    path.write_text(pasted.body(text), encoding="utf-8")
    return path
