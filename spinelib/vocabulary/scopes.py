"""The pieces of a trigger's scope that need no trigger table (split from :mod:`.context`,
which was near the 400-line limit): what a scope is (:class:`Status`, :class:`Scope`) and the
scope shapes that are not a plain forward or backward walk (a whole sentence, the clause before
a trigger, a question, an outcome sentence without the exposure its events follow), plus the
token-to-sentence map every field reading needs.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Sequence
from typing import NamedTuple

from spinelib.vocabulary.clauses import hard_stop
from spinelib.vocabulary.folding import BARRIER, Folded
from spinelib.vocabulary.sentences import Sentence


class Status(enum.Enum):
    """What the sentence says about a technique it names; the value is the reason's words."""

    NEGATED = "negated"
    HISTORICAL = "prior treatment"
    HYPOTHETICAL = "hypothetical"
    OUTCOME = "an outcome event"
    EXCLUSION = "an exclusion criterion"
    REFERENCE = "a reference standard"  # "histology by CT-guided biopsy was the reference"
    RATIONALE = "a rationale"  # "Because conventional radiotherapy fails, we evaluated SBRT"




class Scope(NamedTuple):
    """Tokens ``first..last`` modified by a trigger at tokens ``t_first..t_last``."""

    first: int
    last: int
    t_first: int
    t_last: int
    status: Status


_EXPOSURE = frozenset({"after", "following"})  # what an outcome sentence's events follow


def whole_sentence(status: Status, first: int, last: int, count: int,
                    sent_of: Sequence[int]) -> Scope:
    """A sentence trigger's scope: every token of its sentence (``count`` tokens in all)."""
    sent = sent_of[first] if sent_of else 0
    lo = first
    while lo > 0 and sent_of[lo - 1] == sent:
        lo -= 1
    hi = last
    while hi + 1 < count and sent_of[hi + 1] == sent:
        hi += 1
    return Scope(lo, hi, first, last, status)


def around_exposure(scope: Scope, toks: Sequence[str]) -> list[Scope]:
    """An outcome sentence's scope without the exposure its events follow: "Pain response and
    skeletal events after a single 8 Gy fraction" names the studied treatment after "after"
    (or "following"), up to the next comma or the trigger; what the events needed is named
    elsewhere in the sentence ("skeletal events, of which 12 needed radiotherapy")."""
    out, lo = [], scope.first
    for j in range(scope.first, scope.last + 1):
        if toks[j] in _EXPOSURE and not scope.t_first <= j <= scope.t_last and j >= lo:
            out.append(scope._replace(first=lo, last=j))
            lo = j + 1
            while lo <= scope.last and toks[lo] != BARRIER and lo != scope.t_first:
                lo += 1
    return [*out, scope._replace(first=lo)] if lo <= scope.last else out


def clause_before(status: Status, first: int, last: int, raw: str, folded: Folded,
                   sent_of: Sequence[int]) -> Scope:
    """A 'backward_clause' trigger's scope: its sentence's tokens before it, back to the
    sentence start or a ';' / ':'."""
    sent = sent_of[first] if sent_of else 0
    lo = first
    while lo > 0 and sent_of[lo - 1] == sent:
        if folded.tokens[lo - 1] == BARRIER and hard_stop(raw, folded, lo - 1):
            break
        lo -= 1
    return Scope(lo, first - 1, first, last, status)


def sentence_of_tokens(sents: Sequence[Sentence], starts: Sequence[int]) -> list[int]:
    """For each token (by its start offset, ascending), the index of its sentence."""
    bounds = [s.start for s in sents[1:]]
    if bounds == sorted(bounds):
        # One bisect per sentence, not one comparison per token: the tokens before the
        # first token at or after sentence k+1's start belong to sentence k (or an earlier
        # one with the same start, which the walk below would also step over).
        out: list[int] = []
        done = 0
        for k, start in enumerate(bounds):
            upto = bisect.bisect_left(starts, start)
            out.extend([k] * (upto - done))
            done = max(done, upto)
        out.extend([len(bounds)] * (len(starts) - done))
        return out
    out = []
    k = 0
    last = len(sents) - 1
    for pos in starts:
        while k < last and sents[k + 1].start <= pos:
            k += 1
        out.append(k)
    return out


def questions(raw: str, sents: Sequence[Sentence], folded: Folded, *, whole: bool = True
               ) -> list[Scope]:
    """A question is hypothetical: "Tumour excision in meningioma: is fixation ever required?"
    (only the clause after the last colon, so "Kyphoplasty or vertebroplasty: which?" is not).
    With ``whole`` False (a title) only a question after a colon counts: a title that is one
    question ("Is stereotactic radiosurgery overused?") asks about what the paper is about.
    """
    out: list[Scope] = []
    for sent in sents:
        text = raw[sent.start:sent.end].rstrip()
        if not text.endswith("?") or not (whole or ":" in text):
            continue
        begin = sent.start + text.rfind(":") + 1
        first = bisect.bisect_left(folded.starts, begin)
        last = bisect.bisect_left(folded.starts, sent.start + len(text)) - 1
        if first <= last:
            out.append(Scope(first, last, -1, -1, Status.HYPOTHETICAL))
    return out


#: Number words that can be the subject of a coordinated event clause ("and four required").
_COUNTS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                     "ten", "eleven", "twelve"})
#: The verbs of such a clause: what further patients went on to have.
_EVENT_VERBS = frozenset({"required", "underwent", "needed", "received", "had"})


def next_event_clause(toks: Sequence[str], j: int) -> int:
    """Where an outcome scope goes on after the 'and' at ``toks[j]`` when it joins a further
    event clause whose subject is a count ("later underwent kyphoplasty and 3 required
    surgical stabilisation", "and two patients underwent fixation"): the index after its verb,
    or 0 when the clause after 'and' is not one."""
    k = j + 1
    if k >= len(toks) or not (toks[k].isdigit() or toks[k] in _COUNTS):
        return 0
    k += 1
    if k < len(toks) and toks[k] in ("patient", "patients"):
        k += 1
    return k + 1 if k < len(toks) and toks[k] in _EVENT_VERBS else 0
