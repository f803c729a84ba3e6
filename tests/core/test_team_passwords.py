"""Team library passwords (issue 13): the OS keyring when there is one, nothing stored when
there is none, and the order libpq → keyring → prompt. A fake ``keyring`` module stands in
for the OS's; PostgreSQL's refusals are raised as psycopg raises them."""

from __future__ import annotations

import sys
import types
from typing import Any

import psycopg
import pytest

from spinelib.errors import LibraryError
from spinelib.library import passwords, team, teamurl
from spinelib.library.sync import SyncOffline

URL = "postgresql://alice@db.example/spine?sslmode=verify-full"


class Backend:
    name = "Fake Secret Service"
    priority = 5


class FailBackend:
    priority = 0


def fake_keyring(backend: object) -> types.ModuleType:
    module = types.ModuleType("keyring")
    kept: dict[tuple[str, str], str] = {}
    module.kept = kept  # type: ignore[attr-defined]
    module.get_keyring = lambda: backend  # type: ignore[attr-defined]
    module.get_password = lambda s, u: kept.get((s, u))  # type: ignore[attr-defined]
    module.set_password = lambda s, u, p: kept.__setitem__((s, u), p)  # type: ignore[attr-defined]
    module.delete_password = lambda s, u: kept.pop((s, u))  # type: ignore[attr-defined]
    return module


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> Any:
    module = fake_keyring(Backend())
    monkeypatch.setitem(sys.modules, "keyring", module)
    return module


def test_without_a_keyring_nothing_is_stored_and_the_user_is_told(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    assert not passwords.available() and passwords.where() == passwords.NO_KEYRING
    with pytest.raises(LibraryError, match="not remembered: there is no system keyring"):
        passwords.remember(URL, "secret")
    assert passwords.stored(URL) is None
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(FailBackend()))
    assert not passwords.available()  # keyring's own "no backend" stand-in


def test_a_password_is_kept_in_the_keyring_and_forgotten(keyring: Any) -> None:
    assert passwords.remember(URL, "secret") == "the system keyring (Fake Secret Service)"
    assert keyring.kept == {(passwords.SERVICE, URL): "secret"}
    assert passwords.stored(URL) == "secret"
    passwords.forget(URL)
    assert passwords.stored(URL) is None
    passwords.forget(URL)  # nothing stored: no error


class Connections:
    """Server.connect as PostgreSQL answers a login that needs the password 'right'."""

    def __init__(self) -> None:
        self.tried: list[str | None] = []

    def __call__(self, conninfo: str, password: str | None = None) -> str:
        self.tried.append(password)
        if password is None:
            raise psycopg.OperationalError("connection failed: fe_sendauth: no password "
                                           "supplied")
        if password != "right":
            raise psycopg.OperationalError('FATAL:  password authentication failed for user '
                                           '"alice"')
        return "connected"


def test_libpq_then_the_keyring_then_the_prompt(keyring: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    connect = Connections()
    monkeypatch.setattr(team.postgres.Server, "connect", connect)
    url = teamurl.parse(URL)
    passwords.remember(url.display, "right")
    asked: list[str] = []
    assert team.connect(url, lambda q: asked.append(q) or "typed") == ("connected", "right")
    assert connect.tried == [None, "right"] and asked == []  # the keyring's, no prompt

    passwords.remember(url.display, "changed since")
    connect.tried.clear()
    assert team.connect(url, lambda q: "right") == ("connected", "right")
    assert connect.tried == [None, "changed since", "right"]
    assert passwords.stored(url.display) is None  # the refused one is dropped

    with pytest.raises(SyncOffline, match="no password supplied"):
        team.connect(url, None)  # a script: no prompt, nothing kept
