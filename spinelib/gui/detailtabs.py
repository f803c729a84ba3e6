"""The detail pane's tab bar: short labels that all fit, the long form in each tooltip.

At 1280x720 the detail pane is about 400 px wide; "References (45)" and "Cited by (0 in
library)" pushed Evidence and Text behind scroll arrows, where a surgeon never finds them.
Labels are kept short ("Refs (45)", "Cited by (2)") with the full sentence as the tooltip,
and should the pane be narrower still, labels are elided rather than scrolled away, so every
tab stays visible and clickable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from spinelib.text import plural


def fit_all_tabs(tabs: QTabWidget) -> None:
    """Make every tab visible at any width: no scroll arrows, long labels elided."""
    tabs.setUsesScrollButtons(False)
    tabs.setElideMode(Qt.TextElideMode.ElideRight)
    tabs.tabBar().setExpanding(False)


def set_label(tabs: QTabWidget, page: QWidget, short: str, tooltip: str) -> None:
    """Give ``page``'s tab its short label and its long form as the tooltip."""
    index = tabs.indexOf(page)
    if index >= 0:
        tabs.setTabText(index, short)
        tabs.setTabToolTip(index, tooltip)


def references_label(n: int) -> tuple[str, str]:
    """("Refs (45)", "45 references in this article's reference list")."""
    return (f"Refs ({n})",
            f"{plural(n, 'reference')} in this article's reference list")


def cited_by_label(n: int | None) -> tuple[str, str]:
    """("Cited by (2)", "Cited by 2 articles in this library"); None: still counting."""
    if n is None:
        return "Cited by (…)", "Counting the articles in this library that cite this one…"
    return (f"Cited by ({n})",
            f"Cited by {plural(n)} in this library")


#: The widest labels the counted tabs reach in practice (three-digit counts).
_WIDEST = {"Refs": "Refs (999)", "Cited by": "Cited by (999)"}


def needed_width(tabs: QTabWidget) -> int:
    """The width at which every tab shows its whole label, even with three-digit counts.

    The detail pane is given this as its minimum, so the splitter can never squeeze the
    labels into "Det…" and "Cited by …" (seen at 1280x720 when the window's first layout
    handed the pane only its stretch share).
    """
    bar = tabs.tabBar()
    metrics = bar.fontMetrics()
    total = 0
    for i in range(bar.count()):
        text = bar.tabText(i)
        widest = next((w for prefix, w in _WIDEST.items() if text.startswith(prefix)), text)
        total += (bar.tabSizeHint(i).width() - metrics.horizontalAdvance(text)
                  + metrics.horizontalAdvance(widest))
    return total
