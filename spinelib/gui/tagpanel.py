"""The detail pane's tags: confirmed tags as removable chips, then the suggested ones, each
with the reason it was suggested and Accept / Reject buttons, then one line for the techniques
the text mentions that were not suggested and why ("negated in results: 'vertebroplasty'").
The panel only *asks* for changes by signal; the detail pane writes them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.tablemodel import short_label
from spinelib.gui.widgets import FlowLayout
from spinelib.library import TagAssignment


class TagPanel(QWidget):
    """Confirmed tags as removable chips, then suggestions with reason, Accept and Reject."""

    remove = Signal(str)
    accept = Signal(str)
    reject = Signal(str)
    add = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        self.chips_box = QWidget(self)
        self.chips = FlowLayout(self.chips_box)
        outer.addWidget(self.chips_box)
        self.suggestions_box = QWidget(self)
        self.suggestions = QVBoxLayout(self.suggestions_box)
        self.suggestions.setContentsMargins(0, 0, 0, 0)
        self.suggestions.setSpacing(2)
        outer.addWidget(self.suggestions_box)
        self.why_not = QLabel(self)
        self.why_not.setTextFormat(Qt.TextFormat.PlainText)
        self.why_not.setWordWrap(True)
        self.why_not.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.why_not.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = self.why_not.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        self.why_not.setFont(small)
        self.why_not.setVisible(False)
        outer.addWidget(self.why_not)
        self.chip_buttons: dict[str, QToolButton] = {}
        self.suggestion_rows: dict[str, tuple[QPushButton, QPushButton]] = {}
        #: How many selected articles Accept / Reject act on (1: the shown one).
        self.scope = 1

    def set_scope(self, n: int) -> None:
        """Accept / Reject act on ``n`` selected articles; the buttons say so."""
        self.scope = max(1, n)
        for accept, reject in self.suggestion_rows.values():
            self._label_buttons(accept, reject)

    def _label_buttons(self, accept: QPushButton, reject: QPushButton) -> None:
        many = self.scope > 1
        accept.setText(f"Accept for {self.scope:,}" if many else "Accept")
        reject.setText(f"Reject for {self.scope:,}" if many else "Reject")
        where = (f"the {self.scope:,} selected articles (those it is suggested for)" if many
                 else "this article")
        accept.setToolTip(f"Confirm this tag for {where}")
        reject.setToolTip(f"Never suggest this tag for {where} again")

    def show_tags(self, tags: Sequence[TagAssignment], suggested: Sequence[TagAssignment],
                  enabled: bool = True, not_suggested: Sequence[TagAssignment] = ()) -> None:
        """Replace the chips and suggestion rows (``id``, ``label`` and, for suggestions,
        ``reason`` of each tag); ``enabled`` False shows them without accepting clicks.
        ``not_suggested`` are the techniques mentioned but left out, with why."""
        lines = [f"{short_label(t.label)}: {t.reason}" for t in not_suggested]
        self.why_not.setText("Not suggested: " + "; ".join(lines) if lines else "")
        self.why_not.setToolTip("\n".join(f"{t.label}: {t.reason}" for t in not_suggested))
        self.why_not.setVisible(bool(lines))
        self.chips.clear()
        self.chip_buttons.clear()
        while self.suggestions.count():
            item = self.suggestions.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.hide()
                w.deleteLater()
        self.suggestion_rows.clear()
        for tag in tags:
            chip = QToolButton(self.chips_box)
            chip.setText(f"{short_label(tag.label)}  ✕")
            chip.setToolTip(f"{tag.label}\nClick to remove this tag")
            chip.setAccessibleName(f"Remove tag {tag.label}")
            chip.clicked.connect(lambda _c=False, t=tag.id: self.remove.emit(t))
            chip.setEnabled(enabled)
            self.chips.addWidget(chip)
            self.chip_buttons[tag.id] = chip
        add = QToolButton(self.chips_box)
        add.setText("+ Tag…")
        add.setToolTip("Add tags (Ctrl+T)")
        add.setAutoRaise(True)
        add.clicked.connect(lambda _c=False: self.add.emit())
        add.setEnabled(enabled)
        self.chips.addWidget(add)
        self.chips_box.updateGeometry()
        for tag in suggested:
            self.suggestions.addWidget(self._suggestion_row(tag, enabled))
        self.suggestions_box.setVisible(bool(suggested))

    def _suggestion_row(self, tag: TagAssignment, enabled: bool) -> QWidget:
        row = QFrame(self.suggestions_box)
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        label = QLabel(f"Suggested: <b>{html.escape(short_label(tag.label))}</b>", row)
        label.setWordWrap(True)
        label.setToolTip(tag.label)
        why = tag.reason or "matched the vocabulary"
        reason = QLabel(why, row)
        reason.setTextFormat(Qt.TextFormat.PlainText)
        reason.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # The reason wraps at word boundaries rather than being cut mid-word.
        reason.setWordWrap(True)
        reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        reason.setToolTip(f"Why: {why}")
        small = reason.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        reason.setFont(small)
        accept = QPushButton("Accept", row)
        accept.setToolTip(f"Confirm the tag {tag.label}")
        reject = QPushButton("Reject", row)
        reject.setToolTip(f"Never suggest {tag.label} for this article again")
        self._label_buttons(accept, reject)
        for b in (accept, reject):
            b.setEnabled(enabled)
            b.setAutoDefault(False)
        accept.clicked.connect(lambda _c=False, t=tag.id: self.accept.emit(t))
        reject.clicked.connect(lambda _c=False, t=tag.id: self.reject.emit(t))
        grid.addWidget(label, 0, 0)
        grid.addWidget(reason, 1, 0)
        grid.addWidget(accept, 0, 1, 2, 1)
        grid.addWidget(reject, 0, 2, 2, 1)
        grid.setColumnStretch(0, 1)
        self.suggestion_rows[tag.id] = (accept, reject)
        return row


__all__ = ["TagPanel"]
