"""What bibtex or biber would choke on or print wrongly in an export, said before it is
written: missing basics per entry type, and characters classic BibTeX cannot hold.

The writers are in :mod:`spinelib.formats.bibtex.write`; this module only reads records.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from spinelib.formats.bibtex.decode import NeedsParser, decode_latex, fast_decode
from spinelib.formats.bibtex.encode import SAFE_CODE_POINTS, escape_latex
from spinelib.formats.bibtex.write import entry_type
from spinelib.formats.common import export_keys, merged_keywords
from spinelib.records import ArticleRecord, any_named
from spinelib.text import first_few, nfc, one_line, strip_controls


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
    """True when the ASCII spelling of ``ch`` reads back as ``ch`` or, for a compatibility
    form (the "fi" ligature, curled beta), as its plain equivalent. A character that is its
    own plain form must come back itself: Greek epsilon with tonos spelt through the lunate
    epsilon reads back as another letter and is reported."""
    back = decode_latex(escape_latex(ch, ascii_only=True))
    if nfc(ch) == nfc(back):
        return True
    plain = unicodedata.normalize("NFKC", ch)
    return plain != nfc(ch) and plain == unicodedata.normalize("NFKC", back)


@lru_cache(maxsize=1)
def _exact_characters() -> frozenset[str]:
    """Non-ASCII characters whose BibTeX spelling reads back as the very same character.

    Only spellings the fast decoder knows count: those decode the same in any company
    (pylatexenc's full parser, used for anything else, reads some macros differently).
    """
    exact = set()
    for cp in SAFE_CODE_POINTS:
        try:
            if fast_decode(escape_latex(chr(cp), ascii_only=True)) == chr(cp):
                exact.add(chr(cp))
        except NeedsParser:
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
    ("editor", lambda r: " ".join(f"{a.family} {a.given} {a.collective}" for a in r.editors)),
    ("title", lambda r: r.title),
    ("booktitle", lambda r: r.book_title),
    ("journal", lambda r: f"{r.journal} {r.journal_abbrev}"),
    ("publisher", lambda r: r.publisher),
    ("volume/number/pages", lambda r: f"{r.volume} {r.issue} {r.pages}"),
    # (All-ASCII words merge to ASCII text, which has nothing to report: the merge, a
    # fifth of the check's time, is skipped for them.)
    ("keywords", lambda r: "" if all(map(str.isascii, r.tags)) and all(
        map(str.isascii, r.keywords)) else " ".join(merged_keywords(r))),
    ("abstract", lambda r: r.abstract),
    ("annote", lambda r: r.notes),
)


def export_problems(records: Sequence[ArticleRecord], *, biblatex: bool) -> list[str]:
    """What would make bibtex/biber warn or print wrongly, one message per issue.

    Each message starts with the key the record is written under.
    """
    problems: list[str] = []
    for record, (key, note) in zip(records, export_keys(records)):
        problems.extend(_record_problems(record, key, note, biblatex))
    return problems


def _record_problems(record: ArticleRecord, key: str, note: str, biblatex: bool) -> list[str]:
    """The export problems of one record written under ``key`` (``note``: how it got it)."""
    problems = [f"{key}: the record {note}"] if note else []
    kind = entry_type(record, biblatex)
    missing = _missing_basics(record, kind) + _missing_for_type(record, kind, biblatex)
    if missing:
        problems.append(f"{key}: missing {', '.join(missing)} "
                        f"({'biber' if biblatex else 'bibtex'} will warn)")
    if not biblatex:
        problems.extend(_unencodable_messages(record, key))
    return problems


def _missing_basics(record: ArticleRecord, kind: str) -> list[str]:
    """Which of author, title and year, wanted by every entry type, the record lacks (an
    edited book's editors stand for its author: BibTeX's @book takes either, biblatex's
    @collection wants the editor)."""
    missing = []
    named = record.editors if kind in ("book", "collection") else []
    if not any_named([*record.authors, *named]):
        missing.append("author")
    if not one_line(record.title):
        missing.append("title")
    if not (record.year or record.date_text.strip() or record.pubstate):
        missing.append("year")  # "in press" or a date as text stands in for it
    return missing


def _missing_for_type(record: ArticleRecord, kind: str, biblatex: bool) -> list[str]:
    """The fields entry type ``kind`` requires that the record lacks."""
    missing = []
    if kind == "article" and not one_line(record.journal):
        missing.append("journal")
    if kind in ("incollection", "inbook", "inproceedings") and \
            not one_line(record.book_title):
        missing.append("book title")
    if kind in ("techreport", "report", "thesis") and not one_line(record.institution):
        missing.append("institution")
    if kind in ("phdthesis", "mastersthesis") and not one_line(record.institution):
        missing.append("school")
    if kind in ("book", "incollection") and not biblatex and not one_line(record.publisher):
        missing.append("publisher")
    return missing


def _unencodable_messages(record: ArticleRecord, key: str) -> list[str]:
    """One message per field with characters classic BibTeX cannot encode (first five shown)."""
    messages = []
    for name, chars in unencodable_characters(record).items():
        shown = first_few([f"'{c}' (U+{ord(c):04X})" for c in chars])
        messages.append(f"{key}: {name} has characters BibTeX cannot encode: "
                        f"{shown}; they are written as the nearest LaTeX or "
                        "ASCII, or '?'")
    return messages
