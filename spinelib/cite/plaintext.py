"""Small capitals in plain text: printed as capitals, as pandoc prints them.

French, German and many humanities styles set family names in small capitals ("PATCHELL
R. A."); citeproc-py's HTML output keeps them (a ``font-variant:small-caps`` span, which the
Word manuscript and the detail pane render), but its plain text dropped the variant, so a
plain list or a copied citation printed "Patchell" where the style asks for capitals.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_installed = False


def small_capitals(text: Any) -> str:
    """Plain text's small capitals: the text in capitals."""
    return str(text).upper()


def install() -> None:
    """Make citeproc-py's plain formatter print small capitals as capitals (once per
    process; later calls do nothing)."""
    global _installed
    with _lock:
        if _installed:
            return
        from citeproc.formatter import plain

        plain.SmallCaps = small_capitals
        _installed = True
