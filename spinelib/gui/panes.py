"""The main window's first split between sidebar, table and detail pane.

Used when a library's window has no saved layout: at construction (a first guess) and again
once the window is shown at its real size, since a split guessed before the final size is
rescaled by the splitter's stretch factors and left the detail pane too narrow for its tab
labels at 1280x720 ("Det…", "Cited by …").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow


def default_sizes(width: int, detail_minimum: int) -> list[int]:
    """[sidebar, table, detail] for a window ``width`` pixels wide.

    The sidebar's labels readable, the detail pane a comfortable column and never below
    ``detail_minimum`` (its tabs' whole labels), the table the rest (at least 400 px).
    Below 1200 px (a small laptop) the sidebar and the detail pane take no more than they
    need, so the table keeps its 400 px and the titles stay readable.
    """
    if width >= 1400:
        side, detail = 280, 430
    elif width >= 1200:
        side, detail = 245, 375
    else:
        side, detail = 220, 0
    detail = max(detail, detail_minimum)
    return [side, max(400, width - side - detail), detail]


def apply_default_split(window: MainWindow) -> None:
    """Split ``window``'s current width by :func:`default_sizes`."""
    window.splitter.setSizes(default_sizes(window.width(),
                                           window.detail.minimumSizeHint().width()))
