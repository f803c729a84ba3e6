"""The detail pane: one article's citation, abstract, tags, reading state, notes, references.

Everything shown is loaded in one worker job (:func:`spinelib.gui.jobs.load_detail`); every
edit (accepting a suggested tag, the read status, the rating, the notes) is written on the
write worker and then the article is loaded again, so what is shown is what is stored.
Its parts: :class:`~spinelib.gui.tagpanel.TagPanel`, the reading state and notes
(:class:`~spinelib.gui.readingstate.ReadingStateBox`, which also keeps a load that read the
article before an edit from undoing it on screen), the
:class:`~spinelib.gui.referencestab.ReferencesTab` and the "Cited by" list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui import detailtabs, editpane, jobs
from spinelib.gui.citedbytab import CitedByTab
from spinelib.gui.detailhtml import Colours, detail_html, identifier_links
from spinelib.gui.evidencetab import EvidenceTab
from spinelib.gui.jobs import DetailData, load_cited_by, load_detail, reload_detail
from spinelib.gui.noticebanner import NoticeBanner
from spinelib.gui.readingstate import ReadingStateBox
from spinelib.gui.referencestab import ReferencesTab
from spinelib.gui.tagpanel import TagPanel
from spinelib.gui.tasks import TaskRunner
from spinelib.importer import ImportItem
from spinelib.library import Library, Row
from spinelib.libraryaccess import LibraryAccess, usable_access
from spinelib.settings import Settings


def palette_colours(widget: QWidget) -> Colours:
    """The HTML colours from the widget's palette (so dark themes work)."""
    pal = widget.palette()
    return Colours(text=pal.color(QPalette.ColorRole.Text).name(),
                   dim=pal.color(QPalette.ColorRole.PlaceholderText).name(),
                   link=pal.color(QPalette.ColorRole.Link).name(),
                   mark_bg=pal.color(QPalette.ColorRole.Highlight).name(),
                   mark_fg=pal.color(QPalette.ColorRole.HighlightedText).name())


class DetailPane(QWidget):
    """Shows the current article; edits go to the Library on the write worker."""

    #: Articles whose table rows and sidebar counts changed.
    articles_changed = Signal(list)
    #: Ask the window to show another article (a reference or a citing article).
    open_article = Signal(int)
    #: Ask to open the tag picker for these articles.
    add_tags_requested = Signal(list)
    #: Import these inputs (identifiers) with these already-failed items (no identifier).
    import_requested = Signal(list, list)
    #: A plain message for the status bar.
    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None, *, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.article_id: int | None = None
        self.data: DetailData | None = None
        #: The articles citing the shown one (loaded after it, see _cited_loaded).
        self.cited_rows: list[Row] = []
        self.search = ""
        self.citation_style = "vancouver"  # Cite as: the Copy citation style (use_settings)
        self.access = LibraryAccess()  # the reader's library's links (spinelib.libraryaccess)
        self._generation = 0
        self._allowed_urls: set[str] = set()
        #: Opens a link in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = NoticeBanner(self)
        layout.addWidget(self.banner)

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel("Select an article to see its details.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        detailtabs.fit_all_tabs(self.tabs)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)

        self._build_details_tab()
        self.references = ReferencesTab(self)
        self.references.import_positions.connect(self._import_references)
        self.references.open_article.connect(self.open_article)
        self.tabs.addTab(self.references, "Refs")
        self.tabs.setTabToolTip(self.tabs.indexOf(self.references), "This article's reference list")
        self.cited_by = CitedByTab(self)
        self.cited_by.open_article.connect(self.open_article)
        self.tabs.addTab(self.cited_by, "Cited by")
        self.tabs.setTabToolTip(self.tabs.indexOf(self.cited_by),
                                "The articles citing this one: here, and in Europe PMC")
        self.evidence = EvidenceTab(library, runner, self)  # issue 17
        self.evidence.message.connect(self.message)
        self.tabs.addTab(self.evidence, "Evidence")

        #: The table's selection (see :meth:`set_selection`).
        self.selection: list[int] = []
        #: Edit mode: the article's fields in place (issue 15; see spinelib.gui.editpane).
        self.edit_button: QWidget | None = None
        self.edit_pane = editpane.install(self)
        self.use_settings(settings or Settings())  # nothing shown yet: nothing reloads
        self.show_article(None)

    def _build_details_tab(self) -> None:
        self.details_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.details_splitter.setObjectName("detailSplitter")
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.anchorClicked.connect(self._link_clicked)
        self.details_splitter.addWidget(self.browser)

        bottom = QWidget(self)
        box = QVBoxLayout(bottom)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(6)
        self.tag_panel = TagPanel(bottom)
        self.tag_panel.remove.connect(self.remove_tag)
        self.tag_panel.accept.connect(self.accept_tag)
        self.tag_panel.reject.connect(self.reject_tag)
        self.tag_panel.add.connect(lambda: self.add_tags_requested.emit(
            [self.shown_id] if self.shown_id is not None else []))
        box.addWidget(self.tag_panel)

        self.reading = ReadingStateBox(self.library, self.runner, bottom)
        self.reading.written.connect(self._written)
        self.reading.message.connect(self.message)
        box.addWidget(self.reading)
        box.addStretch(1)
        self.details_splitter.addWidget(bottom)
        self.details_splitter.setStretchFactor(0, 1)
        self.details_splitter.setStretchFactor(1, 0)
        self.details_splitter.setSizes([700, 120])
        self.bottom = bottom
        # The lower part takes what its tags and notes need; the abstract gets the rest.
        # Refitted when its width changes too: the suggestions' reasons wrap anew.
        self.reading.fitted.connect(self.fit_bottom)
        bottom.installEventFilter(self)
        self._bottom_width = 0
        self.tabs.addTab(self.details_splitter, "Details")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (watched is self.bottom and event.type() == QEvent.Type.Resize
                and self.bottom.width() != self._bottom_width):
            self._bottom_width = self.bottom.width()
            QTimer.singleShot(0, self, self.fit_bottom)
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Never narrower than every tab's whole label (tabs added later included), so the
        window's splitter cannot squeeze them into "Det…" and "Cited by …"."""
        hint = super().minimumSizeHint()
        return QSize(max(300, detailtabs.needed_width(self.tabs) + 12), hint.height())

    # ------------------------------------------------------------ showing
    def show_article(self, article_id: int | None, search: str | None = None, *,
                     again: bool = False) -> None:
        """Show ``article_id`` (None: nothing); ``search`` words are highlighted. ``again``:
        it is shown already and may have gone meanwhile (then nothing is shown, quietly)."""
        if search is not None:
            self.search = search
        if article_id != self.article_id:
            self.reading.save_notes()  # pending notes belong to the article being left
        self.article_id = article_id
        self._generation += 1
        if article_id is None:
            self.data = None
            self.banner.hide()
            self._show_page(self.placeholder)
            self.reading.show_nothing()
            return
        generation = self._generation
        self.runner.start(reload_detail if again else load_detail, self.library, article_id,
                          self.search, self.citation_style,
                          on_done=lambda data: self._loaded(generation, data),
                          on_error=lambda msg: self._load_failed(generation, msg))

    def use_settings(self, settings: Settings) -> None:
        """Cite in the Preferences' citation style and link through the reader's library
        (its proxy and resolver, those that can work): the shown article again."""
        self.citation_style = settings.citation_style or "vancouver"
        self.access = self.references.access = self.cited_by.access = usable_access(
            settings.library_proxy, settings.link_resolver)
        self.reload()

    def reload(self) -> None:
        """Load the shown article again (after it changed elsewhere)."""
        if self.article_id is not None:
            self.show_article(self.article_id, again=True)

    def set_search(self, search: str) -> None:
        if search != self.search:
            self.search = search
            self.reload()

    def _load_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.message.emit(message)
            self.show_article(None)

    def _loaded(self, generation: int, data: DetailData | None) -> None:
        if generation != self._generation:
            return
        if data is None:  # shown again, but it has gone (deleted elsewhere)
            self.show_article(None)
            return
        same_article = self.data is not None and self.data.article_id == data.article_id
        self.data = data
        rec = data.record
        self._allowed_urls = {QUrl(url).toString(QUrl.ComponentFormattingOption.FullyEncoded)
                              for _label, url in identifier_links(rec, self.access)}
        self._render(keep_scroll=same_article)
        self.banner.show_for(data)
        self.tag_panel.show_tags(data.tags, data.suggested, not_suggested=data.not_suggested)
        self.tag_panel.set_scope(len(self._targets()))
        self.reading.show_state(data.article_id, data.read_status, data.rating, rec.notes)
        self.reading.fit_notes()
        self.fit_bottom()
        # Again once laid out: new suggestion rows know their wrapped height only then (a
        # two-line reason was clipped at 1280x800).
        QTimer.singleShot(0, self, self.fit_bottom)
        self.references.show_references(data.references)
        self.references.mark_flagged({c.position: c.nature.value for c in data.cites_flagged})
        if not same_article:
            self.evidence.show_article(data.article_id)
        detailtabs.set_label(self.tabs, self.references,
                             *detailtabs.references_label(len(data.references)))
        if not same_article:
            self.cited_by.show_rows(None)
            detailtabs.set_label(self.tabs, self.cited_by, *detailtabs.cited_by_label(None))
        self._show_page(self.tabs)
        # Citing articles come second: finding them searches every stored reference list.
        self.runner.start(load_cited_by, self.library, data.article_id,
                          on_done=lambda result: self._cited_loaded(generation, result))

    def _show_page(self, page: QWidget) -> None:
        """Show the tabs or the placeholder, unless the Edit form is open: it keeps its
        article until Save or Cancel, whatever is selected meanwhile."""
        if self.stack.currentWidget() is not self.edit_pane:
            self.stack.setCurrentWidget(page)

    def fit_bottom(self) -> None:
        """Give the tags, status and notes the height they need and the abstract the rest
        (empty notes and no suggestions make the lower part a few lines high)."""
        total = sum(sizes := self.details_splitter.sizes())
        if total <= 0:
            return
        layout = self.bottom.layout()
        if layout is not None:
            layout.activate()
        # The height its wrapped labels need at the pane's real width, not at their
        # preferred one (the size hint's).
        need = self.bottom.heightForWidth(self.bottom.width())
        want = min(need if need > 0 else self.bottom.sizeHint().height(), total // 2)
        if sizes[1] != want:
            self.details_splitter.setSizes([total - want, want])

    def _cited_loaded(self, generation: int, result: tuple[int, list[Row]]) -> None:
        article_id, rows = result
        if generation != self._generation or self.shown_id != article_id:
            return
        self.cited_rows = rows
        self.cited_by.show_rows(rows)
        detailtabs.set_label(self.tabs, self.cited_by, *detailtabs.cited_by_label(len(rows)))

    def _render(self, *, keep_scroll: bool) -> None:
        """Write the Details text for the loaded article in the current palette's colours."""
        if self.data is None:
            return
        data = self.data
        scroll = self.browser.verticalScrollBar().value() if keep_scroll else 0
        self.browser.setHtml(detail_html(data.record, citation=data.citation,
                                         citation_style=data.citation_style, terms=data.terms,
                                         facets=data.facets, added_at=data.added_at,
                                         counts=data.citation_counts, lists=data.lists,
                                         colours=palette_colours(self), access=self.access))
        self.browser.verticalScrollBar().setValue(scroll)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        # The system switched between light and dark: the text's colours follow at once.
        if event.type() == QEvent.Type.PaletteChange:
            self._render(keep_scroll=True)

    def _link_clicked(self, url: QUrl) -> None:
        # Only the https addresses we built from validated identifiers are ever opened
        # (compared as written: a displayed form would decode a resolver's "%20"s).
        address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if url.scheme() in ("http", "https") and address in self._allowed_urls:
            self.open_url(url)

    # ------------------------------------------------------------ edits
    @property
    def shown_id(self) -> int | None:
        """The article whose details are on screen. Edits go to it, not to an article
        still loading (so a click during a slow load never lands on the wrong paper)."""
        return self.data.article_id if self.data is not None else None

    def _write(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run a tag edit of the shown article on the write worker, then show the result."""
        article_id = self.shown_id
        if article_id is None:
            return
        self.runner.start(fn, *args, pool="write",
                          on_done=lambda _result: self._written(article_id, True),
                          on_error=self.message.emit)

    def set_selection(self, ids: list[int]) -> None:
        """The table's selected articles: Accept and Reject act on all of them (those that
        have the suggestion) when several are selected."""
        self.selection = list(ids)
        self.tag_panel.set_scope(len(self.selection) if self.shown_id in self.selection else 1)

    def _targets(self) -> list[int]:
        if self.shown_id is None:
            return []
        return self.selection if self.shown_id in self.selection else [self.shown_id]

    def accept_tag(self, tag_id: str) -> None:
        self._judge(tag_id, accept=True)

    def reject_tag(self, tag_id: str) -> None:
        self._judge(tag_id, accept=False)

    def _judge(self, tag_id: str, *, accept: bool) -> None:
        """Accept or reject a suggestion for the shown article, or for the whole selection
        (each article that has it suggested) in one write."""
        ids = self._targets()
        if len(ids) <= 1:
            if self.shown_id is not None:
                judge = self.library.tags.accept if accept else self.library.tags.reject
                self._write(judge, self.shown_id, tag_id)
            return
        shown = self.shown_id
        verb = "Accepted" if accept else "Rejected"

        def done(n: int) -> None:
            self.message.emit(f"{verb} the suggested tag for {n:,} of {len(ids):,} "
                              "selected articles.")
            self.articles_changed.emit(ids)
            if shown is not None and self.article_id == shown:
                self.reload()

        self.runner.start(self.library.tags.judge_many, ids, tag_id, accept=accept,
                          pool="write", on_done=done, on_error=self.message.emit)

    def remove_tag(self, tag_id: str) -> None:
        if self.shown_id is not None:
            self._write(self.library.tags.remove, [self.shown_id], [tag_id])

    def _written(self, article_id: int, rows_changed: bool) -> None:
        """An edit of ``article_id`` was stored: tell the window whether its table row and
        counts changed, and load it again so what is shown is what is stored."""
        if rows_changed:
            self.articles_changed.emit([article_id])
        if self.article_id == article_id:
            self.reload()

    # -- references
    def _import_references(self, positions: list[int]) -> None:
        if self.shown_id is None:
            return
        self.runner.start(jobs.reference_inputs, self.library, self.shown_id, positions,
                          on_done=self._references_ready, on_error=self.message.emit)

    def _references_ready(self, result: tuple[list[str], list[ImportItem]]) -> None:
        inputs, problems = result
        if not inputs and not problems:
            self.message.emit("Nothing to import.")
            return
        self.import_requested.emit(inputs, problems)

    def current_tab_index(self) -> int:
        return self.tabs.currentIndex()


__all__ = ["DetailPane", "palette_colours"]
