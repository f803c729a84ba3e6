"""Text a Word paragraph holds outside its plain runs: a co-author's tracked insertions,
links Word made of a typed address, content controls. Citations typed there are formatted
like any other; a tracked deletion is not the paper's any more and cites nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from spinelib.identifierfiles import listed_identifiers
from spinelib.library import Library
from spinelib.manuscript import format_manuscript
from spinelib.manuscript.wordfile import paragraph_text

_W = nsdecls("w")
_R = nsdecls("r")


def _tracked(kind: str, text: str, n: int) -> Any:
    tag = "w:delText" if kind == "del" else "w:t"
    return parse_xml(f'<w:{kind} {_W} w:id="{n}" w:author="Co-author" '
                     f'w:date="2026-11-30T10:00:00Z"><w:r><{tag} xml:space="preserve">{text}'
                     f'</{tag}></w:r></w:{kind}>')


def _link(paragraph: Any, text: str) -> None:
    rel = paragraph.part.relate_to(f"https://doi.org/{text}", RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {_W} {_R} r:id="{rel}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        f'<w:t xml:space="preserve">https://doi.org/{text}</w:t></w:r></w:hyperlink>'))


def _paper(path: Path) -> None:
    document = docx.Document()
    p = document.add_paragraph("Surgery first ")
    p._p.append(_tracked("ins", "[@laufer2013noms]", 1))  # added with Track Changes on
    p.add_run(" then radiation.")
    p = document.add_paragraph("A claim withdrawn ")
    p._p.append(_tracked("del", "[@fisher2010other]", 2))
    p.add_run("and one kept [@patchell2005direct].")
    p = document.add_paragraph("Half typed later [@bilsky")
    p._p.append(_tracked("ins", "2010escc]", 3))
    p = document.add_paragraph("In a content control ")
    p._p.append(parse_xml(f'<w:sdt {_W}><w:sdtContent><w:r><w:t>[@fisher2010sins]</w:t></w:r>'
                          '</w:sdtContent></w:sdt>'))
    document.save(str(path))


def test_citations_in_tracked_insertions_are_formatted(libpath: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    _paper(src)
    with Library.open(libpath) as lib:
        report = format_manuscript(lib, src, out, "vancouver")
        keys = [lib.articles.citekey(i) for i in lib.lists.items("Cited in paper.docx")]
    assert report.unmatched == [] and report.citations == 4
    assert keys == ["laufer2013noms", "patchell2005direct", "bilsky2010escc", "fisher2010sins"]
    texts = [paragraph_text(p) for p in docx.Document(str(out)).paragraphs]
    assert texts[:4] == ["Surgery first (1) then radiation.", "A claim withdrawn and one kept (2).",
                         "Half typed later (3)", "In a content control (4)"]
    assert not any("[@" in t for t in texts)
    # The deletion is still there as a tracked deletion, for the co-author to see.
    body = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert '<w:delText xml:space="preserve">[@fisher2010other]</w:delText>' in body


def test_a_word_reference_list_with_linked_dois_is_read(tmp_path: Path) -> None:
    """Word turns a typed "https://doi.org/…" into a link: its text was not read."""
    document = docx.Document()
    p = document.add_paragraph("1. Patchell RA et al. Lancet 2005. ")
    _link(p, "10.1016/S0140-6736(05)66954-1")
    p = document.add_paragraph("2. Laufer I et al. Oncologist 2013. ")
    _link(p, "10.1634/theoncologist.2012-0293")
    path = tmp_path / "refs.docx"
    document.save(str(path))
    listed = listed_identifiers(path)
    assert listed is not None
    assert [f.identifier.value for f in listed.found if f.identifier] == [
        "10.1016/s0140-6736(05)66954-1", "10.1634/theoncologist.2012-0293"]
