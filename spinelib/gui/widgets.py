"""Small reusable widgets: a flow layout for tag chips, a five-star rating control, a
delegate that wraps long text in tree views, and the citation list the References and
Cited-by tabs share."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
    QWidgetItem,
)


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new lines (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def addWidget(self, widget: QWidget) -> None:  # noqa: N802
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def clear(self) -> None:
        """Remove and delete every widget in the layout."""
        while self._items:
            item = self._items.pop()
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            next_x = x + hint.width() + self._spacing
            if next_x - self._spacing > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + self._spacing
                next_x = x + hint.width() + self._spacing
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x = next_x
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()


class StarRating(QWidget):
    """Zero to five stars; clicking the current number of stars clears the rating."""

    rating_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._rating = 0
        self.buttons: list[QToolButton] = []
        for n in range(1, 6):
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setToolTip(f"{n} star{'s' if n > 1 else ''}")
            button.setAccessibleName(f"Rate {n} of 5")
            button.clicked.connect(lambda _c=False, n=n: self._clicked(n))
            layout.addWidget(button)
            self.buttons.append(button)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._paint()

    def rating(self) -> int:
        return self._rating

    def set_rating(self, rating: int) -> None:
        """Show ``rating`` without emitting (loading an article is not an edit)."""
        self._rating = max(0, min(5, rating))
        self._paint()

    def _clicked(self, n: int) -> None:
        self._rating = 0 if n == self._rating else n
        self._paint()
        self.rating_changed.emit(self._rating)

    def _paint(self) -> None:
        for n, button in enumerate(self.buttons, 1):
            button.setText("★" if n <= self._rating else "☆")


class WrapDelegate(QStyledItemDelegate):
    """Tree items whose text wraps to the column width (QTreeView sizes rows one line high
    otherwise). Install per column with ``view.setItemDelegateForColumn``."""

    #: Vertical padding (px) around the wrapped text.
    PADDING = 6

    def __init__(self, view: QTreeView, *, indented: bool = False) -> None:
        """``indented``: the column is a tree's first, so deeper rows have less room."""
        super().__init__(view)
        self.view = view
        self.indented = indented

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        width = self.view.header().sectionSize(index.column()) - 8
        if self.indented:
            depth, parent = 1, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= depth * self.view.indentation()
        if not text or width <= 20:
            return base
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 0),
                                               int(Qt.TextFlag.TextWordWrap), str(text))
        return QSize(base.width(), max(base.height(), rect.height() + self.PADDING))


def citation_tree(parent: QWidget, citation_header: str, check_tip: str,
                  identifier_width: int,
                  selection: QAbstractItemView.SelectionMode) -> QTreeWidget:
    """A list of citations as the References and Cited-by tabs show them: "#", a ✓ for
    "in your library", the citation (wrapped: citations are read, not skimmed) and its
    identifier."""
    tree = QTreeWidget(parent)
    tree.setHeaderLabels(["#", "✓", citation_header, "Identifier"])
    tree.headerItem().setToolTip(1, check_tip)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setSelectionMode(selection)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(3, identifier_width)
    tree.setItemDelegateForColumn(2, WrapDelegate(tree))
    # Row heights depend on the wrapped width: lay the rows out again when it changes.
    header.sectionResized.connect(lambda *_: tree.doItemsLayout())
    return tree


def align_citation_row(item: QTreeWidgetItem) -> None:
    """Number right, ✓ centred, identifier left, all at the top of a wrapped row."""
    top = Qt.AlignmentFlag.AlignTop
    item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | top)
    item.setTextAlignment(1, Qt.AlignmentFlag.AlignHCenter | top)
    item.setTextAlignment(3, Qt.AlignmentFlag.AlignLeft | top)


def identifier_label(pmid: str | None, doi: str | None, pmcid: str | None,
                     cited_by: int | None = None) -> str:
    """A citation row's Identifier column: "PMID 123", else "DOI 10.…", else the PMCID,
    else "—"; with a citation count, "cited by 31" on a line of its own."""
    ident = f"PMID {pmid}" if pmid else f"DOI {doi}" if doi else pmcid or "—"
    return ident + (f"\ncited by {cited_by:,}" if cited_by else "")

