"""PubMed's similar articles (spinelib/sources/pubmed_similar.py, spinelib/similararticles.py,
``spinelib similar``): the recorded elink and esummary replies read in their real shapes,
the neighbours read best score first, several key papers' lists joined (the most shared
first, a chosen article never listed), a DOI-only article asked by the PMID PubMed files it
under, one without identifiers named, and the chosen ones imported through the ordinary
identifier import. Every request is served by ``responses``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.errors import ServiceError
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.similararticles import find_similar_across
from spinelib.sources.http import HttpClient
from spinelib.sources.pubmed_similar import fetch_similar, parse_similar
from spinelib.sources.pubmed_summaries import fetch_summaries, parse_summaries
from tests.core.helpers import make_record
from tests.core.test_import_pipeline import EUTILS, cli, efetch, fast_settings

__all__ = ["fast_settings"]  # a fixture, used by name

PATCHELL, BILSKY = "16112300", "20212291"
ELINK = re.compile(re.escape(EUTILS) + r"/elink\.fcgi.*")
ESUMMARY = re.compile(re.escape(EUTILS) + r"/esummary\.fcgi.*")
ESEARCH = re.compile(re.escape(EUTILS) + r"/esearch\.fcgi.*")
HEAD = ('<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD '
        'elink 20101123//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n')


def elink_reply(pmid: str, scored: list[tuple[str, int]]) -> str:
    """An elink ``cmd=neighbor_score`` reply: the article itself first, then its
    neighbours with their scores (the shape of the recorded reply, scores added)."""
    links = "".join(f"<Link><Id>{p}</Id><Score>{s}</Score></Link>"
                    for p, s in [(pmid, 99999999), *scored])
    return (HEAD + f"<eLinkResult><LinkSet><DbFrom>pubmed</DbFrom><IdList><Id>{pmid}</Id>"
            "</IdList><LinkSetDb><DbTo>pubmed</DbTo><LinkName>pubmed_pubmed</LinkName>"
            f"{links}</LinkSetDb><LinkSetDb><DbTo>pubmed</DbTo><LinkName>pubmed_pubmed_"
            "reviews</LinkName><Link><Id>11111111</Id><Score>5</Score></Link></LinkSetDb>"
            "</LinkSet></eLinkResult>")


#: What esummary says of the neighbours in these tests (as the recorded reply spells them).
SUMMARIES = {
    "21333599": ("Balloon kyphoplasty versus non-surgical fracture management.",
                 ["Berenson J", "Pflugmacher R"], "Lancet Oncol", "2011 Mar",
                 "10.1016/S1470-2045(11)70008-0"),
    "23709750": ("The NOMS framework: approach to the treatment of spinal metastatic "
                 "tumors.", ["Laufer I", "Rubin DG", "Lis E", "Cox BW", "Stubblefield MD",
                             "Yamada Y", "Bilsky MH"], "Oncologist", "2013", ""),
    "34126044": ("Stereotactic body radiotherapy versus conventional external beam "
                 "radiotherapy.", ["Sahgal A"], "Lancet Oncol", "2021 Jul", ""),
}


def esummary(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
    ids = parse_qs(body)["id"][0].split(",")
    result: dict[str, object] = {"uids": [i for i in ids if i in SUMMARIES]}
    for pmid in ids:
        if pmid not in SUMMARIES:
            continue
        title, names, source, date, doi = SUMMARIES[pmid]
        result[pmid] = {
            "uid": pmid, "pubdate": date, "source": source, "title": title,
            "authors": [{"name": n, "authtype": "Author", "clusterid": ""} for n in names],
            "volume": "18", "issue": "6", "pages": "744-51",
            "articleids": [{"idtype": "pubmed", "idtypen": 1, "value": pmid},
                           *([{"idtype": "doi", "idtypen": 3, "value": doi}] if doi else [])]}
    return 200, {}, json.dumps({"header": {"type": "esummary", "version": "0.3"},
                                "result": result})


@pytest.fixture
def client() -> HttpClient:
    return HttpClient(Settings().with_env(), sleep=lambda _s: None)


def test_the_recorded_elink_reply_gives_the_neighbours_in_order(fixtures_dir: Path) -> None:
    raw = (fixtures_dir / "pubmed" / "biopython_elink1.xml").read_bytes()
    similar = parse_similar(raw, "9298984")
    # pubmed_pubmed only (not _citedin, _refs, _reviews…), the article itself left out, the
    # order given kept (this reply has no scores).
    assert len(similar) == 100 and "9298984" not in similar
    assert similar[:3] == ["8794856", "9700164", "7914521"]
    scored = parse_similar(elink_reply("1", [("30", 10), ("20", 70), ("10", 40)]).encode(),
                           "1")
    assert scored == ["20", "10", "30"]  # best score first; the _reviews link not taken


def test_the_recorded_esummary_reply_gives_a_citation(fixtures_dir: Path) -> None:
    raw = (fixtures_dir / "pubmed" / "ualib_esummary_27933103.json").read_bytes()
    [summary] = parse_summaries(raw).values()
    assert (summary.pmid, summary.year, summary.doi, summary.pmcid) == (
        "27933103", 2016, "10.1186/s13321-016-0181-z", "PMC5122160")
    assert summary.citation == (
        "Scalfani VF, Williams AJ, Tkachenko V, Karapetyan K, Pshenichnov A, Hanson RM, et al. "
        "Programmatic conversion of crystal structures into 3D printable files using Jmol. "
        "J Cheminform. 2016;8:66.")


def test_error_replies_are_said(client: HttpClient) -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(ELINK, body=HEAD + "<eLinkResult><ERROR>Invalid uid 0</ERROR></eLinkResult>")
        with pytest.raises(ServiceError, match="similar-articles lookup failed: Invalid uid"):
            fetch_similar(client, PATCHELL)
        rsps.post(ESUMMARY, json={"error": "Invalid uid 0 at position=0"})
        with pytest.raises(ServiceError, match="summary answer has no result: Invalid uid"):
            fetch_summaries(client, ["0"])
        rsps.replace(responses.GET, ELINK, body="<html>Service unavailable</html>")
        with pytest.raises(ServiceError, match="not <eLinkResult>|not well-formed"):
            fetch_similar(client, PATCHELL)
    with pytest.raises(ValueError, match="is not a PMID"):
        fetch_similar(client, "not-a-pmid")


def _serve(rsps: responses.RequestsMock, lists: dict[str, list[tuple[str, int]]]) -> None:
    rsps.add_callback(responses.GET, ELINK, callback=lambda r: (200, {}, elink_reply(
        pid := parse_qs(urlsplit(r.url).query)["id"][0], lists.get(pid, []))))
    rsps.add_callback(responses.POST, ESUMMARY, callback=esummary)


def _library(path: Path) -> tuple[Library, int, int, int]:
    """Patchell 2005 (a PMID), Bilsky 2010 held by its DOI only, a letter with neither, and
    the NOMS paper (one of the neighbours) already held."""
    lib = Library.open(path)
    patchell = lib.articles.add_record(make_record()).article_id
    bilsky = lib.articles.add_record(make_record(
        pmid="", doi="10.3171/2010.3.spine09459", title="Reliability analysis of the "
        "epidural spinal cord compression scale")).article_id
    letter = lib.articles.add_record(make_record(pmid="", doi="", title="A letter")).article_id
    lib.articles.add_record(make_record(pmid="23709750", doi="", title="The NOMS framework"))
    return lib, patchell, bilsky, letter


def test_several_key_papers_most_shared_first(tmp_path: Path, client: HttpClient) -> None:
    lib, patchell, bilsky, letter = _library(tmp_path / "lib.sqlite")
    lists = {PATCHELL: [("34126044", 900), ("23709750", 800), ("21333599", 700),
                        (BILSKY, 650), ("99999999", 600)],
             BILSKY: [("21333599", 500), ("23709750", 400)]}
    with lib, responses.RequestsMock() as rsps:
        _serve(rsps, lists)
        rsps.get(ESEARCH, json={"esearchresult": {"count": "1", "idlist": [BILSKY]}})
        shared = find_similar_across(lib, [patchell, bilsky, letter], client)
        # Shared by both first (Berenson, PubMed's best place 0 on Bilsky's list, before the
        # NOMS paper's 1), then Sahgal; Bilsky's own paper (chosen) and a PMID esummary
        # does not know (withdrawn) are not listed.
        assert [(w.number, w.pmid, len(w.among)) for w in shared.works] == [
            (1, "21333599", 2), (2, "23709750", 2), (3, "34126044", 1)]
        assert shared.works[1].in_library and not shared.works[0].in_library
        assert shared.works[0].doi == "10.1016/s1470-2045(11)70008-0"
        assert shared.works[1].citation.startswith(
            "Laufer I, Rubin DG, Lis E, Cox BW, Stubblefield MD, Yamada Y, et al. The NOMS")
        assert shared.unasked == (letter,)
        assert shared.summary() == (
            "PubMed lists 3 articles similar to 2 of them, 2 similar to two or more, 1 in "
            "your library (not asked about: patchell2005letter, no PMID or DOI)")
        # One esearch for the DOI-only article, an elink each, one esummary for the union.
        kinds = [urlsplit(c.request.url).path.rsplit("/", 1)[-1] for c in rsps.calls]
        assert kinds == ["elink.fcgi", "esearch.fcgi", "elink.fcgi", "esummary.fcgi"]
        asked = parse_qs(urlsplit(rsps.calls[0].request.url).query)
        assert (asked["linkname"], asked["cmd"]) == (["pubmed_pubmed"], ["neighbor_score"])


def test_cli_lists_and_imports(tmp_path: Path, fast_settings: None,
                               capsys: pytest.CaptureFixture[str]) -> None:
    lib, _patchell, _bilsky, _letter = _library(tmp_path / "lib.sqlite")
    lib.close()
    path = tmp_path / "lib.sqlite"
    lists = {PATCHELL: [("34126044", 900), ("23709750", 800), ("21333599", 700)]}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, lists)
        for method in (responses.GET, responses.POST):
            rsps.add_callback(method, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                              callback=efetch)
        rsps.get(re.compile(r"http://127\.0\.0\.1:9/europepmc/.*"), json={
            "version": "6.9", "hitCount": 0, "referenceList": {"reference": []}})
        code, out, _err = cli(capsys, path, "similar", "patchell2005direct")
        assert code == 0
        lines = out.splitlines()
        assert lines[0].startswith("     1. Sahgal A. Stereotactic body radiotherapy")
        assert lines[1].startswith("●    2. Laufer I, Rubin DG")
        assert lines[4] == "PubMed lists 3 articles similar to it, 1 in your library (marked ●)"
        # One KEY: no --shared to offer (it takes several).
        assert lines[5] == ("import with: spinelib similar patchell2005direct --import N "
                            "[N ...] (or --all: every one not in your library)")
        code, out, _err = cli(capsys, path, "similar", "patchell2005direct", "--json")
        listed = json.loads(out)
        assert [(w["number"], w["pmid"], w["year"], w["similar_to"], w["key"])
                for w in listed][:2] == [(1, "34126044", 2021, ["patchell2005direct"], None),
                                         (2, "23709750", 2013, ["patchell2005direct"],
                                          "patchell2005noms")]
        # Only the recent ones, numbered as in the whole list.
        code, out, _err = cli(capsys, path, "similar", "patchell2005direct", "--since", "2015")
        assert code == 0 and out.splitlines()[0].startswith("     1. Sahgal A.")
        assert "Laufer I" not in out and "Berenson" not in out
        assert "listed: those from 2015 on (numbered as in the whole list)" in out
        code, out, err = cli(capsys, path, "similar", "patchell2005direct", "--import", "3")
        assert code == 0, err
    with Library.open(path) as reopened:
        assert reopened.articles.resolve_key("21333599")
    code, _out, err = cli(capsys, path, "similar", "patchell2005letter")
    assert code == 1 and "PubMed finds similar articles by PMID or DOI: patchell2005letter, no " \
                         "PMID or DOI" in err
    code, _out, err = cli(capsys, path, "similar", "patchell2005direct", "--shared", "2")
    assert code == 2 and "give two or more" in err
    with responses.RequestsMock() as rsps:
        rsps.get(ELINK, body=requests.ConnectionError("offline"))
        code, _out, err = cli(capsys, path, "similar", "patchell2005direct")
    assert code == 1 and "cannot reach" in err.lower()
