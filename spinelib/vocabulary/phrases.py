"""Vocabulary phrases found in folded text.

* :class:`PhraseIndex` finds every :class:`Term` in a :class:`~.folding.Folded` text in one
  pass: whole words only, never across sentence punctuation, overlapping terms resolved
  leftmost-longest ("cement augmentation of pedicle screws" beats "cement augmentation"),
  "percutaneous or open instrumentation" read as both phrases (coordination ellipsis), and
  gapped terms ('A ~2 B': up to two words between A and B) matched without consuming text.
* :class:`PhraseSet` answers "does this record mention any of these?" for contexts and
  abbreviation guards; :func:`build_contexts` reads the vocabulary file's named contexts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.folding import BARRIER, Folded, fold_phrase
from spinelib.vocabulary.schema import SchemaError, str_list


@dataclass(frozen=True)
class Term:
    """One vocabulary phrase pointing at a tag / facet value ('' = stop phrase)."""

    tokens: tuple[str, ...]
    target: str
    also: tuple[str, ...] = ()
    prefix_last: bool = False  # last token is a prefix ('vertebr*')
    gaps: tuple[int, ...] = ()  # for '~N' terms: max words skipped before token i (0 = none)


class Hit(NamedTuple):
    """A term found at tokens ``first..last`` (inclusive) of a folded text."""

    term: Term
    first: int
    last: int


#: Words that coordinate two arms sharing one head ("percutaneous versus open pedicle screw").
_COORDINATORS = frozenset({"or", "and", "versus", "vs"})


class PhraseIndex:
    """Terms keyed by their first token; gap terms ('~N') are matched without consuming text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._by_first: dict[str, list[Term]] = {}
        self._gapped: dict[str, list[Term]] = {}
        for term in terms:
            table = self._gapped if any(term.gaps) else self._by_first
            table.setdefault(term.tokens[0], []).append(term)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda t: -len(t.tokens))
        self._narrow = {tok: _by_second_word(bucket) for tok, bucket in self._by_first.items()}
        self._words = {t.tokens: frozenset(t.tokens) for b in self._gapped.values() for t in b}
        #: The words whose positions :meth:`scan` asks a text for: this index's first words,
        #: or (after :func:`share_positions`) those of every index of its taxonomy.
        self.universe = frozenset(self._by_first) | frozenset(self._gapped)

    def _elided(self, toks: Sequence[str], hit: Hit) -> list[Hit]:
        """'percutaneous or open instrumentation': the word before 'or'/'and' shares the head.

        For a hit of two or more words preceded by ``X and|or|versus|vs``, the phrase ``X`` + the
        rest of the hit is tried as well (coordination ellipsis), quoted from ``X`` to the hit's
        end.
        """
        p = hit.first
        if len(hit.term.tokens) < 2 or p < 2 or toks[p - 1] not in _COORDINATORS:
            return []
        head = toks[p - 2]
        virtual = (head, *toks[p + 1:hit.last + 1])
        for term in self._by_first.get(head, ()):
            if term.target and len(term.tokens) >= 2 and _matches_at(term, virtual, 0):
                return [Hit(term, p - 2, hit.last)]
        return []

    def scan(self, folded: Folded) -> list[Hit]:
        """All matches; overlapping matches resolve to the leftmost, then the longest."""
        toks = folded.tokens
        where = folded.positions_of(self.universe)
        hits = self._leftmost_longest(toks, self._longest_at_each(toks, where))
        if self._gapped:
            hits.extend(self._gapped_hits(folded, where))
        return hits

    def _longest_at_each(self, toks: tuple[str, ...], where: Mapping[str, list[int]]
                         ) -> list[Hit]:
        """The longest match starting at each position, in text order."""
        longest: list[Hit] = []
        n = len(toks)
        for tok in self._by_first.keys() & where.keys():
            by_second, anywhere = self._narrow[tok]
            for i in where[tok]:
                terms = by_second.get(toks[i + 1], anywhere) if i + 1 < n else anywhere
                if terms:  # else no term of the bucket can match here
                    hit = _longest_term_at(terms, toks, i)
                    if hit is not None:
                        longest.append(hit)
        longest.sort(key=lambda h: h.first)
        return longest

    def _leftmost_longest(self, toks: Sequence[str], longest: list[Hit]) -> list[Hit]:
        """The non-overlapping hits (leftmost wins), each followed by its elided twin if any."""
        hits: list[Hit] = []
        next_free = 0
        for hit in longest:
            if hit.first >= next_free:  # leftmost wins, then the longest at that position
                hits.append(hit)
                hits.extend(self._elided(toks, hit))
                next_free = hit.last + 1
        return hits

    def _gapped_hits(self, folded: Folded, where: Mapping[str, list[int]]) -> list[Hit]:
        """Every match of a gapped ('~N') term, in text order; these never consume text.

        In text order, not in the order of a set of words: the first of two equally ranked
        mentions becomes a tag's reason, and a set's order changes with the hash seed (one
        record's reason differed from one process to the next)."""
        hits: list[Hit] = []
        toks = folded.tokens
        present = folded.token_set
        for tok in self._gapped.keys() & where.keys():
            # A term matches only where all its words occur: test that once per text, not
            # at every occurrence of its first word.
            terms = [t for t in self._gapped[tok] if present >= self._words[t.tokens]]
            for i in where[tok] if terms else ():
                for term in terms:
                    end = _match_gapped(term, toks, i)
                    if end is not None:
                        hits.append(Hit(term, i, end))
        # Same start means same first word, so one bucket: the stable sort keeps its order.
        hits.sort(key=lambda h: (h.first, h.last))
        return hits


def share_positions(indexes: Iterable[PhraseIndex]) -> None:
    """Let ``indexes`` (all of one taxonomy) ask a text for the positions of the same words,
    the union of their first words, so a text's tokens are indexed once for all of them
    (:meth:`~.folding.Folded.positions_of` keeps the answer for the last set asked)."""
    group = list(indexes)
    union = frozenset().union(*(index.universe for index in group))
    for index in group:
        index.universe = union


def _by_second_word(bucket: Sequence[Term]) -> tuple[dict[str, list[Term]], list[Term]]:
    """A bucket (one first word, longest term first) split by the word that must follow:
    (second word -> the terms that can match when it follows, in bucket order; the terms
    that can match whatever follows: one word, or a second word ending in a prefix '*').

    Most occurrences of a common first word ('spinal', 'radiation') are followed by none of
    its terms' second words, and one dict lookup is far cheaper than comparing every term of
    the bucket; where one does follow, only the terms that can match are compared, still
    longest first, so the first that matches is the one the whole bucket would give."""
    anywhere = [t for t in bucket
                if len(t.tokens) < 2 or (t.prefix_last and len(t.tokens) == 2)]
    seconds = {t.tokens[1] for t in bucket if t not in anywhere}
    by_second = {word: [t for t in bucket if t in anywhere or t.tokens[1] == word]
                 for word in seconds}
    return by_second, anywhere


def _longest_term_at(bucket: Sequence[Term], toks: tuple[str, ...], i: int) -> Hit | None:
    """The first term of ``bucket`` (sorted longest first) matching at ``i``, as a hit."""
    for term in bucket:  # longest first
        size = len(term.tokens)
        if (toks[i:i + size] == term.tokens if not term.prefix_last
                else _matches_at(term, toks, i)):
            return Hit(term, i, i + size - 1)
    return None


def _matches_at(term: Term, toks: Sequence[str], i: int) -> bool:
    size = len(term.tokens)
    if i + size > len(toks):
        return False
    if not term.prefix_last:
        return tuple(toks[i:i + size]) == term.tokens
    return (tuple(toks[i:i + size - 1]) == term.tokens[:-1]
            and toks[i + size - 1].startswith(term.tokens[-1]))


def _match_gapped(term: Term, toks: Sequence[str], start: int) -> int | None:
    """End index of a '~N' term starting at ``start``, or None; gaps never cross a barrier."""
    pos = start
    for k, want in enumerate(term.tokens):
        limit = term.gaps[k] if k else 0
        found = None
        for skip in range(limit + 1):
            j = pos + skip
            if j >= len(toks) or (skip and toks[j - 1] == BARRIER) or toks[j] == BARRIER:
                break
            if toks[j] == want:
                found = j
                break
        if found is None:
            return None
        pos = found + 1
    return pos - 1


def make_term(text: str, target: str, also: Sequence[str] = ()) -> Term:
    """Compile a written term; '~N' between words allows up to N words in between."""
    words: list[str] = []
    gaps: list[int] = []
    pending = 0
    # Fold each stretch between '~N' markers as one phrase: folding joins prefixes across
    # spaces ('en bloc' -> 'enbloc'), exactly as it does in the text.
    for part in re.split(r"\s+(~\d+)\s+", text.strip()):
        if re.fullmatch(r"~\d+", part):
            pending = int(part[1:])
            continue
        for k, tok in enumerate(fold_phrase(part)):
            words.append(tok)
            gaps.append(pending if k == 0 else 0)
        pending = 0
    prefix = text.endswith("*")
    if prefix and words:
        words[-1] = words[-1].rstrip("*")
    if not words:
        raise SchemaError(f"term {text!r} has no words")
    return Term(tuple(words), target, tuple(also), prefix, tuple(gaps) if any(gaps) else ())


class PhraseSet:
    """Folded phrases tested against a whole record; single words by set lookup (fast).

    ``contexts`` holds '@name' references of an abbreviation guard, resolved by the
    :class:`~spinelib.vocabulary.taxonomy.Taxonomy`; ``mesh`` UIs count as a mention too.
    """

    def __init__(self, phrases: Iterable[str], mesh: Iterable[str] = (),
                 contexts: Sequence[str] = ()) -> None:
        self.words: set[str] = set()
        self.mesh: frozenset[str] = frozenset(mesh)
        self.contexts = tuple(contexts)
        patterns: list[str] = []
        firsts: set[str] | None = set()
        for phrase in phrases:
            term = make_term(phrase, "")
            if len(term.tokens) == 1 and not term.prefix_last:
                self.words.add(term.tokens[0])
                continue
            body = " ".join(re.escape(t) for t in term.tokens)
            patterns.append(body + (r"[^ ]*" if term.prefix_last else ""))
            if firsts is not None and len(term.tokens) > 1:
                firsts.add(term.tokens[0])
            else:
                firsts = None  # a one-word prefix ('vertebr*') has no whole first word
        self.regex = (re.compile(r"(?:^| )(?:" + "|".join(patterns) + r")(?= |$)")
                      if patterns else None)
        #: The whole first words of the regex's phrases, one of which a record must hold for
        #: the regex to match (None: no such test); most records hold none, and one set
        #: intersection spares a regex that would be tried at every character.
        self.regex_firsts = frozenset(firsts) if firsts is not None else None

    def found_in(self, doc: Doc) -> bool:
        """True when ``doc`` holds any of the phrases or MeSH UIs."""
        if self.words & doc.token_set or self.mesh & doc.mesh_uis:
            return True
        if self.regex is None or (self.regex_firsts is not None
                                  and not self.regex_firsts & doc.token_set):
            return False
        return bool(self.regex.search(doc.joined))


def build_contexts(raw: Any) -> tuple[dict[str, PhraseSet], dict[str, tuple[str, ...]]]:
    """The vocabulary file's named contexts ('contexts' block) as phrase sets, and for each
    the facets whose MeSH UIs also count as that context ('include_facet_mesh')."""
    if not isinstance(raw, Mapping):
        raise SchemaError("'contexts' must be an object")
    sets = {}
    includes = {}
    for name, spec in raw.items():
        where = f"context {name!r}"
        if not isinstance(spec, Mapping):
            raise SchemaError(f"{where} must be an object")
        sets[name] = PhraseSet(str_list(spec, "terms", where), str_list(spec, "mesh", where))
        includes[name] = tuple(str_list(spec, "include_facet_mesh", where))
    return sets, includes
