"""PubMed's field tags typed in the search box (spinelib.library.pubmedtags): what a surgeon
types in PubMed every day finds in SpineLib what the tag names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.library.fieldquery import parse
from spinelib.library.pubmedtags import rewrite
from spinelib.records import Author, MeshHeading

from .helpers import make_record


@pytest.mark.parametrize(("typed", "reads"), [
    ("bilsky[au]", "author:bilsky"),
    ("Bilsky MH[au]", 'author:"Bilsky MH"'),
    ("Bilsky MH[Author]", 'author:"Bilsky MH"'),
    ("kyphoplasty[ti]", "title:kyphoplasty"),
    ("spinal cord compression[mh]", 'mesh:"spinal cord compression"'),
    ('"spinal neoplasms"[MeSH Terms]', 'mesh:"spinal neoplasms"'),
    ('"global spine j"[ta]', 'journal:"global spine j"'),
    ("2015:2020[dp]", "year:2015:2020"),
    ("review[pt]", "type:review"),
    ("randomized controlled trial[pt]", '"randomized controlled trial"'),
    ("myeloma[tiab]", "myeloma"),
    ("separation surgery[tiab]", '"separation surgery"'),
    ("16112300[pmid]", "pmid:16112300"),
    ("spine NOT bilsky[au]", "spine NOT author:bilsky"),
    ('-"spinal cord"[mh] myeloma', '-mesh:"spinal cord" myeloma'),
    ("sbrt AND laufer i[au] AND 2013[dp]", 'sbrt AND author:"laufer i" AND year:2013'),
    ("surgery 2013[dp]", "surgery year:2013"),  # a year takes no words before it
    ("T2[STIR] sequence", "T2[STIR] sequence"),  # no PubMed tag: text as typed
    ("[18F]FDG PET", "[18F]FDG PET"),
    ("plain words only", "plain words only"),
    ("2015/01/01:2020/12/31[Date - Publication]", "year:2015:2020"),
    ("2018/06[dp]", "year:2018"),
    ("Laufer I[Author - First]", 'author:"Laufer I"'),
])
def test_tags_read_as_spinelib_terms(typed: str, reads: str) -> None:
    result = rewrite(typed)
    assert result.text == reads and result.hints == []


def test_a_pubmed_filter_spinelib_cannot_apply_is_left_out_and_said() -> None:
    parsed = parse("spinal neoplasms[mh] AND english[la] AND free full text[sb]")
    assert [(t.kind, t.text) for t in parsed.terms] == [("mesh", "spinal neoplasms")]
    assert parsed.free_text == ""
    assert parsed.hints == [
        "“[la]” is a PubMed field SpineLib does not search by; “english[la]” was left out of "
        "the search.",
        "“[sb]” is a PubMed field SpineLib does not search by; “free full text[sb]” was left "
        "out of the search."]
    # The words before such a filter are the user's own search, not the filter's value.
    mine = parse("myeloma english[la]")
    assert mine.free_text == "myeloma" and "“english[la]” was left out" in mine.hints[0]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        library.articles.add_record(make_record())  # Patchell 2005, Lancet
        library.articles.add_record(make_record(
            pmid="23", doi="", title="Separation surgery and SBRT: a review of hybrid therapy",
            authors=[Author("Laufer", "Ilya", "I"), Author("Bilsky", "Mark H", "MH")],
            year=2013, journal="Journal of Neurosurgery: Spine", journal_abbrev="J Neurosurg Spine",
            abstract="", type="review",
            mesh=[MeshHeading("D001", "Spinal Cord Compression", True)]))
        library.articles.add_record(make_record(
            pmid="24", doi="", title="Kyphoplasty for pathologic fracture in myeloma patients",
            authors=[Author("Berenson", "James", "J")], year=2018, journal="Lancet Oncol",
            journal_abbrev="Lancet Oncol",
            mesh=[]))
        yield library


def keys(lib: Library, text: str) -> list[str]:
    return sorted(lib.articles.citekey(i) for i in lib.search.ids(Query(search=text)))


def test_pubmeds_own_query_translation_reads_as_it_means(lib: Library) -> None:
    """What PubMed shows under "Search details", pasted whole: a MeSH term OR its words
    grouped, a subheading SpineLib cannot apply, a publication-date range."""
    details = ('("spinal cord compression"[MeSH Terms] OR ("spinal"[All Fields] AND '
               '"compression"[All Fields])) AND ("surgery"[Subheading] OR "surgery"[All Fields])'
               " AND 2010/01/01:2015/12/31[Date - Publication]")
    parsed = parse(details)
    assert [t.kind for t in parsed.terms] == ["any", "year"]
    assert [(a.kind, a.text) for a in parsed.terms[0].alternatives] == [
        ("mesh", "spinal cord compression"), ("text", "( spinal compression )")]
    assert (parsed.terms[1].low, parsed.terms[1].high) == (2010, 2015)
    assert "“[Subheading]” is a PubMed field" in parsed.hints[0]
    assert keys(lib, details) == ["laufer2013separation"]


def test_tagged_searches_find_what_pubmed_would(lib: Library) -> None:
    # Before: the tag was searched as a word ("tiab", "au"), so these found nothing.
    assert keys(lib, "kyphoplasty[tiab]") == ["berenson2018kyphoplasty"]
    assert keys(lib, "bilsky mh[au]") == ["laufer2013separation"]
    assert keys(lib, "spinal cord compression[mh]") == ["laufer2013separation"]
    assert keys(lib, "2015:2020[dp]") == ["berenson2018kyphoplasty"]
    assert keys(lib, "review[pt]") == ["laufer2013separation"]
    assert keys(lib, "lancet[ta] NOT myeloma[ti]") == ["patchell2005direct"]
