"""Team libraries: opening a replica for a URL, creating a library on a server, granting roles.

A team library's replica is ``<data dir>/replicas/<library uuid>.sqlite``; ``replicas/
index.json`` maps each URL (never with a password: :mod:`spinelib.library.teamurl` refuses
those) to its UUID, so a replica opens offline once it has been made.

Promises:
- :func:`open_team` opens the replica without the server when one exists; a first open needs
  the server (to learn the library's UUID) and says so plainly when it is unreachable.
- :func:`create_team` changes nothing on a database that is not empty or not ours.
- Passwords: libpq finds ``~/.pgpass`` and service files itself; otherwise ``prompt`` (the
  face's: a terminal or a dialog) is asked once and the answer lives only in memory.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spinelib.errors import LibraryError
from spinelib.import_results import Progress
from spinelib.library import passwords, teamurl
from spinelib.library.facade import Library
from spinelib.library.sync import SyncOffline
from spinelib.library.teamupload import UploadReport, create_from_library
from spinelib.store import postgres
from spinelib.text import plural

Prompt = Callable[[str], str | None]
log = logging.getLogger(__name__)


def replicas_dir(data_dir: Path) -> Path:
    return data_dir / "replicas"


def _index_path(data_dir: Path) -> Path:
    return replicas_dir(data_dir) / "index.json"


def _read_index(data_dir: Path) -> dict[str, str]:
    try:
        data = json.loads(_index_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_index(data_dir: Path, index: dict[str, str]) -> None:
    path = _index_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _connect(url: teamurl.TeamUrl, prompt: Prompt | None,
             ) -> tuple[postgres.Server, str | None]:
    """A connection and the password it needed (None when libpq found one itself): libpq's
    own (~/.pgpass, a service file), then the OS keyring's, then ``prompt``'s."""
    try:
        return postgres.Server.connect(url.conninfo), None
    except postgres.OFFLINE_ERRORS as exc:
        if not postgres.needs_password(exc):
            raise SyncOffline(f"cannot reach the team library at {url.display}: "
                              f"{_first_line(exc)}") from None
        refusal = exc
    kept = passwords.stored(url.display)
    if kept is not None:
        try:
            return postgres.Server.connect(url.conninfo, kept), kept
        except postgres.OFFLINE_ERRORS as exc:
            if "authentication failed" in str(exc).lower():
                passwords.forget(url.display)  # changed since: ask, and keep the new one
            refusal = exc
    if prompt is None:
        raise SyncOffline(f"cannot reach the team library at {url.display}: "
                          f"{_first_line(refusal)}")
    password = prompt(f"Password for {url.display}: ")
    try:
        return postgres.Server.connect(url.conninfo, password), password
    except postgres.OFFLINE_ERRORS as exc:
        raise SyncOffline(f"cannot open the team library at {url.display}: "
                          f"{_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def check_connection(location: str, password: str | None = None) -> str:
    """Connect once and say what is there, for the GUI's "Test connection": the login, whether
    it may edit, the library's UUID and its changes. Raises :class:`LibraryError` (or
    :class:`SyncOffline`) with a plain message: a bad URL, an unreachable server, a refused
    login, a database that is not a SpineLib library."""
    url = teamurl.parse(location)
    server, _ = _connect(url, (lambda _question: password) if password else None)
    try:
        try:
            uuid, _schema, seq = server.identity()
        except LookupError:
            raise LibraryError(f"{url.display} answers, but it is not a SpineLib team library "
                               "(create one with `spinelib team create URL`)") from None
        login, editor = server.login(), server.can_edit()
    finally:
        server.close()
    rights = "may edit" if editor else "may only read"
    return f"Connected as {login} ({rights}): team library {uuid}, {plural(seq, 'change')} so far."


def connect(url: teamurl.TeamUrl, prompt: Prompt | None) -> tuple[postgres.Server, str | None]:
    """A connection to ``url`` and the password it needed (see :func:`_connect`)."""
    return _connect(url, prompt)


def remember(data_dir: Path, url: teamurl.TeamUrl, library_uuid: str) -> None:
    """Make ``url`` open the replica of ``library_uuid`` from now on (after a re-attach)."""
    index = _read_index(data_dir)
    index[url.display] = library_uuid
    _write_index(data_dir, index)


def replica_path(location: str, data_dir: Path) -> Path | None:
    """The replica file of ``location`` if one was made here before."""
    uuid = _read_index(data_dir).get(teamurl.parse(location).display)
    return None if uuid is None else replicas_dir(data_dir) / f"{uuid}.sqlite"


def open_team(location: str, data_dir: Path, prompt: Prompt | None = None, *,
              password: str | None = None, remember_password: bool = False) -> Library:
    """The replica of the team library at ``location``, attached to its server. With
    ``remember_password``, a password that had to be typed is kept in the OS keyring (when
    there is one: :mod:`spinelib.library.passwords`; never anywhere else). ``password``: one
    the user already typed (a dialog's), used when libpq finds none."""
    url = teamurl.parse(location)
    index = _read_index(data_dir)
    uuid = index.get(url.display)
    if password is not None:  # typed already: offered to libpq only when it needs one
        prompt = lambda _question: password  # noqa: E731
    if uuid is None:
        server, password = _connect(url, prompt)
        try:
            try:
                uuid = server.identity()[0]
            except LookupError:
                raise LibraryError(f"{url.display} is not a SpineLib team library "
                                   "(create one with `spinelib team create URL`)") from None
        finally:
            server.close()
        index[url.display] = uuid
        _write_index(data_dir, index)
    lib = Library.open(replicas_dir(data_dir) / f"{uuid}.sqlite", daily_backup=True)
    try:
        lib.sync.attach(url, uuid, password)
    except BaseException:
        lib.close()
        raise
    if remember_password and password:
        try:
            passwords.remember(url.display, password)
        except LibraryError as exc:  # no keyring: the password stays in memory only
            log.warning("%s", exc)
    return lib


def create_team(location: str, source: Path | None, prompt: Prompt | None = None) -> str:
    """Set up the empty database at ``location`` as a team library; with ``source``, upload
    that local library (articles, references, tags, lists; read status and notes become the
    creating login's own). Returns the new library's UUID."""
    if source is not None:
        return create_team_from(location, Path(source), prompt).library_uuid
    url = teamurl.parse(location)
    conn = _admin(url, prompt)
    try:
        uuid = postgres.create(conn)
    finally:
        conn.close()
    return uuid


def create_team_from(location: str, source: Path, prompt: Prompt | None = None,
                     progress: Progress | None = None) -> UploadReport:
    """Set up the empty database at ``location`` as a team library holding the local library
    at ``source``, in bulk and all or nothing (:mod:`spinelib.library.teamupload`).
    ``progress(done, total, what)``: called as the articles go up."""
    url = teamurl.parse(location)
    if not source.is_file():
        raise LibraryError(f"{source}: no such library file")
    conn = _admin(url, prompt)
    try:
        return create_from_library(url, source, conn, progress)
    finally:
        conn.close()


def grant(location: str, login: str, role: str, prompt: Prompt | None = None) -> None:
    """Put an existing ``login`` into the library's reader, editor or admin group."""
    url = teamurl.parse(location)
    conn = _admin(url, prompt)
    try:
        postgres.grant(conn, login, role)
    finally:
        conn.close()


def _admin(url: teamurl.TeamUrl, prompt: Prompt | None) -> Any:
    try:
        return postgres.connect_admin(url.conninfo)
    except postgres.OFFLINE_ERRORS as exc:
        if prompt is None or not postgres.needs_password(exc):
            raise LibraryError(f"cannot connect to {url.display}: "
                               f"{str(exc).strip().splitlines()[0]}") from None
    try:
        return postgres.connect_admin(url.conninfo, prompt(f"Password for {url.display}: "))
    except postgres.OFFLINE_ERRORS as exc:
        raise LibraryError(f"cannot connect to {url.display}: "
                           f"{str(exc).strip().splitlines()[0]}") from None
