"""What the File menu does with library files: new, open, back up, restore, open the sample.

Opening another library and restoring a backup replace what a window shows, so
:class:`LibraryFileCommands` only *asks* for them (:attr:`~LibraryFileCommands.open_requested`,
:attr:`~LibraryFileCommands.restore_requested`); the launcher (:mod:`spinelib.gui.app`) does
them. Backing up and building the sample library run on workers and report by message. The question
before a restore (:attr:`LibraryFileCommands.confirm`) is a plain callable, so tests answer it
without a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from spinelib import paths
from spinelib.gui.commands import Confirm, ask_confirmation
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library

LIBRARY_FILTER = "SpineLib libraries (*.sqlite *.db);;All files (*)"


class LibraryFileCommands(QObject):
    """The library-file actions of one window (its library, its workers)."""

    #: Open (or create) this library in a window of its own.
    open_requested = Signal(Path)
    #: The user confirmed replacing this window's library with this backup file.
    restore_requested = Signal(Path)
    #: A plain message for the status bar.
    message = Signal(str)
    #: Articles were added to the library (the sample): refresh the views.
    library_changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.window = parent
        #: (title, question) -> yes?
        self.confirm: Confirm = lambda title, question: ask_confirmation(parent, title,
                                                                          question)

    def new_library(self) -> None:
        """Ask where to create a library ('.sqlite' added when no suffix is given)."""
        name, _f = QFileDialog.getSaveFileName(self.window, "New library",
                                               str(self.library.path.parent / "library.sqlite"),
                                               LIBRARY_FILTER)
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".sqlite")
            self.open_requested.emit(path)

    def open_library(self) -> None:
        """Ask for a library file to open in another window."""
        name, _f = QFileDialog.getOpenFileName(self.window, "Open library",
                                               str(self.library.path.parent), LIBRARY_FILTER)
        if name:
            self.open_requested.emit(Path(name))

    def backup_now(self) -> None:
        """Copy the library with SQLite's online backup, on the writer thread."""
        self.runner.start(self.library.backup, pool="write",
                          on_done=lambda dest: self.message.emit(f"Backed up to {dest}"),
                          on_error=lambda msg: self.message.emit(f"Backup failed: {msg}"))

    def restore_from_backup(self, source: Path | None = None) -> None:
        """Ask for a backup file and a confirmation naming both files, then hand over to the
        launcher, which closes this window, restores, and reopens the library."""
        if source is None:
            start = paths.backup_dir(self.library.path)
            name, _f = QFileDialog.getOpenFileName(
                self.window, "Restore from backup", str(start if start.is_dir() else
                                                        self.library.path.parent),
                LIBRARY_FILTER)
            if not name:
                return
            source = Path(name)
        question = (f"Replace the library “{self.library.path.name}” with the backup "
                    f"“{source.name}”?\n\nThe library as it is now is saved to its backups "
                    "folder first, so this can be undone by restoring that copy.")
        if self.confirm("Restore from backup", question):
            self.restore_requested.emit(source)

    def open_sample(self) -> None:
        """Open the sample library in a window of its own, building it first (on a worker)
        when this machine has none yet; the user's own library is left as it is."""
        from spinelib.samplelibrary import ensure_sample_library

        self.message.emit("Opening the sample library…")
        self.runner.start(ensure_sample_library, pool="net",
                          on_done=self.open_requested.emit, on_error=self.message.emit)


__all__ = ["LIBRARY_FILTER", "LibraryFileCommands"]
