"""A ``<group>`` (and a macro) left out by the variables its rendering actually called, as
CSL says and pandoc does: citeproc-py asked each child whether it *could* call a variable.

CSL 1.0.2 ("Group"): a group is suppressed when at least one rendering element in it calls a
variable, directly or through a macro, and every variable called is empty; and "when a
``cs:group`` contains a child ``cs:macro``, if the ``cs:macro`` is non-empty, it is treated
as a non-empty variable". citeproc-py decided this from the style alone: a ``<text
macro>`` counted as calling a variable when *any* branch of any ``<choose>`` inside the
macro names one, taken or not. So China's national standard (GB/T 7714-2015, and the
styles built on it) left out an article's type code "[J]" after the title whenever the
article had no DOI or URL: the group holding "J" and the carrier code ("OL", printed for a
DOI) took the carrier macro's untaken ``<text variable="medium"/>`` for a variable called
and left empty.

Here, as pandoc's citeproc counts them: every variable a leaf asks for (a ``<text
variable>``, ``<number>``, ``<date>``, ``<names>``) is counted as called, and as non-empty
when it prints; a group compares the counts before and after its children, and is left
out when they called variables and printed none. A macro is a group of its own (pandoc's
reading of the rule above): one whose variables are all empty prints nothing, not even its
fixed words ("In: " before an absent book title), and one that is not counts as one
non-empty variable for the group around it.
"""

from __future__ import annotations

import threading
from typing import Any

#: Per thread, [variables called, variables printed] since the thread started formatting.
_counts = threading.local()


def _tally() -> list[int]:
    tally: list[int] = _counts.__dict__.setdefault("tally", [0, 0])
    return tally


def _called(printed: Any) -> None:
    tally = _tally()
    tally[0] += 1
    if printed:
        tally[1] += 1


def _all_empty_since(called: int, printed: int) -> bool:
    """Whether variables were called since the tally stood at (``called``, ``printed``),
    and none of them printed: CSL's condition for leaving a group out."""
    tally = _tally()
    return tally[0] != called and tally[1] == printed


def _leaf(process: Any, calls: Any, printed: Any = bool) -> Any:
    """A leaf's ``process``, counting the variable it calls (when ``calls(self)``) and
    whether it printed (``printed(result)``)."""
    from citeproc.model import VariableError

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not calls(self):
            return process(self, *args, **kwargs)
        try:
            result = process(self, *args, **kwargs)
        except VariableError:
            _called(False)
            raise
        _called(printed(result))
        return result

    return wrapped


def _text_calls(text: Any) -> bool:
    # "year-suffix" is the processor's own, not the item's (citeproc-py: generated).
    return "variable" in text.attrib and text.get("variable") not in text.generated_variables


def _text_process(process: Any) -> Any:
    """citeproc-py's ``Text.process``: a variable counted (:func:`_leaf`), a macro rendered
    as a group (the module docstring)."""
    counted = _leaf(process, _text_calls, lambda result: bool(result[0]))

    def wrapped(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if "macro" not in self.attrib:
            return counted(self, item, context=context, **kwargs)
        called, printed = _tally()
        text, language = process(self, item, context=context, **kwargs)
        if _all_empty_since(called, printed):
            return None, language
        _called(True)
        return text, language

    return wrapped


def _group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's ``Group.process``, left out by the variables its children called."""
    from citeproc import model

    called, printed = _tally()
    output: list[Any] = []
    delimiter = self.get("delimiter", "")
    for child in self.iterchildren():
        try:
            if isinstance(child, model.Choose):  # its branch's children take the delimiter
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except model.VariableError:
            continue
        if text is not None:
            output.append(text)
    if output and not _all_empty_since(called, printed):
        return self.join(output)
    raise model.VariableError


def install() -> None:
    """Count the variables called and decide groups by them (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Text.process = _text_process(model.Text.process)
    model.Number.process = _leaf(model.Number.process, lambda number: True)
    # A localized date renders through the locale's own <date>: counted once, as the style's.
    model.Date.process = _leaf(model.Date.process, lambda date: not date.is_locale_date())
    model.Names.process = _leaf(model.Names.process, lambda names: True)
    model.Group.process = _group_process
