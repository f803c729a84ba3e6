"""Commands for staying safe and current: retractions, literature watches, the inbox and
evidence tables (issue 17)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spinelib.cli.arghelp import KEY, add_json
from spinelib.cli.output import UsageError, fit, http_client, print_json
from spinelib.errors import SpineLibError
from spinelib.safety_results import CheckReport, Nature
from spinelib.text import plural

if TYPE_CHECKING:  # the parser imports this module: --version must not load the library
    from spinelib.library import Library

if TYPE_CHECKING:
    from spinelib.watch_run import WatchRun

#: The evidence-table formats ``export --format`` takes besides the registry's.
EVIDENCE_FORMATS: tuple[str, ...] = ("evidence-csv", "evidence-xlsx")
WATCH_NAME = "a watch's name, as `spinelib watch list` shows it"


def add_safety_parsers(sub: Any) -> None:
    """The commands of this module, added to the main parser's subcommands."""
    ret = sub.add_parser("retractions", help="retracted articles and articles citing them; "
                                             "'update' loads and re-checks")
    add_json(ret)
    rsub = ret.add_subparsers(dest="retractions_command", metavar="ACTION")
    up = rsub.add_parser("update", help="load the Retraction Watch data and re-check online")
    up.add_argument("--from", dest="from_file", metavar="FILE.csv",
                    help="load this copy of the data set instead of downloading it")
    up.add_argument("--offline", action="store_true",
                    help="do not ask Crossref or PubMed (needs --from or a loaded data set)")

    watch = sub.add_parser("watch", help="literature watches: stored PubMed queries, and "
                           "the articles citing a key paper")
    wsub = watch.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    wa = wsub.add_parser("add", help="store a PubMed query")
    wa.add_argument("name", metavar="NAME", help="the watch's name (any text)")
    wa.add_argument("query", metavar="QUERY", help="a PubMed query, as typed on PubMed "
                    "(`spinelib watch suggest` writes one for a technique), or a PubMed "
                    "results page's address (its words and filters are watched)")
    wa.add_argument("--tag", default="", metavar="TAG",
                    help="a tag the library knows (id, label or synonym), given to the "
                    "papers accepted from it")
    wc = wsub.add_parser("citing", help="watch for new articles citing a key paper "
                         "(Europe PMC's citations; the first run remembers those there now)")
    wc.add_argument("key", metavar="KEY", help=KEY)
    wc.add_argument("--name", default="", metavar="NAME",
                    help="the watch's name (default: Citing KEY)")
    wc.add_argument("--tag", default="", metavar="TAG",
                    help="a tag the library knows, given to the papers accepted from it")
    ws = wsub.add_parser("suggest", help="a query for a technique, from the vocabulary")
    ws.add_argument("technique", metavar="TECHNIQUE",
                    help="a technique tag by id or label, e.g. kyphoplasty")
    wl = wsub.add_parser("list", help="the stored watches")
    add_json(wl)
    wr = wsub.add_parser("remove", help="forget a watch")
    wr.add_argument("name", metavar="NAME", help=WATCH_NAME)
    wrun = wsub.add_parser("run", help="put new papers of the watches in the inbox")
    wrun.add_argument("names", nargs="*", metavar="NAME", help=WATCH_NAME + " (default: all)")

    inbox = sub.add_parser("inbox", help="papers found by watches, waiting for triage")
    add_json(inbox)
    isub = inbox.add_subparsers(dest="inbox_command", metavar="ACTION")
    for name, text in (("accept", "import into the library (with references, the watch's "
                                  "tag)"), ("dismiss", "never show again")):
        ia = isub.add_parser(name, help=text)
        ia.add_argument("ids", nargs="+", metavar="ID", help="an inbox id or a PMID")

    ev = sub.add_parser("evidence", help="an article's evidence-table study fields")
    ev.add_argument("key", metavar="KEY", help=KEY)
    ev.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE",
                    help="level, n, comparator, follow_up, outcomes or notes")
    add_json(ev)


def _flag_json(nature: Nature, date: str | None) -> dict[str, Any]:
    return {"nature": nature.value, "date": date}


def cmd_retractions(lib: Library, args: argparse.Namespace) -> int:
    if args.retractions_command == "update":
        return _update(lib, args)
    flagged = lib.retractions.flagged()
    citing = lib.retractions.citing()
    new = lib.retractions.new_keys()
    if args.json:
        print_json({
            "flagged": [{"key": a.citekey, **_flag_json(a.flag.nature, a.flag.date)}
                        for a in flagged],
            "citing": [{"key": c.citekey, "cites": [
                {"position": x.position, "doi": x.doi or None, "pmid": x.pmid or None,
                 "nature": x.nature.value} for x in c.cites]} for c in citing],
            "new": new})
        return 0
    if not flagged and not citing:
        rows = lib.retractions.row_count()
        print("no retracted or concerning articles, and none cited "
              f"({rows:,} Retraction Watch rows loaded)")
        if not rows:  # say how to check more than the records' own flags
            print("without the Retraction Watch data only the flags PubMed and Crossref gave "
                  "are known; load it (and re-check online) with: spinelib retractions update",
                  file=sys.stderr)
        return 0
    for a in flagged:
        mark = " (new)" if a.flag and a.is_new else ""
        print(f"{a.citekey:<28} {a.flag.nature.value.upper()} {a.flag.date or ''}{mark}")
    for c in citing:
        what = ", ".join(f"ref {x.position} ({x.nature.value.lower()})" for x in c.cites)
        print(f"{c.citekey:<28} cites {plural(len(c.cites), 'flagged paper')}: {what}")
    return 0


def _update(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.retraction_update import update

    if args.offline and not args.from_file and lib.retractions.row_count() == 0:
        raise UsageError("--offline needs --from FILE.csv (no Retraction Watch data loaded)")
    client = None if args.offline else http_client()

    def say(text: str) -> None:
        if sys.stderr.isatty():
            print(f"{text} …", file=sys.stderr)

    report = update(lib, client, from_file=Path(args.from_file) if args.from_file else None,
                    offline=args.offline, progress=say)
    for line, reason in report.skipped:
        print(f"warning: line {line} skipped: {reason}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(_update_line(report, offline=args.offline))
    if report.new_keys:
        print(f"NEW: {plural(len(report.new_keys), 'article')} newly flagged: "
              + ", ".join(report.new_keys))
    return 1 if report.warnings else 0


def _update_line(report: CheckReport, *, offline: bool) -> str:
    """``retractions update``'s summary line: what was loaded and checked, and the flags."""
    parts = []
    if report.not_modified:
        parts.append("Retraction Watch data unchanged")
    elif report.loaded is not None:
        parts.append(f"loaded {report.loaded:,} Retraction Watch rows"
                     + (f" ({len(report.skipped)} malformed skipped)" if report.skipped else ""))
    if report.reached_nothing:  # never "checked 0 DOIs" as if all were fine
        parts.append("not checked online: no source could be reached (see the warnings)")
    elif not offline:
        parts.append(f"checked {report.crossref_checked} DOIs with Crossref and "
                     f"{report.pubmed_checked} PMIDs with PubMed")
    parts.append(f"{plural(report.flagged, 'article')} flagged")
    return "; ".join(parts)


def _watch_add(lib: Library, args: argparse.Namespace) -> int:
    """``watch add``: store a PubMed query under a name (a results page's address: the search
    it ran, its filters written as search words)."""
    w = lib.watches.add(args.name, args.query, args.tag)  # an address: the search it ran
    if w.query != " ".join(args.query.split()):
        print(f"watching: {w.query}")
    print(f"watch {w.name!r} added; fill the inbox with: spinelib watch run "
          f"{shlex.quote(w.name)}")
    return 0


def _watch_citing(lib: Library, args: argparse.Namespace) -> int:
    """``watch citing KEY``: store a citation watch and run it once, so that what cites the
    paper today is remembered and only what comes later reaches the inbox (offline, it runs
    at the next ``watch run``)."""
    from spinelib.citingarticles import watch_citing
    from spinelib.watch_run import run_watches

    client = http_client()
    try:
        w = watch_citing(lib, lib.articles.resolve_key(args.key), client, args.name, args.tag)
        print(f"watch {w.name!r} added: {w.watched}")
        run = run_watches(lib, client, [w.name])[0]
    finally:
        client.close()
    failed = _print_watch_run(run)
    if run.queued:
        print(f"(it remembers what cites the paper at its first run: spinelib watch run "
              f"{shlex.quote(w.name)})", file=sys.stderr)
    return 1 if failed else 0


def _watch_suggest(lib: Library, args: argparse.Namespace) -> int:
    """``watch suggest``: print a technique's query from the vocabulary, and how to add it."""
    from spinelib.vocabulary.watch_query import technique_query

    tag_id, query = technique_query(lib.taxonomy, args.technique)
    print(query)
    print(f"(add it: spinelib watch add {tag_id} '<query>' --tag {tag_id})",
          file=sys.stderr)
    return 0


def _watch_list(lib: Library, args: argparse.Namespace) -> int:
    """``watch list``: the stored watches as a table or JSON."""
    watches = lib.watches.all()
    if args.json:
        print_json([{"name": w.name, "query": w.query or None, "cites": w.cites or None,
                     "watched": w.watched, "tag": w.tag or None,
                     "last_success": w.last_success, "last_error": w.last_error or None,
                     "queued": w.queued} for w in watches])
        return 0
    for w in watches:
        print(f"{w.name:<24} {fit(w.watched, 60):<60} {w.state}")
    if not watches:
        print("no watches (spinelib watch add NAME QUERY)", file=sys.stderr)
    return 0


def _watch_remove(lib: Library, args: argparse.Namespace) -> int:
    """``watch remove``: forget a watch."""
    print(f"watch {lib.watches.remove(args.name).name!r} removed")
    return 0


def _print_watch_run(run: WatchRun) -> bool:
    """Print one watch's run (failures to stderr); True if it failed or was queued."""
    print(run.line(), file=sys.stderr if run.error else sys.stdout)
    return bool(run.error)


def _watch_run(lib: Library, args: argparse.Namespace) -> int:
    """``watch run``: put the watches' new papers in the inbox; 1 if any run failed."""
    from spinelib.watch_run import run_watches

    if not lib.watches.all():
        raise SpineLibError("no watches to run (spinelib watch add NAME QUERY)")
    failed = False
    for run in run_watches(lib, http_client(), args.names):
        if _print_watch_run(run):
            failed = True
    print(f"inbox: {plural(lib.inbox.count(), 'paper')} waiting")
    return 1 if failed else 0


#: ``watch`` actions -> their command; any other action (``run``) is :func:`_watch_run`.
WATCH_ACTIONS: dict[str, Callable[[Library, argparse.Namespace], int]] = {
    "add": _watch_add,
    "citing": _watch_citing,
    "suggest": _watch_suggest,
    "list": _watch_list,
    "remove": _watch_remove,
}


def cmd_watch(lib: Library, args: argparse.Namespace) -> int:
    """``watch``: run the action given on the command line."""
    return WATCH_ACTIONS.get(args.watch_command, _watch_run)(lib, args)


def cmd_inbox(lib: Library, args: argparse.Namespace) -> int:
    if args.inbox_command == "dismiss":
        items = lib.inbox.resolve(args.ids)
        lib.inbox.dismiss(items)
        print(f"dismissed {plural(len(items), 'paper')}")
        return 0
    if args.inbox_command == "accept":
        from spinelib.watch_run import accept

        items = lib.inbox.resolve(args.ids)
        lines = accept(lib, http_client(), items)
        for line in lines:
            print(line)
        accepted = {i.pmid for i in items} - {i.pmid for i in lib.inbox.items()}
        return 0 if len(accepted) == len(items) else 1
    items = lib.inbox.items()
    if args.json:
        print_json([{"id": i.id, "pmid": i.pmid, "title": i.title, "journal": i.journal,
                     "year": i.year, "watch": i.watch or None, "abstract": i.abstract}
                    for i in items])
        return 0
    for i in items:
        print(f"{i.id:>5}  PMID {i.pmid:<9} {i.year or '----'}  {fit(i.title, 80)}  "
              f"[{i.watch}]")
    print(f"{plural(len(items), 'paper')} waiting", file=sys.stderr)
    return 0


def cmd_evidence(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.articles.resolve_key(args.key)
    if args.values:
        values: dict[str, str] = {}
        for item in args.values:
            name, sep, value = item.partition("=")
            if not sep:
                raise UsageError(f"--set takes FIELD=VALUE; got {item!r}")
            values[name.strip()] = value
        ev = lib.evidence.set(article_id, values)
    else:
        ev = lib.evidence.get(article_id)
    data = {"key": lib.articles.citekey(article_id), "level": ev.level or None,
            "level_reason": ev.level_reason or None, "level_confirmed": ev.level_confirmed,
            "n": ev.n or None, "n_reason": ev.n_reason or None, "n_confirmed": ev.n_confirmed,
            "comparator": ev.comparator, "follow_up": ev.follow_up, "outcomes": ev.outcomes,
            "notes": ev.notes}
    if args.json:
        print_json(data)
        return 0
    for name, value in data.items():
        if name.endswith(("_reason", "_confirmed")) or name == "key":
            continue
        extra = ""
        if name in ("level", "n") and value:
            extra = (" (confirmed)" if data[f"{name}_confirmed"]
                     else f" (suggested: {data[f'{name}_reason']})")
        print(f"{name:<11} {value or ''}{extra}")
    return 0


def export_evidence(lib: Library, ids: list[int], args: argparse.Namespace) -> int:
    """``export --format evidence-csv|evidence-xlsx`` for the articles ``ids``."""
    from spinelib.formats import evidence_table

    rows = lib.evidence.table_rows(ids)
    warn_flagged(lib, ids)
    if args.format == "evidence-csv":
        data = evidence_table.write_csv(rows).encode("utf-8")
    else:
        data = evidence_table.write_xlsx(rows)
        if not args.output and sys.stdout.isatty():
            raise UsageError("an XLSX workbook is binary: give -o FILE.xlsx")
    if args.output:
        from spinelib.outputfile import write_bytes_atomic

        write_bytes_atomic(Path(args.output), data)
        print(f"wrote {plural(len(rows), 'study', 'studies')} to {args.output}",
              file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    return 0


def warn_flagged(lib: Library, ids: list[int]) -> None:
    """A warning per exported article that is retracted or under an expression of concern."""
    for line in lib.retractions.export_warnings(ids):
        print(f"warning: {line}", file=sys.stderr)
