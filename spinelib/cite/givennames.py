"""A first author's given name, added to a citation to tell works apart, printed as the
style prints given names (CSL 1.0.2, "disambiguate-add-givenname"; the keys are chosen by
:mod:`spinelib.cite.disambiguation`).

citeproc-py prints a short name as its family name alone; the given name goes in front of
it ("J. G. Bruno et al., 2012") or, where the style's names are inverted, after it with the
style's sort separator ("YANG, Jonas; NGUYEN"), and it is initialised only where the name
sets ``initialize-with``: Taylor & Francis's Chicago author-date sets none and cites
"Jonas G Bruno et al." as pandoc does (SpineLib printed "J. G. Bruno"). The given name is
written into the family name's text between two marks, so a ``<name-part name="family">``
formats the family name only (ABNT's capitals: "YANG, Jonas", not "YANG, JONAS"), and the
marks are taken out of the name list printed.
"""

from __future__ import annotations

from typing import Any

#: Around the given name within the family name's text (never in a record's text).
GIVEN_START, GIVEN_END = "\x0e", "\x0f"


def given_name_first(element: Any, item: Any, variable: str,
                     context: Any) -> tuple[Any, str, str] | None:
    """Put the given name beside the first name of ``variable`` when it is printed short;
    returns (the name, the part changed, its value before) to put back, or None when
    nothing changed."""
    names = item.reference.get(variable.replace("-", "_")) or []
    first: Any = names[0] if names else None
    if (first is None or "family" not in first or not first.get("given")
            or element.get_option("form", context) != "short"):
        return None
    mark = element.get_option("initialize-with", context)
    given = (str(element.initialize(first["given"], mark, context)).strip()
             if mark is not None else str(first["given"]).strip())
    if element.get_option("name-as-sort-order", context) in ("all", "first"):
        separator = element.get_option("sort-separator", context) or ", "
        before = str(first["family"])
        first["family"] = f"{before}{GIVEN_START}{separator}{given}{GIVEN_END}"
        return first, "family", before
    # In front of the particle, if any: "J. van den Brande".
    part = "non-dropping-particle" if first.get("non-dropping-particle") else "family"
    before = str(first[part])
    first[part] = f"{GIVEN_START}{given} {GIVEN_END}{before}"
    return first, part, before


def unmarked(text: Any) -> Any:
    """A printed name list without the marks (a style without ``<name-part>`` keeps them)."""
    if text is None:
        return None
    return text.replace(GIVEN_START, "").replace(GIVEN_END, "")


def _family_part_only(format_part: Any) -> Any:
    """citeproc-py's ``Name_Part.format_part``, formatting a family name's text without the
    given name marked in it."""

    def wrapped(self: Any, given: Any, family: Any) -> Any:
        text = str(family) if family is not None else ""
        if self.get("name") != "family" or GIVEN_START not in text:
            return format_part(self, given, family)
        head, rest = text.split(GIVEN_START, 1)
        added, tail = rest.split(GIVEN_END, 1)
        given, formatted = format_part(self, given, head or tail)
        return given, (formatted + added if head else added + formatted)

    return wrapped


def install() -> None:
    """Format a family name without the given name added to it (once, by
    :func:`spinelib.cite.disambiguation.install`)."""
    from citeproc import model

    model.Name_Part.format_part = _family_part_only(model.Name_Part.format_part)
