"""Spinal region from vertebral levels and region words the term index cannot see.

"T11-L2" gives thoracic, lumbar and junctional; "thoracic and lumbar spine" gives both regions
(the coordinated words share one head noun); two or more of cervical/thoracic/lumbar/sacral
give multiple_regions. A lone level ("T9") counts only next to a spine word, so MRI
sequences ("T2-weighted") and tumour stages are not read as levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from spinelib.vocabulary.document import Doc
from spinelib.vocabulary.folding import stem
from spinelib.vocabulary.scan import Anchored, AnchoredWords

_REGION_OF = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}
_SEQUENCE = ([f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)]
             + [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)])
_POSITION = {lvl: i for i, lvl in enumerate(_SEQUENCE)}
_LEVEL = re.compile(
    r"(?<![A-Za-z0-9])(Th|[CTLSD])(\d{1,2})"
    r"(?:\s*(?:[-\u2013\u2014/]|to)\s*(Th|[CTLSD])?(\d{1,2}))?(?![0-9A-Za-z])")
_NOT_A_LEVEL = re.compile(
    r"\s*-?\s*(?:weighted|W\b|WI\b|hyper|hypo|signal|map|relaxation|stage)", re.I)
_COORDINATED = re.compile(
    r"\b(cervical|thoracic|lumbar|sacral)((?:\s*(?:,|and|or|/|&)\s*(?:cervical|thoracic|lumbar|"
    r"sacral))+)\s+(?:spines?|spinal|vertebrae|vertebral|vertebra|regions?|segments?|levels?)\b",
    re.I)
#: Where a level or a coordinated phrase can start (see :class:`~.scan.Anchored`): a level
#: letter before a digit ('Th' too), a region word.
_LEVEL_SCAN = Anchored(_LEVEL, r"[CTLSD]h?\d")
_COORDINATED_SCAN = AnchoredWords(_COORDINATED, ("cervical", "thoracic", "lumbar", "sacral"))


class LevelRules:
    """Which levels are junctional (SINS) and which words make a lone 'T9' a vertebral level."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.junctional = frozenset(raw.get(
            "junctional", ["C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"]))
        self.neighbours = frozenset(stem(str(w).casefold()) for w in raw.get(
            "neighbour_words", ["vertebra", "vertebral", "level", "body"]))


def _level_name(prefix: str | None, number: str, default: str) -> str | None:
    letter = {"Th": "T", "D": "T"}.get(prefix or default, prefix or default)
    name = f"{letter}{int(number)}"
    return name if name in _POSITION else None


def _levels_in(raw: str, rules: LevelRules, spine_context: bool
               ) -> Iterator[tuple[list[str], int, int]]:
    """Vertebral levels in ``raw``: ranges always, single levels only next to a spine word."""
    for m in _LEVEL_SCAN.finditer(raw):
        prefix, first, prefix2, second = m.groups()
        if prefix == "D" and not spine_context:
            continue
        if second is None and (_NOT_A_LEVEL.match(raw, m.end())
                               or not _next_to_spine_word(raw, m, rules)):
            continue
        start = _level_name(prefix, first, prefix)
        end = _level_name(prefix2, second, prefix) if second else start
        if start is None or end is None:
            continue
        a, b = sorted((_POSITION[start], _POSITION[end]))
        yield _SEQUENCE[a:b + 1], m.start(), m.end()


def _next_to_spine_word(raw: str, m: re.Match[str], rules: LevelRules) -> bool:
    after = re.findall(r"[A-Za-z]+", raw[m.end():m.end() + 40])[:2]
    before = re.findall(r"[A-Za-z]+", raw[max(0, m.start() - 30):m.start()])[-1:]
    return any(stem(w.casefold()) in rules.neighbours for w in after + before)


def region_extras(doc: Doc, rules: LevelRules, spine_context: bool,
                  found: dict[str, str]) -> None:
    """Add levels, coordinated phrases ('thoracic and lumbar spine'), multiple and junctional.

    ``spine_context`` says whether the record is about the spine at all; only then is a 'D'
    prefix (old dorsal numbering, 'D12') read as a thoracic level. Values already in ``found``
    keep their reason.
    """
    for field in doc.fields:
        for m in _COORDINATED_SCAN.finditer(field.raw, field.lowered):
            words = re.findall(r"cervical|thoracic|lumbar|sacral", m.group(0), re.I)
            for word in words:
                found.setdefault(word.lower(), f"{field.name}: '{' '.join(m.group(0).split())}'")
        for levels, start, end in _levels_in(field.raw, rules, spine_context):
            reason = f"{field.name}: '{' '.join(field.raw[start:end].split())}'"
            regions = {_REGION_OF[lvl[0]] for lvl in levels}
            for region in regions:
                found.setdefault(region, reason)
            # Brief 3.2: a range crossing regions is junctional; otherwise the levels must all
            # lie in a SINS junctional zone (T12 fracture, C1-C2), not merely touch one (C3-C7).
            if len(regions) > 1 or set(levels) <= rules.junctional:
                found.setdefault("junctional", reason)
    base = [r for r in ("cervical", "thoracic", "lumbar", "sacral") if r in found]
    if len(base) > 1:
        found.setdefault("multiple_regions", "regions: " + ", ".join(base))
