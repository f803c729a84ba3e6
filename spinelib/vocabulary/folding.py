"""Folding: the normal form both the vocabulary and a record's text are reduced to.

:func:`fold` turns a text into :class:`Folded` tokens: case, diacritics, British/American
spelling (tumour/tumor, -isation/-ization, haem/hem, oesophag/esophag, fibre/fiber), hyphens
(en-bloc = en bloc), joined prefixes (mini-open = mini open = miniopen) and simple plurals are
folded away, and sentence punctuation becomes a :data:`BARRIER` token no term can span. Each
token keeps its span in the original text, so matches can be quoted as written.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

#: A word of running text (letters and digits, no underscore).
WORD = re.compile(r"[^\W_]+")
#: Separator token inserted at sentence punctuation; no term contains it, so none spans it.
BARRIER = "|"
_HYPHENS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
#: A decimal point or thousands separator between digits (no space): not punctuation.
_NUMBER_MARKS = frozenset({".", ","})
_SOFT_GAP = re.compile(rf"[\s{_HYPHENS}/'\u2019]*")
_HYPHEN_GAP = re.compile(rf"\s*[{_HYPHENS}]?\s*")
#: Prefixes written apart, hyphenated or joined ("en bloc", "en-bloc", "enbloc"); folding joins
#: them to the next word on both sides, so every spelling meets in one token.
_JOIN_PREFIXES = frozenset({
    "en", "re", "pre", "post", "intra", "inter", "trans", "mini", "cryo", "radio", "micro",
    "neuro", "thermo", "non", "hemi", "uni", "bi", "peri", "para", "sub", "semi", "multi", "co",
    "thoraco", "lumbo", "cervico", "sacro", "ilio", "costo", "extra", "chemo",
})
_BRITISH_ENDINGS = (
    (re.compile(r"is(ation|ations|e|ed|es|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"([bt])re([sd]?)$"), r"\1er\2"),
)
_WORD_SPLIT = re.compile(r"([^\W_]+)")
#: The same split for ASCII text, where a word character that is not '_' is [A-Za-z0-9]: a
#: plain character set the regex engine tests far faster than Unicode categories.
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z0-9]+)")


@functools.lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Case, diacritics and British spelling folded; no plural stripping (see :func:`stem`)."""
    decomposed = unicodedata.normalize("NFKD", word)
    tok = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if len(tok) > 3:
        # haem/hem, oesophag/esophag, anaes/anes, paed/ped, leukaemia/leukemia
        tok = tok.replace("ae", "e").replace("oe", "e")
    if len(tok) > 5:
        for pattern, repl in _BRITISH_ENDINGS:
            tok = pattern.sub(repl, tok)
    elif len(tok) == 5:  # fibre/fiber, litre/liter: the -re ending needs no longer stem
        tok = _BRITISH_ENDINGS[-1][0].sub(_BRITISH_ENDINGS[-1][1], tok)
    return tok


@functools.lru_cache(maxsize=65536)
def stem(tok: str) -> str:
    """Strip a simple English plural so 'screws' meets 'screw' and 'biopsies' meets 'biopsy'."""
    n = len(tok)
    if n > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if n > 4 and tok.endswith(("ches", "shes", "sses", "xes", "zes")):
        return tok[:-2]
    if n > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
        return tok[:-1]
    return tok


@dataclass(frozen=True)
class Folded:
    """A text as folded tokens, with each token's span in the original text.

    ``capitals`` maps the original words that can start an abbreviation (a capital letter, a
    digit, or 're' of 're-RT': any word that is not all lower case) to their spans, in text
    order; abbreviation lookups visit only these (:meth:`capital_spans`). Token positions
    (:meth:`positions_of`) and the set of tokens are worked out only when a matcher asks.
    """

    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    capitals: Mapping[str, list[tuple[int, int]]] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def token_set(self) -> frozenset[str]:
        """Every distinct token (one C-level pass; phrase indexes intersect it)."""
        return frozenset(self.tokens)

    def positions_of(self, vocabulary: frozenset[str]) -> Mapping[str, list[int]]:
        """Token -> indexes where it occurs (ascending), for the tokens in ``vocabulary`` only.

        Lets a phrase index visit only its own first words. Every index of a
        :class:`~.taxonomy.Taxonomy` passes the same set (the first words of all of them), so
        one pass over the tokens serves them all; the pass tests each token against the set in
        C (``map`` + ``compress``) and touches only the few tokens that are in it."""
        memo = self.__dict__.get("_positions")
        if memo is not None and memo[0] is vocabulary:
            return memo[1]  # type: ignore[no-any-return]
        toks = self.tokens
        relevant = vocabulary.intersection(toks)
        where: dict[str, list[int]] = {tok: [] for tok in relevant}
        if relevant:
            for i in itertools.compress(itertools.count(), map(relevant.__contains__, toks)):
                where[toks[i]].append(i)
        self.__dict__["_positions"] = (vocabulary, where)
        return where

    def capital_spans(self, wanted: AbstractSet[str]) -> Mapping[str, list[tuple[int, int]]]:
        """:attr:`capitals` of the words in ``wanted`` (an abbreviation index's words)."""
        caps = self.capitals
        return {word: caps[word] for word in wanted & caps.keys()}

    def quote(self, raw: str, first: int, last: int) -> str:
        """The original text of tokens ``first..last`` (inclusive), whitespace squashed."""
        text = " ".join(raw[self.starts[first]:self.ends[last]].split())
        return text if len(text) <= 70 else text[:67] + "..."


def _split_words(raw: str) -> list[str]:
    """gap, word, gap, word, ..., gap (a word: letters and digits, no underscore)."""
    return (_ASCII_WORD_SPLIT if raw.isascii() else _WORD_SPLIT).split(raw)


@functools.lru_cache(maxsize=4096)
def _gap_kind(gap: str) -> str:
    """'join' for nothing/hyphen, 'soft' for spaces/slashes/apostrophes, else 'barrier'.
    Cached: a text's gaps are a few strings (', ', '. ', ' (') repeated."""
    if _HYPHEN_GAP.fullmatch(gap):
        return "join"
    if _SOFT_GAP.fullmatch(gap):
        return "soft"
    return "barrier"


@functools.lru_cache(maxsize=16384)
def fold(raw: str) -> Folded:
    """Fold a text into tokens (see module docstring); cached because facets re-read fields."""
    return fold_uncached(raw)


def fold_uncached(raw: str) -> Folded:
    """:func:`fold` without its cache, for callers that fold each text once (a bulk import's
    :class:`~.document.Doc`): what a cache holds survives until it is cleared, and thousands
    of survivors make the garbage collector walk the heap again and again.

    Nearly every gap between two words is one space after a word that is not a prefix:
    such a word simply becomes the next token. Only the words after another gap (a hyphen,
    punctuation: join, barrier, possessive) or after a prefix go through :func:`_place`,
    one by one; the runs between them are copied as slices, and the spans come from one
    running sum of the parts' lengths, not from a loop over the words."""
    parts = _split_words(raw)
    words = parts[1::2]
    gaps = parts[0::2]
    n = len(words)
    folded = _mapped(_FOLDED_WORDS, fold_word, words)
    bounds = list(itertools.accumulate(map(len, parts)))
    word_starts = bounds[0:2 * n:2]
    word_ends = bounds[1::2]
    special = [k for k, gap in enumerate(gaps) if gap != " "]
    if _JOIN_PREFIXES.intersection(folded):
        prefixes = _JOIN_PREFIXES
        special = sorted({*special, *(k + 1 for k, w in enumerate(folded) if w in prefixes)})
    out = _Tokens([], [], [])
    k = 0
    dirty = False  # the last word placed one by one was joined or skipped
    for at in special:
        if at >= n:
            break
        while dirty and k < at:
            dirty = _place(out, folded[k], gaps[k], word_starts[k], word_ends[k])
            k += 1
        if k < at:
            out.tokens.extend(folded[k:at])
            out.starts.extend(word_starts[k:at])
            out.ends.extend(word_ends[k:at])
        dirty = _place(out, folded[at], gaps[at], word_starts[at], word_ends[at])
        k = at + 1
    while dirty and k < n:
        dirty = _place(out, folded[k], gaps[k], word_starts[k], word_ends[k])
        k += 1
    if k < n:
        out.tokens.extend(folded[k:])
        out.starts.extend(word_starts[k:])
        out.ends.extend(word_ends[k:])
    # stem() leaves the one-character BARRIER as it is, so it maps over every token.
    return Folded(tuple(_mapped(_STEMS, stem, out.tokens)), tuple(out.starts), tuple(out.ends),
                  _capitals(words, word_starts, word_ends))


def _capitals(words: list[str], starts: list[int], ends: list[int]
              ) -> dict[str, list[tuple[int, int]]]:
    """:attr:`Folded.capitals` of a text's words: the words that are not all lower case (or
    are 're'), picked in C (most words are lower case), with their spans in text order."""
    picked = list(itertools.compress(itertools.count(),
                                     map(operator.not_, map(str.islower, words))))
    if "re" in words:
        picked = sorted({*picked, *(k for k, w in enumerate(words) if w == "re")})
    out: dict[str, list[tuple[int, int]]] = {}
    for k in picked:
        out.setdefault(words[k], []).append((starts[k], ends[k]))
    return out


#: Word -> :func:`fold_word`, token -> :func:`stem`, for :func:`fold_uncached`: plain dicts
#: read by subscript (an ``lru_cache`` hit costs a call and a list update per word).
_FOLDED_WORDS: dict[str, str] = {}
_STEMS: dict[str, str] = {}
#: Entries a word dict may hold before it is emptied (bounded memory; refilled as needed).
_WORD_DICT_LIMIT = 100_000


def _mapped(known: dict[str, str], func: Callable[[str], str], items: Sequence[str]
            ) -> list[str]:
    """``[func(x) for x in items]``, read from ``known`` (filled with what it lacks)."""
    try:
        return [known[item] for item in items]
    except KeyError:  # a word not seen yet (rare once a few records are read)
        if len(known) > _WORD_DICT_LIMIT:
            known.clear()
        for item in set(items).difference(known):
            known[item] = func(item)
        return [known[item] for item in items]


@dataclass
class _Tokens:
    """The tokens of a text being folded, with their spans."""

    tokens: list[str]
    starts: list[int]
    ends: list[int]


def _place(out: _Tokens, word: str, gap: str, start: int, end: int) -> bool:
    """Add one folded ``word`` after ``gap``: a new token, joined to the previous one (after
    a prefix), or skipped (possessive 's); a barrier token first after punctuation.
    True when the word did not become a token of its own (joined or skipped)."""
    tokens = out.tokens
    if gap != " ":  # a plain space (nearly every gap) joins only after a prefix
        if word == "s" and gap in ("'", "\u2019"):
            return True  # possessive: Ewing's sarcoma = Ewing sarcoma
        kind = _gap_kind(gap) if tokens else "soft"
        if kind == "barrier" and gap in _NUMBER_MARKS and word.isdigit() and tokens[-1].isdigit():
            kind = "soft"  # "4.5 years", "1,288 patients": one quantity, no punctuation
        if kind == "barrier":
            tokens.append(BARRIER)
            out.starts.append(start)
            out.ends.append(start)
        elif kind == "join" and tokens and tokens[-1] in _JOIN_PREFIXES:
            tokens[-1] += word
            out.ends[-1] = end
            return True
    elif tokens and tokens[-1] in _JOIN_PREFIXES:
        tokens[-1] += word
        out.ends[-1] = end
        return True
    tokens.append(word)
    out.starts.append(start)
    out.ends.append(end)
    return False


def fold_phrase(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as folded tokens (barriers dropped: phrases are one sentence)."""
    return tuple(t for t in fold(text).tokens if t != BARRIER)
