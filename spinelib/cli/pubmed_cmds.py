"""``spinelib pubmed QUERY``: a PubMed search's results, numbered in PubMed's order and marked
where the library holds them; ``--import N…`` or ``--all`` imports from them
(:mod:`spinelib.pubmedsearch`)."""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING

from spinelib.pubmedsearch import DEFAULT_LIMIT, read_query

if TYPE_CHECKING:  # the parser imports this module: what the command runs loads then
    from spinelib.library import Library
    from spinelib.pubmedsearch import PubMedQuery, PubMedResults


def cmd_pubmed(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cli.chase import import_chosen
    from spinelib.cli.output import http_client
    from spinelib.importlists import list_names
    from spinelib.pubmedsearch import in_order, search_pubmed
    from spinelib.sharedrefs import shared_identifiers

    query = _query(lib, args)
    if args.sort:
        query = in_order(query, args.sort)
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


def _query(lib: Library, args: argparse.Namespace) -> PubMedQuery:
    """The search the command line asks for: QUERY, or ``--technique``'s (narrowed by
    QUERY)."""
    from spinelib.cli.output import UsageError
    from spinelib.pubmedsearch import technique_search

    if args.technique:
        return technique_search(lib.taxonomy, args.technique, " ".join(args.query))
    if not args.query:
        raise UsageError("give the search (QUERY), or --technique TAG")
    return read_query(" ".join(args.query))


def _print_json(lib: Library, results: PubMedResults) -> None:
    from spinelib.cli.output import print_json
    from spinelib.cli.shared_cmds import citekeys

    # 500 ids to a query: a 10,000-result search may hold thousands.
    keys = citekeys(lib, [w.article_id for w in results.shared.works
                          if w.article_id is not None])
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
        again = shlex.join(([f"--technique={args.technique}"] if args.technique else [])
                           + ([" ".join(args.query)] if args.query else []))
        again += f" --sort {args.sort}" if args.sort else ""
        again += f" --max {args.max}" if args.max != DEFAULT_LIMIT else ""
        print(f"import with: spinelib pubmed {again} --import N [N ...] (or --all: every "
              "one not in your library)")
        print(f"new papers later: spinelib watch add NAME {shlex.quote(results.query.term)}")
