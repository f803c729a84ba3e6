"""The articles citing one, found in Europe PMC (spinelib/sources/europepmc_citing.py,
spinelib/citingarticles.py, ``spinelib citing``): the recorded citations reply read in its
real shape, pages followed, the library's articles marked (by PMID or DOI, the trash
included), a DOI-only article asked by the PMID Europe PMC gives its DOI, and the chosen
ones imported through the ordinary identifier import; every request served by
``responses``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.citingarticles import citing_identifiers, find_citing
from spinelib.errors import NotFound, ServiceError, SpineLibError
from spinelib.identifiers import Identifier
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sources.europepmc_citing import EuropePmcId, fetch_citing, parse_citing
from spinelib.sources.http import HttpClient
from tests.core.helpers import make_record
from tests.core.test_conformance_crossref import EPMC_CITATIONS
from tests.core.test_import_pipeline import EUROPEPMC, EUTILS, cli, efetch, fast_settings

__all__ = ["fast_settings"]  # a fixture, used by name

PATCHELL = "16112300"
CITATIONS = re.compile(re.escape(EUROPEPMC) + r"/(MED|PMC)/(\w+)/citations\?.*")


def item(pmid: str, year: int, title: str, *, source: str = "MED", **more: object
         ) -> dict[str, object]:
    """A citations item in the recorded reply's shape (API 6.x adds nothing it needs)."""
    return {"id": pmid, "source": source, "title": title,
            "authorString": "Laufer I, Bilsky MH.", "journalAbbreviation": "Spine",
            "pubYear": year, "volume": "40", "issue": "2", "pageInfo": "100-110",
            "citedByCount": 7, **more}


def reply(items: list[dict[str, object]], hits: int | None = None, page: int = 1) -> str:
    return json.dumps({"version": "6.9", "hitCount": len(items) if hits is None else hits,
                       "request": {"id": PATCHELL, "source": "MED", "page": page},
                       "citationList": {"citation": items}})


#: What Europe PMC lists as citing Patchell 2005 in these tests: Berenson 2011 (which the
#: E-utilities stand-in serves), a later article it does not, and a preprint.
LISTED = [item("99999990", 2021, "Separation surgery for metastatic epidural spinal cord "
               "compression"),
          item("PPR123456", 2023, "A preprint on SBRT after separation surgery",
               source="PPR"),
          item("21333599", 2011, "Balloon kyphoplasty versus non-surgical fracture "
               "management")]


@pytest.fixture
def client() -> HttpClient:
    return HttpClient(Settings().with_env(), sleep=lambda _s: None)


def test_the_recorded_citations_reply_is_read_oldest_first(fixtures_dir: Path) -> None:
    raw = json.loads((fixtures_dir / "europepmc" / EPMC_CITATIONS).read_text())
    found = parse_citing(raw)
    assert (found.total, len(found.works), found.cut) == (23, 23, False)
    years = [w.year for w in found.works]
    assert years == sorted(years) and (years[0], years[-1]) == (2007, 2012)
    assert {w.pmid for w in found.works} == {i["id"] for i in raw["citationList"]["citation"]}
    first = found.works[0]
    assert (first.pmid, first.cited_by, first.source) == ("17275915", 16, "MED")
    assert first.title == ("Leptin: at the crossroads of energy balance and systemic "
                           "inflammation")
    assert first.citation == ("Steiner AA, Romanovsky AA. Leptin: at the crossroads of energy "
                              "balance and systemic inflammation. Prog. Lipid Res. "
                              "2007;46(2):89-107.")
    assert first.identifier() == Identifier("pmid", "17275915")


def test_pages_are_followed_and_a_work_on_two_pages_is_listed_once(client: HttpClient) -> None:
    pages = {"1": reply(LISTED[:2], hits=3), "2": reply(LISTED[1:], hits=3, page=2)}
    with responses.RequestsMock() as rsps:
        rsps.add_callback(responses.GET, CITATIONS, callback=lambda r: (
            200, {}, pages[parse_qs(urlsplit(r.url).query)["page"][0]]))
        found = fetch_citing(client, EuropePmcId.of(Identifier("pmid", PATCHELL)))
        asked = [parse_qs(urlsplit(c.request.url).query) for c in rsps.calls]
    assert [(q["page"], q["pageSize"], q["format"]) for q in asked] == [
        (["1"], ["1000"], ["json"]), (["2"], ["1000"], ["json"])]
    assert [(w.year, w.pmid, w.source_id) for w in found.works] == [
        (2011, "21333599", "21333599"), (2021, "99999990", "99999990"),
        (2023, "", "PPR123456")]
    assert found.works[2].identifier() is None and found.total == 3


def test_a_pmc_article_is_asked_by_its_pmcid_and_an_unknown_one_has_none(
        client: HttpClient) -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(f"{EUROPEPMC}/PMC/PMC1762313/citations", status=404, json={})
        found = fetch_citing(client, EuropePmcId.of(Identifier("pmcid", "PMC1762313")))
    assert found.works == [] and found.total == 0
    with responses.RequestsMock() as rsps:
        rsps.get(CITATIONS, body="<html>Service unavailable</html>",
                 content_type="text/html")
        with pytest.raises(ServiceError, match="Europe PMC .articles citing PMID 16112300"):
            fetch_citing(client, EuropePmcId.of(Identifier("pmid", PATCHELL)))
    with pytest.raises(ValueError, match="by PMID or PMCID"):
        EuropePmcId.of(Identifier("doi", "10.1000/x"))


def _library(path: Path) -> tuple[Library, int]:
    """Patchell 2005 and, already held, the 2021 paper citing it (by its DOI only) and one
    in the trash."""
    lib = Library.open(path)
    patchell = lib.articles.add_record(make_record()).article_id
    lib.articles.add_record(make_record(pmid="", doi="10.1097/brs.0000000000009999",
                                        title="Separation surgery for MESCC"))
    trashed = lib.articles.add_record(make_record(pmid="21333599", doi="",
                                                  title="Balloon kyphoplasty"))
    lib.articles.delete([trashed.article_id])
    return lib, patchell


def test_the_library_marks_what_it_holds_and_imports_the_rest(tmp_path: Path,
                                                             client: HttpClient) -> None:
    listed = [dict(LISTED[0], doi="10.1097/BRS.0000000000009999"), *LISTED[1:]]
    lib, patchell = _library(tmp_path / "lib.sqlite")
    with lib, responses.RequestsMock() as rsps:
        rsps.get(CITATIONS, body=reply(listed))
        search = find_citing(lib, patchell, client)
        assert str(search.asked) == "PMID 16112300"
        assert [(e.number, e.work.year) for e in search.entries] == [
            (1, 2011), (2, 2021), (3, 2023)]
        held = [e.held for e in search.entries]
        assert held[0] is not None and held[0].trashed  # in the trash: not "in your library"
        assert held[1] is not None and not held[1].trashed and held[2] is None
        assert search.summary() == (
            "Europe PMC lists 3 articles citing this one, 1 in your library; 1 without a "
            "PMID or DOI cannot be imported (preprints and other sources)")
        idents, problems = citing_identifiers(search, None)
        assert idents == [] and [p.given for p in problems] == ["citing article 3"]
        assert "Europe PMC gives no PMID or DOI for it (PPR PPR123456)" in problems[0].message
        idents, problems = citing_identifiers(search, [1, 2, 9])
        assert idents == [Identifier("pmid", "21333599"), Identifier("pmid", "99999990")]
        assert [(p.given, p.message) for p in problems] == [
            ("citing article 9", "the listing has 3 articles")]


def test_a_doi_only_article_is_asked_by_the_pmid_europe_pmc_gives_it(
        tmp_path: Path, client: HttpClient) -> None:
    hit = {"hitCount": 1, "resultList": {"result": [
        {"id": "30000001", "source": "MED", "pmid": "30000001",
         "doi": "10.3171/2019.1.SPINE181234", "title": "Separation surgery"}]}}
    with Library.open(tmp_path / "lib.sqlite") as lib, responses.RequestsMock() as rsps:
        aid = lib.articles.add_record(
            make_record(pmid="", doi="10.3171/2019.1.spine181234")).article_id
        rsps.get(f"{EUROPEPMC}/search", json=hit)
        rsps.get(f"{EUROPEPMC}/MED/30000001/citations", body=reply(LISTED[:1]))
        search = find_citing(lib, aid, client)
        assert str(search.asked) == "PMID 30000001" and len(search.entries) == 1
        assert parse_qs(urlsplit(rsps.calls[0].request.url).query)["query"] == [
            'DOI:"10.3171/2019.1.spine181234"']
        # Europe PMC's hit for another DOI is not taken.
        rsps.replace(responses.GET, f"{EUROPEPMC}/search", json={
            "hitCount": 1, "resultList": {"result": [dict(hit["resultList"]["result"][0],
                                                           doi="10.3171/other")]}})
        with pytest.raises(NotFound, match="Europe PMC does not index DOI "
                                           r"10\.3171/2019\.1\.spine181234"):
            find_citing(lib, aid, client)
        # A DOI Europe PMC holds as a preprint: its citations are asked by the preprint's id.
        rsps.replace(responses.GET, f"{EUROPEPMC}/search", json={
            "hitCount": 1, "resultList": {"result": [
                {"id": "PPR555", "source": "PPR", "doi": "10.3171/2019.1.SPINE181234"}]}})
        rsps.get(f"{EUROPEPMC}/PPR/PPR555/citations", body=reply(LISTED[2:]))
        search = find_citing(lib, aid, client)
        assert str(search.asked) == "Europe PMC PPR PPR555" and len(search.entries) == 1
        calls = len(rsps.calls)
        # A DOI with a quote in it cannot be put in the search's quoted phrase: not asked.
        quoted = lib.articles.add_record(make_record(pmid="", doi='10.1002/(sici)"x"',
                                                    title="An old Wiley paper"))
        with pytest.raises(NotFound, match="does not index DOI"):
            find_citing(lib, quoted.article_id, client)
        bare = lib.articles.add_record(make_record(pmid="", doi="",
                                                  title="A letter with no identifier"))
        with pytest.raises(SpineLibError, match="has none of them"):
            find_citing(lib, bare.article_id, client)
        assert len(rsps.calls) == calls  # the article without identifiers asked nothing


def _served(rsps: responses.RequestsMock, listed: list[dict[str, object]]) -> None:
    for method in (responses.GET, responses.POST):
        rsps.add_callback(method, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                          callback=efetch)
    rsps.get(CITATIONS, body=reply(listed))
    rsps.get(re.compile(re.escape(EUROPEPMC) + r"/MED/\d+/references.*"),
             json={"version": "6.9", "hitCount": 0, "referenceList": {"reference": []}})


def test_the_citing_command_lists_and_imports(tmp_path: Path, fast_settings: None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _served(rsps, LISTED)
        assert cli(capsys, lib, "import", PATCHELL, "--no-refs")[0] == 0
        code, out, _err = cli(capsys, lib, "citing", "patchell2005direct")
        assert code == 0
        lines = out.splitlines()
        assert lines[0].startswith("     1. Laufer I, Bilsky MH. Balloon kyphoplasty versus ")
        assert lines[0].endswith("Spine. 2011;40(2):100-110.  [PMID 21333599] cited by 7")
        assert lines[2].startswith("     3. ") and lines[2].endswith(
            "[Europe PMC PPR123456: no PMID or DOI] cited by 7")  # the preprint
        assert lines[4].startswith("Europe PMC lists 3 articles citing this one, 0 in your "
                                   "library; 1 without a PMID or DOI")
        assert lines[5].startswith("oldest first, marked ● when in your library; import with: "
                                   "spinelib citing patchell2005direct --import N")
        assert lines[6] == ("(the ones to come, in the inbox: spinelib watch citing "
                            "patchell2005direct)")
        code, out, _err = cli(capsys, lib, "citing", "patchell2005direct", "--since", "2020",
                              "--json")
        shown = json.loads(out)
        assert shown["asked"] == "PMID 16112300" and shown["total"] == 3
        assert [(c["number"], c["pmid"], c["in_library"]) for c in shown["citing"]] == [
            (2, "99999990", False), (3, "", False)]
        # --all with --since: only those from that year on (here the preprint alone).
        code, out, err = cli(capsys, lib, "citing", "patchell2005direct", "--all", "--since",
                             "2022")
        assert code == 1 and "citing article 3: failed" in err and "99999990" not in err
        assert cli(capsys, lib, "lists", "create", "MESCC")[0] == 0
        code, out, err = cli(capsys, lib, "citing", "patchell2005direct", "--all",
                             "--list", "mescc")
        assert code == 1  # the preprint, and the PMID PubMed does not serve, fail
        assert "imported as berenson2011balloon" in out
        assert "citing article 3: failed (Europe PMC gives no PMID or DOI" in err
        assert "99999990" in err
        code, out, _err = cli(capsys, lib, "citing", "patchell2005direct")
        assert out.splitlines()[0].startswith("●    1. ") and out.splitlines()[0].endswith(
            "[PMID 21333599] cited by 7  (berenson2011balloon)")
    with Library.open(lib) as library:
        assert [library.articles.citekey(i) for i in library.lists.items("MESCC")] == [
            "berenson2011balloon"]


def test_offline_the_citing_command_says_so_and_changes_nothing(
        tmp_path: Path, fast_settings: None, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _served(rsps, LISTED)
        cli(capsys, lib, "import", PATCHELL, "--no-refs")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, re.compile(r".*"), body=requests.ConnectionError("offline"))
        code, out, err = cli(capsys, lib, "citing", "patchell2005direct", "--all")
    assert code == 1 and out == ""
    assert err.startswith("spinelib: ") and "Europe PMC" in err
    with Library.open(lib) as library:
        assert library.search.count() == 1
    code, _out, err = cli(capsys, lib, "citing", "patchell2005direct", "--list", "nowhere",
                          "--all")
    assert code == 1 and "nowhere" in err  # refused before asking anything
