"""Ovid's tagged export (Ovid MEDLINE, Embase): read, detected by content and by its
download names, pasted, and imported; Embase's supplement DOIs shared by abstracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.formats import detect, read_file
from spinelib.formats.ovid import read_ovid
from spinelib.library import Library
from spinelib.pasted import outside, recognise
from spinelib.records import Author, MeshHeading

#: Embase, as Ovid's "EndNote" export writes it: abstract sections on lines of their own,
#: an institution wrapped over an indented line, Emtree terms (starred when major), a DOI
#: link, and two conference abstracts sharing their supplement's DOI.
EMBASE = """<1. >
VN  - Ovid Technologies
DB  - Embase
UI  - 631234567
ST  - CONFERENCE ABSTRACT
TI  - Quality of life after separation surgery for spinal metastases.
SO  - Global Spine Journal. Conference: Annual Meeting. 10 (Supplement 2) (no pagination), 2020. Date of Publication: May 2020.
AU  - Behan L.
AU  - Lucas J.S.
IN  - (Behan, Lucas) Department of Neurosurgery, University Hospital,
      Southampton, United Kingdom
MH  - *spinal cord compression
MH  - human
MH  - *quality of life
AB  - Background: Little is known about quality of life after hybrid therapy.
Method(s): We followed 40 patients.
Conclusion(s): Quality of life improved.
IS  - 2192-5682
DO  - http://dx.doi.org/10.1177/2192568220912345
LG  - English
PT  - Conference Abstract
YR  - 2020

<2. >
VN  - Ovid Technologies
DB  - Embase
UI  - 631234568
TI  - Whole exome sequencing of spinal chordoma in siblings.
SO  - Global Spine Journal. Conference: Annual Meeting. 10 (Supplement 2) (no pagination), 2020. Date of Publication: May 2020.
AU  - Server E.A.
AB  - Exome sequencing of three families.
DO  - http://dx.doi.org/10.1177/2192568220912345
PT  - Conference Abstract
YR  - 2020

<3. >
VN  - Ovid Technologies
DB  - Embase
UI  - 2004312345
TI  - Separation surgery and stereotactic body radiotherapy for epidural spinal cord compression: a cohort study.
SO  - Journal of Neurosurgery: Spine. 33 (4) (pp 501-508), 2020. Date of Publication: 01 Oct 2020.
AU  - de la Cruz M.
PM  - 32502345
IS  - 1547-5654
IS  - 1547-5646 (electronic)
DO  - http://dx.doi.org/10.3171/2020.4.SPINE20123
PT  - Review
YR  - 2020
"""

#: Ovid MEDLINE: UI is the PMID, FA the full names, MeSH with Ovid's qualifier codes.
OVID_MEDLINE = """<1. >
VN  - Ovid Technologies
DB  - Ovid MEDLINE(R) ALL
UI  - 16112300
TI  - Direct decompressive surgical resection in the treatment of spinal cord compression caused by metastatic cancer: a randomised trial.
SO  - Lancet. 366(9486):643-8, 2005 Aug 20-26.
AU  - Patchell RA
AU  - Tibbs PA
FA  - Patchell, Roy A
FA  - Tibbs, Phillip A
MH  - *Spinal Cord Compression/su [Surgery]
MH  - Spinal Neoplasms/sc [Secondary]
MH  - Humans
AB  - BACKGROUND: The standard treatment is radiotherapy.
IS  - 0140-6736
PT  - Journal Article
PT  - Randomized Controlled Trial
LG  - English
DP  - 2005 Aug 20-26
YR  - 2005
DO  - https://dx.doi.org/10.1016/S0140-6736(05)66954-1
"""


def test_embase_records_read_with_their_journal_parts_and_abstract_sections() -> None:
    result = read_ovid(EMBASE, "ovidweb.cgi")
    assert result.problems == [] and result.warnings == []
    first, second, third = result.records
    assert first.title == "Quality of life after separation surgery for spinal metastases"
    assert first.authors == [Author("Behan", initials="L"), Author("Lucas", initials="JS")]
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "Global Spine Journal", "10", "Suppl 2", "")  # as PubMed and the styles write it
    assert (first.year, first.month, first.day) == (2020, 5, None)
    assert first.abstract == ("Background: Little is known about quality of life after hybrid "
                              "therapy.\n\nMethod(s): We followed 40 patients.\n\n"
                              "Conclusion(s): Quality of life improved.")
    assert first.doi == "10.1177/2192568220912345"
    assert first.pmid == ""  # an Embase accession number is no PMID
    assert first.mesh == [] and first.keywords == [
        "spinal cord compression", "human", "quality of life"]
    assert first.publication_types == ["Conference Abstract"] and first.language == "English"
    assert second.title == "Whole exome sequencing of spinal chordoma in siblings"
    assert (third.journal, third.volume, third.issue, third.pages) == (
        "Journal of Neurosurgery: Spine", "33", "4", "501-508")
    assert (third.year, third.month, third.day) == (2020, 10, 1)
    assert third.authors == [Author("de la Cruz", initials="M")]
    assert (third.pmid, third.issn, third.type) == ("32502345", "1547-5654", "review")
    assert third.doi == "10.3171/2020.4.spine20123"


def test_ovid_medline_reads_the_pmid_full_names_and_mesh() -> None:
    rec = read_ovid(OVID_MEDLINE, "medline.ovd").records[0]
    assert rec.pmid == "16112300"
    assert rec.authors == [Author("Patchell", "Roy A", "RA"), Author("Tibbs", "Phillip A", "PA")]
    assert (rec.journal, rec.journal_abbrev) == ("Lancet", "Lancet")
    assert (rec.volume, rec.issue, rec.pages) == ("366", "9486", "643-648")
    assert (rec.year, rec.month, rec.day) == (2005, 8, 20)
    assert rec.mesh == [MeshHeading("", "Spinal Cord Compression", True, ["surgery"]),
                        MeshHeading("", "Spinal Neoplasms", False, ["secondary"]),
                        MeshHeading("", "Humans")]
    assert rec.doi == "10.1016/s0140-6736(05)66954-1"
    assert rec.publication_types == ["Journal Article", "Randomized Controlled Trial"]


def test_records_without_their_numbers_split_at_the_vendor_line() -> None:
    text = EMBASE.replace("<2. >\n", "").replace("<3. >\n", "").replace("<1. >\n", "")
    assert [r.title[:20] for r in read_ovid(text, "t.txt").records] == [
        "Quality of life afte", "Whole exome sequenci", "Separation surgery a"]


def test_a_record_without_title_or_identifier_is_reported() -> None:
    text = "<1. >\nVN  - Ovid Technologies\nDB  - Embase\nUI  - 1\nAU  - Behan L.\n"
    result = read_ovid(text + "\n" + OVID_MEDLINE.replace("<1. >", "<2. >"), "x.ovd")
    assert [r.pmid for r in result.records] == ["16112300"]
    assert result.problems == ["x.ovd record 1 (line 1): neither a title nor a DOI or PMID "
                               "(skipped)"]


@pytest.mark.parametrize("name", ["ovidweb.cgi", "embase.ovd", "embase.txt", "embase"])
def test_ovid_files_are_detected_by_name_and_content(tmp_path: Path, name: str) -> None:
    """A file starting "<1. >" was refused as 'XML but neither PubMed XML nor EndNote XML'."""
    path = tmp_path / name
    path.write_text(EMBASE, encoding="utf-8")
    assert detect(path) == "ovid"
    assert len(read_file(path).records) == 3


def test_pasted_ovid_text_is_recognised_from_its_first_record_number() -> None:
    """The "<1. >" line is the first record's: never read as a stray identifier."""
    text = OVID_MEDLINE + "\n" + EMBASE.replace("<1. >", "<2. >")
    pasted = recognise(text)
    assert pasted is not None and pasted.describe() == "Ovid text, 4 entries"
    assert outside(text, pasted) == ""
    above = "10.1016/j.spinee.2020.01.001\n" + text
    pasted = recognise(above)
    assert pasted is not None and outside(above, pasted) == "10.1016/j.spinee.2020.01.001\n"


def test_an_embase_export_imports_every_abstract_and_again_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ovidweb.cgi"
    path.write_text(EMBASE, encoding="utf-8")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        results = lib.articles.add_records(read_file(path).records)
        assert [r.status for r in results] == ["imported"] * 3
        assert "shares DOI 10.1177/2192568220912345 with behan2020quality" in (
            results[1].messages[0])
        again = lib.articles.add_records(read_file(path).records)
        assert [r.status for r in again] == ["unchanged"] * 3
        assert lib.search.count() == 3


def test_a_windows_download_reads_the_same(tmp_path: Path) -> None:
    """Ovid's downloads have CRLF line ends, and may not be UTF-8."""
    path = tmp_path / "ovidweb.cgi"
    text = EMBASE.replace("de la Cruz M.", "Sénégas J.")
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    result = read_file(path)
    assert [r.title for r in result.records] == [r.title for r in read_ovid(text).records]
    assert result.records[0].abstract.count("\n\n") == 2
    assert result.records[2].authors == [Author("Sénégas", initials="J")]


def test_an_autoalert_email_without_vendor_lines_is_ovid() -> None:
    """Ovid's AutoAlert e-mails number the records "<1>" and may leave out the "VN" line."""
    second = OVID_MEDLINE.replace("16112300", "20809724").replace("<1. >", "<2>")
    alert = (OVID_MEDLINE.replace("<1. >", "<1>") + "\n" + second).replace(
        "VN  - Ovid Technologies\n", "")
    pasted = recognise(alert)
    assert pasted is not None and pasted.describe() == "Ovid text, 2 entries"
    assert [r.pmid for r in read_ovid(alert).records] == ["16112300", "20809724"]


@pytest.mark.parametrize(("source", "journal", "parts"), [
    ("Spine (Phila Pa 1976). 45(3):123-30, 2020 Feb 01.", "Spine (Phila Pa 1976)",
     ("45", "3", "123-130")),
    ("J. Neurosurg. Spine. 33(4):501-8, 2020 Oct.", "J. Neurosurg. Spine", ("33", "4", "501-508")),
    ("World Neurosurgery. 130 (Article Number: e123), 2019.", "World Neurosurgery",
     ("130", "", "e123")),
])
def test_the_journal_volume_issue_and_pages_come_out_of_the_source_line(
        source: str, journal: str, parts: tuple[str, str, str]) -> None:
    text = f"<1. >\nVN  - Ovid Technologies\nDB  - Embase\nTI  - A title\nSO  - {source}\n"
    rec = read_ovid(text).records[0]
    assert (rec.journal, (rec.volume, rec.issue, rec.pages)) == (journal, parts)


def test_a_source_without_the_full_stop_after_its_journal() -> None:
    """Other Ovid databases write the source so; the journal is the text before its number."""
    text = ("<1. >\nVN  - Ovid Technologies\nDB  - Journals@Ovid\nTI  - A title\n"
            "SO  - Journal of Spine Surgery 12, Winter 2019: 7-14.\n")
    assert read_ovid(text).records[0].journal == "Journal of Spine Surgery"


def test_the_abbreviated_source_gives_the_journals_abbreviation() -> None:
    """Ovid's AS is a whole citation in short: only its journal is the abbreviation."""
    text = ("<1. >\nVN  - Ovid Technologies\nDB  - Ovid Nursing Database\nTI  - A title\n"
            "JN  - Journal of Neurosurgery: Spine\nAS  - J Neurosurg Spine. 33(4):501-8, 2020\n"
            "SO  - Journal of Neurosurgery: Spine. 33(4):501-508, 2020\n")
    rec = read_ovid(text).records[0]
    assert (rec.journal, rec.journal_abbrev) == ("Journal of Neurosurgery: Spine",
                                                  "J Neurosurg Spine")
    assert (rec.volume, rec.issue, rec.pages) == ("33", "4", "501-508")
