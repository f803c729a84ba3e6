"""A Mendeley export imported into a team library: its folders and tags reach colleagues as
reading lists and tags (:mod:`spinelib.filegroups` through the outbox). Real PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.core.test_bibtex_groups import MENDELEY
from tests.team.conftest import Team


def test_a_mendeley_exports_folders_and_tags_reach_a_colleague(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    export = team.tmp / "mendeley.bib"
    export.write_text(MENDELEY, encoding="utf-8")
    out = alice.ok("import", str(export))
    assert "2 imported" in out
    assert bob.ok("lists", "list").splitlines() == [
        "M&A\t1", "Spine oncology\t1", "Spine oncology/MESCC\t1", "Thesis/Chapter 2\t1"]
    assert [a["citekey"] for a in bob.json("list", "--list", "M&A")] == [  # type: ignore[union-attr]
        "Patchell2005"]
    shown: Any = bob.json("show", "Patchell2005")
    assert sorted(shown["tags"]) == ["Thesis", "to read"]
