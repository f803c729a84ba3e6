"""The labelled records' MeSH descriptors are real pairs of UI and heading.

The suggester matches MeSH by UI, never by name (PubMed always sends the descriptor's current
heading with its UI). The labelled sets are written by hand, and a writer who types the UI of
one descriptor under the heading of another (round 9's first half gave "Spinal Fractures" the
UI of Spinal Fusion, and Spinal Fusion the UI next to it) makes the measurement score the
slip, not the suggester: 7 of round9_heldout's 23 false positives came from it. This check
fails on such a pair, for every descriptor the vocabulary knows by UI or by heading, so a new
set cannot bring one in unseen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_taxonomy_quality import FILES, _parse

TAXONOMY = Path(__file__).resolve().parents[2] / "resources" / "taxonomy.json"
#: Current MeSH names of descriptors the vocabulary lists under an older or shorter name: the
#: same UI, the same concept (PubMed sends the current one).
ALSO_NAMED = {"D019060": {"Minimally Invasive Surgical Procedures"},
              "D019583": {"Dose Fractionation, Radiation"},
              "D005870": {"Giant Cell Tumor of Bone"}}


def _pairs(node: Any) -> Iterator[tuple[str, str]]:
    """Every (UI, heading) the vocabulary file names, wherever it sits."""
    if isinstance(node, dict):
        if isinstance(node.get("ui"), str) and isinstance(node.get("heading"), str):
            yield node["ui"], node["heading"]
        for value in node.values():
            yield from _pairs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _pairs(value)


def _known() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    headings: dict[str, set[str]] = defaultdict(set)
    uis: dict[str, set[str]] = defaultdict(set)
    for ui, heading in _pairs(json.loads(TAXONOMY.read_text(encoding="utf-8"))):
        headings[ui].add(heading)
        uis[heading].add(ui)
    for ui, names in ALSO_NAMED.items():
        headings[ui] |= names
    return headings, uis


def test_the_vocabulary_names_each_descriptor_one_way() -> None:
    headings, uis = _known()
    assert len(headings) > 50
    assert all(len(u) == 1 for u in uis.values()), {h: u for h, u in uis.items() if len(u) > 1}


@pytest.mark.parametrize("split", list(FILES))
def test_mesh_headings_carry_their_own_ui(split: str) -> None:
    headings, uis = _known()
    wrong = sorted({(r.pmid, m.ui, m.name) for r in _parse(split) for m in r.mesh
                    if (m.ui in headings and m.name not in headings[m.ui])
                    or (m.name in uis and m.ui not in uis[m.name])})
    assert not wrong, f"MeSH UI and heading disagree (pmid, UI, heading): {wrong}"
