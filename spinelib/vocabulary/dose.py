"""Radiotherapy dose cues: a dose schedule names the radiotherapy type.

"24 Gy in 2 fractions" -> SBRT/SRS, "8 Gy single fraction" or "30 Gy in 10 fractions" ->
conventional EBRT. The thresholds come from the vocabulary file's 'dose_rules' block
(:func:`dose_rules`); :func:`dose_cues` finds the schedules in a text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spinelib.vocabulary.scan import AnchoredWords, ascii_lower, matches_from, mentions
from spinelib.vocabulary.schema import SchemaError

_NUM = r"(\d+(?:\.\d+)?)"
_NUM_RANGE = _NUM + r"(?:\s*(?:-|\u2013|\u2014|to|or)\s*" + _NUM + r")?"
_GY = r"\s*Gy(?:\s*\(RBE\))?"
_COUNT_WORDS = {"a single": 1, "single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fifteen": 15,
                "twenty": 20}
_COUNT = (r"(\d+(?:\s*(?:-|\u2013|to)\s*\d+)?|"
          + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + r")")
_FRACTIONS = r"\s*(?:daily\s+)?(?:fractions?|fx|sessions?)\b"
_GY_UNIT = re.compile(r"\dGy|\d\s+Gy", re.I)
#: The same test on an ASCII text lowered: it starts with a character set (digits), which
#: the engine skips to, instead of a branch it tries at every character.
_GY_LOWERED = re.compile(r"\d\s*gy")
#: For each pattern below, what every match of it holds, so an ASCII text without it is not
#: scanned (:mod:`.scan`): lower-case words one of which must occur, or a case-sensitive
#: regex that must find something in the lowered text.
_FRACTION_WORDS = ("fraction", "fx", "session")
_NEEDS: dict[str, tuple[tuple[str, ...], re.Pattern[str] | None]] = {
    "total_n": (_FRACTION_WORDS, None),
    "single_total": (("single",), None),
    "total_per": (("fraction",), None),
    "per_n": (("gy",), re.compile(r"gy(?:\s*\(rbe\))?\s*[x\u00d7]")),
    "n_per": (("gy",), re.compile(r"[x\u00d7]\s*\d")),
}
_DOSE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 30 Gy in 10 fractions, 24 Gy/2 fx, 8 Gy in a single fraction, 18-36 Gy in 5-6 fractions
    ("total_n", re.compile(_NUM_RANGE + _GY + r"\s*(?:in|/|over|delivered in)\s*" + _COUNT
                           + _FRACTIONS, re.I)),
    # a single fraction of 8 Gy, single-fraction 24 Gy
    ("single_total", re.compile(r"\bsingle[\s-]fraction\s+(?:of\s+)?" + _NUM_RANGE + _GY, re.I)),
    # 8 Gy single fraction, a single 8 Gy fraction
    ("single_total", re.compile(_NUM_RANGE + _GY + r"\s+(?:as\s+a\s+)?single[\s-]fraction", re.I)),
    ("single_total", re.compile(r"\bsingle\s+" + _NUM_RANGE + _GY + r"\s+fraction", re.I)),
    # 55.8 Gy in 1.8 Gy fractions (total, then dose per fraction)
    ("total_per", re.compile(_NUM_RANGE + _GY + r"\s*in\s*" + _NUM + _GY + r"\s*"
                             r"(?:daily\s+)?fractions?\b", re.I)),
    # 8 Gy x 1 (dose per fraction x number)
    ("per_n", re.compile(_NUM_RANGE + _GY + r"\s*[x\u00d7]\s*(\d+)\b", re.I)),
    # 10 x 3 Gy (number x dose per fraction)
    ("n_per", re.compile(r"\b(\d+)\s*[x\u00d7]\s*" + _NUM_RANGE + _GY, re.I)),
)
#: The patterns that start with the word 'single' (tried where it starts); the others start
#: with a number (tried at the digits before a 'Gy': :func:`_number_starts`).
_SINGLE_SCANS = tuple(AnchoredWords(p, ("single",)) if p.pattern.startswith(r"\bsingle") else None
                      for _, p in _DOSE_PATTERNS)


@dataclass(frozen=True)
class DoseRules:
    """Dose thresholds (Gy per fraction, number of fractions) for SBRT/SRS and conventional."""

    sbrt_single_min: float = 12.0
    sbrt_per_fraction_min: float = 5.0
    sbrt_max_fractions: float = 5.0
    conv_single_max: float = 8.0
    conv_per_fraction_max: float = 4.0
    conv_min_fractions: float = 5.0
    #: Tags whose name in a sentence makes its schedule theirs ('owned_by'): an IORT or
    #: proton dose is not a cue for SBRT or conventional EBRT.
    owned_by: tuple[str, ...] = ()

    def classify(self, per_fraction: float, fractions: float) -> str | None:
        """'sbrt_srs', 'conventional_ebrt', or None for a schedule that is neither."""
        if fractions <= 1:
            if per_fraction >= self.sbrt_single_min:
                return "sbrt_srs"
            return "conventional_ebrt" if per_fraction <= self.conv_single_max else None
        if fractions <= self.sbrt_max_fractions and per_fraction >= self.sbrt_per_fraction_min:
            return "sbrt_srs"
        if fractions >= self.conv_min_fractions and per_fraction <= self.conv_per_fraction_max:
            return "conventional_ebrt"
        return None


def dose_rules(raw: Any) -> DoseRules:
    """The vocabulary file's 'dose_rules' block; missing thresholds keep their defaults."""
    if not isinstance(raw, Mapping):
        raise SchemaError("'dose_rules' must be an object")
    sbrt = raw.get("sbrt_srs", {})
    conv = raw.get("conventional_ebrt", {})
    owners = raw.get("owned_by", [])
    if not isinstance(owners, list) or not all(isinstance(t, str) for t in owners):
        raise SchemaError("'dose_rules': 'owned_by' must be a list of tag ids")
    try:
        return DoseRules(
            float(sbrt.get("single_fraction_min_gy", 12)),
            float(sbrt.get("per_fraction_min_gy", 5)), float(sbrt.get("max_fractions", 5)),
            float(conv.get("single_fraction_max_gy", 8)), float(conv.get("per_fraction_max_gy", 4)),
            float(conv.get("min_fractions", 5)), tuple(owners))
    except (TypeError, ValueError, AttributeError) as exc:
        raise SchemaError(f"'dose_rules' has a non-numeric value ({exc})") from None


def _midpoint(low: str, high: str | None) -> float:
    return (float(low) + float(high)) / 2 if high else float(low)


def _count(text: str) -> float:
    key = " ".join(text.lower().split())
    if key in _COUNT_WORDS:
        return float(_COUNT_WORDS[key])
    numbers = [float(x) for x in re.findall(r"\d+", key)]
    return sum(numbers) / len(numbers)


def dose_cues(raw: str, rules: DoseRules) -> Iterator[tuple[str, int, int]]:
    """(tag id, start, end) for every dose schedule in ``raw`` that names a technique."""
    lowered = ascii_lower(raw)
    if lowered is None:
        if not _GY_UNIT.search(raw):
            return
        numbers: list[int] | None = None
    else:
        numbers = _number_starts(lowered)
        if not numbers:
            return  # no dose unit after a number: no schedule
    for (kind, pattern), single in zip(_DOSE_PATTERNS, _SINGLE_SCANS):
        words, needed = _NEEDS[kind]
        if not mentions(lowered, words) or (
                needed is not None and lowered is not None and not needed.search(lowered)):
            continue  # this kind of schedule cannot be written in this text
        if numbers is None:
            found: Iterable[re.Match[str]] = pattern.finditer(raw)
        elif single is not None:
            found = single.finditer(raw, lowered)
        else:
            found = matches_from(pattern, raw, numbers)
        for m in found:
            per, n = _schedule(kind, m.groups())
            tag = rules.classify(per, n) if n else None
            if tag:
                yield tag, m.start(), m.end()


def _schedule(kind: str, g: tuple[str, ...]) -> tuple[float, float]:
    """(Gy per fraction, number of fractions) of a schedule matched by a pattern of ``kind``."""
    if kind == "total_n":
        total, n = _midpoint(g[0], g[1]), _count(g[2])
        return (total / n if n else 0.0), n
    if kind == "single_total":
        return _midpoint(g[0], g[1]), 1.0
    if kind == "total_per":
        per = float(g[2])
        return per, (_midpoint(g[0], g[1]) / per if per else 0.0)
    if kind == "per_n":
        return _midpoint(g[0], g[1]), float(g[2])
    return _midpoint(g[1], g[2]), float(g[0])


#: What may stand between the start of a schedule and its first 'Gy' (numbers, ranges with
#: '-', 'to' or 'or', a count and 'x' before a dose per fraction, white space): every
#: schedule that starts with a number starts in such a stretch before a 'Gy' unit.
_STRETCH = frozenset("0123456789.-torx \t\n\r\f\v\x1c\x1d\x1e\x1f\u2013\u2014\u00d7")
_DIGITS = frozenset("0123456789")


def _number_starts(lowered: str) -> list[int]:
    """Where a schedule that starts with a number can start in an ASCII text (lowered): the
    digits of the stretch (:data:`_STRETCH`) that ends at each number before a 'Gy'. The
    patterns are tried there only (:func:`~.scan.matches_from`), not at every character."""
    starts: set[int] = set()
    for unit in _GY_LOWERED.finditer(lowered):
        last = unit.start()  # the number's last digit
        first = last
        while first > 0 and lowered[first - 1] in _STRETCH:
            first -= 1
        starts.update(k for k in range(first, last + 1) if lowered[k] in _DIGITS)
    return sorted(starts)
