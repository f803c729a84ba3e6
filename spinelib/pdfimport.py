"""Importing PDFs: identify the paper, import its record through the usual pipeline, attach
the file; a paper no identifier is found in is kept as an unidentified article, never lost.

Used by ``spinelib import paper.pdf``, a PDF dropped on the window and the watched folder.
The DOI in the PDF's metadata or on its first pages wins over DOIs cited later in the text
(:func:`spinelib.formats.pdf.find_identifiers`); a PDF that prints none is attached to the
article the library holds whose first page it plainly is (:mod:`spinelib.pdfheld`: no
network), else searched in Crossref by its first page, taken only when the page plainly is
the paper's (:mod:`spinelib.sources.page_match`), else in PubMed by its title on the same
check (:mod:`spinelib.sources.page_pubmed`); the report says which identifier was taken,
and how.

Promises (beside :mod:`spinelib.importer`'s): a file that is not a readable PDF (HTML, an
image, empty, cut short, encrypted) gets one failed item naming it and stores nothing; an
article created only to hold a PDF is removed again if the file cannot be stored; offline,
the paper is kept with the identifier found and the look-up is queued in ``pending``; a
service one PDF of an import found unreachable is not asked again for the rest of that import
(:mod:`spinelib.unreachable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spinelib.errors import NetworkError, SpineLibError
from spinelib.formats.pdf import FoundIdentifiers, PdfText, find_identifiers, title_guess
from spinelib.formats.pdf_heading import plain_title
from spinelib.identifiers import Identifier
from spinelib.importer import (
    Cancelled,
    ImportItem,
    ImportReport,
    Progress,
    import_identifiers,
    note_look_alikes,
)
from spinelib.importer import run_import as run_other_imports
from spinelib.importlists import add_imported, list_names
from spinelib.library import Library
from spinelib.library.pending import IDENTIFY_PREFIX
from spinelib.pdfheld import held_article
from spinelib.records import ArticleRecord
from spinelib.results_files import AttachmentSource
from spinelib.sources.http import HttpClient
from spinelib.sources.lookups import CROSSREF, PUBMED
from spinelib.unreachable import Unreachable

#: What a later PDF's reason adds to the one the first PDF met.
NOT_ASKED_AGAIN = " (not asked again: an earlier PDF of this import found it so)"


def is_pdf_input(given: str) -> bool:
    path = Path(given).expanduser()
    return path.suffix.lower() == ".pdf" and path.is_file()


def pdfs_in(folder: Path) -> list[Path]:
    """Every PDF in ``folder`` and its sub-folders, in name order: a folder named to
    ``spinelib import`` or dropped on the window stands for the papers in it."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def _found_note(found: FoundIdentifiers) -> str:
    what = f"{found.kind.upper()} {found.value} found in {found.where}"
    if found.others:
        n = len(found.others)
        what += f"; {n} other DOI{'s' if n != 1 else ''} in the text taken as citations"
    return what


def _existing(library: Library, found: FoundIdentifiers) -> int | None:
    try:
        return library.articles.resolve_key(found.value)
    except SpineLibError:
        return None


def import_pdf(library: Library, path: Path, *, client: HttpClient | None,
               tags: Sequence[str] = (), origin: str = AttachmentSource.USER,
               report: ImportReport, unreachable: Unreachable | None = None) -> ImportItem:
    """Import one PDF (see the module docstring); the item is also appended to ``report``,
    whose count of files attached says when the file went to an article it already held
    (the item is "unchanged", but the article has a file more: "1 unchanged, 1 file
    attached", not a bare "1 unchanged"). The PDFs of one import share ``unreachable``."""
    item, attached = _import_pdf(library, path, client=client, tags=tags, origin=origin,
                                 down=unreachable or Unreachable(NOT_ASKED_AGAIN))
    report.items.append(item)
    report.attached += attached
    return item


def _import_pdf(library: Library, path: Path, *, client: HttpClient | None,
                tags: Sequence[str], origin: str,
                down: Unreachable) -> tuple[ImportItem, bool]:
    """The PDF's item (``waits`` when its identification waits for the network: a search
    or fetch queued), and whether its file was attached to an article already held."""
    given = path.name
    try:
        pdf = library.attachments.read_pdf(path, heading=True)
        digest = library.attachments.digest(path)
    except SpineLibError as exc:
        return ImportItem(given, "failed", str(exc).removeprefix(f"{given}: ")), False
    holder = library.attachments.holder_of(digest[0])
    if holder is not None:  # the same file imported again: never a second article
        return ImportItem(given, "unchanged", "already in the library with this file",
                          holder, library.articles.citekey(holder)), False
    found = find_identifiers(pdf)
    notes: list[str] = []
    held = None if found.kind else held_by_first_page(library, pdf)
    unreachable = ""  # why the first page could not be searched (queued to be, then)
    if held is not None:  # no identifier, but the library knows the paper: no look-up
        article_id: int | None = held
        status = "unchanged"
        notes.append("its page 1 holds that article's whole title, first author and year")
    else:
        if not found.kind and client is not None:
            found, unreachable = _by_first_page(pdf, client, notes, down)
        article_id, status = _identify(library, found, client=client, tags=tags,
                                       notes=notes, down=down)
    fetch_queued = status == "queued"  # kept with its identifier, whose fetch waits
    status = "imported" if fetch_queued else status
    created = False
    if article_id is None:
        article_id, created = _keep(library, path, pdf, found, tags), True
        if not found.kind:
            notes.append("kept as unidentified: no DOI or PMID found in the file")
    try:
        outcome = library.attachments.attach(article_id, path, origin=origin, pdf=pdf,
                                             digest=digest)
    except SpineLibError as exc:
        if created:
            library.articles.delete([article_id])
        return ImportItem(given, "failed", str(exc)), False
    notes.extend(outcome.notes)
    search_queued = bool(unreachable) and library.attachments.needs_identification(article_id)
    if search_queued:
        library.pending.queue(f"{IDENTIFY_PREFIX}{article_id}", unreachable)
        notes.append("its first page is searched again by a retry of the pending imports")
    _note_unchanged(notes, already=outcome.already, status=status)
    return ImportItem(given, status, "; ".join(notes), article_id,  # type: ignore[arg-type]
                      library.articles.citekey(article_id),
                      waits=fetch_queued or search_queued), \
        status == "unchanged" and not outcome.already


def held_by_first_page(library: Library, pdf: PdfText) -> int | None:
    """The article the library holds whose first page the PDF's plainly is (by its title,
    first author and year: :mod:`spinelib.pdfheld`), for a file that names no identifier;
    no network. The import and its dry run both ask it."""
    if not pdf.texts:
        return None
    titles = [t for t in (pdf.heading, plain_title(pdf.metadata.get("Title", ""))) if t]
    return held_article(library, pdf.texts[0], titles, heading=pdf.heading)


def _by_first_page(pdf: PdfText, client: HttpClient, notes: list[str],
                   down: Unreachable) -> tuple[FoundIdentifiers, str]:
    """The DOI Crossref gives for the paper whose first page the PDF's is, when the page
    plainly is that paper's (:mod:`spinelib.sources.page_match`), else the PMID PubMed
    gives by the PDF's title on the same check (:mod:`spinelib.sources.page_pubmed`);
    nothing found otherwise, with a note for each service that could not be asked (the
    paper is then kept unidentified), and why one could not be reached ('' when both
    answered, or one found it)."""
    from spinelib.sources.page_match import find_doi_on_page
    from spinelib.sources.page_pubmed import find_pmid_on_page

    if not pdf.texts:
        return FoundIdentifiers(), ""
    title = plain_title(pdf.metadata.get("Title", "")) or pdf.heading
    unreachable = ""
    try:
        doi = down.ask(CROSSREF, find_doi_on_page, client, pdf.texts[0], title, pdf.heading)
    except SpineLibError as exc:
        notes.append(f"not searched in Crossref by its first page: {exc}")
        unreachable, doi = (str(exc) if isinstance(exc, NetworkError) else ""), ""
    if doi:
        return FoundIdentifiers("doi", doi.lower(),
                                "Crossref, by page 1's title and authors"), ""
    try:  # a paper from before its journal's DOIs: PubMed, by the PDF's title
        pmid = down.ask(PUBMED, find_pmid_on_page, client, pdf.texts[0], title, pdf.heading)
    except SpineLibError as exc:
        notes.append(f"not searched in PubMed by its first page: {exc}")
        return FoundIdentifiers(), unreachable or (
            str(exc) if isinstance(exc, NetworkError) else "")
    if pmid:
        return FoundIdentifiers("pmid", pmid, "PubMed, by page 1's title and authors"), ""
    return FoundIdentifiers(), unreachable


def _identify(library: Library, found: FoundIdentifiers, *, client: HttpClient | None,
              tags: Sequence[str], notes: list[str],
              down: Unreachable) -> tuple[int | None, str]:
    """The article the PDF's identifier names (already stored or imported now) and the status;
    (None, "imported") when there is none yet, (None, "queued") when its fetch waits for the
    network. Notes what was found and tried."""
    if not found.kind:
        return None, "imported"
    notes.append(_found_note(found))
    article_id = _existing(library, found)
    if article_id is not None:
        return article_id, "unchanged"
    if client is None:
        return None, "imported"
    return _look_up(library, found, client=client, tags=tags, notes=notes, down=down)


def _look_up(library: Library, found: FoundIdentifiers, *, client: HttpClient,
             tags: Sequence[str], notes: list[str],
             down: Unreachable) -> tuple[int | None, str]:
    """Import the record the identifier names; (None, "imported") and a note if that fails,
    (None, "queued") if the network stopped it. Not asked when a fetch of its kind found the
    network down earlier in the import: queued at once, as the fetch would have queued it."""
    said = down.said(found.kind)
    if said is not None:
        library.pending.queue(found.value, said, tags=tags)
        notes.append(f"look-up queued ({said})")
        return None, "queued"
    fetched = import_identifiers(library, [Identifier(found.kind, found.value)],  # type: ignore[arg-type]
                                 client=client, tags=tags)[0]
    if fetched.ok and fetched.article_id:
        return fetched.article_id, fetched.status
    if fetched.status == "queued":
        down.remember(found.kind, fetched.message)
        notes.append(f"look-up queued ({fetched.message})")
        return None, "queued"
    notes.append(f"look-up {fetched.status.replace('_', ' ')}: {fetched.message}")
    return None, "imported"


def _note_unchanged(notes: list[str], *, already: bool, status: str) -> None:
    """Put first in ``notes`` what became of an article that was already in the library."""
    if already and status == "unchanged":
        notes.insert(0, "already in the library with this file")
    elif status == "unchanged":
        notes.insert(0, "attached to the article already in the library")


def _keep(library: Library, path: Path, pdf: PdfText, found: FoundIdentifiers,
          tags: Sequence[str]) -> int:
    """An article made from the PDF alone: its identifier if one was found, a title from its
    metadata or first line; marked as needing identification when nothing identifies it or
    the look-up failed."""
    record = ArticleRecord(title=title_guess(pdf, path.stem), source="pdf")
    if found.kind == "doi":
        record.doi = found.value
    elif found.kind == "pmid":
        record.pmid = found.value
    result = library.articles.add_records([record], tags=tags, suggest_tags=False)[0]
    if not found.kind:
        library.attachments.mark_unidentified(result.article_id,
                                              f"no identifier in {path.name}")
    return result.article_id


def run_import(library: Library, inputs: Sequence[str], *, client: HttpClient | None,
               tags: Sequence[str] = (), with_references: bool = True,
               progress: Progress | None = None,
               cancelled: Cancelled | None = None,
               lists: Sequence[str] = ()) -> ImportReport:
    """:func:`spinelib.importer.run_import` with PDFs as well: each PDF (a folder: the PDFs
    in it, :func:`pdfs_in`) is identified and attached, everything else goes through the
    usual pipeline; all of it into the reading lists ``lists``."""
    lists = list_names(library, lists)  # before any work, as the tags are
    pdfs: list[Path] = []
    others: list[str] = []
    empty: list[ImportItem] = []
    for given in inputs:
        path = Path(given).expanduser()
        if path.is_dir():
            found = pdfs_in(path)
            pdfs.extend(found)
            if not found:
                empty.append(ImportItem(given, "failed", "no PDF in this folder or its "
                                        "sub-folders (a folder is imported as its PDFs)"))
        elif is_pdf_input(given):
            pdfs.append(path)
        else:
            others.append(given)
    report = (run_other_imports(library, others, client=client, tags=tags,
                                with_references=with_references, progress=progress,
                                cancelled=cancelled, look_alikes=not pdfs, lists=lists)
              if others else ImportReport())
    report.items.extend(empty)
    first_pdf = len(report.items)
    tag_ids = [library.tags.resolve(t) for t in tags]
    down = Unreachable(NOT_ASKED_AGAIN)
    for n, path in enumerate(pdfs, start=1):
        if cancelled and cancelled():
            report.items.append(ImportItem(path.name, "cancelled", "not started"))
            continue
        import_pdf(library, path, client=client, tags=tag_ids, report=report,
                   unreachable=down)
        if progress:
            progress(n, len(pdfs), path.name)
    if pdfs:
        add_imported(library, report.items[first_pdf:], lists, report)
        note_look_alikes(library, report)
    return report


def scan_watched_folder(library: Library, folder: Path, *, client: HttpClient | None
                        ) -> ImportReport:
    """Import the PDFs in ``folder`` not attached yet (same content = already attached)."""
    from spinelib.library.filestore import sha256_of

    report = ImportReport()
    if not folder.is_dir():
        report.items.append(ImportItem(str(folder), "failed", "the watched folder does not exist"))
        return report
    known = {a.sha256 for a in library.attachments.all()}
    down = Unreachable(NOT_ASKED_AGAIN)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".pdf" or not path.is_file():
            continue
        try:
            if sha256_of(path)[0] in known:
                continue
        except OSError as exc:
            report.items.append(ImportItem(path.name, "failed", exc.strerror or str(exc)))
            continue
        import_pdf(library, path, client=client, origin=AttachmentSource.WATCHED,
                   report=report, unreachable=down)
    return report
