"""Words a PDF breaks at the end of a line, made whole again, so the papers' own text
reads and searches as the paper prints it.

PDFium (pypdfium2's text) marks a hyphen that ends a line, where the word goes on in
lower case on the next line, with the non-character U+FFFE and drops the line break:
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

#: PDFium's mark for a hyphen at a line's end with the word going on in lower case.
LINE_END_HYPHEN = "\ufffe"
SOFT_HYPHEN = "\u00ad"

_BROKEN = re.compile(r"(\w+)\ufffe(\w+)")
#: Where a DOI starts: "10.", a registrant code, "/" (``identifiers.DOI_IN_TEXT_RE``'s head).
_DOI_HEAD = re.compile(r"\b10\.\d{4,9}(?:\.\d+)*/[^\s\"'<>]*$")
#: How far back a broken word's token is read to see whether it is part of a DOI.
_TOKEN_WINDOW = 200
_SOFT_BETWEEN_LETTERS = re.compile(r"(?<=\w)\s*\u00ad\s*(?=\w)")
#: A word with the hyphens it holds ("non-small-cell"), as the paper writes it elsewhere.
_WORD = re.compile(r"\w+(?:-\w+)*")


def rejoin(texts: Sequence[str]) -> list[str]:
    """The pages' texts with line-end hyphens and soft hyphens resolved (module promises);
    the pages of one document together, as each break is judged by the whole paper."""
    texts = [_without_soft_hyphens(t) if SOFT_HYPHEN in t else t for t in texts]
    if not any(LINE_END_HYPHEN in t for t in texts):
        return list(texts)
    usage = _usage(texts)

    def resolved(m: re.Match[str]) -> str:
        before, after = m.group(1), m.group(2)
        if _DOI_HEAD.search(m.string, max(0, m.start() - _TOKEN_WINDOW), m.end(1)):
            return f"{before}-{after}"  # a DOI's own hyphen, the DOI going on
        pair = f"{before}-{after}".lower()
        whole = f"{before}{after}".lower()
        return f"{before}-{after}" if usage[pair] > usage[whole] else before + after

    return [_BROKEN.sub(resolved, t).replace(LINE_END_HYPHEN, "-")
            if LINE_END_HYPHEN in t else t for t in texts]


def _without_soft_hyphens(text: str) -> str:
    return _SOFT_BETWEEN_LETTERS.sub("", text).replace(SOFT_HYPHEN, "")


def _usage(texts: Sequence[str]) -> Counter[str]:
    """How often the paper writes each word, and each pair of words joined by a hyphen
    ("non-small-cell" counts "non-small" and "small-cell" as well as its words). The
    broken words themselves count only as their halves, which are no whole word."""
    seen: Counter[str] = Counter()
    for text in texts:
        for token in _WORD.findall(text.lower()):
            if "-" not in token:
                seen[token] += 1
                continue
            parts = token.split("-")
            seen.update(parts)
            seen.update(f"{a}-{b}" for a, b in zip(parts, parts[1:]))
    return seen
