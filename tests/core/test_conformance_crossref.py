"""Conformance with real recorded replies (read in place from the shared fixtures).

Each check is what /work/shared/fixtures/PROVENANCE.md says the recording shows. Cassettes
(VCR YAML) are replayed through ``responses`` into the real HttpClient, so the code path is
the one a user's request takes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import responses
import yaml  # PyYAML: a dependency of `responses`, so present wherever the tests run

from spinelib.errors import NotFound
from spinelib.formats.crossref_json import parse_work
from spinelib.records import ArticleRecord
from spinelib.settings import Settings
from spinelib.sources.crossref import fetch_work
from spinelib.sources.europepmc import (
    fetch_references,
    parse_references,
    parse_search,
    search_ext_id,
)
from spinelib.sources.http import HttpClient

HABANERO = "habanero_works_10.1371_journal.pone.0033693.body.json"
ABBOTSBURY = "abbotsbury_test2_10.1038_s43586-021-00024-3.json"
ELIFE = "commonmeta_crossref_message_10.7554_elife.01567.json"
NOT_FOUND_CASSETTE = "habanero_cassette_works_notarealdoi_404.yaml"
EPMC_CITATIONS = "lagotto_europe_pmc_citations_MED_17183631.json"


@pytest.fixture
def client() -> HttpClient:
    return HttpClient(Settings().with_env(), sleep=lambda s: None)


def _work(fixtures_dir: Path, name: str) -> ArticleRecord:
    return parse_work(_json(fixtures_dir / "crossref" / name))


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _interactions(path: Path) -> list[dict[str, Any]]:
    """The recorded interactions of a VCR cassette, Python (vcrpy) or Ruby (VCR) flavour."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("interactions") or data.get("http_interactions") or []


def _status(response: dict[str, Any]) -> int:
    return int(response["status"]["code"])


def _body(response: dict[str, Any]) -> str:
    body = response["body"]
    return body["string"] if isinstance(body, dict) else str(body)


def _content_type(response: dict[str, Any]) -> str:
    headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
    value = headers.get("content-type", ["application/octet-stream"])
    return value[0] if isinstance(value, list) else str(value)


# --------------------------------------------------------------------------- Crossref


def test_every_crossref_fixture_is_handled(fixtures_dir: Path) -> None:
    """A new file in the folder must get a check here, not be silently skipped."""
    names = sorted(p.name for p in (fixtures_dir / "crossref").iterdir() if p.is_file())
    assert names == sorted([HABANERO, ABBOTSBURY, ELIFE, NOT_FOUND_CASSETTE])
    for name in (HABANERO, ABBOTSBURY, ELIFE):
        rec = _work(fixtures_dir, name)
        raw = _json(fixtures_dir / "crossref" / name)
        message = raw.get("message", raw)
        assert rec.doi == message["DOI"].lower()
        assert rec.title and rec.authors and rec.journal and rec.year
        assert len(rec.references) == len(message["reference"])
        assert rec.source == "crossref"


def test_habanero_plos_one(fixtures_dir: Path) -> None:
    rec = _work(fixtures_dir, HABANERO)
    assert rec.title == ("Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation "
                         "of Microglia in the Basal Ganglia of Mice")
    assert rec.pages == "e33693"
    assert (rec.journal, rec.volume, rec.issue, rec.issn) == ("PLoS ONE", "7", "3", "1932-6203")
    assert (rec.year, rec.month, rec.day) == (2012, 3, 21)
    assert [a.family for a in rec.authors][:2] == ["Sadasivan", "Pond"]
    assert rec.authors[1].given == "Brooks B."
    assert len(rec.references) == 70
    assert [r.position for r in rec.references] == list(range(1, 71))
    first = rec.references[0]
    assert first.doi == "10.1038/sj.npp.1301164"
    assert first.citation == ("AF Arnsten. Stimulants: Therapeutic actions in ADHD. "
                              "Neuropsychopharmacology. 2006;31:2376.")
    # updated-by lists a PLoS correction notice (2012-05-08).
    assert rec.has_erratum and not rec.retracted


def test_abbotsbury_nature_reviews(fixtures_dir: Path) -> None:
    rec = _work(fixtures_dir, ABBOTSBURY)
    first = rec.authors[0]
    assert (first.family, first.given) == ("Kupče", "Ēriks")
    assert first.orcid == "0000-0002-2366-0269"
    assert any(a.family == "Kupče" and a.given == "Ēriks" for a in rec.authors)
    assert rec.pages == "27"  # article-number; the work has no page
    assert (rec.journal, rec.journal_abbrev) == ("Nature Reviews Methods Primers",
                                                 "Nat Rev Methods Primers")
    assert len(rec.references) == 161
    raw = _json(fixtures_dir / "crossref" / ABBOTSBURY)["message"]["reference"]
    unstructured = [i for i, r in enumerate(raw) if "unstructured" in r]
    assert unstructured  # the recording has them; each becomes the citation text as published
    for i in unstructured:
        assert rec.references[i].citation == " ".join(raw[i]["unstructured"].split())
    assert rec.references[0].citation.startswith("Tucker, T., Marra, M. & Friedman, J. M.")
    # A SICI DOI with < > ; survives normalisation.
    assert rec.references[2].doi == "10.1002/(sici)1522-2594(199911)42:5<952::aid-mrm16>3.0.co;2-s"


def test_commonmeta_elife_message_only(fixtures_dir: Path) -> None:
    raw = _json(fixtures_dir / "crossref" / ELIFE)
    assert "message" not in raw  # the file is the bare message object
    rec = parse_work(raw)
    assert raw["abstract"].startswith("<jats:p>")
    assert rec.abstract.startswith("Among various advantages, their small size makes model")
    assert rec.abstract.endswith("for example equidistant phloem pole formation.")
    assert "<" not in rec.abstract and "jats" not in rec.abstract
    assert len(rec.references) == 27
    assert rec.doi == "10.7554/elife.01567"
    assert (rec.journal, rec.volume, rec.year) == ("eLife", "3", 2014)


def test_crossref_404_cassette_is_not_found(fixtures_dir: Path, client: HttpClient) -> None:
    (interaction,) = _interactions(fixtures_dir / "crossref" / NOT_FOUND_CASSETTE)
    recorded = interaction["response"]
    assert _status(recorded) == 404
    assert _body(recorded) == "Resource not found."
    assert _content_type(recorded) == "text/plain"
    doi = interaction["request"]["uri"].split("/works/", 1)[1]
    with responses.RequestsMock() as rsps:
        rsps.get(f"{client.settings.crossref_url}/works/{doi}", status=_status(recorded),
                 body=_body(recorded), content_type=_content_type(recorded))
        with pytest.raises(NotFound, match="Crossref has no record of DOI 10.1371/notarealdoi"):
            fetch_work(client, doi)


# --------------------------------------------------------------------------- Europe PMC


def test_europepmc_citations_fixture(fixtures_dir: Path) -> None:
    raw = _json(fixtures_dir / "europepmc" / EPMC_CITATIONS)
    items = raw["citationList"]["citation"]
    assert raw["hitCount"] == 23
    refs = parse_references(raw)
    assert len(refs) == len(items) == 23
    assert [r.pmid for r in refs] == [i["id"] for i in items]  # every item is source MED
    assert refs[0].citation == (
        "Romanovsky AA, Almeida MC, Garami A, Steiner AA, Norman MH, Morrison SF, Nakamura K, "
        "Burmeister JJ, Nucci TB. The transient receptor potential vanilloid-1 channel in "
        "thermoregulation: a thermosensor it is not. Pharmacol. Rev. 2009;61(3):228-261.")
    # An item without an issue gets no "()" in its tail.
    no_issue = next(r for r in refs if r.pmid == "21196160")
    assert no_issue.citation.endswith("Front Biosci (Landmark Ed). 2011;16:74-104.")


def test_europepmc_search_not_found_cassette(fixtures_dir: Path, client: HttpClient) -> None:
    (interaction,) = _interactions(
        fixtures_dir / "europepmc" / "lagotto_cassette_search_ext_id_not_found.yml")
    body = _body(interaction["response"])
    assert parse_search(json.loads(body)) == []
    with responses.RequestsMock() as rsps:
        rsps.get(f"{client.settings.europepmc_url}/search", body=body,
                 content_type=_content_type(interaction["response"]))
        assert search_ext_id(client, "17183658") is None


def test_europepmc_search_found_cassette(fixtures_dir: Path, client: HttpClient) -> None:
    (interaction,) = _interactions(
        fixtures_dir / "europepmc" / "lagotto_cassette_search_ext_id_17183658.yml")
    body = _body(interaction["response"])
    hits = parse_search(json.loads(body))
    assert [(h["pmid"], h["pmcid"], h["doi"]) for h in hits] == [
        ("17183658", "PMC1762313", "10.1371/journal.pone.0000030")]
    with responses.RequestsMock() as rsps:
        rsps.get(f"{client.settings.europepmc_url}/search", body=body,
                 content_type=_content_type(interaction["response"]))
        hit = search_ext_id(client, "17183658")
    assert hit is not None and hit["pmcid"] == "PMC1762313"


def test_europepmc_empty_citations_cassette(fixtures_dir: Path, client: HttpClient) -> None:
    interactions = _interactions(
        fixtures_dir / "europepmc" / "lagotto_cassette_idconv_error_and_citations_empty.yml")
    citations = next(i for i in interactions if "/citations" in i["request"]["uri"])
    body = _body(citations["response"])
    assert json.loads(body)["hitCount"] == 0
    assert parse_references(json.loads(body)) == []
    # The same reply shape on the references route gives an empty list without paging on.
    with responses.RequestsMock() as rsps:
        rsps.get(f"{client.settings.europepmc_url}/MED/20098740/references", body=body,
                 content_type=_content_type(citations["response"]))
        assert fetch_references(client, "20098740") == []
        assert len(rsps.calls) == 1
