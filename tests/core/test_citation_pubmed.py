"""A citation Crossref names nothing for is asked of PubMed's batch citation matcher
(spinelib/sources/pubmed_citmatch.py): its journal, volume and first page read out of the
style it is written in, many citations a request, and each PMID the matcher gives read back
with esummary and taken only when the citation plainly names it.

ECitMatch is served by ``responses`` in the documented reply shape (each line asked, then
the PMID, ``NOT_FOUND;INVALID_JOURNAL`` or ``AMBIGUOUS``); esummary in the shape of the
recorded ``ualib_esummary_27933103.json``; Crossref and efetch as the other citation tests
serve them (tests.core.test_citation_import).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.citationtext import CitedSource, cited_source
from spinelib.errors import ServiceError
from spinelib.identifiertext import parse_input
from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.sources.pubmed_citmatch import (
    CITATIONS_PER_REQUEST,
    citation_query,
    find_pmids,
    parse_citmatch,
)
from spinelib.sources.pubmed_summaries import parse_summaries
from spinelib.sources.resolve_indirect import resolve_indirect
from tests.core.test_citation_import import BILSKY, UNKNOWN, serve
from tests.core.test_resolve_batched import (
    ECITMATCH,
    EUTILS,
    make_client,
    serve_one_article,
)

ESUMMARY = f"{EUTILS}/esummary.fcgi"
#: A classic Crossref holds no DOI for: the journal numbered its issues only.
HARRINGTON = ("7. Harrington KD. Anterior decompression and stabilization of the spine as a "
              "treatment for vertebral collapse and spinal cord compression from metastatic "
              "malignancy. Clin Orthop Relat Res. 1988;(233):177-97.")
TOKUHASHI = ("Tokuhashi Y, Matsuzaki H, Toriyama S, Kawano H, Ohsaka S. Scoring system for "
             "the preoperative evaluation of metastatic spine tumor prognosis. Spine "
             "1990;15:1110-3.")
#: PMIDs these tests' PubMed stand-in gives (not the articles' real ones).
HARRINGTON_PMID, TOKUHASHI_PMID, DECOY_PMID = "30000001", "30000002", "30000003"
#: What esummary says of each (as the recorded reply spells it): title, authors, year,
#: volume, pages.
SUMMARIES = {
    HARRINGTON_PMID: ("Anterior decompression and stabilization of the spine as a treatment "
                      "for vertebral collapse and spinal cord compression from metastatic "
                      "malignancy.", ["Harrington KD"], "1988 Aug", "", "177-97"),
    TOKUHASHI_PMID: ("Scoring system for the preoperative evaluation of metastatic spine "
                     "tumor prognosis.", ["Tokuhashi Y", "Matsuzaki H"], "1990 Nov", "15",
                     "1110-3"),
    # The matcher weighs journal, volume and page: an article by someone else, another year.
    DECOY_PMID: ("Spinal cord compression in lymphoma.", ["Someone AB"], "1994", "15",
                 "1110-8"),
}


@pytest.mark.parametrize(("line", "source"), [
    (BILSKY, CitedSource("J Neurosurg Spine", "13", "324")),  # Vancouver
    ("Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection in "
     "the treatment of spinal cord compression caused by metastatic cancer: a randomised "
     "trial. Lancet 2005 Aug 20;366(9486):643-8.", CitedSource("Lancet", "366", "643")),
    (HARRINGTON, CitedSource("Clin Orthop Relat Res", "", "177")),  # issues only
    ("Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal "
     "instability in neoplastic disease. Spine (Phila Pa 1976). 2010;35(22):E1221-9.",
     CitedSource("Spine (Phila Pa 1976)", "35", "E1221")),
    ("Fourney, D. R., Frangou, E. M., & Ryken, T. C. (2011). Spinal instability neoplastic "
     "score: an analysis of reliability and validity. J Clin Oncol, 29(22), 3072-3077.",
     CitedSource("J Clin Oncol", "29", "3072")),  # APA
    ("Bilsky, Mark H., Ilya Laufer, Daryl R. Fourney, et al. “Reliability Analysis of the "
     "Epidural Spinal Cord Compression Scale.” Journal of Neurosurgery: Spine 13, no. 3 "
     "(2010): 324–28.", CitedSource("Journal of Neurosurgery: Spine", "13", "324")),
    ("Laufer, Ilya, David G. Rubin, Eric Lis, and Mark H. Bilsky. 2013. “The NOMS Framework: "
     "Approach to the Treatment of Spinal Metastatic Tumors.” The Oncologist 18 (6): 744–51.",
     CitedSource("The Oncologist", "18", "744")),  # Chicago author-date
    ("Laufer, Ilya, et al. “The NOMS Framework: Approach to the Treatment of Spinal "
     "Metastatic Tumors.” The Oncologist, vol. 18, no. 6, 2013, pp. 744–51.",
     CitedSource("The Oncologist", "18", "744")),  # MLA
    # A book gives no journal, volume or page; a heading is no citation.
    ("Enneking WF, Springfield DS. Musculoskeletal tumor surgery. New York: Churchill "
     "Livingstone; 1983.", None),
    ("References", None),
])
def test_the_journal_volume_and_first_page_of_each_style(line: str,
                                                         source: CitedSource | None) -> None:
    assert cited_source(line) == source


def test_a_query_line_as_the_matcher_reads_it() -> None:
    query = citation_query("ref7", HARRINGTON)
    assert query is not None
    assert query.line() == "clin orthop relat res|1988||177|harrington|ref7|"
    # A separator inside a field would shift the others: it is blanked.
    odd = citation_query("ref1", "Müller J, Smith A. Kyphoplasty in myeloma: a cohort of "
                                 "ninety. Spine|Pain J. 2019;44:1-9.")
    assert odd is not None and odd.line() == "spine pain j|2019|44|1|muller|ref1|"
    assert citation_query("ref2", "Enneking WF. Musculoskeletal tumor surgery. New York: "
                                  "Churchill Livingstone; 1983.") is None


def test_the_reply_lines_found_ambiguous_and_not_found() -> None:
    reply = ("clin orthop relat res|1988||177|harrington|ref0|30000001\n"
             "spine|1990|15|1110|tokuhashi|ref1|AMBIGUOUS (5 citations)\n"
             "spine|1990|15|1110|tokuhashi|ref2|AMBIGUOUS 30000002,30000003\n"
             "j imaginary spine|2019|1|1||ref3|NOT_FOUND;INVALID_JOURNAL\n"
             "lancet|2005|366|643|patchell|ref9|16112300\n"
             "lancet|2005|366|643|patchell|ref4|NOT_FOUND\n")
    assert parse_citmatch(reply.encode(), ["ref0", "ref1", "ref2", "ref3", "ref4"]) == {
        "ref0": "30000001"}  # ref9 was not asked
    assert parse_citmatch(b"", ["ref0"]) == {}
    with pytest.raises(ServiceError, match="citation matcher answered something else"):
        parse_citmatch(b"<html><body>Service unavailable</body></html>", ["ref0"])


def test_the_recorded_esummary_reply_gives_what_an_answer_is_checked_by(
        fixtures_dir: Path) -> None:
    raw = (fixtures_dir / "pubmed" / "ualib_esummary_27933103.json").read_bytes()
    [summary] = parse_summaries(raw).values()
    assert (summary.first_author, summary.volume, summary.pages) == ("Scalfani", "8", "66")


def ecitmatch(answers: dict[str, str]):  # type: ignore[no-untyped-def]
    """The matcher: each line asked answered by its author's entry in ``answers`` (the PMID,
    or what it says instead), NOT_FOUND for the rest; every bdata asked kept in ASKED."""
    def reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        bdata = parse_qs(urlsplit(str(request.url)).query)["bdata"][0]
        ASKED.append(bdata)
        out = []
        for line in (b for b in bdata.split("\r") if b):
            author = line.split("|")[4]
            out.append(line + answers.get(author, "NOT_FOUND"))
        return 200, {"Content-Type": "text/plain"}, "\n".join(out) + "\n"
    return reply


ASKED: list[str] = []


def esummary(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    ids = parse_qs(str(request.body))["id"][0].split(",")
    SUMMARIZED.extend(ids)
    result: dict[str, object] = {"uids": [i for i in ids if i in SUMMARIES]}
    for pmid in result["uids"]:  # type: ignore[union-attr]
        title, names, date, volume, pages = SUMMARIES[pmid]
        result[pmid] = {"uid": pmid, "pubdate": date, "source": "J", "title": title,
                        "authors": [{"name": n, "authtype": "Author", "clusterid": ""}
                                    for n in names],
                        "volume": volume, "issue": "", "pages": pages,
                        "articleids": [{"idtype": "pubmed", "idtypen": 1, "value": pmid}]}
    return 200, {}, json.dumps({"header": {"type": "esummary", "version": "0.3"},
                                "result": result})


SUMMARIZED: list[str] = []


def matcher(callback) -> None:  # type: ignore[no-untyped-def]
    """The matcher ``serve_one_article`` serves, answered by ``callback`` instead."""
    responses.replace(responses.CallbackResponse(responses.GET, ECITMATCH, callback=callback))


def serve_pubmed(answers: dict[str, str]) -> None:
    ASKED.clear()
    SUMMARIZED.clear()
    responses.add_callback(responses.GET, re.compile(re.escape(ECITMATCH) + ".*"),
                           callback=ecitmatch(answers))
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)


@responses.activate
def test_a_pmid_is_taken_only_when_the_citation_plainly_names_it() -> None:
    serve_pubmed({"harrington": HARRINGTON_PMID, "tokuhashi": DECOY_PMID,
                  "patchell": "AMBIGUOUS (2 citations)"})
    patchell = ("Patchell RA, Tibbs PA. Direct decompressive surgical resection in the "
                "treatment of spinal cord compression. Lancet. 2005;366(9486):643-8.")
    book = "Enneking WF. Musculoskeletal tumor surgery. New York: Churchill Livingstone; 1983."
    found = find_pmids(make_client(), [(0, HARRINGTON), (1, TOKUHASHI), (2, patchell),
                                       (3, book)])
    # Harrington's, whose title and year agree; not the decoy the matcher gave for
    # Tokuhashi's (someone else's, 1994), nor an ambiguous answer; the book not asked.
    assert found == {0: HARRINGTON_PMID}
    [bdata] = ASKED  # one request for the three citations
    assert bdata.split("\r") == ["clin orthop relat res|1988||177|harrington|ref0|",
                                 "spine|1990|15|1110|tokuhashi|ref1|",
                                 "lancet|2005|366|643|patchell|ref2|"]
    assert sorted(SUMMARIZED) == [HARRINGTON_PMID, DECOY_PMID]  # one esummary, both read


@responses.activate
def test_many_citations_go_forty_to_a_request() -> None:
    serve_pubmed({})
    cited = [(n, f"Author{chr(97 + n % 26)} AB, Other CD. A study of spinal metastases "
                 f"number {n}. Spine J. 2019;{n + 1}:1-9.") for n in range(85)]
    assert find_pmids(make_client(), cited) == {}
    assert [len(b.split("\r")) for b in ASKED] == [CITATIONS_PER_REQUEST,
                                                   CITATIONS_PER_REQUEST, 5]
    assert SUMMARIZED == []  # nothing matched: no esummary


@responses.activate
def test_a_citation_crossref_lacks_imports_from_pubmed(lib: Library) -> None:
    serve_one_article(HARRINGTON_PMID, "10.5555/not-in-crossref", _crossref_knows_nothing)
    matcher(ecitmatch({"harrington": HARRINGTON_PMID}))
    responses.add_callback(responses.POST, ESUMMARY, callback=esummary)
    report = run_import(lib, [HARRINGTON[3:], UNKNOWN], client=make_client())
    assert [i.status for i in report.items] == ["imported", "not_found"]
    stored = lib.articles.record(report.items[0].article_id or 0)
    assert stored.pmid == HARRINGTON_PMID and stored.source == "pubmed"
    assert report.items[1].message.startswith("neither Crossref nor PubMed has a work")
    # The pasted line stays what the report speaks of.
    assert report.items[0].given == HARRINGTON[3:]


def _crossref_knows_nothing(_request: requests.PreparedRequest
                            ) -> tuple[int, dict[str, str], str]:
    from tests.core.test_cited_dois import envelope

    return 200, {"Content-Type": "application/json"}, envelope([])


@responses.activate
def test_crossref_found_citations_are_not_asked_of_pubmed() -> None:
    serve()
    ASKED.clear()
    matcher(ecitmatch({}))
    found, unknown = resolve_indirect(make_client(), [parse_input(BILSKY),
                                                      parse_input(UNKNOWN)])
    assert found.status == "found" and unknown.status == "not_found"
    [bdata] = ASKED
    assert bdata.startswith("j imaginary spine|2019|1|1|nobody|") and "\r" not in bdata


@responses.activate
def test_pubmed_unreachable_queues_the_citation_and_says_why(lib: Library) -> None:
    def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        raise requests.exceptions.ConnectionError("Connection refused")

    serve_one_article(HARRINGTON_PMID, "10.5555/not-in-crossref", _crossref_knows_nothing)
    matcher(unreachable)
    report = run_import(lib, [HARRINGTON[3:]], client=make_client())
    [item] = report.items
    assert item.status == "queued"
    assert "PubMed's citation matcher could not be asked" in item.message
    assert [e.identifier for e in lib.pending.all()] == [HARRINGTON[3:]]
    assert lib.search.ids() == []


@responses.activate
def test_a_matcher_failing_fails_the_citation_not_the_import(lib: Library) -> None:
    serve_one_article(HARRINGTON_PMID, "10.5555/not-in-crossref", _crossref_knows_nothing)
    responses.replace(responses.GET, ECITMATCH, body="<html>Bad Gateway</html>",  # type: ignore[arg-type]
                      status=200)
    report = run_import(lib, [HARRINGTON[3:], "16112300"], client=make_client())
    assert [i.status for i in report.items][0] == "failed"
    assert "citation matcher answered something else" in report.items[0].message
    assert report.items[1].status == "not_found"  # asked of PubMed all the same (not held)


#: A Springer reference list (Eur Spine J's, as Crossref gives it): cited works without DOIs.
SPRINGER_HARRINGTON = ("Harrington KD (1988) Anterior decompression and stabilization of the "
                       "spine as a treatment for vertebral collapse and spinal cord "
                       "compression from metastatic malignancy. Clin Orthop Relat Res "
                       "233:177–197")


def _article_citing_classics(lib: Library) -> int:
    from spinelib.records import ReferenceEntry
    from tests.core.helpers import make_record

    rec = make_record(references=[
        ReferenceEntry(1, "Smith A (2001) Earlier trial. Spine 1:1-2", doi="10.1000/known"),
        ReferenceEntry(2, SPRINGER_HARRINGTON),
        ReferenceEntry(3, TOKUHASHI),
    ])
    return lib.articles.add_record(rec).article_id


@responses.activate
def test_the_refs_tab_search_finds_pmids_where_crossref_has_no_doi(tmp_path: Path) -> None:
    from spinelib.citeddois import find_cited_dois
    from spinelib.importer import reference_identifiers
    from tests.core.test_cited_dois import SEARCH

    responses.add_callback(responses.GET, SEARCH, callback=_crossref_knows_nothing)
    serve_pubmed({"harrington": HARRINGTON_PMID, "tokuhashi": DECOY_PMID})
    with Library.open(tmp_path / "lib.sqlite") as lib:
        article_id = _article_citing_classics(lib)
        result = find_cited_dois(lib, article_id, make_client())
        assert [(p, pmid) for p, _c, pmid in result.found_pmids] == [(2, HARRINGTON_PMID)]
        assert result.summary() == ("found the DOI of 0 and the PMID of 1 of 2 cited works "
                                    "without an identifier")
        assert [r.pmid for r in lib.articles.references(article_id)] == [
            "", HARRINGTON_PMID, ""]  # not the decoy given for Tokuhashi's
        idents, problems = reference_identifiers(lib, article_id, [2])
        assert [(i.kind, i.value) for i in idents] == [("pmid", HARRINGTON_PMID)]
        assert not problems
        [bdata] = ASKED  # both asked in one request
        assert bdata.split("\r")[0] == "clin orthop relat res|1988|233|177|harrington|ref2|"
        lib.history.undo()
        assert [r.pmid for r in lib.articles.references(article_id)] == ["", "", ""]


@responses.activate
def test_the_refs_command_prints_the_pmids_found(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.cli import main
    from tests.core.test_cited_dois import SEARCH

    responses.add_callback(responses.GET, SEARCH, callback=_crossref_knows_nothing)
    serve_pubmed({"harrington": HARRINGTON_PMID})
    monkeypatch.setattr("spinelib.cli.articles_cmds.http_client", make_client)
    lib_path = tmp_path / "lib.sqlite"
    with Library.open(lib_path) as lib:
        _article_citing_classics(lib)
    code = main(["--library", str(lib_path), "refs", "16112300", "--find-dois"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("   2. Harrington KD (1988)")
    assert out[0].endswith(f"[pmid:{HARRINGTON_PMID}]")
    assert out[1:] == ["found the DOI of 0 and the PMID of 1 of 2 cited works without an "
                       "identifier",
                       "import them with: spinelib refs 16112300 --import N [N ...] (or --all)"]


@responses.activate
def test_the_matcher_failing_keeps_what_crossref_found(tmp_path: Path) -> None:
    from spinelib.citeddois import find_cited_dois
    from tests.core.test_cited_dois import SEARCH

    responses.add_callback(responses.GET, SEARCH, callback=_crossref_knows_nothing)
    responses.add(responses.GET, re.compile(re.escape(ECITMATCH) + ".*"), status=503,
                  body="Service unavailable")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        article_id = _article_citing_classics(lib)
        result = find_cited_dois(lib, article_id, make_client())
        assert result.found_pmids == [] and result.error.startswith(
            "PubMed's citation matcher: ")
        assert "(a look-up failed: PubMed's citation matcher" in result.summary()
        assert [r.pmid for r in lib.articles.references(article_id)] == ["", "", ""]
