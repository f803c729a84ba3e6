"""citeproc-py's sort keys made as CSL makes them, so a reference list sorts as pandoc's
and Zotero's do (``tests/manuscript/test_golden_pandoc.py`` and
``tests/manuscript/test_author_substitute.py`` hold them to pandoc).

* **Particles demoted in sorting only** (:func:`_sort_key_names`): a style's
  ``demote-non-dropping-particle="sort-only"`` (Cite Them Right, ASA) sorts "van den
  Brande" by "Brande" while it prints "van den Brande"; citeproc-py sorted by the printed
  name.
* **No "and" in a sort key** (:func:`_sort_key_names`): the names are compared one by one,
  without the "and" or "&" before the last; with the "&", APA sorted "Wang, J., & Xu, B."
  before "Wang, J., Chen, L., & Zhao, M.".
* **A macro's names as a sort key** (:func:`_text_process`): a sort key's ``<text macro>``
  renders its names as a sort key too; citeproc-py dropped the sort options there, so APA's
  "author-sort", which calls "author", sorted on "Wang, J., & Xu".
* **No "et al." in a sort key** (:func:`_et_al`): names cut short by et-al leave the term
  out (CSL 1.0.2, "Sorting"), so MLA sorts "Laufer, Ilya, et al." under "Laufer, Ilya" by
  title, where citeproc-py sorted "et al." as a word, between "Laufer, Ilya, and Mark H.
  Bilsky" and "Laufer, Ilya, and Charles G. Fisher".
* **No opening quotation mark** (:func:`_unquoted_keys`): a work without authors is
  listed by its title, which Chicago, MLA and MHRA print in quotation marks; citeproc-py
  sorted the mark, after every letter, so “Direct Decompressive…” came last instead of
  under D (pandoc compares the words, not the marks).
"""

from __future__ import annotations

import threading
from typing import Any

#: Per thread, whether a name list is being rendered as a sort key.
_sorting = threading.local()


def _sort_key_names(get_option: Any) -> Any:
    """citeproc-py's ``Name.get_option`` for a name list rendered as a sort key
    (``sort_options`` given): "sort-only" demotes the particle, as "display-and-sort"
    does, and no "and" or "&" joins the last name (CSL compares the names one by one: with
    the "&", APA sorted "Wang, J., & Xu, B." before "Wang, J., Chen, L., & Zhao, M.")."""

    def wrapped(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = get_option(self, name, context, sort_options)
        if sort_options is None:
            return value
        if name == "demote-non-dropping-particle" and value == "sort-only":
            return "display-and-sort"
        return None if name == "and" else value

    return wrapped


def _sort_key_process(process: Any) -> Any:
    """citeproc-py's ``Name.process``, noting while it renders a sort key (for
    :func:`_et_al`)."""

    def wrapped(self: Any, item: Any, variable: str, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        if sort_options is None:
            return process(self, item, variable, context=context, **kwargs)
        _sorting.active = True
        try:
            return process(self, item, variable, context=context, sort_options=sort_options,
                           **kwargs)
        finally:
            _sorting.active = False

    return wrapped


def _et_al(et_al: Any) -> Any:
    """citeproc-py's ``Name.et_al``: no term in a sort key (:func:`_sort_key_process`)."""

    def wrapped(self: Any) -> Any:
        return "" if getattr(_sorting, "active", False) else et_al(self)

    return wrapped


def _text_process(process: Any) -> Any:
    """citeproc-py's ``Text.process``, handing a sort key's options on to a macro it calls
    (citeproc-py renders the macro as display text there)."""

    def wrapped(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        sort_options = kwargs.get("sort_options")
        if sort_options is None or "macro" not in self.attrib:
            return process(self, item, context=context, **kwargs)
        from citeproc.source import VariableError

        try:
            language = item.reference.language[:2]
        except VariableError:
            language = self.get_root().get("default-locale", "en")[:2]
        macro = self.get_macro(self.get("macro"))
        return macro.render(item, context if context is not None else self,
                            sort_options=sort_options), language

    return wrapped


#: Quotation marks a sort key may open with (the locales' outer and inner quotes).
OPENING_QUOTES = "\"'“”‘’«»„‚‹›「『"


def _unquoted_keys(sort_keys: Any) -> Any:
    """citeproc-py's ``Key.sort_keys``, each text key without its opening quotation marks."""

    from citeproc.string import MixedString

    def wrapped(self: Any, items: Any, context: Any) -> Any:
        # A rendered key is citeproc-py's MixedString (its parts, the quotation mark one of
        # them), compared as its text: the text without the marks is compared instead.
        return [str(key).lstrip(OPENING_QUOTES) if isinstance(key, (str, MixedString))
                else key for key in sort_keys(self, items, context)]

    return wrapped


def install() -> None:
    """Make citeproc-py's sort keys as CSL makes them (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Name.get_option = _sort_key_names(model.Name.get_option)
    model.Text.process = _text_process(model.Text.process)
    model.Name.process = _sort_key_process(model.Name.process)
    model.Name.et_al = _et_al(model.Name.et_al)
    model.Key.sort_keys = _unquoted_keys(model.Key.sort_keys)
