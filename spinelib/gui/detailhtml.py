"""The detail pane's article text as HTML for a QTextBrowser (pure functions, no Qt).

Every field comes from outside (PubMed, Crossref, a .bib file), so every piece of text is
HTML-escaped here; the links are https addresses built from validated identifiers
(:attr:`spinelib.identifiers.Identifier.url`), and a record's own web address only as
:func:`~spinelib.weblinks.safe_web_address` passes it (http or https, a host, encoded),
never a ``javascript:`` or ``file:`` one. Colours come
in from the caller's palette so the pane follows light and dark themes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from spinelib.edition import edition_label
from spinelib.identifiers import Identifier
from spinelib.libraryaccess import LibraryAccess, access_links
from spinelib.pubstate import status_text
from spinelib.records import TYPED, ArticleRecord, Author
from spinelib.safety_results import CitationCount
from spinelib.text import local_date, word_spans
from spinelib.weblinks import safe_web_address

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


def identifier_links(record: ArticleRecord,
                     access: LibraryAccess | None = None) -> list[tuple[str, str]]:
    """(label, https URL) for the record's DOI, PubMed and PMC identifiers (or, without
    them, its own web address: a guideline's or a report's page), then the ways in through
    the reader's library (:mod:`spinelib.libraryaccess`) when ``access`` is set."""
    out: list[tuple[str, str]] = []
    for kind, label in (("doi", "DOI"), ("pmid", "PubMed"), ("pmcid", "PMC")):
        value = getattr(record, kind)
        if value:
            url = Identifier(kind, value).url  # type: ignore[arg-type]
            if url.startswith("https://"):
                out.append((f"{label} {value}", url))
    if not out and (page := safe_web_address(record.url)):
        out.append((f"Web page: {urlsplit(page).hostname}", page))
    if access is not None:
        out += [(link.short, link.url) for link in access_links(record, access)]
    return out


def highlight(text: str, terms: Sequence[str], colours: Colours) -> str:
    """``text`` escaped, with words starting with any of ``terms`` marked (prefix match,
    case and accents aside, like the search itself: :func:`spinelib.text.word_spans`)."""
    out: list[str] = []
    last = 0
    for start, end in word_spans(text, terms):
        out.append(html.escape(text[last:start]))
        out.append(f'<span style="background-color:{colours.mark_bg};color:{colours.mark_fg}">'
                   f"{html.escape(text[start:end])}</span>")
        last = end
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
    return names_text(record.authors)


def names_text(people: Sequence[Author], most: int | None = None) -> str:
    """People as read aloud ("Margaret P Adam, Jerry Feldman"); past ``most``, "et al."."""
    names = []
    for a in people[:most]:
        if a.is_collective:
            names.append(a.collective)
        else:
            names.append(" ".join(p for p in (a.given, a.family) if p) or a.display())
    more = most is not None and len(people) > most
    return ", ".join(names) + (" et al." if more else "")


def _editors_text(record: ArticleRecord) -> str:
    """A book's editors, three named at most, then "(ed.)" or "(eds.)"; '' for none."""
    if not record.editors:
        return ""
    return f"{names_text(record.editors, 3)} ({'eds.' if len(record.editors) > 1 else 'ed.'})"


def _heading(title: str, colours: Colours) -> str:
    return (f'<p style="margin-top:12px;margin-bottom:2px;color:{colours.dim};'
            f'font-size:small;font-weight:600">{html.escape(title.upper())}</p>')


def _title_html(record: ArticleRecord, terms: Sequence[str], c: Colours) -> str:
    """The large title line ("(untitled)" when the record has none)."""
    title = record.title or "(untitled)"
    return (f'<p style="font-size:large;font-weight:600;margin-bottom:4px">'
            f"{highlight(title, terms, c)}</p>")


def _authors_html(record: ArticleRecord, terms: Sequence[str], c: Colours) -> str:
    """The author line under the title (an edited book's editors when it has no authors;
    '' when it has neither)."""
    if not record.authors:
        editors = _editors_text(record) if not record.book_title else ""
        return (f"<p style=\"margin-top:0\">{highlight(editors, terms, c)}</p>"
                if editors else "")
    return f"<p style=\"margin-top:0\">{highlight(authors_text(record), terms, c)}</p>"


def _source_html(record: ArticleRecord, terms: Sequence[str], c: Colours,
                 access: LibraryAccess | None = None) -> str:
    """The line of journal (a chapter's book, else a publisher) and year, identifier links
    and publication types ('' if none); the search's words marked in the journal, book and
    editors (``journal:``, ``editor:``, a plain word)."""
    # "In: Benzel's Spine Surgery, 4th ed., Edward C Benzel, Michael P Steinmetz (eds.)"
    book = ", ".join(p for p in (record.book_title, edition_label(record.edition),
                                 _editors_text(record)) if p)
    venue = (record.journal_abbrev or record.journal
             or (f"In: {book}" if record.book_title else record.publisher))
    # A paper in press has its state where the year goes, as its citation prints it.
    when = str(record.year) if record.year else status_text(record.pubstate)
    source = " ".join(p for p in (venue, when) if p)
    parts = [f'<span style="color:{c.dim}">{highlight(source, terms, c)}</span>'] if source else []
    # A link never breaks between its name and number ("DOI" alone at a line's end).
    parts += [f'<a href="{html.escape(url, quote=True)}" style="color:{c.link}">'
              f"{html.escape(label).replace(' ', '&nbsp;')}</a>"
              for label, url in identifier_links(record, access)]
    if record.publication_types:
        types = ", ".join(record.publication_types)
        parts.append(f'<span style="color:{c.dim}">{html.escape(types)}</span>')
    return "<p>" + " &nbsp;·&nbsp; ".join(parts) + "</p>" if parts else ""


def _abstract_section(record: ArticleRecord, terms: Sequence[str], c: Colours) -> str:
    """The Abstract heading and paragraphs, or a dim "No abstract." under it."""
    if record.abstract.strip():
        body = abstract_html(record.abstract, terms, c)
    else:
        body = f'<p style="color:{c.dim}"><i>No abstract.</i></p>'
    return _heading("Abstract", c) + body


def _facet_row(f: dict[str, str], c: Colours) -> str:
    """One "Name: <b>label</b> — reason" line of the Classified as section."""
    reason = f" <span style=\"color:{c.dim}\">— {html.escape(f['reason'])}</span>" \
        if f.get("reason") else ""
    name = FACET_NAMES.get(f["facet"], f["facet"].replace("_", " ").capitalize())
    return (f"{html.escape(name)}: "
            f"<b>{html.escape(f.get('label') or f['value'])}</b>{reason}")


def _facets_section(facets: Sequence[dict[str, str]], c: Colours) -> str:
    """The Classified as section ('' when there are no facets)."""
    if not facets:
        return ""
    return (_heading("Classified as", c)
            + "<p>" + "<br>".join(_facet_row(f, c) for f in facets) + "</p>")


def _mesh_section(record: ArticleRecord, terms: Sequence[str], c: Colours) -> str:
    """The MeSH section, major topics in bold ('' when the record has no MeSH terms)."""
    if not record.mesh:
        return ""
    terms_html = []
    for m in record.mesh:
        name = highlight(m.name, terms, c)
        if m.qualifiers:
            name += "/" + html.escape("/".join(m.qualifiers))
        terms_html.append(f"<b>{name}</b>" if m.major else name)
    return _heading("MeSH", c) + "<p>" + "; ".join(terms_html) + "</p>"


def _keywords_section(record: ArticleRecord, terms: Sequence[str], c: Colours) -> str:
    """The Keywords section ('' when the record has no keywords)."""
    if not record.keywords:
        return ""
    return (_heading("Keywords", c)
            + "<p>" + "; ".join(highlight(k, terms, c) for k in record.keywords) + "</p>")


def _citation_section(citation: str, style: str, c: Colours) -> str:
    """The Cite as section, in the style Copy citation uses, named under it ('' when there
    is no formatted citation)."""
    if not citation:
        return ""
    named = (f'<p style="color:{c.dim};font-size:small;margin-top:0">'
             f"{html.escape(style)} · set in Preferences</p>") if style else ""
    return (_heading("Cite as", c) + f'<p style="color:{c.dim};margin-bottom:2px">'
            f"{html.escape(citation)}</p>" + named)


def _notes_section(record: ArticleRecord, terms: Sequence[str], c: Colours) -> str:
    """The user's notes when a search matches in them ('' otherwise: the heading must not
    claim a match that the article owes to its title)."""
    if not (record.notes and terms and word_spans(record.notes, terms)):
        return ""
    # Notes are edited below; shown here only to point at a search match in them.
    return _heading("Your notes match", c) + f"<p>{highlight(record.notes, terms, c)}</p>"


#: Where a record came from (``ArticleRecord.source``), as the footer says it.
RECORD_SOURCES = {
    "pubmed": "PubMed", "crossref": "Crossref", "pdf": "a PDF", "bibtex": "a BibTeX file",
    "ris": "an RIS file", "medline": "a PubMed (MEDLINE) file", "csljson": "a CSL-JSON file",
    "endnote": "an EndNote XML file", "enw": "an EndNote file", "wos": "Web of Science",
    "scopus": "Scopus", "ovid": "Ovid (MEDLINE, Embase)", "zotero": "a Zotero RDF file",
}


def _footer_html(record: ArticleRecord, added_at: str, c: Colours) -> str:
    """The small dim line of citation key, date added and source ('' if none is known)."""
    footer = [f"Key {html.escape(record.citekey)}"] if record.citekey else []
    if added_at:
        footer.append(f"added {html.escape(local_date(added_at))}")
    if record.source == TYPED:  # File ▸ New article…, spinelib add (library.byhand)
        footer.append("typed in by you")
    elif record.source:
        source = RECORD_SOURCES.get(record.source, record.source)
        footer.append(f"from {html.escape(source)}")
    if not footer:
        return ""
    return (f'<p style="color:{c.dim};font-size:small;margin-top:12px">'
            + " · ".join(footer) + "</p>")


def _lists_html(lists: Sequence[str], c: Colours) -> str:
    """'In reading lists: Start here · Tumour board' ('' when it is in none)."""
    if not lists:
        return ""
    return (f'<p style="color:{c.dim};margin-top:12px">In reading lists: '
            + " · ".join(html.escape(name) for name in lists) + "</p>")


#: Citation-count sources as the pane names them.
COUNT_SOURCES = {"crossref": "Crossref", "europepmc": "Europe PMC"}


def _counts_html(counts: Sequence[CitationCount], c: Colours) -> str:
    """'Citations: 40 (Crossref, 2026-12-01) · 35 (Europe PMC, 2026-11-30)': each source's
    count with the day it was taken, since counts only grow stale ('' when none)."""
    if not counts:
        return ""
    parts = [f"{n.count} ({html.escape(COUNT_SOURCES.get(n.source, n.source))}, "
             f"{html.escape(n.counted_at[:10])})" for n in counts]
    return f'<p style="color:{c.dim};margin:4px 0">Citations: ' + " · ".join(parts) + "</p>"


def detail_html(record: ArticleRecord, *, citation: str, citation_style: str = "",
                terms: Sequence[str] = (),
                facets: Sequence[dict[str, str]] = (), added_at: str = "",
                counts: Sequence[CitationCount] = (), lists: Sequence[str] = (),
                colours: Colours | None = None, access: LibraryAccess | None = None) -> str:
    """The Details tab: title, authors, links (``access``: the reader's library's too),
    then the abstract at once; facets, MeSH, keywords and the formatted citation ("Cite
    as") after it, so on a laptop screen the abstract is what the pane shows (issue 18)."""
    c = colours or Colours()
    return "".join([
        f'<div style="color:{c.text}">',
        _title_html(record, terms, c),
        _authors_html(record, terms, c),
        _source_html(record, terms, c, access),
        _counts_html(counts, c),
        _abstract_section(record, terms, c),
        _facets_section(facets, c),
        _mesh_section(record, terms, c),
        _keywords_section(record, terms, c),
        _citation_section(citation, citation_style, c),
        _notes_section(record, terms, c),
        _lists_html(lists, c),
        _footer_html(record, added_at, c),
        "</div>",
    ])
