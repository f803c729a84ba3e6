"""A reference list without identifiers given way to PubMed's (the merge's rule,
tests/core/test_reference_list_refill.py) travels to colleagues like any edit."""

from __future__ import annotations

from spinelib.records import ReferenceEntry
from tests.core.helpers import make_record
from tests.team.conftest import Team, open_replica

BARE = [ReferenceEntry(1, "Smith A. Earlier trial. Spine. 2001;1:1-2."),
        ReferenceEntry(2, "Jones B. Radiotherapy alone. 1999.")]
FROM_PUBMED = [ReferenceEntry(1, "Smith A. Earlier trial. Spine. 2001;1:1-2.", pmid="11111111"),
               ReferenceEntry(2, "Jones B. Radiotherapy alone. 1999.", doi="10.1000/jones")]


def test_a_replaced_reference_list_reaches_a_colleague(team: Team) -> None:
    with open_replica(team.client("alice")) as la:
        article_id = la.articles.add_record(make_record(references=list(BARE))).article_id
        key = la.articles.citekey(article_id)
        la.sync.push()
    with open_replica(team.client("bob")) as lb:
        lb.sync.pull()
        theirs = lb.articles.references(lb.articles.resolve_key(key))
        assert [(r.pmid, r.doi) for r in theirs] == [("", ""), ("", "")]
    with open_replica(team.client("alice")) as la:
        again = la.articles.add_record(make_record(references=list(FROM_PUBMED)))
        assert again.article_id == article_id and again.status == "updated"
        la.sync.push()
        assert la.sync.waiting() == 0 and la.sync.conflicts() == []
    with open_replica(team.client("bob")) as lb:
        lb.sync.pull()
        refs = lb.articles.references(lb.articles.resolve_key(key))
        assert [(r.position, r.pmid, r.doi) for r in refs] == [
            (1, "11111111", ""), (2, "", "10.1000/jones")]
