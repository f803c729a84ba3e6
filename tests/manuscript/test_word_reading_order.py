"""Citations are numbered in the order a reader meets them, wherever Word keeps them: a table
between two paragraphs, a merged cell, a section wrapped in a content control, a text box
(a figure's caption) with the copy Word writes for older readers.

The files are real .docx made by python-docx, with the XML Word writes where python-docx
has no API (a block-level ``w:sdt``; a text box as ``mc:AlternateContent``: a DrawingML
shape holding ``w:txbxContent``, and the VML fallback holding the same content).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from spinelib.identifierfiles import listed_identifiers
from spinelib.library import Library
from spinelib.manuscript import format_manuscript
from spinelib.manuscript.wordfile import paragraph_text, paragraphs

_W = nsdecls("w")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
_WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
_WP = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _box_content(text: str) -> str:
    return (f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
            "</w:txbxContent>")


def _text_box_run(text: str) -> Any:
    """A run holding a text box as Word 2010+ saves one: the drawing, and the VML copy."""
    return parse_xml(
        f'<w:r {_W} {_MC} {_WPS} {_WP} {_A} {_V}><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" '
        'distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
        '<wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph">'
        '<wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="2000000" cy="500000"/>'
        '<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:spPr><a:prstGeom prst="rect"><a:avLst/>'
        f'</a:prstGeom></wps:spPr><wps:txbx>{_box_content(text)}</wps:txbx><wps:bodyPr/>'
        '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:shape style="width:157pt;height:39pt" type="#_x0000_t202">'
        f'<v:textbox>{_box_content(text)}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>")


def _add_block(document: Any, element: Any) -> None:
    """``element`` at the end of the body, before its section properties (Word's order)."""
    document.element.body.sectPr.addprevious(element)


def _box_texts(path: Path) -> list[str]:
    """The text of each text box copy in the saved file, in document order."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    # The text shown (w:t), not a field's code (a citation's field holds what was typed).
    return ["".join(t.text or "" for t in box.iter(f"{{{W_NS}}}t"))
            for box in root.iter(f"{{{W_NS}}}txbxContent")]


def _paper(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Methods: the score [@laufer2013noms].")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Instability [@fisher2010sins]")
    merged = table.cell(1, 0).merge(table.cell(1, 1))  # one cell spanning two columns
    merged.paragraphs[0].add_run("Both columns [@bilsky2010escc]")
    document.add_paragraph("Results: surgery first [@patchell2005direct].")
    _add_block(document, parse_xml(  # a template's section in a content control
        f'<w:sdt {_W}><w:sdtPr><w:alias w:val="Discussion"/></w:sdtPr><w:sdtContent><w:p>'
        '<w:r><w:t xml:space="preserve">Discussion [@fisher2010other].</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"))
    anchor = document.add_paragraph("Figure 1 shows the levels. ")
    anchor._p.append(_text_box_run("Figure 1. After separation surgery [@laufer2013noms; "
                                   "@patchell2005direct]."))
    document.add_paragraph("{Bibliography}")
    document.save(str(path))


def _format(libpath: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    _paper(src)
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, out, "vancouver")
        keys = [lib.articles.citekey(i) for i in lib.lists.items("Cited in paper.docx")]
    assert report.unmatched == [] and report.ambiguous == [] and report.citations == 6
    return out, keys


def test_tables_content_controls_and_text_boxes_are_numbered_where_they_stand(
        libpath: Path, tmp_path: Path) -> None:
    out, keys = _format(libpath, tmp_path)
    # The table between Methods and Results is read between them, not after the whole text.
    assert keys == ["laufer2013noms", "fisher2010sins", "bilsky2010escc", "patchell2005direct",
                    "fisher2010other"]
    document = docx.Document(str(out))
    texts = [paragraph_text(p) for p in paragraphs(document)]
    # The merged cell is formatted once: its citation is not read (and replaced) twice.
    assert texts[:8] == ["Methods: the score (1).", "Instability (2)", "", "Both columns (3)",
                         "Results: surgery first (4).", "Discussion (5).",
                         "Figure 1 shows the levels. ",
                         "Figure 1. After separation surgery (1,4)."]
    assert [t[:12] for t in texts[8:]] == ["1. Laufer I,", "2. Fisher CG", "3. Bilsky MH",
                                           "4. Patchell ", "5. Fisher C."]
    shown = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    assert not [t.text for t in shown.iter(f"{{{W_NS}}}t") if "[@" in (t.text or "")]


def test_a_text_box_is_formatted_in_both_the_copies_word_keeps(libpath: Path,
                                                               tmp_path: Path) -> None:
    out, _keys = _format(libpath, tmp_path)
    # The drawing's copy (Word 2010 and later, LibreOffice) and the VML one (older readers).
    assert _box_texts(out) == ["Figure 1. After separation surgery (1,4)."] * 2


def test_a_word_list_of_identifiers_is_read_in_tables_controls_and_text_boxes(
        tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("PMID: 16112300")
    document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("PMID: 23709750")
    _add_block(document, parse_xml(
        f'<w:sdt {_W}><w:sdtContent><w:p><w:r><w:t>PMID: 20809724</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"))
    document.add_paragraph("See the box. ")._p.append(_text_box_run("doi:10.1634/theoncologist.2012-0293"))
    path = tmp_path / "reading.docx"
    document.save(str(path))
    listed = listed_identifiers(path)
    assert listed is not None
    # In reading order, and the text box's identifier once (not once a copy).
    assert [f.identifier.value for f in listed.found if f.identifier] == [
        "16112300", "23709750", "20809724", "10.1634/theoncologist.2012-0293"]
