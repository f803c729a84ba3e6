"""Hold a .bib file against the programs that will consume it: BibTeX with LaTeX, biber, pandoc.

Usage: ``python -m tools.check_bib FILE.bib [--biblatex] [--keep DIR]`` (from the checkout).

What an export must survive, and what each check catches that nothing else reports:

``text``
    duplicate citation keys, unbalanced braces (they swallow the next entry) and an
    unescaped ``%`` inside a value (LaTeX drops the rest of that line without a word).
``bibtex`` (BibTeX mode only)
    a tiny document citing every entry (``\\nocite{*}``, plain style) run through pdflatex,
    bibtex and pdflatex twice: BibTeX's warnings and errors from its log, then any LaTeX
    error in the bibliography (an unescaped ``&``, a raw ``α`` pdfLaTeX cannot set).
``biber``
    ``biber --tool --validate-datamodel``: errors, and in BibLaTeX mode warnings too (the
    file is meant for BibLaTeX's data model there).
``pandoc``
    ``pandoc -f bibtex -t csljson`` must read every entry, and a tiny Markdown document
    citing them all must render with citeproc without a warning.

A program that is not installed is reported as a problem, never passed over. Prints one
line per problem and a summary line (``check-bib: N entries, M problems``); exits 0 only when
there is no problem, 1 otherwise, 2 on a usage error. Debian packages: texlive-binaries
texlive-latex-base biber pandoc.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Where each program comes from, for the "not installed" problem.
DEBIAN_PACKAGES = {"pdflatex": "texlive-latex-base", "bibtex": "texlive-binaries",
                   "biber": "biber", "pandoc": "pandoc"}
#: Seconds any one program may run (a LaTeX run on a big file, on a busy machine).
PROGRAM_TIMEOUT = 300
#: ``@type{key,`` at the start of an entry; comments, strings and preambles are not entries.
ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,")
NOT_ENTRIES = {"comment", "string", "preamble"}
#: The document LaTeX compiles: every entry, the plain style, UTF-8 input, T1 fonts.
LATEX_DOCUMENT = (
    "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
    "\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n"
    "\\end{document}\n")
#: The document pandoc renders: every entry of refs.bib through citeproc.
MARKDOWN_DOCUMENT = "---\nbibliography: refs.bib\nnocite: '@*'\n---\n\n# References\n"

Which = Callable[[str], str | None]


@dataclass(frozen=True)
class Problem:
    """One thing a consumer of the file would trip over (or a checker that could not run)."""

    checker: str
    message: str

    def __str__(self) -> str:
        return f"{self.checker}: {self.message}"


@dataclass
class Report:
    """What :func:`check_bib` found: the entries read and every problem, in check order."""

    entries: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"check-bib: {self.entries} entries, {len(self.problems)} problems"


# ------------------------------------------------------------------------------ text
def entry_keys(text: str) -> list[str]:
    """The citation keys of ``text``'s entries, in file order."""
    return [m.group(2) for m in ENTRY_START.finditer(text)
            if m.group(1).lower() not in NOT_ENTRIES]


def _escaped(line: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes (``\\%``)."""
    backslashes = 0
    while index - backslashes > 0 and line[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def text_problems(text: str) -> list[Problem]:
    """Duplicate keys, unbalanced braces and unescaped ``%`` inside values."""
    problems = []
    seen: set[str] = set()
    for key in entry_keys(text):
        if key in seen:
            problems.append(Problem("text", f"duplicate key {key}"))
        seen.add(key)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for index, char in enumerate(line):
            # BibTeX counts every brace, escaped or not, so only '%' may be escaped here.
            if char not in "{}%" or (char == "%" and _escaped(line, index)):
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    problems.append(Problem("text", f"line {number}: '}}' closes nothing"))
                else:
                    depth -= 1
            elif depth > 0:
                problems.append(Problem(
                    "text", f"line {number}: unescaped % inside a value (LaTeX would drop "
                    "the rest of the line)"))
    if depth:
        problems.append(Problem("text", f"{depth} brace(s) still open at the end of the file"))
    return problems


# ------------------------------------------------------------------------------ programs
def _run(args: Sequence[str], work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=work, capture_output=True, text=True,
                          errors="replace", timeout=PROGRAM_TIMEOUT)


def _missing(checker: str, programs: Sequence[str], which: Which) -> list[Problem]:
    absent = [p for p in programs if which(p) is None]
    if not absent:
        return []
    packages = sorted({DEBIAN_PACKAGES[p] for p in absent})
    return [Problem(checker, f"not installed: {', '.join(absent)} "
                             f"(Debian: {' '.join(packages)})")]


def _latex_errors(log: Path) -> list[str]:
    """LaTeX's own error lines (they start with '!') from a .log, at most three."""
    if not log.exists():
        return ["(no log written)"]
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line.startswith("!")][:3] or ["(see the log)"]


def bibtex_problems(work: Path, which: Which = shutil.which) -> list[Problem]:
    """pdflatex, bibtex, pdflatex twice on ``work/refs.bib`` with every entry cited."""
    missing = _missing("bibtex", ("pdflatex", "bibtex"), which)
    if missing:
        return missing
    (work / "doc.tex").write_text(LATEX_DOCUMENT, encoding="utf-8")
    latex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    if _run(latex, work).returncode != 0:
        return [Problem("latex", "the document does not compile before BibTeX runs: "
                        + " | ".join(_latex_errors(work / "doc.log")))]
    bibtex = _run(("bibtex", "doc"), work)
    blg = work / "doc.blg"
    log = blg.read_text(encoding="utf-8", errors="replace") if blg.exists() else bibtex.stdout
    problems = [Problem("bibtex", line.strip()) for line in log.splitlines()
                if line.startswith("Warning--") or "---line" in line
                or line.startswith(("I couldn't", "I was expecting", "I'm skipping"))]
    # bibtex exits 1 on warnings and 2 on errors; both are in the log read above.
    if bibtex.returncode > 1 and not problems:
        problems.append(Problem("bibtex", f"exit {bibtex.returncode}: "
                                f"{bibtex.stdout.strip()[-300:]}"))
    for _ in range(2):  # the second run sets the bibliography, the third its references
        final = _run(latex, work)
    if final.returncode != 0:
        problems.append(Problem("latex", "the bibliography does not compile: "
                                + " | ".join(_latex_errors(work / "doc.log"))))
    return problems


def biber_problems(work: Path, biblatex: bool, which: Which = shutil.which) -> list[Problem]:
    """biber's data-model validation of ``work/refs.bib``."""
    missing = _missing("biber", ("biber",), which)
    if missing:
        return missing
    result = _run(("biber", "--tool", "--validate-datamodel", "--nolog",
                   "--output-file=refs.checked.bib", "refs.bib"), work)
    problems = []
    for line in (result.stdout + result.stderr).splitlines():
        level, _, message = line.partition(" - ")
        if "ERROR" in level or (biblatex and "WARN" in level):
            problems.append(Problem("biber", message.strip()))
    if result.returncode != 0 and not problems:
        problems.append(Problem("biber", f"exit {result.returncode}"))
    return problems


def pandoc_problems(work: Path, entries: int, which: Which = shutil.which) -> list[Problem]:
    """pandoc reads every entry as CSL JSON and renders them all with citeproc."""
    missing = _missing("pandoc", ("pandoc",), which)
    if missing:
        return missing
    read = _run(("pandoc", "-f", "bibtex", "-t", "csljson", "refs.bib"), work)
    if read.returncode != 0:
        return [Problem("pandoc", f"cannot read the file (exit {read.returncode}): "
                        f"{read.stderr.strip()[:300]}")]
    try:
        items = json.loads(read.stdout)
    except json.JSONDecodeError as exc:
        return [Problem("pandoc", f"wrote unreadable CSL JSON: {exc}")]
    problems = []
    if len(items) != entries:
        problems.append(Problem("pandoc", f"read {len(items)} entries of {entries}"))
    (work / "doc.md").write_text(MARKDOWN_DOCUMENT, encoding="utf-8")
    rendered = _run(("pandoc", "--citeproc", "-t", "plain", "doc.md"), work)
    if rendered.returncode != 0:
        problems.append(Problem("pandoc", f"citeproc failed (exit {rendered.returncode}): "
                                f"{rendered.stderr.strip()[:300]}"))
    else:
        problems += [Problem("pandoc", line.strip()) for line in rendered.stderr.splitlines()
                     if line.strip()]
    return problems


# ------------------------------------------------------------------------------ all of it
def check_bib(path: Path, *, biblatex: bool = False, keep: Path | None = None,
              which: Which = shutil.which) -> Report:
    """Every check on the .bib file at ``path`` (BibLaTeX's data model with ``biblatex``).

    The programs run in a temporary directory on a copy; ``keep`` receives that directory's
    files (documents, logs) afterwards, for a look at what went wrong.
    """
    text = path.read_text(encoding="utf-8")
    report = Report(len(entry_keys(text)), text_problems(text))
    with tempfile.TemporaryDirectory(prefix="check-bib-") as tmp:
        work = Path(tmp)
        (work / "refs.bib").write_text(text, encoding="utf-8")
        if not biblatex:  # BibLaTeX files are not meant for BibTeX's plain style
            report.problems += bibtex_problems(work, which)
        report.problems += biber_problems(work, biblatex, which)
        report.problems += pandoc_problems(work, report.entries, which)
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.check_bib",
        description="Check a .bib file with bibtex+pdflatex, biber and pandoc.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--biblatex", action="store_true",
                        help="the file is for BibLaTeX (biber's data model; no BibTeX run)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="copy the documents and logs of the runs into DIR")
    args = parser.parse_args(argv)
    try:
        report = check_bib(args.file, biblatex=args.biblatex, keep=args.keep)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"check-bib: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    for problem in report.problems:
        print(problem)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
