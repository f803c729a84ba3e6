"""``spinelib refs KEY KEY …``: the works several articles' reference lists cite, each once,
the most shared first, and importing the chosen ones (:mod:`spinelib.sharedrefs`)."""

from __future__ import annotations

import argparse
import shlex

from spinelib.cli.output import UsageError, http_client, print_json, print_report
from spinelib.library import Library
from spinelib.sharedrefs import (
    SharedReference,
    SharedReferences,
    shared_identifiers,
    shared_references,
)


def cmd_shared_refs(lib: Library, args: argparse.Namespace) -> int:
    if len(args.keys) < 2:
        raise UsageError("--shared counts the reference lists of several KEYs: give two or "
                         "more")
    if args.find_dois:
        raise UsageError("--find-dois looks up one article's references: give one KEY")
    if args.shared < 1:
        raise UsageError("--shared N needs N of 1 or more")
    ids = [lib.articles.resolve_key(key) for key in args.keys]
    shared = shared_references(lib, ids)
    if args.import_positions or args.all:
        return _import(lib, args, shared)
    keys = {i: lib.articles.citekey(i) for i in shared.sources}
    shown = shared.shared_by(args.shared)
    if args.json:
        print_json([{"number": r.number, "citation": r.citation, "doi": r.doi,
                     "pmid": r.pmid, "pmcid": r.pmcid, "in_library": r.in_library,
                     "cited_in": [keys[i] for i in r.cited_in]} for r in shown])
        return 0
    _print_listing(args, shared, shown)
    return 0


def _print_listing(args: argparse.Namespace, shared: SharedReferences,
                   shown: list[SharedReference]) -> None:
    for ref in shown:
        mark = "●" if ref.in_library else " "
        ident = (f"  [PMID {ref.pmid}]" if ref.pmid else f"  [doi:{ref.doi}]" if ref.doi
                 else f"  [{ref.pmcid}]" if ref.pmcid else "")
        print(f"{mark} {ref.number:>4}. ×{len(ref.cited_in)} {ref.citation}{ident}")
    if shown:
        print()
    print(shared.summary() + f" (marked ●; ×N: cited by N of the {len(shared.sources)})")
    if args.shared > 1:
        print(f"shown: the {len(shown):,} cited by {args.shared} or more (numbered as in the "
              "whole list)")
    if shared.references:
        keys = " ".join(shlex.quote(k) for k in args.keys)
        every = (f"--all --shared {args.shared}: each one cited by {args.shared} or more "
                 "not in your library" if args.shared > 1
                 else "--all: every one not in your library; --shared 2 shows those cited "
                      "by two or more")
        print(f"import with: spinelib refs {keys} --import N [N ...] (or {every})")


def _import(lib: Library, args: argparse.Namespace, shared: SharedReferences) -> int:
    from spinelib.importer import ImportReport, import_identifiers, note_look_alikes
    from spinelib.importlists import add_imported, list_names

    lists = list_names(lib, args.lists)  # before any work
    idents, problems = shared_identifiers(
        shared, args.import_positions, at_least=args.shared)
    report = ImportReport(items=list(problems))
    if idents:
        client = http_client()
        try:
            report.items.extend(import_identifiers(
                lib, idents, client=client, with_references=not args.no_refs, lists=lists))
        finally:
            client.close()
    elif not problems:
        print("every work they cite is in your library already")
    add_imported(lib, report.items, lists, report)
    note_look_alikes(lib, report)
    return print_report(report)
