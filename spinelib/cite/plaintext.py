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

from typing import Any


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
    that set no variant of their own (a ``<substitute>``'s own children; a ``<name>`` that
    sets a part normal, onto its other parts): the module docstring."""
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
        if name == "name" and _sets_normal_inside(child):
            _parts_small_caps(child)  # a name part set normal: the other parts stay small
        elif name == "substitute" or _sets_normal_inside(child):
            child.set("font-variant", "small-caps")
            _push_down(child)
        else:
            child.set("font-variant", "small-caps")


def _parts_small_caps(name: Any) -> None:
    """Small capitals on a ``<name>``'s family and given parts that set no variant, a part
    the style does not write added for it."""
    for part in ("family", "given"):
        element = next((c for c in name.iterchildren() if isinstance(c.tag, str)
                        and c.tag.endswith("name-part") and c.get("name") == part), None)
        if element is None:
            element = name.makeelement(name.tag.replace("}name", "}name-part"),
                                       {"name": part})
            name.append(element)
        if _variant(element) is None:
            element.set("font-variant", "small-caps")


def install() -> None:
    """Make citeproc-py's plain formatter print small capitals as capitals (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc.formatter import plain

    plain.SmallCaps = small_capitals
