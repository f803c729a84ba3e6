"""A PDF's title as its first page shows it: the text set in the largest type.

Why: a PDF kept without an identifier is named in the library by its metadata title or, when
that is missing, its first line of text, and for most journals the first line is the
running head ("SPINE Volume 35, Number 22, pp E1221-E1229") or a section label. Its metadata
title is often no title at all: a file name ("BRS200123.pdf", "Microsoft Word -
manuscript.docx"), "untitled", a PII or DOI. On nearly every article's first page the title
is the text in the largest type, which is what a reader's eye goes to, and what reference
managers that read a PDF's layout take too.

Promises:

- :func:`heading` takes the largest type only when it stands out from the page's body text
  (:data:`STANDS_OUT` times the size most of the page's letters have) and reads as a title
  (:data:`MIN_WORDS` to :data:`MAX_WORDS` words): a logo's single word, a drop capital or
  a page of one size gives ''. Lines of the same size one after another are one heading (a
  title set on two or three lines).
- :func:`plain_title` passes a metadata title through only when it looks like one.
- Sizes are what the page shows (each letter's font size times the scale it is drawn at),
  so a PDF that scales a 1-point font by its text matrix, as TeX and many typesetters write
  them, reads the same as one that sets the size directly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

#: How much larger than the body text a heading's type is, at least.
STANDS_OUT = 1.2
#: Lines whose sizes differ by less than this share are one size (rounding, small capitals).
SAME_SIZE = 0.08
#: Words a heading has: a title of fewer is a logo or a label ("ORIGINAL ARTICLE").
MIN_WORDS = 3
MAX_WORDS = 60
#: Characters of a heading kept (as ``title_guess`` keeps).
MAX_CHARS = 300

_WORD = re.compile(r"[^\W\d_]{2,}")
#: What a page's letters may hold that no title does: control characters (PDFium writes
#: some for hyphens and breaks) and halves of surrogate pairs, which a library cannot
#: store as text.
_PRINTABLE_NOT = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
#: Metadata titles that name a file, a typesetter's job or nothing at all.
_NOT_A_TITLE = re.compile(
    r"""^(?:no\s+title|microsoft\s+(?:word|powerpoint)\b.*|pii:?\s*\S+|doi:?\s*\S+
         |10\.\d{4,9}/\S+|.+\.(?:docx?|pdf|tex|dvi|rtf|indd|ps|qxd))$""",
    re.IGNORECASE | re.VERBOSE)


class SizedLine(NamedTuple):
    """One line of a page's text and the size its letters are set in (PDF units)."""

    size: float
    text: str


def heading(lines: Sequence[SizedLine]) -> str:
    """The page's title by its type (see the promises); '' when no text stands out as one."""
    lines = [SizedLine(size, " ".join(_PRINTABLE_NOT.sub("", text).split()))
             for size, text in lines if size > 0 and text.strip()]
    lines = [line for line in lines if line.text]
    if not lines:
        return ""
    body = _body_size(lines)
    groups = _runs_of_one_size(lines)
    for size, texts in sorted(groups, key=lambda g: -g[0]):  # stable: the first of a size
        if size < STANDS_OUT * body:
            return ""
        text = _joined(texts)
        if MIN_WORDS <= len(_WORD.findall(text)) <= MAX_WORDS:
            return text[:MAX_CHARS].rstrip()
    return ""


def plain_title(metadata_title: str) -> str:
    """``metadata_title`` when it reads as an article's title, else '' (a file name, a
    typesetter's code, "untitled", a PII or DOI, a single word or token)."""
    title = " ".join(metadata_title.split())
    if " " not in title or _NOT_A_TITLE.match(title) or len(_WORD.findall(title)) < 2:
        return ""  # one token ("JNS_Spine_2010_13_324") is a file's or a job's name
    return title


def _body_size(lines: Sequence[SizedLine]) -> float:
    """The size most of the page's letters are set in."""
    weights: Counter[float] = Counter()
    for size, text in lines:
        weights[round(size * 2) / 2] += len(text)
    return weights.most_common(1)[0][0]


def _runs_of_one_size(lines: Sequence[SizedLine]) -> list[tuple[float, list[str]]]:
    """Consecutive lines of one size, each run with its size (its first line's)."""
    runs: list[tuple[float, list[str]]] = []
    for size, text in lines:
        if runs and abs(size - runs[-1][0]) <= SAME_SIZE * runs[-1][0]:
            runs[-1][1].append(text)
        else:
            runs.append((size, [text]))
    return runs


def _joined(texts: Sequence[str]) -> str:
    """A heading's lines as one: a line ending in a hyphen runs on into the next
    ("Single-" / "fraction"), the others are joined by a space."""
    out = ""
    for text in texts:
        if out.endswith(("-", "\u2010")):
            out += text
        else:
            out = f"{out} {text}" if out else text
    return out
