"""Where the log goes: one file per data directory, or beside an explicitly chosen library.

Every face calls :func:`setup_logging` once at start; a bug's traceback goes to the file, and
the user sees one line naming it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from spinelib import paths
from spinelib.errors import SpineLibError


def log_file_for(library: Path | None = None) -> Path:
    """The log file: beside ``library`` when one was chosen explicitly (``--library``), so
    a library kept elsewhere keeps its own log; else the data directory's."""
    if library is not None:
        return library.expanduser().parent / "spinelib.log"
    return paths.log_path()


def setup_logging(library: Path | None = None) -> Path | None:
    """Log INFO and above to the file (see :func:`log_file_for`); None if it can't be written."""
    log_file = log_file_for(library)
    try:
        paths.ensure_dir(log_file.parent)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    except (OSError, SpineLibError):
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("spinelib")
    if not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file
