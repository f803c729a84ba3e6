"""Start the desktop app: build settings and the Library once, then open the main window.

A :class:`Launcher` owns the open windows: File ▸ Open library and Open recent ask it to
open another library (on a worker, since opening may migrate or back up the file) in a new
window, and it keeps the recent-libraries list in the settings file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from spinelib import __version__, paths
from spinelib import settings as settings_mod
from spinelib.display import NO_DISPLAY_EXIT, NO_DISPLAY_MESSAGE, has_display
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.logsetup import setup_logging

log = logging.getLogger(__name__)

#: Libraries remembered in File ▸ Open recent.
RECENT_KEPT = 10
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The SpineLib icon at every size shipped (PNG renders of resources/icons/spinelib.svg)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = paths.resource(f"icons/spinelib-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    svg = paths.resource("icons/spinelib.svg")
    if svg.is_file():
        icon.addFile(str(svg))
    return icon


def ensure_app(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication (made on first use, with our name, desktop file and icon)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("SpineLib")
    app.setOrganizationName("SpineLib")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("spinelib")
    app.setWindowIcon(app_icon())
    return app


def remember_library(path: Path, settings_path: Path | None = None) -> list[str]:
    """Put ``path`` first in the settings file's recent libraries; the new list."""
    settings_path = settings_path or paths.settings_path()
    stored = settings_mod.load(settings_path, env={})
    key = str(path.resolve())
    recent = [key] + [p for p in stored.recent_libraries if p != key]
    stored.recent_libraries = recent[:RECENT_KEPT]
    try:
        settings_mod.save(stored, settings_path)
    except OSError as exc:  # a read-only settings dir costs only the recent list
        log.warning("cannot save recent libraries: %s", exc)
    return stored.recent_libraries


def open_window(library_path: Path):  # type: ignore[no-untyped-def]
    """Open the library and build its main window (raises SpineLibError for the user)."""
    from spinelib.gui.mainwindow import MainWindow

    library = Library.open(library_path, daily_backup=True)
    recent = remember_library(library_path)
    settings = settings_mod.load(paths.settings_path())
    settings.recent_libraries = recent
    return MainWindow(library, settings)


class Launcher(QObject):
    """Keeps the windows, opens further libraries in new windows."""

    def __init__(self, parent: QObject | None = None) -> None:
        from spinelib.gui.tasks import TaskRunner

        super().__init__(parent)
        self.windows: list[QObject] = []
        self.runner = TaskRunner(self)

    def adopt(self, window) -> None:  # type: ignore[no-untyped-def]
        """Track ``window`` and answer its requests to open other libraries."""
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.open_library_requested.connect(self.open)
        window.restore_requested.connect(lambda source: self.restore(window, source))
        window.team.open_team_requested.connect(self.open_team)
        window.destroyed.connect(lambda *_: self.windows.remove(window)
                                 if window in self.windows else None)
        self.windows.append(window)
        window.show()
        from spinelib.gui.inboxdialog import start_weekly_run

        start_weekly_run(window)  # issue 17: the automatic weekly run of the watches
        # Issue 19: the daily backup copies on a worker once the window is up.
        window.runner.start(window.library.backup_if_due, pool="write",
                            on_error=lambda _message: None)

    def open(self, path: Path) -> None:
        for window in self.windows:
            if Path(window.library.path).resolve() == path.resolve():  # type: ignore[attr-defined]
                window.raise_()  # type: ignore[attr-defined]
                window.activateWindow()  # type: ignore[attr-defined]
                return
        def failed(message: str) -> None:
            QMessageBox.critical(None, "SpineLib", f"Cannot open {path}.\n\n{message}")

        self.runner.start(Library.open, path, daily_backup=True, pool="write",
                          on_done=self._opened, on_error=failed)

    def open_team(self, url: str, password: str | None = None, remember: bool = False
                  ) -> None:
        """Open the team library at ``url`` (its local copy, attached) in a new window;
        ``remember``: keep a password that was needed in the OS keyring."""
        from spinelib.library.team import open_team

        def failed(message: str) -> None:
            QMessageBox.critical(None, "SpineLib", f"Cannot open the team library.\n\n"
                                 f"{message}")

        self.runner.start(open_team, url, paths.data_dir(), password=password,
                          remember_password=remember, pool="write", on_done=self._opened,
                          on_error=failed)

    def restore(self, window, source: Path) -> None:  # type: ignore[no-untyped-def]
        """Close ``window``, replace its library with ``source`` on a worker, reopen it.

        The library is reopened whatever happens: restored, or as it was when the backup is
        refused (Library.restore checks the backup before it touches anything)."""

        path = Path(window.library.path)
        window.close()  # waits for its workers and closes its connections

        def done(saved: Path | None) -> None:
            self.open(path)
            kept = f"\n\nThe library it replaced was saved as {saved}." if saved else ""
            QMessageBox.information(None, "SpineLib", f"Restored {path.name} from "
                                    f"{source.name}.{kept}")

        def failed(message: str) -> None:
            self.open(path)
            QMessageBox.critical(None, "SpineLib", f"Not restored.\n\n{message}")

        self.runner.start(Library.restore, path, source, pool="write", on_done=done,
                          on_error=failed)

    def _opened(self, library: Library) -> None:
        from spinelib.gui.mainwindow import MainWindow

        settings = settings_mod.load(paths.settings_path())
        if not library.sync.active:  # a team replica is reopened by its URL, not its file
            settings.recent_libraries = remember_library(library.path)
        self.adopt(MainWindow(library, settings))


def run_gui(library_path: Path, files: Sequence[str] = ()) -> int:
    """Run the app on ``library_path`` until the user quits; the exit status.

    ``files`` (from the command line or a file manager's "Open with") are imported at once,
    through the import dialog, as if dropped on the window.
    """
    app = ensure_app()
    try:
        window = open_window(library_path)
    except SpineLibError as exc:
        QMessageBox.critical(None, "SpineLib", f"Cannot open the library.\n\n{exc}")
        return 1
    launcher = Launcher(app)
    launcher.adopt(window)
    if files:
        window.imports.import_inputs([str(Path(f).expanduser()) for f in files])
    return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``spinelib-gui`` script."""
    parser = argparse.ArgumentParser(prog="spinelib-gui")
    parser.add_argument("--library", metavar="PATH")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help=".bib, .ris, .nbib, .xml or .json files to import")
    args, _qt_args = parser.parse_known_args(argv)
    if not has_display():
        # The same one line as ``spinelib`` (Qt would abort with exit 134 and a raw message).
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return NO_DISPLAY_EXIT
    setup_logging()
    if args.library and args.library.lower().startswith(("postgresql://", "postgres://")):
        return run_team_gui(args.library)
    return run_gui(paths.library_path(args.library), args.files)


def run_team_gui(url: str) -> int:
    """Run the app on the team library at ``url`` (``spinelib-gui --library postgresql://…``;
    libpq finds the password in ~/.pgpass or a service file, else File ▸ Open team library…
    asks for it)."""
    from spinelib.gui.mainwindow import MainWindow
    from spinelib.library.team import open_team

    app = ensure_app()
    try:
        library = open_team(url, paths.data_dir())
    except SpineLibError as exc:
        QMessageBox.critical(None, "SpineLib", f"Cannot open the team library.\n\n{exc}")
        return 1
    launcher = Launcher(app)
    launcher.adopt(MainWindow(library, settings_mod.load(paths.settings_path())))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
