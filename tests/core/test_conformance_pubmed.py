"""Conformance: real recorded NCBI replies (shared fixtures, read in place) parse as described.

Each expectation below restates what ``fixtures/PROVENANCE.md`` says the file shows, so a
parser change that loses any of it fails here. The whole module skips, naming the path, when
the shared fixtures are not present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import responses
import yaml  # PyYAML: in the test extras

from spinelib.errors import FormatError
from spinelib.formats import pubmed_xml
from spinelib.records import ArticleRecord
from spinelib.settings import Settings
from spinelib.sources import ncbi_replies, pubmed
from spinelib.sources.http import HttpClient


def records(fixtures_dir: Path, name: str) -> list[ArticleRecord]:
    return pubmed_xml.parse_pubmed_xml((fixtures_dir / "pubmed" / name).read_bytes(), origin=name)


def one(fixtures_dir: Path, name: str) -> ArticleRecord:
    found = records(fixtures_dir, name)
    assert len(found) == 1, f"{name}: expected one article, got {len(found)}"
    return found[0]


def labels(record: ArticleRecord) -> list[str]:
    return [p.split(":", 1)[0] for p in record.abstract.split("\n\n")]


def cassette_body(path: Path, index: int = 0) -> Any:
    """The decoded JSON body of interaction ``index`` of a VCR cassette."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(data["http_interactions"][index]["response"]["body"]["string"])


# -- every file is handled --------------------------------------------------------------------

def test_every_xml_fixture_is_read_or_cleanly_refused(fixtures_dir: Path) -> None:
    files = sorted((fixtures_dir / "pubmed").glob("*.xml"))
    assert len(files) >= 11
    for path in files:
        data = path.read_bytes()
        if b"<PubmedArticleSet>" in data:
            for rec in pubmed_xml.parse_pubmed_xml(data, origin=path.name):
                assert rec.pmid and rec.title and rec.source == "pubmed", path.name
                assert "<" not in rec.title and "<mml" not in rec.abstract, path.name
        else:  # esearch / elink replies are not article sets: a plain FormatError, no crash
            with pytest.raises(FormatError, match="not a PubMed article set"):
                pubmed_xml.parse_pubmed_xml(data, origin=path.name)


# -- efetch article sets ----------------------------------------------------------------------

def test_pubmed7_references_collective_mathml(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "biopython_pubmed7.xml")
    assert rec.pmid == "29963580"
    assert (rec.journal_abbrev, rec.year, rec.month) == ("J Med Imaging (Bellingham)", 2018, 4)
    assert rec.doi == "10.1117/1.jmi.5.2.026002"   # from ELocationID, lower-cased
    assert rec.pmcid == "PMC6022861"
    assert rec.pages == "026002"
    assert len(rec.references) == 49
    assert [r.position for r in rec.references] == list(range(1, 50))
    assert all(r.citation for r in rec.references)
    assert rec.references[0].citation == "Radiology. 2015 Jan;274(1):250-9"
    assert rec.references[0].pmid == "25144646"
    assert all(r.pmid for r in rec.references)  # each reference carries its PubMed id
    assert rec.authors[-1].collective == "Canadian Respiratory Research Network"
    assert rec.authors[1].orcid == "0000-0002-4590-7461"
    # MathML isotopes read as text, no markup or layout whitespace left behind.
    assert "inhaled 3He/129Xe MRI ventilation" in rec.abstract
    assert "ultrashort echo-time 1H MRI proton density" in rec.abstract


def test_pubmed1_two_articles_season_and_doi_only_in_article_ids(fixtures_dir: Path) -> None:
    first, second = records(fixtures_dir, "biopython_pubmed1.xml")
    assert first.pmid == "12091962"
    assert (first.year, first.month) == (1990, None)  # Season "Spring" names no month
    assert first.abstract == ""
    assert first.keywords == ["Health Care and Public Health", "Legal Approach"]
    assert first.type == "review"
    assert first.pages == "113-125"
    assert len(first.mesh) == 19
    assert second.pmid == "9997"
    assert second.doi == "10.1016/0005-2795(76)90109-4"  # no ELocationID: ArticleIdList
    assert (second.year, second.month, second.day) == (1976, 9, 28)
    assert second.pages == "179-191"
    chromatium = next(m for m in second.mesh if m.ui == "D002844")
    assert chromatium.qualifiers == ["enzymology"] and chromatium.major is True


def test_spine_article_38856741(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "metapub_38856741.xml")
    assert rec.title.startswith("Remineralization Rate of Lytic Lesions of the Spine")
    assert (rec.journal_abbrev, rec.year, rec.month) == ("Global Spine J", 2025, 4)
    assert len(rec.authors) == 12
    assert [a.family for a in rec.authors[:2]] == ["Zijlstra", "Te Velde"]
    assert len(rec.references) == 45
    assert rec.references[1].doi == "10.3390/medsci9010003"
    assert (rec.doi, rec.pmcid) == ("10.1177/21925682241260651", "PMC11571351")
    assert rec.mesh == [] and len(rec.keywords) == 6
    assert "βdifference" in rec.abstract  # β<sub>difference</sub>


def test_urinalysis_guideline_38534005(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "metapub_38534005.xml")
    assert labels(rec) == ["BACKGROUND", "RECOMMENDATIONS", "MEDICAL NEEDS AND TEST REQUISITION",
                           "SPECIMEN COLLECTION", "CHEMISTRY", "PARTICLES", "BACTERIOLOGY"]
    assert "α1-microglobulin" in rec.abstract
    assert "Aerococcus urinae, A. sanguinicola and Actinotignum schaalii" in rec.abstract
    schubert = next(a for a in rec.authors if a.family == "Schubert")
    assert schubert.given == "Sören"
    assert rec.authors[-1].collective.startswith("Task and Finish Group for Urinalysis (TFG-U)")
    assert (rec.year, rec.month, rec.day) == (2024, 8, 27)
    assert rec.doi == "10.1515/cclm-2024-0070"


def test_systematic_review_38909159(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "metapub_38909159.xml")
    assert labels(rec) == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSION", "IMPACT"]
    names = {(a.family, a.given) for a in rec.authors}
    assert {("Akgün", "Gökmen"), ("Sözeri", "Betül")} <= names
    assert {"Başar", "Şahin"} <= {a.family for a in rec.authors}
    assert len(rec.references) == 43
    assert rec.type == "review"  # PublicationType "Systematic Review"
    assert len(rec.mesh) == 9
    assert rec.doi == "10.1038/s41390-024-03336-8" and rec.pmcid == "PMC11798830"


def test_published_erratum_38833988(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "metapub_38833988.xml")
    assert rec.type == "erratum"
    assert rec.publication_types == ["Published Erratum"]
    assert rec.title.startswith('Corrigendum to "MageC2 protein')
    # ErratumFor points at the corrected article; this notice itself has no erratum.
    assert rec.has_erratum is False and rec.retracted is False
    assert [a.given for a in rec.authors[:2]] == ["Franco Andrés", "María Fátima"]
    assert rec.authors[-1].given == "Martín"
    assert rec.doi == "10.1016/j.bbamcr.2024.119767"
    assert rec.abstract == ""


def test_season_range_and_doi_only_in_article_ids_23657305(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "metapub_23657305.xml")
    assert (rec.year, rec.month) == (2013, 1)  # Season "Jan-Mar"
    assert labels(rec) == ["CONTEXT", "OBJECTIVES", "METHODS", "RESULTS", "CONCLUSION"]
    assert rec.authors[0].given == "Luís" and rec.authors[4].family == "Girão"
    assert rec.doi == "10.1590/s0004-28032013000100008"  # ELocationID is pii only
    assert rec.pages == "35-41"


def test_empty_set_37909814(fixtures_dir: Path) -> None:
    assert records(fixtures_dir, "metapub_37909814.xml") == []


def test_book_article_20301577(fixtures_dir: Path) -> None:
    rec = one(fixtures_dir, "metapub_book_20301577.xml")
    assert (rec.pmid, rec.type) == ("20301577", "chapter")
    assert rec.title == "CACNA1C-Related Disorders"
    assert rec.book_title == "GeneReviews®"
    assert rec.publisher == "University of Washington, Seattle"
    # The chapter's own date (ContributionDate), not the series' first year (1993): issue 16.
    assert (rec.year, rec.month, rec.day) == (2006, 2, 15) and rec.journal == ""
    assert [a.family for a in rec.authors] == ["Napolitano", "Priori"]  # not the editors
    assert labels(rec) == ["CLINICAL CHARACTERISTICS", "DIAGNOSIS/TESTING", "MANAGEMENT",
                           "GENETIC COUNSELING"]
    assert len(rec.references) == 31
    assert rec.url == "https://www.ncbi.nlm.nih.gov/books/NBK1403/"


# -- esearch, elink, idconv -------------------------------------------------------------------

def test_esearch_xml(fixtures_dir: Path) -> None:
    result = ncbi_replies.parse_esearch((fixtures_dir / "pubmed" / "biopython_esearch1.xml").read_bytes())
    assert result.count == 63
    assert len(result.ids) == 20 and result.ids[0] == "41282813"


def test_elink_xml(fixtures_dir: Path) -> None:
    links = ncbi_replies.parse_elink((fixtures_dir / "pubmed" / "biopython_elink1.xml").read_bytes())
    assert len(links["pubmed_pubmed"]) == 101
    assert len(links["pubmed_pubmed_citedin"]) == 39
    assert len(links["pubmed_pubmed_refs"]) == 56


def test_idconv_record_with_versions(fixtures_dir: Path) -> None:
    payload = cassette_body(fixtures_dir / "pubmed" /
                            "lagotto_cassette_idconv_pmcid_with_versions.yml")
    assert ncbi_replies.parse_idconv(payload, ["PMC3292175"]) == {
        "PMC3292175": {"pmid": "22389645", "pmcid": "PMC3292175",
                       "doi": "10.3389/fendo.2012.00005"}}


def test_idconv_error_record_means_absent(fixtures_dir: Path) -> None:
    payload = cassette_body(fixtures_dir / "europepmc" /
                            "lagotto_cassette_idconv_error_and_citations_empty.yml")
    assert ncbi_replies.parse_idconv(payload, ["10.1371/journal.pone.000002"]) == {}


# -- the network functions on recorded bodies -------------------------------------------------

EUTILS = "http://eutils.test/entrez/eutils"
IDCONV = "http://idconv.test/idconv/"


def client() -> HttpClient:
    settings = Settings(email="tests@example.org", eutils_url=EUTILS, idconv_url=IDCONV)
    return HttpClient(settings, sleep=lambda s: None)


@responses.activate
def test_fetch_and_search_on_recorded_bodies(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "pubmed"
    responses.get(f"{EUTILS}/efetch.fcgi", body=(folder / "metapub_38856741.xml").read_bytes())
    responses.get(f"{EUTILS}/esearch.fcgi", body=(folder / "biopython_esearch1.xml").read_bytes())
    got = pubmed.fetch_pmids(client(), ["38856741", "37909814"])
    assert list(got) == ["38856741"]  # the PMID efetch did not serve is simply absent
    assert pubmed.search_doi(client(), "10.1000/ambiguous") is None  # 63 hits: not one


@responses.activate
def test_convert_ids_on_recorded_body(fixtures_dir: Path) -> None:
    payload = cassette_body(fixtures_dir / "pubmed" /
                            "lagotto_cassette_idconv_pmcid_with_versions.yml")
    responses.get(IDCONV, json=payload)
    assert pubmed.convert_ids(client(), ["PMC3292175"])["PMC3292175"]["pmid"] == "22389645"
