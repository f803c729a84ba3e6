"""Scopus's BibTeX export (``source = {Scopus}``) is read as its RIS and CSV exports are
(spinelib/formats/bibtex/scopus.py): its document type, both keyword fields split on "; ",
the cited works as the reference list, the ISSN hyphenated, the abbreviation, an article
number for pages, a conference paper's proceedings, in-press and retracted papers, and its
"Cited by" bookkeeping kept out of the surgeon's notes. A hand-kept .bib is read as before."""

from __future__ import annotations

from pathlib import Path

from spinelib.formats import read_file
from spinelib.formats.bibtex import read_bibtex

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def test_scopus_fields_are_read() -> None:
    result = read_file(DATA / "scopus.bib")
    assert result.problems == [] and result.warnings == []
    noms, tokuhashi, retracted = result.records
    assert (noms.type, noms.issn, noms.journal_abbrev) == ("review", "1083-7159", "Oncologist")
    assert noms.keywords == ["Metastatic spine disease", "Radiation", "Separation surgery",
                             "spinal cord compression, metastatic"]
    assert [(r.position, r.doi) for r in noms.references] == [
        (1, "10.3171/2010.3.spine09459"), (2, "")]
    assert noms.notes == ""  # "Cited by: 245; All Open Access…" is Scopus's, not a note
    assert noms.pages == "744-751"  # "744 – 751"
    assert (tokuhashi.type, tokuhashi.journal, tokuhashi.pages, tokuhashi.pubstate) == (
        "conference", "", "e4021", "inpress")
    assert tokuhashi.book_title.startswith("Proceedings of the 32nd Annual Meeting")
    assert retracted.retracted and retracted.type == "article"
    assert (retracted.pmid, retracted.issn) == ("31234567", "0362-2436")


def test_the_same_record_reads_alike_from_each_scopus_export() -> None:
    records = [read_file(DATA / name).records[0]
               for name in ("scopus.bib", "scopus.csv", "scopus.ris")]
    for name in ("title", "year", "volume", "issue", "pages", "doi", "pmid", "issn", "type",
                 "journal", "journal_abbrev"):
        assert len({getattr(r, name) for r in records}) == 1, name
    assert len({tuple(a.family for a in r.authors) for r in records}) == 1
    assert len({tuple(c.doi for c in r.references) for r in records}) == 1
    bib, csv, _ris = records
    assert bib.keywords == csv.keywords[:3] + ["spinal cord compression, metastatic"]


def test_a_hand_kept_bib_keeps_its_type_keywords_and_note() -> None:
    """Without ``source = {Scopus}`` the same fields mean what they always did."""
    text = ("@article{k, title={T}, year={2020}, type={Review}, keywords={a, b; c}, "
            "note={Cited by: 3 of my residents}, issn={10837159}}")
    [rec] = read_bibtex(text, "mine.bib").records
    assert (rec.type, rec.keywords, rec.notes, rec.issn) == (
        "article", ["a", "b", "c"], "Cited by: 3 of my residents", "10837159")


def test_a_conference_paper_in_a_journal_issue_is_an_article_of_that_journal() -> None:
    """Scopus types a meeting's paper published in a journal issue (IEEE Transactions on
    Magnetics 52(2): 173 of the 372 conference papers of a published RIS export) a
    conference paper with the journal as its source; it is cited as an article of that
    journal. A proceedings volume (no issue, or a month or a part for one) stays a
    conference paper."""
    from spinelib.formats.ris import read_ris
    from spinelib.formats.scopus_csv import read_scopus_csv

    ris = ("TY  - CONF\nTI  - Separation surgery robots\nT2  - Spine Journal\nJ2  - Spine J\n"
           "VL  - 24\nIS  - {issue}\nSP  - S12\nPY  - 2024\nM3  - Conference Paper\n"
           "DB  - Scopus\nER  - \n")
    csv = ('"Title","Source title","Abbreviated Source Title","Volume","Issue","Page start",'
           '"Document Type","EID"\n"Separation surgery robots","Spine Journal","Spine J","24",'
           '"{issue}","S12","Conference paper","2-s2.0-1"\n')
    bib = ("@CONFERENCE{k, title = {Separation surgery robots}, year = {2024}, "
           "journal = {Spine Journal}, volume = {24}, number = {{issue}}, pages = {S12}, "
           "abbrev_source_title = {Spine J}, type = {Conference paper}, source = {Scopus}}")
    for read in (lambda issue: read_ris(ris.replace("{issue}", issue)),
                 lambda issue: read_scopus_csv(csv.replace("{issue}", issue), "s.csv"),
                 lambda issue: read_bibtex(bib.replace("{issue}", issue), "s.bib")):
        in_issue = read("9S").records[0]
        assert (in_issue.type, in_issue.journal, in_issue.book_title, in_issue.issue) == (
            "article", "Spine Journal", "", "9S")
        assert in_issue.journal_abbrev == "Spine J"  # the CSV's once lost (in_book)
        for no_journal_issue in ("", "June", "PART 1"):  # none, a month, a volume's part
            proceedings = read(no_journal_issue).records[0]
            assert (proceedings.type, proceedings.book_title) == ("conference", "Spine Journal")
