"""The articles citing several of the library's at once (spinelib/citingacross.py,
``spinelib citing KEY KEY …``): Europe PMC asked about each (served by ``responses`` in the
citations reply's real shape), a work citing several of them counted once with those it
cites, the most shared first, then newest first; an article that cannot be asked about
named while the others are; the shared ones imported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
import responses

from spinelib.citingacross import find_citing_across
from spinelib.errors import NetworkError
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.sharedrefs import shared_identifiers
from spinelib.sources.http import HttpClient
from tests.core.helpers import make_record
from tests.core.test_citing_articles import item, reply
from tests.core.test_import_pipeline import EUROPEPMC, EUTILS, cli, efetch, fast_settings

__all__ = ["fast_settings"]  # a fixture, used by name

BILSKY = "20809724"
#: Europe PMC's citing articles of Patchell 2005 and of Bilsky 2010: Berenson 2011 cites
#: both; the others one each (a preprint among them).
CITING = {
    "16112300": [item("21333599", 2011, "Balloon kyphoplasty versus non-surgical care"),
                 item("PPR123456", 2023, "A preprint on SBRT", source="PPR")],
    BILSKY: [item("31000001", 2019, "SBRT for renal cell carcinoma metastases",
                  doi="10.1016/j.ijrobp.x1"),
             item("21333599", 2011, "Balloon kyphoplasty versus non-surgical care")],
}


def _europepmc(rsps: responses.RequestsMock) -> None:
    for pmid, items in CITING.items():
        rsps.get(f"{EUROPEPMC}/MED/{pmid}/citations", body=reply(items))
    rsps.get(f"{EUROPEPMC}/search", json={"hitCount": 0, "resultList": {"result": []}})


def _library(path: Path) -> tuple[Library, list[int]]:
    lib = Library.open(path)
    records = [make_record(),
               make_record(pmid=BILSKY, doi="10.3171/2010.3.spine09459",
                           title="Reliability analysis of the ESCC scale"),
               make_record(pmid="", doi="10.9999/unknown.to.europepmc", title="A DOI only"),
               make_record(pmid="", doi="", title="A letter with no identifier")]
    return lib, [lib.articles.add_record(r).article_id for r in records]


def test_citing_several_counted_once_the_most_shared_first(tmp_path: Path) -> None:
    lib, ids = _library(tmp_path / "lib.sqlite")
    client = HttpClient(Settings().with_env(), sleep=lambda _s: None)
    progress: list[tuple[int, int]] = []
    with lib, responses.RequestsMock() as rsps:
        _europepmc(rsps)
        shared = find_citing_across(lib, ids, client,
                                    progress=lambda done, n: progress.append((done, n)))
        assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
        assert [(w.pmid, len(w.among), w.year) for w in shared.works] == [
            ("21333599", 2, 2011), ("", 1, 2023), ("31000001", 1, 2019)]
        assert shared.works[0].among == (ids[0], ids[1])
        assert shared.works[2].doi == "10.1016/j.ijrobp.x1"
        assert shared.unasked == (ids[2], ids[3])
        assert shared.summary() == (
            "Europe PMC lists 3 articles citing 2 of them, 1 citing two or more, 0 in your "
            f"library (not asked about: {lib.articles.citekey(ids[2])}, a DOI Europe PMC does "
            f"not index; {lib.articles.citekey(ids[3])}, no PMID, PMCID or DOI)")
        idents, problems = shared_identifiers(shared, None, at_least=2)
        assert [str(i) for i in idents] == ["PMID 21333599"] and problems == []
        _idents, problems = shared_identifiers(shared, [2])
        assert [p.given for p in problems] == ["citing article 2"]


def test_a_cancel_leaves_the_articles_not_asked_yet(tmp_path: Path) -> None:
    lib, ids = _library(tmp_path / "lib.sqlite")
    client = HttpClient(Settings().with_env(), sleep=lambda _s: None)
    asked: list[int] = []
    with lib, responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _europepmc(rsps)
        shared = find_citing_across(lib, ids, client,
                                    progress=lambda done, _n: asked.append(done),
                                    cancelled=lambda: len(asked) >= 1)
        assert asked == [1] and len(rsps.calls) == 1  # Patchell's list, nothing more
        assert {w.pmid for w in shared.works} == {"21333599", ""}


def test_a_network_failure_ends_the_search(tmp_path: Path) -> None:
    lib, ids = _library(tmp_path / "lib.sqlite")
    client = HttpClient(Settings(max_retries=0).with_env(), sleep=lambda _s: None)
    with lib, responses.RequestsMock() as rsps:
        rsps.get(re.compile(re.escape(EUROPEPMC) + r"/.*"),
                 body=requests.ConnectionError("no route to host"))
        with pytest.raises(NetworkError):
            find_citing_across(lib, ids[:2], client)


def test_the_citing_command_with_several_keys(tmp_path: Path, fast_settings: None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.sqlite"
    lib, _ids = _library(path)
    lib.close()
    keys = ["patchell2005direct", "patchell2005reliability"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _europepmc(rsps)
        for method in (responses.GET, responses.POST):
            rsps.add_callback(method, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                              callback=efetch)
        rsps.get(re.compile(re.escape(EUROPEPMC) + r"/MED/\d+/references.*"),
                 json={"version": "6.9", "hitCount": 0, "referenceList": {"reference": []}})
        code, out, _err = cli(capsys, path, "citing", *keys)
        assert code == 0
        lines = out.splitlines()
        assert lines[0].startswith("     1. ×2 Laufer I, Bilsky MH. Balloon kyphoplasty")
        assert lines[0].endswith("[PMID 21333599] cited by 7")
        assert lines[4] == ("Europe PMC lists 3 articles citing 2 of them, 1 citing two or "
                            "more, 0 in your library (marked ●; ×N: citing N of the 2)")
        shown = json.loads(cli(capsys, path, "citing", *keys, "--shared", "2", "--json")[1])
        assert [(w["number"], w["year"], w["cites"]) for w in shown] == [(1, 2011, keys)]
        since = json.loads(cli(capsys, path, "citing", *keys, "--since", "2015", "--json")[1])
        assert [w["year"] for w in since] == [2023, 2019]
        code, out, err = cli(capsys, path, "citing", *keys, "--all", "--shared", "2")
        assert code == 0, err
        assert "imported as berenson2011balloon" in out
        code, out, _err = cli(capsys, path, "citing", *keys)
        assert out.splitlines()[0].startswith("●    1. ×2 ")
    code, _out, err = cli(capsys, path, "citing", keys[0], "--shared", "2")
    assert code == 2 and "give two or more" in err
