"""The files folder beside a library: ``<library name>.files/``, browsable without the app.

Plain file work for the attachments room, no SQL: where copies go and how they are named
(after the citation key: ``patchell2005direct.pdf``, then ``…-2.pdf``), copying without ever
leaving a partial file (a full disk leaves nothing behind), hashing, the ``.trash/`` folder
that detached and deleted files move to (never deleted silently), and the zip archive of a
backup with its files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from spinelib.errors import LibraryError

TRASH = ".trash"
#: Suffix of a copy being written (never a finished file; removed on any failure).
PARTIAL = ".partial"
CHUNK = 1 << 20


def files_dir(library: Path) -> Path:
    """``<library name>.files/`` beside the library (like ``<library name>.backups/``)."""
    return library.parent / f"{library.stem}.files"


def trash_dir(library: Path) -> Path:
    return files_dir(library) / TRASH


def sha256_of(path: Path) -> tuple[str, int]:
    """(SHA-256 hex digest, size in bytes) of a file, read in chunks."""
    with open(path, "rb") as fh:
        return _digest(fh)


def _digest(fh: BinaryIO, limit: int | None = None) -> tuple[str, int]:
    """(SHA-256 hex digest, bytes read) of what ``fh`` holds from where it stands, to its
    end or to ``limit`` bytes, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    while (limit is None or size < limit) and (chunk := fh.read(
            CHUNK if limit is None else min(CHUNK, limit - size))):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def grown_from(path: Path, sha256: str, size: int) -> bool:
    """True when the file at ``path`` is a file of ``size`` bytes hashing to ``sha256``
    with more written after it: a PDF saved by an *incremental update*, the way most viewers
    save highlights (the original bytes kept, the changes appended)."""
    with open(path, "rb") as fh:
        if fh.seek(0, 2) <= size:
            return False
        fh.seek(0)
        return _digest(fh, size) == (sha256, size)


def free_name(folder: Path, stem: str, suffix: str, taken: Callable[[str], bool]) -> str:
    """``stem + suffix``, else ``stem-2 + suffix``, … : a name neither on disk nor ``taken``."""
    n = 1
    while True:
        name = f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}"
        if not (folder / name).exists() and not taken(name):
            return name
        n += 1


def _plain(exc: OSError) -> str:
    return exc.strerror or str(exc)


def copy_in(source: Path | bytes, dest: Path) -> None:
    """Write ``source`` (a file or bytes) to ``dest`` through a partial file, synced, then
    renamed: ``dest`` is whole or absent, whatever fails (a full disk included)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + PARTIAL)
    try:
        with open(tmp, "wb") as out:
            if isinstance(source, bytes):
                out.write(source)
            else:
                with open(source, "rb") as src:
                    shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LibraryError(f"cannot copy into {dest.parent}: {_plain(exc)}; "
                           "nothing was changed") from None


def to_trash(library: Path, path: Path) -> Path:
    """Move a copied file into the trash folder (renamed if the name is taken there)."""
    trash = trash_dir(library)
    trash.mkdir(parents=True, exist_ok=True)
    name = free_name(trash, path.stem, path.suffix, lambda _n: False)
    try:
        shutil.move(str(path), trash / name)
    except OSError as exc:
        raise LibraryError(f"cannot move {path.name} to {trash}: {_plain(exc)}") from None
    return trash / name


def stored_files(library: Path) -> Iterator[Path]:
    """Every finished file in the files folder, the trash and partial files aside."""
    root = files_dir(library)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] != TRASH and not path.name.endswith(PARTIAL):
            yield path


def zip_backup(library_copy: Path, library: Path, dest: Path) -> int:
    """A zip archive at ``dest`` holding the library copy and the files folder (trash
    aside); written beside its final name first. Returns the number of files stored."""
    tmp = dest.with_name(dest.name + PARTIAL)
    count = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(library_copy, library.name)
            root = files_dir(library)
            for path in stored_files(library):
                zf.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
                count += 1
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LibraryError(f"cannot write {dest}: {_plain(exc)}") from None
    return count
