"""An article typed in by hand on a team library reaches the team like an imported one,
with the values typed."""

from __future__ import annotations

from pathlib import Path

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


def test_a_reference_list_alice_pastes_reaches_bob(team: Team, tmp_path: Path) -> None:
    """The guideline's references, copied from its PDF, chased by a colleague."""
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("add", "--set", "title=NASS guideline", "--set", "year=2025", "--authors",
             "North American Spine Society", "--key", "nass2025")
    listing = tmp_path / "refs.txt"
    listing.write_text("1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive "
                       "surgical resection. Lancet. 2005;366(9486):643-648. PMID: 16112300\n"
                       "2. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of "
                       "the epidural spinal cord compression scale. J Neurosurg Spine. "
                       "2010;13(3):324-328.\n", encoding="utf-8")
    alice.ok("refs", "nass2025", "--read", str(listing))
    refs = bob.json("refs", "nass2025")
    assert [(r["position"], r["pmid"]) for r in refs] == [  # type: ignore[index, union-attr]
        (1, "16112300"), (2, "")]
    alice.ok("undo")
    assert bob.json("refs", "nass2025") == []
