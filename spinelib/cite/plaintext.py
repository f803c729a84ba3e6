"""Small capitals in plain text: printed as capitals, as pandoc prints them.

French, German and many humanities styles set family names in small capitals ("PATCHELL
R. A."); citeproc-py's HTML output keeps them (a ``font-variant:small-caps`` span, which the
Word manuscript and the detail pane render), but its plain text dropped the variant, so a
plain list or a copied citation printed "Patchell" where the style asks for capitals.

A style may set small capitals on an element and take them back inside it (Biostatistics:
``<names font-variant="small-caps"><name font-variant="normal"/>…``: the label in small
capitals, the names not); citeproc-py formats the outer element's whole output, the names
too. :func:`normal_inside_small_caps` moves such an element's small capitals down to the
children that do not set their own, once, when the style is loaded.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_installed = False


def small_capitals(text: Any) -> str:
    """Plain text's small capitals: the text in capitals."""
    return str(text).upper()


def _variant(element: Any) -> str | None:
    value = element.get("font-variant")
    return None if value is None else str(value)


def _sets_normal_inside(element: Any) -> bool:
    return any(_variant(d) == "normal" for d in element.iterdescendants())


def normal_inside_small_caps(style: Any) -> None:
    """Move small capitals off each element that takes them back inside, onto its children
    that set no variant of their own (a ``<substitute>``'s own children, a ``<name>`` left
    as the style set it): the module docstring."""
    root = style.root
    for element in list(root.iter()):
        if _variant(element) == "small-caps" and _sets_normal_inside(element):
            _push_down(element)


def _push_down(element: Any) -> None:
    del element.attrib["font-variant"]
    for child in element.iterchildren():
        if not isinstance(child.tag, str) or _variant(child) is not None:
            continue
        name = child.tag.rsplit("}", 1)[-1]
        if name == "name":
            continue  # a <names>'s <name> inherits nothing from it in citeproc-py
        if name == "substitute" or _sets_normal_inside(child):
            child.set("font-variant", "small-caps")
            _push_down(child)
        else:
            child.set("font-variant", "small-caps")


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
