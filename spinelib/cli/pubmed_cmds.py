"""``spinelib pubmed QUERY``: a PubMed search's results, numbered in PubMed's order and marked
where the library holds them; ``--import N…`` or ``--all`` imports from them
(:mod:`spinelib.pubmedsearch`)."""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING

from spinelib.cli.arghelp import add_json
from spinelib.pubmedsearch import DEFAULT_LIMIT, MOST, read_query

if TYPE_CHECKING:  # the parser imports this module: what the command runs loads then
    from spinelib.library import Library
    from spinelib.pubmedsearch import PubMedResults


def add_pubmed_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``pubmed`` command's grammar."""
    from spinelib.cli.parser import add_chase_options, add_import_choice

    pubmed = sub.add_parser(
        "pubmed", help="search PubMed; import from the results",
        description="Search PubMed as on its web page and list the results in its order "
        "(Best match, or the order a pasted address names), numbered; those in your "
        "library are marked ●. Import some with --import N…, or every new one with --all. "
        "Needs the network.")
    pubmed.add_argument(
        "query", nargs="+", metavar="QUERY",
        help="the search as typed on PubMed (field tags such as [ti] or [mh], AND, OR, "
        "NOT; quote it), or a PubMed results page's address, whose filters (years, "
        "article types, free full text…) and order are kept")
    pubmed.add_argument("--max", type=int, default=DEFAULT_LIMIT, metavar="N",
                        help=f"list the first N results (default {DEFAULT_LIMIT}, at most "
                        f"{MOST:,}: PubMed's own limit)")
    add_json(pubmed)
    add_import_choice(pubmed, "found")
    add_chase_options(pubmed, "articles")


def cmd_pubmed(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cli.chase import import_chosen
    from spinelib.cli.output import http_client
    from spinelib.importlists import list_names
    from spinelib.pubmedsearch import search_pubmed
    from spinelib.sharedrefs import shared_identifiers

    query = read_query(" ".join(args.query))
    lists = list_names(lib, args.lists)  # an unknown reading list is refused first
    client = http_client()
    try:
        results = search_pubmed(lib, client, query, args.max)
        if args.import_numbers or args.all:
            idents, problems = shared_identifiers(results.shared, args.import_numbers)
            return import_chosen(lib, idents, problems, lists=lists, no_refs=args.no_refs,
                                 client=client,
                                 nothing_new="every one of them is in your library already")
    finally:
        client.close()
    if args.json:
        _print_json(lib, results)
    else:
        _print_listing(args, results)
    return 0


def _print_json(lib: Library, results: PubMedResults) -> None:
    from spinelib.cli.output import print_json

    held = [w.article_id for w in results.shared.works if w.article_id is not None]
    keys = {i: row.citekey for i, row in lib.search.rows(held).items()} if held else {}
    print_json({"query": results.query.typed, "searched": results.query.term,
                "count": results.count, "not_found": list(results.not_found),
                "results": [{"number": w.number, "citation": w.citation, "year": w.year,
                             "pmid": w.pmid, "doi": w.doi, "pmcid": w.pmcid,
                             "in_library": w.in_library,
                             "key": keys.get(w.article_id) if w.article_id else None}
                            for w in results.shared.works]})


def _print_listing(args: argparse.Namespace, results: PubMedResults) -> None:
    from spinelib.cli.chase import identifier_tag

    works = results.shared.works
    for work in works:
        mark = "●" if work.in_library else " "
        print(f"{mark} {work.number:>4}. {work.citation}"
              f"{identifier_tag(work.pmid, work.doi, work.pmcid)}")
    if works:
        print()
    print(results.summary() + (" (marked ●)" if works else ""))
    if results.query.term != results.query.typed:
        print(f"searched: {results.query.term}")
    if works:
        again = shlex.quote(results.query.typed) + (
            f" --max {args.max}" if args.max != DEFAULT_LIMIT else "")
        print(f"import with: spinelib pubmed {again} --import N [N ...] (or --all: every "
              "one not in your library)")
