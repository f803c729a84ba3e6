"""Team library basics against a real PostgreSQL: create, grant, first copy, sync, status."""

from __future__ import annotations

from pathlib import Path

from tests.team.conftest import Team

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"


def test_two_clients_share_an_import(team: Team) -> None:
    alice, bob = team.client("alice"), team.client("bob")
    alice.ok("import", "--no-refs", str(NBIB))
    mine = alice.json("list")
    assert mine and alice.json("status")["outbox"] == 0  # type: ignore[index]
    theirs = bob.json("list")
    assert sorted(a["pmid"] for a in theirs) == sorted(a["pmid"] for a in mine)  # type: ignore[union-attr, index]
    rows = team.sql("SELECT count(*) FROM article")
    assert rows[0][0] == len(mine)  # type: ignore[arg-type]
