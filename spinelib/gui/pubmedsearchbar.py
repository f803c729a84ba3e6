"""The search line of File ▸ Search PubMed…'s dialog: the search as typed (or a results page's
address), searched again on Enter or *Search*, so a surgeon narrows a search without
starting over, as on PubMed's own page. A search SpineLib cannot run as asked
(:func:`spinelib.pubmedquery.read_query`) is said in red under it, and nothing is asked.
*Watch…* keeps the search as a literature watch (the New watch form, filled with it), so
its new papers come to the Inbox from then on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spinelib.errors import SpineLibError
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.watchesdialog import NewWatchForm
from spinelib.library import Library
from spinelib.pubmedquery import ORDERS, PubMedQuery, in_order, order_of, read_query


class PubMedSearchBar(QWidget):
    """A line edit, *Search* and *Watch…*; ``searched`` carries each search it accepts,
    ``watch`` each one to keep as a watch."""

    searched = Signal(object)  # PubMedQuery
    watch = Signal(object)  # PubMedQuery

    def __init__(self, typed: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(typed, self)
        self.line.setPlaceholderText("Search PubMed as on its web page, or paste a results "
                                     "page's address")
        self.line.setClearButtonEnabled(True)
        self.line.setCursorPosition(0)  # a long search or address shows from its start
        self.line.returnPressed.connect(self.submit)
        self.order = QComboBox(self)  # PubMed's orders; a change lists the search again in it
        for name, (label, _sort) in ORDERS.items():
            self.order.addItem(label, name)
        self.order.setToolTip("The order PubMed lists the results in")
        self.order.currentIndexChanged.connect(lambda _i: self.submit())
        self.button = QPushButton("Search", self)
        self.button.clicked.connect(lambda: self.submit())
        self.watch_button = QPushButton("Watch…", self)
        self.watch_button.setToolTip("Keep this search as a literature watch: its new papers "
                                     "come to the Inbox")
        self.watch_button.clicked.connect(lambda: self.keep())
        self.problem = QLabel(self)  # why a search cannot be run as asked
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.order)
        row.addWidget(self.button)
        row.addWidget(self.watch_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.problem)

    def submit(self) -> None:
        """Search what the line holds (a refusal shown instead)."""
        query = self._read()
        if query is not None:
            self.searched.emit(query)

    def keep(self) -> None:
        """Offer what the line holds as a watch (a refusal shown instead)."""
        query = self._read()
        if query is not None:
            self.watch.emit(query)

    def show_order(self, query: PubMedQuery) -> None:
        """Show the order ``query`` is listed in (a pasted address's), searching nothing."""
        self.order.blockSignals(True)
        self.order.setCurrentIndex(self.order.findData(order_of(query)))
        self.order.blockSignals(False)

    def _read(self) -> PubMedQuery | None:
        """The line's search in the order chosen in the list (which shows, when the dialog
        opens on a pasted address, that address's own order: :meth:`show_order`)."""
        try:
            query = read_query(self.line.text())
        except SpineLibError as exc:
            self.problem.setText(f"Not searched: {exc}.")
            self.problem.show()
            return None
        self.problem.hide()
        return in_order(query, str(self.order.currentData()))


def watch_form(library: Library, runner: TaskRunner, parent: QWidget,
               query: PubMedQuery) -> NewWatchForm:
    """The New watch form filled with ``query``'s search words (its filters written in), to
    name and save."""
    form = NewWatchForm(library, runner, parent)
    form.name.setText(query.term[:60])
    form.name.setCursorPosition(0)
    form.query.setPlainText(query.term)
    form.open()
    return form
