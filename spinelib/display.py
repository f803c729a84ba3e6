"""Whether a desktop app can open here, decided before Qt is asked (Qt aborts the process
with a raw message and exit 134 when it finds no display)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

NO_DISPLAY_MESSAGE = ("spinelib: the desktop app needs a display (a desktop session); "
                      "none was found. The command-line interface works here: spinelib --help")
#: Exit status when the app cannot open for want of a display (as for a usage problem).
NO_DISPLAY_EXIT = 2


def has_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a GUI can open: a non-Linux desktop, an X or Wayland display, or a Qt
    platform chosen explicitly (offscreen, for tests and screenshots)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return True
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
