"""The ``spinelib`` command line: a thin argparse face over the Library (docs/ARCHITECTURE.md).

Exit status: 0 all done; 1 some items failed (each named on stderr with its reason, the rest
done) or the library could not be used; 2 usage error. ``--json`` shapes are documented in
the README and are stable.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib import __version__, paths
from spinelib.cli.output import UsageError
from spinelib.display import NO_DISPLAY_EXIT, NO_DISPLAY_MESSAGE, has_display
from spinelib.errors import SpineLibError
from spinelib.logsetup import setup_logging

if TYPE_CHECKING:
    from spinelib.library import Library

log = logging.getLogger("spinelib")
#: A --library that starts with one of these is a team library (see library.teamurl; kept
#: here as text so a file library's commands never import the team machinery).
TEAM_URL_SCHEMES = ("postgresql://", "postgres://")

Command = Callable[["Library", argparse.Namespace], int]
#: command -> "module:function" in spinelib.cli, imported only when that command runs, so
#: --version, --help and a quick command never load what they do not use (startup time).
COMMANDS: dict[str, str] = {
    "import": "articles_cmds:cmd_import",
    "show": "articles_cmds:cmd_show", "refs": "articles_cmds:cmd_refs",
    "citing": "citing_cmds:cmd_citing", "similar": "shared_cmds:cmd_similar",
    "pubmed": "pubmed_cmds:cmd_pubmed",
    "export": "articles_cmds:cmd_export", "rekey": "articles_cmds:cmd_rekey",
    "tag": "organise_cmds:cmd_tag", "lists": "organise_cmds:cmd_lists",
    "pending": "organise_cmds:cmd_pending",
    "backup": "upkeep_cmds:cmd_backup", "check": "upkeep_cmds:cmd_check",
    "styles": "manuscript_cmds:cmd_styles", "cite": "manuscript_cmds:cmd_cite",
    "manuscript": "manuscript_cmds:cmd_manuscript", "exports": "manuscript_cmds:cmd_exports",
    "retractions": "safety_cmds:cmd_retractions", "watch": "safety_cmds:cmd_watch",
    "inbox": "safety_cmds:cmd_inbox", "evidence": "safety_cmds:cmd_evidence",
    "explain": "explain_cmds:cmd_explain",
    "attach": "pdf_cmds:cmd_attach", "detach": "pdf_cmds:cmd_detach", "pdf": "pdf_cmds:cmd_pdf",
    "notes": "team_cmds:cmd_notes", "sync": "team_cmds:cmd_sync",
    "status": "team_cmds:cmd_status", "conflicts": "team_cmds:cmd_conflicts",
    # Issue 15 (curation); its "list" is articles' list plus --saved, and "history" shows the
    # undo log, or with a KEY (on a team library) who changed what.
    "add": "curation_cmds:cmd_add", "edit": "curation_cmds:cmd_edit",
    "delete": "curation_cmds:cmd_delete",
    "trash": "curation_cmds:cmd_trash", "duplicates": "curation_cmds:cmd_duplicates",
    "merge": "curation_cmds:cmd_merge", "searches": "curation_cmds:cmd_searches",
    "list": "curation_cmds:cmd_list", "refresh": "curation_cmds:cmd_refresh",
    "undo": "curation_cmds:cmd_undo", "redo": "curation_cmds:cmd_redo",
    "history": "curation_cmds:cmd_history",
}


def command(name: str) -> Command:
    """The function that runs command ``name``."""
    module, _, function = COMMANDS[name].partition(":")
    found: Command = getattr(import_module(f"spinelib.cli.{module}"), function)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status (see the module docstring)."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before the parser is built: its choices need the format registry, the
        # vocabulary's facets and every command group's options, 60 % of the start-up
        # (issue 19: `spinelib --version` under 100 ms above bare Python).
        print(f"spinelib {__version__}")
        return 0
    from spinelib.cli.parser import build_parser, search_values_joined

    parser = build_parser()
    try:
        args = parser.parse_args(search_values_joined(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    name = args.command or "gui"
    library_path = paths.library_path(args.library)
    location = args.library or os.environ.get("SPINELIB_LIBRARY") or ""
    team_url = location.lower().startswith(TEAM_URL_SCHEMES)
    if location and not team_url and not library_path.parent.exists():
        # Said before anything is written: a mistyped folder must not become a new one.
        print(f"spinelib: there is no folder {library_path.parent} for the library "
              f"{library_path.name}; check the path, or create the folder first",
              file=sys.stderr)
        return 1
    # A library file chosen explicitly keeps its log beside it; a team URL has no folder.
    log_file = setup_logging(library_path if args.library and not team_url else None)
    try:
        return _run(name, library_path, args)
    except UsageError as exc:
        print(f"spinelib: {exc}", file=sys.stderr)
        return 2
    except SpineLibError as exc:
        print(f"spinelib: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("spinelib: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:
        return _unexpected(name, library_path, exc, log_file)


def _run(name: str, library_path: Path, args: argparse.Namespace) -> int:
    if name == "settings":  # the user's, not a library's: any library, a team's too
        from spinelib.cli.settings_cmds import cmd_settings

        return cmd_settings(args)
    location = args.library or os.environ.get("SPINELIB_LIBRARY")
    if name == "team" or (location and location.lower().startswith(TEAM_URL_SCHEMES)):
        return _run_team(name, location, args)
    if name == "gui":
        if not has_display():
            print(NO_DISPLAY_MESSAGE, file=sys.stderr)
            return NO_DISPLAY_EXIT
        from spinelib.gui.app import run_gui

        return run_gui(library_path, getattr(args, "files", []))
    if name == "restore":
        from spinelib.cli.upkeep_cmds import cmd_restore

        return cmd_restore(library_path, args)
    from spinelib.library import Library

    if not library_path.exists():  # a mistyped file name shows here, not as "0 articles"
        print(f"spinelib: no library at {library_path} yet: a new one is created",
              file=sys.stderr)
    with Library.open(library_path, daily_backup=True) as lib:
        code = command(name)(lib, args)
        # The command's result is out before the daily backup copies the library (issue 19).
        sys.stdout.flush()
        try:
            lib.backup_if_due()
        except Exception as exc:  # the command's work is done: warn, keep its result
            log.exception("daily backup of %s failed", library_path)
            print(f"spinelib: warning: the daily backup failed ({exc}); it is tried again "
                  "by the next command", file=sys.stderr)
        return code


def _run_team(name: str, location: str | None, args: argparse.Namespace) -> int:
    """``team …`` commands, and every other command on a team library (a PostgreSQL URL):
    pull first, act on the local replica, push after (docs/ARCHITECTURE.md, team libraries)."""
    from spinelib.cli import team_cmds
    from spinelib.library import teamurl

    if name == "team":
        return team_cmds.cmd_team(args)
    if location is None or not teamurl.is_url(location):
        raise SpineLibError(f"not a team library URL: {location!r}")
    if name in ("gui", "restore"):
        raise SpineLibError(f"`{name}` does not work on a team library yet; "
                            "use the other commands with --library URL")
    return team_cmds.run_on_team(location, name, args, {name: command(name)})


def _unexpected(name: str, library_path: Path, exc: Exception, log_file: Path | None) -> int:
    """A database error of the user's world gets its plain message; anything else is a bug:
    full traceback to the log, one line to the user."""
    from spinelib.library import Library

    explained = Library.explain_error(library_path, exc)
    if explained is not None:  # busy, damaged, unreadable
        log.exception("database error in %s", name)
        print(f"spinelib: {explained}", file=sys.stderr)
        return 1
    log.exception("unexpected error in %s", name)
    where = f" (details in {log_file})" if log_file else ""
    print(f"spinelib: internal error: {exc!r}{where}", file=sys.stderr)
    return 1


__all__ = ["COMMANDS", "command", "main"]
