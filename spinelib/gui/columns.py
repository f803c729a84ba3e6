"""The article table's columns: which are shown, chosen from the header's menu; their
order and widths, remembered per library.

The title column stretches to take whatever room the others leave and cannot be hidden
(a row without its title means nothing); every other column can be shown or hidden,
dragged to another place and resized. The layout is Qt's header state, stored under a key
made from the library's path (:func:`state_key`), so two libraries can look different.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from spinelib.gui.tablemodel import COLUMNS, FILES_COLUMN, TITLE_COLUMN

#: Columns shown in a new library (the rest are one click away in the header's menu).
DEFAULT_SHOWN = frozenset({0, 1, 2, 3, 4, 5, 10})
#: Default widths (px) of the columns other than the stretching title.
DEFAULT_WIDTHS = {0: 112, 1: 44, 3: 104, 4: 104, 5: 34, 6: 70, 7: 86, 8: 150, 9: 80, 10: 44,
                  11: 64}
#: The title's width a first layout aims for: on a 1280-pixel laptop the default columns
#: left it about 90 px ("Cost-effec…"), and the titles are what a reader scans.
MIN_TITLE_WIDTH = 260
#: The default columns a first layout leaves out, in this order, while the title would be
#: narrower than that: files, then tags (the detail pane shows both, and the header's menu
#: brings them back).
FIT_DROPS = (FILES_COLUMN, 4)
#: The journal is worth a narrower title, but not a title of a few letters: a first layout
#: leaves it out too when the title would still be narrower than this (on a 1024-pixel
#: screen it left the title 30 px, "Cos…").
LAST_DROP, LAST_DROP_BELOW = 3, 170


def state_key(library_path: Path) -> str:
    """The window-state key of one library's table header (stable across runs)."""
    digest = hashlib.sha1(str(Path(library_path).resolve()).encode()).hexdigest()[:12]
    return f"tableHeader/{digest}"


def set_up_columns(table: QTableView) -> None:
    """Movable, resizable columns with the title stretching, the defaults shown, and a
    menu on the header to choose the columns."""
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(32)
    for col in range(len(COLUMNS)):
        if col == TITLE_COLUMN:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(col, DEFAULT_WIDTHS.get(col, 100))
        header.setSectionHidden(col, col not in DEFAULT_SHOWN)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(
        lambda pos: _show_menu(header, pos))


def column_menu(header: QHeaderView) -> QMenu:
    """A menu of every column, ticked when shown; the title is always shown."""
    menu = QMenu(header)
    menu.setTitle("Columns")
    for col, (name, _sort) in enumerate(COLUMNS):
        action = menu.addAction(name)
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(col))
        action.setEnabled(col != TITLE_COLUMN)
        action.toggled.connect(lambda on, c=col: set_column_shown(header, c, on))
    menu.addSeparator()
    reset = menu.addAction("Reset columns")
    reset.triggered.connect(lambda _c=False: reset_columns(header))
    return menu


def set_column_shown(header: QHeaderView, col: int, shown: bool) -> None:
    """Show or hide one column (never the title), giving a shown one a useful width."""
    if col == TITLE_COLUMN:
        return
    header.setSectionHidden(col, not shown)
    if shown and header.sectionSize(col) < 32:
        header.resizeSection(col, DEFAULT_WIDTHS.get(col, 100))


def reset_columns(header: QHeaderView) -> None:
    """The default columns, in their first order and widths."""
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if logical != visual:
            header.moveSection(header.visualIndex(visual), visual)
    for col in range(header.count()):
        header.setSectionHidden(col, col not in DEFAULT_SHOWN)
        if col != TITLE_COLUMN:
            header.resizeSection(col, DEFAULT_WIDTHS.get(col, 100))
    fit_columns(header)


def restore_columns(header: QHeaderView, blob: object) -> bool:
    """Restore a remembered layout; the title stays shown and stretching whatever it said.
    With none remembered, the default columns are fitted to the table's width once it is
    laid out (:func:`fit_columns`)."""
    ok = bool(blob is not None and header.restoreState(blob))  # type: ignore[arg-type]
    header.setSectionHidden(TITLE_COLUMN, False)
    header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
    if not ok:
        QTimer.singleShot(0, header, lambda: fit_columns(header))
    return ok


def fit_columns(header: QHeaderView) -> list[int]:
    """Hide the :data:`FIT_DROPS` columns, in order, while the title would be narrower than
    :data:`MIN_TITLE_WIDTH` in the header's width; then bring back any dropped early that
    still fits beside the title (the narrow Files column, when leaving out Tags was enough);
    then the journal too if the title would still be under :data:`LAST_DROP_BELOW`. The
    columns left hidden."""
    hidden: list[int] = []
    # A hidden section's size reads 0: each width is taken while its column is shown.
    width = {c: header.sectionSize(c) for c in range(header.count())
             if c != TITLE_COLUMN and not header.isSectionHidden(c)}
    others = sum(width.values())
    room = header.viewport().width()
    for col in FIT_DROPS:
        if room - others >= MIN_TITLE_WIDTH:
            break
        if col in width:
            header.setSectionHidden(col, True)
            others -= width[col]
            hidden.append(col)
    for col in list(hidden[:-1]):
        if room - others - width[col] >= MIN_TITLE_WIDTH:
            header.setSectionHidden(col, False)
            others += width[col]
            hidden.remove(col)
    if room - others < LAST_DROP_BELOW and LAST_DROP in width:
        header.setSectionHidden(LAST_DROP, True)
        hidden.append(LAST_DROP)
    return hidden


def _show_menu(header: QHeaderView, pos: QPoint) -> None:
    menu = column_menu(header)
    menu.exec(header.mapToGlobal(pos))
    menu.deleteLater()


__all__ = ["DEFAULT_SHOWN", "column_menu", "fit_columns", "reset_columns", "restore_columns",
           "set_column_shown", "set_up_columns", "state_key"]
