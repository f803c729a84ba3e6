"""The detail pane's article text as HTML for a QTextBrowser (pure functions, no Qt).

Every field comes from outside (PubMed, Crossref, a .bib file), so every piece of text is
HTML-escaped here; the only links are https addresses built from validated identifiers
(:attr:`spinelib.identifiers.Identifier.url`), never anything a record supplied. Colours come
in from the caller's palette so the pane follows light and dark themes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spinelib.identifiers import Identifier
from spinelib.records import ArticleRecord

#: "BACKGROUND: text" at the start of a paragraph of a structured abstract.
SECTION_RE = re.compile(r"^([A-Z][A-Z0-9 ,/&()'-]{1,60}):\s+")
READ_NAMES = {0: "Unread", 1: "Reading", 2: "Read"}
#: Facet names as stored -> how the pane names them.
FACET_NAMES = {"histology": "Histology", "region": "Region", "design": "Study design",
               "score": "Score"}


@dataclass(frozen=True)
class Colours:
    """Palette colours (CSS names or #rrggbb) the HTML uses."""

    text: str = "#000000"
    dim: str = "#666666"
    link: str = "#0b57d0"
    mark_bg: str = "#ffe066"
    mark_fg: str = "#000000"


def identifier_links(record: ArticleRecord) -> list[tuple[str, str]]:
    """(label, https URL) for the record's DOI, PubMed and PMC identifiers."""
    out: list[tuple[str, str]] = []
    for kind, label in (("doi", "DOI"), ("pmid", "PubMed"), ("pmcid", "PMC")):
        value = getattr(record, kind)
        if value:
            url = Identifier(kind, value).url  # type: ignore[arg-type]
            if url.startswith("https://"):
                out.append((f"{label} {value}", url))
    return out


def highlight(text: str, terms: Sequence[str], colours: Colours) -> str:
    """``text`` escaped, with words starting with any of ``terms`` marked (prefix match,
    like the search itself)."""
    words = [t for t in terms if t.strip()]
    if not words or not text:
        return html.escape(text)
    rx = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in
                                         sorted(words, key=len, reverse=True)) + r")\w*",
                    re.IGNORECASE)
    out: list[str] = []
    last = 0
    for m in rx.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f'<span style="background-color:{colours.mark_bg};color:{colours.mark_fg}">'
                   f"{html.escape(m.group(0))}</span>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def abstract_html(abstract: str, terms: Sequence[str], colours: Colours) -> str:
    """Paragraphs of the abstract; section labels of a structured abstract in bold."""
    parts: list[str] = []
    for para in re.split(r"\n\s*\n", abstract.strip()):
        para = " ".join(para.split())
        if not para:
            continue
        m = SECTION_RE.match(para)
        if m:
            label = m.group(1).strip().capitalize()
            body = highlight(para[m.end():], terms, colours)
            parts.append(f"<p><b>{html.escape(label)}.</b> {body}</p>")
        else:
            parts.append(f"<p>{highlight(para, terms, colours)}</p>")
    return "".join(parts)


def authors_text(record: ArticleRecord) -> str:
    names = []
    for a in record.authors:
        if a.is_collective:
            names.append(a.collective)
        else:
            names.append(" ".join(p for p in (a.given, a.family) if p) or a.display())
    return ", ".join(names)


def _heading(title: str, colours: Colours) -> str:
    return (f'<p style="margin-top:12px;margin-bottom:2px;color:{colours.dim};'
            f'font-size:small;font-weight:600">{html.escape(title.upper())}</p>')


def detail_html(record: ArticleRecord, *, citation: str, terms: Sequence[str] = (),
                facets: Sequence[dict[str, str]] = (), added_at: str = "",
                colours: Colours | None = None) -> str:
    """The Details tab: title, authors, links, then the abstract at once; facets, MeSH,
    keywords and the formatted citation ("Cite as") after it, so on a laptop screen the
    abstract is what the pane shows (issue 18)."""
    c = colours or Colours()
    out = [f'<div style="color:{c.text}">']
    title = record.title or "(untitled)"
    out.append(f'<p style="font-size:large;font-weight:600;margin-bottom:4px">'
               f"{highlight(title, terms, c)}</p>")
    if record.authors:
        out.append(f"<p style=\"margin-top:0\">{highlight(authors_text(record), terms, c)}</p>")
    source = " ".join(p for p in (record.journal_abbrev or record.journal,
                                  str(record.year or "")) if p)
    parts = [f'<span style="color:{c.dim}">{html.escape(source)}</span>'] if source else []
    # A link never breaks between its name and number ("DOI" alone at a line's end).
    parts += [f'<a href="{html.escape(url, quote=True)}" style="color:{c.link}">'
              f"{html.escape(label).replace(' ', '&nbsp;')}</a>"
              for label, url in identifier_links(record)]
    if record.publication_types:
        types = ", ".join(record.publication_types)
        parts.append(f'<span style="color:{c.dim}">{html.escape(types)}</span>')
    if parts:
        out.append("<p>" + " &nbsp;·&nbsp; ".join(parts) + "</p>")
    out.append(_heading("Abstract", c))
    if record.abstract.strip():
        out.append(abstract_html(record.abstract, terms, c))
    else:
        out.append(f'<p style="color:{c.dim}"><i>No abstract.</i></p>')
    if facets:
        out.append(_heading("Classified as", c))
        rows = []
        for f in facets:
            reason = f" <span style=\"color:{c.dim}\">— {html.escape(f['reason'])}</span>" \
                if f.get("reason") else ""
            name = FACET_NAMES.get(f["facet"], f["facet"].replace("_", " ").capitalize())
            rows.append(f"{html.escape(name)}: "
                        f"<b>{html.escape(f.get('label') or f['value'])}</b>{reason}")
        out.append("<p>" + "<br>".join(rows) + "</p>")
    if record.mesh:
        out.append(_heading("MeSH", c))
        terms_html = []
        for m in record.mesh:
            name = highlight(m.name, terms, c)
            if m.qualifiers:
                name += "/" + html.escape("/".join(m.qualifiers))
            terms_html.append(f"<b>{name}</b>" if m.major else name)
        out.append("<p>" + "; ".join(terms_html) + "</p>")
    if record.keywords:
        out.append(_heading("Keywords", c))
        out.append("<p>" + "; ".join(highlight(k, terms, c) for k in record.keywords) + "</p>")
    if citation:
        out.append(_heading("Cite as", c))
        out.append(f'<p style="color:{c.dim}">{html.escape(citation)}</p>')
    if record.notes and terms:
        # Notes are edited below; shown here only to point at a search match in them.
        out.append(_heading("Your notes match", c))
        out.append(f"<p>{highlight(record.notes, terms, c)}</p>")
    footer = [f"Key {html.escape(record.citekey)}"] if record.citekey else []
    if added_at:
        footer.append(f"added {html.escape(added_at[:10])}")
    if record.source:
        footer.append(f"from {html.escape(record.source)}")
    if footer:
        out.append(f'<p style="color:{c.dim};font-size:small;margin-top:12px">'
                   + " · ".join(footer) + "</p>")
    out.append("</div>")
    return "".join(out)
