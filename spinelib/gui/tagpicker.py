"""The tag picker: tick tags on or off for the selected articles, with type-ahead.

The tags are shown as the vocabulary's real tree (a technique under its own parent), the
user's tags under "My tags". Typing filters the tree (matches stay visible with the branches
leading to them; a completer offers matching labels); Enter ticks the first
match. A name that matches no tag can be created as a user tag. Tags carried by only some
of
the selected articles start half-ticked and are left alone unless the user changes them.
The dialog only collects the choice: ``applied(add, remove, create)``; the caller writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.library import TagCount

TagIdRole = Qt.ItemDataRole.UserRole + 30


class TagPicker(QDialog):
    """Choose tags for ``count`` articles; ``presence`` says how many carry each tag now."""

    #: (tag ids to add, tag ids to remove, new user-tag labels to create and add)
    applied = Signal(list, list, list)

    def __init__(self, tags: Sequence[TagCount], presence: Mapping[str, int],
                 count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = count
        self.presence = dict(presence)
        self.created: list[str] = []
        self.setWindowTitle("Tags")
        # Wide enough for the vocabulary's longest labels at two levels of the tree.
        self.resize(560, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tags for {count} article{'s' if count != 1 else ''}:", self))
        row = QHBoxLayout()
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to find or create a tag…")
        self.filter.setClearButtonEnabled(True)
        labels = [str(t.label) for t in tags]
        completer = QCompleter(labels, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.filter.setCompleter(completer)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self._enter)
        self.create_button = QPushButton("Create", self)
        self.create_button.setAutoDefault(False)
        self.create_button.setToolTip("Create a tag of your own with this name")
        self.create_button.clicked.connect(self.create_from_filter)
        self.create_button.setEnabled(False)
        row.addWidget(self.filter, 1)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        self.list = QTreeWidget(self)
        self.list.setHeaderHidden(True)
        self.list.setUniformRowHeights(True)
        self.list.setIndentation(16)
        self.list.itemActivated.connect(self._toggle)
        layout.addWidget(self.list, 1)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._mine: QTreeWidgetItem | None = None
        by_id = {str(t.id): t for t in tags}
        # Parents before children, whatever order the tags come in (cycles are cut).
        for t in sorted(tags, key=lambda t: t.origin != "vocabulary"):
            self._place(str(t.id), by_id, frozenset())
        self.list.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        for b in buttons.buttons():
            if isinstance(b, QPushButton):
                b.setAutoDefault(False)
        layout.addWidget(buttons)
        self.filter.setFocus()

    def _place(self, tag_id: str, by_id: Mapping[str, TagCount], seen: frozenset[str]) -> None:
        if tag_id in self._items:
            return
        t = by_id[tag_id]
        parent_id = str(t.parent or "")
        if parent_id in by_id and parent_id not in seen | {tag_id}:
            self._place(parent_id, by_id, seen | {tag_id})
        else:
            parent_id = ""
        self._add_item(tag_id, str(t.label), parent_id,
                       mine=str(getattr(t, "origin", "")) == "user")

    def _my_tags(self) -> QTreeWidgetItem:
        """The heading the user's own top-level tags go under."""
        if self._mine is None:
            self._mine = QTreeWidgetItem(["My tags"])
            self._mine.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = self._mine.font(0)
            font.setBold(True)
            self._mine.setFont(0, font)
            self.list.addTopLevelItem(self._mine)
            self._mine.setExpanded(True)
        return self._mine

    def _add_item(self, tag_id: str, label: str, parent: str, *, new: bool = False,
                  mine: bool = False) -> None:
        item = QTreeWidgetItem([label])
        item.setData(0, TagIdRole, tag_id)
        item.setToolTip(0, label if not new else f"{label} (new tag)")
        # Ticking a parent tags the article with the parent only: no automatic tri-state.
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        n = self.presence.get(tag_id, 0)
        if new:
            state = Qt.CheckState.Checked
        elif n == 0:
            state = Qt.CheckState.Unchecked
        elif n >= self.count:
            state = Qt.CheckState.Checked
        else:
            state = Qt.CheckState.PartiallyChecked
        item.setCheckState(0, state)
        holder = self._items.get(parent) if parent else (self._my_tags() if mine or new
                                                          else None)
        if holder is None:
            self.list.addTopLevelItem(item)
        else:
            holder.addChild(item)
            holder.setExpanded(True)
        self._items[tag_id] = item

    def items(self) -> list[QTreeWidgetItem]:
        """Every tag's item, in the tree's order (the "My tags" heading is not a tag)."""
        out: list[QTreeWidgetItem] = []
        stack = [self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item is None:
                continue
            if item.data(0, TagIdRole) is not None:
                out.append(item)
            stack[:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def tree(self) -> dict[str, str | None]:
        """Tag id -> its parent's tag id as shown (None at the top or under "My tags")."""
        out: dict[str, str | None] = {}
        for item in self.items():
            parent = item.parent()
            out[str(item.data(0, TagIdRole))] = (
                None if parent is None or parent.data(0, TagIdRole) is None
                else str(parent.data(0, TagIdRole)))
        return out

    def item_for(self, tag_id: str) -> QTreeWidgetItem | None:
        return self._items.get(tag_id)

    def set_checked(self, tag_id: str, checked: bool) -> None:
        item = self.item_for(tag_id)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked if checked
                               else Qt.CheckState.Unchecked)

    def matches(self) -> list[QTreeWidgetItem]:
        """The tags the typed text matches (all of them while nothing is typed)."""
        needle = self.filter.text().strip().casefold()
        return [i for i in self.items() if not needle or needle in i.text(0).casefold()
                or needle in str(i.data(0, TagIdRole)).casefold()]

    def _filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        matched = {id(i) for i in self.matches()}
        exact = any(i.text(0).strip().casefold() == needle
                    or str(i.data(0, TagIdRole)).casefold() == needle for i in self.items())
        # A match stays visible with the branch leading to it; everything else hides.
        keep: set[int] = set()
        for item in self.items():
            if id(item) in matched:
                node: QTreeWidgetItem | None = item
                while node is not None:
                    keep.add(id(node))
                    node = node.parent()
        for item in self.items():
            item.setHidden(id(item) not in keep)
        if self._mine is not None:
            self._mine.setHidden(not any(id(self._mine.child(i)) in keep
                                         for i in range(self._mine.childCount())))
        self.create_button.setEnabled(bool(needle) and not exact)
        self.create_button.setText(f"Create “{text.strip()}”" if needle and not exact
                                   else "Create")

    def _enter(self) -> None:
        matches = self.matches() if self.filter.text().strip() else []
        if matches:
            matches[0].setCheckState(0, Qt.CheckState.Checked)
            self.filter.clear()
        elif self.create_button.isEnabled():
            self.create_from_filter()

    def _toggle(self, item: QTreeWidgetItem) -> None:
        if item.data(0, TagIdRole) is None:
            return
        item.setCheckState(0, Qt.CheckState.Unchecked
                           if item.checkState(0) == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)

    def create_from_filter(self) -> None:
        """Add the typed name as a new user tag, ticked."""
        label = " ".join(self.filter.text().split())
        if not label or self.item_for(label) is not None:
            return
        self.created.append(label)
        self._add_item(label, label, "", new=True)
        self.filter.clear()

    def changes(self) -> tuple[list[str], list[str], list[str]]:
        """(add, remove, create) from the tick marks compared with the starting state."""
        add: list[str] = []
        remove: list[str] = []
        for item in self.items():
            tag_id = str(item.data(0, TagIdRole))
            n = self.presence.get(tag_id, 0)
            state = item.checkState(0)
            if state == Qt.CheckState.Checked and n < self.count:
                add.append(tag_id)
            elif state == Qt.CheckState.Unchecked and n > 0:
                remove.append(tag_id)
        create = [c for c in self.created if c in add]
        return add, remove, create

    def apply(self) -> None:
        add, remove, create = self.changes()
        if add or remove:
            self.applied.emit(add, remove, create)
        self.accept()
