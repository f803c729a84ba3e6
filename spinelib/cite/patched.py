"""citeproc-py as SpineLib runs it: every mend of :mod:`spinelib.cite` installed once per
process, in the order they wrap one another.

Each module wraps some of citeproc-py's methods (its docstring says which and why). Several
wrap the same method (``Name.process``, ``Name.get_option``), so the order matters where one
wrapper calls citeproc-py again: the memo of style-tree searches first (everything below
asks them), the mends of what is printed and how sort keys are made, then the steps that
need the names as printed (disambiguation, citation groups), and last the repeated-author
dash, which renders a name list a second time through all of the others.

The modules' own ``install`` functions wrap unconditionally; :func:`install` is the one
place that makes the whole set happen once per process, whichever thread loads a style
first.
"""

from __future__ import annotations

import threading

from spinelib.cite import (
    authorsubstitute,
    citegroups,
    disambiguation,
    fastpath,
    groupcalls,
    invertednames,
    mends,
    mixedtext,
    pageranges,
    plaintext,
    sortkeys,
)

_lock = threading.Lock()
_installed = False


def install() -> None:
    """Install every mend, once per process (later calls do nothing)."""
    global _installed
    with _lock:
        if _installed:
            return
        fastpath.install()
        mends.install()
        mixedtext.install()
        pageranges.install()
        plaintext.install()
        sortkeys.install()
        groupcalls.install()
        invertednames.install()
        disambiguation.install()
        citegroups.install()
        authorsubstitute.install()
        _installed = True
