"""Helper processes: ``python -m <module>`` of this very SpineLib, spoken to through pipes
(issue 19: the vocabulary of a large import, a first copy's reference lists).

Not multiprocessing: its "spawn" start would import the user's ``__main__`` script again in
the child, and its "fork" is unsafe in the GUI's threaded process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: The folder ``spinelib`` is imported from, put first on the helper's PYTHONPATH so it runs
#: this SpineLib (a checkout, a wheel) whatever its working directory.
_ROOT = str(Path(__file__).resolve().parent.parent)


def can_start() -> bool:
    """Whether a helper can run beside this process: a second core to run on, and a Python
    to run it with (in a frozen build ``sys.executable`` is SpineLib itself, which has no
    ``-m``: the desktop build would open a window instead)."""
    return (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False)


def start(module: str) -> subprocess.Popen[bytes]:
    """``python -m module`` with pipes for its standard input and output; raises OSError
    when it cannot be started."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p))
    return subprocess.Popen([sys.executable, "-m", module],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
