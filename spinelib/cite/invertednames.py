"""CSL's ``after-inverted-name`` for the delimiter before "et al." and before the last name,
which citeproc-py does not know (it printed no delimiter at all).

MHRA, New Hart's Rules and some 60 other styles write ``delimiter-precedes-et-al=
"after-inverted-name"`` or ``delimiter-precedes-last="after-inverted-name"``: the comma
goes before "et al." (or before the last name's "and") only when the name before it is
printed family name first, as ``name-as-sort-order`` says. So MHRA's list has "Fisher,
Charles G., and others" (the first name inverted) where citeproc-py printed "Fisher,
Charles G. and others", and its citations "Fisher and others" (short names are never
inverted). CSL 1.0.2, "Name", holds the rule; pandoc prints the same.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

#: Per thread, the name list being rendered: (its ``<name>``, the item, the variable).
_current = threading.local()

OPTIONS = ("delimiter-precedes-et-al", "delimiter-precedes-last")
AFTER_INVERTED = "after-inverted-name"


def _resolved(option: str, context: Any, sort_options: Any) -> str:
    """"always" when the name before the et-al term or the last name is printed inverted,
    "never" otherwise."""
    call = getattr(_current, "call", None)
    if call is None:
        return "never"
    element, item, variable = call

    def get(name: str) -> Any:
        return element.get_option(name, context, sort_options)

    if get("form") != "long":
        return "never"  # a short name is a family name alone: never inverted
    names = item.reference.get(variable, [])
    shown = len(names)
    et_al_min, use_first = get("et-al-min"), get("et-al-use-first")
    if shown > 1 and et_al_min and shown >= et_al_min:
        shown = min(shown, use_first)
    # The name before "et al." is the last one shown; before the last, the one before it.
    before = shown - 1 if option == "delimiter-precedes-et-al" else shown - 2
    order = get("name-as-sort-order")
    inverted = order == "all" or (order == "first" and before == 0)
    return "always" if inverted else "never"


def _get_option(get_option: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Name.get_option``, with ``after-inverted-name`` answered for the name
    list being rendered (:func:`_resolved`)."""

    def wrapped(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = get_option(self, name, context, sort_options)
        if value == AFTER_INVERTED and name in OPTIONS:
            return _resolved(name, context, sort_options)
        return value

    return wrapped


def _name_process(process: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Name.process``, noting which list it renders (for
    :func:`_resolved`)."""

    def wrapped(self: Any, item: Any, variable: str, *args: Any, **kwargs: Any) -> Any:
        before = getattr(_current, "call", None)
        _current.call = (self, item, variable)
        try:
            return process(self, item, variable, *args, **kwargs)
        finally:
            _current.call = before

    return wrapped


def install() -> None:
    """Make citeproc-py's name lists honour ``after-inverted-name`` (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Name.get_option = _get_option(model.Name.get_option)
    model.Name.process = _name_process(model.Name.process)
