"""``spinelib refs KEY KEY …``, ``spinelib citing KEY KEY …`` and ``spinelib similar KEY
[KEY …]``: the works several articles' reference lists cite, the articles citing them, or
PubMed's similar articles, each once, the most shared first, and importing the chosen ones
(:mod:`spinelib.sharedrefs`, :mod:`spinelib.citingacross`, :mod:`spinelib.similararticles`)."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from spinelib.cli.chase import identifier_tag, import_chosen
from spinelib.cli.output import UsageError, http_client, print_json
from spinelib.errors import SpineLibError
from spinelib.importlists import list_names
from spinelib.library import Library
from spinelib.sharedrefs import (
    SharedWork,
    SharedWorks,
    shared_identifiers,
    shared_references,
)

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient


def _check(args: argparse.Namespace, what: str) -> None:
    if len(args.keys) < 2:
        raise UsageError(f"--shared counts {what} of several KEYs: give two or more")
    if args.shared < 1:
        raise UsageError("--shared N needs N of 1 or more")


def cmd_shared_refs(lib: Library, args: argparse.Namespace) -> int:
    _check(args, "the reference lists")
    if args.find_dois:
        raise UsageError("--find-dois looks up one article's references: give one KEY")
    ids = [lib.articles.resolve_key(key) for key in args.keys]
    lists = list_names(lib, args.lists)  # an unknown reading list is refused first
    return _listed_or_imported(lib, args, shared_references(lib, ids), "refs", lists)


def cmd_shared_citing(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.citingacross import find_citing_across

    _check(args, "the articles citing each")
    ids, lists, shared = _asked_online(lib, args, find_citing_across)
    return _listed_or_imported(lib, args, _since(args, shared), "citing", lists)


def cmd_similar(lib: Library, args: argparse.Namespace) -> int:
    """``similar KEY [KEY …]``: PubMed's similar articles, listed or imported."""
    from spinelib.similararticles import find_similar_across

    if args.shared != 1:
        _check(args, "the articles similar to each")
    ids, lists, shared = _asked_online(lib, args, find_similar_across)
    if len(ids) == 1 and shared.unasked:
        raise SpineLibError("PubMed finds similar articles by PMID or DOI: "
                            + shared.why_unasked[0])
    return _listed_or_imported(lib, args, _since(args, shared), "similar", lists)


def _since(args: argparse.Namespace, shared: SharedWorks) -> SharedWorks:
    """The works published in ``--since`` or later (all without it), numbered as in the
    whole listing."""
    if args.since is None:
        return shared
    return replace(shared, works=[w for w in shared.works if (w.year or 0) >= args.since])


def _asked_online(lib: Library, args: argparse.Namespace,
                  find: Callable[[Library, list[int], HttpClient], SharedWorks]
                  ) -> tuple[list[int], list[str], SharedWorks]:
    """The KEYs' articles, the reading lists to import into (an unknown one refused before
    anything is asked), and what ``find`` asked about them online."""
    ids = [lib.articles.resolve_key(key) for key in args.keys]
    lists = list_names(lib, args.lists)
    client = http_client()
    try:
        return ids, lists, find(lib, ids, client)
    finally:
        client.close()


#: How a listing names a work's link with the chosen articles: (JSON field, verb).
LINKS = {"references": ("cited_in", "cited by"), "citing": ("cites", "citing"),
         "similar": ("similar_to", "similar to")}


def _listed_or_imported(lib: Library, args: argparse.Namespace, shared: SharedWorks,
                        command: str, lists: list[str]) -> int:
    numbers = getattr(args, "import_positions", None) or getattr(args, "import_numbers", None)
    if numbers or args.all:
        return _import(lib, args, shared, numbers, lists)
    shown = shared.shared_by(args.shared)
    if args.json:
        keys = citekeys(lib, [*shared.sources,
                               *(w.article_id for w in shown if w.article_id is not None)])
        link = LINKS[shared.direction][0]
        print_json([{"number": w.number, "citation": w.citation, "doi": w.doi,
                     "pmid": w.pmid, "pmcid": w.pmcid, "in_library": w.in_library,
                     "key": keys.get(w.article_id) if w.article_id is not None else None,
                     **({"year": w.year, "cited_by": w.cited_by}
                        if shared.direction == "citing" else
                        {"year": w.year} if shared.direction == "similar" else {}),
                     link: [keys[i] for i in w.among]} for w in shown])
        return 0
    _print_listing(args, shared, shown, command)
    return 0


def citekeys(lib: Library, ids: list[int]) -> dict[int, str]:
    """The citation keys of ``ids`` (the chosen articles, and the works the library holds),
    500 to a query."""
    unique = list(dict.fromkeys(ids))
    keys: dict[int, str] = {}
    for start in range(0, len(unique), 500):
        keys.update((i, row.citekey) for i, row in
                    lib.search.rows(unique[start:start + 500]).items())
    return keys


def _print_listing(args: argparse.Namespace, shared: SharedWorks, shown: list[SharedWork],
                   command: str) -> None:
    several = len(shared.sources) > 1  # one KEY (``similar``): no ×1 on every line
    for work in shown:
        mark = "●" if work.in_library else " "
        ident = identifier_tag(work.pmid, work.doi, work.pmcid)
        count = f" cited by {work.cited_by:,}" if work.cited_by else ""
        times = f"×{len(work.among)} " if several else ""
        print(f"{mark} {work.number:>4}. {times}{work.citation}{ident}{count}")
    if shown:
        print()
    verb = LINKS[shared.direction][1]
    print(shared.summary() + (f" (marked ●; ×N: {verb} N of the {len(shared.sources)})"
                              if several else " (marked ●)"))
    if args.shared > 1:
        print(f"shown: the {len(shown):,} {verb} {args.shared} or more (numbered as in the "
              "whole list)")
    if getattr(args, "since", None) is not None:  # refs has no --since
        print(f"listed: those from {args.since} on (numbered as in the whole list)")
    if shared.works:
        keys = " ".join(shlex.quote(k) for k in args.keys)
        every = (f"--all --shared {args.shared}: each one {verb} {args.shared} or more "
                 "not in your library" if args.shared > 1
                 else "--all: every one not in your library" + (
                     f"; --shared 2 shows those {verb} two or more" if several else ""))
        print(f"import with: spinelib {command} {keys} --import N [N ...] (or {every})")


def _import(lib: Library, args: argparse.Namespace, shared: SharedWorks,
            numbers: list[int] | None, lists: list[str]) -> int:
    idents, problems = shared_identifiers(shared, numbers or None, at_least=args.shared)
    return import_chosen(lib, idents, problems, lists=lists, no_refs=args.no_refs,
                         nothing_new="every one of them is in your library already")
