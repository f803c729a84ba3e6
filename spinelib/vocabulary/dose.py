"""Radiotherapy dose cues: a dose schedule names the radiotherapy type.

"24 Gy in 2 fractions" -> SBRT/SRS, "8 Gy single fraction" or "30 Gy in 10 fractions" ->
conventional EBRT. The thresholds come from the vocabulary file's 'dose_rules' block
(:func:`dose_rules`); :func:`dose_cues` finds the schedules in a text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spinelib.vocabulary.scan import ascii_lower, mentions
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
_DOSE_PATTERNS = (
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
    if not (_GY_LOWERED.search(lowered) if lowered is not None else _GY_UNIT.search(raw)):
        return
    for kind, pattern in _DOSE_PATTERNS:
        words, needed = _NEEDS[kind]
        if not mentions(lowered, words) or (
                needed is not None and lowered is not None and not needed.search(lowered)):
            continue  # this kind of schedule cannot be written in this text
        for m in pattern.finditer(raw):
            g = m.groups()
            if kind == "total_n":
                total, n = _midpoint(g[0], g[1]), _count(g[2])
                per = total / n if n else 0.0
            elif kind == "single_total":
                per, n = _midpoint(g[0], g[1]), 1.0
            elif kind == "total_per":
                per = float(g[2])
                n = _midpoint(g[0], g[1]) / per if per else 0.0
            elif kind == "per_n":
                per, n = _midpoint(g[0], g[1]), float(g[2])
            else:
                n, per = float(g[0]), _midpoint(g[1], g[2])
            tag = rules.classify(per, n) if n else None
            if tag:
                yield tag, m.start(), m.end()
