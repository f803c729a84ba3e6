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
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

#: A word of running text (letters and digits, no underscore).
WORD = re.compile(r"[^\W_]+")
#: Separator token inserted at sentence punctuation; no term contains it, so none spans it.
BARRIER = "|"
_HYPHENS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
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
    """A text as folded tokens, with each token's span in the original text."""

    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: Original words that can start an abbreviation (any capital letter, or 're' of 're-RT')
    #: -> their spans; abbreviation lookups visit only these.
    capitals: Mapping[str, list[tuple[int, int]]] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def positions(self) -> dict[str, list[int]]:
        """Token -> indexes where it occurs (lets an index visit only its own first words)."""
        where: dict[str, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            found = where.get(tok)
            if found is None:
                where[tok] = [i]
            else:
                found.append(i)
        return where

    def quote(self, raw: str, first: int, last: int) -> str:
        """The original text of tokens ``first..last`` (inclusive), whitespace squashed."""
        text = " ".join(raw[self.starts[first]:self.ends[last]].split())
        return text if len(text) <= 70 else text[:67] + "..."


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
    of survivors make the garbage collector walk the heap again and again."""
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    capitals: dict[str, list[tuple[int, int]]] = {}
    parts = _WORD_SPLIT.split(raw)  # gap, word, gap, word, ..., gap
    words = parts[1::2]
    # Each word through the (cached) word folding in one C-level pass, not one call a turn.
    folded = list(map(fold_word, words))
    pos = 0
    prefixes = _JOIN_PREFIXES
    for original, word, gap in zip(words, folded, parts[0::2]):
        start = pos + len(gap)
        pos = end = start + len(original)
        if not original.islower() or original == "re":
            capitals.setdefault(original, []).append((start, end))
        if gap != " ":  # a plain space (nearly every gap) joins only after a prefix
            if word == "s" and gap in ("'", "\u2019"):
                continue  # possessive: Ewing's sarcoma = Ewing sarcoma
            kind = _gap_kind(gap) if tokens else "soft"
            if kind == "barrier":
                tokens.append(BARRIER)
                starts.append(start)
                ends.append(start)
            elif kind == "join" and tokens and tokens[-1] in prefixes:
                tokens[-1] += word
                ends[-1] = end
                continue
        elif tokens and tokens[-1] in prefixes:
            tokens[-1] += word
            ends[-1] = end
            continue
        tokens.append(word)
        starts.append(start)
        ends.append(end)
    # stem() leaves the one-character BARRIER as it is, so it maps over every token.
    return Folded(tuple(map(stem, tokens)), tuple(starts), tuple(ends), capitals)


def fold_phrase(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as folded tokens (barriers dropped: phrases are one sentence)."""
    return tuple(t for t in fold(text).tokens if t != BARRIER)
