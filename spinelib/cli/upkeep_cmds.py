"""Commands that keep the library safe: backup, check, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spinelib.cli.output import UsageError
from spinelib.library import Library
from spinelib.paths import same_file


def backup_target(lib: Library, dest: str | None, ending: str) -> Path | None:
    """Where ``backup DEST`` writes: None for the backups folder; in a folder DEST, a new
    file (:func:`spinelib.paths.stamped_backup_name`). The library itself is refused:
    copying it onto its own file, open in this process, would replace it under its own
    connection."""
    if not dest:
        return None
    target = Path(dest).expanduser()
    if target.is_dir():
        from spinelib.paths import stamped_backup_name

        return target / stamped_backup_name(lib.path, ending)
    if same_file(target, Path(lib.path)):
        raise UsageError(f"{target} is the library itself: back it up to another file or "
                         "to a folder")
    return target


def cmd_backup(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cli.pdf_cmds import backup_with_files

    if args.with_files:
        return backup_with_files(lib, backup_target(lib, args.dest, "-with-files.zip"))
    dest = lib.backup(backup_target(lib, args.dest, "-manual.sqlite"))
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
    Library.check_backup(source)  # a wrong file is refused before anything is asked
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
