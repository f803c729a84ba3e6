"""A ``.bib`` of exactly what a LaTeX (``.aux``) or pandoc Markdown (``.md``) paper cites.

Promises: the keys are written in order of first citation, under the keys the paper uses;
unknown keys are named and the rest written; the reading list "Cited in <name>" follows the
paper (one transaction).
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


def cited_keys(path: Path) -> list[str]:
    """The keys the paper at ``path`` cites; FormatError for another kind of file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise SpineLibError(f"cannot read {path}: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix == ".aux":
        return cited_in_aux(text)
    if suffix in (".md", ".markdown", ".qmd", ".rmd"):
        return cited_in_markdown(text)
    raise FormatError(f"{path.name}: expected a LaTeX .aux or a Markdown .md file")


def write_cited_bib(lib: Library, source: Path, output: Path, *,
                    biblatex: bool = False) -> BibReport:
    """Write the ``.bib`` of what ``source`` cites to ``output`` (see the module's promises)."""
    from spinelib import formats

    source, output = Path(source), Path(output)
    if same_file(source, output):
        raise SpineLibError(f"{output} is the input file")
    keys = cited_keys(source)
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
    records = [dataclasses.replace(rec, citekey=key) for rec, key in
               zip(lib.articles.records(ids, with_references=False), report.written,
                   strict=True)]
    fmt = "biblatex" if biblatex else "bibtex"
    report.warnings = formats.export_problems(records, fmt)
    formats.write_atomic(output, formats.WRITERS[fmt](records))
    if ids:
        report.reading_list = cited_list_name(source)
        lib.lists.replace(report.reading_list, ids)
    return report
