"""Helper processes: ``python -m <module>`` of this very SpineLib, spoken to through pipes
(issue 19: the vocabulary of a large import, its file's check, a first copy's reference
lists).

Not multiprocessing: its "spawn" start would import the user's ``__main__`` script again in
the child, and its "fork" is unsafe in the GUI's threaded process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

#: The folder ``spinelib`` is imported from, put first on the helper's PYTHONPATH so it runs
#: this SpineLib (a checkout, a wheel) whatever its working directory.
_ROOT = str(Path(__file__).resolve().parent.parent)


def can_start() -> bool:
    """Whether a helper can run beside this process: a second core to run on, and a Python
    to run it with (in a frozen build ``sys.executable`` is SpineLib itself, which has no
    ``-m``: the desktop build would open a window instead)."""
    return (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False)


def start(module: str, *args: str) -> subprocess.Popen[bytes]:
    """``python -m module args…`` with pipes for its standard input and output; raises
    OSError when it cannot be started."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p))
    return subprocess.Popen([sys.executable, "-m", module, *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)


#: Python's thread switch interval while a helper is being spoken to (the default is 5 ms).
#: The thread that writes a helper's requests and reads its answers needs the GIL for a
#: moment after every pipe read and write, and a thread parsing or storing in pure Python
#: hands it over only every switch interval: measured on a 10,000-record import, writing the
#: requests took 2.9-4.2 s at 5 ms and 1.1-1.2 s at 0.5 ms, while the helper waited for them
#: (the importer then answered 19-20 chunks itself instead of 8).
HANDOFF_S = 0.0005
_handoff_lock = threading.Lock()
_handoff_users = 0
_handoff_saved = 0.0


def quick_handoffs() -> None:
    """Shorten the switch interval to :data:`HANDOFF_S` until the matching
    :func:`end_quick_handoffs` (counted: helpers may overlap, and the last one to end puts
    back the interval that was there before the first)."""
    global _handoff_users, _handoff_saved
    with _handoff_lock:
        if not _handoff_users:
            _handoff_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_handoff_saved, HANDOFF_S))
        _handoff_users += 1


def end_quick_handoffs() -> None:
    """One :func:`quick_handoffs` is over."""
    global _handoff_users
    with _handoff_lock:
        _handoff_users -= 1
        if not _handoff_users:
            sys.setswitchinterval(_handoff_saved)
