"""Identifying, after the fact, the papers kept from PDFs without an identifier: each one's
stored first page matched against the library's own articles (:mod:`spinelib.pdfheld`:
offline too), else searched in Crossref (:mod:`spinelib.sources.page_match`), then in
PubMed by the kept article's title (:mod:`spinelib.sources.page_pubmed`), and the record
found imported as any DOI or PMID is; the kept article is merged into the paper, PDF and
all.

Why: a library holds unidentified PDFs from before an import searched first pages, or from
an import made offline, and importing the same file again only says the library has it.
*Full text ▸ Identify PDFs by their first page* and ``spinelib pdf identify`` ask again.

Promises:

- **Never a wrong paper**: the page check of :func:`~spinelib.sources.page_match.on_page`
  (the whole title word for word, the first author, the year).
- **Nothing lost**: the record is imported (PubMed's, with its MeSH, reference list and tag
  suggestions, as an import by DOI brings it; an article the library already holds is
  refreshed, never doubled), then the kept article is merged into it
  (:meth:`~spinelib.library.duplicates.DuplicatesManager.merge`): its PDF and page text,
  notes, tags, reading-list places and reading state go with it, its key stays as an alias.
  **One undo step**, "identification of KEY": the paper is fetched first, off the
  write lock, then its import and the merge are one transaction; undone, the kept
  article is back as it was and a paper the identification added is gone (one it
  refreshed, or took out of the trash, is back as it was). A merge that fails
  changes nothing.
- A kept article without a stored first page (a scan) says so; Crossref unreachable is not
  asked again in the run (the service is down), saying so for the ones not asked, whose
  pages are still matched against the library; a cancel stops asking. A search the
  network stopped is queued in ``pending`` and made again by a retry (:func:`retry_pending`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinelib.errors import NetworkError, SpineLibError
from spinelib.formats.pdf import read_pdf
from spinelib.identifiers import Identifier
from spinelib.importer import store_resolved
from spinelib.library import Library
from spinelib.library.holding import record_identifiers
from spinelib.library.pending import IDENTIFY_PREFIX
from spinelib.pdfheld import held_article
from spinelib.sources.http import HttpClient
from spinelib.sources.page_match import find_doi_on_page
from spinelib.sources.page_pubmed import find_pmid_on_page
from spinelib.sources.resolve_indirect import resolve_indirect

if TYPE_CHECKING:  # the recording's connection, named for its type only
    from spinelib.store.connection import Connection

#: What became of one kept article, as the summary names it.
STATUS_NAMES = {"identified": "identified", "not_found": "not found", "no_text": "no text",
                "offline": "not asked (offline)", "failed": "failed",
                "cancelled": "not asked (stopped)"}


@dataclass(frozen=True)
class Identified:
    """What became of one kept article: ``status`` a key of :data:`STATUS_NAMES`, the
    key it had, the article it is now (when identified) and why, in a sentence."""

    article_id: int
    key: str
    status: str
    message: str
    now_key: str = ""

    def line(self) -> str:
        """``KEY: identified as patchell2005direct (DOI …)`` and the like."""
        return f"{self.key}: {self.message}"


def summary(outcomes: Sequence[Identified]) -> str:
    """"2 identified, 1 not found" (in the order first met)."""
    counts = Counter(o.status for o in outcomes)
    return ", ".join(f"{n} {STATUS_NAMES[s]}" for s, n in counts.items()) or "nothing to do"


def first_page(library: Library, article_id: int) -> str:
    """The stored text of the article's PDF's first page ('' for a scan or no PDF)."""
    return next((p.body for p in library.attachments.text(article_id)
                 if p.kind == "page" and p.page == 1), "")


def identify_pdfs(library: Library, article_ids: Sequence[int], client: HttpClient, *,
                  progress: Callable[[int, int, str], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> list[Identified]:
    """Identify the kept articles among ``article_ids`` (the others are passed over); see
    the module's promises. ``progress(done, total, key)`` after each."""
    kept = set(library.attachments.unidentified())
    wanted = [i for i in dict.fromkeys(article_ids) if i in kept]
    out: list[Identified] = []
    down = ""
    for n, article_id in enumerate(wanted, start=1):
        key = library.articles.citekey(article_id)
        if cancelled():
            out.append(Identified(article_id, key, "cancelled", "not asked: stopped"))
            continue
        outcome, now_down = _identify(library, article_id, key, client, down)
        down = down or now_down
        out.append(outcome)
        if progress is not None:
            progress(n, len(wanted), key)
    _keep_pending(library, out)
    return out


def retry_pending(library: Library, client: HttpClient, *,
                  cancelled: Callable[[], bool] = lambda: False) -> list[Identified]:
    """Identify again the kept articles whose search was queued offline (``pending
    --retry``, *Retry pending imports*); entries whose article is gone, or identified
    since, are dropped."""
    ids, gone = library.pending.queued_articles(IDENTIFY_PREFIX)
    kept = set(library.attachments.unidentified())
    library.pending.remove(gone + [f"{IDENTIFY_PREFIX}{i}" for i in ids if i not in kept])
    wanted = [i for i in ids if i in kept]
    return identify_pdfs(library, wanted, client, cancelled=cancelled) if wanted else []


def _keep_pending(library: Library, outcomes: Sequence[Identified]) -> None:
    """A search the network stopped is queued to be made again (the pending count shows
    it, *Retry pending imports* makes it); an answered one leaves the queue."""
    for o in outcomes:
        if o.status == "offline":
            library.pending.queue(f"{IDENTIFY_PREFIX}{o.article_id}",
                                  o.message.removeprefix("not asked: "))
    queued = {e.identifier for e in library.pending.all()}
    library.pending.remove(e for e in (f"{IDENTIFY_PREFIX}{o.article_id}" for o in outcomes
                                       if o.status not in ("offline", "cancelled"))
                           if e in queued)


def _identify(library: Library, article_id: int, key: str, client: HttpClient,
              down: str) -> tuple[Identified, str]:
    """What became of one kept article, and why the network is down ('' when it is not:
    Crossref is not asked for the rest when it is; the library still is)."""
    page = first_page(library, article_id)
    if not page.strip():
        return Identified(article_id, key, "no_text", "no text stored for its first page (a "
                          "scan?): add its DOI or PMID with Edit"), ""
    heading = _heading_of_file(library, article_id)
    titles = [t for t in (heading, *(r.title for r in library.articles.records(
        [article_id], with_references=False))) if t]
    held = held_article(library, page, titles, exclude=article_id, heading=heading)
    if held is not None:
        return _merged_into(library, article_id, key, held, "the library's own: page 1 "
                            "holds its whole title, first author and year"), ""
    if down:
        return Identified(article_id, key, "offline", f"not asked: {down}"), ""
    try:
        found = _searched(client, page, titles[0] if titles else "", heading)
    except NetworkError as exc:
        return Identified(article_id, key, "offline", f"not asked: {exc}"), str(exc)
    except SpineLibError as exc:
        return Identified(article_id, key, "failed", f"the search failed: {exc}"), ""
    if found is None:
        return Identified(article_id, key, "not_found", "neither Crossref nor PubMed has a "
                          "paper its first page plainly is: add its DOI or PMID with Edit"), ""
    return _imported_and_merged(library, article_id, key, found, client)


def _imported_and_merged(library: Library, article_id: int, key: str, found: Identifier,
                         client: HttpClient) -> tuple[Identified, str]:
    """The paper ``found`` fetched (off the write lock), then imported and the kept article
    merged into it as one operation: one undo step puts the kept article back as it was
    and takes away a paper the identification added (one it refreshed goes back to how it
    was). A merge that fails leaves nothing changed."""
    label = f"{found.kind.upper()} {found.value}"
    [res] = resolve_indirect(client, [found], with_references=True)
    # Where the paper is held already (live or in the trash): its state before the
    # import refreshes or restores it is what an undo writes back.
    carried = record_identifiers(res.record) if res.record is not None else []
    held = sorted({h.article_id for h in library.articles.holding(
        [found, *carried]).values()})
    try:
        with _identification(library, key, [article_id, *held]) as conn:
            [item] = store_resolved(library, [res])
            if item.article_id is None or not item.ok:
                queued = item.status == "queued"  # offline: queued, the rest not asked
                return Identified(article_id, key, "offline" if queued else "failed",
                                  f"{label} found, but not fetched: {item.message}"), \
                    item.message if queued else ""
            if item.status == "imported":
                library.history.touch_new(conn, articles=[item.article_id])
            merged = library.duplicates.merge(item.article_id, [article_id])
    except SpineLibError as exc:  # the paper deleted meanwhile, say: nothing is changed
        return Identified(article_id, key, "failed", f"{label} found, but the PDF's "
                          f"article not merged into it, so nothing was changed: {exc}"), ""
    return _identified(article_id, key, merged.citekey, label), ""


def _heading_of_file(library: Library, article_id: int) -> str:
    """The heading of the kept article's PDF, read again from the file: a PDF kept before
    imports read headings is titled by its first line, often the journal's running head
    ('' for a file gone or unreadable)."""
    pdf = next((a for a in library.attachments.of(article_id) if a.kind == "pdf"), None)
    if pdf is None:
        return ""
    try:
        return read_pdf(pdf.path, max_pages=1, heading=True).heading
    except (OSError, SpineLibError):
        return ""


def _searched(client: HttpClient, page: str, title: str, heading: str) -> Identifier | None:
    """The paper the page is the first page of: Crossref's DOI, else PubMed's PMID (a paper
    from before its journal's DOIs); ``title``: the kept article's; ``heading``: its PDF's,
    read again from the file ('' when not)."""
    doi = find_doi_on_page(client, page, title, heading)
    if doi:
        return Identifier("doi", doi.lower())
    pmid = find_pmid_on_page(client, page, title, heading)
    return Identifier("pmid", pmid) if pmid else None


def _merged_into(library: Library, article_id: int, key: str, target: int,
                 how: str) -> Identified:
    """The kept article merged into ``target``, the paper of the library its PDF is (``how``
    it was found, for the message): one undo step, named for the identification."""
    try:
        with _identification(library, key, [article_id, target]):
            merged = library.duplicates.merge(target, [article_id])
    except SpineLibError as exc:  # deleted meanwhile, say: the target stays as it is
        return Identified(article_id, key, "failed", f"{how}: found as "
                          f"{library.articles.citekey(target)}, but the PDF's article not "
                          f"merged into it: {exc}")
    return _identified(article_id, key, merged.citekey, how)


def _identification(library: Library, key: str,
                    articles: Sequence[int]) -> AbstractContextManager[Connection]:
    """The one recorded operation an identification is, whichever way the paper was found:
    the kept article and the papers it may change (one undo step, named for it)."""
    return library.history.recording(f"identification of {key}", articles=articles)


def _identified(article_id: int, key: str, now_key: str, how: str) -> Identified:
    """The kept article ``key`` identified as ``now_key`` (``how`` it was found)."""
    return Identified(article_id, key, "identified", f"identified as {now_key} ({how})",
                      now_key)
