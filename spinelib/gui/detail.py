"""The detail pane: one article's citation, abstract, tags, reading state, notes, references.

Everything shown is loaded in one worker job (:func:`spinelib.gui.jobs.load_detail`); every
edit (accepting a suggested tag, the read status, the rating, the notes) is written on the
write worker and then the article is loaded again, so what is shown is what is stored.
Notes save themselves a moment after typing stops, and at once when another article is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.detailhtml import Colours, detail_html, identifier_links
from spinelib.gui.jobs import DetailData, load_cited_by, load_detail, reference_inputs
from spinelib.gui.tablemodel import RETRACTED_COLOUR, short_label
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.widgets import FlowLayout, StarRating, WrapDelegate
from spinelib.importer import ImportItem
from spinelib.library import Library, Row

#: Quiet time (ms) after the last keystroke before notes are saved.
NOTES_DEBOUNCE_MS = 800
#: An erratum is a caution, not a withdrawal: amber rather than red.
ERRATUM_COLOUR = "#8a5a00"
ArticleIdRole = Qt.ItemDataRole.UserRole + 20
PositionRole = Qt.ItemDataRole.UserRole + 21


def palette_colours(widget: QWidget) -> Colours:
    """The HTML colours from the widget's palette (so dark themes work)."""
    pal = widget.palette()
    return Colours(text=pal.color(QPalette.ColorRole.Text).name(),
                   dim=pal.color(QPalette.ColorRole.PlaceholderText).name(),
                   link=pal.color(QPalette.ColorRole.Link).name(),
                   mark_bg=pal.color(QPalette.ColorRole.Highlight).name(),
                   mark_fg=pal.color(QPalette.ColorRole.HighlightedText).name())


class TagPanel(QWidget):
    """Confirmed tags as removable chips, then suggestions with reason, Accept and Reject."""

    remove = Signal(str)
    accept = Signal(str)
    reject = Signal(str)
    add = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        self.chips_box = QWidget(self)
        self.chips = FlowLayout(self.chips_box)
        outer.addWidget(self.chips_box)
        self.suggestions_box = QWidget(self)
        self.suggestions = QVBoxLayout(self.suggestions_box)
        self.suggestions.setContentsMargins(0, 0, 0, 0)
        self.suggestions.setSpacing(2)
        outer.addWidget(self.suggestions_box)
        self.chip_buttons: dict[str, QToolButton] = {}
        self.suggestion_rows: dict[str, tuple[QPushButton, QPushButton]] = {}

    def show_tags(self, tags: Sequence[dict[str, str]], suggested: Sequence[dict[str, str]],
                  enabled: bool = True) -> None:
        self.chips.clear()
        self.chip_buttons.clear()
        while self.suggestions.count():
            item = self.suggestions.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.hide()
                w.deleteLater()
        self.suggestion_rows.clear()
        for tag in tags:
            chip = QToolButton(self.chips_box)
            chip.setText(f"{short_label(tag['label'])}  ✕")
            chip.setToolTip(f"{tag['label']}\nClick to remove this tag")
            chip.setAccessibleName(f"Remove tag {tag['label']}")
            chip.clicked.connect(lambda _c=False, t=tag["id"]: self.remove.emit(t))
            chip.setEnabled(enabled)
            self.chips.addWidget(chip)
            self.chip_buttons[tag["id"]] = chip
        add = QToolButton(self.chips_box)
        add.setText("＋ Tag…")
        add.setToolTip("Add tags (Ctrl+T)")
        add.setAutoRaise(True)
        add.clicked.connect(lambda _c=False: self.add.emit())
        add.setEnabled(enabled)
        self.chips.addWidget(add)
        self.chips_box.updateGeometry()
        for tag in suggested:
            self.suggestions.addWidget(self._suggestion_row(tag, enabled))
        self.suggestions_box.setVisible(bool(suggested))

    def _suggestion_row(self, tag: dict[str, str], enabled: bool) -> QWidget:
        row = QFrame(self.suggestions_box)
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        label = QLabel(f"Suggested: <b>{_esc(short_label(tag['label']))}</b>", row)
        label.setToolTip(tag["label"])
        why = tag["reason"] or "matched the vocabulary"
        reason = QLabel(why, row)
        reason.setTextFormat(Qt.TextFormat.PlainText)
        reason.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        reason.setToolTip(f"Why: {why}")
        small = reason.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        reason.setFont(small)
        accept = QPushButton("Accept", row)
        accept.setToolTip(f"Confirm the tag {tag['label']}")
        reject = QPushButton("Reject", row)
        reject.setToolTip(f"Never suggest {tag['label']} for this article again")
        for b in (accept, reject):
            b.setEnabled(enabled)
            b.setAutoDefault(False)
        accept.clicked.connect(lambda _c=False, t=tag["id"]: self.accept.emit(t))
        reject.clicked.connect(lambda _c=False, t=tag["id"]: self.reject.emit(t))
        grid.addWidget(label, 0, 0)
        grid.addWidget(reason, 1, 0)
        grid.addWidget(accept, 0, 1, 2, 1)
        grid.addWidget(reject, 0, 2, 2, 1)
        grid.setColumnStretch(0, 1)
        self.suggestion_rows[tag["id"]] = (accept, reject)
        return row


class ReferencesTab(QWidget):
    """The article's reference list with in-library marks and import buttons."""

    import_positions = Signal(list)  # reference positions not yet in the library
    open_article = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel(self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["#", "✓", "Reference", "Identifier"])
        self.tree.headerItem().setToolTip(1, "✓ = already in your library")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        # Citations are read, not skimmed: they wrap instead of being cut off.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 115)
        self.tree.setItemDelegateForColumn(2, WrapDelegate(self.tree))
        # Row heights depend on the wrapped width: lay the rows out again when it changes.
        header.sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        self.import_selected = QPushButton("Import selected", self)
        self.import_selected.setToolTip("Fetch the selected references that are not in the "
                                        "library yet")
        self.import_all = QPushButton("Import all", self)
        self.import_all.setToolTip("Fetch every reference not yet in the library")
        self.import_selected.clicked.connect(self._import_selected)
        self.import_all.clicked.connect(self._import_all)
        self._refs: list[dict[str, Any]] = []
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.import_selected)
        buttons.addWidget(self.import_all)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.show_references([])

    def show_references(self, refs: Sequence[dict[str, Any]]) -> None:
        self._refs = list(refs)
        self.tree.clear()
        items = []
        for ref in refs:
            ident = (f"PMID {ref['pmid']}" if ref["pmid"] else
                     f"DOI {ref['doi']}" if ref["doi"] else
                     f"{ref['pmcid']}" if ref["pmcid"] else "—")
            item = QTreeWidgetItem([str(ref["position"]), "✓" if ref["in_library"] else "",
                                    ref["citation"] or "(no citation text)", ident])
            item.setData(0, PositionRole, ref["position"])
            item.setData(0, ArticleIdRole, ref["article_id"])
            item.setToolTip(2, ref["citation"])
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            item.setToolTip(3, ident)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            if ref["in_library"]:
                item.setToolTip(1, "In your library — double-click to open it")
                font = item.font(1)
                font.setBold(True)
                item.setFont(1, font)
                item.setForeground(1, self.palette().brush(QPalette.ColorRole.Highlight))
            elif ident == "—":
                # Nothing to fetch it by: shown, but quietly.
                dim = self.palette().brush(QPalette.ColorRole.PlaceholderText)
                for col in (2, 3):
                    item.setForeground(col, dim)
            items.append(item)
        self.tree.addTopLevelItems(items)
        n_in = sum(1 for r in refs if r["in_library"])
        self.summary.setText(f"{len(refs)} references, {n_in} in your library" if refs
                             else "No reference list stored for this article.")
        self.import_all.setEnabled(any(not r["in_library"] and (r["doi"] or r["pmid"]
                                                                or r["pmcid"]) for r in refs))
        self._update_buttons()

    def selected_positions(self) -> list[int]:
        return sorted(int(i.data(0, PositionRole)) for i in self.tree.selectedItems())

    def _update_buttons(self) -> None:
        self.import_selected.setEnabled(bool(self.tree.selectedItems()))

    def _missing(self, positions: Sequence[int] | None) -> list[int]:
        """Positions (all when None) of references not yet in the library."""
        wanted = None if positions is None else set(positions)
        return [r["position"] for r in self._refs
                if not r["in_library"] and (wanted is None or r["position"] in wanted)]

    def _import_selected(self) -> None:
        positions = self._missing(self.selected_positions())
        if positions:
            self.import_positions.emit(positions)
        else:
            self.summary.setText("The selected references are already in your library.")

    def _import_all(self) -> None:
        positions = self._missing(None)
        if positions:
            self.import_positions.emit(positions)

    def _double_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        article_id = item.data(0, ArticleIdRole)
        if article_id is not None:
            self.open_article.emit(int(article_id))


class DetailPane(QWidget):
    """Shows the current article; edits go to the Library on the write worker."""

    #: Articles whose table rows and sidebar counts changed.
    articles_changed = Signal(list)
    #: Notes were saved (article id); their text is only in the full-text index.
    notes_saved = Signal(int)
    #: Ask the window to show another article (a reference or a citing article).
    open_article = Signal(int)
    #: Ask to open the tag picker for these articles.
    add_tags_requested = Signal(list)
    #: Import these inputs (identifiers) with these already-failed items (no identifier).
    import_requested = Signal(list, list)
    #: A plain message for the status bar.
    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.article_id: int | None = None
        self.data: DetailData | None = None
        #: The articles citing the shown one (loaded after it, see _cited_loaded).
        self.cited_rows: list[Row] = []
        self.search = ""
        self._generation = 0
        self._loading_notes = False
        self._notes_for: int | None = None
        self._notes_dirty = False
        #: Notes saves started and not yet written: a reload meanwhile must not put the
        #: older stored text back into the editor.
        self._notes_in_flight = 0
        self._allowed_urls: set[str] = set()
        #: Opens a link in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setMargin(8)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel("Select an article to see its details.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)

        self._build_details_tab()
        self.references = ReferencesTab(self)
        self.references.import_positions.connect(self._import_references)
        self.references.open_article.connect(self.open_article)
        self.tabs.addTab(self.references, "References")
        self.cited_by = QListWidget(self)
        self.cited_by.setAlternatingRowColors(True)
        self.cited_by.itemActivated.connect(self._open_cited)
        self.cited_by.itemDoubleClicked.connect(self._open_cited)
        self.tabs.addTab(self.cited_by, "Cited by (in library)")

        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_DEBOUNCE_MS)
        self._notes_timer.timeout.connect(self.save_notes)
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

        state = QHBoxLayout()
        state.addWidget(QLabel("Status:", bottom))
        self.read_status = QComboBox(bottom)
        self.read_status.addItems(["Unread", "Reading", "Read"])
        self.read_status.setToolTip("Reading status (Ctrl+R marks read, Ctrl+U unread)")
        self.read_status.activated.connect(self._read_status_chosen)
        state.addWidget(self.read_status)
        state.addSpacing(12)
        state.addWidget(QLabel("Rating:", bottom))
        self.rating = StarRating(bottom)
        self.rating.rating_changed.connect(self._rating_chosen)
        state.addWidget(self.rating)
        state.addStretch(1)
        self.notes_state = QLabel(bottom)
        self.notes_state.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        state.addWidget(self.notes_state)
        box.addLayout(state)

        self.notes = QPlainTextEdit(bottom)
        self.notes.setMinimumHeight(60)
        self.notes.setPlaceholderText("Your notes on this article (saved automatically)…")
        self.notes.textChanged.connect(self._notes_edited)
        box.addWidget(self.notes, 1)
        self.details_splitter.addWidget(bottom)
        self.details_splitter.setStretchFactor(0, 1)
        self.details_splitter.setStretchFactor(1, 0)
        self.details_splitter.setSizes([560, 240])
        self.tabs.addTab(self.details_splitter, "Details")

    # ------------------------------------------------------------ showing
    def show_article(self, article_id: int | None, search: str | None = None) -> None:
        """Show ``article_id`` (None: nothing); ``search`` words are highlighted."""
        if search is not None:
            self.search = search
        if article_id != self.article_id:
            self.save_notes()  # pending notes belong to the article being left
        self.article_id = article_id
        self._generation += 1
        if article_id is None:
            self.data = None
            self.banner.hide()
            self.stack.setCurrentWidget(self.placeholder)
            self._set_notes(None, "")
            return
        generation = self._generation
        self.runner.start(load_detail, self.library, article_id, self.search,
                          on_done=lambda data: self._loaded(generation, data),
                          on_error=lambda msg: self._load_failed(generation, msg))

    def reload(self) -> None:
        """Load the shown article again (after it changed elsewhere)."""
        if self.article_id is not None:
            self.show_article(self.article_id)

    def set_search(self, search: str) -> None:
        if search != self.search:
            self.search = search
            self.reload()

    def _load_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.message.emit(message)
            self.show_article(None)

    def _loaded(self, generation: int, data: DetailData) -> None:
        if generation != self._generation:
            return
        same_article = self.data is not None and self.data.article_id == data.article_id
        self.data = data
        rec = data.record
        self._allowed_urls = {url for _label, url in identifier_links(rec)}
        self._render(keep_scroll=same_article)
        self._show_banner(rec.retracted, rec.has_erratum)
        self.tag_panel.show_tags(data.tags, data.suggested)
        self.read_status.setCurrentIndex(max(0, min(2, data.read_status)))
        self.rating.set_rating(data.rating)
        if not (same_article and (self._notes_dirty or self._notes_in_flight)):
            self._set_notes(data.article_id, rec.notes)
        self.references.show_references(data.references)
        self.tabs.setTabText(self.tabs.indexOf(self.references),
                             f"References ({len(data.references)})")
        if not same_article:
            self.cited_by.clear()
            self.tabs.setTabText(self.tabs.indexOf(self.cited_by), "Cited by (…)")
        self.stack.setCurrentWidget(self.tabs)
        # Citing articles come second: finding them searches every stored reference list.
        self.runner.start(load_cited_by, self.library, data.article_id,
                          on_done=lambda result: self._cited_loaded(generation, result))

    def _cited_loaded(self, generation: int, result: tuple[int, list[Row]]) -> None:
        article_id, rows = result
        if generation != self._generation or self.shown_id != article_id:
            return
        self.cited_rows = rows
        self.cited_by.clear()
        for row in rows:
            year = f" {row.year}" if row.year else ""
            item = QListWidgetItem(f"{row.first_author}{year} — {row.title}")
            item.setData(ArticleIdRole, row.id)
            item.setToolTip(row.title)
            self.cited_by.addItem(item)
        self.tabs.setTabText(self.tabs.indexOf(self.cited_by),
                             f"Cited by ({len(rows)} in library)")

    def _render(self, *, keep_scroll: bool) -> None:
        """Write the Details text for the loaded article in the current palette's colours."""
        if self.data is None:
            return
        data = self.data
        scroll = self.browser.verticalScrollBar().value() if keep_scroll else 0
        self.browser.setHtml(detail_html(data.record, citation=data.citation, terms=data.terms,
                                         facets=data.facets, added_at=data.added_at,
                                         colours=palette_colours(self)))
        self.browser.verticalScrollBar().setValue(scroll)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        # The system switched between light and dark: the text's colours follow at once.
        if event.type() == QEvent.Type.PaletteChange:
            self._render(keep_scroll=True)

    def _show_banner(self, retracted: bool, erratum: bool) -> None:
        if retracted:
            self.banner.setText("⚠ <b>This article has been retracted.</b> Do not cite it "
                                "as evidence; check the retraction notice.")
            colour = RETRACTED_COLOUR
        elif erratum:
            self.banner.setText("⚠ <b>An erratum has been published for this article.</b> "
                                "Check the correction before citing it.")
            colour = ERRATUM_COLOUR
        else:
            self.banner.hide()
            return
        self.banner.setStyleSheet(f"background-color:{colour};color:white;")
        self.banner.show()

    def _link_clicked(self, url: QUrl) -> None:
        # Only the https addresses we built from validated identifiers are ever opened.
        if url.scheme() in ("http", "https") and url.toString() in self._allowed_urls:
            self.open_url(url)

    def _open_cited(self, item: QListWidgetItem) -> None:
        self.open_article.emit(int(item.data(ArticleIdRole)))

    # ------------------------------------------------------------ edits
    @property
    def shown_id(self) -> int | None:
        """The article whose details are on screen. Edits go to it, not to an article
        still loading (so a click during a slow load never lands on the wrong paper)."""
        return self.data.article_id if self.data is not None else None

    def _write(self, fn: Callable[..., Any], *args: Any, changed: bool = True) -> None:
        article_id = self.shown_id
        if article_id is None:
            return

        def done(_result: Any) -> None:
            if changed:
                self.articles_changed.emit([article_id])
            if self.article_id == article_id:
                self.reload()

        self.runner.start(fn, *args, pool="write", on_done=done,
                          on_error=self.message.emit)

    def accept_tag(self, tag_id: str) -> None:
        if self.shown_id is not None:
            self._write(self.library.accept_suggestion, self.shown_id, tag_id)

    def reject_tag(self, tag_id: str) -> None:
        if self.shown_id is not None:
            self._write(self.library.reject_suggestion, self.shown_id, tag_id)

    def remove_tag(self, tag_id: str) -> None:
        if self.shown_id is not None:
            self._write(self.library.remove_tags, [self.shown_id], [tag_id])

    def _read_status_chosen(self, index: int) -> None:
        if self.data is not None and index != self.data.read_status:
            self._write(self.library.set_read_status, [self.data.article_id], index)

    def _rating_chosen(self, stars: int) -> None:
        if self.shown_id is not None:
            self._write(self.library.set_rating, self.shown_id, stars, changed=False)

    # -- notes
    def _set_notes(self, article_id: int | None, text: str) -> None:
        self._loading_notes = True
        try:
            self._notes_for = article_id
            self._notes_dirty = False
            if self.notes.toPlainText() != text:
                self.notes.setPlainText(text)
            self.notes.setEnabled(article_id is not None)
            self.notes_state.setText("")
        finally:
            self._loading_notes = False

    def _notes_edited(self) -> None:
        if self._loading_notes or self._notes_for is None:
            return
        self._notes_dirty = True
        self.notes_state.setText("Editing…")
        self._notes_timer.start()

    def save_notes(self) -> None:
        """Write pending notes now (the timer, switching articles and closing call this)."""
        self._notes_timer.stop()
        if not self._notes_dirty or self._notes_for is None:
            return
        self._notes_dirty = False
        article_id, text = self._notes_for, self.notes.toPlainText()

        def saved(_r: Any) -> None:
            self._notes_in_flight -= 1
            if self._notes_for == article_id and not self._notes_dirty:
                self.notes_state.setText("Notes saved")
            self.notes_saved.emit(article_id)

        def failed(message: str) -> None:
            self._notes_in_flight -= 1
            self.notes_state.setText("Notes NOT saved")
            self.message.emit(f"Notes could not be saved: {message}")

        self._notes_in_flight += 1
        self.runner.start(self.library.set_notes, article_id, text, pool="write",
                          on_done=saved, on_error=failed)

    # -- references
    def _import_references(self, positions: list[int]) -> None:
        if self.shown_id is None:
            return
        self.runner.start(reference_inputs, self.library, self.shown_id, positions,
                          on_done=self._references_ready, on_error=self.message.emit)

    def _references_ready(self, result: tuple[list[str], list[ImportItem]]) -> None:
        inputs, problems = result
        if not inputs and not problems:
            self.message.emit("Nothing to import.")
            return
        self.import_requested.emit(inputs, problems)

    def current_tab_index(self) -> int:
        return self.tabs.currentIndex()


def _esc(text: str) -> str:
    import html

    return html.escape(text)


__all__ = ["DetailPane", "ReferencesTab", "TagPanel"]
