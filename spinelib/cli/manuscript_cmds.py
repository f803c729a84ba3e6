"""Commands from library to manuscript: styles, cite, manuscript format/bib, kept exports.

Their grammar is in :mod:`spinelib.cli.manuscript_parser`; ``export --format bibliography``
and ``export … --keep-updated`` arrive here from the export command (:func:`styled_export`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spinelib import paths, settings
from spinelib.cli.output import UsageError, print_json
from spinelib.cli.parser import query_from
from spinelib.formats import registry
from spinelib.library import BIBLIOGRAPHY, ExportScope, Library
from spinelib.records import ArticleRecord
from spinelib.text import local_time, plural


def _style(args: argparse.Namespace) -> str:
    return args.style or settings.load(paths.settings_path()).citation_style or "vancouver"


def cmd_styles(lib: Library, args: argparse.Namespace) -> int:
    from spinelib import styles

    if args.styles_command == "add":
        info = styles.add_style(Path(args.file))
        parent = f" (formats as {info.parent})" if info.parent else ""
        print(f"installed style {info.id}: {info.title}{parent}")
        return 0
    if args.styles_command == "map":
        info = styles.map_journal(args.journal, args.parent)
        print(f"{info.title} now formats as {info.parent} (style id: {info.id})")
        return 0
    # `styles search WORD…` and `styles --search TEXT` are one search (words of both).
    found = styles.search(" ".join(filter(None, (args.search, *getattr(args, "words", ())))))
    if args.json:
        print_json([s.to_json() for s in found])
        return 0
    for s in found:
        parent = f"  → {s.parent}" if s.parent else ""
        mine = "  (yours)" if s.user else ""
        print(f"{s.id:<48} {s.title}{parent}{mine}")
    print(plural(len(found), "style"), file=sys.stderr)
    return 0 if found else 1


def cmd_cite(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cite import Citer

    ids = [lib.articles.resolve_key(k) for k in args.keys]
    records = lib.articles.records_to_cite(list(dict.fromkeys(ids)))
    by_key = {(r.citekey or f"id{i}"): r for i, r in zip(dict.fromkeys(ids), records)}
    citer = Citer.for_style(_style(args), by_key)
    print(citer.cite(list(by_key), html=args.html))
    print()
    for entry in citer.bibliography(html=args.html):
        print(entry)
    for key, rec in by_key.items():
        if rec.retracted:
            print(f"warning: {key} is RETRACTED", file=sys.stderr)
    return 0


def cmd_manuscript(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.manuscript import format_manuscript, write_cited_bib

    if args.manuscript_command == "bib":
        bib = write_cited_bib(lib, Path(args.input), Path(args.output), biblatex=args.biblatex)
        for warning in bib.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for key in bib.unknown:
            close = f"; did you mean {bib.close[key]}?" if key in bib.close else ""
            print(f"{key}: not in the library (left out){close}", file=sys.stderr)
        print(f"wrote {plural(len(bib.written), 'entry', 'entries')} to {args.output}"
              + (f'; reading list "{bib.reading_list}"' if bib.reading_list else ""),
              file=sys.stderr)
        return 1 if bib.unknown else 0
    report = format_manuscript(lib, Path(args.input), Path(args.output), _style(args))
    for line in report.retracted + report.unshown_locators:
        print(f"warning: {line}", file=sys.stderr)
    for line in report.unmatched + report.ambiguous:
        print(f"{line} (left as typed)", file=sys.stderr)
    if report.read_back_text:
        print(f"{args.input}: {report.read_back_text}", file=sys.stderr)
    where = report.bibliography_place if report.cited else "not written (nothing cited)"
    print(f"wrote {args.output}: {plural(report.citations, 'citation')} of "
          f"{plural(len(report.cited), 'article')} in {report.style}, bibliography {where}"
          + (f'; reading list "{report.reading_list}"' if report.reading_list else ""),
          file=sys.stderr)
    return 0 if report.ok else 1


def cmd_exports(lib: Library, args: argparse.Namespace) -> int:
    if args.exports_command == "remove":
        lib.exports.remove(args.path)
        print(f"no longer keeping {args.path} up to date (the file stays)", file=sys.stderr)
        return 0
    if args.exports_command == "sync":
        failed = 0
        for outcome in lib.exports.sync():
            if outcome.status == "failed":
                failed += 1
                print(f"{outcome.path}: {outcome.message}", file=sys.stderr)
            else:
                print(f"{outcome.status:<9} {outcome.path}")
        return 1 if failed else 0
    kept = lib.exports.all()
    if args.json:
        print_json([{"path": k.path, "format": k.format, "scope":
                     ExportScope.from_json(k.scope).describe(),
                     "last_written": k.last_written or None, "style": k.style or None,
                     "problem": k.last_error or None} for k in kept])
        return 0
    for k in kept:
        fmt = f"{k.format} ({k.style})" if k.style else k.format
        problem = f"  PROBLEM: {k.last_error}" if k.last_error else ""
        print(f"{k.path}  {fmt}  {ExportScope.from_json(k.scope).describe()}  "
              f"written {local_time(k.last_written) or 'never'}{problem}")
    if not kept:
        print("no kept exports (add one with: spinelib export … -o FILE --keep-updated)",
              file=sys.stderr)
    return 1 if any(k.last_error for k in kept) else 0


def export_scope(args: argparse.Namespace) -> ExportScope:
    """The scope of an ``export`` command line, as a kept export stores it."""
    q = query_from(args)
    return ExportScope(keys=list(args.keys), search=q.search, tags=list(q.tags),
                       facets=list(q.facets), reading_list=q.reading_list)


_EVIDENCE_SUFFIXES = {"evidence-csv": ".csv", "evidence-xlsx": ".xlsx"}
#: The format an ``-o`` file's suffix names when ``--format`` is left out: the data formats'
#: suffixes (the registry's), ".bib" meaning the first listed, classic BibTeX, which every
#: BibTeX consumer reads (biblatex, also ".bib", is asked for by name), and the evidence
#: table's. A reference list's ".txt" or ".html" names no one style or format.
def _formats_by_suffix() -> dict[str, str]:
    by_suffix: dict[str, str] = {}
    for fmt in registry.EXPORT_FORMATS:
        if fmt.kind is registry.ExportKind.DATA:
            by_suffix.setdefault(fmt.suffix, fmt.name)
    return by_suffix | {suffix: name for name, suffix in _EVIDENCE_SUFFIXES.items()}


FORMAT_BY_SUFFIX = _formats_by_suffix()


def choose_format(args: argparse.Namespace) -> None:
    """Set ``args.format`` from ``-o FILE``'s suffix when ``--format`` was left out (a
    ``.docx`` with ``--style`` is a reference list); a UsageError naming the choices when
    the suffix names none, or one of several."""
    if args.format:
        return
    suffix = Path(args.output).suffix.lower() if args.output else ""
    if suffix == ".docx" and args.style:
        args.format = BIBLIOGRAPHY
    elif suffix in FORMAT_BY_SUFFIX:
        args.format = FORMAT_BY_SUFFIX[suffix]
    else:
        known = ", ".join(f"{s} ({f})" for s, f in FORMAT_BY_SUFFIX.items())
        given = (f"{args.output} does not say which" if args.output
                 else "with no -o FILE to tell it by")
        raise UsageError(f"say which format with --format ({given}); -o FILE chooses it "
                         f"for {known}, and .docx with --style")


def check_output_name(args: argparse.Namespace) -> None:
    """Refuse, before any work, an export whose ``-o`` names a word-processor document it
    would not be (:func:`spinelib.manuscript.reflist.misnamed_export`)."""
    from spinelib.formats.registry import export_format
    from spinelib.manuscript.reflist import misnamed_export

    if not args.output:
        return
    written_as: str | None = None
    if args.format in _EVIDENCE_SUFFIXES:
        written_as = _EVIDENCE_SUFFIXES[args.format]
    elif args.format != BIBLIOGRAPHY:
        chosen = export_format(args.format)
        if args.html and chosen.html_variant:
            chosen = export_format(chosen.html_variant)
        written_as = chosen.suffix
    problem = misnamed_export(args.output, written_as, keep_updated=args.keep_updated)
    if problem:
        raise UsageError(problem)
    named = Path(args.output).suffix.lower()
    if written_as and named in FORMAT_BY_SUFFIX and named != written_as:
        # "-o refs.bib --format ris" would put RIS where LaTeX expects BibTeX, over the
        # manuscript's own refs.bib: a slip of one option, refused before anything is written.
        raise UsageError(f"{Path(args.output).name} is named as {FORMAT_BY_SUFFIX[named]}, "
                         f"but --format {args.format} writes {written_as}; name the file "
                         f"{Path(args.output).with_suffix(written_as).name}, or leave out "
                         "--format to write what the name says")


def styled_export(lib: Library, args: argparse.Namespace) -> int:
    """``export --format bibliography`` and ``export --keep-updated`` (both need a scope)."""
    from spinelib import formats
    from spinelib.manuscript.reflist import is_word_document

    if args.keep_updated and not args.output:
        raise UsageError("--keep-updated needs -o FILE")
    if args.style and args.format != BIBLIOGRAPHY:
        raise UsageError("--style goes with --format bibliography")
    if args.format == BIBLIOGRAPHY and not args.style:
        raise UsageError("--format bibliography needs --style ID "
                         "(find one with: spinelib styles --search TEXT)")
    scope = export_scope(args)
    ids = lib.exports.ids(scope)
    if not ids and not args.keep_updated:
        print("nothing to export: no article matches", file=sys.stderr)
        return 1
    records = lib.exports.records(ids, args.format)
    if args.format != BIBLIOGRAPHY:
        for problem in formats.export_problems(records, args.format):
            print(f"warning: {problem}", file=sys.stderr)
    elif args.output and is_word_document(args.output):
        return _reference_list_docx(records, args)
    text = lib.exports.render(records, args.format, style=args.style or "",
                              html=args.html, abstracts=args.abstracts,
                              title=args.reading_list or "")
    if not args.output:
        sys.stdout.write(text)
        return 0
    formats.write_atomic(Path(args.output), text)
    print(f"wrote {plural(len(records), 'entry', 'entries')} to {args.output}", file=sys.stderr)
    if args.keep_updated:
        lib.exports.register(Path(args.output), args.format, scope, style=args.style or "",
                             html=args.html, abstracts=args.abstracts)
        print(f"keeping {args.output} up to date (spinelib exports sync; the app does it "
              "by itself)", file=sys.stderr)
    return 0


def _reference_list_docx(records: list[ArticleRecord], args: argparse.Namespace) -> int:
    """``export --format bibliography --style ID -o FILE.docx``: the list as a Word file."""
    from spinelib.manuscript.reflist import write_reference_list

    n = write_reference_list(records, args.style, Path(args.output))
    print(f"wrote {plural(n, 'entry', 'entries')} to {args.output}", file=sys.stderr)
    return 0
