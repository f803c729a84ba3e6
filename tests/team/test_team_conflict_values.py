"""A conflict over a field the library keeps as JSON (a book's editors, MeSH) is shown with
names, as the rest of SpineLib shows them, by the CLI's ``conflicts`` and the history; the
JSON form stays in ``--json``, where a program reads it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.team.conftest import Team, open_replica

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"
KEY = "laufer2013noms"


def test_a_conflict_over_editors_reads_as_names(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    assert len(bob.json("list")) == 4  # type: ignore[arg-type]
    with open_replica(alice) as la, open_replica(bob) as lb:
        la.edits.edit(la.articles.resolve_key(KEY),
                      {"editors": "Benzel, Edward C; Steinmetz, Michael P"})
        lb.edits.edit(lb.articles.resolve_key(KEY), {"editors": "Bilsky, Mark H"})
        la.sync.sync()
        assert lb.sync.sync().new_conflicts == 1
    [line] = bob.ok("conflicts").splitlines()
    number, article, field, mine, theirs = line.split("\t")
    assert (article, field) == (KEY, "editors")
    assert mine == "mine: Bilsky, Mark H"
    assert theirs == "theirs: Benzel, Edward C; Steinmetz, Michael P"
    [raw] = bob.json("conflicts")  # type: ignore[misc]
    assert json.loads(raw["mine"]) == [{"family": "Bilsky", "given": "Mark H"}]
    assert int(number) == raw["id"]
