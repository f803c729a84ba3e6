"""Small text helpers shared by the file formats and the network sources.

One home for what several readers and writers need to treat the same way:

* **Lines and whitespace**: line iteration for any line end, newline normalisation, control
  and invisible characters dropped, one-line and paragraph forms of a field.
* **Page ranges**: dash runs made one hyphen, NLM's shortened ranges (``643-8``) written out
  and shortened again.
* **Dates**: month names and numbers, and whether a day exists in its month.
* **Odds and ends**: picking the print ISSN, Unicode NFC, a JSON scalar as text.

Everything here is a pure function of its arguments (no files, network or database), and
nothing here knows about records: record-level helpers live with the formats.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

# --------------------------------------------------------------------------------------
# Lines and whitespace


def unique_texts(items: Iterable[str]) -> list[str]:
    """The non-empty strings of ``items`` in order, without case-insensitive repeats (the
    first spelling kept): keyword lists, publication types."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` without their ends (LF, CRLF or a bare CR), one at a time.

    Line-based readers use this instead of ``split`` so a 50 MB file is never held as a
    list of a million strings.
    """
    sep = "\n" if "\n" in text or "\r" not in text else "\r"  # classic Mac: CR only
    start = 0
    while True:
        end = text.find(sep, start)
        line = text[start:] if end < 0 else text[start:end]
        yield line[:-1] if line.endswith("\r") else line
        if end < 0:
            return
        start = end + 1


def normalise_newlines(text: str) -> str:
    """Unix newlines only (EndNote on Windows writes CRLF, classic Mac tools a bare CR)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029"
                         r"\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Drop control and invisible formatting characters no citation consumer can use."""
    return _CONTROL_RE.sub("", text)


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace (non-breaking spaces included) made one space, ends stripped.

    Unlike :func:`one_line`, control characters are kept: this is for text a parser has
    already vetted (XML element text, markup flattened by a tokenizer).
    """
    if is_collapsed(text):
        return text
    return " ".join(text.split())


def is_collapsed(text: str) -> bool:
    """True when ``text`` is surely already what :func:`collapse_whitespace` makes of it
    (False also for a text with an unprintable character, whitespace or not: split it).

    The test allocates nothing, unlike splitting a text into words: a printable text holds
    no whitespace but the plain space (every other whitespace character is unprintable), so
    single spaces between words are all that is left to check. Most texts read in bulk (a
    PubMed file's 280,000 cited references) are clean and skip the split (issue 19).
    """
    return text.isprintable() and _single_spaced(text)


def _single_spaced(text: str) -> bool:
    """No run of two spaces and no space at either end: for a printable text (whose only
    whitespace can be the plain space), exactly "already collapsed"."""
    return "  " not in text and text[:1] != " " and text[-1:] != " "


def one_line(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped (titles, names, journals)."""
    if text.isprintable():
        # Text already in one-line form is returned as it is, without building the list of
        # its words (issue 19: exports ask this of every title, name and identifier).
        if _single_spaced(text):
            return text
    else:  # (every character strip_controls drops is unprintable)
        text = strip_controls(text)
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a long text (abstract, notes), each whitespace-collapsed.

    A paragraph break is a blank line; single line breaks inside a paragraph are spaces.
    """
    text = normalise_newlines(strip_controls(text))
    out = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text):
        line = " ".join(block.split())
        if line:
            out.append(line)
    return out


def tidy_long_text(text: str) -> str:
    """Paragraphs joined by one blank line: the normal form of abstracts and notes."""
    return "\n\n".join(paragraphs(text))


# --------------------------------------------------------------------------------------
# Page ranges

_RANGE_RE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-\u2010-\u2015\u2212]+\s*([A-Za-z]*)(\d+)\s*$")
#: A plain numeric range inside running text ("113-25", not "e91-e220" or "R67-99").
_RANGE_IN_TEXT_RE = re.compile(r"(?<![\w.])(\d+)-(\d+)(?![\w.])")


def _full_last_page(first: str, last: str) -> str | None:
    """The last page written out when it was shortened (``643``, ``8`` -> ``648``).

    None when ``last`` is not shorter than ``first`` or the written-out page would come
    before the first one (then the range was not shortened the NLM way).
    """
    if len(last) < len(first):
        candidate = first[: len(first) - len(last)] + last
        if int(candidate) >= int(first):
            return candidate
    return None


def normalise_pages(pages: str) -> str:
    """Page text with any dash run (``--``, en dash, minus) between parts made one hyphen."""
    pages = one_line(pages)
    return re.sub(r"\s*[-\u2010-\u2015\u2212]+\s*", "-", pages)


def expand_page_range(pages: str) -> str:
    """``643-8`` -> ``643-648``, ``1021-29`` -> ``1021-1029``; anything else unchanged.

    PubMed stores ranges the NLM way (second number shortened); BibTeX, RIS and CSL
    consumers expect the full last page. Only plain numeric ranges are touched (as the
    PubMed parser does): ``e91-e220``, ``R67-99`` and article numbers stay as published.
    """
    pages = normalise_pages(pages)
    m = _RANGE_RE.match(pages)
    if not m or m.group(1) or m.group(3):
        return pages
    first, last = m.group(2), m.group(4)
    return f"{first}-{_full_last_page(first, last) or last}"


def _expand_match(m: re.Match[str]) -> str:
    full = _full_last_page(m.group(1), m.group(2))
    return f"{m.group(1)}-{full}" if full else m.group(0)


def expand_page_ranges(text: str) -> str:
    """Every shortened range inside ``text`` written out: ``113-25, 130-2`` -> ``113-125,
    130-132`` (whitespace collapsed).

    MEDLINE pagination can list several ranges; only plain numeric ones are touched, so
    ``e91-e220``, ``R67-99`` and article numbers stay as published.
    """
    return _RANGE_IN_TEXT_RE.sub(_expand_match, collapse_whitespace(text))


def split_page_range(pages: str) -> tuple[str, str]:
    """(start, end) of a page range after expansion; end is '' for a single page/number."""
    full = expand_page_range(pages)
    if _RANGE_RE.match(full):
        start, _, end = full.partition("-")
        return start, end
    return full, ""


def abbreviate_page_range(pages: str) -> str:
    """NLM short form: ``643-648`` -> ``643-8``, ``1021-1029`` -> ``1021-9``.

    Ranges with letters, and anything that is not a range, come back normalised only.
    """
    full = expand_page_range(pages)
    m = _RANGE_RE.match(full)
    if not m or m.group(1) or m.group(3):
        return full
    first, last = m.group(2), m.group(4)
    if len(first) != len(last) or int(last) <= int(first):
        return full
    i = 0
    while i < len(first) - 1 and first[i] == last[i]:
        i += 1
    return f"{first}-{last[i:]}"


# --------------------------------------------------------------------------------------
# Dates

MONTH_ABBREVS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
#: Lower-case three-letter abbreviation -> month number ("jan" -> 1).
MONTH_NUMBERS: dict[str, int] = {m.lower(): i + 1 for i, m in enumerate(MONTH_ABBREVS)}
_MONTH_LOOKUP = MONTH_NUMBERS | {m.lower(): i + 1 for i, m in enumerate(MONTH_NAMES)} | {
    "sept": 9}


def parse_month(text: str) -> int | None:
    """1-12 from '3', '03', 'Mar', 'March', 'mar.'; None for seasons and anything else."""
    t = text.strip().rstrip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return _MONTH_LOOKUP.get(t)


def month_from_prefix(text: str) -> int | None:
    """1-12 from a number or any word starting with a month's abbreviation, else None.

    The lenient reading PubMed XML needs: its months come as '3', 'Mar', 'March' and, in
    free-text dates, 'Sept' or 'June'. :func:`parse_month` is the strict one for files.
    """
    text = text.strip().lower()
    if text.isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    return MONTH_NUMBERS.get(text[:3])


def valid_day(year: int | None, month: int | None, day: int | None) -> int | None:
    """``day`` when it is a real day of that month (a day needs a month), else None."""
    if day is None or month is None:
        return None
    last = calendar.monthrange(year or 2000, month)[1]
    return day if 1 <= day <= last else None


# --------------------------------------------------------------------------------------
# Odds and ends

#: Words a journal name in title case keeps small after its first word ("Journal of
#: Neurosurgery", "Revista de Neurología"): the BibTeX export's and Web of Science's.
TITLE_SMALL_WORDS = frozenset("a an and at by de del der des di du et for from in la le of on "
                              "or the to und with y".split())


_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                           "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
                           "þ": "th", "ð": "d"})


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only ('Kupče' -> 'kupce', 'Müller' -> 'muller',
    'Costa-Matos' -> 'costamatos'): the form in which citation keys are written and
    family names compared."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def accent_fold(text: str) -> str:
    """``text`` without case or accents, everything else kept ("Bílsky" -> "bilsky",
    "É" -> "e", "ß" -> "ss", a combining mark alone -> ""): where a name or a word is
    compared as people read it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def word_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where a word of ``text`` starts with one of ``words``, case and accents set aside as
    the search sets them aside ("vertebrale" marks "vertébrale", "muller" marks "Müller"):
    (start, end) offsets in ``text``, in order, never overlapping. For marking a search's
    matches in what is shown."""
    wanted = sorted({w for w in map(accent_fold, words) if w}, key=len, reverse=True)
    if not wanted or not text:
        return []
    origin: Sequence[int]  # the index in ``text`` of each character of ``folded``
    if text.isascii():
        folded, origin = text.lower(), range(len(text))
    else:
        pieces = [ch.lower() if ch.isascii() else accent_fold(ch) for ch in text]
        folded = "".join(pieces)
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\b(?:" + "|".join(map(re.escape, wanted)) + r")\w*", folded):
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1  # an accent written as a mark of its own stays with its letter
        spans.append((start, end))
    return spans


def nfc(text: str) -> str:
    """Unicode NFC (composed) form, so 'e' + combining acute equals 'é'."""
    return unicodedata.normalize("NFC", text)


def scalar_text(value: Any) -> str:
    """A JSON scalar as stripped text; lists, dicts, None and booleans give ``""``."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return ""


def plural(n: int, word: str = "article", many: str | None = None) -> str:
    """"1 article", "2 articles", "20,000 articles"; "1 entry", "2 entries" with ``many``
    (thousands separated, as the counts beside them are)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def appended_note(notes: str, addition: str) -> str:
    """``addition`` under what ``notes`` say, a blank line between (alone when the notes are
    empty): a thought jotted later, or highlights copied in, goes under the earlier ones."""
    return f"{notes.rstrip()}\n\n{addition}" if notes.strip() else addition


def first_few(items: Sequence[str], shown: int = 5) -> str:
    """The first ``shown`` items joined by commas, then how many more: "a, b, c and 4 more"
    (messages name a few and count the rest)."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def same_in_any_case(names: Iterable[str], typed: str) -> list[str]:
    """The names among ``names`` that are ``typed`` in any letter case (spaces around
    ignored): what a new name of a reading list, saved search or watch must not meet."""
    wanted = typed.strip().casefold()
    return [n for n in names if n.casefold() == wanted]


def one_in_any_case(names: Iterable[str], typed: str) -> str | None:
    """The one name among ``names`` that is ``typed`` in another letter case; None when
    none is, or several are (then only the exact spelling can tell). How named things
    (reading lists, saved searches, watches) are found as people type."""
    same = same_in_any_case(names, typed)
    return same[0] if len(same) == 1 else None


def local_moment(stored: str | None) -> datetime | None:
    """A stored UTC time ('2026-12-04T18:55:36Z', any ISO form) in this computer's time
    zone; None for no text, or text that is no time. A time without a zone is UTC (as
    SpineLib stores them)."""
    if not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def local_time(stored: str | None) -> str:
    """:func:`local_moment` as 'YYYY-MM-DD HH:MM', as lists of dated things show it; text
    that is no time, as it is."""
    moment = local_moment(stored)
    if moment is None:
        return stored or ""
    return moment.strftime("%Y-%m-%d %H:%M")


def local_date(stored: str | None) -> str:
    """:func:`local_time`'s day alone ('2026-12-05' for 23:30 UTC in Paris)."""
    return local_time(stored)[:10]
