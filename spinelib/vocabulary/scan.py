"""Fast paths for the vocabulary's regexes, with exactly the answers of the regexes alone.

Python's regex engine tries a pattern at every position of a text unless the pattern starts
with something it can skip to quickly (a literal, or a set of literal first characters); a
case-insensitive pattern of words, or one that starts with ``\\b`` or a look-behind, gets no
such help and costs about as much per character as the whole rest of the suggester. Two
exact shortcuts:

* **Necessary words.** Every match of a case-insensitive pattern such as "excluded|ineligible"
  contains one of a few literal words. In an ASCII text, re.IGNORECASE equals comparing
  ``str.lower()`` forms, so when none of the words is a substring of the lowered text the
  pattern cannot match and is not run (:func:`ascii_lower`, :func:`mentions`). A text with
  any non-ASCII character always runs the pattern (its case rules are Unicode's).
* **Anchored scans** (:class:`Anchored`). A match can only start where a cheap, case-sensitive
  *starts* pattern (literal first characters, which the engine skips to) finds a candidate;
  the real pattern is tried there with ``pattern.match(text, pos)``, which sees the text
  before ``pos`` exactly as a scan does (``\\b``, look-behinds). Trying the candidates in order
  and resuming after each match gives the same non-overlapping matches as ``finditer``.

``tests/core/test_vocabulary_fastpaths.py`` holds every shortcut to its plain regex on random
and real texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def ascii_lower(raw: str) -> str | None:
    """``raw.lower()`` when ``raw`` is ASCII (where re.IGNORECASE is plain lower-casing), else
    None: a caller then runs its patterns in full."""
    return raw.lower() if raw.isascii() else None


def mentions(lowered: str | None, words: Iterable[str], start: int = 0,
             end: int | None = None) -> bool:
    """False only when ``lowered`` (from :func:`ascii_lower`) is known to hold none of the
    lower-case ``words`` between ``start`` and ``end``; True when it may (or cannot tell)."""
    if lowered is None:
        return True
    stop = len(lowered) if end is None else end
    for word in words:  # noqa: SIM110 -- a loop, not any() over a generator: it runs per sentence
        if lowered.find(word, start, stop) >= 0:
            return True
    return False


class Anchored:
    """``pattern.finditer`` tried only where ``starts`` finds a candidate start.

    ``starts`` must find every position where ``pattern`` can begin a match (a superset is
    fine; it is what makes the shortcut exact). With ``lowered=True`` it is searched in the
    text's :func:`ascii_lower` form (``pattern`` being case-insensitive), and a non-ASCII text
    is scanned by ``pattern`` in full. ``pattern`` must not match the empty string.
    """

    def __init__(self, pattern: re.Pattern[str], starts: str | None, *,
                 lowered: bool = False) -> None:
        """``starts`` None: no shortcut known (every text is scanned in full)."""
        self.pattern = pattern
        self.starts = re.compile(starts) if starts is not None else None
        self.lowered = lowered

    def finditer(self, raw: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        """The matches ``self.pattern.finditer(raw)`` gives, in order. ``lowered``: the
        text's :func:`ascii_lower` form when the caller has it."""
        where = raw
        if self.lowered and self.starts is not None:
            where = lowered if lowered is not None else ascii_lower(raw)  # type: ignore[assignment]
        if self.starts is None or where is None:
            yield from self.pattern.finditer(raw)
            return
        find = self.starts.search
        match = self.pattern.match
        pos = 0
        while True:
            candidate = find(where, pos)
            if candidate is None:
                return
            at = candidate.start()
            m = match(raw, at)
            if m is None:
                pos = at + 1
            else:
                yield m
                pos = m.end()

    def search(self, raw: str, lowered: str | None = None) -> re.Match[str] | None:
        """The first match (``self.pattern.search(raw)``), or None."""
        return next(self.finditer(raw, lowered), None)


class AnchoredWords:
    """``pattern.finditer`` tried only where one of a few literal words starts, the words found
    by ``str.find`` in the ASCII text lowered (a handful of C searches, where a regex
    alternation of common first letters would stop at nearly every character).

    Every match of the case-insensitive ``pattern`` must start with one of ``words``
    (lower-case); a non-ASCII text, or a word that is not ASCII, means a full scan.
    ``pattern`` must not match the empty string.
    """

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str]) -> None:
        """``words``: what every match starts with, in any case."""
        self.pattern = pattern
        items = sorted({w.lower() for w in words})
        self.words = tuple(items) if items and all(w.isascii() and w for w in items) else None

    def finditer(self, raw: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        """The matches ``self.pattern.finditer(raw)`` gives, in order."""
        where = lowered if lowered is not None else ascii_lower(raw)
        if self.words is None or where is None:
            yield from self.pattern.finditer(raw)
            return
        starts: set[int] = set()
        for word in self.words:
            at = where.find(word)
            while at >= 0:
                starts.add(at)
                at = where.find(word, at + 1)
        yield from matches_from(self.pattern, raw, sorted(starts))


def matches_from(pattern: re.Pattern[str], raw: str, starts: Iterable[int]
                 ) -> Iterator[re.Match[str]]:
    """``pattern.finditer(raw)``, given ``starts`` (ascending) holding every position where a
    match can begin: each is tried with ``pattern.match`` (which sees the text before it as a
    scan does), skipping those inside the last match. ``pattern`` must not match ''."""
    match = pattern.match
    end = 0
    for at in starts:
        if at >= end:
            m = match(raw, at)
            if m is not None:
                yield m
                end = m.end()
