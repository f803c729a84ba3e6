"""Writing an output file (an export, a Word document, an evidence table, a style) whole,
and never over a database.

Promises of :func:`write_bytes_atomic`:

- **Whole or not at all.** The bytes go to a temporary file in the same folder, are
  flushed and fsynced, and replace the target in one rename (then the folder is fsynced,
  so the rename survives a power cut). A failure leaves the old file as it was and no
  temporary file behind. An existing file keeps its permissions.
- **Never over a database.** A target holding an SQLite database or its write-ahead log
  (a library, a backup, a team replica) is refused before anything is written: an
  ``export -o lib.sqlite`` typed by mistake replaced the library with a RIS file.
- **Clear failures.** Anything the system refuses (a missing folder, no permission, a full
  disk, a folder of that name) is a SpineLibError naming the file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from spinelib.errors import SpineLibError
from spinelib.formats.decoding import SQLITE_HEADER

#: The first bytes of an SQLite write-ahead log (either byte order):
#: https://www.sqlite.org/fileformat.html
WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


def refuse_database(path: Path) -> None:
    """SpineLibError when ``path`` is an SQLite database or write-ahead log; nothing when
    it is anything else or cannot be read (the write then says why)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return
    if head.startswith(SQLITE_HEADER) or head[:4] in WAL_HEADERS:
        raise SpineLibError(f"{path} is a database (a library or a backup): an export never "
                            "replaces one; choose another file name")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, never over a database (see the module's promises)."""
    path = Path(path)
    refuse_database(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    try:
        # O_EXCL: never follow or clobber something already at the temporary name.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if mode is not None:
                os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _sync_folder(folder)
    except OSError as exc:
        raise SpineLibError(f"cannot write {path}: {exc.strerror or exc}") from None


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system lets a folder be opened)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
