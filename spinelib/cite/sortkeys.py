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
* **Keys compared word by word** (:func:`collation_key`), as pandoc's citeproc and a
  Unicode collation compare them: citeproc-py compared the printed key, marks and all, so
  "Bilsky MH, Laufer I." came before "Bilsky MH." (a comma sorts before a full stop), a
  title in quotation marks (Chicago, MLA and MHRA print a work without authors by its
  title) came after every letter, and "Åkesson" after "Zhang". Now the key is its words,
  punctuation left out, accents second: one author's work comes before the same author's
  with others, “Direct Decompressive…” under D, Åkesson under A, Łukasiewicz under L.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

#: Per thread, whether a name list is being rendered as a sort key.
_sorting = threading.local()


def _sort_key_names(get_option: Any) -> Any:
    """citeproc-py's ``Name.get_option`` for a name list rendered as a sort key
    (``sort_options`` given): "sort-only" demotes the particle, as "display-and-sort"
    does, and no "and" or "&" joins the last name (CSL compares the names one by one: with
    the "&", APA sorted "Wang, J., & Xu, B." before "Wang, J., Chen, L., & Zhao, M."), and
    each name but the last ends with :data:`NAME_ENDS`, so "Jackson, A., Zhao, G." sorts before
    "Jackson, A. L." (APA's rule: nothing precedes something, name by name)."""

    def wrapped(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = get_option(self, name, context, sort_options)
        if sort_options is None:
            return value
        if name == "demote-non-dropping-particle" and value == "sort-only":
            return "display-and-sort"
        if name == "delimiter":  # where one name ends and the next begins (NAME_ENDS)
            return f"{value or ''}{NAME_ENDS}"
        return None if name == "and" else value

    return wrapped


def _sort_key_process(process: Any) -> Any:
    """citeproc-py's ``Name.process``, noting while it renders a sort key (for
    :func:`_et_al`), and ending a sort key's name list with :data:`NAMES_END`."""

    def wrapped(self: Any, item: Any, variable: str, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        if sort_options is None:
            return process(self, item, variable, context=context, **kwargs)
        _sorting.active = True
        try:
            names = process(self, item, variable, context=context, sort_options=sort_options,
                            **kwargs)
        finally:
            _sorting.active = False
        # The list's end is marked, so a name list that ends sorts before a longer one.
        from citeproc.string import MixedString

        return names + NAMES_END if isinstance(names, (str, MixedString)) and names else names

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


#: Where a name list ends in a sort key, and where one of its names ends and the next
#: begins: words of their own, the list's end before the name's and both before every other
#: word, so "Bilsky MH" (then the title) sorts before "Bilsky MH, Laufer I", and "Jackson A,
#: Zhao G" before "Jackson AL" (the manuals compare the names one by one, and nothing comes
#: before something).
NAMES_END = "\x01"
NAME_ENDS = "\x02"
_MARKS = {NAMES_END: ("", ""), NAME_ENDS: ("", NAME_ENDS)}
_MARKS_RE = re.compile(f"({NAMES_END}|{NAME_ENDS})")
#: Letters with a stroke or ligature, which have no decomposition, as the letters a
#: Unicode collation sorts them with ("Łukasiewicz" under L, "Ødegaard" under O).
_BASE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t",
                               "ı": "i", "ŀ": "l", "æ": "ae", "œ": "oe"})
#: What separates a sort key's words (pandoc's citeproc: spaces, commas and apostrophes).
_WORD_SEPARATORS = re.compile(r"[\s,'’ʾʿ]+")


def collation_key(text: str) -> tuple[tuple[str, str], ...] | None:
    """A printed sort key as CSL processors compare it: its words, case-folded, each without
    its punctuation (a Unicode collation ignores it), as (letters without accents, letters)
    so an accent only decides between otherwise equal words; None for a key with no words
    (CSL puts an empty key last). A key that is one number keeps its value's order."""
    if text.strip().isdigit():
        return ((text.strip().zfill(12), ""),)
    words: list[tuple[str, str]] = []
    for text_part in _MARKS_RE.split(text.casefold()):
        if text_part in _MARKS:
            words.append(_MARKS[text_part])
            continue
        for word in _WORD_SEPARATORS.split(text_part):
            kept = "".join(c for c in word if unicodedata.category(c)[0] in "LNM")
            if kept:
                bare = "".join(c for c in unicodedata.normalize("NFD", kept)
                               if not unicodedata.combining(c)).translate(_BASE_LETTERS)
                words.append((bare, kept))
    return tuple(words) if any(word for word, _ in words) else None


def _collated_keys(sort_keys: Any) -> Any:
    """citeproc-py's ``Key.sort_keys``, each text key (a macro's or a text or name
    variable's; not a date's or a number's, which citeproc-py orders by value) made
    :func:`collation_key`."""

    from citeproc.model import DATES, NAMES, NUMBERS
    from citeproc.string import MixedString

    def wrapped(self: Any, items: Any, context: Any) -> Any:
        keys = sort_keys(self, items, context)
        variable = self.get("variable", "").replace("-", "_")
        if variable in DATES or variable in NUMBERS or variable == "citation_number":
            return keys
        if variable in NAMES:  # "Family, Given;Family, Given": one name list
            keys = [key.replace(";", NAME_ENDS) + NAMES_END if isinstance(key, str) else key
                    for key in keys]
        # A rendered key is citeproc-py's MixedString, compared as its text.
        return [collation_key(str(key)) if isinstance(key, (str, MixedString)) else key
                for key in keys]

    return wrapped


def install() -> None:
    """Make citeproc-py's sort keys as CSL makes them (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.Name.get_option = _sort_key_names(model.Name.get_option)
    model.Text.process = _text_process(model.Text.process)
    model.Name.process = _sort_key_process(model.Name.process)
    model.Name.et_al = _et_al(model.Name.et_al)
    model.Key.sort_keys = _collated_keys(model.Key.sort_keys)
