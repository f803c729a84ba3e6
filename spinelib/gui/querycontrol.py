"""When the article table's query runs, and what the window does once it has rows.

:class:`QueryControl` turns the search box, the sidebar's selection and the relevance option
into queries (built by :func:`spinelib.gui.querystate.build_query`): typing is debounced,
Enter searches at once, a sidebar click re-queries at once. It also decides what is loaded
again after edits (:meth:`~QueryControl.refresh_all`, :meth:`~QueryControl.articles_changed`,
:meth:`~QueryControl.lists_changed`), and the order of the first load: the first rows come
first, and the sidebar counts and the detail pane are loaded once they are on screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

from spinelib import searchsyntax
from spinelib.curation_results import RestoreResult, SearchSuggestion
from spinelib.errors import SpineLibError
from spinelib.gui import querystate
from spinelib.gui.articletable import ArticleTable
from spinelib.gui.detail import DetailPane
from spinelib.gui.emptystate import EmptyMessage, EmptyOverlay, empty_message
from spinelib.gui.filterbar import FilterBar
from spinelib.gui.querystate import ALL, Filter
from spinelib.gui.sidebar import Sidebar
from spinelib.gui.tablemodel import ArticleTableModel
from spinelib.library import Library, Query, search_hints, searched_identifier

#: Milliseconds of quiet typing before a search runs.
SEARCH_DEBOUNCE_MS = 200
#: How long counts and the detail pane wait for the first rows before loading anyway.
FIRST_ROWS_GRACE_MS = 400


def trashed_article(library: Library, identifier: str) -> int | None:
    """The article in the trash with this identifier, else None (on a worker)."""
    try:
        return library.trash.resolve_key(identifier)
    except SpineLibError:
        return None


class QueryControl(QObject):
    """Runs the table's query when its inputs change; refreshes the views after changes."""

    #: A query finished: (rows shown, whether a search or filter narrows the library).
    counted = Signal(int, bool)
    #: The empty table's "Import it" under a searched DOI, PMID or PMCID: that identifier.
    import_requested = Signal(str)
    #: A sentence for the status bar (a restore from the trash done, or why it failed).
    message = Signal(str)

    def __init__(self, window: QWidget, *, search: QLineEdit, relevance: QAction,
                 sidebar: Sidebar, model: ArticleTableModel, table: ArticleTable,
                 detail: DetailPane) -> None:
        """``relevance`` is the checkable "Sort searches by relevance" option (its
        trigger should call :meth:`apply_query`)."""
        super().__init__(window)
        self.window = window
        self.search = search
        # The search language is not guessable: the box names its terms on hover.
        search.setToolTip(searchsyntax.as_html())
        self.relevance = relevance
        self.sidebar = sidebar
        self.model = model
        self.table = table
        self.detail = detail
        #: Select this article once the running query has its rows (see go_to_article).
        self._select_after_query: int | None = None
        #: The last search whose hints the status bar showed (once a search, not a refresh).
        self._hinted = ""
        #: Whether the status bar shows that search's hint (cleared when it goes stale).
        self._hint_shown = False
        #: The running query is a new search or filter: its results start at the top.
        self._to_top = False
        #: Says why the table is empty and how to get out (see spinelib.gui.emptystate).
        self.empty = EmptyOverlay(table)
        self.empty.link_clicked.connect(self._way_out)
        #: The tag-filter line above the table (the window places it; None in bare tests).
        self.filter_bar: FilterBar | None = getattr(window, "filter_bar", None)
        if self.filter_bar is not None:
            self.filter_bar.link_clicked.connect(self._way_out)
        sidebar.data_loaded.connect(lambda _d: self._show_filter_bar())
        self._first_load = True
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_query)
        # A timer owned by the window's controller (it dies with it), for a hidden window or
        # a slow disk: the first rows never painted must not hold the rest back.
        self._grace = QTimer(self, singleShot=True, interval=FIRST_ROWS_GRACE_MS)
        self._grace.timeout.connect(self._first_rows_shown)
        search.textChanged.connect(lambda _t: self._debounce.start())
        # Enter runs the search at once and moves to the results, for the arrow keys.
        search.returnPressed.connect(self._search_entered)
        sidebar.filters_changed.connect(lambda _f: self.apply_query())
        model.query_finished.connect(self._query_finished)

    def start(self) -> None:
        """Show all articles: the first query; counts and details follow the first rows."""
        self.sidebar.select_filter(ALL)
        self.model.rows_loaded.connect(self._first_rows_shown)
        self._grace.start()

    # ------------------------------------------------------------ the query
    def current_query(self) -> Query:
        """The sidebar's filters and the search text, on top of the current sort."""
        return querystate.build_query(self.model.query, self.sidebar.filters(),
                                      self.search.text(),
                                      prefer_relevance=self.relevance.isChecked())

    def apply_query(self) -> None:
        """Run the query of the current inputs now (cancelling a pending debounce)."""
        self._debounce.stop()
        q = self.current_query()
        self._to_top = True
        if not querystate.shows_column_order(q):
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_query(q)
        self.detail.set_search(q.search)
        self._show_filter_bar()

    def view_label(self) -> str:
        """A short name for what the table shows, for the export dialog."""
        return querystate.view_label(self.sidebar.filters(), self.sidebar.tag_labels(),
                                     self.model.query.search)

    def report_count(self, n: int | None = None) -> None:
        """Emit :attr:`counted` for ``n`` rows (default: the rows the table has now)."""
        n = self.model.rowCount() if n is None else n
        self.counted.emit(n, querystate.is_narrowed(self.sidebar.filters(),
                                                    self.model.query.search))

    def go_to_article(self, article_id: int) -> None:
        """Select an article, widening the view to the whole library when it is hidden: the
        search is cleared and "All articles" chosen (a reading list, tag or view filter
        would hide it again), then it is selected once those rows are in."""
        if self.model.row_of(article_id) is not None:
            self.table.select_ids([article_id], article_id)
            return
        self._select_after_query = article_id
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        # Selecting "All articles" re-queries by itself, unless it was selected already.
        if not self.sidebar.select_filter(ALL) or self.sidebar.filters() == [ALL]:
            self.apply_query()

    # ------------------------------------------------------------ after changes
    def refresh_all(self) -> None:
        """Load the table, the sidebar counts and the shown article again."""
        self.model.refresh()
        self.sidebar.reload(now=True)
        self.detail.reload()

    def articles_changed(self, ids: Sequence[int] = ()) -> None:
        """Articles changed: refresh the table (keeping the selection) and the counts."""
        self.model.refresh()
        self.sidebar.reload()
        if self.detail.article_id in ids:
            self.detail.reload()

    def lists_changed(self) -> None:
        """Reading lists changed: recount them; re-query when the table shows a list; the
        detail pane's "In reading lists" read again."""
        self.sidebar.reload(now=True)
        if self.model.query.reading_list is not None:
            self.model.refresh()
        self.detail.reload()

    def show_empty_state(self, n: int) -> None:
        """Over an empty result, say why and offer the ways out (nothing when rows show).
        A searched identifier is looked for in the trash on a worker (never SQL on this
        thread); when it is there, *Restore it* replaces *Import it*."""
        search = self.model.query.search
        if n:
            self.empty.show_message(None)
            # Rows show, yet part of the search was not applied ("english[la]"): say so
            # once a search, in the status bar (an empty table says it itself).
            if search != self._hinted:
                self._hinted = search
                hints = search_hints(search) if search else []
                if hints:
                    self.message.emit(" ".join(hints))
                self._hint_shown = bool(hints)
            return
        if search != self._hinted and self._hint_shown:
            self._hint_shown = False  # the last search's hint, stale: the table says its own
            self.message.emit("")
        identifier = searched_identifier(search)
        self.empty.show_message(self._empty_message(search, identifier, None))
        if identifier is not None:
            self.model.runner.start(
                trashed_article, self.model.library, identifier[1],
                on_done=lambda found: self._trash_known(search, identifier, found),
                on_error=lambda _message: None)  # not known: Import it stays offered
        elif search.strip():  # a mistyped word? The library's nearest, found on a worker
            self.model.runner.start(
                self.model.library.search.suggestion, search,
                on_done=lambda better: self._suggested(search, better),
                on_error=lambda _message: None)  # a courtesy: no answer, no offer

    def _empty_message(self, search: str, identifier: tuple[str, str] | None,
                       trashed: int | None, suggestion: SearchSuggestion | None = None
                       ) -> EmptyMessage:
        tags = self.sidebar.data.tags if self.sidebar.data else []
        return empty_message(self.sidebar.filters(), search, self.sidebar.tag_labels(),
                             {t.id: t.suggested for t in tags}, search_hints(search),
                             identifier, trashed, suggestion)

    def _suggested(self, search: str, better: SearchSuggestion | None) -> None:
        """The spelling's answer, if the table still shows that empty search."""
        if better and self.model.query.search == search and self.model.rowCount() == 0:
            self.empty.show_message(self._empty_message(search, None, None, better))

    def _trash_known(self, search: str, identifier: tuple[str, str],
                     found: int | None) -> None:
        """The trash look-up's answer, if the table still shows that empty search."""
        if found is not None and self.model.query.search == search \
                and self.model.rowCount() == 0:
            self.empty.show_message(self._empty_message(search, identifier, found))

    def _restore(self, article_id: int) -> None:
        def done(results: list[RestoreResult]) -> None:
            self.refresh_all()
            self.message.emit(f"Restored {results[0].citekey} from the Trash."
                              if results else "Nothing was restored.")

        self.model.runner.start(self.model.library.trash.restore, [article_id], pool="write",
                                on_done=done, on_error=self.message.emit)

    def _way_out(self, target: str) -> None:
        if target == "clear-search":
            self.search.clear()
            self.apply_query()
        elif target == "clear-filter":
            if not self.sidebar.select_filter(ALL) or self.sidebar.filters() == [ALL]:
                self.apply_query()
        elif target.startswith("suggested:"):
            self.sidebar.select_filter(Filter("suggested", target.split(":", 1)[1]))
        elif target.startswith("import:"):
            self.import_requested.emit(target.split(":", 1)[1])
        elif target.startswith("restore:"):
            self._restore(int(target.split(":", 1)[1]))
        elif target.startswith("tagged:"):
            self.sidebar.select_filter(Filter("tag", target.split(":", 1)[1]))
        elif target.startswith("search:"):
            self.search.setText(target.split(":", 1)[1])
            self.apply_query()

    def _show_filter_bar(self) -> None:
        if self.filter_bar is not None:
            tags = self.sidebar.data.tags if self.sidebar.data else []
            self.filter_bar.show_filters(self.sidebar.filters(), {t.id: t for t in tags})

    # ------------------------------------------------------------ internals
    def _search_entered(self) -> None:
        self.apply_query()
        self.table.setFocus()

    def _query_finished(self, n: int) -> None:
        self.report_count(n)
        if self._to_top:
            # A new search or filter starts at the first result, not where the last one was.
            self._to_top = False
            self.table.scrollToTop()
        self.show_empty_state(n)
        if self._first_load and (n == 0 or not self.window.isVisible()):
            # No rows will be painted (none, or the window is not shown): go on at once.
            self._first_rows_shown()
        elif not self._first_load and self._select_after_query is not None:
            self._select_pending()

    def _select_pending(self) -> None:
        """Select the article go_to_article asked for, now that the whole library shows."""
        target, self._select_after_query = self._select_after_query, None
        if target is None:
            return
        if self.model.row_of(target) is not None:
            self.table.select_ids([target], target)
            return
        # Not in the whole library: deleted meanwhile (by another window or process).
        status = getattr(self.window, "status", None)
        if status is not None:
            status.show_message("That article is no longer in the library (deleted "
                                "meanwhile: it may be in the Trash).")

    def _first_rows_shown(self, *_: object) -> None:
        if not self._first_load:
            return
        self._first_load = False
        self._grace.stop()
        self.model.rows_loaded.disconnect(self._first_rows_shown)
        self.sidebar.reload(now=True)
        # Opening the app shows the newest article at once, not an empty pane.
        if self.model.rowCount() and not self.table.selected_ids() \
                and self._select_after_query is None:
            self.table.select_first()
        if self._select_after_query is not None:
            self._select_pending()


__all__ = ["FIRST_ROWS_GRACE_MS", "SEARCH_DEBOUNCE_MS", "QueryControl"]
