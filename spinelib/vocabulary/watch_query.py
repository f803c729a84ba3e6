"""A PubMed query for a technique, built from the vocabulary: its synonyms and
abbreviations in title/abstract, and its specific MeSH headings.

For ``spinelib watch suggest``: "separation surgery" becomes
``"separation surgery"[tiab] OR "circumferential epidural decompression"[tiab] OR …``. Broad
and support headings are left out (``Decompression, Surgical`` would bury the technique);
phrases written with the vocabulary's ``~N`` proximity are already excluded from synonyms.
"""

from __future__ import annotations

import json
from typing import Any

from spinelib import paths
from spinelib.errors import SpineLibError
from spinelib.vocabulary.taxonomy import Taxonomy


def _quoted(term: str, field: str) -> str:
    clean = " ".join(term.replace('"', " ").split())
    return f'"{clean}"[{field}]' if clean else ""


def _specific_headings(tag_id: str) -> list[str]:
    """The specific MeSH heading names of ``tag_id`` in the shipped vocabulary file."""
    try:
        data: Any = json.loads(paths.resource("taxonomy.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    for node in data.get("techniques", []) if isinstance(data, dict) else []:
        if isinstance(node, dict) and node.get("id") == tag_id:
            mesh = node.get("mesh") or {}
            items = mesh.get("specific", []) if isinstance(mesh, dict) else []
            return [str(m["heading"]) for m in items
                    if isinstance(m, dict) and m.get("heading")]
    return []


def technique_query(taxonomy: Taxonomy, technique: str) -> tuple[str, str]:
    """(tag id, PubMed query) for a technique typed as an id, label, synonym or
    abbreviation. Raises SpineLibError naming close matches for an unknown technique."""
    tag = taxonomy.find(technique)
    if tag is None:
        close = taxonomy.close_matches(technique)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SpineLibError(f"unknown technique {technique!r}{hint}")
    terms = [_quoted(t, "tiab") for t in (tag.label, *tag.synonyms)]
    terms += [_quoted(a, "tiab") for a in tag.abbreviations if len(a) > 2]
    terms += [_quoted(h, "MeSH Terms") for h in _specific_headings(tag.id)]
    unique = list(dict.fromkeys(t.casefold() for t in terms if t))
    original = {t.casefold(): t for t in terms if t}
    return tag.id, " OR ".join(original[t] for t in unique)


def technique_choices(taxonomy: Taxonomy) -> list[tuple[str, str, int]]:
    """Every technique as ``(id, label, depth)`` in the vocabulary's tree order (each group
    followed by its own techniques), for a menu to pick one to watch."""
    out: list[tuple[str, str, int]] = []

    def walk(tag_id: str, label: str, depth: int) -> None:
        out.append((tag_id, label, depth))
        for child in taxonomy.children(tag_id):
            walk(child.id, child.label, depth + 1)

    for tag in taxonomy.tags:
        if not tag.parent:
            walk(tag.id, tag.label, 0)
    return out
