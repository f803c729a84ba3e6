"""Sentence context of a match (ConText/NegEx): negated, prior, hypothetical, outcome, excluded,
or the reference standard of a diagnostic study.

The algorithm is ConText (Harkema et al., J Biomed Inform 2009; NegEx, Chapman et al. 2001),
written here for SpineLib's folded tokens rather than taken from medspaCy: medspaCy pulls in
spaCy and its models (hundreds of MB) for a job that is a few hundred trigger phrases over text
this package already folds and indexes, and the suggestion engine must stay fast enough for
file imports of ten thousand records.

* A **trigger** is a phrase from the vocabulary file's ``sentence_context`` block with a
  category (:class:`Status`) and a direction: ``forward`` triggers modify what follows them
  ("no vertebroplasty was performed"), ``backward`` ones what precedes them ("robotic guidance
  was not available"), ``sentence`` ones the whole sentence ("... were excluded").
* A trigger's **scope** runs from the trigger to the end (or start) of its sentence, and stops
  earlier at a **terminator** (a conjunction or a comparison: "but", "however", "which",
  "versus", "after"...), at a clause verb once two words are in scope ("not candidates for
  open surgery | received ..."), at "and" before a verb ("did not undergo surgery | and
  received radiotherapy") or after ``window`` words.
* **Pseudo-triggers** ("with or without", "no significant", "prior to", "was not superior")
  contain a trigger's words but are not triggers; being longer, they win the phrase index's
  leftmost-longest match and so silence it.

A match is modified by every scope that covers its first word and whose trigger does not
overlap the match itself ("prior radiotherapy to the same level" is a phrase of its own).

The scope shapes that need no trigger table (whole sentence, clause before, question, an
outcome sentence's exposure) and :class:`Status` / :class:`Scope` live in :mod:`.scopes`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from spinelib.vocabulary.clauses import Events, Openings, enclosing_bracket, hard_stop
from spinelib.vocabulary.folding import BARRIER, Folded, fold_phrase
from spinelib.vocabulary.hedges import HEDGED_ROLES, Hedges
from spinelib.vocabulary.phrases import PhraseIndex, Term, make_term
from spinelib.vocabulary.scan import ascii_lower, mentions
from spinelib.vocabulary.schema import SchemaError, str_list
from spinelib.vocabulary.scopes import (
    Scope,
    around_exposure,
    clause_before,
    next_event_clause,
    questions,
    sentence_of_tokens,
    whole_sentence,
)
from spinelib.vocabulary.scopes import (
    Status as Status,  # re-exported: callers and tests import it from here
)
from spinelib.vocabulary.sentences import LazySentenceFlags, Role, Sentence, sentences

#: Trigger directions; 'forward_outside_methods' is a forward trigger ignored in objective and
#: methods sentences ("patients requiring surgery were enrolled" describes who was studied);
#: 'sentence_in_results' governs a whole sentence of the results only ("a new fracture
#: occurred in 12, five of whom were treated with kyphoplasty": an event and what it needed);
#: 'opening' is a trigger that counts only as the first words of its sentence and governs the
#: clause it opens, up to the first comma ("Given the morbidity of open instrumentation, we
#: assessed SBRT alone").
#: 'backward_clause' governs everything before it in its sentence, across terminators and
#: verbs: a pronoun's negation refers back to a clause the pronoun stands for ("Robotic
#: assistance might reduce breaches, but it was not used in this series").
_DIRECTIONS = ("forward", "backward", "sentence", "forward_outside_methods",
               "sentence_in_results", "opening", "backward_clause")
_STUDY_ROLES = frozenset({Role.OBJECTIVE, Role.METHODS})
_PREPOSITIONS = frozenset({"to", "for", "of", "with", "by", "on", "from", "after"})
_SUBJECT_OF = ("in", "of", "among")  # "no patient in this cohort | underwent X": a subject's own PP
#: Words before a prior-treatment trigger that watch what follows a treatment, not treat it.
_WATCHING = frozenset({"surveillance", "monitoring", "screening", "detection", "imaging", "up"})


#: A sentence that assigns patients to arms: its techniques are the arms being compared.
_ARMS = re.compile(r"\b(?:randomi[sz]ed|randomly|allocated|assigned|versus|vs)\b", re.I)


class Place(NamedTuple):
    """Where a match sits: its sentence (with its role) and what the sentence says of it;
    ``arm`` is True when the sentence assigns or compares arms ("randomised to surgery plus
    radiotherapy or radiotherapy alone"); ``hedged`` when a findings, conclusions or
    unlabelled sentence is hedged ("may be considered in future": :mod:`.hedges`)."""

    sentence: Sentence
    statuses: frozenset[Status]
    arm: bool = False
    hedged: bool = False

    @property
    def role(self) -> Role:
        return self.sentence.role


class ContextRules:
    """The compiled ``sentence_context`` block: triggers, pseudo-triggers and terminators."""

    def __init__(self, raw: Any) -> None:
        if not isinstance(raw, Mapping):
            raise SchemaError("'sentence_context' must be an object")
        where = "'sentence_context'"
        terms, openings, events = _triggers(raw, where)
        self.index = PhraseIndex(terms)
        stops = [fold_phrase(p) for p in _phrases(raw, "terminators", where)]
        self._terminators = frozenset(t[0] for t in stops if len(t) == 1)
        #: Terminators of several words ("apart from", "so that"), matched whole: their
        #: words alone ("from", "that") end nothing ("may benefit from kyphoplasty"). Per
        #: reading direction: a ``forward_terminators`` phrase ("followed by") ends what a
        #: negation governs ("without instrumentation followed by 20 Gy"), not what a
        #: backward trigger does ("surgery followed by radiosurgery is warranted").
        both = {t for t in stops if len(t) > 1}
        ahead = {fold_phrase(p) for p in _phrases(raw, "forward_terminators", where)}
        self._phrase_stops = {1: tuple(sorted(both | ahead)), -1: tuple(sorted(both))}
        #: The word a multi-word terminator starts with (read forward) or ends with (backward).
        self._stop_edges = {1: frozenset(t[0] for t in self._phrase_stops[1]),
                            -1: frozenset(t[-1] for t in self._phrase_stops[-1])}
        self._verbs = frozenset(
            t for p in _phrases(raw, "clause_verbs", where) for t in fold_phrase(p))
        try:
            self._window = int(raw.get("window", 8))
        except (TypeError, ValueError):
            raise SchemaError(f"{where}: 'window' must be a whole number") from None
        if self._window < 1:
            raise SchemaError(f"{where}: 'window' must be at least 1")
        self._openings = Openings(openings, 2 * self._window)
        self._events = Events(events)

    def read(self, name: str, raw: str, folded: Folded) -> FieldContext:
        """The context of every token of one field (title, keywords or abstract)."""
        sents = sentences(name, raw)
        sent_of = sentence_of_tokens(sents, folded.starts)
        scopes: list[Scope] = []
        if name != "keyword" and folded.tokens:  # a keyword list has no sentences
            for hit in self.index.scan(folded):
                target = hit.term.target
                if not target or (target.startswith("HISTORICAL") and hit.first
                                  and folded.tokens[hit.first] == "for"
                                  and folded.tokens[hit.first - 1] in _WATCHING):
                    continue  # a pseudo-trigger, or "surveillance for recurrence after X"
                if (target.endswith("_outside_methods")
                        and sents[sent_of[hit.first]].role in _STUDY_ROLES):
                    continue
                scope = self._scope(target, hit.first, hit.last, raw, folded, sent_of)
                scopes.extend(around_exposure(scope, folded.tokens)
                              if target == "OUTCOME:sentence" else (scope,))
            scopes.extend(questions(raw, sents, folded, whole=name != "title"))
            scopes.extend(Scope(last + 1, hi, first, last, status)
                          for first, last, hi, status in self._openings.spans(raw, sents, folded))
        events = self._events.sentences(raw, sents, folded) if name == "abstract" else None
        lowered = ascii_lower(raw)  # read once, for both lazy per-sentence flags
        return FieldContext(sents, sent_of, tuple(scopes), folded.starts,
                            _Arms(raw, sents, lowered), events, Hedges(raw, sents, lowered))

    def _scope(self, target: str, first: int, last: int, raw: str, folded: Folded,
               sent_of: Sequence[int]) -> Scope:
        status_name, direction = target.split(":")
        status = Status[status_name]
        direction = direction.removesuffix("_outside_methods")
        if direction == "sentence":
            return whole_sentence(status, first, last, len(folded.tokens), sent_of)
        toks = folded.tokens
        sent = sent_of[first] if sent_of else 0
        if direction == "backward_clause":
            return clause_before(status, first, last, raw, folded, sent_of)
        step = 1 if direction == "forward" else -1
        j = last + 1 if step == 1 else first - 1
        edge = j - step
        words = 0
        if status is Status.NEGATED and step == 1 and j < len(toks) and toks[j] == BARRIER:
            j = len(toks)  # "40 with embolisation and 40 without, all undergoing ...": elided
        edges = self._stop_edges[step]
        bracket = enclosing_bracket(raw, folded, first, step)
        before_verb = self._before_verb(status, step, toks, first, last)
        while 0 <= j < len(toks) and sent_of[j] == sent and words < self._window:
            tok = toks[j]
            if tok == BARRIER:
                if hard_stop(raw, folded, j, bracket):
                    break
                j += step
                continue
            if (tok in self._terminators or (words >= before_verb and tok in self._verbs)
                    or (tok in edges and self._phrase_stop(toks, j, step))):
                break
            nxt = toks[j + 1] if j + 1 < len(toks) else ""
            after = next_event_clause(toks, j) if (
                status is Status.OUTCOME and step == 1 and tok == "and") else 0
            if after:  # "later underwent X and 3 required Y": Y is a later event too
                j, words = after, 0
                continue
            if tok in ("and", "or") and nxt in self._verbs:
                break
            words += 1
            edge = j
            j += step
        lo, hi = (last + 1, edge) if step == 1 else (edge, first - 1)
        return Scope(lo, hi, first, last, status)

    def _before_verb(self, status: Status, step: int, toks: Sequence[str], first: int,
                     last: int) -> int:
        """How many words a scope takes before a clause verb may end it. A trigger ending in
        a preposition takes a noun phrase: a verb right after one word already starts the
        next clause ("resistant to analgesics | received vertebroplasty"); others need two
        words ("no patient underwent vertebroplasty" is still negated), a negated subject
        with its own phrase five ("no patient in this cohort underwent X"), and "none of"
        its whole noun phrase."""
        if step == 1 and toks[last] in _PREPOSITIONS and not (
                status is Status.NEGATED and toks[first] == "none"):
            return 1
        if status is not Status.NEGATED or step != 1:
            return 2
        if toks[first] == "none":
            return self._subject_verb(toks, last)
        return 5 if toks[last + 2:last + 3] in [(w,) for w in _SUBJECT_OF] else 2

    def _subject_verb(self, toks: Sequence[str], last: int) -> int:
        """How many words a "none of ..." trigger's scope takes before a clause verb may end
        it: its noun phrase is the subject, so its first verb is the negated one ("None of
        the patients in either group | was instrumented"); a second verb still ends it."""
        for k in range(last + 1, min(len(toks), last + 1 + self._window)):
            if toks[k] in self._verbs:
                return k - last
        return 2

    def _phrase_stop(self, toks: Sequence[str], j: int, step: int) -> bool:
        """True when a terminator of several words starts (forward) or ends (backward) at
        token ``j``."""
        for stop in self._phrase_stops[step]:
            lo = j if step == 1 else j - len(stop) + 1
            if lo >= 0 and tuple(toks[lo:lo + len(stop)]) == stop:
                return True
        return False


def _triggers(raw: Mapping[str, Any], where: str
              ) -> tuple[list[Term], list[tuple[str, Status]], list[tuple[str, ...]]]:
    """The block's triggers and pseudo-triggers as index terms, and apart from them the
    opening triggers and the event phrases of results sentences (read per sentence, see
    :mod:`.clauses`)."""
    terms = [make_term(p, "") for p in _phrases(raw, "pseudo", where)]
    openings: list[tuple[str, Status]] = []
    events: list[tuple[str, ...]] = []
    for status in Status:
        spec = raw.get(status.name.lower(), {})
        if not isinstance(spec, Mapping):
            raise SchemaError(f"{where}: {status.name.lower()!r} must be an object")
        for direction in _DIRECTIONS:
            for phrase in _phrases(spec, direction, f"{where} {status.name.lower()}"):
                if direction == "opening":
                    openings.append((phrase, status))
                elif direction == "sentence_in_results":
                    if status is not Status.OUTCOME:
                        raise SchemaError(f"{where}: only 'outcome' has "
                                          "'sentence_in_results' phrases")
                    events.append(fold_phrase(phrase))
                else:
                    terms.append(make_term(phrase, f"{status.name}:{direction}"))
    return terms, openings, events


def _phrases(node: Mapping[str, Any], key: str, where: str) -> list[str]:
    """``node[key]`` as a list of non-empty phrases (absent: empty)."""
    items = str_list(node, key, where)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(f"{where}: {key!r} holds an empty or non-text phrase")
    return items


class FieldContext:
    """The sentences of one field and the trigger scopes in it, read by the matchers."""

    def __init__(self, sents: tuple[Sentence, ...], sent_of: list[int],
                 scopes: tuple[Scope, ...], starts: Sequence[int],
                 arms: Sequence[bool] = (), events: Sequence[bool] | None = None,
                 hedges: Sequence[bool] = ()) -> None:
        self.sentences = sents
        self._sent_of = sent_of
        self._scopes = scopes
        self._starts = starts
        self._arms = arms
        self._events = events  # per sentence: it reports events of follow-up (.clauses)
        self._hedges = hedges

    def place(self, first: int, last: int) -> Place:
        """The sentence of tokens ``first..last`` and the statuses that modify them."""
        k = self._sent_of[first] if self._sent_of else -1
        sentence = self.sentences[k] if k >= 0 else _EMPTY
        found = frozenset(s.status for s in self._scopes
                          if s.first <= first <= s.last and (s.t_last < first or s.t_first > last))
        if self._events is not None and self._events[k]:
            found |= _OUTCOME
        inside = k >= 0
        # a hedge only weighs down a mention nothing else dismisses, in a findings,
        # conclusions or unlabelled sentence: other places never ask (see .hedges)
        hedged = (not found and sentence.role in HEDGED_ROLES and inside
                  and k < len(self._hedges) and self._hedges[k])
        return Place(sentence, found, inside and k < len(self._arms) and self._arms[k], hedged)

    def place_of_char(self, start: int, end: int) -> Place:
        """:meth:`place` for a match given by character offsets (abbreviations, doses)."""
        if not self._starts:
            return Place(self.sentences[0] if self.sentences else _EMPTY, frozenset())
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = max(first, bisect.bisect_left(self._starts, end) - 1)
        return self.place(first, last)


_EMPTY = Sentence(0, 0, Role.ABSTRACT)
_OUTCOME = frozenset({Status.OUTCOME})
#: Words one of which every sentence that assigns arms holds (see :mod:`.scan`).
_ARM_WORDS = ("random", "allocated", "assigned", "versus", "vs")


class _Arms(LazySentenceFlags):
    """Whether each sentence assigns or compares arms, read only for the sentences a match
    sits in (most sentences of an abstract hold none), and never for an ASCII text that
    has none of the words (:mod:`.scan`)."""

    def __init__(self, raw: str, sents: Sequence[Sentence], lowered: str | None) -> None:
        super().__init__(sents)
        self._raw = raw
        self._lowered = lowered  # ascii_lower(raw)

    def _flag(self, sent: Sentence) -> bool:
        return (mentions(self._lowered, _ARM_WORDS, sent.start, sent.end)
                and bool(_ARMS.search(self._raw, sent.start, sent.end)))
