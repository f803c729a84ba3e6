"""An article typed in by hand on a team library reaches the team like an imported one,
with the values typed."""

from __future__ import annotations

from tests.team.conftest import Team


def test_an_article_typed_in_by_alice_reaches_bob(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    out = alice.ok("add", "--set", "title=NASS guideline: diagnosis and treatment of "
                   "metastatic spine disease", "--set", "type=report", "--set", "year=2025",
                   "--set", "publisher=North American Spine Society", "--authors",
                   "North American Spine Society")
    key = out.split()[2]
    [shown] = [a for a in bob.json("list")  # type: ignore[union-attr]
               if a["citekey"] == key]  # type: ignore[index]
    assert shown["year"] == 2025  # type: ignore[index]
    article = bob.json("show", key)
    assert (article["type"], article["publisher"]) == (  # type: ignore[index]
        "report", "North American Spine Society")
    alice.ok("edit", key, "--set", "report_number=NASS-2025-01", "--set",
             "institution=NASS Evidence-Based Guideline Committee")
    article = bob.json("show", key)
    assert (article["report_number"], article["institution"]) == (  # type: ignore[index]
        "NASS-2025-01", "NASS Evidence-Based Guideline Committee")
