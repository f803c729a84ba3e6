"""Identifier parsing: every usual written form, and rejection with a reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import (
    Identifier,
    identifier_of_kind,
    identifier_or_empty,
    parse_identifier,
)
from spinelib.identifiertext import find_identifiers


@pytest.mark.parametrize("text, kind, value", [
    ("10.1056/NEJMoa050450", "doi", "10.1056/nejmoa050450"),
    ("doi:10.1056/NEJMoa050450.", "doi", "10.1056/nejmoa050450"),
    ("DOI: 10.1056/NEJMoa050450,", "doi", "10.1056/nejmoa050450"),
    ("https://doi.org/10.1016/S0140-6736(05)66954-1", "doi", "10.1016/s0140-6736(05)66954-1"),
    ("http://dx.doi.org/10.1097/BRS.0000000000001234", "doi", "10.1097/brs.0000000000001234"),
    ("https://doi.org/10.1002%2Fcncr.12345", "doi", "10.1002/cncr.12345"),
    ("https://journals.lww.com/spinejournal/doi/10.1097/BRS.0b013e3181", "doi",
     "10.1097/brs.0b013e3181"),
    # A publisher's address: the page's view after the DOI is not part of it.
    ("https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD006349.pub4/full", "doi",
     "10.1002/14651858.cd006349.pub4"),
    ("https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD006349.pub4/epdf/full",
     "doi", "10.1002/14651858.cd006349.pub4"),
    ("https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01087680/full", "doi",
     "10.1002/central/cn-01087680"),
    ("https://onlinelibrary.wiley.com/doi/10.1002/jor.23456/abstract", "doi",
     "10.1002/jor.23456"),
    ("https://www.frontiersin.org/articles/10.3389/fonc.2020.00865/full", "doi",
     "10.3389/fonc.2020.00865"),
    ("https://link.springer.com/content/pdf/10.1007/s00586-019-06001-2.pdf", "doi",
     "10.1007/s00586-019-06001-2"),
    ("https://link.springer.com/article/10.1007/s00586-012-2345-6/fulltext.html", "doi",
     "10.1007/s00586-012-2345-6"),
    ("https://www.tandfonline.com/doi/full/10.1080/17453674.2020.1746602", "doi",
     "10.1080/17453674.2020.1746602"),
    ("https://www.medrxiv.org/content/10.1101/2020.03.29.20046847v2.full.pdf", "doi",
     "10.1101/2020.03.29.20046847"),
    ("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0123456", "doi",
     "10.1371/journal.pone.0123456"),
    ("https://thejns.org/doi/10.3171/2010.3.SPINE09459", "doi", "10.3171/2010.3.spine09459"),
    ("16112300", "pmid", "16112300"),
    ("1", "pmid", "1"),
    ("PMID: 16112300", "pmid", "16112300"),
    # MEDLINE's tags, as a record's lines copied one at a time read, and PubMed's citation.
    ("PMID- 16112300", "pmid", "16112300"),
    ("PubMed PMID: 16112300", "pmid", "16112300"),
    ("PMCID- PMC6044328", "pmcid", "PMC6044328"),
    ("DOI- 10.1056/NEJMoa050450", "doi", "10.1056/nejmoa050450"),
    ("pmid16112300", "pmid", "16112300"),
    ("https://pubmed.ncbi.nlm.nih.gov/16112300/", "pmid", "16112300"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/16112300", "pmid", "16112300"),
    ("https://europepmc.org/article/MED/16112300", "pmid", "16112300"),
    ("PMC6044328", "pmcid", "PMC6044328"),
    ("pmc6044328", "pmcid", "PMC6044328"),
    ("PMCID: PMC6044328", "pmcid", "PMC6044328"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC6044328/", "pmcid", "PMC6044328"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6044328", "pmcid", "PMC6044328"),
    ("https://europepmc.org/article/PMC/PMC6044328", "pmcid", "PMC6044328"),
    # Addresses as cited, mailed or typed, without their https:// (and NLM's pubmed.gov).
    ("pubmed.ncbi.nlm.nih.gov/16112300/", "pmid", "16112300"),
    ("www.ncbi.nlm.nih.gov/pubmed/16112300.", "pmid", "16112300"),
    ("https://pubmed.gov/16112300", "pmid", "16112300"),
    ("pubmed.gov/16112300", "pmid", "16112300"),
    ("europepmc.org/article/MED/16112300", "pmid", "16112300"),
    ("pmc.ncbi.nlm.nih.gov/articles/PMC6044328/", "pmcid", "PMC6044328"),
    ("www.ncbi.nlm.nih.gov/pmc/articles/PMC6044328", "pmcid", "PMC6044328"),
    ("journals.sagepub.com/doi/10.1177/21925682241260651", "doi",
     "10.1177/21925682241260651"),
    ("doi.org/10.1056/NEJMoa050450", "doi", "10.1056/nejmoa050450"),
    # Written as a DOI, not an address: the DOI whole, its "#" and "?" included.
    ("doi.org/10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-#", "doi",
     "10.1002/(sici)1097-0142(19990101)85:1<1::aid-cncr1>3.0.co;2-#"),
    ("dx.doi.org/10.1000/a?b", "doi", "10.1000/a?b"),
    # The legacy Entrez pages, as older reference lists and bookmarks link an article.
    ("http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&db=PubMed&list_uids=16112300"
     "&dopt=Abstract", "pmid", "16112300"),
    ("https://www.ncbi.nlm.nih.gov/sites/entrez?Db=pubmed&Cmd=ShowDetailView&"
     "TermToSearch=16112300&ordinalpos=1", "pmid", "16112300"),
    ("http://www.ncbi.nlm.nih.gov/sites/entrez/16112300", "pmid", "16112300"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/pmid/16112300/", "pmid", "16112300"),
])
def test_parse(text: str, kind: str, value: str) -> None:
    assert parse_identifier(text) == Identifier(kind, value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("123456789", "1 to 8 digits"),
    ("0", "start at 1"),
    ("hello", "not a DOI, PMID or PMCID"),
    ("10.12/short", "10.NNNN/suffix"),
    ("10.1234/a b", "spaces"),
    ("10.1234/a\x00b", "control characters"),
    ("10.1234/ab\u200b", "control characters"),
    ("PMCX1", "PMCID"),
    ("https://example.org/page", "without a DOI"),
    ("example.org/page", "'example.org/page' is a web address without a DOI"),
    # Another database's page, or several articles, is not one PubMed article.
    ("http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&db=gene&list_uids=672",
     "web address without a DOI"),
    ("http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?db=PubMed&list_uids=16112300,21333599",
     "web address without a DOI"),
    ("pubmed.ncbi.nlm.nih.gov/123456789/", "'pubmed.ncbi.nlm.nih.gov/123456789/' is a web "
     "address without"),
    ("12.5", "not a DOI, PMID or PMCID"),
])
def test_reject_with_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_identifier(text)


def test_find_identifiers_takes_only_unmistakable_forms() -> None:
    text = """Patchell RA et al. Lancet 2005. PMID: 16112300
    We treated 42 patients in 2019 at 3 centres.
    • 10.1097/BRS.0000000000001234,
    see https://pubmed.ncbi.nlm.nih.gov/9997/ and PMC123
    12345678
    16112300
    """
    found = find_identifiers(text)
    got = [(f.identifier.kind, f.identifier.value) if f.identifier else ("bad", f.text)
           for f in found]
    assert got == [
        ("pmid", "16112300"),
        ("bad", "We treated 42 patients in 2019 at 3 centres."),
        ("doi", "10.1097/brs.0000000000001234"),
        ("pmid", "9997"),
        ("pmcid", "PMC123"),
        ("pmid", "12345678"),
    ]
    assert "not a DOI" in found[1].reason


@pytest.mark.parametrize(("line", "expected"), [
    # Copied without its spaces, the citation runs on after the DOI's last dot.
    ("Spine J. 2020;20(5):1-9. doi:10.1016/j.spinee.2020.01.001.Epub 2020 Jan 3.",
     ("doi", "10.1016/j.spinee.2020.01.001")),
    ("Spine. 2020;45:1. doi: 10.1097/BRS.0000000000003456.PMID: 32000000",
     ("pmid", "32000000")),  # the DOI and the PMID of one work: its PMID, as ever
    ("J Neurosurg Spine. 2020;32:1-8. doi:10.3171/2020.1.SPINE191234.eCollection 2020",
     ("doi", "10.3171/2020.1.spine191234")),
    ("Available at doi:10.1002/14651858.CD006349.pub4.Accessed June 1, 2024",
     ("doi", "10.1002/14651858.cd006349.pub4")),
    # A dot and a capital inside a DOI is the DOI's own (the Journal of Neurosurgery's).
    ("J Neurosurg Spine 13:324, 2010. doi:10.3171/2010.3.SPINE09459",
     ("doi", "10.3171/2010.3.spine09459")),
])
def test_a_citation_run_on_after_a_dois_last_dot_is_not_the_doi(
        line: str, expected: tuple[str, str]) -> None:
    [found] = find_identifiers(line)
    assert found.identifier is not None
    assert (found.identifier.kind, found.identifier.value) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_never_crashes(text: str) -> None:
    try:
        ident = parse_identifier(text)
    except InvalidIdentifier:
        return
    assert ident.kind in ("doi", "pmid", "pmcid")


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.integers(1, 99_999_999).map(lambda n: Identifier("pmid", str(n))),
    st.integers(1, 999_999_999).map(lambda n: Identifier("pmcid", f"PMC{n}")),
    st.tuples(st.integers(1000, 99999),
              st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._;()/:", min_size=1,
                      max_size=30).filter(lambda s: s[-1] not in ".,;:)" and s.count("(") >= s.count(")")))
    .map(lambda t: Identifier("doi", f"10.{t[0]}/{t[1]}")),
))
def test_round_trip(ident: Identifier) -> None:
    assert parse_identifier(ident.value) == ident
    assert parse_identifier(ident.url) == ident
    found = find_identifiers(f"see {ident.url} for details")
    assert found[0].identifier == ident


@pytest.mark.parametrize(("junk", "reason"), [
    ("\x00\x01", "'\\x00\\x01' contains control characters"),
    ("(((", "'(((' is not a DOI, PMID or PMCID"),
    ("PMID:", "'PMID:' is not a PMID (expected 1 to 8 digits)"),
    ("doi:", "'doi:' is not a DOI (expected 10.NNNN/suffix)"),
    ("http://", "'http://' is a web address without a DOI, PMID or PMCID in it"),
    ("10./", "'10./' is not a DOI (expected 10.NNNN/suffix)"),
])
def test_find_identifiers_reports_junk_as_one_unrecognised_line(junk: str, reason: str) -> None:
    [found] = find_identifiers(junk)
    assert found.identifier is None
    assert found.text == junk and found.reason == reason


def test_find_identifiers_drops_a_bidi_override_before_a_doi() -> None:
    # A right-to-left override pasted before a DOI must neither hide it nor travel with it.
    [found] = find_identifiers("\u202e10.1234/x")
    assert found.identifier == Identifier("doi", "10.1234/x")
    assert found.text == "10.1234/x" and found.reason == ""


def _slow_identifier_or_empty(kind: str, raw: str) -> str:
    """identifier_or_empty without its fast paths: the general parser alone."""
    raw = raw.strip()
    if kind == "pmcid" and raw.isdigit():
        raw = "PMC" + raw
    try:
        ident = parse_identifier(raw)
    except InvalidIdentifier:
        return ""
    return ident.value if ident.kind == kind else ""


@settings(max_examples=400)
@given(st.sampled_from(["pmid", "pmcid", "doi"]),
       st.one_of(st.text(alphabet="0123456789", max_size=11),
                 st.text(alphabet="0123456789 \u0663\u00a0PMCpmc", max_size=12),
                 st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9.()/-]{1,12}", fullmatch=True)))
def test_identifier_or_empty_fast_paths_agree_with_the_parser(kind: str, raw: str) -> None:
    # The fast paths (issue 19: a big file's reference lists) must never give another answer
    # than the general parser: leading zeros, nine digits, non-ASCII digits, a lone 0...
    assert identifier_or_empty(kind, raw) == _slow_identifier_or_empty(kind, raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("12345678", "12345678"), ("0012", "12"), ("123456789", ""), ("0", ""),
    ("\u0661\u0662", "12"), (" 35300000 ", "35300000"),
])
def test_identifier_or_empty_reads_pmids(raw: str, expected: str) -> None:
    assert identifier_or_empty("pmid", raw) == expected


@pytest.mark.parametrize("kind, text, why", [
    ("doi", "not a doi", "'not a doi' is not a DOI"),
    ("pmid", "12ab", "'12ab' is not a PMID"),
    ("pmid", "10.1234/x", "'10.1234/x' is a DOI, not a PMID"),
    ("doi", "16112300", "'16112300' is a PMID, not a DOI"),
    ("pmcid", "PMID: 12", "'PMID: 12' is a PMID, not a PMCID"),
    ("pmid", "0", "'0' is not a PMID (PMIDs start at 1)"),  # the parser's own reason kept
])
def test_a_field_of_one_kind_says_what_it_wanted(kind: str, text: str, why: str) -> None:
    assert identifier_of_kind(kind, text) == ("", why)


def test_a_field_of_one_kind_normalises_what_it_accepts() -> None:
    assert identifier_of_kind("pmid", "PMID: 0123456") == ("123456", "")
    assert identifier_of_kind("doi", "https://doi.org/10.1016/S0140-6736(05)66954-1") == (
        "10.1016/s0140-6736(05)66954-1", "")


@pytest.mark.parametrize(("line", "expected"), [
    # PubMed's citation (its Cite button, NLM): one work, its PMID kept.
    ("Laufer I, Rubin DG. The NOMS framework. Oncologist. 2013;18(6):744-51. doi: "
     "10.1634/theoncologist.2012-0293. PMID: 23709750; PMCID: PMC4063402.",
     [("pmid", "23709750")]),
    ("Antzoulatos EG. Neuron. 2014 Jul 2;83(1):216-25. doi: 10.1016/j.neuron.2014.05.005. "
     "Epub 2014 Jun 12. PMID: 24930701; PMCID: PMC4098789.", [("pmid", "24930701")]),
    ("Smith A. Spine J. 2024. doi: 10.1016/j.spinee.2024.01.001. [Epub ahead of print] "
     "PMID: 38000001.", [("pmid", "38000001")]),
    ("Kather JN. Sci Rep. 2016;6:27988. doi: 10.1038/srep27988 PMCID: PMC4910082",
     [("doi", "10.1038/srep27988")]),
    # Words between them, or two of a kind: different works, all kept.
    ("see PMID: 16112300 and doi 10.5555/zz", [("pmid", "16112300"), ("doi", "10.5555/zz")]),
    ("10.1000/a1 10.1000/b2 PMID: 16112300",
     [("doi", "10.1000/a1"), ("doi", "10.1000/b2"), ("pmid", "16112300")]),
])
def test_a_references_identifiers_name_one_work(line: str,
                                                 expected: list[tuple[str, str]]) -> None:
    """A reference line gives its work's DOI, PMID and PMCID together: importing all three
    counted one article three times ("3 new") and fetched it three times."""
    assert [(f.identifier.kind, f.identifier.value) for f in find_identifiers(line)
            if f.identifier] == expected


def test_a_publishers_view_steps_are_walked_back_however_many() -> None:
    """The view after a DOI is taken off step by step from the end (no regex to backtrack
    over a hostile address); the DOI's own suffix stays whatever it reads."""
    hostile = "https://example.org/doi/10.1002/x" + "/full" * 20_000
    assert parse_identifier(hostile) == Identifier("doi", "10.1002/x")
    assert parse_identifier("https://example.org/doi/10.1234/full") == Identifier(
        "doi", "10.1234/full")


@pytest.mark.parametrize(("line", "found"), [
    ("Available from: pubmed.ncbi.nlm.nih.gov/16112300/", [("pubmed.ncbi.nlm.nih.gov/16112300/",
                                                             "PMID 16112300")]),
    ("see www.ncbi.nlm.nih.gov/pmc/articles/PMC6044328/ and europepmc.org/article/MED/"
     "21333599.", [("www.ncbi.nlm.nih.gov/pmc/articles/PMC6044328/", "PMCID PMC6044328"),
                   ("europepmc.org/article/MED/21333599", "PMID 21333599")]),
    # The sentence's brackets and stop are not the address's; its own brackets are.
    ("(see https://pubmed.ncbi.nlm.nih.gov/16112300/).", [
        ("https://pubmed.ncbi.nlm.nih.gov/16112300/", "PMID 16112300")]),
    ("(https://doi.org/10.1016/S0140-6736(05)66954-1).", [
        ("https://doi.org/10.1016/S0140-6736(05)66954-1", "DOI 10.1016/s0140-6736(05)66954-1")]),
    ("[pmc.ncbi.nlm.nih.gov/articles/PMC6044328/]; next", [
        ("pmc.ncbi.nlm.nih.gov/articles/PMC6044328/", "PMCID PMC6044328")]),
])
def test_addresses_in_prose_are_found_without_their_scheme_or_the_sentences_ending(
        line: str, found: list[tuple[str, str]]) -> None:
    assert [(f.text, str(f.identifier)) for f in find_identifiers(line)] == found
