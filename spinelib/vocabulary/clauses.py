"""Two sentence-context rules read per sentence rather than by the trigger index (issue 22).

Both are triggers of the vocabulary file's ``sentence_context`` block, but their words are
common ("as", "given", "local", "new", "screw") and they matter in few places, so they are not
put in the shared phrase index that every record's text is scanned with (see
:mod:`.phrases`): each is looked for only where it can apply.

* An **opening** trigger counts only as the first words of its sentence and governs the clause
  it opens, up to the first comma: "Because conventional radiotherapy controls renal cell
  metastases poorly, we evaluated SBRT" (a rationale, not what the study did). Each sentence's
  start is tested by one anchored match in C; only a sentence that passes is read as tokens.
* An **event** phrase ("new fracture", "local failure", "screw loosening") makes a results
  sentence that does not compare arms a report of follow-up events: what it names is what
  the events needed ("new fractures occurred in 12, five of whom were treated with
  kyphoplasty"). It is looked for only in the results sentences that hold a match, when a
  matcher asks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from spinelib.vocabulary.folding import BARRIER, Folded, fold_phrase
from spinelib.vocabulary.sentences import LazySentenceFlags, Role, Sentence

T = TypeVar("T")

#: Words of a sentence that compares arms: its techniques are what the study compared.
_COMPARES = re.compile(r"\b(?:compared|comparison|versus|vs|than)\b", re.I)


def compares(raw: str, sent: Sentence) -> bool:
    """Whether ``sent`` of ``raw`` compares arms ("Compared with open decompression, ...")."""
    return bool(_COMPARES.search(raw, sent.start, sent.end))


def _by_first_word(phrases: Iterable[tuple[tuple[str, ...], T]]
                   ) -> dict[str, list[tuple[tuple[str, ...], T]]]:
    """Phrases keyed by their first word, longest first (the longest that matches wins)."""
    out: dict[str, list[tuple[tuple[str, ...], T]]] = {}
    for tokens, value in phrases:
        if tokens:
            out.setdefault(tokens[0], []).append((tokens, value))
    for bucket in out.values():
        bucket.sort(key=lambda item: -len(item[0]))
    return out


def _match_at(bucket: Sequence[tuple[tuple[str, ...], T]], toks: Sequence[str], i: int
              ) -> tuple[tuple[str, ...], T] | None:
    for tokens, value in bucket:
        if tuple(toks[i:i + len(tokens)]) == tokens:
            return tokens, value
    return None


class Openings(Generic[T]):
    """Opening triggers: (phrase as written in the vocabulary, its value: the status it gives)."""

    def __init__(self, phrases: Iterable[tuple[str, T]], reach: int) -> None:
        pairs = [(phrase, fold_phrase(phrase), value) for phrase, value in phrases]
        self._first = _by_first_word((folded, value) for _, folded, value in pairs)
        self._reach = reach  # at most this many words in the clause
        #: Whether a sentence's raw text starts with a trigger's first word as written or as
        #: folded (folding only shortens or respells a word, so one of the two begins the raw
        #: word): an anchored match in C, so a sentence that opens otherwise costs a few steps
        #: (a search of the whole text for sentence starts was measured at ~0.2M instructions
        #: a record; this, at a few thousand).
        words = {w for phrase, folded, _ in pairs if folded
                 for w in (phrase.split()[0].lower(), folded[0])}
        self._gate = (re.compile("|".join(re.escape(w) for w in sorted(words, reverse=True)),
                                 re.I) if words else None)

    def spans(self, raw: str, sents: Sequence[Sentence], folded: Folded
              ) -> Iterator[tuple[int, int, int, T]]:
        """(trigger's first token, its last, the clause's last token, value) for each
        sentence that opens with a trigger; the clause runs to the first barrier (a comma)."""
        gate = self._gate
        if gate is None:
            return
        for sent in sents:
            if gate.match(raw, sent.start, sent.end):  # anchored: a few C steps a sentence
                found = self._clause(sent, folded)
                if found is not None:
                    yield found

    def _clause(self, sent: Sentence, folded: Folded) -> tuple[int, int, int, T] | None:
        toks, starts = folded.tokens, folded.starts
        i = bisect.bisect_left(starts, sent.start)
        while i < len(toks) and toks[i] == BARRIER:  # a label's colon starts there too
            i += 1
        if i >= len(toks) or starts[i] >= sent.end:
            return None
        bucket = self._first.get(toks[i])
        found = _match_at(bucket, toks, i) if bucket else None
        if found is None:
            return None
        last = i + len(found[0]) - 1
        hi = last
        while (hi + 1 < len(toks) and starts[hi + 1] < sent.end
               and toks[hi + 1] != BARRIER and hi - last < self._reach):
            hi += 1
        return i, last, hi, found[1]


class Events:
    """Event phrases of follow-up, looked for in a results sentence that compares no arms."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self._first = _by_first_word((p, True) for p in phrases)
        self._firsts = frozenset(self._first)

    def sentences(self, raw: str, sents: Sequence[Sentence], folded: Folded
                  ) -> Sequence[bool] | None:
        """Whether each sentence reports events of follow-up (read lazily); None when no
        sentence can (no results sentence, or none of the phrases' first words)."""
        if (not self._first or self._firsts.isdisjoint(folded.tokens)
                or not any(s.role is Role.RESULTS for s in sents)):
            return None
        return _EventSentences(self._first, raw, sents, folded)


class _EventSentences(LazySentenceFlags):
    """Per sentence: a results sentence, comparing no arms, that holds an event phrase; each
    answered once, when asked (only sentences that hold a match are)."""

    def __init__(self, first: dict[str, list[tuple[tuple[str, ...], bool]]], raw: str,
                 sents: Sequence[Sentence], folded: Folded) -> None:
        super().__init__(sents)
        self._first = first
        self._raw = raw
        self._folded = folded

    def _flag(self, sent: Sentence) -> bool:
        if sent.role is not Role.RESULTS:
            return False
        toks, starts = self._folded.tokens, self._folded.starts
        lo = bisect.bisect_left(starts, sent.start)
        hi = bisect.bisect_left(starts, sent.end)
        first = self._first
        return (any(tok in first and _match_at(first[tok], toks, i) is not None
                    for i, tok in enumerate(toks[lo:hi], lo))
                and not _COMPARES.search(self._raw, sent.start, sent.end))


def hard_stop(raw: str, folded: Folded, j: int, bracket: str = "") -> bool:
    """A barrier made of ';' or ':' ends a scope (a list of items after a comma does not),
    and so does ``bracket``, the edge of a parenthesis the trigger sits in."""
    if j == 0:
        return False
    gap = raw[folded.ends[j - 1]:folded.starts[j]]
    return ";" in gap or ":" in gap or (bracket != "" and bracket in gap)


def enclosing_bracket(raw: str, folded: Folded, first: int, step: int) -> str:
    """The bracket that closes the scope of a trigger written inside parentheses, in the
    scope's direction: ')' forward, '(' backward; empty when the trigger is not inside one.
    "previously treated with SBRT (median 16 months earlier) underwent decompression": the
    aside dates the earlier course and says nothing of what follows it."""
    at = folded.starts[first]
    if step == 1:
        return ")" if raw.rfind("(", 0, at) > raw.rfind(")", 0, at) else ""
    end = folded.ends[first]
    close = raw.find(")", end)
    opened = raw.find("(", end)
    return "(" if close >= 0 and (opened < 0 or close < opened) else ""
