"""A formatted manuscript can be formatted again: in another journal's style after a
rejection, or after citations were added to the formatted copy.

Before: the formatted copy held its citations as plain text ("…ambulation¹."), so formatting
it again found nothing to format and kept the old numbers and reference list. Now each
citation is the result of a SpineLib field whose code holds what was typed, and the
reference list the result of one field; formatting reads them back first.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from spinelib.library import Library
from spinelib.manuscript import format_manuscript
from spinelib.manuscript.citefields import ReadBack, restore
from spinelib.manuscript.docx_format import ManuscriptReport
from spinelib.manuscript.wordfile import paragraph_text, paragraphs

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def paper(path: Path, *, mark: bool = True) -> Path:
    document = docx.Document()
    document.add_paragraph("Separation surgery restores ambulation [@patchell2005direct].")
    document.add_paragraph("Decisions follow NOMS [@laufer2013noms; PMID:1], "
                           "as {Patchell, 2005} showed.")
    if mark:
        document.add_paragraph("{Bibliography}")
    document.save(str(path))
    return path


def texts(path: Path) -> list[str]:
    return [paragraph_text(p) for p in paragraphs(docx.Document(str(path)))]


def run(lib_path: Path, source: Path, out: Path, style: str) -> ManuscriptReport:
    with Library.open(lib_path) as lib:
        return format_manuscript(lib, source, out, style)


def test_a_formatted_copy_formats_again_as_the_typed_file_does(libpath: Path,
                                                              tmp_path: Path) -> None:
    src = paper(tmp_path / "paper.docx")
    first = run(libpath, src, tmp_path / "spine.docx", "spine")
    assert first.read_back == 0 and first.citations == 3
    assert texts(tmp_path / "spine.docx")[0] == "Separation surgery restores ambulation1."
    # Rejected by Spine: the formatted copy goes to a journal using Vancouver, and to APA.
    for style in ("vancouver", "apa"):
        again = run(libpath, tmp_path / "spine.docx", tmp_path / f"again-{style}.docx", style)
        direct = run(libpath, src, tmp_path / f"direct-{style}.docx", style)
        assert again.read_back == 4  # three citations and the reference list
        assert again.cited == direct.cited and again.citations == 3
        assert texts(tmp_path / f"again-{style}.docx") == texts(tmp_path / f"direct-{style}.docx")
    # The space a superscript took is given back: "ambulation (1)", not "ambulation(1)".
    assert texts(tmp_path / "again-vancouver.docx")[0] == (
        "Separation surgery restores ambulation (1).")


def test_a_citation_bringing_its_own_space_takes_the_typed_ones_place(
        libpath: Path, tmp_path: Path) -> None:
    """Ophthalmic Genetics' citation is " (1)" (its space for add-ins that insert it straight
    after the word): "ambulation (1)", not "ambulation  (1)"; formatted again the same."""
    src = paper(tmp_path / "paper.docx")
    run(libpath, src, tmp_path / "og.docx", "ophthalmic-genetics")
    assert texts(tmp_path / "og.docx")[:2] == [
        "Separation surgery restores ambulation (1).",
        "Decisions follow NOMS (2, 3), as (1) showed."]
    run(libpath, tmp_path / "og.docx", tmp_path / "again.docx", "vancouver")
    assert texts(tmp_path / "again.docx")[0] == "Separation surgery restores ambulation (1)."
    run(libpath, tmp_path / "og.docx", tmp_path / "og-again.docx", "ophthalmic-genetics")
    assert texts(tmp_path / "og-again.docx") == texts(tmp_path / "og.docx")


def test_a_citation_ending_in_a_space_leaves_it_out_before_a_mark(libpath: Path,
                                                                   tmp_path: Path) -> None:
    """The Journal of Cellular and Molecular Medicine's citation is "[1] ": "ambulation
    [1].", not "ambulation [1] ."; before a word the space stays the typed one."""
    src = tmp_path / "paper.docx"
    document = docx.Document()
    document.add_paragraph("Surgery restores ambulation [@patchell2005direct]. "
                           "NOMS [@laufer2013noms] guides it [@patchell2005direct]")
    document.save(str(src))
    run(libpath, src, tmp_path / "jcmm.docx", "journal-of-cellular-and-molecular-medicine")
    assert texts(tmp_path / "jcmm.docx")[0] == (
        "Surgery restores ambulation [1]. NOMS [2] guides it [1]")


def test_a_citation_added_to_the_formatted_copy_renumbers_the_rest(libpath: Path,
                                                                  tmp_path: Path) -> None:
    src = paper(tmp_path / "paper.docx")
    run(libpath, src, tmp_path / "v1.docx", "vancouver")
    revised = docx.Document(str(tmp_path / "v1.docx"))
    revised.paragraphs[0].insert_paragraph_before("Instability is scored [@fisher2010sins].")
    revised.save(str(tmp_path / "revised.docx"))
    report = run(libpath, tmp_path / "revised.docx", tmp_path / "v2.docx", "vancouver")
    assert report.cited == ["fisher2010sins", "patchell2005direct", "laufer2013noms"]
    shown = texts(tmp_path / "v2.docx")
    assert shown[:3] == ["Instability is scored (1).",
                         "Separation surgery restores ambulation (2).",
                         "Decisions follow NOMS (1,3), as (2) showed."]  # PMID 1: Fisher
    # One reference list, the new one: the old entries are gone, not left above it.
    entries = [t for t in shown[3:] if t]
    assert [e[:10] for e in entries] == ["1. Fisher ", "2. Patchel", "3. Laufer "]


def test_the_reference_list_under_the_authors_heading_is_replaced_not_repeated(
        libpath: Path, tmp_path: Path) -> None:
    src = tmp_path / "paper.docx"
    document = docx.Document()
    document.add_paragraph("Surgery first [@patchell2005direct].")
    document.add_heading("References", level=1)
    document.save(str(src))
    run(libpath, src, tmp_path / "one.docx", "vancouver")
    run(libpath, tmp_path / "one.docx", tmp_path / "two.docx", "ama")
    shown = texts(tmp_path / "two.docx")
    assert shown[1] == "References" and len([t for t in shown if "Patchell" in t]) == 1
    assert shown[-1].startswith("1. Patchell RA") and "Lancet" in shown[-1]


def test_a_note_styles_footnotes_are_taken_back(libpath: Path, tmp_path: Path) -> None:
    src = paper(tmp_path / "paper.docx")
    run(libpath, src, tmp_path / "notes.docx", "chicago-notes-bibliography-17th-edition")
    notes_xml = zipfile.ZipFile(tmp_path / "notes.docx").read("word/footnotes.xml")
    assert notes_xml.count(b"<w:footnote ") >= 3 + 2  # three notes after the separators
    report = run(libpath, tmp_path / "notes.docx", tmp_path / "numbers.docx", "vancouver")
    assert report.read_back == 4 and report.citations == 3
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "numbers.docx")
                            .read("word/footnotes.xml"))
    left = [n for n in root.iter(f"{W}footnote") if n.get(f"{W}type") is None]
    assert left == []  # no note of the old citations is left
    assert texts(tmp_path / "numbers.docx")[0] == "Separation surgery restores ambulation (1)."


def test_the_fields_hold_what_was_typed_and_show_the_citation(libpath: Path,
                                                             tmp_path: Path) -> None:
    run(libpath, paper(tmp_path / "paper.docx"), tmp_path / "out.docx", "vancouver")
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "out.docx").read("word/document.xml"))
    codes = ["".join(t.text or "" for t in root.iter(f"{W}instrText"))]
    assert codes[0].count("ADDIN SPINELIB_CITATION") == 3
    assert 'ADDIN SPINELIB_CITATION "[@laufer2013noms; PMID:1]"' in codes[0]
    assert codes[0].count("ADDIN SPINELIB_BIBLIOGRAPHY") == 1
    # python-docx (and so any reader of the runs) sees the citations as printed.
    assert docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text == (
        "Separation surgery restores ambulation (1).")


def _field_paragraph(code: str, result: str, *, end: bool = True) -> str:
    ending = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if end else ""
    return (f'<w:p xmlns:w="{W_NS}"><w:r><w:t xml:space="preserve">Page </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r><w:t>{result}</w:t></w:r>{ending}</w:p>")


def test_other_fields_and_damaged_ones_are_left_alone() -> None:
    body = etree.fromstring(
        f'<w:body xmlns:w="{W_NS}">'
        + _field_paragraph(" PAGE ", "3")
        + _field_paragraph(' ADDIN ZOTERO_ITEM CSL_CITATION {"citationID":"x"} ', "(1)")
        + _field_paragraph(' ADDIN SPINELIB_CITATION "[@a]" ', "(9)", end=False)
        + _field_paragraph(" ADDIN SPINELIB_CITATION not-json ", "(8)")
        + _field_paragraph(' ADDIN SPINELIB_CITATION "[@b]" ', "(2)")
        + "</w:body>")
    assert restore([body]) == ReadBack(own=1, other=0)  # Zotero's without works: left
    shown = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert shown == ["Page 3", "Page (1)", "Page (9)", "Page (8)", "Page [@b]"]


def test_a_file_never_formatted_reads_nothing_back(libpath: Path, tmp_path: Path) -> None:
    report = run(libpath, paper(tmp_path / "paper.docx"), tmp_path / "out.docx", "vancouver")
    assert report.read_back == 0 and report.citations == 3


def test_the_command_line_and_the_window_say_it_was_formatted_before(
        libpath: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from spinelib.cli import main
    from spinelib.gui.manuscriptgui import report_text

    src = paper(tmp_path / "paper.docx")
    assert main(["--library", str(libpath), "manuscript", "format", str(src), "-o",
                 str(tmp_path / "a.docx"), "--style", "vancouver"]) == 0
    assert "formatted before" not in capsys.readouterr().err
    assert main(["--library", str(libpath), "manuscript", "format", str(tmp_path / "a.docx"),
                 "-o", str(tmp_path / "b.docx"), "--style", "ama"]) == 0
    said = capsys.readouterr().err
    assert "formatted before by SpineLib: 4 citation and reference-list fields read back" in said
    report = run(libpath, tmp_path / "b.docx", tmp_path / "c.docx", "vancouver")
    assert "Formatted before by SpineLib: 4 citation" in report_text(report)


def test_a_citation_deleted_with_track_changes_on_stays_deleted(libpath: Path,
                                                               tmp_path: Path) -> None:
    """Word keeps a tracked deletion's runs (as w:delText, w:delInstrText) inside w:del."""
    run(libpath, paper(tmp_path / "paper.docx"), tmp_path / "one.docx", "vancouver")
    document = docx.Document(str(tmp_path / "one.docx"))
    first = document.paragraphs[1]._p  # "Decisions follow NOMS (2,3), as (1) showed."
    field_runs = [r for r in first.iter(f"{W}r")][1:6]  # the first citation's field
    deletion = etree.SubElement(first, f"{W}del")
    deletion.set(f"{W}id", "1")
    deletion.set(f"{W}author", "Co-author")
    field_runs[0].addprevious(deletion)
    for r in field_runs:
        for t in r.iter(f"{W}t"):
            t.tag = f"{W}delText"
        for code in r.iter(f"{W}instrText"):
            code.tag = f"{W}delInstrText"
        deletion.append(r)
    document.save(str(tmp_path / "revised.docx"))
    report = run(libpath, tmp_path / "revised.docx", tmp_path / "two.docx", "vancouver")
    assert report.cited == ["patchell2005direct"] and report.citations == 2
    assert texts(tmp_path / "two.docx")[1] == "Decisions follow NOMS , as (1) showed."


def test_the_copies_of_a_paper_fill_its_reading_list(libpath: Path, tmp_path: Path) -> None:
    """Before: each formatted copy made a list of its own ("Cited in paper-spine.docx",
    "Cited in paper-esj.docx", …) for the one paper."""
    src = paper(tmp_path / "paper.docx")
    first = run(libpath, src, tmp_path / "paper-spine.docx", "spine")
    again = run(libpath, tmp_path / "paper-spine.docx", tmp_path / "paper-apa.docx", "apa")
    assert first.reading_list == again.reading_list == "Cited in paper.docx"
    third = run(libpath, tmp_path / "paper-apa.docx", tmp_path / "paper-ama.docx", "ama")
    assert third.reading_list == "Cited in paper.docx"
    with Library.open(libpath) as lib:
        names = [entry.name for entry in lib.lists.all()]
    assert names.count("Cited in paper.docx") == 1
    assert not [n for n in names if "paper-" in n]


def test_a_reference_list_field_naming_a_path_names_only_a_file() -> None:
    from spinelib.manuscript.citefields import _manuscript_named

    assert _manuscript_named(' ADDIN SPINELIB_BIBLIOGRAPHY {"manuscript": "C:\\\\x\\\\a b.docx"} ') \
        == "a b.docx"
    assert _manuscript_named(' ADDIN SPINELIB_BIBLIOGRAPHY {"manuscript": "../../e\\nvil"} ') \
        == "e vil"
    assert _manuscript_named(" ADDIN SPINELIB_BIBLIOGRAPHY not-json ") == ""
    assert _manuscript_named(' ADDIN SPINELIB_BIBLIOGRAPHY {"manuscript": 3} ') == ""
