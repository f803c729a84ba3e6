"""The import preview's look-ups in the library, on workers: which pasted identifiers the
library already holds (:meth:`~spinelib.library.articles.ArticlesManager.holding`), and for
each added reference file or list how many of its articles it holds
(:func:`spinelib.importcheck.check_import`). Their answers are written into the preview's
rows when they come back; an answer for a preview since replaced is dropped."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from spinelib.gui.importpreview import PreviewRow, countable_files, held_note
from spinelib.gui.tasks import TaskRunner
from spinelib.identifiers import Identifier
from spinelib.import_results import HeldArticle
from spinelib.importcheck import ImportCheck, check_import
from spinelib.library import Library


def note(item: QTreeWidgetItem, text: str, column: int = 2) -> None:
    """A preview row's Result: a note in the palette's quiet colour (whole on hover)."""
    item.setText(column, text)
    item.setToolTip(column, text)
    # An item not yet in its tree (a preview row being built) takes the application's.
    tree = item.treeWidget()
    palette = tree.palette() if tree is not None else QGuiApplication.palette()
    item.setForeground(column, palette.color(QPalette.ColorRole.PlaceholderText))


class PreviewLookups:
    """Starts the look-ups for one preview's rows (:meth:`start`) and writes their answers
    into ``tree``'s items (row k of the rows is item k); ``on_held`` receives how many
    pasted identifiers the library holds, for the summary line. ``active`` is asked
    before an answer is written (False while an import runs: the tree shows its report)."""

    def __init__(self, library: Library, runner: TaskRunner, tree: QTreeWidget, *,
                 on_held: Callable[[int], None], active: Callable[[], bool]) -> None:
        self.library = library
        self.runner = runner
        self.tree = tree
        self.on_held = on_held
        self.active = active
        #: Counts previews, so a late answer for an older one is dropped.
        self.serial = 0
        self.rows: list[PreviewRow] = []

    def start(self, rows: Sequence[PreviewRow]) -> None:
        """Look up what the library holds of ``rows`` (the rows shown)."""
        self.serial += 1
        serial = self.serial
        self.rows = list(rows)
        asked = [r.identifier for r in self.rows if r.identifier is not None]
        if asked:
            self.runner.start(self.library.articles.holding, asked,
                              on_done=lambda held: self._show_held(serial, held),
                              on_error=lambda _message: None)  # the rows just lack the note
        files = countable_files(self.rows)
        if files:
            self.runner.start(check_import, self.library, files,
                              on_done=lambda check: self._show_counts(serial, check),
                              on_error=lambda _message: None)

    def forget(self) -> None:
        """Drop the answers still on their way: the import has started, and its results
        take the rows they would have written to (an answer arriving after the import
        ended overwrote "✓ imported" with the file's count)."""
        self.serial += 1

    def _current(self, serial: int) -> bool:
        return serial == self.serial and self.active()

    def _show_held(self, serial: int, held: Mapping[Identifier, HeldArticle]) -> None:
        """Say which previewed identifiers the library already holds."""
        if not self._current(serial) or not held:
            return
        shown = 0
        for k, row in enumerate(self.rows):
            found = held.get(row.identifier) if row.identifier is not None else None
            item = self.tree.topLevelItem(k)
            if found is not None and item is not None:
                note(item, held_note(found))
                shown += 1
        self.on_held(shown)

    def _show_counts(self, serial: int, check: ImportCheck) -> None:
        """Say what each counted file is and how much of it the library holds; a file the
        import would refuse (unreadable, this very library) says why."""
        if not self._current(serial):
            return
        by_input = {c.given: c for c in check.inputs}
        for k, row in enumerate(self.rows):
            checked = by_input.get(row.input or "")
            item = self.tree.topLevelItem(k)
            if checked is None or item is None:
                continue
            if not checked.importable:
                note(item, f"cannot be imported: {checked.what}")
            elif checked.names or checked.pdfs:  # another library's row stays as it is
                item.setText(1, checked.what)
                item.setToolTip(1, checked.what)
                # What the file brings besides its entries (a Mendeley export's folders).
                note(item, "; ".join(p for p in (checked.counts(), checked.placing) if p))
