"""Web of Science's tagged text ("Plain text file", "EndNote Desktop" .ciw): a systematic
review's search results, with each article's cited references."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.cli import main
from spinelib.formats import detect, read_file
from spinelib.formats.bibtex import read_bibtex
from spinelib.formats.wos import read_wos
from spinelib.library import Library
from spinelib.records import Author, ReferenceEntry

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"
SAVED = DATA / "wos_savedrecs.txt"


def test_a_saved_records_file_reads_field_by_field() -> None:
    result = read_file(SAVED)
    patchell, fisher, kim = result.records
    assert patchell.title == ("Direct decompressive surgical resection in the treatment of "
                              "spinal cord compression caused by metastatic cancer: a "
                              "randomised trial")  # wrapped over two lines
    assert patchell.authors == [Author("Patchell", "Roy A.", "RA"),
                                Author("Tibbs", "Phillip A.", "PA"),
                                Author("Regine", "William F.", "WF", orcid="0000-0002-1825-0097")]
    assert (patchell.journal, patchell.journal_abbrev) == ("Lancet", "Lancet")
    assert (patchell.year, patchell.month, patchell.day) == (2005, 8, 20)
    assert (patchell.volume, patchell.issue, patchell.pages) == ("366", "9486", "643-648")
    assert (patchell.doi, patchell.pmid) == ("10.1016/s0140-6736(05)66954-1", "16112300")
    assert (patchell.issn, patchell.language, patchell.type) == ("0140-6736", "English",
                                                                 "article")
    assert patchell.keywords == ["spinal cord compression", "metastatic cancer",
                                 "decompressive surgery", "radiotherapy"]
    assert patchell.abstract.startswith("Background The standard treatment")
    # The cited references are the article's own reference list, with their DOIs.
    assert patchell.references == [
        ReferenceEntry(1, "Bilsky MH, 2010, J NEUROSURG-SPINE, V13, P324, DOI "
                          "10.3171/2010.3.SPINE09459", "10.3171/2010.3.spine09459"),
        ReferenceEntry(2, "Young RF, 1980, ANN NEUROL, V8, P361"),
        ReferenceEntry(3, "Loblaw DA, 2005, J CLIN ONCOL, V23, P2028, DOI "
                          "[10.1200/JCO.2005.00.067, 10.1200/jco.2005.00.067]",
                          "10.1200/jco.2005.00.067")]
    # A review, a group author named in full in its byline place, e-pages.
    assert fisher.type == "review"
    assert fisher.authors == [Author("Fisher", "Charles G.", "CG"),
                              Author(collective="Spine Oncology Study Group")]
    assert (fisher.pages, fisher.month, fisher.day) == ("E1221-E1229", 10, 15)
    # An article number for pages, "JUL-SEP" for a date, an entity decoded.
    assert (kim.pages, kim.month, kim.day, kim.journal) == ("4021", 7, None,
                                                            "Global Spine Journal")
    assert kim.title == "Stereotactic body radiotherapy after separation surgery & the ESCC scale"
    assert result.problems == [
        "wos_savedrecs.txt record 4 (line 90): the record has no ER line (the file was cut "
        "short); it was not imported"]
    assert result.warnings == [
        "wos_savedrecs.txt record 3 (line 74): 'not a doi' is not a DOI (dropped)"]


@pytest.mark.parametrize("source, iso, journal", [
    ("JOURNAL OF NEUROSURGERY-SPINE", "J. Neurosurg.-Spine", "Journal of Neurosurgery-Spine"),
    ("IEEE TRANSACTIONS ON MAGNETICS", "IEEE Trans. Magn.", "IEEE Transactions on Magnetics"),
    ("BMJ OPEN", "BMJ Open", "BMJ Open"),
    ("THE SPINE JOURNAL", "Spine J.", "The Spine Journal"),
    ("eLife", "eLife", "eLife"),  # not in capitals: left as it is
])
def test_a_journal_in_capitals_is_title_cased_keeping_acronyms(source: str, iso: str,
                                                                journal: str) -> None:
    text = f"PT J\nAU A, B\nTI T\nSO {source}\nJI {iso}\nER\n"
    assert read_wos(text, "t.txt").records[0].journal == journal


def test_told_by_its_content_or_its_suffix(tmp_path: Path) -> None:
    assert detect(SAVED) == "wos"
    ciw = tmp_path / "savedrecs.ciw"
    ciw.write_bytes(SAVED.read_bytes())
    assert detect(ciw) == "wos"
    assert read_file(DATA / "issue21" / "wos_savedrecs.txt").records[0].title == (
        "The NOMS framework")


def test_imported_with_its_reference_lists(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    lib_path = tmp_path / "lib.sqlite"
    code = main(["--library", str(lib_path), "import", "--no-refs", str(SAVED)])
    out, err = capsys.readouterr()
    # A cut record failed; a dropped DOI is a warning about a record that was imported.
    assert code == 1 and "3 imported, 1 failed" in out
    assert "warning: wos_savedrecs.txt record 3 (line 74): 'not a doi' is not a DOI" in err
    with Library.open(lib_path) as lib:
        patchell = lib.articles.record(lib.articles.resolve_key("16112300"))
        assert [r.doi for r in patchell.references] == [
            "10.3171/2010.3.spine09459", "", "10.1200/jco.2005.00.067"]
        assert lib.articles.record(lib.articles.resolve_key("20562730")).type == "review"


@given(st.lists(st.sampled_from(
    ["PT J", "AU Laufer, I", "   Rubin, DG", "AF Laufer, Ilya", "TI A title", "   wrapped",
     "SO SPINE", "JI Spine", "PD MAY 15", "PD SPR", "PY 2013", "PY 13", "BP E12", "EP",
     "AR 4021", "DI 10.1/x", "DI junk", "PM 123", "PM 0", "CR A B, 2000, X, DOI [10.1/a, 1",
     "OI a/0000-0002-1825-0097", "CA Group", "ER", "EF", "", "   ", "XX", "&#10;", "ZZ z"]),
    max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_arrangement_of_lines_is_read_or_reported(lines: list[str]) -> None:
    """Whatever the lines, the reader returns records and problems, never an exception."""
    result = read_wos("\n".join(lines), "t.txt")
    assert all(r.title or r.identifiers() for r in result.records)


def test_a_retracted_publication_is_flagged() -> None:
    text = "PT J\nAU A, B\nTI Withdrawn\nSO SPINE\nDT Article; Retracted Publication\nER\n"
    [rec] = read_wos(text, "t.txt").records
    assert rec.retracted and rec.type == "article"
    assert not read_file(SAVED).records[0].retracted


WOS_BIBTEX = """@article{ WOS:000231285700028,
Author = {Patchell, RA and Tibbs, PA and Regine, WF},
Title = {{Direct decompressive surgical resection in the treatment of spinal cord
   compression caused by metastatic cancer: a randomised trial}},
Journal = {{JOURNAL OF NEUROSURGERY-SPINE}},
Year = {{2005}},
DOI = {{10.1016/S0140-6736(05)66954-1}},
Keywords = {{spinal cord compression; metastatic cancer}},
Journal-ISO = {{J. Neurosurg.-Spine}},
Unique-ID = {{WOS:000231285700028}},
}
"""


def test_web_of_science_bibtex_export_reads_as_its_plain_text_does() -> None:
    """Its BibTeX: the accession number as the key, every value in double braces, the
    journal in capitals. The key is no citation key, the keywords are two, the journal is
    title-cased as the plain-text reader does it."""
    result = read_bibtex(WOS_BIBTEX, "savedrecs.bib")
    assert result.problems == [] and result.warnings == []
    [rec] = result.records
    assert rec.citekey == ""  # the library makes one: patchell2005direct
    assert rec.keywords == ["spinal cord compression", "metastatic cancer"]
    assert rec.journal == "Journal of Neurosurgery-Spine"
    # Another exporter's capitals and keys are its own.
    other = read_bibtex(WOS_BIBTEX.replace("WOS:000231285700028", "Patchell:RCT"), "t.bib")
    assert (other.records[0].citekey, other.records[0].journal) == (
        "Patchell:RCT", "JOURNAL OF NEUROSURGERY-SPINE")


def test_the_tab_delimited_export_reads_as_the_plain_text_does() -> None:
    """Its "Tab delimited file" (Windows: UTF-16 with a BOM, CRLF): the same tags as columns,
    authors and cited references separated by "; "."""
    tabbed = DATA / "wos_savedrecs_tab.txt"
    assert detect(tabbed) == "wos"
    result = read_file(tabbed)
    assert result.problems == [] and result.warnings == []
    plain = {r.pmid: r for r in read_file(SAVED).records}
    for rec in result.records:
        same = plain[rec.pmid]
        assert (rec.title, rec.journal, rec.type, rec.pages, rec.year, rec.month, rec.day,
                rec.doi) == (same.title, same.journal, same.type, same.pages, same.year,
                             same.month, same.day, same.doi)
        assert rec.authors == same.authors
    patchell = result.records[0]
    assert [r.doi for r in patchell.references] == ["10.3171/2010.3.spine09459", ""]
    assert patchell.keywords == plain["16112300"].keywords


def test_a_tab_delimited_row_cut_short_is_reported() -> None:
    text = "PT\tAU\tTI\tSO\tPY\tDI\nJ\tA, B\tKept\tSPINE\t2020\t\nJ\tC, D\tCut"
    result = read_wos(text, "t.txt")
    assert [r.title for r in result.records] == ["Kept"]
    assert result.problems == ["t.txt record 2 (line 3): the record has 3 of the header's 6 "
                               "columns (the file was cut short); it was not imported"]


@pytest.mark.parametrize("dates, year, month", [
    ("EA MAR 2021", 2021, 3), ("EY 2021", 2021, None), ("EA 2021", 2021, None),
    ("PY 2020\nPD DEC\nEA MAR 2021", 2020, 12),  # in its issue: the issue's date
])
def test_an_early_access_article_is_dated_by_its_early_access(dates: str, year: int,
                                                              month: int | None) -> None:
    """Online before its issue, an article has no PY yet: it was imported undated."""
    [rec] = read_wos(f"PT J\nAU A, B\nTI T\nSO SPINE\n{dates}\nER\n", "t.txt").records
    assert (rec.year, rec.month) == (year, month)
