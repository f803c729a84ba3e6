"""A ``.bib`` of exactly what a LaTeX (``.aux``) or pandoc Markdown (``.md``) paper cites.

Promises: the keys are written in order of first citation, under the keys the paper uses,
without the reader's notes (a reference list prints BibTeX's ``note``),
a LaTeX document's chapters (``\\include``) included; unknown keys are named and the rest
written, a chapter ``.aux`` that is not there is named; the reading list "Cited in <name>"
follows the paper (one transaction).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from spinelib.errors import FormatError, NoMatch, SpineLibError
from spinelib.library import Library
from spinelib.manuscript.docx_format import cited_list_name
from spinelib.manuscript.placeholders import cited_in_aux, cited_in_markdown
from spinelib.paths import same_file


@dataclass
class BibReport:
    """What ``manuscript bib`` wrote: the keys found, those unknown, warnings from the writer."""

    output: Path
    written: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    #: Unknown key -> the close keys the library has ("laufer2013noms"), for a typo.
    close: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reading_list: str = ""


@dataclass
class CitedKeys:
    """The keys a paper cites, in first-cited order, and the chapter ``.aux`` files its
    main ``.aux`` names that are not there (compiled with ``\\includeonly``, or never)."""

    keys: list[str]
    missing: list[str] = field(default_factory=list)


def cited_keys(path: Path) -> CitedKeys:
    """The keys the paper at ``path`` cites; FormatError for another kind of file. A LaTeX
    ``.aux`` is read with the chapters' ``.aux`` files it names (``\\include``), found as
    LaTeX writes them: relative to the directory it ran in, the main ``.aux``'s."""
    path = Path(path)
    text = _read(path)
    suffix = path.suffix.lower()
    if suffix == ".aux":
        return _aux_keys(path, text)
    if suffix in (".md", ".markdown", ".qmd", ".rmd"):
        return CitedKeys(cited_in_markdown(text))
    raise FormatError(f"{path.name}: expected a LaTeX .aux or a Markdown .md file")


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise SpineLibError(f"cannot read {path}: {exc.strerror or exc}") from None


def _aux_keys(path: Path, text: str) -> CitedKeys:
    seen = {path.resolve()}
    missing: list[str] = []

    def included(name: str) -> str:
        chapter = (path.parent / name).resolve()
        if not name.lower().endswith(".aux") or chapter in seen:
            return ""  # LaTeX names only .aux files; a loop is read once
        seen.add(chapter)
        if not chapter.is_file():
            missing.append(name)
            return ""
        return _read(chapter)

    return CitedKeys(cited_in_aux(text, included), missing)


def write_cited_bib(lib: Library, source: Path, output: Path, *,
                    biblatex: bool = False) -> BibReport:
    """Write the ``.bib`` of what ``source`` cites to ``output`` (see the module's promises)."""
    from spinelib import formats

    source, output = Path(source), Path(output)
    if same_file(source, output):
        raise SpineLibError(f"{output} is the input file")
    cited = cited_keys(source)
    keys = cited.keys
    report = BibReport(output)
    ids: list[int] = []
    for key in keys:
        try:
            ids.append(lib.articles.resolve_key(key))
            report.written.append(key)
        except NoMatch as exc:
            report.unknown.append(key)
            if exc.close:
                report.close[key] = " or ".join(exc.close)
    # The key the paper cites is the key the .bib must carry: an old key (an alias) and
    # the new one cited in one paper are two entries, so each gets a copy of the record.
    # The reader's own notes (highlights copied from PDFs among them) stay out: BibTeX's
    # `note` is printed in the reference list by the standard styles and by pandoc.
    records = [dataclasses.replace(rec, citekey=key, notes="") for rec, key in
               zip(lib.articles.records_to_cite(ids), report.written,
                   strict=True)]
    fmt = "biblatex" if biblatex else "bibtex"
    report.warnings = [f"{name}, which {source.name} includes, is not there (compile the "
                       "whole document with LaTeX first): its citations are left out"
                       for name in cited.missing]
    report.warnings += formats.export_problems(records, fmt)
    formats.write_atomic(output, formats.WRITERS[fmt](records))
    if ids:
        report.reading_list = cited_list_name(source)
        lib.lists.replace(report.reading_list, ids)
    return report
