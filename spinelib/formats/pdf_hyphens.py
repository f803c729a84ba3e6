"""Words a PDF breaks at the end of a line, made whole again, so the papers' own text
reads and searches as the paper prints it.

PDFium (pypdfium2's text) marks a hyphen that ends a line after a letter (the word continued
on the next line) with the non-character U+FFFE and drops the line break:
"verte\\ufffebroplasty". Left so, the full-text index splits the word in two ("verte",
"broplasty"), a search for vertebroplasty misses the page, and the Text tab shows a stray
glyph. Two-column journals break dozens of words a paper this way.

PDFium cannot tell a typesetter's hyphen (vertebro-plasty) from a compound broken at its
own hyphen (non-small cell): the paper itself can. Promises of :func:`rejoin`:

- a broken word is joined ("vertebroplasty") unless the same document writes the pair
  with a hyphen more often than as one word ("non-small", written so elsewhere in the
  paper, stays "non-small"); a pair the paper never writes whole is joined, as most
  line-end hyphens are the typesetter's;
- a mark with no word after it (the last line of a page, the word going on over the page)
  becomes the hyphen the page prints;
- soft hyphens (U+00AD), invisible unless a line breaks at them, are dropped, with the line
  break around one between two letters ("Po\\n\\u00ad\\nlitik" is "Politik");
- a mark inside a DOI ("10.1055/s-" and "0039-1681234" on the next line) is the DOI's own
  hyphen: kept, the DOI whole;
- nothing else of the text changes: texts without either mark come back as they are.

Where PDFium keeps the line break (a digit before the hyphen, or a dot: "10.1007/s00586-"
above "019-06080-1"), the text keeps it too; the search for the paper's DOI joins such
lines as it does pasted text's (:func:`spinelib.identifiertext.unbroken_text`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

#: PDFium's mark for a hyphen at a line's end after a letter, the word going on below.
LINE_END_HYPHEN = "\ufffe"
SOFT_HYPHEN = "\u00ad"

_MARK = re.compile(LINE_END_HYPHEN)
_WORD_BEFORE = re.compile(r"\w+$")
_WORD_AFTER = re.compile(r"\w+")
#: Where a DOI starts: "10.", a registrant code, "/" (``identifiers.DOI_IN_TEXT_RE``'s head).
_DOI_HEAD = re.compile(r"\b10\.\d{4,9}(?:\.\d+)*/[^\s\"'<>]*$")
#: How far back a broken word's start, and its token's, are looked for.
_TOKEN_WINDOW = 200
_SOFT_BETWEEN_LETTERS = re.compile(r"(?<=\w)\s*\u00ad\s*(?=\w)")
#: A word with the hyphens it holds ("non-small-cell"), as the paper writes it elsewhere.
_WORD = re.compile(r"\w+(?:-\w+)*")


class _Break(NamedTuple):
    """A word broken by a mark: its span (``start`` to ``end``) and its two halves."""

    start: int
    end: int
    before: str
    after: str


def rejoin(texts: Sequence[str]) -> list[str]:
    """The pages' texts with line-end hyphens and soft hyphens resolved (module promises);
    the pages of one document together, as each break is judged by the whole paper."""
    texts = [_without_soft_hyphens(t) if SOFT_HYPHEN in t else t for t in texts]
    if not any(LINE_END_HYPHEN in t for t in texts):
        return list(texts)
    found = [_breaks(t) if LINE_END_HYPHEN in t else [] for t in texts]
    usage = _usage(texts, {f"{b.before}{sep}{b.after}".lower()
                           for page in found for b in page for sep in ("", "-")})
    return [_resolved(t, page, usage) if LINE_END_HYPHEN in t else t
            for t, page in zip(texts, found)]


def _breaks(text: str) -> list[_Break]:
    """The marks between two words, in order (a mark is found directly, and its words read
    around it: a pattern over the text would try every letter of every word)."""
    out: list[_Break] = []
    for m in _MARK.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - _TOKEN_WINDOW), m.start())
        after = _WORD_AFTER.match(text, m.end())
        if before and after and (not out or before.start() >= out[-1].end):
            out.append(_Break(before.start(), after.end(), before.group(), after.group()))
    return out


def _resolved(text: str, breaks: list[_Break], usage: Counter[str]) -> str:
    """``text`` with each break joined or hyphenated, and any other mark a hyphen."""
    pieces: list[str] = []
    at = 0
    for b in breaks:
        pieces.append(text[at:b.start])
        if _DOI_HEAD.search(text, max(0, b.start - _TOKEN_WINDOW), b.start + len(b.before)):
            pieces.append(f"{b.before}-{b.after}")  # a DOI's own hyphen, the DOI going on
        elif usage[f"{b.before}-{b.after}".lower()] > usage[f"{b.before}{b.after}".lower()]:
            pieces.append(f"{b.before}-{b.after}")
        else:
            pieces.append(b.before + b.after)
        at = b.end
    pieces.append(text[at:])
    return "".join(pieces).replace(LINE_END_HYPHEN, "-")


def _without_soft_hyphens(text: str) -> str:
    return _SOFT_BETWEEN_LETTERS.sub("", text).replace(SOFT_HYPHEN, "")


def _usage(texts: Sequence[str], wanted: set[str]) -> Counter[str]:
    """How often the paper writes each ``wanted`` word, or pair of words joined by a hyphen
    ("non-small-cell" counts "non-small" and "small-cell" as well as its words). The
    broken words themselves count only as their halves, which are no whole word. Only the
    wanted are counted: a 100-page paper has 30,000 words and a few hundred breaks."""
    seen: Counter[str] = Counter()
    for text in texts:
        for token in _WORD.findall(text.lower()):
            if "-" not in token:
                if token in wanted:
                    seen[token] += 1
                continue
            parts = token.split("-")
            seen.update(p for p in parts if p in wanted)
            seen.update(k for k in map("-".join, zip(parts, parts[1:])) if k in wanted)
    return seen
