"""BibTeX and BibLaTeX, both ways, through bibtexparser 2.x and pylatexenc.

Two writers, one reader, in modules by job:

* :mod:`~spinelib.formats.bibtex.encode`: Unicode to LaTeX (escaping, case protection,
  names and keywords as BibTeX reads them).
* :mod:`~spinelib.formats.bibtex.write`: entries, :func:`write_bibtex` (pure ASCII for
  classic BibTeX), :func:`write_biblatex` (UTF-8 for biber).
* :mod:`~spinelib.formats.bibtex.problems`: :func:`export_problems`, what a consumer would
  choke on, said before writing.
* :mod:`~spinelib.formats.bibtex.decode`: LaTeX to Unicode.
* :mod:`~spinelib.formats.bibtex.read`: :func:`read_bibtex` for either dialect, names.

This package exports the names the registry, the faces and the tests use.
"""

from spinelib.formats.bibtex.names import split_names
from spinelib.formats.bibtex.problems import (
    bibtex_exact_characters,
    export_problems,
    unencodable_characters,
)
from spinelib.formats.bibtex.read import read_bibtex
from spinelib.formats.bibtex.write import entry_type, write_biblatex, write_bibtex

__all__ = [
    "bibtex_exact_characters",
    "entry_type",
    "export_problems",
    "read_bibtex",
    "split_names",
    "unencodable_characters",
    "write_biblatex",
    "write_bibtex",
]
