"""How a style lays out its citations and its list's numbers, read once from the style file
when :class:`spinelib.cite.engine.StyleEngine` loads it: whether its citations are numbers,
their punctuation and superscript, each number's own affixes (IEEE's "[1], [2]"), where a
list sets its number apart (``display="left-margin"``), and whether a numbered list is
sorted by something other than the order of first citation.

A numbered list sorted by author (Clinical Orthopaedics and Related Research, the NLM's
"citation-name" style, AMA's alphabetical variants) numbers its entries in that order, so
the citations must carry the same numbers: :class:`spinelib.cite.citer.Citer` numbers such
a document by the list's order, where journals that list references as first cited number
them by first citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spinelib.styles.catalogue import CSL_NS

#: The affixes IEEE's family puts round each number ("[1], [2]").
IEEE_BRACKETS = ("[", "]")


@dataclass(frozen=True)
class CitationLayout:
    """How the style prints an in-text citation: numeric or not, and its punctuation.

    ``superscript`` is the layout's ``vertical-align="sup"``; ``delimiter`` goes between
    numbers or ranges ("," in Spine, ", " in Springer's).
    """

    numeric: bool
    prefix: str = ""
    suffix: str = ""
    delimiter: str = ","
    superscript: bool = False
    #: Around each number, where the style brackets every number apart (IEEE's "[1], [2]").
    item_prefix: str = ""
    item_suffix: str = ""
    #: A numbered list the style sorts by something else than first citation (CORR's, by
    #: author): the citations take the list's numbers.
    list_sorted: bool = False
    #: Runs of numbers collapsed into ranges ("2–4"): ``collapse="citation-number"``, which
    #: 52 numeric styles do not set (the American Journal of Cancer Research's "[2,3,4]"),
    #: and IEEE's "[1]–[3]" (its manual's; CSL cannot say it: :data:`IEEE_BRACKETS`).
    collapses: bool = True


def citation_layout(style: Any) -> CitationLayout:
    """How ``style`` prints an in-text citation (numeric or not, its punctuation), and
    whether its numbered list is sorted by something else than first citation."""
    root = style.root
    citation = root.find(f"{{{CSL_NS}}}citation")
    if citation is None:
        return CitationLayout(numeric=False)
    layout = citation.find(f"{{{CSL_NS}}}layout")
    numbered = any(el.get("variable") == "citation-number"
                   for el in citation.iter(f"{{{CSL_NS}}}text"))
    if layout is None:
        return CitationLayout(numeric=numbered, list_sorted=numbered and _sorted_list(root))
    item_prefix, item_suffix = _number_affixes(layout) if numbered else ("", "")
    return CitationLayout(numeric=numbered, prefix=layout.get("prefix", ""),
                          suffix=layout.get("suffix", ""),
                          delimiter=layout.get("delimiter", ","),
                          superscript=layout.get("vertical-align") == "sup",
                          item_prefix=item_prefix, item_suffix=item_suffix,
                          list_sorted=numbered and _sorted_list(root),
                          # IEEE's family brackets each number, and its manual writes a run
                          # "[1]–[3]", which CSL's collapse cannot say: collapsed all the same.
                          # Only brackets: a style that sets each number in parentheses and
                          # asks no collapse (the Revista da Sociedade Brasileira de
                          # Medicina Tropical's "⁽²⁾ ⁽³⁾ ⁽⁴⁾") lists every number, as pandoc.
                          collapses=citation.get("collapse") == "citation-number"
                          or (item_prefix, item_suffix) == IEEE_BRACKETS)


def _sorted_list(root: Any) -> bool:
    """Whether the style's bibliography sorts by something else than the citation number
    (an ascending citation-number key, or none, keeps the order of first citation)."""
    sort = root.find(f"{{{CSL_NS}}}bibliography/{{{CSL_NS}}}sort")
    keys = [] if sort is None else sort.findall(f"{{{CSL_NS}}}key")
    return bool(keys) and not (keys[0].get("variable") == "citation-number"
                               and keys[0].get("sort", "ascending") == "ascending")


def _number_chain(container: Any) -> list[Any]:
    """The first citation-number ``<text>`` in ``container`` (itself, possibly) and the
    elements round it up to, not including, ``container``, innermost first; [] if none."""
    for text in container.iter(f"{{{CSL_NS}}}text"):
        if text.get("variable") == "citation-number":
            chain = [text]
            while chain[-1] is not container and chain[-1].getparent() is not None \
                    and chain[-1].getparent() is not container:
                chain.append(chain[-1].getparent())
            return chain
    return []


def _number_affixes(layout: Any) -> tuple[str, str]:
    """The affixes a numeric layout puts around each number: those of the citation-number
    text and of the groups between it and the layout (IEEE wraps
    ``<group prefix="[" suffix="]">`` round each number and its locator)."""
    chain = _number_chain(layout)
    if not chain:
        return "", ""
    prefix, suffix = chain[0].get("prefix", ""), chain[0].get("suffix", "")
    for group in chain[1:]:
        if group.tag == f"{{{CSL_NS}}}group":
            prefix = group.get("prefix", "") + prefix
            suffix = suffix + group.get("suffix", "")
    return prefix, suffix


def left_margin(style: Any) -> tuple[str, str] | None:
    """(prefix, suffix) around the number when the bibliography sets it apart: a
    ``display="left-margin"`` block, or the first field under ``second-field-align``."""
    bibliography = style.root.find(f"{{{CSL_NS}}}bibliography")
    if bibliography is None:
        return None
    margin = next((el for el in bibliography.iter() if el.get("display") == "left-margin"),
                  None)
    layout = bibliography.find(f"{{{CSL_NS}}}layout")
    if margin is None and bibliography.get("second-field-align") and layout is not None \
            and len(layout):
        margin = layout[0]
    if margin is None:
        return None
    chain = _number_chain(margin)
    if not chain:
        return None
    number = chain[0]
    if number is margin:
        return number.get("prefix", ""), number.get("suffix", "")
    return (margin.get("prefix", "") + number.get("prefix", ""),
            number.get("suffix", "") + margin.get("suffix", ""))


def number_raised(style: Any) -> bool:
    """Whether the reference list sets each entry's number in superscript
    (``vertical-align="sup"`` on its citation-number or a group round it: the International
    Journal of Sports Medicine, Pediatric Anesthesia and five others)."""
    bibliography = style.root.find(f"{{{CSL_NS}}}bibliography")
    return bibliography is not None and any(
        element.get("vertical-align") == "sup" for element in _number_chain(bibliography))
