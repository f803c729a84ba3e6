"""The Type field of the article forms (File ▸ New article…, Edit article…, the detail
pane's Edit mode): the types SpineLib knows, picked from a list in words, where a text
field asked the user to type "webpage" or "conference" exactly.

It stands in for a line edit: ``text()`` is the stored type, ``setText`` chooses one, and
``textChanged`` fires on a new choice, so the forms read, fill and check it as they do
their other fields. A stored type outside the list (an older library's) is shown as it is
and kept unless another is chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from spinelib.curation_results import ARTICLE_TYPES

#: Each type in words (the stored type is what ``spinelib add --set type=`` takes).
TYPE_NAMES = {"article": "Journal article", "review": "Review article", "erratum": "Erratum",
              "preprint": "Preprint", "book": "Book", "chapter": "Book chapter",
              "conference": "Conference paper or abstract",
              "proceedings": "Conference proceedings", "report": "Report",
              "thesis": "Thesis", "webpage": "Web page (a guideline online, say)",
              "other": "Other"}


class TypeBox(QComboBox):
    """The list of types; ``text()`` is the chosen type as stored."""

    textChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for kind in ARTICLE_TYPES:
            self.addItem(TYPE_NAMES.get(kind, kind), kind)
        self.setToolTip("spinelib add and edit take: " + ", ".join(ARTICLE_TYPES))
        self.currentIndexChanged.connect(lambda _i: self.textChanged.emit(self.text()))

    def text(self) -> str:
        return str(self.currentData() or "")

    def setText(self, kind: str) -> None:  # noqa: N802 (a line edit's name, on purpose)
        at = self.findData(kind)
        if at < 0:  # not one of the list's: shown as stored, kept unless changed
            self.addItem(kind or "(none)", kind)
            at = self.count() - 1
        self.setCurrentIndex(at)

    def setCursorPosition(self, _position: int) -> None:  # noqa: N802
        """A line edit's, called by the forms after filling a field: nothing to do."""
