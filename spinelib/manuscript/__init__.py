"""From library to manuscript: a Word file formatted in a journal's style, and a ``.bib`` of
what a LaTeX or Markdown paper cites (issue 16).

Built on :mod:`spinelib.cite` (numbering, styles) and the Library (finding what is cited,
the "Cited in …" reading list); Word files go through python-docx in :mod:`.wordfile`.
"""

from spinelib.manuscript.bibfile import BibReport, CitedKeys, cited_keys, write_cited_bib
from spinelib.manuscript.docx_format import ManuscriptReport, cited_list_name, format_manuscript

__all__ = ["BibReport", "CitedKeys", "ManuscriptReport", "cited_keys", "cited_list_name",
           "format_manuscript", "write_cited_bib"]
