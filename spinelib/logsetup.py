"""Logging set-up shared by the command line and the desktop app.

Its own module so that neither face imports the other just to configure logging.
"""

from __future__ import annotations

import logging
from pathlib import Path

from spinelib import paths
from spinelib.errors import SpineLibError


def setup_logging() -> Path | None:
    """Log to a file in the data dir; a bug's traceback goes there, not to the terminal.

    Returns the log file, or None when the data dir cannot be written (logging then stays
    off rather than failing the program). Calling it twice adds no second handler.
    """
    log_file = paths.log_path()
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
