"""A report of articles to read: each article's citation, identifiers, tags, abstract and the
reader's own notes, as one HTML page to print or hand out (a journal club's reading list, a
resident's list to work through), as Zotero's "Generate report" and EndNote's printed
references with abstracts are used.

Promises: one section per record, in the order given, numbered; the citation in Vancouver
(the cite engine's, italics kept); the PMID and DOI as links; the article's confirmed tags
by their labels (the export fills ``tags`` with labels for this format: see
:meth:`~spinelib.library.exports.ExportsManager.records`); a structured abstract's sections
("BACKGROUND:", "METHODS:") a paragraph each, their labels in bold; the notes as written,
line breaks kept. Every value is escaped: a title holding "<" or "&" is text, never markup.
The page needs nothing beside it (styles inline, no script) and prints one article per
block, none split across pages where it fits on one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from html import escape

from spinelib.identifiers import Identifier
from spinelib.records import ArticleRecord
from spinelib.text import plural

#: A structured abstract's section label at a paragraph's start ("BACKGROUND:", "Methods:").
_LABEL = re.compile(r"^([A-Z][A-Za-z ,&/-]{1,40}):\s")

_STYLE = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; line-height: 1.45; color: #111; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
h2 { font-size: 1.1em; margin: 1.8em 0 .3em; }
.meta { color: #555; font-size: .9em; margin: .2em 0; }
.abstract p { margin: .45em 0; }
.notes { background: #fff8dc; border-left: 3px solid #d4b24c; padding: .4em .8em;
         white-space: pre-wrap; margin-top: .6em; }
a { color: #1a4f9c; }
article { break-inside: avoid-page; }
"""


def write_report(records: Sequence[ArticleRecord], *, abstracts: bool = True,
                 title: str = "Reading report") -> str:
    """The report of ``records`` as an HTML document headed ``title`` (a reading list's
    name); abstracts are always in it: they are what the report is read for
    (``abstracts`` keeps the writers' one signature)."""
    today = dt.date.today().isoformat()
    count = plural(len(records), "article")
    parts = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
             f"<title>{escape(title)}: {count}</title>\n",
             f"<style>{_STYLE}</style>\n</head>\n<body>\n",
             f"<h1>{escape(title)}</h1>\n<p class=\"meta\">{count} · made {today} by "
             "SpineLib</p>\n"]
    for number, record in enumerate(records, 1):
        parts.append(_article(number, record))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _article(number: int, record: ArticleRecord) -> str:
    from spinelib.cite import format_reference

    out = [f'<article id="{escape(record.citekey, quote=True)}">\n',
           f"<h2>{number}. {escape(record.title or '(no title)')}</h2>\n",
           f'<p class="cite">{format_reference(record, "vancouver", html=True)}</p>\n']
    meta = []
    for kind, label, value in (("pmid", "PMID", record.pmid), ("doi", "DOI", record.doi)):
        if value:  # its page, percent-encoded (Identifier.url)
            url = Identifier(kind, value).url  # type: ignore[arg-type]
            meta.append(f'{label} <a href="{escape(url, quote=True)}">{escape(value)}</a>')
    if record.tags:
        meta.append("Tags: " + escape(", ".join(record.tags)))
    if record.citekey:
        meta.append(f"Key: {escape(record.citekey)}")
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>\n')
    paragraphs = [p.strip() for p in record.abstract.split("\n\n") if p.strip()]
    if paragraphs:
        out.append('<section class="abstract">\n')
        out.extend(f"<p>{_abstract_paragraph(p)}</p>\n" for p in paragraphs)
        out.append("</section>\n")
    if record.notes.strip():
        out.append(f'<div class="notes"><b>Notes</b>\n{escape(record.notes.strip())}</div>\n')
    out.append("</article>\n")
    return "".join(out)


def _abstract_paragraph(text: str) -> str:
    """One abstract paragraph, its section label in bold."""
    text = " ".join(text.split())
    label = _LABEL.match(text)
    if label is None:
        return escape(text)
    return f"<b>{escape(label.group(1))}:</b> {escape(text[label.end():])}"
