"""Run by tests/team/test_team_keyring.py inside ``dbus-run-session`` with a real
gnome-keyring-daemon (Secret Service) unlocked: SpineLib's keyring code against the real
daemon, checked from the outside with ``secretstorage``. Prints one JSON object."""

from __future__ import annotations

import json
import sys
from typing import Any

import secretstorage

from spinelib.library import passwords, team, teamurl
from spinelib.store import postgres

URL = "postgresql://alice@db.example/spine?sslmode=verify-full"


def in_daemon(location: str) -> list[str]:
    """The secrets the daemon itself holds for this URL (not through keyring)."""
    bus = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(bus)
        return [item.get_secret().decode() for item in collection.search_items(
            {"service": passwords.SERVICE, "username": location})]
    finally:
        bus.close()


def connect_order(location: str) -> tuple[Any, list[str | None], list[str]]:
    """``team.connect`` with libpq refusing a missing password: the keyring's comes next."""
    tried: list[str | None] = []

    def fake_connect(conninfo: str, password: str | None = None) -> str:
        tried.append(password)
        if password != "from the keyring":
            raise postgres.OFFLINE_ERRORS[0]("fe_sendauth: no password supplied")
        return "connected"

    postgres.Server.connect = fake_connect  # type: ignore[assignment,method-assign]
    asked: list[str] = []
    passwords.remember(location, "from the keyring")
    result = team.connect(teamurl.parse(location), lambda q: asked.append(q) or "typed")
    return result, tried, asked


def main() -> int:
    location = teamurl.parse(URL).display
    out: dict[str, Any] = {"where": passwords.where(), "available": passwords.available()}
    out["remembered"] = passwords.remember(location, "s3cret – ünïcode")
    out["stored"] = passwords.stored(location)
    out["daemon"] = in_daemon(location)
    passwords.remember(location, "changed")
    out["stored_after_change"] = passwords.stored(location)
    out["daemon_after_change"] = in_daemon(location)
    passwords.forget(location)
    out["stored_after_forget"] = passwords.stored(location)
    out["daemon_after_forget"] = in_daemon(location)
    out["connect"], out["tried"], out["asked"] = connect_order(location)
    passwords.forget(location)
    out["other_url"] = passwords.stored("postgresql://bob@db.example/spine")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
