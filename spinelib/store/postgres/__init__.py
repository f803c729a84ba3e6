"""The team library's server on PostgreSQL (docs/ARCHITECTURE.md, "Team libraries").

Only this package imports psycopg. :mod:`.schema` creates a library on an empty database and
manages its role groups; :mod:`.server` is one client's connection: identity, push, pull,
history and live notifications.
"""

from __future__ import annotations

import psycopg

from spinelib.store.postgres.schema import create, grant
from spinelib.store.postgres.server import Pulled, PushResult, Server

#: Errors that mean "the server cannot be used now" (down, refused, dropped, hung).
OFFLINE_ERRORS: tuple[type[BaseException], ...] = (psycopg.OperationalError,
                                                   psycopg.InterfaceError)
#: Any other error of the server (a refused statement, a clash): an upload reports it.
UPLOAD_ERRORS: tuple[type[BaseException], ...] = (psycopg.Error,)
#: Errors that mean "the server refused this login" (rights, not connectivity).
REFUSED_ERRORS: tuple[type[BaseException], ...] = (psycopg.errors.InsufficientPrivilege,)


def needs_password(exc: BaseException) -> bool:
    """Whether a failed connect asked for a password libpq could not find."""
    return "password" in str(exc).lower() and "authentication failed" not in str(exc).lower()


def connect_admin(conninfo: str, password: str | None = None) -> psycopg.Connection:
    """A plain autocommit connection for ``team create``/``team grant``."""
    if password is None:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
    return psycopg.connect(conninfo, autocommit=True, connect_timeout=5, password=password)


__all__ = ["OFFLINE_ERRORS", "REFUSED_ERRORS", "UPLOAD_ERRORS", "Pulled", "PushResult", "Server",
           "connect_admin", "create", "grant", "needs_password"]
