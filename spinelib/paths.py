"""Where SpineLib keeps its data (docs/ARCHITECTURE.md).

Resolution, strongest first: an explicit ``--library PATH``; ``SPINELIB_LIBRARY``;
``SPINELIB_HOME`` (library, settings, backups, logs under one directory); else the platform's
user data directory. Nothing here creates directories except :func:`ensure_dir`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from spinelib.errors import LibraryError

APP_NAME = "spinelib"
LIBRARY_FILENAME = "library.sqlite"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The directory for settings, logs, backups and the default library."""
    env = os.environ if env is None else env
    home = env.get("SPINELIB_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def library_path(explicit: str | os.PathLike[str] | None = None,
                 env: Mapping[str, str] | None = None) -> Path:
    """The library file to open, per the override order above."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get("SPINELIB_LIBRARY"):
        return Path(env["SPINELIB_LIBRARY"]).expanduser()
    return data_dir(env) / LIBRARY_FILENAME


def settings_path(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / "settings.json"


def log_path(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / "spinelib.log"


def backup_dir(library: Path) -> Path:
    """Backups live beside the library they protect, in ``<name>.backups/``."""
    return library.parent / f"{library.stem}.backups"


def stamped_backup_name(library: Path, ending: str) -> str:
    """A new manual backup's file name: ``<name>-<UTC time>`` + ``ending``
    ("-manual.sqlite", "-with-files.zip")."""
    from datetime import UTC, datetime

    return f"{library.stem}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}{ending}"


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (the same path resolved, or a link to it):
    what an output must not be when it would overwrite its input."""
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents); a plain LibraryError when that is not allowed."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryError(f"cannot create directory {path}: {exc.strerror or exc}") from exc
    if not os.access(path, os.W_OK):
        raise LibraryError(f"directory {path} is not writable")
    return path


def resource(name: str) -> Path:
    """A file shipped with SpineLib (taxonomy, icons, styles, sample library).

    Found through :mod:`importlib.resources`, so it works from a checkout (where
    ``spinelib/resources`` links to the top-level ``resources/``), an installed wheel and a
    frozen build alike.
    """
    from importlib.resources import files

    return Path(str(files("spinelib").joinpath("resources", name)))
