"""The curation entries of the main window's menus (issue 15): Article ▸ Edit article…,
Edit ▸ Trash… and Edit ▸ Duplicates…, added to the menus the window already has."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from spinelib.gui.duplicatesdialog import DuplicatesDialog
from spinelib.gui.editdialog import EditDialog
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library


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
                 refresh: Callable[[], None]) -> None:
        self.window = window
        self.library = library
        self.runner = runner
        self.selected = selected
        self.articles_changed = articles_changed
        self.refresh = refresh
        self.dialog: EditDialog | None = None
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
            article.addAction(self.edit_action)
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
