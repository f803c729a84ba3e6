"""A repeated author in a reference list printed as the style's dash ("———"), as CSL's
``subsequent-author-substitute`` asks: citeproc-py reads the option and ignores it.

MLA (9th edition), Chicago's 17th-edition styles and some 320 others list an author's
works one under another and print the names again only when they change::

    Laufer, Ilya. "Alpha." …
    ———. "Beta." …

CSL 1.0.2 ("Reference Grouping") says how, by ``subsequent-author-substitute-rule``:

* ``complete-all`` (the default): when the names printed are those of the entry before,
  the whole list ("and" and all, not the ``<names>`` affixes or its label) is the dash;
  an "et al." that ends it stays ("———, et al.", as MLA writes it and pandoc prints it,
  where the specification would replace it too);
* ``complete-each``: on the same condition, each name is the dash;
* ``partial-each``: each name that matches the entry before's at the same place, from the
  first up to the first that does not, is the dash;
* ``partial-first``: the first name only, when it matches.

Only the first name list an entry prints is compared and replaced, and the comparison is
always with the names the entry before *printed* (never with its dash). An entry that
prints no names (a title in the author's place) breaks the run. A single reference (the
detail pane's, a copied one) has no entry before it: nothing is replaced.

The names are compared as printed for the complete rules (two works by "Laufer, Ilya, et
al." match when their printed lists do) and name by name, as the data hold them, for the
partial ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Per thread, the reference list being rendered (:class:`_Run`), None outside one.
_state = threading.local()

RULES = ("complete-all", "complete-each", "partial-each", "partial-first")
#: :meth:`_Run.names_to_replace`'s answer for "the whole list, as one dash".
WHOLE = -1

NameParts = tuple[Any, ...]


@dataclass
class _Run:
    """One reference list's substitution: the dash, the rule, and the names printed by the
    entry before and by the entry being rendered (printed text, each name's parts)."""

    dash: str
    rule: str
    previous: tuple[str, list[NameParts]] | None = None
    current: tuple[str, list[NameParts]] | None = None

    def start_entry(self) -> None:
        self.current = None

    def end_entry(self) -> None:
        # An entry without names breaks the run: the next one prints its names again.
        self.previous = self.current

    def names_to_replace(self, shown: str, names: list[NameParts]) -> int:
        """How many of the entry's first names are the dash (:data:`WHOLE`: the list)."""
        if self.previous is None:
            return 0
        shown_before, names_before = self.previous
        if self.rule == "complete-all":
            return WHOLE if shown == shown_before else 0
        if self.rule == "complete-each":
            return len(names) if shown == shown_before else 0
        matching = 0
        for mine, theirs in zip(names, names_before):
            if mine != theirs:
                break
            matching += 1
        return min(matching, 1) if self.rule == "partial-first" else matching


def _render_bibliography(render: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Layout.render_bibliography``, entry by entry under a :class:`_Run`
    when the style asks for a substitute."""

    def wrapped(self: Any, citation_items: Any) -> Any:
        bibliography = self.getparent()
        dash = bibliography.get("subsequent-author-substitute")
        if dash is None:
            return render(self, citation_items)
        rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
        run = _Run(dash, rule if rule in RULES else "complete-all")
        _state.run = run
        try:
            out: list[Any] = []
            for item in citation_items:
                run.start_entry()
                out.extend(render(self, [item]))
                run.end_entry()
            return out
        finally:
            _state.run = None

    return wrapped


def _name_process(process: Callable[..., Any]) -> Callable[..., Any]:
    """citeproc-py's ``Name.process``: the entry's first name list, with the dash where
    :meth:`_Run.names_to_replace` says."""

    def wrapped(self: Any, item: Any, variable: str, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        text = process(self, item, variable, context=context, sort_options=sort_options,
                       **kwargs)
        run: _Run | None = getattr(_state, "run", None)
        if (run is None or run.current is not None
                or sort_options is not None or not text or isinstance(text, int)):
            return text  # not a reference list's first printed names (or a count)
        key = variable if variable in item.reference else variable.replace("-", "_")
        listed = list(item.reference.get(key, []))
        names = [tuple(name.parts()) for name in listed]
        shown = str(text)
        count = run.names_to_replace(shown, names)
        run.current = (shown, names)
        if count == WHOLE:
            return self.preformat(run.dash) + _et_al_printed(self, shown, context)
        if count == 0:
            return text
        from citeproc.source import Name

        dashes = [Name(literal=run.dash) for _ in range(count)]
        item.reference[key] = dashes + listed[count:]
        try:
            return process(self, item, variable, context=context, sort_options=None, **kwargs)
        finally:
            item.reference[key] = listed

    return wrapped


def _et_al_printed(name: Any, shown: str, context: Any) -> str:
    """The "et al." that ends the printed names, with what joins it (", et al."), or ''.

    MLA's Style Center writes "---, et al." under a work by the same first author, and
    pandoc keeps it too: a dash alone would say the whole list is the same."""
    et_al = str(name.et_al() or "")
    if not et_al:
        return ""
    for joined in (str(name.get_option("delimiter", context)) + et_al, " " + et_al):
        if shown.endswith(joined) and len(shown) > len(joined):
            return joined
    return ""


def install() -> None:
    """Make citeproc-py's reference lists print the style's substitute for a repeated
    author (once, by :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Layout.render_bibliography = _render_bibliography(
        model.Layout.render_bibliography)
    model.Name.process = _name_process(model.Name.process)
