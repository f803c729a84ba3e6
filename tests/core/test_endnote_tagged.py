"""EndNote tagged text (.enw): Google Scholar's "EndNote" link, publishers' citation
downloads and EndNote's own tagged export, read field by field as EndNote's RIS is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.cli import main
from spinelib.formats import detect, read_file
from spinelib.formats.endnote_tagged import read_endnote_tagged
from spinelib.library import Library
from spinelib.records import Author

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"
EXPORT = DATA / "endnote_tagged.enw"

SCHOLAR = """%0 Journal Article
%T Direct decompressive surgical resection in the treatment of spinal cord compression caused by metastatic cancer: a randomised trial
%A Patchell, Roy A
%A Tibbs, Phillip A
%J The Lancet
%V 366
%N 9486
%P 643-648
%@ 0140-6736
%D 2005
%I Elsevier
"""


def test_google_scholar_s_endnote_download() -> None:
    [rec] = read_endnote_tagged(SCHOLAR, "scholar.enw").records
    assert rec.title.startswith("Direct decompressive surgical resection") and rec.type == "article"
    assert rec.authors == [Author("Patchell", "Roy A"), Author("Tibbs", "Phillip A")]
    assert (rec.journal, rec.year, rec.volume, rec.issue, rec.pages) == (
        "The Lancet", 2005, "366", "9486", "643-648")
    assert (rec.issn, rec.publisher, rec.source) == ("0140-6736", "Elsevier", "enw")


def test_an_endnote_tagged_export_reads_field_by_field() -> None:
    result = read_file(EXPORT)
    patchell, chapter, thesis = result.records
    assert (patchell.doi, patchell.pmid, patchell.pmcid) == (
        "10.1016/s0140-6736(05)66954-1", "16112300", "PMC1234567")
    assert (patchell.month, patchell.day, patchell.pages, patchell.issn) == (
        8, 20, "643-648", "0140-6736")  # of two ISSNs on two lines, the linking one
    assert patchell.keywords == ["Decompression, Surgical",
                                 "Spinal Cord Compression/etiology/*surgery"]
    assert patchell.abstract == (
        "BACKGROUND: The standard treatment for spinal cord compression is radiotherapy.\n\n"
        "FINDINGS: Significantly more patients in the surgery group were able to walk after "
        "treatment (p=0.001).")  # its second line a paragraph of its own
    assert patchell.notes == "<pre-op MRI> criteria matter for our cohort"  # not read as HTML
    assert (chapter.type, chapter.book_title, chapter.publisher, chapter.place) == (
        "chapter", "Spine Oncology: Principles and Practice", "Thieme", "New York")
    assert (thesis.type, thesis.institution, thesis.publication_types) == (
        "thesis", "University of Toronto", ["Ph.D. thesis"])
    assert result.problems == ["endnote_tagged.enw record 4 (line 47): neither a title nor a "
                               "DOI, PMID or PMCID (skipped)"]


def test_told_by_its_suffix_or_its_content(tmp_path: Path) -> None:
    assert detect(EXPORT) == "enw"
    copy = tmp_path / "citations.txt"
    copy.write_bytes(EXPORT.read_bytes())
    assert detect(copy) == "enw"


def test_imported_from_the_command_line(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    lib_path = tmp_path / "lib.sqlite"
    code = main(["--library", str(lib_path), "import", "--no-refs", str(EXPORT)])
    out, err = capsys.readouterr()
    assert code == 1 and "3 imported, 1 failed" in out + err
    with Library.open(lib_path) as lib:
        assert lib.articles.record(lib.articles.resolve_key("16112300")).pmcid == "PMC1234567"


@given(st.lists(st.sampled_from(
    ["%0 Journal Article", "%0 Book", "%0", "%T A title", "%A Doe, J", "%D 2020", "%D x",
     "%R 10.1/x", "%R junk", "%M 123", "%@ 0140-6736", "%K a", "b", "", "  ", "%", "%%",
     "%X text", "more text", "%Z <p>note", "%~ Embase", "%P 1-", "&#10;"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_arrangement_of_lines_is_read_or_reported(lines: list[str]) -> None:
    result = read_endnote_tagged("\n".join(lines), "t.enw")
    assert all(r.title or r.identifiers() for r in result.records)
