"""A manuscript's own empty "References" heading takes the bibliography (no ``{Bibliography}``
mark): not a second heading after the figure legends at the end of the document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK

from spinelib.library import Library
from spinelib.manuscript.docx_format import format_manuscript

STYLE = "vancouver"
CITING = "Separation surgery [@patchell2005direct; @laufer2013noms]."


def _format(libpath: Path, tmp_path: Path, build: Callable[[docx.document.Document], None]
            ) -> tuple[list[tuple[str, str]], str]:
    """(style, text) of every body paragraph of the formatted copy, and where the report
    says the bibliography went."""
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    document = docx.Document()
    document.add_paragraph(CITING)
    build(document)
    document.save(str(src))
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, out, STYLE)
    where = report.bibliography_place
    return [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs], where


def _texts(paragraphs: list[tuple[str, str]]) -> list[str]:
    return [text for _style, text in paragraphs]


def test_the_last_heading_with_nothing_under_it_takes_the_bibliography(
        libpath: Path, tmp_path: Path) -> None:
    def build(d: docx.document.Document) -> None:
        d.add_heading("References", level=1)
        d.add_paragraph("")
        page = d.add_paragraph()
        page.add_run().add_break(WD_BREAK.PAGE)
        page.add_run("Table 1. Patients and outcomes")
        d.add_table(rows=1, cols=2).cell(0, 0).text = "ESCC 2"
        d.add_heading("Figure legends", level=1)
        d.add_paragraph("Figure 1. Sagittal T2 MRI.")

    paragraphs, where = _format(libpath, tmp_path, build)
    texts = _texts(paragraphs)
    assert where == 'under your heading "References"'
    assert texts.count("References") == 1  # no second heading
    at = texts.index("References")
    assert texts[at + 1].startswith("1. Patchell RA") and texts[at + 2].startswith("2. Laufer I")
    assert paragraphs[at + 1][0] == "Normal"  # an entry, not a second Heading 1
    assert texts[at + 3:] == ["", "Table 1. Patients and outcomes", "Figure legends",
                              "Figure 1. Sagittal T2 MRI."]


@pytest.mark.parametrize("heading", ["REFERENCES:", "Reference list", "  Literature  cited ",
                                     "5. References", "7 Literature cited", "VI. REFERENCES"])
def test_a_typed_heading_in_any_case_counts(libpath: Path, tmp_path: Path,
                                            heading: str) -> None:
    paragraphs, where = _format(libpath, tmp_path, lambda d: d.add_paragraph(heading))
    texts = _texts(paragraphs)
    assert where == f'under your heading "{" ".join(heading.split())}"'
    assert texts[-3] == heading and texts[-2].startswith("1. Patchell RA")


def test_a_section_break_ends_the_heading_section(libpath: Path, tmp_path: Path) -> None:
    def build(d: docx.document.Document) -> None:
        d.add_paragraph("References")
        d.add_section(WD_SECTION.NEW_PAGE)  # the break sits in the last paragraph's pPr
        d.add_paragraph("Appendix: the SINS score")

    texts = _texts(_format(libpath, tmp_path, build)[0])
    assert texts[1] == "References" and texts[2].startswith("1. Patchell RA")
    assert texts[-1] == "Appendix: the SINS score"


@pytest.mark.parametrize("under", ["typed", "table", "sentence"])
def test_a_heading_with_something_under_it_is_left_alone(libpath: Path, tmp_path: Path,
                                                         under: str) -> None:
    def build(d: docx.document.Document) -> None:
        if under == "sentence":
            d.add_paragraph("References are numbered in order of citation.")
            return
        d.add_heading("References", level=1)
        if under == "typed":
            d.add_paragraph("1. Patchell RA. Direct decompressive surgical resection.")
        else:
            d.add_table(rows=1, cols=1).cell(0, 0).text = "x"

    paragraphs, where = _format(libpath, tmp_path, build)
    texts = _texts(paragraphs)
    assert where == 'at the end, under a new "References" heading'
    assert texts[-3] == "References" and paragraphs[-3][0] == "Heading 1"  # added at the end
    assert texts[-2].startswith("1. Patchell RA")


def test_the_mark_wins_over_a_heading(libpath: Path, tmp_path: Path) -> None:
    def build(d: docx.document.Document) -> None:
        d.add_paragraph("{Bibliography}")
        d.add_heading("References", level=1)

    paragraphs, where = _format(libpath, tmp_path, build)
    texts = _texts(paragraphs)
    assert where == "at {Bibliography}"
    assert texts[1].startswith("1. Patchell RA") and texts[-1] == "References"
