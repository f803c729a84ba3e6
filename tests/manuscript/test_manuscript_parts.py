"""Placeholders outside the body of a Word file: footnotes, endnotes, headers and footers are
found, numbered in reading order (a note's citations where its mark stands) and formatted
like the body's; a damaged notes part is refused with a plain message.

The files are real .docx made by python-docx: headers and footers through its API, footnotes
and endnotes (which python-docx cannot create) as the parts Word writes
(``word/footnotes.xml`` related from the document, ``w:footnoteReference`` marks in runs).
"""

from __future__ import annotations

import html
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from spinelib.cli import main
from spinelib.library import Library

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def add_notes(document: object, kind: str, notes: dict[int, list[str]],
              xml: bytes | None = None) -> None:
    """A footnotes or endnotes part as Word writes it (separators first); each note's text
    given as its runs, so a placeholder can be split across runs there too."""
    body = "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r>'
        + "".join(f'<w:r><w:t xml:space="preserve">{html.escape(t)}</w:t></w:r>' for t in runs)
        + f"</w:p></w:{kind}>" for i, runs in notes.items())
    separators = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
                  f'</w:p></w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p>'
                  f"<w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>")
    blob = xml or (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<w:{kind}s xmlns:w="{W_NS}">{separators}{body}</w:{kind}s>').encode()
    content_type, reltype = ((CT.WML_FOOTNOTES, RT.FOOTNOTES) if kind == "footnote"
                             else (CT.WML_ENDNOTES, RT.ENDNOTES))
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, blob,
                document.part.package)  # type: ignore[attr-defined]
    document.part.relate_to(part, reltype)  # type: ignore[attr-defined]


def add_mark(paragraph: object, kind: str, note_id: int) -> None:
    """A note's reference mark at the end of ``paragraph``, as Word puts it in a run."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    ref = OxmlElement(f"w:{kind}Reference")
    ref.set(qn("w:id"), str(note_id))
    run._r.append(ref)


def note_paragraphs(path: Path, kind: str) -> dict[str, list[tuple[str, list[str]]]]:
    """Each note's paragraphs in the saved file: (text, the superscript runs' texts)."""
    document = docx.Document(str(path))
    rel = next(r for r in document.part.rels.values() if r.reltype.endswith(f"/{kind}s"))
    root = etree.fromstring(rel.target_part.blob)
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for note in root.iter(f"{W}{kind}"):
        if note.get(f"{W}type"):
            continue
        paras = []
        for p in note.iter(f"{W}p"):
            runs = list(p.iter(f"{W}r"))
            text = "".join(t.text or "" for r in runs for t in r.iter(f"{W}t"))
            sup = ["".join(t.text or "" for t in r.iter(f"{W}t")) for r in runs
                   if any(v.get(f"{W}val") == "superscript" for v in r.iter(f"{W}vertAlign"))]
            paras.append((text, sup))
        out[note.get(f"{W}id", "")] = paras
    return out


def make_paper(path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("First [@laufer2013noms] then a note")
    add_mark(p, "footnote", 1)
    p2 = d.add_paragraph("An endnote here")
    add_mark(p2, "endnote", 1)
    d.add_paragraph("{Bibliography}")
    add_notes(d, "footnote", {1: ["See [@patch", "ell2005direct]."]})
    add_notes(d, "endnote", {1: ["Reliability [PMID:20809724]."]})
    section = d.sections[0]
    section.header.paragraphs[0].text = "Running head [@fisher2010sins]"
    section.footer.paragraphs[0].text = "Footer {Laufer et al., 2013}"
    d.save(str(path))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_notes_headers_and_footers_are_formatted(libpath: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    make_paper(src)
    before = src.read_bytes()
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(out), "--style", "spine")
    assert code == 0, err  # only the retraction warning
    assert "bilsky2010escc: this article is RETRACTED" in err
    assert src.read_bytes() == before
    result = docx.Document(str(out))
    # Reading order: the body's laufer (1), footnote 1 at its mark (patchell 2), endnote 1
    # (bilsky 3), then the header (fisher 4) and the footer (laufer again: 1).
    assert result.paragraphs[0].text == "First1 then a note"
    assert note_paragraphs(out, "footnote") == {"1": [("See2.", ["2"])]}
    assert note_paragraphs(out, "endnote") == {"1": [("Reliability3.", ["3"])]}
    header = result.sections[0].header.paragraphs[0]
    footer = result.sections[0].footer.paragraphs[0]
    assert header.text == "Running head4"
    assert [r.text for r in header.runs if r.font.superscript] == ["4"]
    assert footer.text == "Footer1"
    bib = [p.text for p in result.paragraphs[2:6]]
    assert bib[0].startswith("1. Laufer I") and bib[1].startswith("2. Patchell RA")
    assert bib[2].startswith("3. Bilsky MH") and bib[3].startswith("4. Fisher CG")
    with Library.open(libpath) as lib:
        cited = lib.lists.items("Cited in paper.docx")
        keys = [lib.articles.citekey(i) for i in cited]
    assert keys == ["laufer2013noms", "patchell2005direct", "bilsky2010escc", "fisher2010sins"]


def test_a_note_counts_where_its_mark_stands(libpath: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "order.docx", tmp_path / "out.docx"
    d = docx.Document()
    p = d.add_paragraph("Text")
    add_mark(p, "footnote", 7)
    p.add_run(" then [@laufer2013noms] and [@ghost2001] [@laufer2013nom].")
    d.add_paragraph("A group waits for its typo [@bilsky2010escc; @fisher2010sin].")
    add_notes(d, "footnote", {7: ["Cf. [@patchell2005direct]; also [@nobody1999]"]})
    d.save(str(src))
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(out), "--style", "vancouver")
    assert code == 1  # the unmatched ones, in the body and in the note, are named
    assert "@ghost2001: no article" in err and "@nobody1999: no article" in err
    assert "ghost2001: no article in the library has this citation key (left" in err
    # A typo is named with the key it likely meant.
    assert ("@laufer2013nom: no article in the library has this citation key; did you "
            "mean laufer2013noms?") in err
    # A group with one unknown key is left whole, and the message says so.
    assert ("@fisher2010sin: no article in the library has this citation key; did you mean "
            "fisher2010sins? The whole of [@bilsky2010escc; @fisher2010sin] waits for it "
            "(left as typed)") in err
    result = docx.Document(str(out))
    assert result.paragraphs[0].text == "Text then (2) and [@ghost2001] [@laufer2013nom]."
    assert result.paragraphs[1].text == ("A group waits for its typo [@bilsky2010escc; "
                                         "@fisher2010sin].")
    assert note_paragraphs(out, "footnote") == {
        "7": [("Cf. (1); also [@nobody1999]", [])]}
    texts = [q.text for q in result.paragraphs]
    assert texts[-2].startswith("1. Patchell RA") and texts[-1].startswith("2. Laufer I")


def test_headers_not_defined_are_not_added(libpath: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Looking for placeholders never adds a header or footer part the file did not have."""
    src, out = tmp_path / "plain.docx", tmp_path / "out.docx"
    d = docx.Document()
    d.add_paragraph("Only the body [@laufer2013noms].")
    d.add_section()
    d.save(str(src))
    assert run(capsys, "--library", str(libpath), "manuscript", "format", str(src), "-o",
               str(out), "--style", "spine")[0] == 0
    parts = [str(p.partname) for p in docx.Document(str(out)).part.package.iter_parts()]
    assert not [p for p in parts if "header" in p or "footer" in p]


@pytest.mark.parametrize(("blob", "message"), [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><w:footnotes xmlns:w="'
     + W_NS.encode() + b'">&e;</w:footnotes>', "declares a DTD or entities"),
    (b"<w:footnotes xmlns:w='" + W_NS.encode() + b"'><w:footnote>", "not well-formed XML"),
])
def test_a_damaged_notes_part_is_refused(libpath: Path, tmp_path: Path, blob: bytes,
                                         message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "bad.docx", tmp_path / "out.docx"
    d = docx.Document()
    d.add_paragraph("Body [@laufer2013noms].")
    add_notes(d, "footnote", {}, xml=blob)
    d.save(str(src))
    before = src.read_bytes()
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(out), "--style", "spine")
    assert code == 1
    assert "bad.docx: its footnotes (/word/footnotes.xml)" in err and message in err
    assert "Traceback" not in err
    assert not out.exists() and src.read_bytes() == before


NOTE_STYLE = "chicago-notes-bibliography-17th-edition"


def test_a_note_style_puts_body_citations_in_footnotes(libpath: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """In a note style a citation in the text becomes a footnote (the part is made when the
    file had none); one already in a note, or in a header, is printed where it stands."""
    import zipfile

    src, out = tmp_path / "notes.docx", tmp_path / "out.docx"
    d = docx.Document()
    d.add_paragraph("Surgery [@laufer2013noms] helps; so does radiotherapy [@patchell2005direct].")
    d.sections[0].header.paragraphs[0].text = "Head [@fisher2010sins]"
    d.save(str(src))
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(out), "--style", NOTE_STYLE)
    assert code == 0, err
    result = docx.Document(str(out))
    body = result.paragraphs[0]
    assert body.text == "Surgery helps; so does radiotherapy."
    marks = [r.get(f"{W}id") for r in body._p.iter(f"{W}footnoteReference")]
    assert len(marks) == 2
    notes = note_paragraphs(out, "footnote")
    first, second = (notes[m][0] for m in marks)
    assert "Laufer" in first[0] and "NOMS" in first[0]
    assert "Patchell" in second[0] and "Lancet" in second[0]
    assert "Fisher" in result.sections[0].header.paragraphs[0].text  # printed in place
    with zipfile.ZipFile(out) as z:
        types = z.read("[Content_Types].xml").decode()
    assert "/word/footnotes.xml" in types and "footnotes+xml" in types
    texts = [p.text for p in result.paragraphs[1:]]
    assert any(t.startswith("Laufer, I") for t in texts)  # the bibliography, by author


def test_a_note_style_keeps_existing_notes(libpath: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "has-notes.docx", tmp_path / "out.docx"
    d = docx.Document()
    p = d.add_paragraph("Text")
    add_mark(p, "footnote", 1)
    p.add_run(" and [@laufer2013noms].")
    add_notes(d, "footnote", {1: ["Mine: see [@patchell2005direct]."]})
    d.save(str(src))
    assert run(capsys, "--library", str(libpath), "manuscript", "format", str(src), "-o",
               str(out), "--style", NOTE_STYLE)[0] == 0
    notes = note_paragraphs(out, "footnote")
    assert notes["1"][0][0].startswith("Mine: see ") and "Patchell" in notes["1"][0][0]
    assert set(notes) == {"1", "2"} and "Laufer" in notes["2"][0][0]
    marks = [r.get(f"{W}id") for r in docx.Document(str(out)).paragraphs[0]._p.iter(
        f"{W}footnoteReference")]
    assert marks == ["1", "2"]
