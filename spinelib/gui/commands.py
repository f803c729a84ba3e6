"""What the menus, the toolbar and the context menus do to the selected articles and lists.

:class:`Commands` turns a user's request into Library calls on workers (writes on the write
worker), asks before anything destructive, and reports by signal what changed so the window
can refresh the table, the sidebar and the detail pane. The questions it asks
(:attr:`Commands.ask_text`, :attr:`Commands.confirm`) are plain callables, so tests answer
them without a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from spinelib.gui import jobs
from spinelib.gui.clipboard import put_on_clipboard
from spinelib.gui.tagpicker import TagPicker
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library, Row, TagCount
from spinelib.serialize import row_author
from spinelib.text import plural

#: Articles named in a delete confirmation before "and N more".
CONFIRM_NAMES = 8

AskText = Callable[[str, str, str], "str | None"]
Confirm = Callable[[str, str], bool]


def describe_rows(rows: Sequence[Row]) -> list[str]:
    """'Patchell et al. 2005 — Direct decompressive…' for a confirmation."""
    out = []
    for r in rows:
        title = r.title if len(r.title) <= 80 else r.title[:77] + "…"
        who = " ".join(p for p in (row_author(r), str(r.year or "")) if p)
        out.append(f"{who} — {title}" if who else title)
    return out


def ask_confirmation(parent: QWidget, title: str, question: str) -> bool:
    """Ask a Yes/Cancel question (Cancel is the default); True for Yes."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


class Commands(QObject):
    """Actions on the selection and on reading lists; results come back as signals."""

    #: These articles' rows (tags, read status) changed.
    changed = Signal(list)
    #: These articles were deleted.
    deleted = Signal(list)
    #: Reading lists were created, renamed, deleted or filled.
    lists_changed = Signal()
    #: A list was renamed (old, new), so a view showing it can follow.
    list_renamed = Signal(str, str)
    #: A plain message for the status bar.
    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.window = parent
        #: (title, prompt, initial text) -> text, or None when cancelled.
        self.ask_text: AskText = self._ask_text
        #: (title, question) -> yes?
        self.confirm: Confirm = self._confirm
        self.picker: TagPicker | None = None

    # ------------------------------------------------------------ questions
    def _ask_text(self, title: str, prompt: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self.window, title, prompt,
                                         QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def _confirm(self, title: str, question: str) -> bool:
        return ask_confirmation(self.window, title, question)

    def _write(self, fn: Callable[..., Any], *args: Any,
               done: Callable[[Any], None] | None = None) -> None:
        self.runner.start(fn, *args, pool="write", on_done=done or (lambda _r: None),
                          on_error=self.message.emit)

    # ------------------------------------------------------------ clipboard
    def copy_citation(self, ids: Sequence[int], style: str = "vancouver") -> None:
        """The selection's citations onto the clipboard as text and as formatted HTML, so a
        word processor pastes the style's italics (AMA's and APA's journal names)."""
        if not ids:
            return
        chosen = list(ids)

        def copied(clip: jobs.CitationsClip) -> None:
            put_on_clipboard(clip.text, clip.html)
            self.message.emit(f"Copied {len(chosen)} citation{'s' if len(chosen) != 1 else ''}"
                              f" ({clip.style_title or style}).")

        self.runner.start(jobs.citations_clip, self.library, chosen, style, on_done=copied,
                          on_error=self.message.emit)

    def copy_bibtex(self, ids: Sequence[int]) -> None:
        self._copy(ids, jobs.bibtex_text, said=lambda n, _text: (
            f"Copied {n} BibTeX entr{'ies' if n != 1 else 'y'}."))

    def copy_citekey(self, ids: Sequence[int]) -> None:
        self._copy(ids, jobs.citekeys_text, said=lambda n, text: (
            f"Copied citation key{'s' if n != 1 else ''}: {text}"))

    def _copy(self, ids: Sequence[int], job: Callable[..., str], *args: Any,
              said: Callable[[int, str], str]) -> None:
        """The text ``job(library, ids, *args)`` makes on a worker, onto the clipboard,
        then ``said(count, text)`` in the status bar; nothing without a selection."""
        if not ids:
            return
        chosen = list(ids)

        def copied(text: str) -> None:
            put_on_clipboard(text)
            self.message.emit(said(len(chosen), text))

        self.runner.start(job, self.library, chosen, *args, on_done=copied,
                          on_error=self.message.emit)

    # ------------------------------------------------------------ edits
    def set_read_status(self, ids: Sequence[int], status: int) -> None:
        if ids:
            chosen = list(ids)
            self._write(self.library.articles.set_read_status, chosen, status,
                        done=lambda _r: self.changed.emit(chosen))

    def delete(self, ids: Sequence[int]) -> None:
        """Ask, naming the articles, then delete them."""
        if not ids:
            return
        chosen = list(ids)
        self.runner.start(self.library.search.rows, chosen[:CONFIRM_NAMES],
                          on_done=lambda rows: self._confirm_delete(chosen, rows),
                          on_error=self.message.emit)

    def _confirm_delete(self, ids: list[int], rows: dict[int, Row]) -> None:
        names = describe_rows([rows[i] for i in ids[:CONFIRM_NAMES] if i in rows])
        more = len(ids) - len(names)
        listing = "\n".join(f"• {n}" for n in names)
        if more > 0:
            listing += f"\n…and {more:,} more"
        what = "this article" if len(ids) == 1 else f"these {len(ids):,} articles"
        question = (f"Move {what} to the trash?\n\n{listing}\n\nThey leave every list, "
                    "search and export, and come back whole (tags, notes, places in reading "
                    "lists) with Undo or 'spinelib trash restore'.")
        if not self.confirm("Delete articles", question):
            return

        def done(n: int) -> None:
            self.deleted.emit(ids)
            self.message.emit(f"Moved {plural(n)} to the trash.")

        self._write(self.library.articles.delete, ids, done=done)

    # ------------------------------------------------------------ tags
    def edit_tags(self, ids: Sequence[int], tags: Sequence[TagCount]) -> None:
        """Open the tag picker for ``ids`` once their current tags are loaded."""
        if not ids:
            return
        chosen = list(ids)
        self.runner.start(tag_presence, self.library, chosen,
                          on_done=lambda presence: self._open_picker(chosen, tags, presence),
                          on_error=self.message.emit)

    def _open_picker(self, ids: list[int], tags: Sequence[TagCount],
                     presence: dict[str, int]) -> None:
        picker = TagPicker(tags, presence, len(ids), self.window)
        picker.applied.connect(lambda add, remove, create: self.apply_tags(
            ids, add, remove, create))
        picker.finished.connect(picker.deleteLater)
        self.picker = picker
        picker.open()

    def apply_tags(self, ids: Sequence[int], add: Sequence[str], remove: Sequence[str],
                   create: Sequence[str] = ()) -> None:
        chosen = list(ids)

        def done(_r: Any) -> None:
            self.changed.emit(chosen)
            parts = [f"added {len(add)}" if add else "", f"removed {len(remove)}" if remove
                     else ""]
            self.message.emit(f"Tags {' and '.join(p for p in parts if p)} on "
                              f"{len(chosen)} article{'s' if len(chosen) != 1 else ''}.")

        self._write(apply_tag_changes, self.library, chosen, list(add), list(remove),
                    list(create), done=done)

    # ------------------------------------------------------------ reading lists
    def add_to_list(self, name: str, ids: Sequence[int]) -> None:
        if not ids:
            return

        def done(n: int) -> None:
            self.lists_changed.emit()
            self.message.emit(f"Added {plural(n)} to “{name}”"
                              + ("" if n == len(ids) else " (the others were already in it)")
                              + ".")

        self._write(self.library.lists.add, name, list(ids), done=done)

    def remove_from_list(self, name: str, ids: Sequence[int]) -> None:
        if not ids:
            return

        def done(n: int) -> None:
            self.lists_changed.emit()
            self.message.emit(f"Removed {plural(n)} from “{name}”.")

        self._write(self.library.lists.remove, name, list(ids), done=done)

    def new_list(self, ids: Sequence[int] = ()) -> None:
        """Ask for a name, create the list, and put ``ids`` in it."""
        name = self.ask_text("New reading list", "Name of the new reading list:", "")
        if name is None or not name.strip():
            return
        name = name.strip()
        chosen = list(ids)

        def create() -> int:
            self.library.lists.create(name)
            return self.library.lists.add(name, chosen) if chosen else 0

        def done(_n: int) -> None:
            self.lists_changed.emit()
            self.message.emit(f"Created reading list “{name}”.")

        self._write(create, done=done)

    def rename_list(self, name: str) -> None:
        new = self.ask_text("Rename reading list", f"New name for “{name}”:", name)
        if new is None or not new.strip() or new.strip() == name:
            return
        new = new.strip()

        def done(_r: Any) -> None:
            self.list_renamed.emit(name, new)
            self.lists_changed.emit()

        self._write(self.library.lists.rename, name, new, done=done)

    def delete_list(self, name: str) -> None:
        """Ask, then delete the list (its articles stay in the library)."""
        if not self.confirm("Delete reading list",
                            f"Delete the reading list “{name}”?\n\nThe articles in it stay in "
                            "the library; only the list and its order are deleted."):
            return

        def done(_r: Any) -> None:
            self.lists_changed.emit()
            self.message.emit(f"Deleted reading list “{name}”.")

        self._write(self.library.lists.delete, name, done=done)


# Run on the workers for the tag picker (plain Library calls).
def tag_presence(library: Library, ids: Sequence[int]) -> dict[str, int]:
    """Confirmed tag id -> how many of ``ids`` carry it (for the picker's check marks)."""
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        for row in library.search.rows(ids[start:start + 500]).values():
            for tag in row.tags:
                counts[tag] = counts.get(tag, 0) + 1
    return counts


def apply_tag_changes(library: Library, ids: Sequence[int], add: Sequence[str],
                      remove: Sequence[str], create: Sequence[str] = ()) -> list[int]:
    """Create new user tags, then add and remove tags on ``ids``; returns the ids."""
    for label in create:
        library.tags.create(label)
    if add:
        library.tags.add(ids, add)
    if remove:
        library.tags.remove(ids, remove)
    return list(ids)
