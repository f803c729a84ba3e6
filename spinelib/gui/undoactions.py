"""Edit ▸ Undo / Redo: Ctrl+Z and Ctrl+Shift+Z over the Library's undo log, each naming the
operation ("Undo merge of 2 articles").

The log lives in the core (``lib.history``); this module only shows it. The names are read
and the undo runs on the worker threads (docs/ARCHITECTURE.md, "GUI threading"); a text
field with the focus keeps its own Ctrl+Z.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from spinelib.curation_results import Operation
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library


def undo_state(library: Library) -> tuple[Operation | None, Operation | None]:
    """What Undo and Redo would do now (run on a worker)."""
    return library.history.can_undo(), library.history.can_redo()


class UndoController(QObject):
    """The two actions, kept named after the operation they would revert or repeat."""

    #: The library changed by an undo or redo (the window refreshes its views).
    library_changed = Signal()
    #: A plain message for the status bar.
    message = Signal(str)

    def __init__(self, window: QMainWindow, library: Library, runner: TaskRunner) -> None:
        super().__init__(window)
        self.library = library
        self.runner = runner
        self.undo_action = QAction("&Undo", window)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = QAction("&Redo", window)
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        # Always enabled: a change made elsewhere (another window, the CLI) may have given
        # them something to do; with nothing, the status bar says so.
        for action, slot in ((self.undo_action, self.undo), (self.redo_action, self.redo)):
            action.triggered.connect(lambda _c=False, s=slot: s())
            window.addAction(action)

    def install(self, menu: QMenu) -> None:
        """Put the actions at the top of ``menu`` (the Edit menu) and keep their names fresh
        whenever it opens."""
        first = menu.actions()[0] if menu.actions() else None
        menu.insertActions(first, [self.undo_action, self.redo_action])  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]
        menu.aboutToShow.connect(self.update)

    def update(self) -> None:
        """Re-read what Undo and Redo would do (after any change to the library)."""
        self.runner.start(undo_state, self.library, on_done=self._show,
                          on_error=lambda _m: None)

    def _show(self, state: tuple[Operation | None, Operation | None]) -> None:
        undo, redo = state
        self.undo_action.setText(f"&Undo {undo.name}" if undo else "&Undo")
        self.redo_action.setText(f"&Redo {redo.name}" if redo else "&Redo")

    def undo(self) -> None:
        self._step(self.library.history.undo, "Undid")

    def redo(self) -> None:
        self._step(self.library.history.redo, "Redid")

    def _step(self, fn: Callable[[], Operation], word: str) -> None:
        def done(op: Operation) -> None:
            # A file that could not be moved back (missing, or its place taken) is said.
            notes = " ".join(self.library.history.last_messages)
            self.message.emit(f"{word} {op.name}." + (f" {notes}" if notes else ""))
            self.library_changed.emit()
            self.update()

        def failed(text: str) -> None:
            self.message.emit(text)
            self.update()

        self.runner.start(fn, pool="write", on_done=done, on_error=failed)


def install_undo(window: QMainWindow, library: Library, runner: TaskRunner,
                 refresh: Callable[[], None], message: Callable[[str], None],
                 changed_signals: Sequence[Any]) -> UndoController:
    """Add Undo/Redo to the window's Edit menu; ``changed_signals`` (the window's "the
    library changed" signals) refresh their names."""
    controller = UndoController(window, library, runner)
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "Edit" and action.menu() is not None:
            controller.install(action.menu())  # type: ignore[arg-type]
            break
    controller.library_changed.connect(refresh)
    controller.message.connect(message)
    for signal in changed_signals:
        signal.connect(controller.update)
    controller.update()
    return controller
