"""The tag picker: tick tags on or off for the selected articles, with type-ahead.

Typing filters the list (and a completer offers matching labels); Enter ticks the first
match. A name that matches no tag can be created as a user tag. Tags carried by only some of
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
    QListWidget,
    QListWidgetItem,
    QPushButton,
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
        self.resize(420, 520)
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
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(self._toggle)
        layout.addWidget(self.list, 1)
        for t in tags:
            self._add_item(str(t.id), str(t.label), str(t.parent or ""))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        for b in buttons.buttons():
            if isinstance(b, QPushButton):
                b.setAutoDefault(False)
        layout.addWidget(buttons)
        self.filter.setFocus()

    def _add_item(self, tag_id: str, label: str, parent: str, *, new: bool = False) -> None:
        item = QListWidgetItem(("    " if parent else "") + label)
        item.setData(TagIdRole, tag_id)
        item.setToolTip(label if not new else f"{label} (new tag)")
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
        item.setCheckState(state)
        self.list.addItem(item)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def item_for(self, tag_id: str) -> QListWidgetItem | None:
        for item in self.items():
            if item.data(TagIdRole) == tag_id:
                return item
        return None

    def set_checked(self, tag_id: str, checked: bool) -> None:
        item = self.item_for(tag_id)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        exact = False
        for item in self.items():
            label = item.text().strip().casefold()
            item.setHidden(bool(needle) and needle not in label
                           and needle not in str(item.data(TagIdRole)).casefold())
            exact = exact or label == needle or str(item.data(TagIdRole)).casefold() == needle
        self.create_button.setEnabled(bool(needle) and not exact)
        self.create_button.setText(f"Create “{text.strip()}”" if needle and not exact
                                   else "Create")

    def _visible(self) -> list[QListWidgetItem]:
        return [i for i in self.items() if not i.isHidden()]

    def _enter(self) -> None:
        visible = self._visible()
        if visible:
            visible[0].setCheckState(Qt.CheckState.Checked)
            self.filter.clear()
        elif self.create_button.isEnabled():
            self.create_from_filter()

    def _toggle(self, item: QListWidgetItem) -> None:
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
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
            tag_id = str(item.data(TagIdRole))
            n = self.presence.get(tag_id, 0)
            state = item.checkState()
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
