"""The line above the article table that says which articles a tag filter shows: the
tagged ones only, or the suggested ones too, with a link to switch (issue 15, item 7).

:func:`tag_filter_text` is the policy in plain Python; :class:`FilterBar` shows it and
reports a clicked link (``suggested:<tag id>`` or ``tagged:<tag id>``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from spinelib.gui.querystate import Filter
from spinelib.library import TagCount


def tag_filter_text(filters: Sequence[Filter], counts: Mapping[str, TagCount]) -> str:
    """Rich text naming what each tag filter shows ('' when no tag filter is on)."""
    parts = []
    for f in filters:
        if f.kind not in ("tag", "suggested"):
            continue
        c = counts.get(f.value)
        label = html.escape(c.label if c else f.value)
        if f.kind == "tag":
            more = (f' · <a href="suggested:{html.escape(f.value)}">include the '
                    f"{c.suggested:,} with it suggested</a>") if c and c.suggested else ""
            parts.append(f"<b>{label}</b>: tagged articles only{more}")
        else:
            parts.append(f"<b>{label}</b>: tagged and suggested · "
                         f'<a href="tagged:{html.escape(f.value)}">tagged only</a>')
    return " &nbsp;|&nbsp; ".join(parts)


class FilterBar(QLabel):
    """Shown while a tag filter is on; ``link_clicked(target)`` when a link is chosen."""

    link_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setWordWrap(True)
        self.setContentsMargins(6, 3, 6, 3)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.linkActivated.connect(self.link_clicked)
        self.hide()

    def show_filters(self, filters: Sequence[Filter], counts: Mapping[str, TagCount]) -> None:
        text = tag_filter_text(filters, counts)
        self.setText(text)
        self.setVisible(bool(text))


__all__ = ["FilterBar", "tag_filter_text"]
