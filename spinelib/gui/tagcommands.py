"""What the sidebar's tag menu does: rename, merge, move and delete the user's own tags.

Like :mod:`spinelib.gui.commands`, it asks (through plain callables tests can answer), runs
the Library call on the write worker and reports by signal; the vocabulary's tags are refused
by the tags room with a plain message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from spinelib.gui.commands import ask_confirmation
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library

AskText = Callable[[str, str, str], "str | None"]
AskItem = Callable[[str, str, Sequence[str]], "str | None"]
Confirm = Callable[[str, str], bool]


class TagCommands(QObject):
    """Rename, merge, move and delete user tags from the sidebar; ``changed`` after each."""

    #: Tags changed (the table's Tags column, the counts and the detail pane reload).
    changed = Signal()
    #: A plain message for the status bar.
    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget,
                 labels: Callable[[], dict[str, str]]) -> None:
        """``labels`` gives tag id -> label for the tags the sidebar shows now."""
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.window = parent
        self.labels = labels
        self.ask_text: AskText = self._ask_text
        self.ask_item: AskItem = self._ask_item
        self.confirm: Confirm = lambda title, q: ask_confirmation(self.window, title, q)

    def _ask_text(self, title: str, prompt: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self.window, title, prompt,
                                         QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def _ask_item(self, title: str, prompt: str, items: Sequence[str]) -> str | None:
        value, ok = QInputDialog.getItem(self.window, title, prompt, list(items), 0, False)
        return value if ok else None

    def _run(self, fn: Callable[..., Any], *args: Any, done: str) -> None:
        def finished(_result: object) -> None:
            self.message.emit(done)
            self.changed.emit()
        self.runner.start(fn, *args, pool="write", on_done=finished,
                          on_error=self.message.emit)

    def rename(self, tag_id: str) -> None:
        """Ask for a new name and rename the tag (its articles keep it)."""
        label = self.labels().get(tag_id, tag_id)
        new = self.ask_text("Rename tag", f"New name for “{label}”:", label)
        if new is None or not new.strip() or new.strip() == label:
            return
        self._run(self.library.tags.rename, tag_id, new,
                  done=f"Renamed “{label}” to “{' '.join(new.split())}”.")

    def merge(self, tag_id: str) -> None:
        """Ask which tag receives this one's articles, then merge it away."""
        labels = self.labels()
        label = labels.get(tag_id, tag_id)
        others = sorted((lbl for t, lbl in labels.items() if t != tag_id), key=str.casefold)
        target = self.ask_item("Merge tag", f"Move every article tagged “{label}” to:",
                               others)
        if target is None:
            return
        target_id = next((t for t, lbl in labels.items() if lbl == target), target)
        self._run(self.library.tags.merge, tag_id, target_id,
                  done=f"Merged “{label}” into “{target}”.")

    def move(self, tag_id: str) -> None:
        """Ask which tag this one goes under (or the top level), then move it there."""
        labels = self.labels()
        label = labels.get(tag_id, tag_id)
        top = "(top level: My tags)"
        others = [top] + sorted((lbl for t, lbl in labels.items() if t != tag_id),
                                key=str.casefold)
        target = self.ask_item("Move tag", f"Put “{label}” under:", others)
        if target is None:
            return
        parent = None if target == top else next(
            (t for t, lbl in labels.items() if lbl == target), target)
        self._run(self.library.tags.move, tag_id, parent,
                  done=f"Moved “{label}” under “{target}”." if parent
                  else f"Moved “{label}” to the top level.")

    def move_to(self, tag_id: str, parent: str) -> None:
        """Move a tag under ``parent`` ("" = the top level) without asking: a tag dropped on
        another in the sidebar."""
        labels = self.labels()
        label = labels.get(tag_id, tag_id)
        self._run(self.library.tags.move, tag_id, parent or None,
                  done=f"Moved “{label}” under “{labels.get(parent, parent)}”." if parent
                  else f"Moved “{label}” to the top level.")

    def delete(self, tag_id: str) -> None:
        """Ask, then delete the tag (the articles stay; only the tag goes)."""
        label = self.labels().get(tag_id, tag_id)
        if not self.confirm("Delete tag", f"Delete the tag “{label}”? The articles stay in "
                                          "the library; only this tag is taken off them."):
            return
        self._run(self.library.tags.delete, tag_id, done=f"Deleted the tag “{label}”.")


__all__ = ["TagCommands"]
