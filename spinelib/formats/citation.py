"""The Vancouver and AMA reference lists of the export registry, made by their CSL styles.

SpineLib once wrote these two lists with its own rules, and they drifted from the journals'
CSL styles (AMA agreed on 17 of 20 golden references). Issue 16 asks for one source of truth,
so every citation text (``export --format vancouver|ama``, Copy citation, ``show``, the
detail pane, manuscripts, ``--style`` bibliographies) now comes from :mod:`spinelib.cite`:
"vancouver" is the NLM citation-sequence style (ICMJE's own style is a dependent of it) and
"ama" the AMA Manual of Style, 11th edition (``spinelib.styles.catalogue.ALIASES``); the
golden tests hold both, entry by entry, to pandoc's rendering.

``export --format vancouver`` therefore prints exactly ``export --format bibliography --style
vancouver``; the ``-html`` forms are the same list as an HTML document (escaped by citeproc-py,
italics where the style asks).
"""

from __future__ import annotations

from collections.abc import Sequence

from spinelib.records import ArticleRecord

#: Style names accepted by :func:`format_citation` and :func:`format_bibliography`.
STYLES = ("vancouver", "ama")


def _checked(style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; expected one of {', '.join(STYLES)}")
    return style


def format_citation(record: ArticleRecord, style: str, *, html: bool = False) -> str:
    """One reference without a number, in "vancouver" or "ama" (HTML escaped)."""
    from spinelib.cite import format_reference

    return format_reference(record, _checked(style), html=html)


def format_bibliography(records: Sequence[ArticleRecord], style: str, html: bool = False) -> str:
    """A numbered reference list: "1. ..." lines, or an HTML document ('' for no records)."""
    from spinelib.cite import format_bibliography as csl_bibliography

    _checked(style)
    return csl_bibliography(records, style, html=html) if records else ""


def write_vancouver(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Numbered Vancouver list as text (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "vancouver")


def write_ama(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Numbered AMA list as text (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "ama")


def write_vancouver_html(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Vancouver list as an HTML document (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "vancouver", html=True)


def write_ama_html(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """AMA list as an HTML document (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "ama", html=True)


def reference_list_problems(records: Sequence[ArticleRecord]) -> list[str]:
    """Records a reference list cannot cite usefully: those without a title.

    (Without a title, or without any author or year, a line is of no use to a reader; a
    title is what this check insists on.) Each message starts with the record's citekey.
    """
    return [f"{r.citekey or r.label()}: missing title" for r in records if not r.title.strip()]
