"""Article ▸ References of the selection…, ▸ Articles citing the selection… and ▸ Similar
articles (PubMed)…: the works the selected articles' reference lists cite, the articles
Europe PMC lists as citing them, or those PubMed finds most like them, each once, the most
shared first (×N: linked with N of them), ✓ where the library holds it, with "at least N"
to keep the shared ones and buttons to import the selected or all new ones
(:mod:`spinelib.sharedrefs`, :mod:`spinelib.citingacross`,
:mod:`spinelib.similararticles`); and File ▸ Search PubMed…: a PubMed search's results in
PubMed's order, the same way (:mod:`spinelib.pubmedsearch`). The reference lists are read
on the read worker, Europe PMC and PubMed asked on the network worker; after an import the
✓ marks are read again (the reference lists too), never the service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.errors import SpineLibError
from spinelib.gui.citationmenu import CitationRows, CitedWork, ImportRole, WorkRole
from spinelib.gui.pubmedsearchbar import PubMedSearchBar, watch_form
from spinelib.gui.tasks import Task
from spinelib.gui.widgets import align_citation_row, citation_tree, identifier_label
from spinelib.library import Library
from spinelib.pubmedsearch import (
    DEFAULT_LIMIT,
    MOST,
    PubMedQuery,
    PubMedResults,
    more_results,
    read_query,
    technique_search,
)
from spinelib.settings import Settings
from spinelib.sharedrefs import Direction, SharedWorks, shared_references

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow

#: What each direction's dialog says: title, header, "at least" prefix, waiting text.
WORDING: dict[Direction, tuple[str, str, str, str]] = {
    "references": ("References of {n}", "Cited work", "Cited by at least ",
                   "Reading their reference lists…"),
    "citing": ("Articles citing {n} (Europe PMC)", "Citing article", "Citing at least ",
               "Asking Europe PMC which articles cite each of them…"),
    "similar": ("Articles similar to {n} (PubMed)", "Similar article", "Similar to at least ",
                "Asking PubMed which articles are most like each of them…"),
    "search": ("PubMed: {n}", "Article", "", "Searching PubMed…"),
}
#: What the network directions' progress says, and who is asked.
ASKING: dict[Direction, tuple[str, str]] = {
    "citing": ("Asking Europe PMC which articles cite each of them", "Europe PMC"),
    "similar": ("Asking PubMed which articles are most like each of them", "PubMed"),
    "search": ("Searching PubMed", "PubMed"),
}


#: Rows shown at most (the most shared first): all of a 10,000-article selection's 235,000
#: cited works took the GUI thread 10 s to lay out (50,000: 2 s); nobody reads past these.
MOST_SHOWN = 5000


def asking_job(library: Library, settings: Settings, article_ids: list[int], *,
               progress: Callable[[int, int, str], None],
               cancelled: Callable[[], bool], direction: Direction = "citing") -> SharedWorks:
    """Europe PMC (or, for ``direction`` "similar", PubMed) asked about each article, with
    a client made for this run (on the network worker; the runner's progress protocol)."""
    from spinelib.citingacross import find_citing_across
    from spinelib.similararticles import find_similar_across
    from spinelib.sources.http import HttpClient

    find = find_similar_across if direction == "similar" else find_citing_across
    client = HttpClient(settings)
    try:
        return find(library, article_ids, client,
                    progress=lambda done, n: progress(done, n, ""), cancelled=cancelled)
    finally:
        client.close()


def search_job(library: Library, settings: Settings, query: PubMedQuery,
               start: int = 0) -> PubMedResults:
    """A page of a PubMed search's results, with a client made for this run (network
    worker)."""
    from spinelib.pubmedsearch import search_pubmed
    from spinelib.sources.http import HttpClient

    client = HttpClient(settings)
    try:
        return search_pubmed(library, client, query, start=start)
    finally:
        client.close()


class SharedReferencesDialog(QDialog):
    """The works the chosen articles cite, or that cite them, each once (non-modal)."""

    def __init__(self, window: MainWindow, article_ids: Sequence[int],
                 parent: QWidget | None = None, *,
                 direction: Direction = "references", query: PubMedQuery | None = None) -> None:
        super().__init__(parent)
        self.main = window
        self.article_ids = list(article_ids)
        self.direction = direction
        #: A PubMed search's (direction "search"), and its answer once it came.
        self.query = query
        self.results: PubMedResults | None = None
        #: Where the next page of the search starts (PubMed's results asked so far).
        self.next_start = 0
        self.shared: SharedWorks | None = None
        #: Closed (and about to be deleted): answers still on their way are dropped.
        self.closed = False
        #: Europe PMC being asked (stopped when the dialog closes).
        self.asking: Task | None = None
        n = len(self.article_ids)
        title, column, prefix, waiting = WORDING[direction]
        self.setWindowTitle(title.format(n=query.term[:80] if query is not None
                                         else f"{n} article{'s' if n != 1 else ''}"))
        self.resize(820, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel(waiting, self)
        self.summary.setWordWrap(True)
        self.tree = citation_tree(self, column, "✓ = in your library (double-click to "
                                  "open)", 130, QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.tree.headerItem()
        header.setText(0, "×")
        header.setToolTip(0, {"references": "How many of the chosen articles cite it",
                              "citing": "How many of the chosen articles it cites",
                              "similar": "How many of the chosen articles PubMed finds it "
                                         "like", "search": ""}[direction])
        #: Opens an address in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        # A double-click or Enter opens a work (one not in the library online);
        # right-click: the References tab's menu.
        self.rows = CitationRows(self.tree, access=lambda: window.detail.access,
                                 open_article=window.queries.go_to_article,
                                 open_url=lambda url: self.open_url(url),
                                 import_values=self._import_values)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.at_least = QSpinBox(self)
        self.at_least.setRange(1, max(1, n))
        self.at_least.setValue(2 if n > 1 else 1)
        self.at_least.setPrefix(prefix)
        self.at_least.setSuffix(f" of the {n}")
        self.at_least.setToolTip("Keep the works linked with several of the chosen articles")
        self.at_least.valueChanged.connect(lambda _v: self._render())
        self.import_selected = QPushButton("Import selected", self)
        self.import_selected.clicked.connect(
            lambda: self._import(self.tree.selectedItems()))
        self.import_new = QPushButton("Import all new", self)
        self.import_new.setToolTip("Fetch every work listed that is not in the library yet")
        self.import_new.clicked.connect(lambda: self._import(self._items()))
        self.more = QPushButton(f"Show the next {DEFAULT_LIMIT}", self)
        self.more.clicked.connect(lambda: self._ask_pubmed(self.next_start))
        self.more.hide()
        self.bar: PubMedSearchBar | None = None
        if direction == "search":  # PubMed's order: nothing is shared among chosen articles
            self.tree.setColumnHidden(0, True)
            self.at_least.hide()
            self.bar = PubMedSearchBar(query.typed if query is not None else "", self)
            if query is not None:
                self.bar.show_order(query)
            self.bar.searched.connect(self.search)
            self.bar.watch.connect(lambda q: watch_form(window.library, window.runner, self, q))
            layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addWidget(self.at_least)
        row.addWidget(self.more)
        row.addStretch(1)
        row.addWidget(self.import_selected)
        row.addWidget(self.import_new)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        window.imports.library_changed.connect(self.reload)
        self._update_buttons()  # off until works are listed (offline, they never are)
        self.load()

    def load(self) -> None:
        """Read the reference lists on the read worker, or ask Europe PMC on the network
        worker."""
        runner, library = self.main.runner, self.main.library
        if self.direction == "references":
            runner.start(shared_references, library, self.article_ids,
                         on_done=self.show_shared, on_error=self._failed)
        elif self.query is not None:
            self._ask_pubmed(0)
        else:
            self.asking = runner.start(
                asking_job, library, self.main.settings, self.article_ids, pool="net",
                direction=self.direction, on_done=self.show_shared, on_error=self._failed,
                on_progress=self._progress)

    def _progress(self, done: int, n: int, _what: str) -> None:
        if not self.closed:
            self.summary.setText(f"{ASKING[self.direction][0]}: {done} of {n}…")

    def reload(self) -> None:
        """After an import: the lists read again, or Europe PMC's answer's marks."""
        if self.direction == "references":
            self.load()
        elif self.shared is not None:
            from spinelib.citingacross import with_holdings

            self.main.runner.start(with_holdings, self.main.library, self.shared,
                                   on_done=self.show_shared)

    def _failed(self, message: str) -> None:
        if self.closed:
            return
        what = ("Reading the reference lists" if self.direction == "references"
                else f"Asking {ASKING[self.direction][1]}")
        self.summary.setText(f"{what} failed: {message}")
        self.more.setEnabled(True)  # a next page that failed may be asked again

    def search(self, query: PubMedQuery) -> None:
        """Run another search in this dialog (its search line's)."""
        if self.asking is not None:
            self.asking.cancel()
        self.query, self.results, self.shared, self.next_start = query, None, None, 0
        self.setWindowTitle(WORDING["search"][0].format(n=query.term[:80]))
        self.tree.clear()
        self.more.hide()
        self.summary.setText(WORDING["search"][3])
        self._update_buttons()
        self._ask_pubmed(0)

    def _ask_pubmed(self, start: int) -> None:
        self.more.setEnabled(False)
        self.asking = self.main.runner.start(
            search_job, self.main.library, self.main.settings, self.query, pool="net",
            start=start, on_done=self._searched, on_error=self._failed)

    def _searched(self, page: PubMedResults) -> None:
        if self.closed or page.query != self.query:  # an earlier search's answer
            return
        self.results = page if self.results is None else more_results(self.results, page)
        self.next_start += DEFAULT_LIMIT
        self.show_shared(self.results.shared)

    def show_shared(self, shared: SharedWorks) -> None:
        if self.closed:  # an answer arriving after Close: the widgets are gone
            return
        self.shared = shared
        if self.results is not None:  # marks read again after an import: the same search
            self.results = replace(self.results, shared=shared)
        self._render()

    def count(self) -> int:
        return self.tree.topLevelItemCount()

    def _render(self) -> None:
        shared = self.shared
        if shared is None:
            return
        self.tree.clear()
        dim = self.palette().brush(QPalette.ColorRole.PlaceholderText)
        held = self.palette().brush(QPalette.ColorRole.Highlight)
        items = []
        listed = shared.shared_by(self.at_least.value())
        for ref in listed[:MOST_SHOWN]:
            item = QTreeWidgetItem([f"×{len(ref.among)}", "✓" if ref.in_library else "",
                                    ref.citation or "(no citation text)",
                                    identifier_label(ref.pmid, ref.doi, ref.pmcid, ref.cited_by)])
            item.setToolTip(2, ref.citation)
            item.setData(0, WorkRole, CitedWork(ref.citation, ref.doi, ref.pmid, ref.pmcid,
                                                ref.article_id, year=ref.year))
            if ref.in_library:
                item.setToolTip(1, "In your library — double-click to open it")
                item.setForeground(1, held)
            elif (ident := ref.identifier()) is not None:
                item.setData(0, ImportRole, ident.value)
            else:
                for col in (2, 3):
                    item.setForeground(col, dim)
                item.setToolTip(3, "No DOI or PMID to import it by" + (
                    " (the article's Refs tab can find DOIs)"
                    if self.direction == "references" else ""))
            align_citation_row(item)
            items.append(item)
        self.tree.addTopLevelItems(items)
        shown = (f"the {len(items):,} most shared of {len(listed):,} shown (raise “at "
                 "least” to narrow them)" if len(listed) > len(items) else
                 f"{len(items):,} shown")
        if self.results is not None:  # a search lists what it shows: no count twice
            self.summary.setText(self.results.summary() + (
                f"; {shown}." if len(listed) > len(items) else "."))
            self.more.setEnabled(True)
            self.more.setVisible(self.next_start < min(self.results.count, MOST))
        else:
            self.summary.setText(f"{shared.summary()}; {shown}.")
        self._update_buttons()

    def _items(self) -> list[QTreeWidgetItem]:
        return [item for i in range(self.count())
                if (item := self.tree.topLevelItem(i)) is not None]

    def _update_buttons(self) -> None:
        def importable(items: Sequence[QTreeWidgetItem]) -> bool:
            return any(i.data(0, ImportRole) is not None for i in items)

        self.import_selected.setEnabled(importable(self.tree.selectedItems()))
        self.import_new.setEnabled(importable(self._items()))

    def _import(self, items: Sequence[QTreeWidgetItem]) -> None:
        self._import_values([item.data(0, ImportRole) for item in items])

    def _import_values(self, values: Sequence[object]) -> None:
        inputs = [str(v) for v in values if v is not None]
        if inputs:
            self.main.imports.import_inputs(inputs)

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """What can be done with one work (:class:`.citationmenu.CitationRows`)."""
        return self.rows.menu_for(item)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.closed = True
        if self.asking is not None:
            self.asking.cancel()  # the articles not asked yet are not asked
        self.main.imports.library_changed.disconnect(self.reload)
        super().closeEvent(event)


def open_shared_references(window: MainWindow, article_ids: Sequence[int],
                           direction: Direction = "references"
                           ) -> SharedReferencesDialog | None:
    """Open the dialog for the selected articles (nothing selected: say so)."""
    if not article_ids:
        window.status.show_message({
            "references": "Select the articles whose references to gather first.",
            "citing": "Select the articles whose citing articles to find first.",
            "similar": "Select the articles to find similar ones for first."}[direction])
        return None
    return _shown(SharedReferencesDialog(window, article_ids, window, direction=direction))


def open_technique_search(window: MainWindow, tag_id: str) -> SharedReferencesDialog:
    """A technique's search (``technique_search``): its results, the held ones marked."""
    query = technique_search(window.library.taxonomy, tag_id)
    dialog = SharedReferencesDialog(window, [], window, direction="search", query=query)
    tag = window.library.taxonomy.find(tag_id)
    if tag is not None:
        dialog.setWindowTitle(f"PubMed: {tag.label} (the vocabulary's search)")
    return _shown(dialog)


def open_pubmed_search(window: MainWindow, text: str | None = None
                       ) -> SharedReferencesDialog | None:
    """File ▸ Search PubMed…: ask for the search (words as typed on PubMed, or a results
    page's address), then list its results; one SpineLib cannot run as asked is said, and
    asked again with the text kept."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

    typed = text or ""
    while True:
        if text is None:  # asked (again, after a refusal, with what was typed kept)
            typed, ok = QInputDialog.getText(
                window, "Search PubMed", "Search PubMed as on its web page (field tags such "
                "as [ti] or [mh], AND, OR, NOT),\nor paste a PubMed results page's address "
                "(its filters and order are kept):", QLineEdit.EchoMode.Normal, typed)
            if not ok or not typed.strip():
                return None
        try:
            query = read_query(typed)
            break
        except SpineLibError as exc:
            QMessageBox.warning(window, "Search PubMed", f"{exc}.")
            text = None
    return _shown(SharedReferencesDialog(window, [], window, direction="search", query=query))


def _shown(dialog: SharedReferencesDialog) -> SharedReferencesDialog:
    """``dialog`` shown beside the window (non-modal), deleted when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
