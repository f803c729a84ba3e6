"""Commands that keep the library safe: backup, check, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spinelib.cli.output import UsageError
from spinelib.library import Library


def cmd_backup(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cli.pdf_cmds import backup_with_files

    if args.with_files:
        return backup_with_files(lib, args.dest)
    dest = lib.backup(Path(args.dest) if args.dest else None)
    print(f"backed up to {dest} (attached files are not included: use --with-files)")
    return 0


def cmd_check(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cli.pdf_cmds import check_files

    problems = lib.check()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    if check_files(lib):
        return 1
    print(f"ok: {lib.path} (schema {lib.schema_version()}, {lib.search.count()} articles)")
    return 0


def cmd_restore(path: Path, args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("restore replaces the library; confirm with --yes")
        answer = input(f"Replace {path} with {source}? The current library is backed up "
                       "first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("not restored")
            return 1
    saved = Library.restore(path, source)
    kept = f" (the previous library was saved as {saved})" if saved else ""
    print(f"restored {path} from {source}{kept}")
    return 0
