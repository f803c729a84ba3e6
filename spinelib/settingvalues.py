"""A setting changed from its text, as typed in a terminal (``spinelib settings NAME VALUE``).

The Preferences dialog edits settings with widgets that only take good values; a terminal
hands over text. :func:`with_value` reads it by the setting's type and refuses what would
not work, before anything is saved, with the reason: a word that is not a number, a
timeout of 0, a format or style SpineLib does not have, a folder that does not exist, a
service address that is not a web address, an NCBI API key pasted with more than the key,
a proxy or link resolver that cannot be used (:mod:`spinelib.libraryaccess`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from spinelib.errors import SpineLibError
from spinelib.libraryaccess import check_proxy, check_resolver
from spinelib.settings import Settings

#: Settings SpineLib keeps for itself (not typed by a user).
KEPT_BY_SPINELIB = frozenset({"recent_libraries"})
#: Yes and no as typed.
_TRUE = {"yes", "true", "on", "1"}
_FALSE = {"no", "false", "off", "0"}
#: The numbers' lowest values (a retry count may be 0; a cap, a wait or a number of days
#: not), and the highest the Preferences dialog's boxes take.
_LOWEST = {"max_retries": 0}
_HIGHEST = {"max_retries": 10, "connect_timeout": 60, "read_timeout": 300}


class SettingError(SpineLibError):
    """A setting name or value that cannot be used, with why."""


def setting_names() -> list[str]:
    """The settings a user may change, in the file's order."""
    return [f.name for f in fields(Settings) if f.name not in KEPT_BY_SPINELIB]


def check_name(name: str) -> str:
    """``name`` if it is a setting a user may change; :class:`SettingError` listing them
    otherwise."""
    if name not in setting_names():
        raise SettingError(f"there is no setting {name!r}; the settings are: "
                           + ", ".join(setting_names()))
    return name


def shown(settings: Settings, name: str) -> str:
    """The value of setting ``name`` as text (the API key masked, yes/no for a switch)."""
    value = settings.redacted()[name]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def with_value(settings: Settings, name: str, text: str) -> Settings:
    """A copy of ``settings`` with ``name`` set from ``text``; "" sets it back to its
    default. :class:`SettingError` names what is wrong."""
    default = getattr(Settings(), check_name(name))
    text = text.strip()
    if not text:
        return replace(settings, **{name: default})
    if isinstance(default, bool):
        value: Any = _switch(name, text)
    elif isinstance(default, (int, float)):
        value = _number(name, text, type(default))
    else:
        value = _CHECKS.get(name, _as_is)(text)
    return replace(settings, **{name: value})


def _switch(name: str, text: str) -> bool:
    if text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    raise SettingError(f"{name} is a switch: write yes or no, not {text!r}")


def _number(name: str, text: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(text)
        if not math.isfinite(value):  # "nan", "inf", "1e400": no wait or cap
            raise ValueError(text)
    except ValueError:
        whole = "a whole number" if kind is int else "a number"
        raise SettingError(f"{name} must be {whole}, not {text!r}") from None
    lowest, highest = _LOWEST.get(name, 1), _HIGHEST.get(name)
    if value < lowest or (highest is not None and value > highest):
        limit = f"from {lowest} to {highest}" if highest is not None else f"at least {lowest}"
        raise SettingError(f"{name} must be {limit}, not {text}")
    return value


def _as_is(text: str) -> str:
    return text


def _web(text: str) -> str:
    if not text.lower().startswith(("https://", "http://")):
        raise SettingError(f"a service address starts with https://; {text!r} does not")
    return text


def _folder(text: str) -> str:
    folder = Path(text).expanduser()
    if not folder.is_dir():
        raise SettingError(f"there is no folder {folder}")
    return str(folder.resolve())


def _export_format(text: str) -> str:
    from spinelib.formats.registry import EXPORT_CHOICES

    if text not in EXPORT_CHOICES:
        raise SettingError(f"unknown export format {text!r}; the formats are: "
                           + ", ".join(EXPORT_CHOICES))
    return text


def _style(text: str) -> str:
    from spinelib.styles.catalogue import resolve

    resolve(text)  # NotFound says how to find a style's id
    return text


def check_api_key(text: str) -> str:
    """``text`` (stripped) as an NCBI API key, "" clearing it; :class:`SettingError` when it
    holds anything but letters and digits (NCBI: "a unique alphanumeric string"), as a
    key pasted with a quote or a word of the mail around it does. The key is a secret, so
    the message does not repeat it."""
    key = text.strip()
    if key and not (key.isascii() and key.isalnum()):
        raise SettingError("an NCBI API key is letters and digits only; copy it whole from "
                           "your NCBI account's API Key Management, nothing around it")
    return key


def _email(text: str) -> str:
    if "@" not in text or any(c.isspace() for c in text):
        raise SettingError(f"{text!r} is not an email address")
    return text


_CHECKS: dict[str, Callable[[str], str]] = {
    "email": _email, "ncbi_api_key": check_api_key, "export_format": _export_format,
    "citation_style": _style,
    "files_base_folder": _folder, "watched_folder": _folder,
    "library_proxy": check_proxy, "link_resolver": check_resolver,
    **{f.name: _web for f in fields(Settings) if f.name.endswith("_url")},
}
