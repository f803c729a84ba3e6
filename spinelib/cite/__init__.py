"""Citations and reference lists in any CSL style: numbering in order of first citation,
collapsed ranges and superscripts (SpineLib's own), entries formatted by citeproc-py.

:class:`Citer` is what the faces and the manuscript formatter use: give it the records
being cited, ask it for in-text citations as the text cites them, then for the
bibliography in the style's order.
"""

from spinelib.cite.citer import (
    Citer,
    bibliography_fragment,
    format_bibliography,
    format_reference,
    format_references,
)
from spinelib.cite.engine import StyleEngine, StyleError
from spinelib.cite.layout import CitationLayout
from spinelib.cite.numbering import Numbering, collapse, format_numeric, number_text

__all__ = ["CitationLayout", "Citer", "Numbering", "StyleEngine", "StyleError",
           "bibliography_fragment", "collapse",
           "format_bibliography", "format_numeric", "format_reference", "format_references",
           "number_text"]
