"""The manuscript commands end to end through the CLI: a Word file with every placeholder
kind (split across runs too), bad input, a .bib from .aux/.md, styles and kept exports."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest

from spinelib.cli import main
from spinelib.library import Library


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def make_docx(path: Path, *, mark: bool = True) -> None:
    d = docx.Document()
    p = d.add_paragraph("Surgery helps ")
    p.add_run("[@patch")  # a placeholder split across three runs, one bold
    p.add_run("ell2005direct; @laufer")
    p.add_run("2013noms]").bold = True
    p.add_run(" and {Laufer et al., 2013} and [PMID:20809724], [doi:10.1016/S0140-6736(05)66954-1].")
    d.add_paragraph("Unknown [@ghost2001] and ambiguous {Fisher, 2010}.")
    table = d.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("In a table [@fisher2010sins].")
    if mark:
        d.add_paragraph("{Bibliography}")
    d.add_paragraph("Figure legends.")
    d.save(str(path))


def test_format_manuscript_in_spine(libpath: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    make_docx(src)
    before = src.read_bytes()
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(out), "--style", "spine")
    assert code == 1  # unmatched and ambiguous placeholders are reported …
    assert "@ghost2001: no article" in err
    assert "Fisher, 2010" in err and "ambiguous" in err
    assert "bilsky2010escc: this article is RETRACTED" in err
    assert src.read_bytes() == before  # … the input untouched, the rest formatted
    paras = docx.Document(str(out)).paragraphs
    texts = [p.text for p in paras]
    # Superscripts take the place of the space before them, as journals set them.
    assert texts[0] == "Surgery helps1,2 and2 and3,1."
    sup = [r.text for r in paras[0].runs if r.font.superscript]
    assert sup == ["1,2", "2", "3", "1"]
    assert texts[1] == "Unknown [@ghost2001] and ambiguous {Fisher, 2010}."
    cell = docx.Document(str(out)).tables[0].cell(0, 0).paragraphs[0]
    assert cell.text == "In a table4."
    bib = texts[2:6]
    assert bib[0].startswith("1. Patchell RA, Tibbs PA, Müller J. Direct decompressive")
    assert bib[1].startswith("2. Laufer I, Rubin DG, Bilsky MH. The NOMS framework")
    assert bib[2].startswith("3. Bilsky MH, Laufer I.")
    assert bib[3].startswith("4. Fisher CG.")
    assert texts[6] == "Figure legends."
    with Library.open(libpath) as lib:
        ids = lib.lists.items("Cited in paper.docx")
        assert [lib.articles.citekey(i) for i in ids] == [
            "patchell2005direct", "laufer2013noms", "bilsky2010escc", "fisher2010sins"]


def test_bibliography_goes_at_the_end_without_a_mark(libpath: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "p.docx", tmp_path / "o.docx"
    make_docx(src, mark=False)
    _code, _out, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                           "-o", str(out), "--style", "journal-of-neurosurgery-spine")
    assert 'bibliography at the end, under a new "References" heading' in err
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[-5] == "References"
    assert texts[-4].startswith("1. Patchell RA")


@pytest.mark.parametrize("content,message", [
    (b"plain text", "not a Word .docx file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "encrypted"),
    (b"PK\x03\x04broken", "not a Word .docx file"),
    (b"{\\rtf1\\ansi Separation surgery [@a].}", "is a Rich Text (.rtf) file; save it as"),
    ("odt", "is an OpenDocument text (LibreOffice, .odt); save it as a Word .docx"),
])
def test_bad_docx_is_refused(libpath: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             content: bytes | str, message: str) -> None:
    src, out = tmp_path / "bad.docx", tmp_path / "o.docx"
    if content == "odt":  # LibreOffice's format: a zip whose first member names its type
        with zipfile.ZipFile(src, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
    else:
        src.write_bytes(content)
    content = src.read_bytes()
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(out), "--style", "spine")
    assert code == 1 and message in err
    assert src.read_bytes() == content and not out.exists()


def test_unknown_style_and_same_output(libpath: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.docx"
    make_docx(src)
    before = src.read_bytes()
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(tmp_path / "o.docx"), "--style", "nope")
    assert code == 1 and "unknown style 'nope'" in err
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "format", str(src),
                        "-o", str(src), "--style", "spine")
    assert code == 1 and "is the input file" in err
    assert src.read_bytes() == before


def test_bib_from_aux_and_markdown(libpath: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    aux = tmp_path / "paper.aux"
    aux.write_text("\\citation{laufer2013noms,patchell2005direct}\n\\citation{ghost}\n"
                   "\\abx@aux@cite{0}{bilsky2010escc}\n\\citation{bilsky2010esc}\n")
    out = tmp_path / "refs.bib"
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "bib", str(aux),
                        "-o", str(out))
    assert code == 1 and "ghost: not in the library (left out)\n" in err
    assert ("bilsky2010esc: not in the library (left out); did you mean bilsky2010escc?"
            in err)
    text = out.read_text()
    assert [line.split("{")[1].rstrip(",") for line in text.splitlines()
            if line.startswith("@")] == ["laufer2013noms", "patchell2005direct", "bilsky2010escc"]
    md = tmp_path / "paper.md"
    md.write_text("Text [@patchell2005direct; @laufer2013noms] by me@example.org.\n")
    code, _o, _e = run(capsys, "--library", str(libpath), "manuscript", "bib", str(md), "-o",
                       str(tmp_path / "md.bib"), "--biblatex")
    assert code == 0
    with Library.open(libpath) as lib:
        assert len(lib.lists.items("Cited in paper.md")) == 2
        assert len(lib.lists.items("Cited in paper.aux")) == 3
    # A paper citing an article by its old key, its new one and another letter case: one
    # entry under each key it cites (biber finds a key only as the paper spells it).
    assert run(capsys, "--library", str(libpath), "rekey", "patchell2005direct",
               "Patchell:RCT")[0] == 0
    md.write_text("[@patchell2005direct; @Patchell:RCT; @Laufer2013NOMS]\n")
    code, _o, err = run(capsys, "--library", str(libpath), "manuscript", "bib", str(md), "-o",
                        str(out))
    assert code == 0, err
    assert [line.split("{")[1].rstrip(",") for line in out.read_text().splitlines()
            if line.startswith("@")] == ["patchell2005direct", "Patchell:RCT", "Laufer2013NOMS"]


def test_styles_search_add_and_map(libpath: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _e = run(capsys, "--library", str(libpath), "styles", "--search", "spine",
                        "--json")
    found = {s["id"]: s for s in json.loads(out)}
    for sid in ("spine", "journal-of-neurosurgery-spine", "european-spine-journal",
                "the-spine-journal", "clinical-spine-surgery", "neurospine"):
        assert sid in found
    assert found["european-spine-journal"]["parent"] == "springer-basic-brackets"
    assert found["spine"]["parent"] is None
    bad = tmp_path / "bad.csl"
    bad.write_text("<style xmlns='http://purl.org/net/xbiblio/csl'><info>")
    code, _o, err = run(capsys, "--library", str(libpath), "styles", "add", str(bad))
    assert code == 1 and "damaged" in err
    code, _o, err = run(capsys, "--library", str(libpath), "styles", "map",
                        "Global Spine Journal", "american-medical-association")
    assert code == 0
    code, out, _e = run(capsys, "--library", str(libpath), "cite", "patchell2005direct",
                        "--style", "global-spine-journal")
    assert code == 0 and out.startswith("¹\n\n1. Patchell RA")


def test_export_bibliography_and_keep_updated(libpath: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "paper"
    folder.mkdir()
    kept, other = folder / "refs.bib", tmp_path / "all.txt"
    L = ("--library", str(libpath))
    assert run(capsys, *L, "export", "--format", "bibtex", "-o", str(kept),
               "--keep-updated")[0] == 0
    assert run(capsys, *L, "export", "--format", "bibliography", "--style", "spine", "-o",
               str(other), "--keep-updated")[0] == 0
    assert other.read_text().startswith("1. Bilsky MH, Laufer I.")
    code, out, _e = run(capsys, *L, "exports", "--json")
    listed = json.loads(out)
    assert {e["path"] for e in listed} == {str(kept), str(other)}
    assert all(e["scope"] == "all" and e["last_written"] for e in listed)
    mtime = kept.stat().st_mtime_ns
    code, out, _e = run(capsys, *L, "exports", "sync")
    assert code == 0 and out.count("unchanged") == 2 and kept.stat().st_mtime_ns == mtime
    run(capsys, *L, "rekey", "laufer2013noms", "laufer2013framework")
    code, out, _e = run(capsys, *L, "exports", "sync")
    assert f"written   {kept}" in out and f"unchanged {other}" in out
    assert "laufer2013framework" in kept.read_text()
    kept.unlink()
    folder.rmdir()
    code, out, err = run(capsys, *L, "exports", "sync")
    assert code == 1 and "no longer exists" in err and f"unchanged {other}" in out
    code, out, _e = run(capsys, *L, "exports")
    assert code == 1 and "PROBLEM" in out
    assert run(capsys, *L, "exports", "remove", str(kept))[0] == 0
    code, _o, err = run(capsys, *L, "exports", "remove", str(kept))
    assert code == 1 and "not a kept export" in err


def test_a_reference_list_for_word_and_misnamed_exports(libpath: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    L = ("--library", str(libpath))
    text, word = tmp_path / "refs.txt", tmp_path / "Refs.DOCX"
    assert run(capsys, *L, "export", "--format", "bibliography", "--style", "apa", "-o",
               str(text))[0] == 0
    code, _o, err = run(capsys, *L, "export", "--format", "bibliography", "--style", "apa",
                        "-o", str(word))
    assert code == 0 and f"wrote 5 entries to {word}" in err
    paragraphs = docx.Document(str(word)).paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Heading 1", "References")
    # The same entries as the text export, with APA's italic journal and volume kept.
    assert [p.text for p in paragraphs[1:]] == text.read_text(encoding="utf-8").splitlines()
    italic = [r.text for p in paragraphs[1:] for r in p.runs if r.italic]
    assert "Lancet" in italic and "366" in italic
    # Refused before any work, nothing written, with the name to use instead.
    for args, says in [
            ("--format bibtex -o x.docx",
             "x.docx: this export is a .bib file, not a word-processor document; name it .bib"),
            ("--format evidence-xlsx -o x.pdf", "this export is a .xlsx file"),
            ("--format vancouver --html -o x.doc", "this export is a .html file"),
            ("--format bibliography --style apa -o x.rtf",
             "x.rtf: a reference list is written as a Word .docx document or as text"),
            ("--format bibliography --style apa -o x.docx --keep-updated",
             "a Word reference list is written once"),
            ("--format bibliography -o x.docx", "needs --style ID"),
            ("--format bibliography -o x.txt", "needs --style ID")]:
        argv = [str(tmp_path / a) if a.startswith("x.") else a for a in args.split()]
        code, _o, err = run(capsys, *L, "export", *argv)
        assert code == 2 and says in err, (args, err)
    assert not [p for p in tmp_path.iterdir() if p.stem == "x"]
    code, _o, err = run(capsys, *L, "export", "--format", "bibliography", "--style", "nope",
                        "-o", str(tmp_path / "y.docx"))
    assert code == 1 and "unknown style 'nope'" in err and not (tmp_path / "y.docx").exists()


def test_styles_add_a_valid_style_and_refuse_bad_ones(libpath: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from spinelib.styles import resolve

    spine = resolve("spine")[0].read_text(encoding="utf-8")
    mine = tmp_path / "my-spine.csl"
    mine.write_text(spine.replace("<title>Spine</title>", "<title>My Spine Journal</title>")
                    .replace("http://www.zotero.org/styles/spine</id>",
                             "http://example.org/styles/my-spine-journal</id>"))
    L = ("--library", str(libpath))
    code, out, _e = run(capsys, *L, "styles", "add", str(mine))
    assert code == 0 and "installed style my-spine-journal: My Spine Journal" in out
    code, out, _e = run(capsys, *L, "styles", "--search", "my spine", "--json")
    assert json.loads(out) == [{"id": "my-spine-journal", "title": "My Spine Journal",
                                "parent": None}]
    code, out, _e = run(capsys, *L, "cite", "patchell2005direct", "--style", "my-spine-journal")
    assert code == 0 and out.startswith("¹\n\n1. Patchell RA")
    orphan = tmp_path / "orphan.csl"
    orphan.write_text('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info>'
                      "<title>Orphan</title><id>http://x/orphan</id>"
                      '<link href="http://www.zotero.org/styles/not-there" '
                      'rel="independent-parent"/></info></style>')
    code, _o, err = run(capsys, *L, "styles", "add", str(orphan))
    assert code == 1 and "'not-there', which is not installed" in err
    bomb = tmp_path / "bomb.csl"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><style>&a;</style>')
    code, _o, err = run(capsys, *L, "styles", "add", str(bomb))
    assert code == 1 and "not a valid CSL style" in err
    notcsl = tmp_path / "x.csl"
    notcsl.write_text("<html><title>x</title></html>")
    code, _o, err = run(capsys, *L, "styles", "add", str(notcsl))
    assert code == 1 and "not a CSL style" in err
    code, _o, err = run(capsys, *L, "cite", "patchell2005direct", "--style", "nope-style")
    assert code == 1 and "unknown style 'nope-style'" in err
