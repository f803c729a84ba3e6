"""Remembered window layout: geometry, splitters and column widths, per user.

Kept in an INI file under the data directory (``SPINELIB_HOME`` in tests), never in the
desktop's registry or the user's real home when SpineLib is pointed elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from spinelib import paths

STATE_FILE = "window-state.ini"


def state_path() -> Path:
    return paths.data_dir() / STATE_FILE


class WindowState:
    """Named byte blobs (Qt's saveState/saveGeometry output) in an INI file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_path()
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def get(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def sync(self) -> None:
        """Write to disk now (Qt otherwise writes when the object goes away)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # a read-only data dir only costs the remembered layout
        self._settings.sync()
