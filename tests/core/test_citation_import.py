"""A reference list pasted without identifiers imports: each citation line is looked up in
Crossref's bibliographic search, its answer taken only when the citation plainly agrees,
then fetched by that DOI as any DOI is (PubMed's record preferred).

Crossref is served by ``responses`` in the real work-list shape (tests.core.test_cited_dois),
PubMed by esearch JSON and efetch XML from :func:`tests.fakeserver.pubmed_article`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.citationtext import citation_in, holds_title
from spinelib.errors import FormatError, InvalidIdentifier
from spinelib.identifierfiles import listed_identifiers
from spinelib.identifiers import Identifier
from spinelib.identifiertext import Found, find_identifiers, parse_input
from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from spinelib.sources.resolve_indirect import resolve_indirect
from tests.core.test_cited_dois import BILSKY_DOI, envelope, work
from tests.core.test_resolve_batched import make_client, serve_one_article

BILSKY = ("3. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural "
          "spinal cord compression scale. J Neurosurg Spine. 2010;13(3):324-8.")
#: The same work as Chicago's notes and bibliography style cites it.
CHICAGO = ("Bilsky, Mark H., Ilya Laufer, Daryl R. Fourney, et al. “Reliability Analysis of "
           "the Epidural Spinal Cord Compression Scale.” Journal of Neurosurgery: Spine 13, "
           "no. 3 (2010): 324–28.")
#: A citation Crossref answers with other works only (it always ranks something first).
UNKNOWN = ("Nobody AB, Else CD. Outcomes of a technique nobody described in a journal "
           "nobody reads. J Imaginary Spine. 2019;1:1-9.")
BILSKY_PMID = "20809695"


def kinds(found: list[Found]) -> list[str | None]:
    """Each pasted line's kind as recognised (None: not recognised)."""
    return [f.identifier.kind if f.identifier else None for f in found]


@pytest.mark.parametrize("line", [
    BILSKY,
    "[12] Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the treatment of "
    "spinal metastatic tumors. Oncologist. 2013;18(6):744-751.",
    "Fourney, D. R., Frangou, E. M., & Ryken, T. C. (2011). Spinal instability neoplastic "
    "score: an analysis of reliability and validity. J Clin Oncol, 29(22), 3072-3077.",
    "van der Berg J, Smith A. Kyphoplasty in myeloma: a cohort. Spine. 2019;44:1-9.",
    CHICAGO,  # notes and bibliography: given names written out, the title quoted
    "Laufer, Ilya, David G. Rubin, Eric Lis, and Mark H. Bilsky. 2013. “The NOMS Framework: "
    "Approach to the Treatment of Spinal Metastatic Tumors.” The Oncologist 18 (6): 744–51.",
    "Laufer, Ilya, et al. “The NOMS Framework: Approach to the Treatment of Spinal Metastatic "
    "Tumors.” The Oncologist, vol. 18, no. 6, 2013, pp. 744–51.",  # MLA
    "Müller, Jörg, and Anna Schmidt. “Kyphoplasty in Myeloma: A Cohort of Ninety Patients.” "
    "Spine 44 (2019): 1–9.",
])
def test_reference_styles_read_as_citations(line: str) -> None:
    cited = citation_in(line)
    assert cited and not cited[0].isdigit() and not cited.startswith("[")


@pytest.mark.parametrize("line", [
    "References",
    "I need these papers for the SBRT talk in 2024, please find them all",
    "Read JA notes about the 2024 meeting on spinal metastases and more",
    "Spine Oncology Study Group. Consensus statement. Spine 2010;35:1-10.",  # no author
    "Patchell RA, Tibbs PA. Direct decompressive surgical resection, Lancet.",  # no year
    # Prose shaped like a Chicago byline, with no quoted title.
    "Surgery, Radiotherapy and Chemotherapy in 2015: what the eight trials showed us",
])
def test_headings_prose_and_half_citations_are_not(line: str) -> None:
    assert citation_in(line) == ""


def test_a_pasted_reference_list_gives_identifiers_first_then_citations() -> None:
    text = "\n".join([
        "References",
        "1. Patchell RA, Tibbs PA. Direct decompressive surgical resection. Lancet. "
        "2005;366:643-8. doi: 10.1016/S0140-6736(05)66954-1",
        "2. Laufer I, et al. The NOMS framework. Oncologist. 2013;18:744-51. PMID: 23709750.",
        BILSKY])
    found = find_identifiers(text)
    assert kinds(found) == [
        None, "doi", "pmid", "citation"]
    assert found[3].identifier == Identifier("citation", BILSKY[3:])
    assert str(found[3].identifier).startswith("citation “Bilsky MH, Laufer I")
    # One argument on the command line, or a queued one, reads the same.
    assert parse_input(BILSKY) == found[3].identifier
    with pytest.raises(InvalidIdentifier):
        parse_input("References")


ANSWERS = {"bilsky": [work("10.1000/decoy", "Spinal cord compression in lymphoma", "Bilsky",
                           2010, volume="40", page="100-110"),
                      work(BILSKY_DOI, "Reliability analysis of the epidural spinal cord "
                           "compression scale", "Bilsky", 2010)],
           "nobody": [work("10.1000/unrelated", "Outcomes of kyphoplasty", "Someone", 2019)]}


def crossref_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    if "query.bibliographic" in query:
        first = query["query.bibliographic"][0].split()[0].lower().rstrip(",")
        return 200, {"Content-Type": "application/json"}, envelope(ANSWERS.get(first, []))
    dois = [f.removeprefix("doi:") for f in query["filter"][0].split(",")]
    return 200, {"Content-Type": "application/json"}, envelope(
        [work(d, "Crossref's copy", "Bilsky", 2010) for d in dois if d == BILSKY_DOI])


def serve() -> None:
    serve_one_article(BILSKY_PMID, BILSKY_DOI, crossref_reply)


@responses.activate
def test_a_citation_resolves_to_the_work_it_plainly_names() -> None:
    serve()
    asked = [parse_input(BILSKY), parse_input(UNKNOWN), Identifier("pmid", "16112300")]
    results = resolve_indirect(make_client(), asked)
    assert [r.identifier for r in results] == asked
    found, unknown, _pmid = results
    assert found.status == "found" and found.record is not None
    # The DOI of the answer that agrees (not the decoy ranked first), fetched from PubMed.
    assert found.record.doi == BILSKY_DOI and found.record.pmid == BILSKY_PMID
    assert found.record.source == "pubmed"
    assert unknown.status == "not_found" and unknown.record is None
    assert unknown.message.startswith("neither Crossref nor PubMed has a work this citation")
    searches = [c for c in responses.calls if "query.bibliographic" in str(c.request.url)]
    assert len(searches) == 2  # one search per citation, no more


@responses.activate
def test_a_chicago_citation_resolves_as_a_vancouver_one_does() -> None:
    serve()
    [found] = resolve_indirect(make_client(), [parse_input(CHICAGO)])
    assert found.status == "found" and found.record is not None
    assert found.record.doi == BILSKY_DOI


@responses.activate
def test_offline_a_citation_is_queued_and_imported_when_back(lib: Library) -> None:
    def unreachable(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        raise requests.exceptions.ConnectionError("Connection refused")

    serve_one_article(BILSKY_PMID, BILSKY_DOI, unreachable)
    report = run_import(lib, [BILSKY], client=make_client())
    assert [(i.given, i.status) for i in report.items] == [(BILSKY, "queued")]
    assert [e.identifier for e in lib.pending.all()] == [BILSKY[3:]]
    responses.reset()
    serve()
    from spinelib.importer import retry_pending

    again = retry_pending(lib, make_client())
    assert [i.status for i in again.items] == ["imported"]
    assert lib.pending.all() == []
    [stored] = lib.search.ids()
    assert lib.articles.record(stored).doi == BILSKY_DOI


@responses.activate
def test_a_pasted_reference_list_imports_what_it_names(lib: Library) -> None:
    serve()
    lines = [f.text for f in find_identifiers(f"References\n{BILSKY}\n{UNKNOWN}")
             if f.identifier is not None]
    report = run_import(lib, lines, client=make_client())
    assert [(i.given, i.status) for i in report.items] == [
        (BILSKY, "imported"), (UNKNOWN, "not_found")]
    assert lib.articles.record(report.items[0].article_id or 0).pmid == BILSKY_PMID
    assert report.items[1].message.startswith("neither Crossref nor PubMed has a work")


def test_a_text_file_of_references_lists_its_citations(tmp_path: Path) -> None:
    refs = tmp_path / "to fetch.txt"
    refs.write_text(f"{BILSKY}\n10.1016/S0140-6736(05)66954-1\n\n# from the review\n{UNKNOWN}\n",
                    encoding="utf-8")
    listed = listed_identifiers(refs)
    assert listed is not None
    assert [f.identifier.kind for f in listed.found if f.identifier] == [
        "citation", "doi", "citation"]
    # A damaged DOI is still no citation: the whole list is refused, naming the line.
    refs.write_text(f"{BILSKY}\n10.1016/S0140-6736 (05)66954-1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 2, '10.1016/S0140-6736 "):
        listed_identifiers(refs)


def test_references_wrapped_over_lines_are_joined_first() -> None:
    # As a reference list comes out of a PDF: each reference over several lines.
    numbered = ("References\n"
                "1. Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S,\n"
                "Kryscio RJ, et al. Direct decompressive surgical resection in the\n"
                "treatment of spinal cord compression. Lancet. 2005;366(9486):643-8.\n"
                "2. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the\n"
                "epidural spinal cord compression scale. J Neurosurg Spine.\n"
                "2010;13(3):324-8. doi: 10.3171/2010.3.SPINE09459\n"
                "Ask the librarian about the 2019 consensus too\n")
    found = find_identifiers(numbered)
    assert kinds(found) == [
        None, "citation", "doi", None]  # a note after the last reference stays its own
    assert found[1].text.startswith("1. Patchell RA") and found[1].text.endswith("643-8.")
    assert "Kryscio RJ, et al. Direct" in found[1].text
    unnumbered = ("Fourney, D. R., Frangou, E. M., & Ryken, T. C. (2011).\n"
                  "Spinal instability neoplastic score: an analysis of reliability.\n"
                  "Journal of Clinical Oncology, 29(22), 3072-3077.\n"
                  "We need these two for the board.\n"
                  "Laufer I, Rubin DG, Lis E, et al. The NOMS framework. Oncologist.\n"
                  "2013;18(6):744-751.\n")
    found = find_identifiers(unnumbered)
    assert kinds(found) == [
        "citation", None, "citation"]
    assert found[0].identifier is not None
    assert found[0].identifier.value.endswith("3072-3077.")
    assert found[1].text == "We need these two for the board."


def test_a_chicago_bibliography_wrapped_within_a_name_is_joined() -> None:
    """Chicago writes co-authors given name first, so a byline wrapped inside a name gives
    a line that reads as a first author ("Paul Varga, Frank D. Vrionis, …"): it goes on
    the reference above while that one lacks its year."""
    text = ("Bilsky, Mark H., Ilya Laufer, Daryl R. Fourney, Michelle Groff, Peter\n"
            "Paul Varga, Frank D. Vrionis, et al. “Reliability Analysis of the Epidural "
            "Spinal Cord\nCompression Scale.” Journal of Neurosurgery: Spine 13, no. 3 (2010): "
            "324–28.\n"
            "Laufer, Ilya, David G. Rubin, Eric Lis, and Mark H. Bilsky. “The NOMS Framework:"
            "\nApproach to the Treatment of Spinal Metastatic Tumors.” The Oncologist 18, no. 6 "
            "(2013): 744–51.\n")
    found = find_identifiers(text)
    assert kinds(found) == ["citation", "citation"]
    assert found[0].text.startswith("Bilsky, Mark H.") and found[0].text.endswith("324–28.")
    assert "Peter Paul Varga" in found[0].text
    assert found[1].text.endswith("744–51.")
    # A reference without a year above a Vancouver byline stays its own line.
    found = find_identifiers("Smith AB. Spinal metastases: resources for patients. Available "
                             "from the society's website.\n"
                             "Laufer I, Rubin DG, Lis E, et al. The NOMS framework. "
                             "Oncologist. 2013;18(6):744-751.\n")
    assert kinds(found) == [None, "citation"]


def test_a_line_a_pdf_broke_after_a_dash_goes_on_with_the_next() -> None:
    """A PDF breaks a reference list's lines inside words, page ranges and DOIs, leaving a
    dash at the line's end: the DOI was taken as "10.1016/S0140" (no work's), the page
    range's "7." as PMID 7 (a 1975 paper), and "neo- / plastic" lost the title's word."""
    text = ("1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical "
            "resection in the treatment of spinal cord compression caused by metastatic "
            "cancer: a randomised trial. Lancet. 2005;366(9486):643-8. doi:10.1016/S0140-\n"
            "6736(05)66954-1\n"
            "2. Fourney DR, Frangou EM, Ryken TC, et al. Spinal instability neo-\n"
            "plastic score: an analysis of reliability and validity from the spine\n"
            "oncology study group. J Clin Oncol. 2011;29(22):3072-\n"
            "7.\n")
    found = find_identifiers(text)
    assert [f.identifier for f in found] == [
        Identifier("doi", "10.1016/s0140-6736(05)66954-1"),
        Identifier("citation", found[1].text.removeprefix("2. "))]
    assert found[1].text.endswith("2011;29(22):3072-7.")
    assert holds_title(found[1].text, "Spinal instability neoplastic score: an analysis of "
                                      "reliability and validity from the spine oncology "
                                      "study group")
    # A DOI alone, broken the same way, is one DOI; a dash after a space is no break.
    assert [f.identifier for f in find_identifiers("10.3171/2010.3.SPINE09-\n459\n")] == [
        Identifier("doi", "10.3171/2010.3.spine09-459")]
    assert kinds(find_identifiers("Kyphoplasty -\n16112300\n")) == [None, "pmid"]


def test_a_doi_cut_after_a_dot_goes_on_only_with_what_is_nothing_alone() -> None:
    """Elsevier's DOIs are long and dotted, and a PDF cuts them at a dot: the rest on the
    next line is joined ("10.1016/j.spinee" is nobody's DOI). A dot there may also be the
    reference's full stop, so a next line that is anything on its own (a PMID, a byline, a
    running head without a digit) stays its own."""
    spine = "10.1016/j.spinee.2019.01.001"
    for text in (f"1. {UNKNOWN} https://doi.org/10.1016/j.spinee.\n2019.01.001\n",
                 "doi:10.1016/j.spinee.2019.\n01.001\n", "10.1016/j.spinee.\n2019.01.001\n"):
        assert [f.identifier for f in find_identifiers(text)] == [Identifier("doi", spine)]
    for after in ("PMID: 30700000", "Spine Journal 2019", BILSKY.removeprefix("3. ")):
        found = find_identifiers(f"doi:{spine}.\n{after}\n")
        assert found[0].identifier == Identifier("doi", spine) and len(found) == 2


def test_a_doi_cut_after_its_prefix_goes_on() -> None:
    """AMA references in a PDF wrap at the DOI's first slash ("doi:10.3171/" and
    "2010.3.SPINE09459" on the next line): the reference was searched as a citation and
    its DOI's rest reported as "not a DOI, PMID or PMCID"."""
    text = ("2. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural\n"
            "spinal cord compression scale. J Neurosurg Spine. 2010;13(3):324-328. doi:10.3171/\n"
            "2010.3.SPINE09459\n"
            "3. Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the treatment\n"
            "of spinal metastatic tumors. Oncologist. 2013;18(6):744-751. doi:10.1634/\n"
            "theoncologist.2012-0293\n")
    assert [f.identifier for f in find_identifiers(text)] == [
        Identifier("doi", "10.3171/2010.3.spine09459"),
        Identifier("doi", "10.1634/theoncologist.2012-0293")]
    # A prefix alone before a line that is something else (a heading, a PMID) stays cut.
    for after in ("Abstract", "PMID: 20809695"):
        assert all(f.identifier is None or f.identifier.kind != "doi"
                   for f in find_identifiers(f"doi:10.3171/\n{after}\n"))


def test_list_numbers_and_page_numbers_on_lines_of_their_own_are_no_pmids() -> None:
    """A PDF's number column pastes each reference's number on a line of its own, and a
    page break its page number: "1." and "2." were imported as PMIDs 1 and 2, "745" as
    PMID 745. A list number opens its reference; a number alone among references is named
    as skipped, with how to import it if it is a PMID after all."""
    vancouver = BILSKY.removeprefix("3. ")
    numbered = f"1.\n{vancouver}\n2.\n{UNKNOWN}\n"
    found = find_identifiers(numbered)
    assert [(f.text[:3], f.identifier.kind if f.identifier else None) for f in found] == [
        ("1. ", "citation"), ("2. ", "citation")]
    paged = f"{vancouver}\n745\n{UNKNOWN}\n"
    found = find_identifiers(paged)
    assert kinds(found) == ["citation", None, "citation"]
    assert found[1].reason.endswith("a page number?), is not taken as a PMID; write PMID: "
                                    "745 to import it")
    # A list of identifiers is still one: numbered, split or not, and a bare number alone.
    assert [str(f.identifier) for f in find_identifiers("1.\n16112300\n2. 20809695\n")] == [
        "PMID 16112300", "PMID 20809695"]
    assert kinds(find_identifiers("16112300\n745\n")) == ["pmid", "pmid"]
    assert kinds(find_identifiers("3. 2010\n")) == [None]


def test_a_numbered_references_identifier_on_the_next_line_is_its_own() -> None:
    """AMA and JNS print each reference's DOI at its end, which a PDF often wraps onto a line
    of its own: in a numbered list that line belongs to the reference above (the next one
    starts with its number), so the reference is fetched by its DOI, not also searched."""
    numbered = ("1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical "
                "resection in the treatment of spinal cord compression caused by metastatic "
                "cancer: a randomised trial. Lancet. 2005;366(9486):643-648.\n"
                "doi:10.1016/S0140-6736(05)66954-1\n"
                "2. Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the "
                "treatment of spinal metastatic tumors. Oncologist. 2013;18(6):744-751.\n"
                "https://doi.org/10.1634/theoncologist.2012-0293\n"
                "3. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the "
                "epidural spinal cord compression scale. J Neurosurg Spine. 2010;13(3):324-328."
                " doi:10.3171/2010.3.SPINE09459\nPMID: 20809724\n")
    found = find_identifiers(numbered)
    assert [(f.identifier.kind, f.identifier.value) for f in found if f.identifier] == [
        ("doi", "10.1016/s0140-6736(05)66954-1"), ("doi", "10.1634/theoncologist.2012-0293"),
        ("pmid", "20809724")]  # one work's DOI and PMID: its PMID, as on one line
    assert len(found) == 3  # no citation searched beside them
    # Unnumbered, a line of identifiers alone may be a list of other papers: it stays apart.
    apart = find_identifiers("Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach "
                             "to the treatment. Oncologist. 2013;18(6):744-751.\n"
                             "10.1016/S0140-6736(05)66954-1\n")
    assert kinds(apart) == ["citation", "doi"]


@responses.activate
def test_the_citation_searches_move_the_progress_before_the_fetch() -> None:
    serve()
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        fetched = sum("efetch" in str(c.request.url) for c in responses.calls)
        seen.append((done, total, fetched))

    asked = [parse_input(BILSKY), parse_input(UNKNOWN), Identifier("pmid", "16112300")]
    resolve_indirect(make_client(), asked, progress=progress)
    done = [d for d, _t, _f in seen]
    assert done == sorted(done) and seen[-1][:2] == (3, 3)
    # The two searches report before anything is fetched (half the round is theirs).
    searching = [(d, f) for d, _t, f in seen if f == 0]
    assert len(searching) >= 2 and searching[-1][0] == 1


def test_the_library_knows_a_citation_of_a_paper_it_holds(lib: Library) -> None:
    [held] = lib.articles.add_records([ArticleRecord(
        title="Reliability analysis of the epidural spinal cord compression scale",
        year=2010, authors=[Author(family="Bilsky", given="Mark")], journal="J Neurosurg Spine",
        doi=BILSKY_DOI, volume="13", pages="324-328")])
    other = ("Bilsky MH, Smith J. A different paper by the same author on kyphoplasty. "
             "Spine. 2010;1:1-9.")
    # Its title cut short, as some reference lists do: its volume and first page say it.
    shortened = "Bilsky MH, Laufer I, Fourney DR, et al. ESCC scale. J Neurosurg Spine. " \
                "2010;13:324-8."
    asked = [parse_input(BILSKY), parse_input(other), parse_input(shortened)]
    found = lib.articles.holding(asked)
    assert list(found) == [asked[0], asked[2]]
    assert {h.article_id for h in found.values()} == {held.article_id}
