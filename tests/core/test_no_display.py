"""Without a display the app says so in one line and exits 2, instead of Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from spinelib.display import NO_DISPLAY_MESSAGE, has_display


def test_has_display_reads_the_environment() -> None:
    assert not has_display({}, "linux")
    assert has_display({"DISPLAY": ":0"}, "linux")
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert has_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert has_display({}, "darwin")


def test_the_app_without_a_display_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["SPINELIB_HOME"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "spinelib"], env=env, capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert proc.stderr.strip() == NO_DISPLAY_MESSAGE
    assert proc.stdout == ""


def test_the_gui_script_without_a_display_says_the_same(tmp_path: Path) -> None:
    """``spinelib-gui`` (spinelib.gui.app:main) runs the same check before Qt is asked."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["SPINELIB_HOME"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-c",
                           "import sys; from spinelib.gui.app import main; sys.exit(main([]))"],
                          env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert proc.stderr.strip() == NO_DISPLAY_MESSAGE
    assert proc.stdout == ""
