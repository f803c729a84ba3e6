"""The work the GUI hands to its workers: plain functions over the Library, no Qt.

Each function takes plain values (the Library facade, ids, strings, settings) and returns a
plain value (a dataclass, a list, text). They run on :class:`~spinelib.gui.tasks.TaskRunner`
threads, never on the GUI thread, and are tested without a window. Keeping them here keeps
the widgets thin: a widget asks for a job and shows what comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spinelib import formats, importer
from spinelib.curation_results import SavedSearch
from spinelib.errors import NoMatch, SpineLibError
from spinelib.formats.registry import EXPORT_CHOICES, GROUP_FORMATS, export_format
from spinelib.importer import ImportReport
from spinelib.library import (
    BIBLIOGRAPHY,
    FacetAssignment,
    Library,
    Query,
    ReadingListInfo,
    ReferenceRow,
    Row,
    SidebarCounts,
    TagAssignment,
    TagCount,
)
from spinelib.pendingretry import PendingRetry
from spinelib.records import ArticleRecord
from spinelib.safety_results import CitationCount, CitedFlag, Flag
from spinelib.settings import Settings
from spinelib.text import plural
from spinelib.vocabulary import explain

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

#: Export format name -> (menu label, file-dialog filter), read from the format registry
#: for the preferences dialog (which can read ``EXPORT_CHOICES`` there instead).
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    name: (export_format(name).label, export_format(name).file_filter)
    for name in EXPORT_CHOICES}


# ------------------------------------------------------------------ the detail pane
@dataclass
class DetailData:
    """Everything the detail pane shows for one article, loaded in one go on a worker."""

    article_id: int
    record: ArticleRecord
    citation: str
    #: The citation's style as its title reads ("Spine"), for the "Cite as" heading.
    citation_style: str
    read_status: int
    rating: int
    added_at: str
    tags: list[TagAssignment]
    suggested: list[TagAssignment]
    facets: list[dict[str, str]]
    references: list[ReferenceRow]
    terms: list[str] = field(default_factory=list)
    #: The article's most serious current notice (issue 17), and its flagged references.
    flag: Flag | None = None
    cites_flagged: list[CitedFlag] = field(default_factory=list)
    #: Its citation counts, one per source, each with the date it was taken (issue 17).
    citation_counts: list[CitationCount] = field(default_factory=list)
    #: Techniques the text mentions that were not suggested, each with why (issue 22):
    #: "negated in results: 'vertebroplasty'", re-read with the current vocabulary.
    not_suggested: list[TagAssignment] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)  # the reading lists it is in, by name
    #: Why it is kept as an unidentified PDF ("no identifier in x.pdf"); None when it is not.
    unidentified: str | None = None


def format_citation(record: ArticleRecord, style: str = "vancouver") -> str:
    """One formatted reference in a CSL style (``spinelib.cite`` owns the style rules)."""
    from spinelib.cite import format_reference

    return format_reference(record, style)


def facet_labels(library: Library) -> dict[str, dict[str, str]]:
    """facet -> value id -> its label in the vocabulary ('renal_cell' -> 'Renal cell
    carcinoma'); values the vocabulary does not know are shown as stored."""
    values = getattr(library.taxonomy, "facet_values", {}) or {}
    return {facet: dict(pairs) for facet, pairs in values.items()}


def load_detail(library: Library, article_id: int, search: str = "",
                style: str = "vancouver") -> DetailData:
    """The detail pane's data for ``article_id``; ``search`` gives the words to highlight,
    ``style`` the citation style of its "Cite as" (the one Copy citation uses)."""
    record = library.articles.record(article_id)
    state = library.articles.state(article_id)
    tags = library.tags.state(article_id)
    citation, style_title = _cite_as(library.articles.as_cited([record])[0], style)
    return DetailData(
        article_id=article_id, record=record, citation=citation, citation_style=style_title,
        read_status=int(state.read_status), rating=state.rating, added_at=state.added_at,
        tags=tags.tags, suggested=tags.suggested,
        facets=_labelled_facets(library, library.articles.facets(article_id)),
        references=library.articles.references(article_id),
        terms=library.search.highlight_terms(search) if search.strip() else [],
        flag=library.retractions.flag(article_id),
        cites_flagged=library.retractions.cites(article_id),
        citation_counts=library.retractions.citation_counts(article_id),
        not_suggested=not_suggested(library, record, {t.id for t in tags.tags + tags.suggested}),
        lists=library.lists.of_article(article_id),
        unidentified=library.attachments.unidentified_reason(article_id))


def _cite_as(record: ArticleRecord, style: str) -> tuple[str, str]:
    """(the record formatted in ``style``, the style's title); in Vancouver when ``style``
    is gone or cannot format it (a user's style removed since it was chosen): the pane
    still cites the article rather than failing."""
    from spinelib.cite import StyleEngine

    for chosen in dict.fromkeys((style or "vancouver", "vancouver")):
        try:
            return format_citation(record, chosen), StyleEngine.for_id(chosen).info.title
        except SpineLibError:
            continue
    return "", ""


def reload_detail(library: Library, article_id: int, search: str = "",
                  style: str = "vancouver") -> DetailData | None:
    """:func:`load_detail` of the article already shown; None when it is no longer there
    (moved to the trash by another window or a command meanwhile)."""
    try:
        return load_detail(library, article_id, search, style)
    except NoMatch:
        return None


def not_suggested(library: Library, record: ArticleRecord, shown: set[str]
                  ) -> list[TagAssignment]:
    """The techniques ``record`` mentions without a suggestion, with the reason (the
    ``explain`` command's second list), leaving out the tags already in ``shown``."""
    out: list[TagAssignment] = []
    for item in explain(record, library.taxonomy).not_suggested:
        if item.tag_id not in shown:
            tag = library.taxonomy.get(item.tag_id)
            out.append(TagAssignment(item.tag_id, tag.label if tag else item.tag_id,
                                     item.reason.removeprefix("not suggested: "),
                                     "not_suggested"))
    return out


def load_cited_by(library: Library, article_id: int) -> tuple[int, list[Row]]:
    """(article_id, table rows of the articles in the library that cite it), loaded apart
    from :func:`load_detail` because it searches every stored reference list."""
    cited = library.articles.cited_by(article_id)
    rows = library.search.table_rows(cited)
    return article_id, [rows[i] for i in cited if i in rows]


def _labelled_facets(library: Library, found: list[FacetAssignment]) -> list[dict[str, str]]:
    """Facet values with their vocabulary labels, as the Details tab shows them."""
    labels = facet_labels(library)
    return [{"facet": f.facet, "value": f.value, "reason": f.reason,
             "label": labels.get(f.facet, {}).get(f.value, f.value)} for f in found]


# ------------------------------------------------------------------ the sidebar
@dataclass
class SidebarData:
    """Counts and entries for the sidebar (fixed entries, lists, techniques, facets)."""

    counts: SidebarCounts
    lists: list[ReadingListInfo]
    tags: list[TagCount]
    facets: dict[str, list[tuple[str, int]]]
    #: facet -> value id -> label (see :func:`facet_labels`).
    facet_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Saved searches with how many articles each finds now (issue 15: live smart lists).
    saved: list[tuple[SavedSearch, int]] = field(default_factory=list)
    #: Articles in the trash.
    trash: int = 0


def load_sidebar(library: Library) -> SidebarData:
    return SidebarData(counts=library.search.sidebar_counts(), lists=library.lists.all(),
                       tags=library.tags.counts(), facets=library.search.facet_counts(),
                       facet_labels=facet_labels(library), saved=library.searches.counts(),
                       trash=library.trash.count())


# ------------------------------------------------------------------ export and copy
@dataclass
class ExportOutput:
    """What an export produced: the text, how many articles, and what may be lost."""

    text: str
    count: int
    problems: list[str]
    path: Path | None = None
    #: A reference list's HTML fragment, for the clipboard (asked with ``html=True``).
    html: str = ""

    @property
    def articles(self) -> str:
        """How many articles, in words ("1 article", "1,200 articles")."""
        return plural(self.count)


def scope_ids(library: Library, ids: Sequence[int] | None, list_name: str | None) -> list[int]:
    """The articles an export covers, in the order they are shown or listed.

    ``ids`` given: exactly those (the selection or the current filter); else the reading
    list ``list_name`` in its own order; else the whole library by date added.
    """
    if ids is not None:
        return list(ids)
    if list_name is not None:
        return library.lists.items(list_name)
    return library.search.ids(Query())


#: ``fmt`` of a reference list in a CSL style: "bibliography:" + the style id.
BIBLIOGRAPHY_PREFIX = "bibliography:"


def build_export(library: Library, ids: Sequence[int] | None, list_name: str | None,
                 fmt: str, abstracts: bool = False, files: bool = False,
                 lists: bool = False, *, html: bool = False) -> ExportOutput:
    """Render the scope in ``fmt`` (an export format in the format registry, or
    ``bibliography:STYLE``) with the format's warnings; ``files``: each entry names its
    attached files (BibTeX, BibLaTeX, RIS); ``lists``: a .bib ends with the reading lists
    as JabRef groups; ``html``: a reference list brings its HTML too (for the clipboard)."""
    from spinelib.cite import bibliography_fragment, format_bibliography

    if fmt.startswith(BIBLIOGRAPHY_PREFIX):
        style = fmt[len(BIBLIOGRAPHY_PREFIX):]
        _chosen, records = _scope_records(library, ids, list_name, BIBLIOGRAPHY)
        return ExportOutput(format_bibliography(records, style), len(records),
                            formats.export_problems(records, "vancouver"),
                            html=bibliography_fragment(records, style) if html else "")
    try:
        export = export_format(fmt)
    except ValueError:
        raise SpineLibError(f"unknown export format {fmt!r}") from None
    chosen, records = _scope_records(library, ids, list_name, fmt)
    if files:
        library.attachments.name_files(chosen, records)
    # A reading list's report is headed by its name (the selection's by none).
    title = list_name if ids is None and list_name else ""
    text = export.write(records, abstracts=abstracts, title=title)
    if lists and fmt in GROUP_FORMATS:
        text += library.exports.list_groups(chosen, records)
    problems = list(export.problems(records))
    problems += library.retractions.export_warnings(chosen)  # issue 17
    fragment = bibliography_fragment(records, export.style) if html and export.style else ""
    return ExportOutput(text, len(records), problems, html=fragment)


def _scope_records(library: Library, ids: Sequence[int] | None, list_name: str | None,
                   fmt: str) -> tuple[list[int], list[ArticleRecord]]:
    """An export's articles (:func:`scope_ids`) and their records as an export in ``fmt``
    writes them (:meth:`ExportsManager.records`); SpineLibError when the scope holds none."""
    chosen = scope_ids(library, ids, list_name)
    if not chosen:
        raise SpineLibError("nothing to export: the chosen scope holds no articles")
    return chosen, library.exports.records(chosen, fmt)


def export_to_file(library: Library, ids: Sequence[int] | None, list_name: str | None,
                   fmt: str, abstracts: bool, path: Path, files: bool = False,
                   lists: bool = False) -> ExportOutput:
    """:func:`build_export`, then write the file atomically (never half a file); a reference
    list to a .docx file is written as a Word document."""
    from spinelib.manuscript.reflist import is_word_document, write_reference_list

    if fmt.startswith(BIBLIOGRAPHY_PREFIX) and is_word_document(path):
        _chosen, records = _scope_records(library, ids, list_name, BIBLIOGRAPHY)
        count = write_reference_list(records, fmt[len(BIBLIOGRAPHY_PREFIX):], path)
        return ExportOutput("", count, formats.export_problems(records, "vancouver"), path)
    out = build_export(library, ids, list_name, fmt, abstracts, files, lists)
    try:
        formats.write_atomic(path, out.text)
    except OSError as exc:
        raise SpineLibError(f"cannot write {path}: {exc.strerror or exc}") from exc
    out.path = path
    return out


@dataclass(frozen=True)
class CitationsClip:
    """Citations for the clipboard: plain text, and HTML with the style's italics and bold
    (what a word processor pastes)."""

    text: str
    html: str
    #: The style's title, as Preferences and the detail pane's "Cite as" name it.
    style_title: str = ""


def citations_clip(library: Library, ids: Sequence[int], style: str = "vancouver"
                   ) -> CitationsClip:
    """Formatted citations for the clipboard in a CSL style ("vancouver", "ama" or the one
    chosen in Preferences): one as it is, several as the style's list; as text and as HTML."""
    from spinelib.cite import StyleEngine, format_references

    records = library.articles.records_to_cite(ids)
    return CitationsClip(format_references(records, style),
                         format_references(records, style, html=True),
                         StyleEngine.for_id(style).info.title)


def bibtex_text(library: Library, ids: Sequence[int]) -> str:
    """The BibTeX entries for the clipboard, as ``export --format bibtex`` writes them (for a
    LaTeX author's .bib, without an export file in between)."""
    return library.exports.render(library.articles.records(ids, with_references=False),
                                  "bibtex")


def citekeys_text(library: Library, ids: Sequence[int]) -> str:
    """Citation keys for the clipboard, comma-separated (ready for ``\\cite{…}``)."""
    return ", ".join(library.articles.citekey(i) for i in ids)


# ------------------------------------------------------------------ imports
@dataclass
class ImportOutcome:
    """An import's report plus what it says about the network."""

    report: ImportReport
    #: "online" when a service answered, "offline" when anything was queued (a kept PDF's
    #: search or fetch too), None when the import never needed the network (files only).
    network: str | None
    #: A retry of the pending queue: its first-page searches and open-access look-ups.
    retried: PendingRetry | None = None


def network_state(report: ImportReport, used_network: bool) -> str | None:
    if report.waiting or any(item.status == "queued" for item in report.items):
        return "offline"
    return "online" if used_network else None


def run_import(library: Library, inputs: Sequence[str], settings: Settings, *,
               tags: Sequence[str] = (), with_references: bool = True,
               progress: Progress | None = None,
               cancelled: Cancelled | None = None,
               lists: Sequence[str] = ()) -> ImportOutcome:
    """The shared import pipeline with a client made for this run: the CLI's
    (pdfimport.run_import), so a PDF or a folder pasted into the dialog imports as
    ``spinelib import`` does, under the user's attachment settings (link base folder,
    text caps), into the reading lists ``lists``. PDFs dropped on the window come here too
    (:mod:`spinelib.gui.pdfjobs`)."""
    from spinelib.pdfimport import run_import as import_all
    from spinelib.sources.http import HttpClient

    library.attachments.configure(settings)
    # A client for every import: a file may list identifiers to fetch (a .txt of DOIs, a
    # Word reference list); it opens no connection until one is looked up.
    client = HttpClient(settings)
    try:
        report = import_all(library, inputs, client=client, tags=tags,
                            with_references=with_references, progress=progress,
                            cancelled=cancelled, lists=lists)
    finally:
        client.close()
    # A PDF's first-page search or DOI fetch uses the network too (``client.answers``).
    return ImportOutcome(report, network_state(report, report.fetched > 0
                                               or client.answers > 0))


def retry_pending(library: Library, settings: Settings, *, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> ImportOutcome:
    """Retry everything queued while offline (spinelib.pendingretry)."""
    from spinelib.pendingretry import retry_pending as retry_queue
    from spinelib.sources.http import HttpClient

    client = HttpClient(settings)
    try:
        retried = retry_queue(library, client, progress=progress, cancelled=cancelled)
    finally:
        client.close()
    asked = bool(retried.report.items or retried.identified or retried.found)
    network = "offline" if retried.still_pending else network_state(retried.report, asked)
    return ImportOutcome(retried.report, network, retried)


def reference_inputs(library: Library, article_id: int, positions: Sequence[int] | None
                     ) -> tuple[list[str], list[importer.ImportItem]]:
    """Import inputs for the chosen references (all when ``positions`` is None), and a failed
    item for each chosen reference that has no identifier to fetch it by."""
    idents, problems = importer.reference_identifiers(library, article_id, positions)
    # The bare normalised values parse back unambiguously (10.… DOI, digits PMID, PMC… PMCID).
    return [i.value for i in idents], problems

