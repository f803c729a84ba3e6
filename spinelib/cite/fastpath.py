"""citeproc-py's expensive paths, remembered: its style-tree searches and a few other fixed answers.

Profiling a 1,000-entry reference list in the Spine style (cProfile, issue 16) showed about
half of citeproc-py's time in ``CitationStylesElement.xpath_search``: some 40,000 XPath
evaluations (the enclosing ``<bibliography>`` of a name, a macro by name, a locale term), each
compiling and running its expression on the style tree again for every entry, although the
answer never changes for one element and one expression (a style tree is not rebuilt while
it formats; citeproc-py only copies attributes onto date parts, which no search selects on).
Two smaller fixed answers are remembered beside it: an element's root (``get_root``, asked
some 200,000 times per 1,000 entries, each building a new tree object to ask it) and a
locale's ``<style-options>`` element (``Locale.get_option`` searched for it 9,000 times);
together about a tenth of the list's time. And a cited item's ``reference`` (asked 42 times
per entry) is read from the item's own values directly, not through three layers of
attribute look-ups that each raise and catch on the way.

:func:`install` wraps that method once per process with a memo keyed by (element,
expression): the same elements come back, so citeproc-py renders exactly what it renders
without the memo (``tests/manuscript/test_cite_speed.py`` compares both, entry by entry, in
several styles). The memo holds its elements alive, which is what keeps lxml handing out the
same proxy objects (and so the same keys) for them; styles are loaded once per process
(:mod:`spinelib.cite.engine` keeps them), so it stays small, and it is emptied whole if it
ever grows past :data:`MEMO_LIMIT`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: Entries the memo may hold before it is emptied (a style needs a few hundred at most).
MEMO_LIMIT = 200_000

_memo: dict[tuple[Any, str], Any] = {}
_enabled = True


def install() -> None:
    """Wrap citeproc-py's ``xpath_search`` with the memo (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    original: Callable[[Any, str], Any] = model.CitationStylesElement.xpath_search

    def xpath_search(self: Any, expression: str) -> Any:
        if not _enabled:
            return original(self, expression)
        key = (self, expression)
        found = _memo.get(key)
        if found is None:
            found = original(self, expression)
            if len(_memo) >= MEMO_LIMIT:
                _memo.clear()
            _memo[key] = found
        # a fresh list each time: callers index it, and none may change the memo's copy
        return list(found)

    xpath_search.__doc__ = original.__doc__
    model.CitationStylesElement.xpath_search = xpath_search
    _remember_roots(model)
    _remember_locale_options(model)
    _direct_references()


def _remember(key: tuple[Any, str], find: Callable[[], Any]) -> Any:
    """The memo's answer for ``key``, found by ``find`` the first time."""
    found = _memo.get(key, _memo)  # the memo itself stands for "not there yet"
    if found is _memo:
        found = find()
        if len(_memo) >= MEMO_LIMIT:
            _memo.clear()
        _memo[key] = found
    return found


def _remember_roots(model: Any) -> None:
    """``get_root``: an element's root never changes while a tree formats."""
    original: Callable[[Any], Any] = model.CitationStylesElement.get_root

    def get_root(self: Any) -> Any:
        if not _enabled:
            return original(self)
        return _remember((self, "<root>"), lambda: original(self))

    get_root.__doc__ = original.__doc__
    model.CitationStylesElement.get_root = get_root


def _remember_locale_options(model: Any) -> None:
    """``Locale.get_option``: the ``<style-options>`` element is found once per locale; its
    attributes are still read each time, as citeproc-py reads them."""
    original: Callable[[Any, str], Any] = model.Locale.get_option

    def get_option(self: Any, name: str) -> Any:
        if not _enabled:
            return original(self, name)
        options = _remember((self, "<style-options>"),
                            lambda: self.find("cs:style-options", self.nsmap))
        if options is None:
            raise IndexError
        return options.get(name, self._default_options[name])

    get_option.__doc__ = original.__doc__
    model.Locale.get_option = get_option


def memo_size() -> int:
    """How many (element, expression) answers are remembered (for tests and benchmarks)."""
    return len(_memo)


@contextmanager
def disabled() -> Iterator[None]:
    """citeproc-py exactly as published inside the block (the reference the tests compare
    against); the memo is neither read nor filled meanwhile. Not for concurrent use."""
    global _enabled
    previous, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = previous


def _direct_references() -> None:
    """``CitationItem.reference``: ``item.citation.bibliography.source[item.key]``, each
    step a plain dictionary read (CustomDict keeps its attributes as its items); anything
    unusual (a value missing) goes the published way, to the same answer or error."""
    from citeproc.source import CitationItem

    published: property = CitationItem.reference
    fget: Callable[[Any], Any] = published.fget  # type: ignore[assignment]
    get = dict.get

    def reference(self: Any) -> Any:
        if _enabled:
            citation = get(self, "citation")
            bibliography = None if citation is None else get(citation, "bibliography")
            key = get(self, "key")
            if bibliography is not None and key is not None:
                return bibliography.source[key]
        return fget(self)

    CitationItem.reference = property(reference, doc=published.__doc__)
