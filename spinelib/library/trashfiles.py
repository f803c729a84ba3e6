"""The files of trashed articles: where a deleted article's copied attachments go in
``<library>.files/.trash/``, how they come back on restore or undo, and their removal when
the trash is emptied. Plain file work (no SQL) for the trash and history rooms.

Promises:
- A deleted article's snapshot records where each of its copied files went
  (``snapshot["files"]``: attachment id → path inside the trash folder), so restore, undo,
  redo and emptying all find them without guessing. Linked files are never moved.
- A file is never overwritten and never silently dropped: a move whose source is missing or
  whose destination is taken leaves everything where it is and says so in a message; the
  attachment row comes back regardless (``spinelib files check`` then lists it as missing).
- Moves into the trash happen after the database committed (a rolled-back delete must not
  leave a live article without its file); a restore moves files back at once, and tolerates
  finding them already in place.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinelib.library import filestore
from spinelib.store.snapshot_files import attachment_rows


@dataclass(frozen=True)
class FileMove:
    """One file to move: ``name`` is the attachment's name, for messages."""

    source: Path
    dest: Path
    name: str


def _live_path(files: Path, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else files / path


def plan_to_trash(library: Path, snaps: dict[int, dict[str, Any]]) -> list[FileMove]:
    """Choose a free place in the trash folder for every copied file of ``snaps`` (articles
    about to be trashed), record it in each snapshot's ``files``, and return the moves to make
    once the delete has committed."""
    files, trash = filestore.files_dir(library), filestore.trash_dir(library)
    planned: set[str] = set()
    moves: list[FileMove] = []
    for snap in snaps.values():
        snap["files"] = {}
        for row in attachment_rows(snap):
            if row["linked"]:
                continue
            source = _live_path(files, row["path"])
            name = filestore.free_name(trash, source.stem, source.suffix,
                                       lambda n: n in planned)
            planned.add(name)
            snap["files"][str(row["id"])] = name
            moves.append(FileMove(source, trash / name, str(row["name"])))
    return moves


def back_moves(library: Path, snap: dict[str, Any]) -> list[FileMove]:
    """The moves that put a trashed snapshot's files back where its attachment rows say."""
    files, trash = filestore.files_dir(library), filestore.trash_dir(library)
    where: dict[str, str] = snap.get("files", {})
    return [FileMove(trash / where[str(row["id"])], _live_path(files, row["path"]),
                     str(row["name"]))
            for row in attachment_rows(snap) if str(row["id"]) in where]


def into_trash_moves(library: Path, snap: dict[str, Any]) -> list[FileMove]:
    """The moves that put a live article's files where its trashed snapshot records them
    (a redone delete)."""
    return [FileMove(m.dest, m.source, m.name) for m in back_moves(library, snap)]


def perform(moves: list[FileMove]) -> list[str]:
    """Make the moves; returns a plain message for each one that could not be made (the file
    stays where it is: nothing is overwritten or lost)."""
    messages: list[str] = []
    for move in moves:
        if not move.source.exists():
            if not move.dest.exists():
                messages.append(f"the file of attachment {move.name!r} was missing "
                                f"(looked for {move.source}); its record is kept")
            continue  # already where it belongs (a rolled-back restore moved it earlier)
        if move.dest.exists():
            messages.append(f"{move.dest} already exists; the file of attachment "
                            f"{move.name!r} was left at {move.source}")
            continue
        try:
            move.dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(move.source), move.dest)
        except OSError as exc:
            messages.append(f"cannot move {move.source} to {move.dest}: "
                            f"{exc.strerror or exc}; it was left where it is")
    return messages


def remove_trashed(library: Path, snap: dict[str, Any]) -> int:
    """Delete for good the files a trashed snapshot keeps in the trash folder (emptying the
    trash); returns how many were removed (a file already gone is skipped)."""
    trash = filestore.trash_dir(library)
    removed = 0
    for name in snap.get("files", {}).values():
        path = trash / name
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
