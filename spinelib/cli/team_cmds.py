"""Commands of team libraries: team create/grant, sync, status, conflicts, history; and notes.

With ``--library postgresql://…`` every other command runs on the local replica: it pulls
first (incremental), acts, then pushes. When the server is down or hangs, the command still
succeeds on the replica and says how many changes wait to sync (exit 0).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib import paths
from spinelib.cli.arghelp import KEY, add_json
from spinelib.cli.output import UsageError, print_json, progress_line
from spinelib.errors import LibraryError
from spinelib.text import appended_note, local_time, plural

if TYPE_CHECKING:  # the parser imports this module: --version must not load the library
    from spinelib.library import Library
    from spinelib.library.reattach import ReattachReport

log = logging.getLogger("spinelib")
Command = Callable[["Library", argparse.Namespace], int]
#: Commands that talk to the server themselves (no pull/act/push around them).
OWN_ROUND = ("sync", "status", "conflicts", "history")
TEAM_URL = "the database, postgresql://[user@]host[:port]/dbname"


def add_team_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = sub.add_parser("team", help="team libraries on PostgreSQL: create, grant")
    tsub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    tc = tsub.add_parser("create", help="set up an empty PostgreSQL database as a library")
    tc.add_argument("url", metavar="URL", help=TEAM_URL)
    tc.add_argument("--from", dest="source", metavar="PATH",
                    help="upload this local library into the new team library")
    tg = tsub.add_parser("grant", help="put a login into the reader, editor or admin group")
    tg.add_argument("url", metavar="URL", help=TEAM_URL)
    tg.add_argument("login", metavar="LOGIN", help="a PostgreSQL login (role) on that server")
    tg.add_argument("role", choices=("reader", "editor", "admin"),
                    help="reader: reads; editor: also adds, changes and deletes articles; "
                    "admin: may also remove rows for good")
    tr = tsub.add_parser("reattach", help="after a restored or replaced server: a fresh copy, "
                         "your waiting changes sent again, the stopped copy kept")
    tr.add_argument("url", metavar="URL", help=TEAM_URL)

    notes = sub.add_parser("notes", help="print or set your own notes on an article")
    notes.add_argument("key", metavar="KEY", help=KEY)
    notes.add_argument("text", nargs="?", metavar="TEXT",
                       help="the notes' new text, replacing the old (without it: print them)")
    notes.add_argument("--append", metavar="TEXT",
                       help="add TEXT as a new paragraph after the notes already there")

    sub.add_parser("sync", help="team library: push waiting changes, pull the team's")
    st = sub.add_parser("status", help="team library: online, last sync, waiting changes")
    add_json(st)
    cf = sub.add_parser("conflicts", help="team library: values the server kept over yours")
    add_json(cf)
    csub = cf.add_subparsers(dest="conflicts_command", metavar="ACTION")
    cr = csub.add_parser("resolve", help="settle one conflict")
    cr.add_argument("id", type=int, metavar="ID", help="a conflict's number, as "
                    "`spinelib conflicts` lists it")
    cr.add_argument("--keep", choices=("mine", "theirs"), required=True,
                    help="mine: send your value again; theirs: keep the server's")
    # `history KEY` (who changed what) shares the `history` command with the undo log
    # (cli/curation_parsers.py): one parser, dispatched on whether a KEY is given.


def prompt_password(question: str) -> str | None:
    """Ask on the terminal only (a script gets libpq's own error instead of a hang)."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(question)


def cmd_team(args: argparse.Namespace) -> int:
    from spinelib.library import team as teamlib

    if args.team_command == "create":
        if args.source:
            source = Path(args.source).expanduser()
            with progress_line() as progress:
                made = teamlib.create_team_from(args.url, source, prompt_password,
                                                progress=progress)
            names = plural(made.names, "list or tag", "lists and tags")
            print(f"created team library {made.library_uuid} from {source}: "
                  f"{plural(made.articles, 'article')}, {names} by name, your own read "
                  f"status, rating or notes on {plural(made.private, 'article')}")
            return 0
        print(f"created team library {teamlib.create_team(args.url, None, prompt_password)}")
        return 0
    if args.team_command == "reattach":
        from spinelib.library.reattach import reattach

        report = reattach(args.url, paths.data_dir(), prompt_password)
        _print_recovery(report)
        print(f"re-attached to team library {report.library_uuid}: sent "
              f"{plural(report.sent, 'waiting change')} again ("
              f"{plural(report.created, 'whole article')} the server had lost), "
              f"{plural(report.conflicts, 'conflict')}"
              + (f", {report.dropped} dropped (nothing left to apply them to)"
                 if report.dropped else "")
              + f". The stopped copy is kept in {report.kept}")
        return 0
    teamlib.grant(args.url, args.login, args.role, prompt_password)
    print(f"{args.login} is now a{'n' if args.role[0] in 'ae' else ''} {args.role}")
    return 0


def _print_recovery(report: ReattachReport) -> None:
    """What re-attaching recovered of the changes a restored server had lost, and exactly
    what it could not (on stderr, so a script sees it apart)."""
    if report.replaced:
        print("the server holds another library now: changes this copy had sent to the old "
              "one were not sent to it", file=sys.stderr)
        return
    if report.recovered:
        print(f"the server had lost {plural(report.recovered, 'change')} it had taken from "
              "this copy (restored from an older backup): sent again")
    for line in report.missing:
        print(f"not recovered: {line}", file=sys.stderr)
    if report.journal_since:
        print(f"changes this copy sent before {report.journal_since} are not recorded here: "
              "if the server's backup is older than that, check them by hand in the stopped "
              "copy", file=sys.stderr)


def cmd_notes(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.articles.resolve_key(args.key)
    notes = lib.articles.record(article_id).notes
    if args.append is not None:
        if args.text is not None:
            raise UsageError("give either TEXT (replacing the notes) or --append TEXT")
        text = appended_note(notes, args.append)
        said = "added to"
    elif args.text is None:
        if notes:
            print(notes)
        else:  # said on stderr: standard output stays the notes themselves
            print(f"no notes on {args.key} yet (add some: spinelib notes "
                  f"{shlex.quote(args.key)} TEXT)", file=sys.stderr)
        return 0
    else:
        text, said = args.text, "saved on" if args.text.strip() else "cleared on"
    lib.articles.set_notes(article_id, text)
    print(f"notes {said} {args.key}", file=sys.stderr)
    return 0


def _need_team(lib: Library) -> None:
    if not lib.sync.active:
        raise LibraryError("this command needs a team library (--library postgresql://…)")


def cmd_sync(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.library.sync import SyncOffline

    _need_team(lib)
    try:
        report = lib.sync.sync()
    except SyncOffline as exc:
        print(f"spinelib: {exc}", file=sys.stderr)
        print(f"{plural(lib.sync.waiting(), 'change')} waiting to sync", file=sys.stderr)
        return 1
    print(f"pushed {plural(report.pushed, 'change')}, pulled {plural(report.pulled, 'article')}"
          + (f", {plural(report.new_conflicts, 'new conflict')} (see `conflicts`)"
             if report.new_conflicts else ""))
    return 0


def cmd_status(lib: Library, args: argparse.Namespace) -> int:
    _need_team(lib)
    status = lib.sync.status()
    if status.blocked:  # online or not, say why sync stopped and what to do
        print(f"spinelib: {status.blocked}", file=sys.stderr)
    if args.json:  # the exact keys; "blocked" went to stderr above
        print_json({k: v for k, v in asdict(status).items() if k != "blocked"})
        return 0
    print(f"{'online' if status.online else 'offline'}; last sync {status.last_sync or 'never'}"
          f"; {plural(status.outbox, 'change')} waiting; "
          f"{plural(status.conflicts, 'conflict')}; server at change {status.server_seq}")
    return 0


def cmd_conflicts(lib: Library, args: argparse.Namespace) -> int:
    _need_team(lib)
    if getattr(args, "conflicts_command", None) == "resolve":
        lib.sync.resolve(args.id, keep_mine=args.keep == "mine")
        _push_quietly(lib)
        return 0
    from spinelib.library.sync_values import one_line

    found = lib.sync.conflicts()
    if args.json:
        print_json([asdict(c) for c in found])
        return 0
    for c in found:  # the values as a reader reads them (names, MeSH headings), not as stored
        print(f"{c.id}\t{c.article}\t{c.field}\tmine: {one_line(c.field, c.mine)}"
              f"\ttheirs: {one_line(c.field, c.theirs)}")
    return 0


def cmd_history(lib: Library, args: argparse.Namespace) -> int:
    _need_team(lib)
    article_id = lib.articles.resolve_key(args.key)
    entries = lib.sync.history(article_id)
    if args.json:
        print_json([asdict(e) for e in entries])
        return 0
    for e in entries:
        print(f"{local_time(e.when)}\t{e.who} {e.what}" + (f" {e.field}" if e.field else ""))
    return 0


def _push_quietly(lib: Library) -> None:
    from spinelib.library.sync import SyncBlocked, SyncOffline

    try:
        lib.sync.push()
    except (SyncOffline, SyncBlocked) as exc:
        log.info("push skipped: %s", exc)


def run_on_team(location: str, command: str, args: argparse.Namespace,
                commands: Mapping[str, Command]) -> int:
    """Open the replica of ``location`` and run ``command``: pull, act, push."""
    from spinelib.library import team as teamlib
    from spinelib.library.sync import SyncBlocked, SyncOffline

    with teamlib.open_team(location, paths.data_dir(), prompt_password) as lib:
        if command in OWN_ROUND:
            return commands[command](lib, args)
        reachable = True
        known = lib.sync.local_status(False).conflicts
        try:
            lib.sync.pull()
        except SyncOffline as exc:
            reachable = False
            print(f"spinelib: working offline: {exc}", file=sys.stderr)
        except SyncBlocked as exc:
            reachable = False
            print(f"spinelib: {exc}", file=sys.stderr)
        status = commands[command](lib, args)
        if reachable and lib.sync.waiting():
            _push_quietly(lib)
        waiting = lib.sync.waiting()
        if waiting:
            print(f"{plural(waiting, 'change')} waiting to sync", file=sys.stderr)
        new = lib.sync.local_status(False).conflicts - known  # e.g. a list a colleague deleted
        if new > 0:
            print(f"{plural(new, 'new conflict')} (see `conflicts`)", file=sys.stderr)
        return status
