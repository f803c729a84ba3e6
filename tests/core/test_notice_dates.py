"""PubMed-only retraction notices get a date (issue 17): from the notice's RefSource
citation, and better from the notice's own PubMed record, fetched in one more batch.

The notice record served is the real efetch reply /work/shared/fixtures/pubmed/
metapub_38833988.xml (a published notice: ``ArticleDate`` Electronic 2024-06-03, ``PubDate``
2024 Aug, its DOI in ``ArticleIdList``); the flagged article's record is in efetch's shape
with ``CommentsCorrections RefType="RetractionIn"`` naming that notice.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import responses

from spinelib.cli import main
from spinelib.formats.pubmed_notices import notice_records, parse_notices, refsource_date
from spinelib.library import Library

from .helpers import make_record

CSV = Path(__file__).resolve().parent.parent / "data" / "retraction_watch_30.csv"
EFETCH = "http://127.0.0.1:9/eutils/efetch.fcgi"
REFSOURCE = ("Biochim Biophys Acta Mol Cell Res. 2024 Aug;1871(6):119767. "
             "doi: 10.1016/j.bbamcr.2024.119767.")
ORIGINAL = f"""<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">31234567</PMID><Article PubModel="Print"><ArticleTitle>Flagged</ArticleTitle>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>
<PublicationType UI="D016441">Retracted Publication</PublicationType></PublicationTypeList>
</Article><CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn">
<RefSource>{REFSOURCE}</RefSource><PMID Version="1">38833988</PMID></CommentsCorrections>
</CommentsCorrectionsList></MedlineCitation></PubmedArticle></PubmedArticleSet>""".encode()


def test_refsource_dates_in_their_real_forms() -> None:
    assert refsource_date(REFSOURCE) == "2024-08-01"  # month only: its first day
    assert refsource_date("Spine (Phila Pa 1976). 2024 Jan 1;49(1):E1") == "2024-01-01"
    assert refsource_date("Cancer. 2020 Jul 15;126(14):3360. doi: 10.1002/cncr.3.") == \
        "2020-07-15"
    assert refsource_date("Spine J. 2019 Nov-Dec;19(11):1") == "2019-11-01"
    assert refsource_date("Sci Rep. 2023;13:1") is None  # a year alone is no date
    assert refsource_date("Nature. 2010 Feb 30;1:2") == "2010-02-01"  # no such day
    assert refsource_date("") is None
    [notice] = parse_notices(ORIGINAL)["31234567"]
    assert notice.date == "2024-08-01" and "notice PMID 38833988" in notice.reasons


def test_notice_records_take_the_electronic_date(fixtures_dir: Path) -> None:
    real = (fixtures_dir / "pubmed" / "metapub_38833988.xml").read_bytes()
    [(pmid, found)] = notice_records(real).items()
    assert (pmid, found.date, found.doi) == ("38833988", "2024-06-03",
                                             "10.1016/j.bbamcr.2024.119767")
    two = notice_records((fixtures_dir / "pubmed" / "biopython_pubmed1.xml").read_bytes())
    assert two["12091962"].date is None  # PubDate "Spring": no month, no date
    assert two["9997"].date == "1976-09-28"


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([make_record(title="Flagged", pmid="31234567", doi="",
                                              references=[])])
    return path


def _update(libpath: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code = main(["--library", str(libpath), "retractions", "update", "--from", str(CSV)])
    out, err = capsys.readouterr()
    assert code == 0, err
    main(["--library", str(libpath), "show", "31234567", "--json"])
    retraction = json.loads(capsys.readouterr().out)["retraction"]
    assert isinstance(retraction, dict)
    return retraction


@responses.activate
def test_pubmed_notice_dated_from_its_own_record(libpath: Path, fixtures_dir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    responses.add(responses.POST, EFETCH, body=ORIGINAL, content_type="text/xml")
    responses.add(responses.POST, EFETCH, content_type="text/xml",
                  body=(fixtures_dir / "pubmed" / "metapub_38833988.xml").read_bytes())
    retraction = _update(libpath, capsys)
    assert retraction["nature"] == "Retraction" and retraction["source"] == "pubmed"
    assert retraction["date"] == "2024-06-03"
    assert retraction["notice_doi"] == "10.1016/j.bbamcr.2024.119767"
    calls = [parse_qs(str(c.request.body))["id"] for c in responses.calls]
    assert calls == [["31234567"], ["38833988"]]  # one batch of notices, nothing more


@responses.activate
def test_notice_record_unreachable_keeps_the_refsource_date(
        libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    responses.add(responses.POST, EFETCH, body=ORIGINAL, content_type="text/xml")
    responses.add(responses.POST, EFETCH, status=503, headers={"Retry-After": "0"})
    retraction = _update(libpath, capsys)
    assert retraction["date"] == "2024-08-01" and retraction["notice_doi"] is None


@responses.activate
def test_import_keeps_the_notice_pubmeds_reply_carried(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Imported from PubMed, a retracted article is flagged with the notice its record
    names, dated from the RefSource, without a retraction check or an extra request."""
    responses.add(responses.GET, EFETCH, body=ORIGINAL, content_type="text/xml")
    lib = str(tmp_path / "lib.sqlite")
    assert main(["--library", lib, "import", "31234567", "--no-refs"]) == 0
    capsys.readouterr()
    main(["--library", lib, "show", "31234567", "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["retracted"] is True
    assert shown["retraction"] == {
        "nature": "Retraction", "date": "2024-08-01", "source": "pubmed", "notice_doi": None,
        "reasons": [REFSOURCE, "notice PMID 38833988"]}
    assert len(responses.calls) == 1
    main(["--library", lib, "retractions", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["flagged"] == [{"key": shown["citekey"], "nature": "Retraction",
                                  "date": "2024-08-01"}]
