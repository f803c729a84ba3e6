"""Database errors met mid-command, classified as the user's world or a bug.

The faces print what :func:`explain` returns and log the rest as bugs; they never look at a
driver's exception themselves.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from spinelib.errors import LibraryError
from spinelib.store.sqlite.files import damaged

#: The driver errors that mean "the database could not be read" (caught by the library).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)


def engine_version() -> str:
    """The embedded database engine's version, for the About box."""
    return sqlite3.sqlite_version


def explain(location: Path, exc: BaseException) -> LibraryError | None:
    """The plain message for a database error, or None when ``exc`` is not one."""
    if not isinstance(exc, sqlite3.Error):
        return None
    detail = str(exc)
    if "locked" in detail or "busy" in detail:
        return LibraryError("the library is busy in another SpineLib window or command; "
                            "try again in a moment")
    if type(exc) is sqlite3.DatabaseError:
        # SQLITE_CORRUPT / SQLITE_NOTADB found mid-command (damage in pages the open-time
        # probe did not touch): the same message as at open, with the newest backup.
        return damaged(location, exc)
    return LibraryError(f"the library could not be read or written ({detail})")
