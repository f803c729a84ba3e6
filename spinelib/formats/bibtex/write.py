"""Writing BibTeX and BibLaTeX entries, and what to warn about before exporting.

``write_bibtex`` ("bibtex")
    Pure ASCII for classic BibTeX with pdfLaTeX (see :mod:`spinelib.formats.bibtex.encode`
    for the spelling). Classic field names (``journal``, ``year``, ``month = mar`` as a
    macro) plus the ones JabRef and Better BibTeX use (``pmid``, ``pmcid``, ``shortjournal``,
    ``keywords``).
``write_biblatex`` ("biblatex")
    UTF-8 text (only the LaTeX specials are escaped) with biblatex's data model, chosen so
    that ``biber --validate-datamodel`` has nothing to say: ``journaltitle``, ``shortjournal``,
    ``date = {YYYY-MM-DD}``, ``eprint = {PMID}`` with ``eprinttype = {pubmed}`` (biblatex
    links it), and the PMCID in ``addendum = {PMCID: PMC123}`` (where NIH wants it printed;
    a PMCID without a PMID goes to ``eprint`` with ``eprinttype = {pmcid}``). Chapters are
    ``@incollection`` there when their book's editors are known, else ``@inbook``
    (``@incollection`` requires an editor).

Keywords: the record's tags and keywords are written comma-separated in ``keywords``. Text
fields are one line each; the paragraphs of an abstract or a note are joined with ``\\par``
(a blank line inside a field is legal but trips some tools).

:func:`export_problems` names beforehand what bibtex or biber would warn about or print
wrongly: missing basics, characters classic BibTeX cannot encode, keys made or changed.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from spinelib.formats.bibtex.article import ArticleEntries
from spinelib.formats.bibtex.emit import document, entry_text
from spinelib.formats.bibtex.fields import (
    entry_type,
    fields,
    journal_title_case,
    new_memo,
    sort_key,
)
from spinelib.formats.common import export_keys
from spinelib.records import ArticleRecord

#: The names other modules and the tests import from here.
__all__ = ["entry_type", "fields", "journal_title_case", "sort_key", "write_biblatex",
           "write_bibtex"]

#: The general writer of (name, value) pairs, under its earlier name (the tests' oracle).
_fields = fields


def _write(records: Sequence[ArticleRecord], biblatex: bool, abstracts: bool) -> str:
    # Text straight from the fields (issue 19: bibtexparser's objects and middleware cost
    # several times the encoding); the layout is bibtexparser's, byte for byte (emit.py).
    memo = new_memo(biblatex)
    articles = ArticleEntries(memo, biblatex, abstracts)
    # Each entry makes a few dozen short-lived tuples and lists and no reference cycles;
    # they trigger the cyclic collector every few hundred entries, and its full passes
    # rescan the caller's whole heap (the records, a GUI's models): in a process holding
    # a large library that was more than the export itself. Refcounting frees all of it.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return document([
            articles.entry(record, key) if kind == "article"
            else entry_text(kind, key, fields(record, biblatex, abstracts, memo))
            for record, (key, _note), kind in zip(
                records, export_keys(records),
                [entry_type(record, biblatex) for record in records])])
    finally:
        if was_enabled:
            gc.enable()


def write_bibtex(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Classic BibTeX, pure ASCII (see the module docstring); '' for no records."""
    return _write(records, biblatex=False, abstracts=abstracts)


def write_biblatex(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """BibLaTeX for biber, UTF-8 (see the module docstring); '' for no records."""
    return _write(records, biblatex=True, abstracts=abstracts)
