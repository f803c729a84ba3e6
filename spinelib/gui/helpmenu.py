"""The Help menu: keyboard shortcuts, where the library lives, and About.

Everything shown is read from the running program, never typed in by hand, so it cannot go
stale: the shortcuts dialog lists the window's real QActions (as they are when it opens), the
location dialog asks :mod:`spinelib.paths` (so ``--library``, ``SPINELIB_LIBRARY`` and
``SPINELIB_HOME`` are honoured), and About (:mod:`spinelib.gui.aboutdialog`) reads each
dependency's version and licence from its installed package metadata.

The main window wires it with :func:`install_help_menu`; the dialogs can also be opened alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib import paths
from spinelib.gui.aboutdialog import AboutDialog
from spinelib.gui.keyboard import MOVEMENT_ROWS

UrlOpener = Callable[[QUrl], bool]
PathSource = Path | Callable[[], Path]


# ------------------------------------------------------------------------------ shortcuts
def action_label(action: QAction) -> str:
    """The action's text as a user reads it in a list: no '&' mnemonics, no trailing '…'."""
    text = action.text() or action.iconText() or action.toolTip()
    text = re.sub(r"&(.)", r"\1", text)  # '&Open' -> 'Open', '&&' -> '&'
    return text.rstrip(".…").strip()


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(label, keys) for every action that has a shortcut, in the order given.

    Keys are in the platform's own notation (⌘ on macOS), every alternative shortcut of an
    action joined by ', '. An action met twice, or two with the same label and keys, is
    listed once; actions without a shortcut or without text are left out.
    """
    rows: list[tuple[str, str]] = []
    seen_actions: set[int] = set()
    for action in actions:
        if id(action) in seen_actions:
            continue
        seen_actions.add(id(action))
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        keys = [k for k in keys if k]
        label = action_label(action)
        if not keys or not label:
            continue
        row = (label, ", ".join(keys))
        if row not in rows:
            rows.append(row)
    return rows


class ShortcutsDialog(QDialog):
    """A filterable table of the keyboard shortcuts of the actions it is given."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None,
                 extra: Sequence[tuple[str, str]] = ()) -> None:
        """``extra``: (what, keys) rows for keys that are not actions (moving in a list)."""
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.rows = shortcut_rows(actions) + list(extra)

        self.filter = QLineEdit(placeholderText="Filter by action or key…")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(self.rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (label, keys) in enumerate(self.rows):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.empty = QLabel("No actions have keyboard shortcuts.")
        self.empty.setVisible(not self.rows)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.resize(480, 520)

    def apply_filter(self, text: str) -> None:
        """Show only rows whose action or keys contain ``text`` (case-insensitive)."""
        needle = text.casefold().strip()
        for row, (label, keys) in enumerate(self.rows):
            shown = not needle or needle in label.casefold() or needle in keys.casefold()
            self.table.setRowHidden(row, not shown)

    def visible_rows(self) -> list[tuple[str, str]]:
        return [r for i, r in enumerate(self.rows) if not self.table.isRowHidden(i)]


# ------------------------------------------------------------------------------ locations
@dataclass(frozen=True)
class Location:
    """One place SpineLib keeps something, as the location dialog shows it."""

    what: str
    path: Path
    #: The folder an "Open folder" button opens (the path itself, or the file's folder).
    folder: Path


def library_locations(library_path: Path) -> list[Location]:
    """Where the open library, its backups, and the settings and log are, right now."""
    data = paths.data_dir()
    backups = paths.backup_dir(library_path)
    return [
        Location("Library file", library_path, library_path.parent),
        Location("Backups", backups, backups),
        Location("Settings and log", data, data),
    ]


class LibraryLocationDialog(QDialog):
    """'Where is my library?': each path, selectable, with a button to open its folder."""

    def __init__(self, library_path: Path, parent: QWidget | None = None, *,
                 open_url: UrlOpener = QDesktopServices.openUrl) -> None:
        super().__init__(parent)
        self.setWindowTitle("Where Is My Library?")
        self._open_url = open_url
        self.locations = library_locations(Path(library_path))
        self.open_buttons: list[QPushButton] = []

        intro = QLabel("SpineLib keeps everything in ordinary files on this computer. Back up "
                       "the library file (or use File ▸ Back Up) to keep your papers, tags "
                       "and notes safe.")
        intro.setWordWrap(True)
        grid = QGridLayout()
        for row, loc in enumerate(self.locations):
            name = QLabel(f"<b>{loc.what}</b>")
            value = QLabel(str(loc.path))
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            button = QPushButton("Open Folder")
            button.setAccessibleName(f"Open the folder of: {loc.what}")
            if loc.folder.is_dir():
                button.clicked.connect(lambda _=False, f=loc.folder: self.open_folder(f))
            else:
                button.setEnabled(False)
                button.setToolTip("This folder has not been created yet.")
            self.open_buttons.append(button)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)

        overrides = QLabel("To use another library, choose File ▸ Open library… (or File ▸ "
                           "Open recent); File ▸ New library… starts an empty one. Each opens "
                           "in its own window, and SpineLib remembers the libraries you used.")
        overrides.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(overrides)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(620, 280)

    def open_folder(self, folder: Path) -> bool:
        """Ask the desktop to show ``folder``; say so in the dialog when it cannot."""
        opened = bool(self._open_url(QUrl.fromLocalFile(str(folder))))
        self.status.setText("" if opened else
                            f"Could not open {folder} here; the path above can be copied.")
        return opened


# ------------------------------------------------------------------------------ the menu
@dataclass
class HelpActions:
    """The actions :func:`install_help_menu` added (for tests and for the toolbar)."""

    shortcuts: QAction
    location: QAction
    about: QAction


def _current(source: PathSource) -> Path:
    return Path(source() if callable(source) else source)


def install_help_menu(menu: QMenu, parent: QWidget, *, library_path: PathSource,
                      actions: Callable[[], Iterable[QAction]],
                      open_url: UrlOpener = QDesktopServices.openUrl) -> HelpActions:
    """Fill ``menu`` (the window's Help menu) with Keyboard Shortcuts, Where Is My Library?
    and About SpineLib.

    ``library_path`` is the open library's path, or a callable returning it (when the window
    can switch libraries). ``actions`` is called each time the shortcuts dialog opens and
    returns the actions to list, e.g. ``lambda: window.findChildren(QAction)``, so the list
    is always the window's real shortcuts. ``open_url`` opens a folder (tests replace it).
    """
    shortcuts = QAction("&Keyboard Shortcuts", parent)
    shortcuts.setShortcut(QKeySequence("Ctrl+/"))
    shortcuts.setMenuRole(QAction.MenuRole.NoRole)
    shortcuts.triggered.connect(lambda: ShortcutsDialog(actions(), parent,
                                                        extra=MOVEMENT_ROWS).exec())

    location = QAction("&Where Is My Library?", parent)
    location.setMenuRole(QAction.MenuRole.NoRole)
    location.triggered.connect(lambda: LibraryLocationDialog(
        _current(library_path), parent, open_url=open_url).exec())

    about = QAction("&About SpineLib", parent)
    # On macOS Qt moves this into the application menu, where users look for it.
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: AboutDialog(_current(library_path), parent).exec())

    menu.addAction(shortcuts)
    menu.addAction(location)
    menu.addSeparator()
    menu.addAction(about)
    return HelpActions(shortcuts, location, about)
