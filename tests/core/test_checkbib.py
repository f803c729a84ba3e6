"""Exports held against the programs that consume them: bibtex+pdfLaTeX, biber, pandoc.

Runs the project's checker, ``tools/check_bib.py``, on a library of awkward records in both
BibTeX modes. Slow (LaTeX runs), hence the ``e2e`` mark; skipped with the reason when the
TeX programs, biber or pandoc are missing. :func:`run_check_bib` is meant for reuse by other
tests that build libraries from real fixtures. The checker's own text checks, and its refusal
to pass a file when a program is missing, are tested here without any program.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spinelib.formats import WRITERS, export_problems
from spinelib.records import ArticleRecord, Author
from tools.check_bib import DEBIAN_PACKAGES, Problem, check_bib, entry_keys, text_problems

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = tuple(DEBIAN_PACKAGES)


def check_bib_missing() -> str:
    """Why check-bib cannot run here ('' when it can)."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if missing:
        return ("check-bib needs " + ", ".join(missing)
                + " (Debian: texlive-binaries texlive-latex-base biber pandoc)")
    return ""


def run_check_bib(path: Path, biblatex: bool) -> subprocess.CompletedProcess[str]:
    """Run check-bib on ``path`` (``--biblatex`` for the second mode); exit 0 means clean."""
    cmd = [sys.executable, "-m", "tools.check_bib", str(path)] + (["--biblatex"] if biblatex
                                                                   else [])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=REPO)


needs_check_bib = pytest.mark.skipif(bool(check_bib_missing()), reason=check_bib_missing()
                                     or "check-bib available")


def nasty_library() -> list[ArticleRecord]:
    """Records that have broken real exporters: specials, Unicode, odd names and types."""
    return [
        ArticleRecord(
            title="α-blockers and β2 agonists: 50% & $5 costs_x #1 ~ ^ with {braces} "
                  "and back\\slash -- ''quotes'' <<guillemets>>",
            authors=[Author("Şahin", "Ayşe Gül"), Author("Akgün Gökmen", "İsmail"),
                     Author("Kupče", "Ēriks"), Author("Ozoliņš", "Jānis"),
                     Author("Ibáñez García", "José María"), Author("Müller", "Jürgen")],
            journal="Acta Orthop Traumatol Turc & Spine", journal_abbrev="Acta & Spine",
            year=2023, month=2, day=29, volume="57", issue="1", pages="12-9",
            doi="10.5152/j.aott.2023_21#x", pmid="36567554", pmcid="PMC9999999",
            abstract="BACKGROUND: 100% of ≥ 18-year-olds, ± 2 °C, 5 µg × 3.\n\n"
                     "METHODS: Übersicht – Ærø, Łódź, naïve café, ﬁnal; 中文 (unencodable).",
            citekey="sahin2023blockers", tags=["spine, metastasis", "α-tag", "50%"],
            keywords=["SBRT"], notes="Checked 100% & more\n\nSecond note paragraph.",
            url="https://example.org/a%20b_c#frag",
        ),
        ArticleRecord(
            title="Development of a pulmonary imaging biomarker pipeline",
            authors=[Author(collective="Canadian Respiratory Research Network"),
                     Author("van der Berg", "Jan"), Author("De La Cruz", ""),
                     Author("Smith and Sons", "Ann")],
            journal="J Med Imaging", year=2018, month=7, volume="5", issue="2",
            pages="026002", doi="10.1117/1.JMI.5.2.026002", citekey="crrn2018pulmonary",
        ),
        ArticleRecord(
            title="Stereotactic body radiotherapy (SBRT) versus conventional radiotherapy: "
                  "MRI-guided sLITT, MISt, the Bilsky grade, Tokuhashi and Kyphon",
            authors=[Author("Sahgal", "Arjun")], journal="Lancet Oncol", year=2021,
            volume="22", issue="7", pages="1023-33", doi="10.1016/S1470-2045(21)00196-0",
            citekey="sahgal2021stereotactic",
        ),
        ArticleRecord(
            title="An article number and no month", authors=[Author("Laufer", "Ilya")],
            journal="PLoS ONE", year=2012, volume="7", issue="3", pages="e33693",
            citekey="laufer2012article",
        ),
        ArticleRecord(
            type="chapter", title="Separation surgery followed by SBRT",
            book_title="Spine Oncology: Principles and Practice",
            authors=[Author("Laufer", "Ilya"), Author("Bilsky", "Mark H")],
            editors=[Author("Bilsky", "Mark H"), Author("Fourney", "Daryl R")], edition="2",
            isbn="978-0-323-40030-5", publisher="Thieme", year=2018, pages="201-212",
            citekey="laufer2018separation",
        ),
        ArticleRecord(  # an edited book: biblatex's @collection, BibTeX's @book
            type="book", title="Spine Oncology: Principles and Practice (edited)",
            editors=[Author("Bilsky", "Mark H")], edition="Rev. ed.", publisher="Thieme",
            year=2018, citekey="bilsky2018edited",
        ),
        ArticleRecord(
            type="book", title="Spine Oncology: Principles & Practice",
            authors=[Author("Bilsky", "Mark H")], publisher="Thieme", year=2018,
            citekey="bilsky2018spine",
        ),
        ArticleRecord(
            type="review", title="Corrigendum to “Spinal instability” — a review",
            authors=[Author("Fisher", "Charles G")], journal="Spine (Phila Pa 1976)",
            year=2010, month=10, volume="35", issue="22", pages="E1221-E1229",
            doi="10.1097/BRS.0b013e3181e16ae2", pmid="20562730", citekey="fisher2010novel",
        ),
    ]


@pytest.mark.e2e
@needs_check_bib
@pytest.mark.parametrize("mode", ["bibtex", "biblatex"])
def test_nasty_library_passes_check_bib(tmp_path: Path, mode: str) -> None:
    records = nasty_library()
    problems = export_problems(records, mode)
    # Only the deliberately unencodable characters are expected to be reported.
    assert all("cannot encode" in p for p in problems), problems
    assert bool(problems) == (mode == "bibtex")
    path = tmp_path / "refs.bib"
    path.write_text(WRITERS[mode](records, abstracts=True), encoding="utf-8")
    result = run_check_bib(path, biblatex=mode == "biblatex")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(records)} entries, 0 problems" in result.stdout


@pytest.mark.e2e
@needs_check_bib
def test_check_bib_does_catch_a_broken_file(tmp_path: Path) -> None:
    """The checker is not a rubber stamp: an unescaped & fails it."""
    path = tmp_path / "bad.bib"
    path.write_text("@article{a, author={A, B}, title={Fish & chips}, journal={J}, "
                    "year={2001}}\n", encoding="utf-8")
    assert run_check_bib(path, biblatex=False).returncode != 0


# -- the checker itself, without any program ---------------------------------------------------

def test_text_checks_find_what_latex_would_silently_mangle() -> None:
    bib = ("@comment{not an entry, ignored}\n"
           "@article{a, title={50% of cases}, year={2001}}\n"
           "@article{b, title={100\\% escaped, \\{balanced\\}}, year={2002}}\n"
           "@article{a, title={Open {brace}, year={2003}}\n")
    assert entry_keys(bib) == ["a", "b", "a"]
    assert [str(p) for p in text_problems(bib)] == [
        "text: duplicate key a",
        "text: line 2: unescaped % inside a value (LaTeX would drop the rest of the line)",
        "text: 1 brace(s) still open at the end of the file",
    ]
    assert text_problems("@article{c, title={Clean}}\n% a comment outside entries\n") == []
    assert [str(p) for p in text_problems("@article{d, title={x}}}\n")] == [
        "text: line 1: '}' closes nothing"]


@pytest.mark.parametrize("biblatex", [False, True], ids=["bibtex", "biblatex"])
def test_a_missing_program_is_a_problem_not_a_pass(tmp_path: Path, biblatex: bool) -> None:
    path = tmp_path / "clean.bib"
    path.write_text("@article{a, author={A, B}, title={T}, journal={J}, year={2001}}\n",
                    encoding="utf-8")
    report = check_bib(path, biblatex=biblatex, which=lambda _program: None)
    expected = [
        Problem("biber", "not installed: biber (Debian: biber)"),
        Problem("pandoc", "not installed: pandoc (Debian: pandoc)"),
    ]
    if not biblatex:
        expected.insert(0, Problem("bibtex", "not installed: pdflatex, bibtex "
                                             "(Debian: texlive-binaries texlive-latex-base)"))
    assert report.problems == expected
    assert not report.ok and report.summary() == f"check-bib: 1 entries, {len(expected)} problems"
