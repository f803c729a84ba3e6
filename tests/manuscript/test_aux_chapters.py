"""``manuscript bib thesis.aux``: a document split into chapters with ``\\include`` keeps each
chapter's citations in the chapter's own .aux, which the main .aux only names."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.manuscript import cited_keys, write_cited_bib


def test_the_chapters_aux_files_are_read_where_they_are_included(tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "thesis.aux").write_text(
        "\\relax\n\\citation{intro2001}\n\\@input{ch1.aux}\n\\@input{chapters/ch2.aux}\n"
        "\\citation{outro2003,intro2001}\n\\bibdata{refs}\n")
    (tmp_path / "ch1.aux").write_text("\\relax\n\\citation{ch1a}\n\\citation{ch1b}\n"
                                      "\\@setckpt{ch1}{\n\\setcounter{page}{3}\n}\n")
    (tmp_path / "chapters" / "ch2.aux").write_text(
        "\\abx@aux@cite{0}{ch2a}\n\\@input{thesis.aux}\n\\@input{chapters/ch2.aux}\n")
    cited = cited_keys(tmp_path / "thesis.aux")
    # In reading order; a chapter naming the main file (or itself) is not read again.
    assert cited.keys == ["intro2001", "ch1a", "ch1b", "ch2a", "outro2003"]
    assert cited.missing == []


def test_a_chapter_not_compiled_is_named(libpath: Path, tmp_path: Path) -> None:
    aux = tmp_path / "thesis.aux"
    aux.write_text("\\citation{patchell2005direct}\n\\@input{ch3.aux}\n")
    with Library.open(libpath) as lib:
        report = write_cited_bib(lib, aux, tmp_path / "refs.bib")
    assert report.written == ["patchell2005direct"]
    assert report.warnings[0] == ("ch3.aux, which thesis.aux includes, is not there (compile "
                                  "the whole document with LaTeX first): its citations are "
                                  "left out")


@pytest.mark.e2e
def test_what_latex_writes_for_an_included_chapter(tmp_path: Path) -> None:
    """The real pdflatex: the chapter's citation is found in the .aux files it leaves."""
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex not installed")
    (tmp_path / "thesis.tex").write_text(
        "\\documentclass{report}\\begin{document}Intro \\cite{intro2001}.\n"
        "\\include{ch1}\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n")
    (tmp_path / "ch1.tex").write_text("Chapter one \\cite{ch1a,ch1b}.\n")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "thesis.tex"], cwd=tmp_path,
                   capture_output=True, timeout=120, check=False)
    assert "\\@input{ch1.aux}" in (tmp_path / "thesis.aux").read_text()
    assert cited_keys(tmp_path / "thesis.aux").keys == ["intro2001", "ch1a", "ch1b"]
