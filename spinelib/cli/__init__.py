"""The ``spinelib`` command line: a thin argparse face over the Library (docs/ARCHITECTURE.md).

Exit status: 0 all done; 1 some items failed (each named on stderr with its reason, the rest
done) or the library could not be used; 2 usage error. ``--json`` shapes are documented in
the README and are stable.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from spinelib import paths
from spinelib.cli import articles_cmds, curation_cmds, organise_cmds, upkeep_cmds
from spinelib.cli.output import UsageError
from spinelib.cli.parser import build_parser
from spinelib.display import NO_DISPLAY_EXIT, NO_DISPLAY_MESSAGE, has_display
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.logsetup import setup_logging

log = logging.getLogger("spinelib")

Command = Callable[[Library, argparse.Namespace], int]
COMMANDS: dict[str, Command] = {
    "import": articles_cmds.cmd_import, "list": articles_cmds.cmd_list,
    "show": articles_cmds.cmd_show, "refs": articles_cmds.cmd_refs,
    "export": articles_cmds.cmd_export, "rekey": articles_cmds.cmd_rekey,
    "tag": organise_cmds.cmd_tag, "lists": organise_cmds.cmd_lists,
    "pending": organise_cmds.cmd_pending,
    "backup": upkeep_cmds.cmd_backup, "check": upkeep_cmds.cmd_check,
}
COMMANDS.update(curation_cmds.COMMANDS)  # issue 15 (its "list" adds --saved to articles' list)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    command = args.command or "gui"
    library_path = paths.library_path(args.library)
    log_file = setup_logging(library_path if args.library else None)
    try:
        if command == "gui":
            if not has_display():
                print(NO_DISPLAY_MESSAGE, file=sys.stderr)
                return NO_DISPLAY_EXIT
            from spinelib.gui.app import run_gui

            return run_gui(library_path, getattr(args, "files", []))
        if command == "restore":
            return upkeep_cmds.cmd_restore(library_path, args)
        with Library.open(library_path, daily_backup=True) as lib:
            return COMMANDS[command](lib, args)
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
        explained = Library.explain_error(library_path, exc)
        if explained is not None:  # the user's world: busy, damaged, unreadable
            log.exception("database error in %s", command)
            print(f"spinelib: {explained}", file=sys.stderr)
            return 1
        # A bug: full traceback to the log, one line to the user.
        log.exception("unexpected error in %s", command)
        where = f" (details in {log_file})" if log_file else ""
        print(f"spinelib: internal error: {exc!r}{where}", file=sys.stderr)
        return 1


__all__ = ["COMMANDS", "main"]
