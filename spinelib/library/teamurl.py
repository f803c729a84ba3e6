"""Where a team library lives: parsing ``postgresql://`` locations without keeping secrets.

``--library`` and ``SPINELIB_LIBRARY`` accept a file path or a PostgreSQL URL
(``postgresql://[user@]host[:port]/dbname[?sslmode=…]`` or ``postgresql:///…?service=NAME``).
A URL carrying a password is refused: passwords come from ``~/.pgpass``, a service file or a
prompt, never from a URL that could be written to settings, logs or shell history. A host that
is not this machine gets ``sslmode=verify-full`` unless the URL says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from spinelib.errors import LibraryError

SCHEMES = ("postgresql://", "postgres://")
LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1", "[::1]")


def is_url(location: str | None) -> bool:
    return bool(location) and str(location).lower().startswith(SCHEMES)


@dataclass(frozen=True)
class TeamUrl:
    """A parsed team library location; ``conninfo`` is what libpq is given."""

    conninfo: str
    display: str
    dbname: str


def parse(location: str) -> TeamUrl:
    """Check and complete a team library URL (see the module docstring)."""
    parts = urlsplit(location.strip())
    if parts.password is not None:
        raise LibraryError("a team library URL must not contain a password: put it in "
                           "~/.pgpass or a service file, or type it when asked")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    dbname = parts.path.lstrip("/") or query.get("dbname", "")
    if not dbname and "service" not in query:
        raise LibraryError(f"{location!r} names no database (postgresql://host/DBNAME)")
    host = (parts.hostname or query.get("host", "")).lower()
    if "sslmode" not in query and "service" not in query and not (
            host in LOCAL_HOSTS or host.startswith("/")):
        query["sslmode"] = "verify-full"
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return TeamUrl(conninfo=conninfo, display=conninfo, dbname=dbname or query["service"])
