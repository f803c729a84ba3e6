"""MEDLINE / .nbib reading (spinelib.formats.medline)."""

from __future__ import annotations

from pathlib import Path

from spinelib.formats import detect, read_file
from spinelib.formats.medline import read_medline
from spinelib.records import Author, MeshHeading

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def test_reads_pubmed_send_to_file() -> None:
    path = DATA / "pubmed_send_to.nbib"
    assert detect(path) == "medline"
    result = read_file(path)
    assert result.problems == [] and result.warnings == []
    assert [r.pmid for r in result.records] == ["16125588", "23709750", "21333599", "20301577"]
    assert all(r.source == "medline" for r in result.records)


def test_article_fields() -> None:
    patchell = read_file(DATA / "pubmed_send_to.nbib").records[0]
    assert patchell.title == (
        "Direct decompressive surgical resection in the treatment of spinal cord compression "
        "caused by metastatic cancer: a randomised trial")  # continuation joined, period gone
    assert patchell.journal == "Lancet (London, England)" and patchell.journal_abbrev == "Lancet"
    assert (patchell.year, patchell.month, patchell.day) == (2005, 8, 20)
    assert (patchell.volume, patchell.issue, patchell.pages) == ("366", "9486", "643-648")
    assert patchell.doi == "10.1016/s0140-6736(05)66954-1"
    assert patchell.issn == "0140-6736"
    assert patchell.language == "eng"
    assert patchell.publication_types == ["Clinical Trial", "Journal Article",
                                          "Randomized Controlled Trial"]
    assert patchell.type == "article"
    assert patchell.authors[0] == Author("Patchell", "Roy A", "RA")
    assert len(patchell.authors) == 8


def test_structured_abstract_becomes_paragraphs() -> None:
    patchell = read_file(DATA / "pubmed_send_to.nbib").records[0]
    paragraphs = patchell.abstract.split("\n\n")
    assert [p.split(":")[0] for p in paragraphs] == ["BACKGROUND", "METHODS", "FINDINGS",
                                                     "INTERPRETATION"]
    assert paragraphs[1].endswith("The primary endpoint was the ability to walk.")


def test_mesh_headings() -> None:
    mesh = read_file(DATA / "pubmed_send_to.nbib").records[0].mesh
    assert MeshHeading(ui="", name="Aged") in mesh
    assert MeshHeading(ui="", name="Decompression, Surgical", major=True,
                       qualifiers=["methods"]) in mesh
    assert MeshHeading(ui="", name="Spinal Cord Compression", major=True,
                       qualifiers=["etiology", "radiotherapy", "surgery"]) in mesh
    assert len(mesh) == 11


def test_review_with_pmc_orcid_and_keywords() -> None:
    laufer = read_file(DATA / "pubmed_send_to.nbib").records[1]
    assert laufer.type == "review"
    assert laufer.pmcid == "PMC4063402"
    assert laufer.authors[0].orcid == "0000-0002-1825-0097"
    assert laufer.keywords == ["NOMS", "Spinal metastases", "Stereotactic radiosurgery"]
    assert laufer.issn == "1083-7159"  # Print before Electronic
    assert (laufer.year, laufer.month) == (2013, None)
    assert "\n\n" not in laufer.abstract  # not structured


def test_collective_author_in_byline_order_and_erratum_flag() -> None:
    berenson = read_file(DATA / "pubmed_send_to.nbib").records[2]
    assert [a.family or a.collective for a in berenson.authors] == [
        "Berenson", "Pflugmacher", "Jarzem",
        "Cancer Patient Fracture Evaluation (CAFE) Investigators"]
    assert berenson.has_erratum and not berenson.retracted
    assert berenson.month == 3


def test_book_chapter() -> None:
    chapter = read_file(DATA / "pubmed_send_to.nbib").records[3]
    assert chapter.type == "chapter"
    assert chapter.title == "Example Syndrome"
    assert chapter.book_title == "GeneReviews((R))"
    assert chapter.publisher == "University of Washington, Seattle"
    assert [a.family for a in chapter.authors] == ["Example"]  # editors (FED/ED) left out


def test_old_records_without_fau_and_crlf() -> None:
    text = ("PMID- 9997\r\nTI  - An old record.\r\nAU  - Smith JA\r\nAU  - World Health "
            "Organization\r\nDP  - 1976 Spring\r\nPG  - 12-9\r\nRIN - Something\r\n")
    rec = read_medline(text, "t.nbib").records[0]
    assert rec.authors == [Author("Smith", initials="JA"),
                           Author("World Health Organization")]
    assert (rec.year, rec.month) == (1976, None)
    assert rec.pages == "12-19"
    assert rec.retracted


def test_bad_pmid_and_empty_record_reported() -> None:
    text = "PMID- 12ab\nTI  - Title kept.\n\nPMID- \nOWN - NLM\n"
    result = read_medline(text, "t.nbib")
    assert [r.title for r in result.records] == ["Title kept"]
    assert result.problems == ["t.nbib record 2 (line 4): neither a title nor a PMID (skipped)"]
    assert result.warnings == ["t.nbib record 1 (line 1): '12ab' is not a PMID (dropped)"]


def test_empty_text_warns() -> None:
    result = read_medline("\n\n", "e.nbib")
    assert result.records == [] and result.warnings == ["e.nbib has no MEDLINE records"]


def test_generational_suffixes_keep_their_own_place() -> None:
    """MEDLINE writes "Jr" and "3rd" after the names; kept in the given names they made
    citations read "Kryscio RJJ"."""
    text = ("PMID- 16112300\nTI  - A trial.\nFAU - Kryscio, Richard J Jr\nAU  - Kryscio RJ Jr\n"
            "FAU - Young, Byron 3rd\nAU  - Young B 3rd\nAU  - Smith J II\nAU  - Doe II\n"
            "FAU - Roe, Jr\n")
    authors = read_medline(text, "t.nbib").records[0].authors
    assert authors == [Author("Kryscio", "Richard J", initials="RJ", suffix="Jr"),
                       Author("Young", "Byron", initials="B", suffix="3rd"),
                       Author("Smith", initials="J", suffix="II"),
                       Author("Doe", initials="II"),  # initials, not a suffix
                       Author("Roe", "Jr")]  # a lone given name is the name
