"""The search line of File ▸ Search PubMed…'s dialog: the search as typed (or a results page's
address), searched again on Enter or *Search*, so a surgeon narrows a search without
starting over, as on PubMed's own page. A search SpineLib cannot run as asked
(:func:`spinelib.pubmedsearch.read_query`) is said in red under it, and nothing is asked."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from spinelib.errors import SpineLibError
from spinelib.pubmedsearch import PubMedQuery, read_query


class PubMedSearchBar(QWidget):
    """A line edit and a *Search* button; ``searched`` carries each search it accepts."""

    searched = Signal(object)  # PubMedQuery

    def __init__(self, typed: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(typed, self)
        self.line.setPlaceholderText("Search PubMed as on its web page, or paste a results "
                                     "page's address")
        self.line.setClearButtonEnabled(True)
        self.line.returnPressed.connect(self.submit)
        self.button = QPushButton("Search", self)
        self.button.clicked.connect(self.submit)
        self.problem = QLabel(self)  # why a search cannot be run as asked
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.problem)

    def submit(self) -> None:
        """Read the line; a search it holds is emitted, a refusal shown instead."""
        try:
            query: PubMedQuery = read_query(self.line.text())
        except SpineLibError as exc:
            self.problem.setText(f"Not searched: {exc}.")
            self.problem.show()
            return
        self.problem.hide()
        self.searched.emit(query)
