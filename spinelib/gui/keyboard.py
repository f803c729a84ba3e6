"""The article table's own keys: Space toggles read, Enter opens the article online; the
arrow keys, Home/End and Page Up/Down move as in any list (Qt's table does that).

The actions live on the table (``WidgetWithChildrenShortcut``), so Space in the search field
or the notes types a space and Enter there does what it does there. They are the window's
children, so Help ▸ Keyboard Shortcuts lists them with the rest; :data:`MOVEMENT_ROWS` adds
the keys that are not actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

from spinelib.library import ReadStatus, Row
from spinelib.weblinks import safe_web_address, web_address

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow

#: Keys the table understands that are not actions (for the shortcuts list).
MOVEMENT_ROWS: tuple[tuple[str, str], ...] = (
    ("Previous / next article", "Up, Down"),
    ("Extend the selection", "Shift+Up, Shift+Down"),
    ("First / last article", "Home, End"),
    ("Select every article shown", "Ctrl+A"),
)


def toggled_status(rows: Sequence[Row | None]) -> int:
    """Space's new read status for a selection: read, unless every one is read already."""
    known = [r for r in rows if r is not None]
    if known and all(r.read_status == ReadStatus.READ for r in known):
        return int(ReadStatus.UNREAD)
    return int(ReadStatus.READ)


def online_url(row: Row) -> QUrl | None:
    """Where Enter opens an article: its PubMed Central full text, else its DOI, else
    its PubMed page (None when it has no identifier). The address is
    :attr:`Identifier.url`'s, percent-encoded: Wiley's SICI DOIs of the 1990s hold "<", ">"
    and ";" and may end in "#" ("…3.0.CO;2-#"), which a raw address cut off as a fragment."""
    address = web_address(row.pmid, row.doi, row.pmcid)
    return QUrl(address) if address else None


class TableKeys:
    """Space and Enter on the article table of ``window``."""

    def __init__(self, window: MainWindow, opener=QDesktopServices.openUrl) -> None:  # type: ignore[no-untyped-def]
        self.window = window
        self.opener = opener
        self.toggle_read = self._action("Toggle read / unread", self.toggle, "Space",
                                        "Mark the selected articles read (or unread, when "
                                        "all are read already)")
        self.open_online = self._action("Open the article online", self.open_current,
                                        "Return", "Open the full text (PMC), the DOI or "
                                        "the PubMed page in the browser")
        self.open_online.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])

    def _action(self, text: str, slot, keys: str, tip: str) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.table.addAction(action)
        return action

    def toggle(self) -> None:
        """Space: read, or unread when every selected article is read already."""
        ids = self.window.table.selected_ids()
        if ids:
            rows = [self.window.model.cached_row(i) for i in ids]
            self.window.commands.set_read_status(ids, toggled_status(rows))

    def open_current(self) -> bool:
        """Enter: open the current article online; False when there is nothing to open."""
        current = self.window.table.current_id()
        row = self.window.model.cached_row(current) if current is not None else None
        url = online_url(row) if row is not None else None
        shown = self.window.detail.data
        if url is None and shown is not None and shown.article_id == current:
            # A guideline's or report's own page (the detail pane links it; rows carry no URL).
            url = QUrl(page) if (page := safe_web_address(shown.record.url)) else None
        if url is None:
            self.window.status.show_message("This article has no DOI, PMID, PMCID or web "
                                            "address to open online.")
            return False
        return bool(self.opener(url))


__all__ = ["MOVEMENT_ROWS", "TableKeys", "online_url", "toggled_status"]
