"""``< > |`` in .bib files: written as LaTeX text commands, read back from them; and the
superscripts and subscripts of other programs' math read as plain text.

Clinical titles hold them ("Survival <6 months", "SINS >12"). Written as they are, LaTeX's
default fonts (OT1: a document without ``\\usepackage[T1]{fontenc}``, as many journal
templates are) print "¡6 months" and "¿12"; Zotero therefore writes ``{\\textless}``,
``{\\textgreater}`` and ``{\\textbar}``, and SpineLib's reader dropped those commands, so
a title imported from Zotero lost its "<".
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
from tests.core.helpers import make_record

TITLE = "Survival <6 months and SINS >12 | a score <<x>>"
#: A SICI DOI (Cancer, 1998): its angle brackets are the identifier's, not text.
SICI = "10.1002/(sici)1097-0142(19980915)83:6<1114::aid-cncr9>3.0.co;2-#"

#: An entry as Zotero's BibTeX export writes one (tab-indented; its alwaysMap spellings).
ZOTERO_ENTRY = r"""@article{fisher_survival_2010,
	title = {Survival {\textless}6 months and {SINS} {\textgreater}12 {\textbar} a},
	volume = {35},
	journal = {Spine},
	author = {Fisher, Charles G.},
	year = {2010},
	keywords = {{\textless}65 years},
	abstract = {Patients aged {\textgreater}65 years (p {\textless} 0.05) \emph{and} others.},
}
"""


def test_less_greater_and_bar_are_written_as_text_commands() -> None:
    rec = make_record(citekey="k", title=TITLE, doi=SICI, abstract="p <0.05",
                      keywords=["<65 years"])
    for text in (write_bibtex([rec], abstracts=True), write_biblatex([rec], abstracts=True)):
        title = next(line for line in text.splitlines() if line.lstrip().startswith("title"))
        assert "<" not in title and ">" not in title and "|" not in title
        assert r"{\textless}6 months" in title and r"{\textgreater}12" in title
        assert r"{\textbar} a" in title
        assert r"{\textless}{\textless}x{\textgreater}{\textgreater}" in title
        assert r"p {\textless}0.05" in text and r"{\textless}65 years" in text
        assert f"doi = {{{SICI}}}" in text  # an identifier is written as it is
        back = read_bibtex(text).records[0]
        assert back.title == TITLE and back.abstract == "p <0.05"
        assert back.keywords == ["<65 years"] and back.doi == SICI


def test_zoteros_text_commands_are_read_as_the_characters() -> None:
    """Both decoders: the table-driven one (title, keywords) and pylatexenc's, which takes
    a field holding a command the table does not know (the abstract's ``\\emph``)."""
    rec = read_bibtex(ZOTERO_ENTRY).records[0]
    assert rec.title == "Survival <6 months and SINS >12 | a"
    assert rec.keywords == ["<65 years"]
    assert rec.abstract == "Patients aged >65 years (p < 0.05) and others."


def test_other_text_commands_for_ascii_characters_are_read() -> None:
    entry = (r"@article{a, title = {A {\textquotedbl}quoted{\textquotedbl} "
             r"snake{\textunderscore}case \textless 5, {\~{}}5 mm and x\^{}2 "
             r"in Pe\~{n}a \emph{et al}}, year = {2020}}")
    assert read_bibtex(entry).records[0].title == (
        'A "quoted" snake_case <5, ~5 mm and x^2 in Peña et al')


@pytest.mark.parametrize(("latex", "text"), [
    (r"$^{18}$F-FDG PET in spinal metastases", "18F-FDG PET in spinal metastases"),
    (r"{$^{99m}$}Tc bone scan", "99mTc bone scan"),
    (r"Cobb angle over 10$^\circ$ and 40{$^{\circ}$}", "Cobb angle over 10° and 40°"),
    (r"H$_2$O and $\alpha_{v}\beta_3$ integrin", "H2O and αvβ3 integrin"),
    (r"$^{90}$Y and $p<0.05$, costs \$5", "90Y and p<0.05, costs $5"),
    ("x^2 typed as text", "x^2 typed as text"),
])
def test_superscripts_and_subscripts_in_math_read_as_plain_text(latex: str, text: str) -> None:
    """As PubMed's and Crossref's ``<sup>``/``<sub>`` are flattened ("18F-FDG"), not the
    "^18F-FDG" pylatexenc makes of JabRef's, Mendeley's or Better BibTeX's math."""
    entry = f"@article{{a, title = {{{latex}}}, year = {{2020}}}}"
    assert read_bibtex(entry).records[0].title == text


def _pdf_text(pdf: Path) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


@pytest.mark.e2e
def test_a_document_in_latexs_default_fonts_prints_the_characters(tmp_path: Path) -> None:
    """bibtex and pdfLaTeX, no fontenc (OT1): the reference reads "<6 months", not "¡6"."""
    if not (shutil.which("bibtex") and shutil.which("pdflatex")):
        pytest.skip("bibtex/pdflatex not installed")
    rec = make_record(citekey="k", title="Survival <6 months and SINS >12 | a")
    (tmp_path / "refs.bib").write_text(write_bibtex([rec]), encoding="utf-8")
    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\nocite{*}\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n")

    def run(*cmd: str) -> None:
        out = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout[-2000:]

    run("pdflatex", "-interaction=nonstopmode", "t.tex")
    run("bibtex", "t")
    run("pdflatex", "-interaction=nonstopmode", "t.tex")
    text = " ".join(_pdf_text(tmp_path / "t.pdf").split())
    assert "Survival <6 months and SINS >12 | a" in text
    assert "¡" not in text and "¿" not in text
