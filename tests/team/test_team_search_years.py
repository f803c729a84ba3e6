"""A year among a search's words on a team library (PostgreSQL's full-text dialect)."""

from __future__ import annotations

from tests.team.conftest import Team


def test_an_author_and_a_year_find_the_paper_on_the_team_library(team: Team) -> None:
    alice = team.client("alice")
    alice.ok("add", "--set", "title=Separation surgery outcomes", "--set", "year=2013",
             "--authors", "Laufer, Ilya", "--key", "laufer2013")
    alice.ok("add", "--set", "title=The 2016 WHO classification of spinal tumours",
             "--set", "year=2017", "--authors", "Laufer, Ilya", "--key", "laufer2017")
    found = alice.json("list", "--search", "laufer 2013")
    assert [a["citekey"] for a in found] == ["laufer2013"]  # type: ignore[index, union-attr]
    found = alice.json("list", "--search", "laufer 2016")
    assert [a["citekey"] for a in found] == ["laufer2017"]  # type: ignore[index, union-attr]
    found = alice.json("list", "--search", "laufer -2013")
    assert [a["citekey"] for a in found] == ["laufer2017"]  # type: ignore[index, union-attr]
