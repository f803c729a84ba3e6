"""EndNote XML import (spinelib.formats.endnote_xml): a surgeon's EndNote library, moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.errors import FormatError
from spinelib.formats import READERS, detect, read_file
from spinelib.formats.endnote_xml import read_endnote_xml_bytes
from spinelib.library import Library
from spinelib.records import Author

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"
EXPORT = DATA / "endnote_export.xml"


def test_an_endnote_library_export_reads_field_by_field() -> None:
    result = read_file(EXPORT)
    assert [r.type for r in result.records] == ["article", "chapter", "article", "thesis"]
    patchell, chapter, styled, thesis = result.records
    assert patchell.title.startswith("Direct decompressive surgical resection")
    assert patchell.authors[:2] == [Author("Patchell", "R. A."), Author("Tibbs", "P. A.")]
    assert (patchell.journal, patchell.journal_abbrev) == ("Lancet", "Lancet")
    assert (patchell.year, patchell.month, patchell.day) == (2005, 8, 20)
    assert (patchell.volume, patchell.issue, patchell.pages) == ("366", "9486", "643-648")
    assert patchell.issn == "0140-6736"  # of "1474-547X (Electronic)\r0140-6736 (Linking)"
    assert (patchell.doi, patchell.pmid, patchell.pmcid) == (
        "10.1016/s0140-6736(05)66954-1", "16112300", "PMC1234567")
    assert patchell.keywords == ["Decompression, Surgical",
                                 "Spinal Cord Compression/etiology/*surgery"]
    # EndNote's CR line breaks are paragraphs; Notes and Research Notes are both kept.
    assert patchell.abstract.split("\n\n")[1].startswith("FINDINGS:")
    assert patchell.notes.startswith("Patchell, Roy A\n\nTibbs, Phillip A")
    assert patchell.notes.endswith("<pre-op MRI> criteria matter for our cohort")
    assert patchell.language == "eng" and patchell.source == "endnote"
    assert patchell.url == ""  # the PubMed link is the PMID's, not a URL of its own

    assert chapter.book_title == "Spine Oncology: Principles and Practice"
    assert chapter.authors[1] == Author(collective="Spine Oncology Study Group")
    assert (chapter.publisher, chapter.place, chapter.pages) == ("Thieme", "New York",
                                                                "211-224")

    # Style runs (an italic gene name) are joined; "&amp;lt;" is the text "&lt;".
    assert styled.title == ("Effect of TP53 mutations on survival after &lt;SBRT&gt; for "
                            "spinal metastases")
    assert styled.abstract == "Local control was better (p < 0.05)."
    assert styled.doi == "10.1177/21925682241234567"  # given as a doi.org link
    assert styled.pmid == ""  # an Embase accession number is not a PMID
    assert styled.pages == "e4021"  # the article number, with no pages

    assert (thesis.institution, thesis.publication_types) == ("University of Toronto",
                                                              ["Ph.D. thesis"])
    assert result.problems == ["endnote_export.xml record 5 (EndNote #16): neither a title "
                               "nor a DOI, PMID or PMCID (skipped)"]
    assert len(result.warnings) == 1 and "1 attached file is inside" in result.warnings[0]
    assert "internal-pdf://" in result.warnings[0]


def test_told_from_pubmed_xml_by_its_content(tmp_path: Path) -> None:
    assert detect(EXPORT) == "endnote"
    copy = tmp_path / "library.txt"
    copy.write_bytes(EXPORT.read_bytes())
    assert detect(copy) == "endnote"


def test_imported_from_the_command_line(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    lib_path = tmp_path / "lib.sqlite"
    code = main(["--library", str(lib_path), "import", str(EXPORT)])
    out, err = capsys.readouterr()
    assert code == 1  # one record was skipped: said, and the others stored
    assert "4 imported, 1 failed" in out + err
    assert "record 5 (EndNote #16): neither a title" in err
    assert "internal-pdf://" in err
    with Library.open(lib_path) as lib:
        assert lib.search.count() == 4
        held = lib.articles.record(lib.articles.resolve_key("16112300"))
        assert held.pmcid == "PMC1234567"


def test_a_type_known_only_by_its_number_and_an_unknown_type() -> None:
    data = (b'<xml><records><record><ref-type>6</ref-type><titles><title>A book</title>'
            b'</titles></record><record><ref-type name="Artwork">2</ref-type><titles>'
            b'<title>A picture</title></titles></record></records></xml>')
    result = read_endnote_xml_bytes(data, "t.xml")
    assert [r.type for r in result.records] == ["book", "other"]


def test_text_already_decoded_reads_whatever_its_declaration_said() -> None:
    text = ('<?xml version="1.0" encoding="ISO-8859-1"?><xml><records><record><ref-type '
            'name="Journal Article">17</ref-type><contributors><authors><author>Müller, J'
            '</author></authors></contributors><titles><title>Résultats de la cimentoplastie'
            '</title></titles></record></records></xml>')
    [rec] = READERS["endnote"](text, "t.xml").records
    assert rec.authors == [Author("Müller", "J")]
    assert rec.title == "Résultats de la cimentoplastie"


def test_an_export_without_records_is_a_warning() -> None:
    result = read_endnote_xml_bytes(b"<xml><records/></xml>", "empty.xml")
    assert result.records == [] and result.problems == []
    assert result.warnings == ["empty.xml has no EndNote records"]


@pytest.mark.parametrize(("data", "says"), [
    (b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><records><record>'
     b'<titles><title>&a;</title></titles></record></records></xml>', "declares XML entities"),
    (b"<xml><records><record><titles><title>Cut", "truncated or not well-formed XML"),
])
def test_a_refused_file_gives_no_records(data: bytes, says: str) -> None:
    with pytest.raises(FormatError, match=says):
        read_endnote_xml_bytes(data, "x.xml")


def test_a_dry_run_names_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--library", str(tmp_path / "lib.sqlite"), "import", "--dry-run",
                 str(EXPORT)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "endnote_export.xml: EndNote XML file, 5 entries: 2 new" in out + err
    assert "1 unreadable" in out + err and "nothing imported" in out + err
