"""The Qt binding must not leak away references to None/True (a long session would abort).

PySide6 6.12.0 on CPython 3.11 takes one reference from ``None`` on every void Qt call and
one from ``True`` on every ``emit()``; after some thousands of calls the interpreter frees
them and aborts ("none_dealloc" / "bool_dealloc"). pyproject.toml excludes that release; this
test fails loudly if such a binding is installed anyway.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    class Pinger(QObject):
        ping = Signal(object)
    pinger, label = Pinger(), QLabel()
    none0, true0 = sys.getrefcount(None), sys.getrefcount(True)
    n = 200_000  # far more references than None and True start with
    for i in range(n):
        label.setText("x")
        pinger.ping.emit(i)
    print("survived", n, none0 - sys.getrefcount(None), true0 - sys.getrefcount(True))
""")


def test_a_long_session_does_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, (
        "the installed PySide6 loses references (see pyproject.toml's pin):\n"
        + result.stderr[-1500:])
    survived, n, lost_none, lost_true = result.stdout.split()
    assert survived == "survived"
    # A few references may move between the two reads; the bug loses one per call.
    assert int(lost_none) < 1000 and int(lost_true) < 1000
