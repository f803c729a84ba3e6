"""The curation entries of the main window's menus (issue 15): Article ▸ Edit article… and
Update from PubMed…, Edit ▸ Trash… and Duplicates…, View ▸ Saved searches (with live
counts) and Save search…, added to the menus the window already has.

Every read, write and fetch runs on the worker threads (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMenu, QMessageBox

from spinelib.curation_results import RefreshResult, SavedSearch
from spinelib.gui.duplicatesdialog import DuplicatesDialog
from spinelib.gui.editdialog import EditDialog
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.text import plural


def refresh_job(library: Library, settings: Settings, ids: list[int],
                apply: bool) -> list[RefreshResult]:
    """Re-fetch articles with a client made for this run (run on a worker)."""
    from spinelib.refresh import refresh
    from spinelib.sources.http import HttpClient

    client = HttpClient(settings)
    try:
        return refresh(library, ids, client=client, apply=apply)
    finally:
        client.close()


def describe(results: list[RefreshResult], applied: bool) -> str:
    """A refresh's outcome as plain text for a message box."""
    lines: list[str] = []
    for r in results:
        if r.status != "found":
            lines.append(f"{r.citekey}: {r.status.replace('_', ' ')} ({r.message})")
            continue
        lines.append(f"{r.citekey}: " + (plural(len(r.diffs), "difference") if r.diffs
                                         else "same as the source"))
        for d in r.diffs:
            mine = " (edited by you" + (": kept)" if applied else ")") if d.user_edited else ""
            lines.append(f"  {d.field}: {d.stored[:80] or '(empty)'}  →  "
                         f"{d.source[:80] or '(empty)'}{mine}")
        if applied:
            lines.append(f"  applied: {r.applied_text()}")
    return "\n".join(lines)


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and isinstance(action.menu(), QMenu):
            return action.menu()  # type: ignore[return-value]
    return None


class CurationMenu:
    """Opens the curation dialogs; ``refresh`` runs after they change the library."""

    def __init__(self, window: QMainWindow, library: Library, runner: TaskRunner,
                 selected: Callable[[], Sequence[int]],
                 articles_changed: Callable[[list[int]], None],
                 refresh: Callable[[], None], search: QLineEdit,
                 settings: Callable[[], Settings],
                 history_changed: Callable[[], None] = lambda: None) -> None:
        self.window = window
        self.library = library
        self.runner = runner
        self.selected = selected
        self._articles_changed = articles_changed
        self._refresh = refresh
        self._history_changed = history_changed
        self.search = search
        self.settings = settings
        self.dialog: EditDialog | None = None
        #: Shows a refresh's outcome; returns True to apply it (tests replace it).
        self.ask_apply: Callable[[str], bool] = lambda text: QMessageBox.question(
            window, "Update from PubMed", text + "\n\nTake the source's values? (Fields "
            "you edited are kept.)") == QMessageBox.StandardButton.Yes
        self.update_action = QAction("&Update from PubMed…", window)
        self.update_action.setStatusTip("Re-fetch the selected articles and show what changed")
        self.update_action.triggered.connect(lambda _c=False: self.update_selected())
        #: Asks the name to save the search under; None when cancelled (tests replace it).
        self.ask_name: Callable[[], str | None] = self._ask_name
        #: Whether to replace the saved search of that name with the query (tests replace it).
        self.ask_replace: Callable[[SavedSearch, str], bool] = self._ask_replace
        self.save_search_action = QAction("Save &search…", window)
        self.save_search_action.triggered.connect(lambda _c=False: self.save_search())
        self.saved_menu = QMenu("Saved searc&hes", window)
        self.saved_menu.aboutToShow.connect(self._load_saved)
        self.edit_action = QAction("&Edit article…", window)
        self.edit_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.edit_action.setStatusTip("Correct the selected article's fields")
        self.edit_action.triggered.connect(lambda _c=False: self.edit_selected())
        self.trash_action = QAction("T&rash…", window)
        self.trash_action.setStatusTip("Deleted articles: restore them or empty the trash")
        self.trash_action.triggered.connect(lambda _c=False: self.show_trash())
        self.duplicates_action = QAction("D&uplicates…", window)
        self.duplicates_action.setStatusTip("Articles that look like one publication")
        self.duplicates_action.triggered.connect(lambda _c=False: self.show_duplicates())
        for a in (self.edit_action, self.trash_action, self.duplicates_action):
            window.addAction(a)
        article, edit = _menu(window, "Article"), _menu(window, "Edit")
        if article is not None:
            article.addSeparator()
            article.addActions([self.edit_action, self.update_action])
        view = _menu(window, "View")
        if view is not None:
            view.addSeparator()
            view.addMenu(self.saved_menu)
            view.addAction(self.save_search_action)
        if edit is not None:
            edit.addSeparator()
            edit.addActions([self.trash_action, self.duplicates_action])

    def edit_selected(self) -> EditDialog | None:
        ids = list(self.selected())
        if not ids:
            return None
        dialog = EditDialog(self.library, self.runner, ids[0], self.window)
        dialog.saved.connect(lambda a: self.articles_changed([a]))
        dialog.show()
        self.dialog = dialog
        return dialog

    def show_trash(self) -> None:
        from spinelib.gui.trashdialog import TrashDialog

        dialog = TrashDialog(self.library, self.runner, self.window)
        dialog.changed.connect(self.refresh)
        dialog.show()

    def show_duplicates(self) -> DuplicatesDialog:
        dialog = DuplicatesDialog(self.library, self.runner, self.window)
        dialog.changed.connect(self.refresh)
        dialog.show()
        return dialog

    # ---- refresh
    def update_selected(self) -> None:
        ids = list(self.selected())
        if not ids:
            return
        status = self.window.statusBar()
        status.showMessage(f"Fetching {plural(len(ids))} from PubMed…")

        def shown(results: list[RefreshResult]) -> None:
            status.clearMessage()
            self.articles_changed(ids)  # the citation counts the fetch took (issue 17)
            if any(r.diffs for r in results) and self.ask_apply(describe(results, False)):
                self.runner.start(refresh_job, self.library, self.settings(), ids, True,
                                  pool="write", on_done=applied, on_error=status.showMessage)
            elif not any(r.diffs for r in results):
                status.showMessage(describe(results, False).replace("\n", "; "))

        def applied(results: list[RefreshResult]) -> None:
            status.showMessage(describe(results, True).replace("\n", "; "))
            self.articles_changed(ids)

        # The network pool: it fetches, and stores the citation counts it took.
        self.runner.start(refresh_job, self.library, self.settings(), ids, False, pool="net",
                          on_done=shown, on_error=status.showMessage)

    # ---- saved searches
    def _load_saved(self) -> None:
        self.runner.start(self.library.searches.counts, on_done=self._fill_saved,
                          on_error=self.window.statusBar().showMessage)

    def _fill_saved(self, counts: list[tuple[SavedSearch, int]]) -> None:
        self.saved_menu.clear()
        if not counts:
            self.saved_menu.addAction("(none: View ▸ Save search…)").setEnabled(False)
        for saved, n in counts:
            action = self.saved_menu.addAction(f"{saved.name}  ({n:,})")
            action.setToolTip(saved.query)
            action.triggered.connect(lambda _c=False, q=saved.query: self.search.setText(q))

    def save_search(self) -> None:
        """Save the search box's query under a name; a name already saved (in any letter
        case) with another query is replaced only when the user says so."""
        status = self.window.statusBar()
        query = self.search.text().strip()
        if not query:
            status.showMessage("Type a search first, then save it.")
            return
        name = self.ask_name()
        if name is None or not name.strip():
            return

        def checked(existing: SavedSearch | None) -> None:
            if existing is not None and existing.query != query and not self.ask_replace(
                    existing, query):
                status.showMessage(f"Not saved: “{existing.name}” keeps its search.")
                return
            self.runner.start(self.library.searches.save, name, query, pool="write",
                              on_done=saved, on_error=status.showMessage)

        def saved(search: SavedSearch) -> None:
            status.showMessage(f"Saved search “{search.name}”.")
            self._refresh()  # the sidebar lists saved searches with their counts

        self.runner.start(self.library.searches.find, name, on_done=checked,
                          on_error=status.showMessage)

    def _ask_name(self) -> str | None:
        name, ok = QInputDialog.getText(self.window, "Save search", "Name:")
        return name if ok else None

    def _ask_replace(self, existing: SavedSearch, query: str) -> bool:
        return QMessageBox.question(
            self.window, "Replace saved search",
            f"A saved search named “{existing.name}” finds:\n  {existing.query}\n\n"
            f"Replace it with:\n  {query}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes

    # ---- after a change (every change made here is undoable: Edit ▸ Undo's name follows)
    def articles_changed(self, ids: list[int]) -> None:
        self._articles_changed(ids)
        self._history_changed()

    def refresh(self) -> None:
        self._refresh()
        self._history_changed()
