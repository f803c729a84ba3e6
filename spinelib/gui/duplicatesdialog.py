"""Edit ▸ Duplicates…: candidate groups side by side, a per-field choice, Merge or Not
duplicates.

Each group's articles are columns; each row a field. The article to keep is chosen above
the table; clicking another article's cell in a row makes that value win for the field
(the chosen cell is shown bold). Merge keeps everything else as the core promises (empty
fields filled, tags/lists/notes united, the others' keys kept as aliases) and can be undone.
All reads and writes run on the worker threads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.curation_results import DuplicateGroup, MergeResult
from spinelib.gui.editdialog import current_values
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.records import ArticleRecord

#: The rows shown (identifiers are not choosable: the others' become aliases).
ROWS = ("title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid",
        "pmcid", "abstract", "type", "language")
CHOOSABLE = frozenset(ROWS) - {"doi", "pmid", "pmcid", "authors"}


class DuplicatesDialog(QDialog):
    """Candidate groups; ``changed`` after a merge (the window refreshes)."""

    changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.setWindowTitle("Duplicate candidates")
        self.groups: list[DuplicateGroup] = []
        self.records: list[ArticleRecord] = []
        self.ids: list[int] = []
        #: field -> column whose value wins (the kept column when absent).
        self.choices: dict[str, int] = {}
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._group_chosen)
        self.keep = QComboBox()
        self.keep.currentIndexChanged.connect(lambda _i: self._paint())
        self.table = QTableWidget()
        self.table.cellClicked.connect(self._cell_clicked)
        # The articles share the width and their values wrap: a surgeon compares whole
        # titles and journals, not their first ten letters.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Rows follow the columns' width, and bold text's (a wider font wraps sooner).
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_a: self.table.resizeRowsToContents())
        self.table.setWordWrap(True)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        how = QLabel("Bold: what the merged article will have. Click another article's value "
                     "to take it instead (identifiers and authors stay the kept article's; "
                     "the others' identifiers become aliases).")
        how.setWordWrap(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.merge_button = QPushButton("&Merge")
        self.merge_button.clicked.connect(self.merge)
        self.dismiss_button = QPushButton("&Not duplicates")
        self.dismiss_button.clicked.connect(self.dismiss)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel("Keep:"))
        top.addWidget(self.keep, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(top)
        layout.addWidget(how)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(980, 700)
        self._enable(False)
        self.reload()

    def _enable(self, on: bool) -> None:
        for w in (self.merge_button, self.dismiss_button, self.keep):
            w.setEnabled(on)

    def reload(self) -> None:
        self.runner.start(self.library.duplicates.candidates, on_done=self._show_groups,
                          on_error=self.status.setText)

    def _show_groups(self, groups: list[DuplicateGroup]) -> None:
        self.groups = groups
        self.list.clear()
        for g in groups:
            self.list.addItem(f"{'  ·  '.join(g.keys)}   —   {g.reason}")
        self.status.setText(f"{len(groups)} candidate group{'s' if len(groups) != 1 else ''}."
                            if groups else "")
        if not groups:  # say so where the groups would be, not only in a "0" below
            empty = QListWidgetItem("No likely duplicates: no two articles share a title, "
                                    "year and first author (apart from those you marked "
                                    "as not duplicates).")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self._enable(False)
        if groups:
            self.list.setCurrentRow(0)

    def _group_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.groups):
            return
        ids = list(self.groups[row].ids)
        self.runner.start(self.library.articles.records, ids, with_references=False,
                          on_done=lambda recs: self._show_group(ids, recs),
                          on_error=self.status.setText)

    def _show_group(self, ids: list[int], records: list[ArticleRecord]) -> None:
        self.ids, self.records, self.choices = ids, records, {}
        self.keep.blockSignals(True)
        self.keep.clear()
        self.keep.addItems([r.citekey for r in records])
        self.keep.blockSignals(False)
        values = [current_values(r) for r in records]
        self.table.setColumnCount(len(records))
        self.table.setRowCount(len(ROWS))
        self.table.setHorizontalHeaderLabels([r.citekey for r in records])
        self.table.setVerticalHeaderLabels(list(ROWS))
        for row, f in enumerate(ROWS):
            for col, v in enumerate(values):
                item = QTableWidgetItem(v[f][:300])
                item.setToolTip(v[f][:2000])
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
        self._enable(len(records) >= 2)
        self._paint()

    def _paint(self) -> None:
        """Bold: the value each field will have after the merge."""
        keep = self.keep.currentIndex()
        for row, f in enumerate(ROWS):
            winner = self.choices.get(f, keep)
            for col in range(self.table.columnCount()):
                item = self.table.item(row, col)
                if item is not None:
                    font = QFont(item.font())
                    font.setBold(col == winner)
                    item.setFont(font)
        self.table.resizeRowsToContents()

    def _cell_clicked(self, row: int, col: int) -> None:
        f = ROWS[row]
        if f not in CHOOSABLE:
            self.status.setText(f"{f}: the kept article's value stays; the others' become "
                                "aliases or fill it when empty.")
            return
        self.choices[f] = col
        self._paint()

    def merge(self) -> None:
        if len(self.ids) < 2:
            return
        keep_col = self.keep.currentIndex()
        keep = self.ids[keep_col]
        others = [a for i, a in enumerate(self.ids) if i != keep_col]
        choices = {f: self.ids[c] for f, c in self.choices.items() if c != keep_col}

        def done(res: MergeResult) -> None:
            self.status.setText(f"Merged {', '.join(res.merged_keys)} into {res.citekey} "
                                "(Edit ▸ Undo reverts it).")
            self.changed.emit()
            self.runner.start(self.library.duplicates.candidates,
                              on_done=self._groups_keep_status, on_error=self.status.setText)

        self._enable(False)
        self.runner.start(self.library.duplicates.merge, keep, others, choices, pool="write",
                          on_done=done, on_error=self._failed)

    def _failed(self, text: str) -> None:
        self.status.setText(text)
        self._enable(len(self.ids) >= 2)

    def _groups_keep_status(self, groups: list[DuplicateGroup]) -> None:
        text = self.status.text()
        self._show_groups(groups)
        self.status.setText(text)

    def dismiss(self) -> None:
        if len(self.ids) < 2:
            return

        def done(_r: object) -> None:
            self.status.setText("No longer listed as duplicates.")
            self.runner.start(self.library.duplicates.candidates,
                              on_done=self._groups_keep_status, on_error=self.status.setText)

        self.runner.start(self.library.duplicates.dismiss, list(self.ids), pool="write",
                          on_done=done, on_error=self._failed)
