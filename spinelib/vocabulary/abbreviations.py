"""Abbreviations: compiled from the vocabulary file and found in a record's raw text.

Abbreviations match case-sensitively as whole tokens ('s' plural allowed). The clashing ones
(SRS, PPS, VP, RFA, PSA, TES, CRT, SAE, ...) carry a guard: they only count when the record
also contains the context their entry requires and none of the words that reveal the other
meaning. :class:`Abbrev` holds that guard; the
:class:`~spinelib.vocabulary.taxonomy.Taxonomy` evaluates it, since '@name' guards refer to
its contexts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinelib.vocabulary.document import Field
from spinelib.vocabulary.folding import WORD
from spinelib.vocabulary.phrases import PhraseSet
from spinelib.vocabulary.schema import abbr_text


@dataclass(frozen=True)
class Abbrev:
    """A case-sensitive abbreviation and the guard that keeps its clashes out."""

    text: str
    target: str
    require: PhraseSet | None = None
    reject: PhraseSet | None = None
    not_followed_by: re.Pattern[str] | None = None
    support_mesh: frozenset[str] = frozenset()


class AbbrevIndex:
    """Abbreviations found in raw text (case-sensitive whole tokens, 's' plural allowed)."""

    def __init__(self, abbrevs: Iterable[Abbrev]) -> None:
        self.all = tuple(abbrevs)
        self._single: dict[str, list[Abbrev]] = {}  # includes the 's' plural of each
        self._multi: dict[str, list[tuple[str, Abbrev]]] = {}
        for ab in self.all:
            parts = WORD.findall(ab.text)
            if len(parts) == 1 and parts[0] == ab.text:
                self._single.setdefault(ab.text, []).append(ab)
            else:
                self._multi.setdefault(parts[0], []).append((ab.text[len(parts[0]):], ab))
        for word, entries in list(self._single.items()):
            self._single.setdefault(word + "s", list(entries))
        self._keys = frozenset(self._multi) | frozenset(self._single)

    def scan(self, field: Field) -> list[tuple[Abbrev, int, int]]:
        """Occurrences in text order; visits only words this index knows (fast on long text)."""
        raw = field.raw
        where = field.folded.capital_spans(self._keys)
        out: list[tuple[Abbrev, int, int]] = []
        if not where:
            return out
        covered: list[tuple[int, int]] = []
        for first in self._multi.keys() & where.keys():
            for start, end in where[first]:
                for rest, ab in self._multi[first]:
                    stop = end + len(rest)
                    if raw.startswith(rest, end) and not _alnum_at(raw, stop):
                        out.append((ab, start, stop))
                        covered.append((start, stop))
        for word in self._single.keys() & where.keys():
            for start, end in where[word]:
                if not any(a <= start < b for a, b in covered):
                    out.extend((ab, start, end) for ab in self._single[word])
        out.sort(key=lambda item: item[1])
        return out


def _alnum_at(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].isalnum()


@functools.lru_cache(maxsize=4096)
def mostly_capitals(text: str) -> bool:
    """An all-capitals title: its words would look like abbreviations, so they are skipped."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 15 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def abbrev_from_json(item: Any, target: str, mesh: frozenset[str]) -> Abbrev:
    """An abbreviation entry (a string, or an object with its guard) pointing at ``target``.

    ``mesh`` are UIs that satisfy a 'require_any' guard on their own (the tag's own MeSH).
    """
    text = abbr_text(item, f"tag {target!r}")
    if not isinstance(item, Mapping):
        return Abbrev(text, target)
    require = item.get("require_any")
    reject = item.get("reject_any")
    nfb = item.get("not_followed_by")
    return Abbrev(
        text, target,
        require=_guard_set(require) if require else None,
        reject=_guard_set(reject) if reject else None,
        not_followed_by=re.compile(nfb) if nfb else None,
        support_mesh=mesh)


def _guard_set(items: Sequence[str]) -> PhraseSet:
    return PhraseSet([p for p in items if not p.startswith("@")],
                     contexts=[p[1:] for p in items if p.startswith("@")])
