"""``spinelib citing KEY``: the articles that cite one of the library's, as Europe PMC lists
them (oldest first, numbered), and importing the chosen ones (:mod:`spinelib.citingarticles`)."""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING

from spinelib.citingarticles import CitingEntry, CitingSearch, citing_identifiers, find_citing
from spinelib.cli.chase import identifier_tag, import_chosen
from spinelib.cli.output import http_client, print_json
from spinelib.library import Library
from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient


def cmd_citing(lib: Library, args: argparse.Namespace) -> int:
    if len(args.keys) > 1 or args.shared > 1:
        from spinelib.cli.shared_cmds import cmd_shared_citing

        return cmd_shared_citing(lib, args)
    args.key = args.keys[0]
    article_id = lib.articles.resolve_key(args.key)
    importing = bool(args.import_numbers or args.all)
    if importing:
        from spinelib.importlists import list_names

        # An unknown reading list is refused before anything is fetched.
        lists = list_names(lib, args.lists)
    client = http_client()
    try:
        search = find_citing(lib, article_id, client)
        if importing:
            return _import(lib, args, search, client, lists)
    finally:
        client.close()
    shown = [e for e in search.entries if args.since is None or (e.work.year or 0) >= args.since]
    if args.json:
        print_json({"asked": str(search.asked), "total": search.total,
                    "citing": [_as_json(e) for e in shown]})
        return 0
    _print_listing(args, search, shown)
    return 0


def _import(lib: Library, args: argparse.Namespace, search: CitingSearch,
            client: HttpClient, lists: list[str]) -> int:
    numbers = args.import_numbers
    if numbers is None and args.since is not None:
        numbers = [e.number for e in search.entries
                   if e.held is None and (e.work.year or 0) >= args.since]
    idents, problems = citing_identifiers(search, numbers)
    return import_chosen(
        lib, idents, problems, lists=lists, no_refs=args.no_refs, client=client,
        nothing_new="every citing article Europe PMC lists is in your library already")


def _as_json(entry: CitingEntry) -> dict[str, object]:
    work, held = entry.work, entry.held
    return {"number": entry.number, "citation": work.citation, "title": work.title,
            "year": work.year, "pmid": work.pmid, "pmcid": work.pmcid, "doi": work.doi,
            "cited_by": work.cited_by, "in_library": held is not None and not held.trashed,
            "key": held.citekey if held is not None else None,
            "trashed": held is not None and held.trashed}


def _print_listing(args: argparse.Namespace, search: CitingSearch,
                   shown: list[CitingEntry]) -> None:
    key = shlex.quote(args.key)
    for entry in shown:
        work, held = entry.work, entry.held
        mark = "●" if held is not None and not held.trashed else " "
        ident = identifier_tag(work.pmid, work.doi, work.pmcid) or (
            f"  [Europe PMC {work.source_id}: no PMID or DOI]" if work.source_id else "")
        if work.cited_by:
            ident += f" cited by {work.cited_by:,}"
        where = ("" if held is None else f"  (in the trash as {held.citekey})" if held.trashed
                 else f"  ({held.citekey})")
        print(f"{mark} {entry.number:>4}. {work.citation}{ident}{where}")
    if shown:
        print()
    print(search.summary() + ".")
    if args.since is not None:
        print(f"shown: {plural(len(shown), 'article')} from {args.since} on "
              "(numbered as in the whole list)")
    if search.entries:
        every = (f"--all --since {args.since}: each one from {args.since} on not in your "
                 "library" if args.since is not None
                 else "--all: every one not in your library; --since YEAR shows the recent")
        print(f"oldest first, marked ● when in your library; import with: spinelib citing "
              f"{key} --import N [N ...] (or {every})")
    print(f"(the ones to come, in the inbox: spinelib watch citing {key})")
