"""Numbered citations as journals print them: numbers in order of first citation, runs of
three or more collapsed into ranges ("1–3,5"), superscripts where the style says so.

citeproc-py renders each citation on its own and does not collapse; SpineLib keeps the
numbering for a whole document here, so a manuscript, ``spinelib cite`` and the GUI's Copy
citation agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spinelib.cite.layout import CitationLayout

_SUPERSCRIPT = str.maketrans("0123456789–-()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁽⁾")
#: The range dash CSL processors print between the ends of a collapsed run.
RANGE_DASH = "–"


@dataclass
class Numbering:
    """Citation numbers for one document: a key's number is fixed at its first citation."""

    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, keys: Iterable[str]) -> list[int]:
        """The numbers of ``keys`` (new keys numbered next), sorted and without repeats."""
        for key in keys:
            if key not in self.numbers:
                self.numbers[key] = len(self.numbers) + 1
        return sorted({self.numbers[k] for k in keys})

    def order(self) -> list[str]:
        """The keys in order of first citation (the bibliography's order)."""
        return sorted(self.numbers, key=self.numbers.__getitem__)


def collapse(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers as (first, last); runs of two stay two items, as the
    CSL specification's ``collapse="citation-number"`` prints them ("1,2" but "1–3")."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    split: list[tuple[int, int]] = []
    for first, last in out:
        if last == first + 1:
            split += [(first, first), (last, last)]
        else:
            split.append((first, last))
    return split


def number_text(numbers: Sequence[int], delimiter: str = ",", item_prefix: str = "",
                item_suffix: str = "", *, collapsing: bool = True) -> str:
    """"1–3,5" for [1, 2, 3, 5] with the style's delimiter ("1,2,3,5" for a style that does
    not collapse); each number in its own affixes where the style gives them ("[1]–[3],
    [5]" in IEEE's)."""
    def one(n: int) -> str:
        return f"{item_prefix}{n}{item_suffix}"

    runs = collapse(numbers) if collapsing else [(n, n) for n in sorted(set(numbers))]
    return delimiter.join(one(a) if a == b else f"{one(a)}{RANGE_DASH}{one(b)}"
                          for a, b in runs)


def numeric_text(numbers: Sequence[int], layout: CitationLayout) -> str:
    """The in-text citation of ``numbers`` with the style's punctuation, digits as they are
    (a superscript style's are raised by the caller)."""
    return (layout.prefix + number_text(numbers, layout.delimiter, layout.item_prefix,
                                        layout.item_suffix, collapsing=layout.collapses)
            + layout.suffix)


def format_numeric(numbers: Sequence[int], layout: CitationLayout, *, html: bool = False) -> str:
    """The in-text citation of ``numbers`` as the style prints it.

    Plain text writes a superscript style's digits, dashes and parentheses as Unicode
    superscripts ("⁽¹⁾", as pandoc writes them; Unicode has no superscript comma or
    bracket, so those stay as they are); HTML wraps the citation in ``<sup>``.
    """
    body = numeric_text(numbers, layout)
    if not layout.superscript:
        return body
    return f"<sup>{body}</sup>" if html else superscript(body)


def superscript(text: str) -> str:
    """Plain text's superscript: digits, dashes and parentheses raised as Unicode writes
    them (pandoc's plain text does the same); other characters as they are."""
    return text.translate(_SUPERSCRIPT)
