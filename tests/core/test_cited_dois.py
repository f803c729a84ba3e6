"""The DOIs of cited works without an identifier, found from their citations
(spinelib/sources/citation_match.py, spinelib/citeddois.py): Crossref's bibliographic query
served by ``responses`` in the real work-list shape (works shaped like the recorded
``/works/{doi}`` sample), each answer taken only when the citation agrees with it; stored as
one undo step, only where a reference has no DOI; a network failure stores nothing wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.citeddois import find_cited_dois
from spinelib.cli import main
from spinelib.importer import reference_identifiers
from spinelib.library import Library
from spinelib.records import Author, ReferenceEntry
from spinelib.settings import Settings
from spinelib.sources.citation_match import agrees, find_doi
from spinelib.sources.http import HttpClient
from tests.core.helpers import make_record

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
CROSSREF = "http://crossref.test"
SEARCH = re.compile(r"^http://crossref\.test/works\?")
WORK = json.loads((DATA / "crossref_work_pone_0123456.json").read_text())["message"]

BILSKY = ("Bilsky M.H., Laufer I., Fourney D.R., Reliability analysis of the epidural spinal "
          "cord compression scale, J Neurosurg Spine, 13, 3, pp. 324-328, (2010)")
BILSKY_WOS = "Bilsky MH, 2010, J NEUROSURG-SPINE, V13, P324"
BILSKY_DOI = "10.3171/2010.3.spine09459"


def work(doi: str, title: str, family: str, year: int, volume: str = "13",
         page: str = "324-328") -> dict[str, object]:
    """A Crossref work (a list item) in the recorded sample's shape."""
    item = json.loads(json.dumps(WORK))
    item.update(DOI=doi.upper(), title=[title], volume=volume, page=page,
                author=[{"given": "M. H.", "family": family, "sequence": "first",
                         "affiliation": []}],
                issued={"date-parts": [[year, 6]]})
    return item  # type: ignore[no-any-return]


def envelope(items: list[dict[str, object]]) -> str:
    return json.dumps({"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                       "message": {"facets": {}, "total-results": 1000 + len(items),
                                   "items": items, "items-per-page": 3,
                                   "query": {"start-index": 0, "search-terms": None}}})


#: Crossref's ranked answers by the first word of the citation asked about.
ANSWERS = {
    "bilsky": [work("10.1000/decoy", "Spinal cord compression in lymphoma", "Bilsky", 2010,
                    volume="40", page="100-110"),
               work(BILSKY_DOI, "Reliability analysis of the epidural spinal cord compression "
                    "scale", "Bilsky", 2010)],
    # Crossref always ranks something first: a work that is not the one cited.
    "nobody": [work("10.1000/unrelated", "Outcomes of kyphoplasty", "Someone", 2019)],
}


def search_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    words = query["query.bibliographic"][0].split()
    return 200, {"Content-Type": "application/json"}, envelope(
        ANSWERS.get(words[0].lower().rstrip(","), []))


def client() -> HttpClient:
    return HttpClient(Settings(email="tests@example.org", crossref_url=CROSSREF,
                               max_retries=0), sleep=lambda _s: None)


def _record(**kw: object):  # type: ignore[no-untyped-def]
    from spinelib.formats.crossref_json import parse_work

    return parse_work(work(**kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(("citation", "expected"), [
    (BILSKY, True),                                           # Scopus: with its title
    (BILSKY_WOS, True),                                       # WoS: volume and first page
    (BILSKY.replace("(2010)", "(2011)"), True),               # online a year before print
    (BILSKY.replace("(2010)", "(2014)"), False),              # another year
    (BILSKY.replace("Bilsky M.H., ", ""), False),             # another first author
    (BILSKY_WOS.replace("P324", "P330"), False),              # another page, no title
    (BILSKY.replace(", (2010)", ""), False),                  # no year at all
])
def test_an_answer_is_taken_only_when_the_citation_agrees(citation: str,
                                                          expected: bool) -> None:
    found = _record(doi=BILSKY_DOI, title="Reliability analysis of the epidural spinal cord "
                    "compression scale", family="Bilsky", year=2010)
    assert agrees(citation, found) is expected


def test_a_correction_notice_is_not_the_work_it_corrects() -> None:
    notice = _record(doi="10.3171/2010.3.spine09459.corr", title="Correction to: Reliability "
                     "analysis of the epidural spinal cord compression scale", family="Bilsky",
                     year=2010)
    assert not agrees(BILSKY, notice)
    assert agrees("Bilsky M.H., Correction to: Reliability analysis of the epidural spinal "
                  "cord compression scale, J Neurosurg Spine, 13, (2010)", notice)
    # A title that starts with the word but is no notice (cited without its title).
    deformity = _record(doi="10.1000/deformity", title="Correction of adult spinal deformity",
                        family="Bilsky", year=2010)
    assert agrees(BILSKY_WOS, deformity)


def test_a_group_authored_work_needs_a_title_that_says_enough() -> None:
    group = _record(doi="10.1000/g", title="Guidelines for metastatic spinal cord compression",
                    family="", year=2008)
    group.authors = [Author(collective="NICE")]
    assert agrees("NICE, Guidelines for metastatic spinal cord compression, (2008)", group)
    group.title = "Guidelines"
    assert not agrees("NICE, Guidelines, (2008)", group)


@responses.activate
def test_the_query_and_the_first_answer_that_agrees() -> None:
    responses.add_callback(responses.GET, SEARCH, callback=search_reply)
    assert find_doi(client(), BILSKY) == BILSKY_DOI  # the second ranked: the first disagrees
    query = parse_qs(urlsplit(str(responses.calls[0].request.url)).query)
    assert query["query.bibliographic"] == [BILSKY] and query["rows"] == ["3"]
    assert query["mailto"] == ["tests@example.org"] and "DOI" in query["select"][0]
    assert find_doi(client(), "Nobody N., A case of sacral chordoma, Spine, (2020)") == ""
    assert find_doi(client(), "Nobody N., An undated letter") == ""  # not even asked
    assert len(responses.calls) == 2


def _article_with_cited_works(lib: Library) -> int:
    rec = make_record(references=[
        ReferenceEntry(1, "Smith A. Earlier trial. Spine. 2001;1:1-2.", doi="10.1000/known"),
        ReferenceEntry(2, BILSKY),
        ReferenceEntry(3, "Nobody N., A case of sacral chordoma, Spine, (2020)"),
        ReferenceEntry(4, "Nobody N., An undated letter"),
    ])
    return lib.articles.add_record(rec).article_id


@responses.activate
def test_found_dois_are_stored_as_one_undo_step_and_can_be_imported(tmp_path: Path) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=search_reply)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        article_id = _article_with_cited_works(lib)
        result = find_cited_dois(lib, article_id, client())
        assert (result.without, result.asked, result.error) == (3, 3, "")
        assert [(p, doi) for p, _c, doi in result.found] == [(2, BILSKY_DOI)]
        assert result.summary() == ("found the DOI of 1 of 3 cited works without an "
                                    "identifier")
        refs = lib.articles.references(article_id)
        assert [r.doi for r in refs] == ["10.1000/known", BILSKY_DOI, "", ""]
        idents, problems = reference_identifiers(lib, article_id, [2])
        assert [i.value for i in idents] == [BILSKY_DOI] and not problems
        lib.history.undo()
        assert [r.doi for r in lib.articles.references(article_id)] == [
            "10.1000/known", "", "", ""]
        # Asked again: only the citation with a year is looked up; nothing new to store.
        assert len(responses.calls) == 2


@responses.activate
def test_a_failed_look_up_costs_only_its_citation(tmp_path: Path) -> None:
    """A Crossref error on one citation (an HTML error page instead of JSON) is said; the
    other citations are still looked up and what they found is stored."""
    def reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if "chordoma" in str(request.url):
            return 200, {"Content-Type": "text/html"}, "<html>Bad gateway</html>"
        return search_reply(request)

    responses.add_callback(responses.GET, SEARCH, callback=reply)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        article_id = _article_with_cited_works(lib)
        result = find_cited_dois(lib, article_id, client())
        assert [(p, doi) for p, _c, doi in result.found] == [(2, BILSKY_DOI)]
        assert result.asked == 3 and "not JSON" in result.error
        assert result.summary().startswith("found the DOI of 1 of 3 cited works without an "
                                           "identifier (a look-up failed: Crossref")
        assert lib.articles.references(article_id)[1].doi == BILSKY_DOI


def test_a_network_failure_stores_nothing_and_says_why(tmp_path: Path) -> None:
    with responses.RequestsMock() as rsps, Library.open(tmp_path / "lib.sqlite") as lib:
        rsps.add(responses.GET, SEARCH, body=requests.ConnectionError("no route to host"))
        article_id = _article_with_cited_works(lib)
        result = find_cited_dois(lib, article_id, client())
        assert result.found == [] and result.error and result.asked >= 1
        assert "found the DOI of 0 of 3" in result.summary() and "stopped after" in \
            result.summary()
        assert [r.doi for r in lib.articles.references(article_id)] == [
            "10.1000/known", "", "", ""]


@responses.activate
def test_the_refs_command_finds_them(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=search_reply)
    monkeypatch.setattr("spinelib.cli.articles_cmds.http_client", client)
    lib_path = tmp_path / "lib.sqlite"
    with Library.open(lib_path) as lib:
        _article_with_cited_works(lib)
    code = main(["--library", str(lib_path), "refs", "16112300", "--find-dois"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("   2. Bilsky M.H., Laufer I.") and out[0].endswith(
        f"[doi:{BILSKY_DOI}]")
    assert out[1:] == ["found the DOI of 1 of 3 cited works without an identifier",
                       "import them with: spinelib refs 16112300 --import N [N ...] (or --all)"]


def test_a_team_replica_sends_the_found_dois_to_its_server(tmp_path: Path) -> None:
    """In a team library's copy the change is captured like any edit (the outbox entry
    names the references), so the team's server and the others get the DOIs too."""
    from spinelib.store import outbox
    from tests.core.test_capture_triggers import make_replica, new_entries

    with make_replica(tmp_path / "replica.sqlite") as lib:
        lib.store.engine.before_commit.append(outbox.capture)  # type: ignore[attr-defined]
        article_id = _article_with_cited_works(lib)
        new_entries(lib)
        assert lib.articles.set_reference_identifiers(article_id, {2: BILSKY_DOI}) == 1
        [(kind, fields)] = new_entries(lib)
        assert kind == "edit" and "references" in fields.split(",")


@responses.activate
def test_a_stopped_search_says_so_and_stores_only_what_it_found(tmp_path: Path) -> None:
    responses.add_callback(responses.GET, SEARCH, callback=search_reply)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        article_id = _article_with_cited_works(lib)
        result = find_cited_dois(lib, article_id, client(), cancelled=lambda: True)
        assert (result.asked, result.found, result.stopped, result.error) == (0, [], True, "")
        assert result.summary() == ("found the DOI of 0 of 3 cited works without an "
                                    "identifier (stopped after 0)")
        assert len(responses.calls) == 0
        last = lib.history.can_undo()
        assert last is None or last.name != "identifiers of cited works"  # nothing stored


@responses.activate
def test_a_wrong_crossref_address_is_named_as_such(tmp_path: Path) -> None:
    responses.add(responses.GET, SEARCH, status=404, body="Not Found",
                  content_type="text/plain")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        result = find_cited_dois(lib, _article_with_cited_works(lib), client())
    assert "check the Crossref URL in the settings" in result.error and result.found == []
