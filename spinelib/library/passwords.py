"""Team library passwords in the operating system's keyring, never in SpineLib's own files.

libpq's ``~/.pgpass`` and service files come first (libpq reads them itself); then a password
kept in the OS keyring (the ``keyring`` package: GNOME Keyring/KWallet through Secret Service,
macOS Keychain, Windows Credential Manager); then a prompt. When no keyring backend exists
(or the package is not installed) nothing is stored: the password lives in memory until the
app closes, and :func:`where` says so in plain words.

Promises: a password is never written to settings, URLs, logs or messages by this module; a
keyring failure never stops a library from opening (it only means being asked again).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from spinelib.errors import LibraryError

log = logging.getLogger(__name__)

#: The keyring entry's service name; the entry's user name is the library's URL (no password).
SERVICE = "SpineLib team library"
NO_KEYRING = ("there is no system keyring on this computer: the password is kept only until "
              "SpineLib closes (put it in ~/.pgpass to be asked no more)")


def _backend() -> Any | None:
    """The keyring module when it has a usable backend, else None."""
    try:
        keyring = importlib.import_module("keyring")
        backend = keyring.get_keyring()
    except Exception:  # not installed, or no backend can load here
        return None
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    if "fail" in name or "null" in name or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def where() -> str:
    """Where a remembered password goes on this computer, said for a user."""
    keyring = _backend()
    if keyring is None:
        return NO_KEYRING
    backend = keyring.get_keyring()
    return f"the system keyring ({getattr(backend, 'name', type(backend).__name__)})"


def available() -> bool:
    return _backend() is not None


def stored(location: str) -> str | None:
    """The password kept in the keyring for this library's URL, if any."""
    keyring = _backend()
    if keyring is None:
        return None
    try:
        value = keyring.get_password(SERVICE, location)
    except Exception as exc:  # a locked or broken keyring: ask instead
        log.warning("cannot read the system keyring: %s", type(exc).__name__)
        return None
    return value if isinstance(value, str) and value else None


def remember(location: str, password: str) -> str:
    """Keep ``password`` for this URL in the keyring; returns where it went. Raises
    :class:`LibraryError` when there is no keyring (nothing is written anywhere else)."""
    keyring = _backend()
    if keyring is None:
        raise LibraryError(f"the password was not remembered: {NO_KEYRING}")
    try:
        keyring.set_password(SERVICE, location, password)
    except Exception as exc:
        raise LibraryError(f"the system keyring refused the password "
                           f"({type(exc).__name__}); it is kept only until SpineLib "
                           "closes") from None
    return where()


def forget(location: str) -> None:
    """Remove this URL's password from the keyring (a refused one, or on request)."""
    keyring = _backend()
    if keyring is None:
        return
    try:
        keyring.delete_password(SERVICE, location)
    except Exception:  # nothing stored, or the keyring is locked: nothing to undo
        pass


__all__ = ["NO_KEYRING", "SERVICE", "available", "forget", "remember", "stored", "where"]
