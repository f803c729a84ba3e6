"""A reference list as a Word document: export's ``--format bibliography -o FILE.docx`` and the
export dialog's Reference list saved as Word.

Surgeons paste reference lists into manuscripts and slides; a plain text file loses the
style's italics and bold, and Word refuses a text file named ``.docx``. The entries are
the same as the text export's (:func:`spinelib.cite.citer.bibliography_entries`), written
with the formatting the manuscript formatter uses (:mod:`spinelib.manuscript.wordfile`).

Promises: an unknown style fails before anything is written; the file is written
atomically (never half a document); records are listed as the style orders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spinelib.cite import StyleEngine
from spinelib.cite.citer import bibliography_entries
from spinelib.manuscript.docx_format import place_bibliography, save_document
from spinelib.records import ArticleRecord

#: The suffix of the Word documents SpineLib writes.
WORD_SUFFIX = ".docx"
#: Word-processor and page documents: an export named so is a mistake (text in a file Word
#: then calls corrupt) unless it is a reference list written as Word.
DOCUMENT_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".pages", ".pdf")


def misnamed_export(path: Path | str, written_as: str | None, *,
                    keep_updated: bool = False) -> str:
    """Why an export may not be written to ``path`` under that name ('' when it may).

    ``written_as`` is the export's file suffix (".bib", ".xlsx"), or None for a reference
    list, which may be a Word document (but not one kept up to date: kept exports are
    re-rendered as text)."""
    suffix = Path(path).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        return ""
    name = Path(path).name
    if written_as is None:
        if not is_word_document(path):
            return (f"{name}: a reference list is written as a Word .docx document or as "
                    "text; name the file .docx (or .txt, .html)")
        if keep_updated:
            return (f"{name}: only text exports (.txt, .html) are kept up to date; a Word "
                    "reference list is written once, so export it again after changes")
        return ""
    return (f"{name}: this export is a {written_as} file, not a word-processor document; name "
            f"it {written_as} (for a formatted reference list in Word, export a reference "
            "list to a .docx file)")


def is_word_document(path: Path | str) -> bool:
    """True when ``path`` names a Word document (.docx, any case)."""
    return Path(path).suffix.lower() == WORD_SUFFIX


def write_reference_list(records: Sequence[ArticleRecord], style_id: str, output: Path) -> int:
    """Write ``records`` as a reference list in ``style_id`` to the Word file ``output``:
    a "References" heading, then one paragraph an entry. Returns the number of entries.

    Raises :class:`~spinelib.cite.StyleError` (an unknown style) or SpineLibError (the file
    cannot be written)."""
    import docx

    engine = StyleEngine.for_id(style_id)  # an unknown style fails before any work
    entries = bibliography_entries(engine, records, html=True)
    document = docx.Document()
    place_bibliography(document, None, entries)
    save_document(document, Path(output))
    return len(entries)
