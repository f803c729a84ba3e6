"""Formatted references: Vancouver (ICMJE/NLM) and AMA (11th edition), text or HTML.

Vancouver, as PubMed's NLM citations and the ICMJE samples write it::

    Patchell RA, Tibbs PA, Regine WF, Payne R, Saris S, Kryscio RJ, et al. Direct
    decompressive surgical resection ... a randomised trial. Lancet. 2005 Aug
    20;366(9486):643-8. doi: 10.1016/S0140-6736(05)66954-1.

Up to six authors are listed, more become the first six and "et al."; the date is year,
month and day as far as known; page ranges are shortened the NLM way (643-648 -> 643-8).

AMA 11th edition::

    Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection ...
    a randomised trial. *Lancet*. 2005;366(9486):643-648. doi:10.1016/S0140-6736(05)66954-1

Up to six authors are listed, more become the first three and "et al"; the journal (and a
book's title) is italic; pages are written in full; the DOI ends the reference without a
period.

HTML output escapes every piece of record text; only ``<i>`` (AMA italics) and the list
markup are ours. Books: "Authors. Title. Publisher; Year." Chapters add "In: Book title."
A conference paper is cited as a chapter of its proceedings ("In: Proceedings title");
proceedings, reports and theses as books, their institution as publisher, the place before
it ("Paris: ACM; 2019") and a report number after ("Report No.: TR-7").
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from spinelib.records import ArticleRecord, Author
from spinelib.text import (
    MONTH_ABBREVS,
    abbreviate_page_range,
    expand_page_range,
    one_line,
    valid_day,
)

#: Style names accepted by :func:`format_citation` and :func:`format_bibliography`.
STYLES = ("vancouver", "ama")

#: One piece of a reference: its text and whether it is italic.
Piece = tuple[str, bool]


def _author_name(a: Author) -> str:
    return one_line(a.collective) if a.is_collective else one_line(a.display())


def _authors(record: ArticleRecord, style: str) -> str:
    names = [n for n in map(_author_name, record.authors) if n]
    if len(names) > 6:
        names = names[:6] + ["et al"] if style == "vancouver" else names[:3] + ["et al"]
    return ", ".join(names)


def _sentence(text: str) -> str:
    """Text ending in a full stop (none added after ? ! or an existing period)."""
    text = one_line(text)
    if not text:
        return ""
    return text if text[-1] in ".?!" else text + "."


def _italic_sentence(text: str) -> list[Piece]:
    """An italic title followed by a roman full stop (a ? or ! stays inside the italics)."""
    text = _sentence(text)
    if not text:
        return []
    if text.endswith("."):
        return [(text[:-1], True), (". ", False)]
    return [(text, True), (" ", False)]


def _journal_date(record: ArticleRecord, style: str) -> str:
    if not record.year:
        return ""
    if style == "ama":
        return str(record.year)
    date = str(record.year)
    if record.month and 1 <= record.month <= 12:
        date += " " + MONTH_ABBREVS[record.month - 1]
        day = valid_day(record.year, record.month, record.day)
        if day:
            date += f" {day}"
    return date


def _locator(record: ArticleRecord, style: str) -> str:
    """';366(9486):643-8' style tail after the date (the leading ';' only with a volume)."""
    pages = (abbreviate_page_range(record.pages) if style == "vancouver"
             else expand_page_range(record.pages))
    volume, issue = one_line(record.volume), one_line(record.issue)
    out = ""
    if volume or issue:
        out += ";" + volume + (f"({issue})" if issue else "")
    if pages:
        out += ":" + pages
    return out


#: A conference paper cites as a chapter of its proceedings; proceedings, reports and
#: theses as books (their institution publishes them), with the report number after.
_CITED_AS = {"conference": "chapter", "proceedings": "book", "report": "book",
             "thesis": "book"}


def _pieces(record: ArticleRecord, style: str) -> list[Piece]:
    """The pieces of one reference in ``style``; ValueError for an unknown style."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; expected one of {', '.join(STYLES)}")
    out: list[Piece] = []
    authors = _authors(record, style)
    if authors:
        out.append((_sentence(authors) + " ", False))
    kind = _CITED_AS.get(record.type, record.type)
    out.extend(_title_pieces(record, kind, style))
    if kind in ("book", "chapter"):
        out.extend(_book_source_pieces(record, kind, style))
    else:
        out.extend(_journal_source_pieces(record, style))
    if record.doi:
        out.append((f"doi: {record.doi}." if style == "vancouver" else f"doi:{record.doi}",
                    False))
    return _trimmed(out)


def _title_pieces(record: ArticleRecord, kind: str, style: str) -> list[Piece]:
    """The title (italic for an AMA book) and a chapter's "In: " book title."""
    out: list[Piece] = []
    if kind == "book" and style == "ama":
        out.extend(_italic_sentence(record.title))
    elif one_line(record.title):
        out.append((_sentence(record.title) + " ", False))
    if kind == "chapter" and one_line(record.book_title):
        out.append(("In: ", False))
        if style == "ama":
            out.extend(_italic_sentence(record.book_title))
        else:
            out.append((_sentence(record.book_title) + " ", False))
    return out


def _book_source_pieces(record: ArticleRecord, kind: str, style: str) -> list[Piece]:
    """"Place: Publisher; Year. Report No.: X" and a chapter's pages, as one sentence."""
    publisher = one_line(record.publisher) or one_line(record.institution)
    if one_line(record.place) and publisher:
        publisher = f"{one_line(record.place)}: {publisher}"
    tail = "; ".join(p for p in (publisher, str(record.year or "")) if p)
    if one_line(record.report_number):
        tail += f". Report No.: {one_line(record.report_number)}"
    pages = (abbreviate_page_range(record.pages) if style == "vancouver"
             else expand_page_range(record.pages))
    if kind == "chapter" and pages:
        tail = (tail + f". p. {pages}") if style == "vancouver" else (tail + f":{pages}")
    return [(_sentence(tail) + " ", False)] if tail else []


def _journal_source_pieces(record: ArticleRecord, style: str) -> list[Piece]:
    """The journal (italic in AMA), then date, volume, issue and pages as one sentence."""
    out: list[Piece] = []
    journal = one_line(record.journal_abbrev) or one_line(record.journal)
    if journal:
        out.append((journal.rstrip("."), style == "ama"))
        out.append((". ", False))
    source = _journal_date(record, style) + _locator(record, style)
    if source.strip(";:"):
        out.append((_sentence(source) + " ", False))
    return out


def _trimmed(pieces: list[Piece]) -> list[Piece]:
    """The pieces with the last one's trailing space trimmed and empty ones dropped."""
    if pieces:
        text, italic = pieces[-1]
        pieces[-1] = (text.rstrip(), italic)
    return [p for p in pieces if p[0]]


def _render(pieces: Sequence[Piece], html_out: bool) -> str:
    if not html_out:
        return "".join(text for text, _ in pieces)
    parts = []
    for text, italic in pieces:
        escaped = html.escape(text, quote=True)
        parts.append(f"<i>{escaped}</i>" if italic else escaped)
    return "".join(parts)


def format_citation(record: ArticleRecord, style: str, *, html: bool = False) -> str:
    """One reference without a number, in "vancouver" or "ama" style (HTML escaped)."""
    return _render(_pieces(record, style), html)


def format_bibliography(records: Sequence[ArticleRecord], style: str, html: bool = False) -> str:
    """A numbered reference list: "1. ..." lines, or an HTML ``<ol>`` of ``<li>`` items."""
    if html:
        items = "".join(f"<li>{format_citation(r, style, html=True)}</li>\n" for r in records)
        return f'<ol class="references">\n{items}</ol>\n' if records else ""
    return "".join(f"{n}. {format_citation(r, style)}\n" for n, r in enumerate(records, 1))


def write_vancouver(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Numbered Vancouver list as text (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "vancouver")


def write_ama(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Numbered AMA list as text (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "ama")


def write_vancouver_html(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """Vancouver list as an HTML ``<ol>`` (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "vancouver", html=True)


def write_ama_html(records: Sequence[ArticleRecord], *, abstracts: bool = False) -> str:
    """AMA list as an HTML ``<ol>`` (``abstracts`` has no meaning here)."""
    return format_bibliography(records, "ama", html=True)


def reference_list_problems(records: Sequence[ArticleRecord]) -> list[str]:
    """Records a reference list cannot cite usefully: those without a title.

    (Without a title, or without any author or year, a line is of no use to a reader; a
    title is what this check insists on.) Each message starts with the record's citekey.
    """
    return [f"{r.citekey or r.label()}: missing title" for r in records if not r.title.strip()]
