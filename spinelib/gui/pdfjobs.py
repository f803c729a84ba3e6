"""The work the GUI's full-text features hand to workers, and the Text tab's HTML: plain
functions over the Library, no Qt (issue 14)."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spinelib.formats.pdf_annotations import PdfAnnotation
from spinelib.importer import ImportReport
from spinelib.library import Library
from spinelib.library.annotations import AddedToNotes, FileAnnotations
from spinelib.pdffind import FindOutcome, PdfFinder
from spinelib.pdfidentify import Identified, identify_pdfs
from spinelib.results_files import Attachment, FulltextPart
from spinelib.settings import Settings

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass
class FulltextData:
    """What the Text tab shows for one article."""

    article_id: int
    attachments: list[Attachment] = field(default_factory=list)
    parts: list[FulltextPart] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    #: PDF pages the current search matched (the hit pages).
    hit_pages: list[int] = field(default_factory=list)
    #: The reader's highlights and comments, read from each attached PDF.
    annotations: list[FileAnnotations] = field(default_factory=list)

    @property
    def annotated(self) -> bool:
        """True when a PDF holds highlights or comments (what "Copy to notes" copies)."""
        return any(f.annotations for f in self.annotations)

    @functools.cached_property
    def linkable_pages(self) -> frozenset[int]:
        """The page numbers a link can take the reader to: the pages stored, when the
        article has one PDF's pages (several PDFs number their pages alike: none)."""
        with_pages = {a.id for a in self.attachments if a.kind == "pdf" and a.pages}
        if len(with_pages) != 1:
            return frozenset()
        return frozenset(p.page for p in self.parts if p.page is not None)


def load_fulltext(library: Library, article_id: int, search: str) -> FulltextData:
    data = FulltextData(article_id, library.attachments.of(article_id),
                        library.attachments.text(article_id))
    if any(a.kind == "pdf" for a in data.attachments):
        data.annotations = library.annotations.of(article_id)
    if search.strip():
        data.terms = library.search.highlight_terms(search)
        data.hit_pages = library.attachments.places([article_id], search)[article_id].pages
    return data


#: The highlight of search terms (QTextBrowser knows no <mark>; a background span it does).
MARK = '<span style="background-color:#ffe066; color:#000000">'


def _marked(text: str, terms: Sequence[str]) -> str:
    """``text`` escaped, with every word starting with a search term highlighted."""
    escaped = html.escape(text)
    if not terms:
        return escaped
    pattern = re.compile(r"\b(" + "|".join(re.escape(html.escape(t)) for t in terms if t)
                         + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda m: f"{MARK}{m.group(0)}</span>", escaped)


#: The name of a page's heading in the Text tab ("page-3"), which its page numbers link to.
PAGE_ANCHOR = "page-"
#: The empty state's link to Full text ▸ Open through my library.
LIBRARY_ANCHOR = "through-my-library"


def _page_link(data: FulltextData, page: int, label: str) -> str:
    """``label`` linking to page ``page``'s text below (:attr:`FulltextData.linkable_pages`),
    else the plain label."""
    if page not in data.linkable_pages:
        return label
    return f'<a href="#{PAGE_ANCHOR}{page}">{label}</a>'


def _as_marked(a: PdfAnnotation, quoted: str) -> str:
    """The marked words as the viewer shows them: behind the highlight's colour (a pale
    yellow when it has none), underlined, or struck out."""
    if a.kind == "highlight":
        return (f'<span style="background-color:{a.colour or "#fff3a0"}; color:#000000">'
                f"{quoted}</span>")
    style = {"underline": "underline", "squiggly underline": "underline",
             "strike-out": "line-through"}.get(a.kind)
    return f'<span style="text-decoration:{style}">{quoted}</span>' if style else quoted


def annotations_html(data: FulltextData) -> list[str]:
    """The reader's highlights and comments above the text: each with its page, kind and
    author, the marked words quoted as the viewer marks them, the comment and replies
    below; a file that could not be read says why. Nothing at all when there are none."""
    if not data.annotated and not any(f.problem for f in data.annotations):
        return []
    out = ["<h3>Your highlights and comments</h3>"]
    several = len(data.annotations) > 1
    for f in data.annotations:
        if f.problem:
            out.append(f"<p><i>{html.escape(f.problem)}</i></p>")
            continue
        if several and f.annotations:
            out.append(f"<p><b>{html.escape(f.attachment.name)}</b></p>")
        for a in f.annotations:
            lines = [f"<b>{_page_link(data, a.page, f'p. {a.page}')}</b> · "
                     f"{html.escape(a.kind)}"
                     + (f" · {html.escape(a.author)}" if a.author else "")]
            if a.quote:
                lines.append(f"“{_as_marked(a, _marked(a.quote, data.terms))}”")
            if a.comment:
                lines.append("<i>" + _marked(a.comment, data.terms).replace("\n", "<br>")
                             + "</i>")
            lines += [f"↳ {html.escape(r.author + ': ' if r.author else '')}"
                      f"<i>{html.escape(r.text)}</i>" for r in a.replies]
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return [*out, "<hr>"]


def fulltext_html(data: FulltextData) -> str:
    """The article's own text as reflowable HTML: the reader's highlights and comments
    first, then JATS sections as headings, PDF pages marked ``Page N`` (hit pages flagged),
    search terms highlighted."""
    notes = annotations_html(data)
    if not data.parts:
        why = next((a.text_status for a in data.attachments if a.text_status), "")
        return "\n".join(notes) + (
            "<p><i>No full text stored for this article" + (f" ({html.escape(why)})"
            if why else "") + ". Attach a PDF (drop it on the article), use “Find "
            "available PDFs” for an open copy, or <a href=\"#" + LIBRARY_ANCHOR + "\">Open "
            "through my library</a> (Full text menu) for your institution's.</i></p>")
    out: list[str] = []
    if data.hit_pages:
        out.append("<p><b>Search hits on page" + ("s " if len(data.hit_pages) > 1 else " ")
                   + ", ".join(_page_link(data, p, str(p)) for p in data.hit_pages)
                   + "</b></p>")
    out += notes
    in_refs = False
    for part in data.parts:
        if part.page is not None:
            flag = " ◀ search hit" if part.page in data.hit_pages else ""
            out.append(f'<h4><a name="{PAGE_ANCHOR}{part.page}"></a>Page {part.page}{flag}</h4>')
        elif part.kind == "reference":
            if not in_refs:
                out.append("<h3>References</h3>")
                in_refs = True
            out.append(f"<p>{html.escape(part.heading)} {_marked(part.body, data.terms)}</p>")
            continue
        elif part.kind == "caption":
            out.append(f"<p><b>{html.escape(part.heading)}</b> "
                       f"<i>{_marked(part.body, data.terms)}</i></p>")
            continue
        elif part.heading:
            out.append(f"<h3>{html.escape(part.heading)}</h3>")
        for para in part.body.split("\n\n"):
            out.append("<p>" + _marked(para, data.terms).replace("\n", " ") + "</p>")
    return "\n".join(out)


def attach_files(library: Library, article_id: int, paths: Sequence[str],
                 settings: Settings) -> list[str]:
    """Attach dropped files to one article; one message per file (errors named, not raised)."""
    from spinelib.errors import SpineLibError

    library.attachments.configure(settings)
    messages = []
    for given in paths:
        try:
            out = library.attachments.attach(article_id, Path(given))
            messages.append(f"attached {out.attachment.name}"
                            + (f" ({'; '.join(out.notes)})" if out.notes else ""))
        except SpineLibError as exc:
            messages.append(f"{Path(given).name}: {exc}")
    return messages


def import_pdfs(library: Library, paths: Sequence[str], settings: Settings, *,
                progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> ImportReport:
    """PDFs dropped on the window: identified, imported and attached (spinelib.pdfimport),
    through the import dialog's job."""
    from spinelib.gui.jobs import run_import

    return run_import(library, paths, settings, progress=progress, cancelled=cancelled).report


def find_pdfs(library: Library, article_ids: Sequence[int], settings: Settings, *,
              progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> list[FindOutcome]:
    """"Find available PDFs" for these articles (spinelib.pdffind)."""
    from spinelib.sources.http import HttpClient

    library.attachments.configure(settings)
    client = HttpClient(settings)
    try:
        return PdfFinder(library, client).run(article_ids, progress=progress,
                                              cancelled=cancelled)
    finally:
        client.close()


def identify_kept(library: Library, article_ids: Sequence[int], settings: Settings, *,
                  progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> list[Identified]:
    """"Identify PDFs by their first page" (spinelib.pdfidentify): the selected articles
    kept from PDFs without an identifier, or every such article when none is selected."""
    from spinelib.sources.http import HttpClient

    kept = library.attachments.unidentified()
    among = set(kept)
    chosen = [i for i in article_ids if i in among] or kept
    client = HttpClient(settings)
    try:
        return identify_pdfs(library, chosen, client, progress=progress,
                             cancelled=cancelled or (lambda: False))
    finally:
        client.close()


def copy_highlights(library: Library, article_ids: Sequence[int]) -> list[AddedToNotes]:
    """Copy the highlights of those of ``article_ids`` that hold a PDF into their notes, in
    one undo step; a result for each such article."""
    return library.annotations.add_to_notes_many(library.annotations.with_pdfs(article_ids))


def first_file(library: Library, article_id: int) -> Path | None:
    """The file Ctrl+O / double-click opens: the first PDF, else the first file."""
    files = library.attachments.of(article_id)
    chosen = next((a for a in files if a.kind == "pdf"), files[0] if files else None)
    return chosen.path if chosen is not None else None


def scan_watched(library: Library, folder: str, settings: Settings) -> ImportReport:
    """Import the new PDFs of the watched folder (spinelib.pdfimport.scan_watched_folder)."""
    from spinelib.pdfimport import scan_watched_folder
    from spinelib.sources.http import HttpClient

    library.attachments.configure(settings)
    client = HttpClient(settings)
    try:
        return scan_watched_folder(library, Path(folder), client=client)
    finally:
        client.close()
