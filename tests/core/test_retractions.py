"""Retraction re-checks (issue 17): the Retraction Watch CSV, Crossref ``updated-by``,
PubMed notices, the flags ``show --json`` reports and the references that cite flagged work.

Every HTTP call is answered by ``responses`` with bodies in the services' real shapes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from spinelib.cli import main
from spinelib.errors import FormatError
from spinelib.formats.crossref_updates import parse_work_list
from spinelib.formats.pubmed_notices import parse_notices
from spinelib.formats.retraction_watch import read_rows
from spinelib.library import Library
from spinelib.records import ReferenceEntry
from spinelib.safety_results import Nature, NoticeSource

from .helpers import make_record

CSV = Path(__file__).resolve().parent.parent / "data" / "retraction_watch_30.csv"
CROSSREF = "http://127.0.0.1:9/crossref/works"
EFETCH = "http://127.0.0.1:9/eutils/efetch.fcgi"
RW_URL = "http://127.0.0.1:9/retractionwatch"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def load_offline(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 30-row CSV loaded into the library at ``libpath`` without the network (the
    set-up of the tests that read flags; its output dropped)."""
    code, _, err = run(capsys, "--library", str(libpath), "retractions", "update", "--from",
                       str(CSV), "--offline")
    assert code == 0, err


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    """Articles matching the 30-row CSV in every way it can match (see the CSV's rows)."""
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([
            make_record(title="A: separation surgery in 51 patients", pmid="31000001",
                        doi="10.1097/brs.0000000000001234", references=[
                            ReferenceEntry(1, "Cited retracted", doi="10.1000/cited.retracted.1"),
                            ReferenceEntry(2, "Clean one", doi="10.1000/clean.2"),
                            ReferenceEntry(3, "Cited concerning", pmid="22222222")]),
            make_record(title="B: vertebroplasty leakage", pmid="29000002", doi="",
                        references=[]),
            make_record(title="C: SBRT dose escalation", pmid="", references=[],
                        doi="10.1016/j.spinee.2020.05.005"),
            make_record(title="D: kyphoplasty in myeloma", pmid="", references=[],
                        doi="10.1000/kypho.2019.4"),
            make_record(title="E: clean paper", pmid="35000005", doi="10.1000/clean.e",
                        references=[ReferenceEntry(1, "Cites A", pmid="31000001"),
                                    ReferenceEntry(2, "Cites D, reinstated",
                                                   doi="10.1000/kypho.2019.4")]),
        ])
    return path


def keys(path: Path) -> dict[str, str]:
    """Title letter -> citation key."""
    with Library.open(path) as lib:
        return {r.title[0]: r.citekey for r in lib.search.rows(lib.search.ids()).values()}


# ---- the CSV --------------------------------------------------------------------------

def test_csv_rows_odd_cases_and_skipped_lines() -> None:
    skipped: list[tuple[int, str]] = []
    with open(CSV, encoding="utf-8", newline="") as fh:
        rows = list(read_rows(fh, skipped))
    # 26 good rows + a repeated Record ID; three malformed rows skipped, each by its line.
    assert len(rows) == 27
    assert [line for line, _ in skipped] == [29, 30, 31]  # file lines (a note spans two)
    assert "fields" in skipped[0][1] and "Record ID" in skipped[1][1]
    assert "RetractionNature" in skipped[2][1]
    first = rows[0]
    assert first.original_doi == "10.1097/brs.0000000000001234"  # lower-cased
    assert first.date == "2024-03-29"
    assert first.reasons == ("Concerns/Issues About Data", "Duplication of Image")
    concern = rows[1]
    assert concern.nature is Nature.CONCERN
    assert (concern.original_doi, concern.notice_doi, concern.notice_pmid) == ("", "", "")
    assert rows[5].original_doi == "10.1000/cited.retracted.1"  # a doi.org URL, capitals
    assert rows[7].title == 'Radiotherapy, "hybrid" approach'
    assert rows[8].journal.startswith("Revista Española")
    by_id = {r.record_id: r for r in rows}
    assert by_id[50013].date is None and by_id[50014].date is None  # blank, impossible


def test_a_csv_that_is_not_the_data_set_is_refused() -> None:
    with pytest.raises(FormatError, match="not the Retraction Watch data set"):
        list(read_rows(io.StringIO("Key,Title,DOI\n1,x,10.1/x\n"), []))


# ---- offline load through the CLI --------------------------------------------------------

def test_a_clean_library_without_the_data_says_how_to_load_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clean.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(references=[]))
    code, out, err = run(capsys, "--library", str(path), "retractions")
    assert code == 0 and out.strip() == (
        "no retracted or concerning articles, and none cited (0 Retraction Watch rows loaded)")
    assert "load it (and re-check online) with: spinelib retractions update" in err
    load_offline(path, capsys)
    code, out, err = run(capsys, "--library", str(path), "retractions")
    assert "(26 Retraction Watch rows loaded)" in out and err == ""  # the good rows


def test_update_from_file_offline_flags_and_cites(libpath: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    k = keys(libpath)
    code, out, err = run(capsys, "--library", str(libpath), "retractions", "update",
                         "--from", str(CSV), "--offline")
    assert code == 0, err
    assert "loaded 26 Retraction Watch rows (3 malformed skipped)" in out
    assert "line 29 skipped" in err and "line 31 skipped" in err
    assert f"newly flagged: {', '.join(sorted([k['A'], k['B']]))}" in out

    code, out, _ = run(capsys, "--library", str(libpath), "show", k["A"], "--json")
    data = json.loads(out)
    assert data["retraction"] == {
        "nature": "Retraction", "date": "2024-03-29",
        "reasons": ["Concerns/Issues About Data", "Duplication of Image"],
        "notice_doi": "10.1097/brs.0000000000009999", "source": "retraction-watch"}
    assert data["retracted"] is True
    assert data["cites_retracted"] == [
        {"position": 1, "doi": "10.1000/cited.retracted.1", "pmid": None,
         "nature": "Retraction"},
        {"position": 3, "doi": None, "pmid": "22222222", "nature": "Expression of concern"}]

    b = json.loads(run(capsys, "--library", str(libpath), "show", k["B"], "--json")[1])
    assert b["retraction"]["nature"] == "Expression of concern"
    assert b["retracted"] is False  # a concern is shown as such, not as a retraction
    for letter in "CD":  # a correction is no flag; a later reinstatement clears one
        assert json.loads(run(capsys, "--library", str(libpath), "show", k[letter],
                              "--json")[1])["retraction"] is None
    e = json.loads(run(capsys, "--library", str(libpath), "show", k["E"], "--json")[1])
    # E cites A, which is flagged in the library (not in the data set by that PMID alone);
    # its reference 2 (D) was retracted and then reinstated, so it is not listed.
    assert e["cites_retracted"] == [{"position": 1, "doi": None, "pmid": "31000001",
                                     "nature": "Retraction"}]

    code, out, _ = run(capsys, "--library", str(libpath), "retractions", "--json")
    report = json.loads(out)
    assert report["flagged"] == [{"key": k["A"], "nature": "Retraction", "date": "2024-03-29"},
                                 {"key": k["B"], "nature": "Expression of concern",
                                  "date": "2023-11-02"}]
    assert [c["key"] for c in report["citing"]] == sorted([k["A"], k["E"]])
    assert report["new"] == sorted([k["A"], k["B"]])

    # The same data again: nothing new.
    run(capsys, "--library", str(libpath), "retractions", "update", "--from", str(CSV),
        "--offline")
    assert json.loads(run(capsys, "--library", str(libpath), "retractions",
                          "--json")[1])["new"] == []


def test_bad_file_keeps_what_was_loaded(libpath: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--library", str(libpath), "retractions", "update", "--from", str(CSV),
        "--offline")
    other = tmp_path / "other.csv"
    other.write_text("Key,Title\n1,x\n", encoding="utf-8")
    code, _, err = run(capsys, "--library", str(libpath), "retractions", "update", "--from",
                       str(other), "--offline")
    assert code == 1 and err.count("\n") == 1 and "not the Retraction Watch data set" in err
    code, _, err = run(capsys, "--library", str(libpath), "retractions", "update", "--from",
                       str(tmp_path / "missing.csv"), "--offline")
    assert code == 1 and "cannot read" in err
    header_only = tmp_path / "header_only.csv"
    header_only.write_text(CSV.read_text(encoding="utf-8").splitlines()[0]
                           + "\n1,too,short\n", encoding="utf-8")
    code, _, err = run(capsys, "--library", str(libpath), "retractions", "update", "--from",
                       str(header_only), "--offline")
    assert code == 1 and "no readable rows (1 malformed)" in err
    with Library.open(libpath) as lib:
        assert lib.retractions.row_count() == 26
        assert len(lib.retractions.flagged()) == 2


# ---- online: Crossref updated-by, PubMed notices, the conditional download ----------------

def crossref_list(*items: dict[str, object]) -> dict[str, object]:
    """A ``work-list`` envelope as /works?filter= answers (fields per ``select``)."""
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(items), "items": list(items),
                        "items-per-page": len(items), "query": {"start-index": 0,
                                                                "search-terms": None}}}


CROSSREF_ITEMS = [
    {"DOI": "10.1000/clean.e", "is-referenced-by-count": 12, "updated-by": [
        {"updated": {"date-parts": [[2025, 2, 3]], "date-time": "2025-02-03T00:00:00Z",
                     "timestamp": 1738540800000},
         "DOI": "10.1000/notice.e", "type": "retraction", "source": "publisher",
         "label": "Retraction"}]},
    {"DOI": "10.1016/j.spinee.2020.05.005", "is-referenced-by-count": 40, "updated-by": [
        {"updated": {"date-parts": [[2022, 1, 15]]}, "DOI": "10.1016/j.spinee.2022.01.001",
         "type": "correction", "source": "publisher", "label": "Correction"},
        {"updated": {"date-parts": [[2024, 5]]}, "DOI": "10.1016/j.spinee.2024.05.001",
         "type": "expression_of_concern", "source": "retraction-watch",
         "label": "Expression of concern", "record-id": 61234}]},
    {"DOI": "10.1097/brs.0000000000001234", "is-referenced-by-count": 3},
]

EFETCH_XML = b"""<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">29000002</PMID>
<Article PubModel="Print"><ArticleTitle>B</ArticleTitle><PublicationTypeList>
<PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article>
<CommentsCorrectionsList>
<CommentsCorrections RefType="ExpressionOfConcernIn"><RefSource>Spine (Phila Pa 1976). 2024 Jan 1;49(1):E1</RefSource><PMID Version="1">38000099</PMID></CommentsCorrections>
<CommentsCorrections RefType="ErratumIn"><RefSource>Spine. 2020;45:1</RefSource></CommentsCorrections>
</CommentsCorrectionsList></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">35000005</PMID>
<Article PubModel="Print"><ArticleTitle>E</ArticleTitle><PublicationTypeList>
<PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article>
</MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">31000001</PMID>
<Article PubModel="Print"><ArticleTitle>A</ArticleTitle><PublicationTypeList>
<PublicationType UI="D016428">Journal Article</PublicationType>
<PublicationType UI="D016441">Retracted Publication</PublicationType></PublicationTypeList></Article>
<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>Spine. 2024 Mar 29</RefSource><PMID Version="1">38500001</PMID></CommentsCorrections></CommentsCorrectionsList>
</MedlineCitation></PubmedArticle>
</PubmedArticleSet>"""


def test_parsers_read_real_shapes() -> None:
    found = parse_work_list(crossref_list(*CROSSREF_ITEMS))
    c = found["10.1016/j.spinee.2020.05.005"]
    assert [(n.nature, n.source, n.date) for n in c.notices] == [
        (Nature.CORRECTION, NoticeSource.CROSSREF, "2022-01-15"),
        (Nature.CONCERN, NoticeSource.RETRACTION_WATCH, "2024-05-01")]
    assert c.cited_by == 40 and found["10.1097/brs.0000000000001234"].notices == []
    notices = parse_notices(EFETCH_XML)
    assert [n.nature for n in notices["29000002"]] == [Nature.CONCERN]
    assert "notice PMID 38000099" in notices["29000002"][0].reasons
    assert notices["35000005"] == []
    with pytest.raises(FormatError):
        parse_notices(b"<eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>")


@responses.activate
def test_online_check_batches_and_flags(libpath: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    k = keys(libpath)
    responses.add(responses.GET, CROSSREF, status=429, headers={"Retry-After": "0"})
    responses.add(responses.GET, CROSSREF, json=crossref_list(*CROSSREF_ITEMS))
    responses.add(responses.POST, EFETCH, body=EFETCH_XML, content_type="text/xml")
    code, out, err = run(capsys, "--library", str(libpath), "retractions", "update",
                         "--from", str(CSV))
    assert code == 0, err
    assert "checked 3 DOIs with Crossref and 3 PMIDs with PubMed" in out
    crossref_calls = [c for c in responses.calls if c.request.url.startswith(CROSSREF)]
    assert len(crossref_calls) == 2  # the 429, then one batch for every DOI
    query = parse_qs(urlsplit(crossref_calls[-1].request.url).query)
    assert sorted(query["filter"][0].split(",")) == sorted(
        f"doi:{d}" for d in ("10.1097/brs.0000000000001234", "10.1016/j.spinee.2020.05.005",
                             "10.1000/kypho.2019.4", "10.1000/clean.e"))
    e = json.loads(run(capsys, "--library", str(libpath), "show", k["E"], "--json")[1])
    assert e["retraction"] == {"nature": "Retraction", "date": "2025-02-03", "reasons": [],
                               "notice_doi": "10.1000/notice.e", "source": "crossref"}
    assert e["citation_counts"][0]["count"] == 12
    c = json.loads(run(capsys, "--library", str(libpath), "show", k["C"], "--json")[1])
    assert c["retraction"]["nature"] == "Expression of concern"
    assert c["retraction"]["source"] == "retraction-watch"
    assert "newly flagged" in out and k["E"] in out and k["C"] in out
    # Sorting by citation count: most cited first, unknown counts last.
    code, out, _ = run(capsys, "--library", str(libpath), "list", "--json", "--sort",
                       "citations")
    assert [i["citekey"] for i in json.loads(out)][:3] == [k["C"], k["E"], k["A"]]


@responses.activate
def test_an_update_that_reached_no_source_says_so(libpath: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINELIB_RETRACTIONWATCH_URL", RW_URL)
    # Retraction Watch, Crossref and PubMed all down (each asked again after its
    # Retry-After: 0, then given up).
    for method, url in ((responses.GET, RW_URL), (responses.GET, CROSSREF),
                        (responses.POST, EFETCH)):
        responses.add(method, url, status=503, headers={"Retry-After": "0"})
    code, out, err = run(capsys, "--library", str(libpath), "retractions", "update")
    assert code == 1
    assert out.startswith("not checked online: no source could be reached (see the "
                          "warnings); ")
    assert "checked 0 DOIs" not in out
    assert "warning: Retraction Watch data not updated" in err
    assert "warning: Crossref check not done" in err and "warning: PubMed check not done" in err


@responses.activate
def test_download_is_conditional(libpath: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINELIB_RETRACTIONWATCH_URL", RW_URL)
    body = CSV.read_bytes()
    responses.add(responses.GET, RW_URL, body=body, headers={"ETag": '"v1"',
                                                              "Last-Modified": "Mon, 01 Dec 2026 00:00:00 GMT"})
    responses.add(responses.GET, RW_URL, status=304)
    responses.add(responses.GET, CROSSREF, json=crossref_list())
    responses.add(responses.POST, EFETCH, body=b"<PubmedArticleSet></PubmedArticleSet>")
    code, out, err = run(capsys, "--library", str(libpath), "retractions", "update")
    assert code == 0, err
    assert "loaded 26" in out
    code, out, err = run(capsys, "--library", str(libpath), "retractions", "update")
    assert code == 0 and "Retraction Watch data unchanged" in out
    downloads = [c for c in responses.calls if c.request.url.startswith(RW_URL)]
    assert len(downloads) == 2
    assert "If-None-Match" not in downloads[0].request.headers
    assert downloads[1].request.headers["If-None-Match"] == '"v1"'
    assert downloads[1].request.headers["If-Modified-Since"].startswith("Mon, 01 Dec 2026")
    with Library.open(libpath) as lib:
        assert lib.retractions.row_count() == 26  # kept, not emptied by the 304
    assert not list(libpath.parent.glob(".retraction-watch-*"))  # no temporary file left


@responses.activate
def test_offline_service_is_a_warning_not_a_loss(libpath: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    responses.add(responses.GET, CROSSREF, status=503, headers={"Retry-After": "0"})
    responses.add(responses.POST, EFETCH, status=503, headers={"Retry-After": "0"})
    code, out, err = run(capsys, "--library", str(libpath), "retractions", "update",
                         "--from", str(CSV))
    assert code == 1
    assert "Crossref check not done" in err and "PubMed check not done" in err
    assert "2 articles flagged" in out  # what the data set says is stored all the same
